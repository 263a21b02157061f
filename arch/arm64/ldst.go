package arm64

import (
	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/arm64/arm64asm"
)

// An addrMode says how a load or store forms its address.
type addrMode uint8

const (
	offsetMode  addrMode = iota // base + imm
	preMode                     // base += imm, then base
	postMode                    // base, then base += imm
	unknownMode                 // register offset: no base + imm
)

// An access is a load or store reduced to what its stack operations need.
type access struct {
	load bool
	pair bool
	mode addrMode
	// rt and rt2 are the transferred registers, of classes ct and ct2: a
	// whole x register (xReg) has its slot tracked, a part of one (wReg:
	// w, byte, halfword, sign-extending loads) does not, and the zero
	// register and SIMD and FP registers (notGPR) are not followed at all.
	rt, rt2 arch.Reg
	ct, ct2 regClass
	base    arch.Reg // 31 is SP
	imm     int64    // offset or writeback amount, in bytes
}

// ops appends the access's stack operations: the write-back of a
// pre-indexed base first, then the transfers, then the write-back of a
// post-indexed base. A write-back is reported when the base is SP, x29 or
// x30, whatever is transferred (stp d8, d9, [sp, #-16]! moves SP). A
// transfer is reported when it is a whole 64-bit general register to or
// from SP or x29 plus a known offset; a load into x29 or x30 from any
// other base plus an offset is reported as such, and any other load into
// them as a value the checker cannot follow. The slots of a pair are 8
// bytes apart: only x registers are reported.
func (a *access) ops(in *arch.Insn) {
	off := a.imm
	switch {
	case a.mode == preMode && tracked(a.base):
		in.AddOp(addOp(a.base, a.imm, a.base))
		off = 0
	case a.mode == postMode:
		off = 0
	}
	a.transfer(in, a.rt, a.ct, off)
	if a.pair {
		a.transfer(in, a.rt2, a.ct2, off+8)
	}
	if a.mode == postMode && tracked(a.base) {
		in.AddOp(addOp(a.base, a.imm, a.base))
	}
}

// transfer appends the stack operation of moving register r of class c
// to or from base+off.
func (a *access) transfer(in *arch.Insn, r arch.Reg, c regClass, off int64) {
	if c != wReg && c != xReg {
		return
	}
	exact := c == xReg && a.mode != unknownMode
	switch {
	case !a.load:
		if exact && frameBase(a.base) {
			in.AddOp(storeOp(r, a.base, off))
		}
	case exact && (frameBase(a.base) || tracked(r)):
		in.AddOp(loadOp(a.base, off, r))
	case tracked(r):
		in.AddOp(constOp(0, r))
	}
}

// ldstFlags say what a load or store op of arm64asm is.
type ldstFlags uint8

const (
	load     ldstFlags = 1 << iota // a load (else a store)
	pair                           // two registers (ldp, stp, ldnp, stnp, ldpsw)
	signExt                        // sign-extends into the x register: not a whole one
	unscaled                       // the offset form is ldur's or ldtr's (imm9), not ldr's (uimm12)
)

// decodeLoadStore reads the load or store ops with flags f. The transfer
// registers and the base come from arm64asm's operands, the offset from
// the encoding (memImm).
func decodeLoadStore(inst *arm64asm.Inst, f ldstFlags, in *arch.Insn) {
	a := access{load: f&load != 0, pair: f&pair != 0}
	a.rt, a.ct = gpr(inst.Args[0])
	mem := inst.Args[1]
	if a.pair {
		a.rt2, a.ct2 = gpr(inst.Args[1])
		mem = inst.Args[2]
	}
	if f&signExt != 0 {
		a.ct, a.ct2 = partial(a.ct), partial(a.ct2)
	}
	switch m := mem.(type) {
	case arm64asm.MemImmediate:
		a.base, _ = gpr(m.Base)
		switch m.Mode {
		case arm64asm.AddrPreIndex:
			a.mode = preMode
		case arm64asm.AddrPostIndex:
			a.mode = postMode
		}
		a.imm = memImm(inst.Enc, f, a.mode)
	case arm64asm.MemExtend:
		a.base, _ = gpr(m.Base)
		a.mode = unknownMode
	default: // a PC-relative literal: no base
		if a.load {
			clobberArg(in, inst.Args[0])
		}
		return
	}
	a.ops(in)
}

// memImm returns the offset or write-back amount of a load or store op
// with flags f in address mode mode, which arm64asm keeps unexported: an
// unsigned scaled 12-bit offset (ldr, str), a signed unscaled 9-bit one
// (ldur, ldtr, and every pre- and post-index single-register form), or a
// signed 7-bit one scaled by the register size (pairs).
func memImm(w uint32, f ldstFlags, mode addrMode) int64 {
	switch {
	case f&pair != 0:
		return pairImm7(w)
	case f&unscaled != 0 || mode != offsetMode:
		return ldstImm9(w)
	}
	return ldstUimm12(w)
}

// partial returns the class of a register that a sign-extending load
// writes: an x register, but not a whole one from memory.
func partial(c regClass) regClass {
	if c == xReg {
		return wReg
	}
	return c
}

// decodeStruct reads the SIMD structure loads and stores, whose only stack
// effect is the write-back of a post-indexed base: by Rm, or by the
// number of bytes transferred. arm64asm keeps both in an unexported field.
func decodeStruct(inst *arm64asm.Inst, in *arch.Insn) {
	for _, arg := range inst.Args {
		m, ok := arg.(arm64asm.MemImmediate)
		if !ok {
			continue
		}
		base, _ := gpr(m.Base)
		if !tracked(base) {
			return
		}
		switch m.Mode {
		case arm64asm.AddrPostReg:
			in.AddOp(indexOp(base, arch.Reg(rm(inst.Enc)), base))
		case arm64asm.AddrPostIndex:
			in.AddOp(addOp(base, structBytes(inst.Enc), base))
		}
		return
	}
}

// ldstForms are the fallback forms of the loads and stores (encoding
// groups x1x0).
var ldstForms = []form{
	// stgp (FEAT_MTE) stores two x registers and a tag.
	{name: "stgp", mask: 0xfe400000, value: 0x68000000, valid: stgpValid, decode: decodeStgp},
	// ldlar, stllr (FEAT_LOR).
	{name: "ldlar", mask: 0x3fa08000, value: 0x08800000, decode: decodeLdlar},
	// cas, casp (FEAT_LSE) write the old memory value to Rs (and Rs+1).
	{name: "cas", mask: 0x3fa07c00, value: 0x08a07c00, decode: decodeCas},
	{name: "casp", mask: 0xbfa07c00, value: 0x08207c00, valid: caspValid, decode: decodeCas},
	// ldadd, ldclr, ldeor, ldset, ld[su]max, ld[su]min, swp (FEAT_LSE) and
	// ldapr (FEAT_LRCPC) write Rt; with Rt 31 they are the st* aliases.
	{name: "ldadd", mask: 0x3f200c00, value: 0x38200000, valid: atomicValid, decode: writesRd},
	// ld64b, st64b, st64bv, st64bv0 (FEAT_LS64): ld64b writes Rt..Rt+7,
	// the st64bv forms write their status to Rs.
	{name: "ld64b", mask: 0xfffffc00, value: 0xf83fd000, decode: decodeLd64b},
	{name: "st64b", mask: 0xfffffc00, value: 0xf83f9000, decode: other},
	{name: "st64bv", mask: 0xffe0ec00, value: 0xf820a000, decode: decodeSt64bv},
	// cpy*, set* (FEAT_MOPS) advance their address and size registers.
	{name: "cpy", mask: 0xfb200c00, value: 0x19000400, valid: mopsValid, decode: decodeMops},
	// ldapur, stlur (FEAT_LRCPC2).
	{name: "ldapur", mask: 0x3f200c00, value: 0x19000000, valid: rcpcValid, decode: decodeRcpc},
	// ldraa, ldrab (FEAT_PAuth).
	{name: "ldraa", mask: 0xff200400, value: 0xf8200400, decode: decodeLdraa},
	// stg, stzg, st2g, stz2g, ldg, stgm, stzgm, ldgm (FEAT_MTE).
	{name: "stg", mask: 0xff200000, value: 0xd9200000, valid: stgValid, decode: decodeStg},
}

// fieldReg returns the register and class of register field f of a
// fallback form that transfers registers of class c: 31 is the zero
// register.
func fieldReg(f uint32, c regClass) (arch.Reg, regClass) {
	if f == zr {
		return zr, zeroReg
	}
	return arch.Reg(f), c
}

// stgpValid rejects the no-allocate form.
func stgpValid(w uint32) bool { return field(w, 23, 2) != 0 }

// modes maps bits 24:23 of a pair, and bits 11:10 of the 9-bit offset
// forms and of the tag stores, to address modes.
var modes = [4]addrMode{offsetMode, postMode, offsetMode, preMode}

// decodeStgp decodes stgp, which stores two x registers and their tag at
// a signed 7-bit offset scaled by 16, as stp does.
func decodeStgp(w uint32, _ uint64, in *arch.Insn) {
	a := access{pair: true, mode: modes[field(w, 23, 2)], base: arch.Reg(rn(w)), imm: sfield(w, 15, 7) << 4}
	a.rt, a.ct = fieldReg(rd(w), xReg)
	a.rt2, a.ct2 = fieldReg(rt2(w), xReg)
	a.ops(in)
}

// decodeLdlar decodes ldlar, which writes Rt, and stllr.
func decodeLdlar(w uint32, _ uint64, in *arch.Insn) {
	if bit(w, 22) {
		clobberField(in, rd(w), false)
	}
}

// writesRd is the decode function of the forms whose only effect is to
// write Rd (bits 4:0), where 31 is the zero register.
func writesRd(w uint32, _ uint64, in *arch.Insn) { clobberField(in, rd(w), false) }

// decodeCas decodes cas and casp, which write Rs (casp: Rs and Rs+1).
func decodeCas(w uint32, _ uint64, in *arch.Insn) {
	s := rm(w)
	clobberField(in, s, false)
	if !bit(w, 23) && s < zr {
		clobberField(in, s+1, false)
	}
}

// caspValid accepts even register pairs only.
func caspValid(w uint32) bool { return rm(w)&1 == 0 && rd(w)&1 == 0 }

// atomicValid accepts the LSE memory operations (o3 0), swp (o3 1, opc
// 000) and ldapr (o3 1, opc 100, acquire, Rs 11111).
func atomicValid(w uint32) bool {
	o3, opc := bit(w, 15), field(w, 12, 3)
	return !o3 || opc == 0 || opc == 4 && bit(w, 23) && !bit(w, 22) && rm(w) == zr
}

// decodeLd64b decodes ld64b, which loads eight registers from Rt.
func decodeLd64b(w uint32, _ uint64, in *arch.Insn) {
	for r := rd(w); r < rd(w)+8 && r < zr; r++ {
		clobberField(in, r, false)
	}
}

// decodeSt64bv decodes st64bv and st64bv0, which write a status to Rs.
func decodeSt64bv(w uint32, _ uint64, in *arch.Insn) { clobberField(in, rm(w), false) }

// mopsValid accepts distinct registers other than 31, except that set*
// may take its value from the zero register, and rejects set* with op2
// 11xx.
func mopsValid(w uint32) bool {
	d, n, s := rd(w), rn(w), rm(w)
	if d == zr || n == zr || d == n || d == s || n == s {
		return false
	}
	if field(w, 22, 2) == 3 {
		return field(w, 12, 4) < 12
	}
	return s != zr
}

// decodeMops decodes the memory copy and set instructions: cpy* update
// the destination (Rd), source (Rs) and size (Rn) registers, set* the
// destination and size registers (Rs holds the value).
func decodeMops(w uint32, _ uint64, in *arch.Insn) {
	clobberField(in, rd(w), false)
	clobberField(in, rn(w), false)
	if field(w, 22, 2) != 3 {
		clobberField(in, rm(w), false)
	}
}

// rcpcValid accepts stlur, ldapur (opc 00, 01) and the sign-extending
// ldapurs* (opc 10 to x registers, 11 to w registers).
func rcpcValid(w uint32) bool {
	size, opc := field(w, 30, 2), field(w, 22, 2)
	return opc < 2 || opc == 2 && size < 3 || opc == 3 && size < 2
}

// decodeRcpc decodes stlur and ldapur* (signed 9-bit byte offset).
func decodeRcpc(w uint32, _ uint64, in *arch.Insn) {
	size, opc := field(w, 30, 2), field(w, 22, 2)
	c := wReg
	if size == 3 && opc < 2 {
		c = xReg
	}
	a := access{load: opc != 0, base: arch.Reg(rn(w)), imm: ldstImm9(w)}
	a.rt, a.ct = fieldReg(rd(w), c)
	a.ops(in)
}

// decodeLdraa decodes ldraa and ldrab: a 64-bit load from an
// authenticated base plus a signed 10-bit offset scaled by 8, with
// pre-index write-back when bit 11 is set.
func decodeLdraa(w uint32, _ uint64, in *arch.Insn) {
	a := access{load: true, base: arch.Reg(rn(w))}
	a.rt, a.ct = fieldReg(rd(w), xReg)
	a.imm = sfield(field(w, 22, 1)<<9|field(w, 12, 9), 0, 10) * 8
	if bit(w, 11) {
		a.mode = preMode
	}
	a.ops(in)
}

// stgValid rejects stzgm, stgm and ldgm (bits 11:10 00, opc not 01) with
// a non-zero offset.
func stgValid(w uint32) bool {
	return field(w, 10, 2) != 0 || field(w, 22, 2) == 1 || field(w, 12, 9) == 0
}

// decodeStg decodes the MTE tag loads and stores: ldg and ldgm write Rt,
// and stg, stzg, st2g, stz2g may write back a base offset by a signed
// 9-bit immediate scaled by 16.
func decodeStg(w uint32, _ uint64, in *arch.Insn) {
	op2 := field(w, 10, 2)
	if op2 == 0 {
		if bit(w, 22) { // ldg, ldgm
			clobberField(in, rd(w), false)
		}
		return
	}
	a := access{mode: modes[op2], base: arch.Reg(rn(w)), imm: sfield(w, 12, 9) << 4}
	a.ops(in)
}
