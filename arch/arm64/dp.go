package arm64

import (
	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/arm64/arm64asm"
)

// decodeAddSub reads add, adds, sub, subs in their three forms (immediate,
// shifted register, extended register). Reported: every change of SP, x29
// or x30, and every value derived from SP (the checker follows copies of
// SP, as objtool does lea). A 32-bit result is a value the checker cannot
// follow; so is a shifted or extended register operand, a 32-bit
// extension, or a subtraction from the zero register. Register amounts
// are Rn ± Rm (indexOp, which does not tell add from sub: either way the
// checker cannot know the amount).
func decodeAddSub(inst *arm64asm.Inst, in *arch.Insn) {
	dst, dc := gpr(inst.Args[0])
	switch dc {
	case zeroReg, notGPR:
		return
	case wReg:
		clobber(in, dst)
		return
	}
	src, sc := gpr(inst.Args[1])
	sub := inst.Op == arm64asm.SUB || inst.Op == arm64asm.SUBS
	w := inst.Enc
	switch inst.Args[2].(type) {
	case arm64asm.ImmShift:
		if !tracked(dst) && src != SP {
			return
		}
		imm := addSubImm(w)
		if sub {
			imm = -imm
		}
		if imm == 0 {
			in.AddOp(copyOp(src, dst))
			return
		}
		in.AddOp(addOp(src, imm, dst))
		return
	}
	if !tracked(dst) {
		return
	}
	// The register forms: arm64asm keeps Rm, the shift and the extension
	// unexported. The extended form's Rn is a RegSP, the shifted form's a
	// Reg.
	m := rm(w)
	if _, ok := inst.Args[1].(arm64asm.RegSP); ok { // extended register
		switch {
		case extendOption(w)&3 != 3 || shiftAmount(w)&7 != 0:
			in.AddOp(constOp(0, dst))
		case m == zr:
			in.AddOp(copyOp(src, dst))
		default:
			in.AddOp(indexOp(src, arch.Reg(m), dst))
		}
		return
	}
	switch {
	case shiftAmount(w) != 0 || sc == zeroReg && (sub || m == zr):
		in.AddOp(constOp(0, dst))
	case m == zr:
		in.AddOp(copyOp(src, dst))
	case sc == zeroReg:
		in.AddOp(copyOp(arch.Reg(m), dst))
	default:
		in.AddOp(indexOp(src, arch.Reg(m), dst))
	}
}

// decodeLogical reads and, ands, orr, eor. With an immediate, and into SP
// is stack realignment (and sp, x0, #~15), and orr or eor from the zero
// register is a constant. With a shifted register, orr from the zero
// register without a shift amount is a copy (mov with a shift type arm64asm
// does not call mov); everything else is a value the checker cannot
// follow.
func decodeLogical(inst *arm64asm.Inst, in *arch.Insn) {
	dst, dc := gpr(inst.Args[0])
	if dc != xReg {
		clobberArg(in, inst.Args[0])
		return
	}
	src, sc := gpr(inst.Args[1])
	isAnd := inst.Op == arm64asm.AND || inst.Op == arm64asm.ANDS
	switch mask := inst.Args[2].(type) {
	case arm64asm.Imm64:
		switch {
		case !tracked(dst):
		case sc == zeroReg && isAnd:
			in.AddOp(constOp(0, dst))
		case sc == zeroReg:
			in.AddOp(constOp(int64(mask.Imm), dst))
		case isAnd:
			in.AddOp(andOp(src, mask.Imm, dst))
		default:
			in.AddOp(constOp(0, dst))
		}
		return
	}
	if inst.Op == arm64asm.ORR && sc == zeroReg && shiftAmount(inst.Enc) == 0 {
		movReg(in, dst, arch.Reg(rm(inst.Enc)))
		return
	}
	clobber(in, dst)
}

// movReg records mov xD, xS (orr from the zero register), where 31 is the
// zero register: a copy reported when either is x29 or x30 (mov x0, x30
// keeps the return address in x0).
func movReg(in *arch.Insn, dst, src arch.Reg) {
	switch {
	case dst == zr:
	case src == zr:
		clobber(in, dst)
	case tracked(dst) || tracked(src):
		in.AddOp(copyOp(src, dst))
	}
}

// decodeMov reads the mov aliases, which arm64asm tells apart by their
// operand types: of add #0 (RegSP, RegSP), a copy to or from SP; of orr
// (Reg, Reg); of movz and movn (Reg, immediate), a known constant; of orr
// with an immediate (RegSP, immediate), a known constant too; and of umov
// and the SIMD moves, whose first operand is the destination.
func decodeMov(inst *arm64asm.Inst, in *arch.Insn) {
	dst, dc := gpr(inst.Args[0])
	if dc == wReg {
		if _, ok := inst.Args[0].(arm64asm.Reg); ok && isImm(inst.Args[1]) { // mov w30, #1
			moveWide(in, dst, inst.Enc)
			return
		}
	}
	if dc != xReg {
		clobberArg(in, inst.Args[0])
		return
	}
	src, sc := gpr(inst.Args[1])
	switch a := inst.Args[1].(type) {
	case arm64asm.RegSP:
		if tracked(dst) || src == SP {
			in.AddOp(copyOp(src, dst))
		}
	case arm64asm.Reg:
		switch sc {
		case xReg, zeroReg:
			movReg(in, dst, src)
		default:
			clobber(in, dst) // umov, mov xD, vN.d[i]
		}
	case arm64asm.Imm64:
		if _, ok := inst.Args[0].(arm64asm.RegSP); ok { // orr
			if tracked(dst) {
				in.AddOp(constOp(int64(a.Imm), dst))
			}
			return
		}
		moveWide(in, dst, inst.Enc)
	default:
		clobber(in, dst)
	}
}

// isImm reports whether a is an immediate operand.
func isImm(a arm64asm.Arg) bool {
	switch a.(type) {
	case arm64asm.Imm, arm64asm.Imm64:
		return true
	}
	return false
}

// decodeMoveWide reads movz and movn where arm64asm does not call them mov.
func decodeMoveWide(inst *arm64asm.Inst, in *arch.Insn) {
	if dst, dc := gpr(inst.Args[0]); dc == wReg || dc == xReg {
		moveWide(in, dst, inst.Enc)
	}
}

// moveWide records the constant movz or movn w writes to dst.
func moveWide(in *arch.Insn, dst arch.Reg, w uint32) {
	if tracked(dst) {
		in.AddOp(constOp(int64(wideImm(w)), dst))
	}
}

// dpImmForms are the fallback forms of the data-processing instructions
// with an immediate (encoding groups 100x).
var dpImmForms = []form{
	// addg, subg (FEAT_MTE): Xd|SP = Xn|SP + offset, with a new tag.
	{name: "addg", mask: 0xbfc0c000, value: 0x91800000, decode: writesRdSP},
	// smax, umax, smin, umin (immediate, FEAT_CSSC).
	{name: "smax-imm", mask: 0x7fc00000, value: 0x11c00000, valid: minMaxValid, decode: writesRd},
}

// dpRegForms are the fallback forms of the data-processing instructions on
// registers (encoding groups x101).
var dpRegForms = []form{
	// rmif, setf8, setf16 (FEAT_FlagM) write only flags.
	{name: "rmif", mask: 0xffe07c10, value: 0xba000400, decode: other},
	{name: "setf", mask: 0xffffbc1f, value: 0x3a00080d, decode: other},
	// subp, irg, gmi (FEAT_MTE), pacga (FEAT_PAuth); subps.
	{name: "dp2-ext", mask: 0xffe00000, value: 0x9ac00000, valid: dp2ExtValid, decode: decodeDP2Ext},
	{name: "subps", mask: 0xffe0fc00, value: 0xbac00000, decode: writesRd},
	// smax, umax, smin, umin (register, FEAT_CSSC).
	{name: "smax-reg", mask: 0x7fe0f000, value: 0x1ac06000, decode: writesRd},
	// ctz, cnt, abs (FEAT_CSSC).
	{name: "ctz", mask: 0x7fff0000, value: 0x5ac00000, valid: cttzValid, decode: writesRd},
	{name: "pac", mask: 0xffff0000, value: 0xdac10000, valid: pacValid, decode: decodePAC},
}

// writesRdSP is the decode function of the forms whose only effect is to
// write Rd, where 31 is SP.
func writesRdSP(w uint32, _ uint64, in *arch.Insn) { clobberField(in, rd(w), true) }

// dp2ExtValid accepts subp, irg, gmi and pacga.
func dp2ExtValid(w uint32) bool {
	op := field(w, 10, 6)
	return op == 0 || op == 4 || op == 5 || op == 12
}

// decodeDP2Ext writes Rd, which is Xd|SP for irg.
func decodeDP2Ext(w uint32, _ uint64, in *arch.Insn) {
	clobberField(in, rd(w), field(w, 10, 6) == 4)
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
		clobberField(in, rd(w), false)
	case op >= 16:
	case op&2 != 0: // data keys
		clobberField(in, rd(w), false)
	case op&4 == 0:
		in.Kind = arch.SignRA
	default:
		in.Kind = arch.AuthRA
	}
}
