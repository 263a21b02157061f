package arm64

import "github.com/objcheck/objcheck/arch"

// dpImmForms are the data-processing instructions with an immediate
// (encoding groups 100x).
var dpImmForms = []form{
	{name: "adr", mask: 0x1f000000, value: 0x10000000, decode: writesRd},
	{name: "add-imm", mask: 0x1f800000, value: 0x11000000, decode: decodeAddImm},
	// addg, subg (FEAT_MTE): Xd|SP = Xn|SP + offset, with a new tag.
	{name: "addg", mask: 0xbfc0c000, value: 0x91800000, ext: true, decode: writesRdSP},
	// smax, umax, smin, umin (immediate, FEAT_CSSC).
	{name: "smax-imm", mask: 0x7fc00000, value: 0x11c00000, valid: minMaxValid, ext: true, decode: writesRd},
	{name: "and-imm", mask: 0x1f800000, value: 0x12000000, valid: andImmValid, decode: decodeAndImm},
	{name: "movz", mask: 0x1f800000, value: 0x12800000, valid: movzValid, decode: decodeMovz},
	{name: "bfm", mask: 0x1f800000, value: 0x13000000, valid: bfmValid, decode: writesRd},
	{name: "extr", mask: 0x1f800000, value: 0x13800000, valid: extrValid, decode: writesRd},
}

// dpRegForms are the data-processing instructions on registers (encoding
// groups x101).
var dpRegForms = []form{
	{name: "and-reg", mask: 0x1f000000, value: 0x0a000000, valid: shiftValid, decode: decodeAndReg},
	{name: "add-shifted", mask: 0x1f200000, value: 0x0b000000, valid: addShiftedValid, decode: decodeAddShifted},
	{name: "add-ext", mask: 0x1f200000, value: 0x0b200000, valid: addExtValid, decode: decodeAddExt},
	{name: "adc", mask: 0x1fe0fc00, value: 0x1a000000, decode: writesRd},
	// rmif, setf8, setf16 (FEAT_FlagM) write only flags.
	{name: "rmif", mask: 0xffe07c10, value: 0xba000400, ext: true, decode: other},
	{name: "setf", mask: 0xffffbc1f, value: 0x3a00080d, ext: true, decode: other},
	{name: "ccmp", mask: 0x1fe00000, value: 0x1a400000, valid: ccmpValid, decode: other},
	{name: "csel", mask: 0x1fe00000, value: 0x1a800000, valid: cselValid, decode: writesRd},
	{name: "dp2", mask: 0x5fe00000, value: 0x1ac00000, valid: dp2Valid, decode: writesRd},
	// subp, irg, gmi (FEAT_MTE), pacga (FEAT_PAuth); subps.
	{name: "dp2-ext", mask: 0xffe00000, value: 0x9ac00000, valid: dp2ExtValid, ext: true, decode: decodeDP2Ext},
	{name: "subps", mask: 0xffe0fc00, value: 0xbac00000, ext: true, decode: writesRd},
	// smax, umax, smin, umin (register, FEAT_CSSC).
	{name: "smax-reg", mask: 0x7fe0f000, value: 0x1ac06000, ext: true, decode: writesRd},
	{name: "dp1", mask: 0x7fff0000, value: 0x5ac00000, valid: dp1Valid, decode: writesRd},
	// ctz, cnt, abs (FEAT_CSSC).
	{name: "ctz", mask: 0x7fff0000, value: 0x5ac00000, valid: cttzValid, ext: true, decode: writesRd},
	{name: "pac", mask: 0xffff0000, value: 0xdac10000, valid: pacValid, ext: true, decode: decodePAC},
	{name: "madd", mask: 0x1f000000, value: 0x1b000000, valid: dp3Valid, decode: writesRd},
}

// sf reports whether an instruction works on 64-bit registers.
func sf(w uint32) bool { return bit(w, 31) }

// writesRdSP is the decode function of the forms whose only effect is to
// write Rd, where 31 is SP.
func writesRdSP(w uint32, _ uint64, in *arch.Insn) { clobber(in, rd(w), true) }

// decodeAddImm decodes add, adds, sub, subs (immediate), and so mov to or
// from SP. Rn 31 is SP, and Rd 31 is SP unless the flags are set (cmp,
// cmn). Reported: every change of SP, x29 or x30, and every value derived
// from SP (the checker follows copies of SP, as objtool does lea).
func decodeAddImm(w uint32, _ uint64, in *arch.Insn) {
	d, dsp := rd(w), !bit(w, 29)
	if !sf(w) {
		clobber(in, d, dsp)
		return
	}
	dst, src := arch.Reg(d), arch.Reg(rn(w))
	if d == zr && !dsp || !tracked(dst) && src != SP {
		return
	}
	imm := int64(field(w, 10, 12)) << (12 * field(w, 22, 1))
	if bit(w, 30) {
		imm = -imm
	}
	if imm == 0 {
		in.AddOp(copyOp(src, dst))
		return
	}
	in.AddOp(addOp(src, imm, dst))
}

// andImmValid rejects the reserved logical immediates.
func andImmValid(w uint32) bool {
	_, ok := logImm(w)
	return ok
}

// logImm returns the value of a logical immediate.
func logImm(w uint32) (uint64, bool) {
	width := uint(32)
	if sf(w) {
		width = 64
	}
	return bitmask(field(w, 22, 1), field(w, 16, 6), field(w, 10, 6), width)
}

// decodeAndImm decodes and, orr, eor, ands (immediate). Rd 31 is SP except
// for ands (tst); Rn 31 is the zero register. and to SP is stack
// realignment (and sp, x0, #~15); orr from the zero register is mov of a
// constant.
func decodeAndImm(w uint32, _ uint64, in *arch.Insn) {
	opc := field(w, 29, 2) // and, orr, eor, ands
	d := rd(w)
	if !sf(w) {
		clobber(in, d, opc != 3)
		return
	}
	dst := arch.Reg(d)
	if d == zr && opc == 3 || !tracked(dst) {
		return
	}
	mask, _ := logImm(w)
	isAnd := opc == 0 || opc == 3
	switch n := rn(w); {
	case n == zr && isAnd:
		in.AddOp(constOp(0, dst))
	case n == zr:
		in.AddOp(constOp(int64(mask), dst))
	case isAnd:
		in.AddOp(andOp(arch.Reg(n), mask, dst))
	default:
		in.AddOp(constOp(0, dst))
	}
}

// movzValid rejects opc 01 and, in 32-bit forms, shifts of 32 or 48.
func movzValid(w uint32) bool {
	return field(w, 29, 2) != 1 && (sf(w) || !bit(w, 22))
}

// decodeMovz decodes movn, movz and movk: a constant, known unless movk
// merges it into the old value.
func decodeMovz(w uint32, _ uint64, in *arch.Insn) {
	d := rd(w)
	if d == zr || !tracked(arch.Reg(d)) {
		return
	}
	imm := uint64(field(w, 5, 16)) << (16 * field(w, 21, 2))
	var val uint64
	switch field(w, 29, 2) {
	case 0: // movn
		val = ^imm
	case 2: // movz
		val = imm
	}
	if !sf(w) {
		val = uint64(uint32(val))
	}
	in.AddOp(constOp(int64(val), arch.Reg(d)))
}

// bfmValid accepts sbfm, bfm, ubfm with N equal to sf and, in 32-bit
// forms, immr and imms below 32.
func bfmValid(w uint32) bool {
	return field(w, 29, 2) != 3 && bit(w, 22) == sf(w) && (sf(w) || !bit(w, 21) && !bit(w, 15))
}

// extrValid accepts extr with N equal to sf and, in 32-bit form, imms
// below 32.
func extrValid(w uint32) bool {
	return field(w, 29, 2) == 0 && !bit(w, 21) && bit(w, 22) == sf(w) && (sf(w) || !bit(w, 15))
}

// shiftValid rejects 32-bit forms that shift by 32 or more.
func shiftValid(w uint32) bool { return sf(w) || !bit(w, 15) }

// addShiftedValid also rejects shift type 11 (ror).
func addShiftedValid(w uint32) bool { return field(w, 22, 2) != 3 && shiftValid(w) }

// addExtValid accepts opt 00 and left shifts up to 4.
func addExtValid(w uint32) bool { return field(w, 22, 2) == 0 && field(w, 10, 3) <= 4 }

// ccmpValid accepts ccmp and ccmn: the flags are set, o2 and o3 are 0.
func ccmpValid(w uint32) bool { return bit(w, 29) && !bit(w, 10) && !bit(w, 4) }

// cselValid accepts csel, csinc, csinv, csneg.
func cselValid(w uint32) bool { return !bit(w, 29) && !bit(w, 11) }

// decodeAndReg decodes the logical (shifted register) instructions. Rd and
// Rn 31 are the zero register. orr from the zero register without a shift
// is mov, a copy that is reported when it reads or writes x29 or x30
// (mov x0, x30 keeps the return address in x0).
func decodeAndReg(w uint32, _ uint64, in *arch.Insn) {
	d, m := rd(w), rm(w)
	isMov := field(w, 29, 2) == 1 && !bit(w, 21) && rn(w) == zr && field(w, 10, 6) == 0
	if !sf(w) || !isMov {
		clobber(in, d, false)
		return
	}
	switch dst, src := arch.Reg(d), arch.Reg(m); {
	case d == zr:
	case m == zr:
		clobber(in, d, false)
	case tracked(dst) || tracked(src):
		in.AddOp(copyOp(src, dst))
	}
}

// decodeAddShifted decodes add, adds, sub, subs (shifted register), where
// Rd, Rn and Rm 31 are the zero register. A 64-bit add or sub without a
// shift is Rn ± Rm (indexOp, which does not tell add from sub: either way
// the checker cannot know the amount); anything else into x29 or x30 is a
// value the checker cannot follow.
func decodeAddShifted(w uint32, _ uint64, in *arch.Insn) {
	d := rd(w)
	dst := arch.Reg(d)
	if d == zr || !tracked(dst) {
		return
	}
	n, m, sub := rn(w), rm(w), bit(w, 30)
	switch {
	case !sf(w) || field(w, 10, 6) != 0 || n == zr && (sub || m == zr):
		in.AddOp(constOp(0, dst))
	case m == zr:
		in.AddOp(copyOp(arch.Reg(n), dst))
	case n == zr:
		in.AddOp(copyOp(arch.Reg(m), dst))
	default:
		in.AddOp(indexOp(arch.Reg(n), arch.Reg(m), dst))
	}
}

// decodeAddExt decodes add, adds, sub, subs (extended register): Rn 31 is
// SP, Rd 31 is SP unless the flags are set, Rm 31 is the zero register.
// With a 64-bit extension (uxtx, sxtx, the lsl of sub sp, sp, x16) and no
// shift it is Rn ± Rm.
func decodeAddExt(w uint32, _ uint64, in *arch.Insn) {
	d := rd(w)
	dst := arch.Reg(d)
	if d == zr && bit(w, 29) || !tracked(dst) {
		return
	}
	n, m := arch.Reg(rn(w)), rm(w)
	switch {
	case !sf(w) || field(w, 13, 2) != 3 || field(w, 10, 3) != 0:
		in.AddOp(constOp(0, dst))
	case m == zr:
		in.AddOp(copyOp(n, dst))
	default:
		in.AddOp(indexOp(n, arch.Reg(m), dst))
	}
}

// dp2Valid accepts udiv, sdiv, lslv, lsrv, asrv, rorv, and crc32 with sf
// set for the x forms only.
func dp2Valid(w uint32) bool {
	if bit(w, 29) {
		return false
	}
	switch op := field(w, 10, 6); {
	case op == 2 || op == 3 || op >= 8 && op <= 11:
		return true
	case op >= 16 && op <= 23:
		return sf(w) == (op&3 == 3)
	}
	return false
}

// dp2ExtValid accepts subp, irg, gmi and pacga.
func dp2ExtValid(w uint32) bool {
	op := field(w, 10, 6)
	return op == 0 || op == 4 || op == 5 || op == 12
}

// decodeDP2Ext writes Rd, which is Xd|SP for irg.
func decodeDP2Ext(w uint32, _ uint64, in *arch.Insn) {
	clobber(in, rd(w), field(w, 10, 6) == 4)
}

// dp1Valid accepts rbit, rev16, rev (32), rev32, rev (64), clz, cls.
func dp1Valid(w uint32) bool {
	op := field(w, 10, 6)
	return op <= 5 && (sf(w) || op != 3)
}

// cttzValid accepts ctz, cnt, abs (opcode 6-8).
func cttzValid(w uint32) bool {
	op := field(w, 10, 6)
	return op >= 6 && op <= 8
}

// minMaxValid accepts opc 0000-0011 (smax, umax, smin, umin).
func minMaxValid(w uint32) bool { return field(w, 18, 4) < 4 }

// pacValid accepts the pointer authentication instructions with a
// register operand: pac*, aut* (opcode 0-7), their zero-modifier forms
// (8-15) and xpaci, xpacd (16, 17), the last two kinds with Rn 11111.
func pacValid(w uint32) bool {
	op := field(w, 10, 6)
	return op <= 7 || op <= 17 && rn(w) == zr
}

// decodePAC decodes pac*, aut*, xpac*. Signing x30 with an instruction key
// (pacia x30, sp is paciasp) is SignRA, authenticating it AuthRA;
// stripping the signature (xpaci x30) leaves the address unchanged. Any
// other write to x29 or x30 cannot be followed.
func decodePAC(w uint32, _ uint64, in *arch.Insn) {
	op := field(w, 10, 6)
	switch {
	case rd(w) != uint32(LR):
		clobber(in, rd(w), false)
	case op >= 16:
	case op&2 != 0: // data keys
		clobber(in, rd(w), false)
	case op&4 == 0:
		in.Kind = arch.SignRA
	default:
		in.Kind = arch.AuthRA
	}
}

// dp3Valid accepts madd, msub (any size), and the 64-bit smaddl, smsubl,
// smulh, umaddl, umsubl, umulh.
func dp3Valid(w uint32) bool {
	if field(w, 29, 2) != 0 {
		return false
	}
	switch field(w, 21, 3) {
	case 0:
		return true
	case 1, 5:
		return sf(w)
	case 2, 6:
		return sf(w) && !bit(w, 15)
	}
	return false
}
