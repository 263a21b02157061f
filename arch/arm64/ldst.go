package arm64

import "github.com/objcheck/objcheck/arch"

// ldstForms are the loads and stores (encoding groups x1x0).
var ldstForms = []form{
	{name: "ldr-imm9", mask: 0x3b200000, value: 0x38000000, valid: imm9Valid, decode: decodeImm9},
	{name: "ldr-uimm", mask: 0x3b000000, value: 0x39000000, valid: uimmValid, decode: decodeUimm},
	{name: "ldr-reg", mask: 0x3b200c00, value: 0x38200800, valid: regOffValid, decode: decodeRegOff},
	{name: "ldp", mask: 0x3a000000, value: 0x28000000, valid: pairValid, decode: decodePair},
	// stgp (FEAT_MTE) stores two x registers and a tag.
	{name: "stgp", mask: 0xfe400000, value: 0x68000000, valid: stgpValid, ext: true, decode: decodePair},
	{name: "ldr-lit", mask: 0x3b000000, value: 0x18000000, valid: litValid, decode: decodeLit},
	{name: "ldxr", mask: 0x3fa00000, value: 0x08000000, decode: decodeExcl},
	{name: "ldxp", mask: 0xbfa00000, value: 0x88200000, decode: decodeExclPair},
	{name: "ldar", mask: 0x3fa08000, value: 0x08808000, decode: decodeExcl},
	// ldlar, stllr (FEAT_LOR).
	{name: "ldlar", mask: 0x3fa08000, value: 0x08800000, ext: true, decode: decodeExcl},
	// cas, casp (FEAT_LSE) write the old memory value to Rs (and Rs+1).
	{name: "cas", mask: 0x3fa07c00, value: 0x08a07c00, ext: true, decode: decodeCas},
	{name: "casp", mask: 0xbfa07c00, value: 0x08207c00, valid: caspValid, ext: true, decode: decodeCas},
	// ldadd, ldclr, ldeor, ldset, ld[su]max, ld[su]min, swp (FEAT_LSE) and
	// ldapr (FEAT_LRCPC) write Rt; with Rt 31 they are the st* aliases.
	{name: "ldadd", mask: 0x3f200c00, value: 0x38200000, valid: atomicValid, ext: true, decode: writesRd},
	// ld64b, st64b, st64bv, st64bv0 (FEAT_LS64): ld64b writes Rt..Rt+7,
	// the st64bv forms write their status to Rs.
	{name: "ld64b", mask: 0xfffffc00, value: 0xf83fd000, ext: true, decode: decodeLd64b},
	{name: "st64b", mask: 0xfffffc00, value: 0xf83f9000, ext: true, decode: other},
	{name: "st64bv", mask: 0xffe0ec00, value: 0xf820a000, ext: true, decode: decodeSt64bv},
	// cpy*, set* (FEAT_MOPS) advance their address and size registers.
	{name: "cpy", mask: 0xfb200c00, value: 0x19000400, valid: mopsValid, ext: true, decode: decodeMops},
	// ldapur, stlur (FEAT_LRCPC2).
	{name: "ldapur", mask: 0x3f200c00, value: 0x19000000, valid: rcpcValid, ext: true, decode: decodeRcpc},
	// ldraa, ldrab (FEAT_PAuth).
	{name: "ldraa", mask: 0xff200400, value: 0xf8200400, ext: true, decode: decodeLdraa},
	// stg, stzg, st2g, stz2g, ldg, stgm, stzgm, ldgm (FEAT_MTE).
	{name: "stg", mask: 0xff200000, value: 0xd9200000, valid: stgValid, ext: true, decode: decodeStg},
	// SIMD structure loads and stores; arm64asm tells which of their many
	// field combinations are allocated.
	{name: "ld1", mask: 0xbf800000, value: 0x0c000000, oracle: true, decode: other},
	{name: "ld1r", mask: 0xbf800000, value: 0x0d000000, oracle: true, decode: other},
	{name: "ld1-post", mask: 0xbfa00000, value: 0x0c800000, oracle: true, decode: decodeStructPost},
	{name: "ld1r-post", mask: 0xbf800000, value: 0x0d800000, oracle: true, decode: decodeStructPost},
}

// An addrMode says how a load or store forms its address.
type addrMode uint8

const (
	offsetMode  addrMode = iota // base + imm
	preMode                     // base += imm, then base
	postMode                    // base, then base += imm
	unknownMode                 // register offset or literal: no base + imm
)

// A regKind says what a load or store transfers, for its stack operations.
type regKind uint8

const (
	noReg regKind = iota // SIMD and FP registers, prefetch, tags: no general register
	xReg                 // a 64-bit general register, whole
	wReg                 // part of a general register (32-bit, byte, halfword, sign-extended)
)

// An access is a load or store reduced to what its stack operations need.
type access struct {
	load    bool
	pair    bool
	kind    regKind
	mode    addrMode
	rt, rt2 uint32   // register fields; 31 is the zero register
	base    arch.Reg // Rn; 31 is SP
	imm     int64    // offset or writeback amount, in bytes
	size    int64    // bytes per register: Rt2's slot is size above Rt's
}

// ops appends the access's stack operations: the write-back of a
// pre-indexed base first, then the transfers, then the write-back of a
// post-indexed base. A write-back is reported when the base is SP, x29 or
// x30, whatever is transferred (stp d8, d9, [sp, #-16]! moves SP). A
// transfer is reported when it is a whole 64-bit general register to or
// from SP or x29 plus a known offset; a load into x29 or x30 from any
// other base plus an offset is reported as such, and any other load into
// them as a value the checker cannot follow.
func (a *access) ops(in *arch.Insn) {
	off := a.imm
	switch {
	case a.mode == preMode && tracked(a.base):
		in.AddOp(addOp(a.base, a.imm, a.base))
		off = 0
	case a.mode == postMode:
		off = 0
	}
	a.transfer(in, a.rt, off)
	if a.pair {
		a.transfer(in, a.rt2, off+a.size)
	}
	if a.mode == postMode && tracked(a.base) {
		in.AddOp(addOp(a.base, a.imm, a.base))
	}
}

// transfer appends the stack operation of moving register field f to or
// from base+off.
func (a *access) transfer(in *arch.Insn, f uint32, off int64) {
	if a.kind == noReg || f == zr {
		return
	}
	r := arch.Reg(f)
	exact := a.kind == xReg && a.mode != unknownMode
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

// regAccess returns the access of a single-register load or store from its
// size (31:30), V (26) and opc (23:22) fields, with the address mode and
// offset left for the caller; it also returns log2 of the size.
func regAccess(w uint32) (access, uint) {
	size, opc := field(w, 30, 2), field(w, 22, 2)
	a := access{rt: rd(w), base: arch.Reg(rn(w))}
	scale := uint(size)
	switch {
	case bit(w, 26):
		a.load = opc&1 != 0
		scale |= uint(opc>>1) << 2
	case size == 3 && opc == 2: // prfm
	default:
		a.load = opc != 0
		a.kind = wReg
		if size == 3 {
			a.kind = xReg
		}
	}
	a.size = 1 << scale
	return a, scale
}

// regValid rejects the unallocated size and opc combinations of single-
// register loads and stores; prfm says whether size 11 with opc 10 is a
// prefetch in this addressing mode (it is unallocated in the others).
func regValid(w uint32, prfm bool) bool {
	size, opc := field(w, 30, 2), field(w, 22, 2)
	switch {
	case bit(w, 26):
		return opc < 2 || size == 0
	case opc == 3:
		return size < 2
	case size == 3 && opc == 2:
		return prfm
	}
	return true
}

// imm9Valid accepts ldur/stur/prfum (bits 11:10 = 00), post-index (01),
// ldtr/sttr (10, general registers only) and pre-index (11).
func imm9Valid(w uint32) bool {
	idx := field(w, 10, 2)
	return regValid(w, idx == 0) && (idx != 2 || !bit(w, 26))
}

// imm9Modes maps bits 11:10 of the 9-bit offset forms to address modes.
var imm9Modes = [4]addrMode{offsetMode, postMode, offsetMode, preMode}

// decodeImm9 decodes ldur, stur, ldtr, sttr and the pre- and post-index
// ldr and str (signed 9-bit byte offset).
func decodeImm9(w uint32, _ uint64, in *arch.Insn) {
	a, _ := regAccess(w)
	a.mode = imm9Modes[field(w, 10, 2)]
	a.imm = sfield(w, 12, 9)
	a.ops(in)
}

// uimmValid accepts the unsigned offset forms, prfm among them.
func uimmValid(w uint32) bool { return regValid(w, true) }

// decodeUimm decodes ldr and str with an unsigned 12-bit offset scaled by
// the access size.
func decodeUimm(w uint32, _ uint64, in *arch.Insn) {
	a, scale := regAccess(w)
	a.imm = int64(field(w, 10, 12)) << scale
	a.ops(in)
}

// regOffValid accepts extension options uxtw, lsl (uxtx), sxtw, sxtx.
func regOffValid(w uint32) bool { return bit(w, 14) && regValid(w, true) }

// decodeRegOff decodes ldr and str with a register offset.
func decodeRegOff(w uint32, _ uint64, in *arch.Insn) {
	a, _ := regAccess(w)
	a.mode = unknownMode
	a.ops(in)
}

// pairValid accepts ldp, stp, ldnp, stnp of w, x, s, d, q registers, and
// ldpsw (opc 01 for general registers, a load, not in the no-allocate form).
func pairValid(w uint32) bool {
	opc := field(w, 30, 2)
	return opc != 3 && (bit(w, 26) || opc != 1 || bit(w, 22) && field(w, 23, 2) != 0)
}

// stgpValid rejects the no-allocate form.
func stgpValid(w uint32) bool { return field(w, 23, 2) != 0 }

// pairModes maps bits 24:23 of the pair forms to address modes: ldnp and
// stnp (00) address like the signed offset form (10).
var pairModes = [4]addrMode{offsetMode, postMode, offsetMode, preMode}

// decodePair decodes ldp, stp, ldnp, stnp, ldpsw and stgp (signed 7-bit
// offset scaled by the access size; 16 for stgp, which stores two x
// registers and their tag).
func decodePair(w uint32, _ uint64, in *arch.Insn) {
	opc := field(w, 30, 2)
	a := access{
		load: bit(w, 22), pair: true, mode: pairModes[field(w, 23, 2)],
		rt: rd(w), rt2: rt2(w), base: arch.Reg(rn(w)),
	}
	var scale uint // log2 of the offset's unit
	switch {
	case bit(w, 26): // s, d, q registers
		scale = 2 + uint(opc)
	case opc == 2:
		a.kind, scale = xReg, 3
	case opc == 1 && !a.load: // stgp
		a.kind, scale = xReg, 4
	default: // w registers, ldpsw
		a.kind, scale = wReg, 2
	}
	// Only x register transfers are reported, and their slots are 8 bytes
	// apart (for stgp too).
	a.size = 8
	a.imm = sfield(w, 15, 7) << scale
	a.ops(in)
}

// litValid rejects opc 11 for SIMD and FP registers.
func litValid(w uint32) bool { return !bit(w, 26) || field(w, 30, 2) != 3 }

// decodeLit decodes the PC-relative loads: a general register load (not
// prfm) into x29 or x30 cannot be followed.
func decodeLit(w uint32, _ uint64, in *arch.Insn) {
	if !bit(w, 26) && field(w, 30, 2) != 3 {
		clobber(in, rd(w), false)
	}
}

// decodeExcl decodes the single-register exclusive and ordered loads and
// stores: a load writes Rt, a store exclusive writes its status to Rs.
func decodeExcl(w uint32, _ uint64, in *arch.Insn) {
	switch {
	case bit(w, 22):
		clobber(in, rd(w), false)
	case !bit(w, 23): // stxr, stlxr
		clobber(in, rm(w), false)
	}
}

// decodeExclPair decodes ldxp, ldaxp (Rt, Rt2) and stxp, stlxp (Rs).
func decodeExclPair(w uint32, _ uint64, in *arch.Insn) {
	if bit(w, 22) {
		clobber(in, rd(w), false)
		clobber(in, rt2(w), false)
		return
	}
	clobber(in, rm(w), false)
}

// decodeCas decodes cas and casp, which write Rs (casp: Rs and Rs+1).
func decodeCas(w uint32, _ uint64, in *arch.Insn) {
	s := rm(w)
	clobber(in, s, false)
	if !bit(w, 23) && s < zr {
		clobber(in, s+1, false)
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
		clobber(in, r, false)
	}
}

// decodeSt64bv decodes st64bv and st64bv0, which write a status to Rs.
func decodeSt64bv(w uint32, _ uint64, in *arch.Insn) { clobber(in, rm(w), false) }

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
	clobber(in, rd(w), false)
	clobber(in, rn(w), false)
	if field(w, 22, 2) != 3 {
		clobber(in, rm(w), false)
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
	a := access{load: opc != 0, kind: wReg, rt: rd(w), base: arch.Reg(rn(w)), imm: sfield(w, 12, 9)}
	if size == 3 && opc < 2 {
		a.kind = xReg
	}
	a.ops(in)
}

// decodeLdraa decodes ldraa and ldrab: a 64-bit load from an
// authenticated base plus a signed 10-bit offset scaled by 8, with
// pre-index write-back when bit 11 is set.
func decodeLdraa(w uint32, _ uint64, in *arch.Insn) {
	a := access{load: true, kind: xReg, rt: rd(w), base: arch.Reg(rn(w))}
	a.imm = sfield(field(w, 22, 1)<<9|field(w, 12, 9), 0, 10) * 8
	if bit(w, 11) {
		a.mode = preMode
	}
	a.ops(in)
}

// stgModes maps bits 11:10 of the tag stores to address modes.
var stgModes = [4]addrMode{offsetMode, postMode, offsetMode, preMode}

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
			clobber(in, rd(w), false)
		}
		return
	}
	a := access{mode: stgModes[op2], base: arch.Reg(rn(w)), imm: sfield(w, 12, 9) << 4}
	a.ops(in)
}

// multiRegs gives the number of registers of the multiple-structure loads
// and stores by opcode (bits 15:12): ld4/st4, ld1/st1 of 4, ld3/st3, ld1
// of 3, ld1 of 1, ld2/st2, ld1 of 2.
var multiRegs = [16]int64{0: 4, 2: 4, 4: 3, 6: 3, 7: 1, 8: 2, 10: 2}

// decodeStructPost decodes the post-index SIMD structure loads and stores,
// whose only stack effect is the base write-back: by Rm, or, when Rm is
// 31, by the number of bytes transferred.
func decodeStructPost(w uint32, _ uint64, in *arch.Insn) {
	base := arch.Reg(rn(w))
	if !tracked(base) {
		return
	}
	if m := rm(w); m != zr {
		in.AddOp(indexOp(base, arch.Reg(m), base))
		return
	}
	in.AddOp(addOp(base, structBytes(w), base))
}

// structBytes returns the number of bytes a SIMD structure load or store
// transfers.
func structBytes(w uint32) int64 {
	if !bit(w, 24) { // multiple structures
		regBytes := int64(8)
		if bit(w, 30) {
			regBytes = 16
		}
		return multiRegs[field(w, 12, 4)] * regBytes
	}
	// Single structure: selem registers of one element each.
	selem := int64(field(w, 13, 1)<<1|field(w, 21, 1)) + 1
	size := field(w, 10, 2)
	var esize int64
	switch field(w, 14, 2) {
	case 0:
		esize = 1
	case 1:
		esize = 2
	case 2:
		esize = 4 << (size & 1)
	case 3: // ld1r .. ld4r
		esize = 1 << size
	}
	return selem * esize
}
