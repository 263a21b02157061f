package arm64

import (
	"math/bits"

	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/arm64/arm64asm"
)

// field returns the n-bit field of w that starts at bit lo.
func field(w uint32, lo, n uint) uint32 { return w >> lo & (1<<n - 1) }

// sfield returns the n-bit field of w that starts at bit lo, sign-extended.
func sfield(w uint32, lo, n uint) int64 {
	return int64(int32(w<<(32-lo-n)) >> (32 - n))
}

// bit reports whether bit i of w is set.
func bit(w uint32, i uint) bool { return w>>i&1 != 0 }

// The register fields of the encodings, for the operands arm64asm keeps in
// unexported fields (the Rm of a shifted or extended register, the Rm of a
// post-indexed structure load) and for the fallback forms.
func rd(w uint32) uint32  { return field(w, 0, 5) } // Rd, Rt
func rn(w uint32) uint32  { return field(w, 5, 5) } // Rn
func rt2(w uint32) uint32 { return field(w, 10, 5) }
func rm(w uint32) uint32  { return field(w, 16, 5) } // Rm, Rs

// zr is the register field value that means SP or the zero register.
const zr = 31

// tracked reports whether r is a register whose every change is reported:
// SP, x29 or x30.
func tracked(r arch.Reg) bool { return r >= FP }

// frameBase reports whether memory at r+offset is a stack slot the checker
// follows: r is SP or x29.
func frameBase(r arch.Reg) bool { return r == SP || r == FP }

// A regClass says what an arm64asm operand is as a general register.
type regClass uint8

const (
	notGPR  regClass = iota // not a general register (SIMD, FP, immediate, memory, nil)
	zeroReg                 // wzr or xzr: reads as 0, writes nothing
	wReg                    // w0..w30 or wsp: a 32-bit general register
	xReg                    // x0..x30 or sp: a whole 64-bit general register
)

// gpr returns the register number (31 for SP and WSP) and class of an
// arm64asm operand. arm64asm's operand type says what field value 31
// means: a Reg is the zero register, a RegSP is the stack pointer.
func gpr(a arm64asm.Arg) (arch.Reg, regClass) {
	switch a := a.(type) {
	case arm64asm.Reg:
		switch {
		case a >= arm64asm.W0 && a <= arm64asm.W30:
			return arch.Reg(a - arm64asm.W0), wReg
		case a >= arm64asm.X0 && a <= arm64asm.X30:
			return arch.Reg(a - arm64asm.X0), xReg
		case a == arm64asm.WZR || a == arm64asm.XZR:
			return zr, zeroReg
		}
	case arm64asm.RegSP:
		switch r := arm64asm.Reg(a); {
		case r >= arm64asm.W0 && r <= arm64asm.WSP:
			return arch.Reg(r - arm64asm.W0), wReg
		case r >= arm64asm.X0 && r <= arm64asm.SP:
			return arch.Reg(r - arm64asm.X0), xReg
		}
	}
	return 0, notGPR
}

// The immediates that arm64asm keeps in unexported fields, read from the
// encoding.

// addSubImm returns the immediate of add and sub (immediate): imm12 (21:10),
// shifted left by 12 when sh (22) is set.
func addSubImm(w uint32) int64 { return int64(field(w, 10, 12)) << (12 * field(w, 22, 1)) }

// shiftAmount returns bits 15:10: the amount of a shifted register operand;
// the low 3 bits (12:10) are the left shift of an extended one.
func shiftAmount(w uint32) uint32 { return field(w, 10, 6) }

// extendOption returns the extension (15:13) of an extended register
// operand: 3 (uxtx, lsl) and 7 (sxtx) take the whole x register.
func extendOption(w uint32) uint32 { return field(w, 13, 3) }

// wideImm returns the value movz (opc 10) or movn (opc 00) writes: imm16
// (20:5) shifted left by 16 times hw (22:21), inverted by movn, and cut to
// 32 bits in the 32-bit forms (sf, 31, clear).
func wideImm(w uint32) uint64 {
	v := uint64(field(w, 5, 16)) << (16 * field(w, 21, 2))
	if field(w, 29, 2) == 0 {
		v = ^v
	}
	if !bit(w, 31) {
		v = uint64(uint32(v))
	}
	return v
}

// ldstImm9 returns the signed, unscaled 9-bit offset (20:12) of the
// unscaled (ldur), unprivileged (ldtr), pre- and post-index forms.
func ldstImm9(w uint32) int64 { return sfield(w, 12, 9) }

// ldstUimm12 returns the unsigned 12-bit offset (21:10) of the unsigned
// offset form, scaled by the access size: size (31:30), times 16 for a q
// register (V, 26, set and opc<1>, 23, set).
func ldstUimm12(w uint32) int64 {
	scale := field(w, 30, 2)
	if bit(w, 26) && bit(w, 23) {
		scale |= 4
	}
	return int64(field(w, 10, 12)) << scale
}

// pairImm7 returns the signed 7-bit offset (21:15) of a load or store pair,
// scaled by the register size that opc (31:30) and V (26) give: w, s and
// ldpsw 4, x and d 8, q 16.
func pairImm7(w uint32) int64 {
	opc := uint(field(w, 30, 2))
	scale := uint(2)
	switch {
	case bit(w, 26):
		scale += opc
	case opc == 2:
		scale = 3
	}
	return sfield(w, 15, 7) << scale
}

// multiRegs gives the number of registers of the multiple-structure loads
// and stores by opcode (bits 15:12): ld4/st4, ld1/st1 of 4, ld3/st3, ld1
// of 3, ld1 of 1, ld2/st2, ld1 of 2.
var multiRegs = [16]int64{0: 4, 2: 4, 4: 3, 6: 3, 7: 1, 8: 2, 10: 2}

// structBytes returns the number of bytes a SIMD structure load or store
// transfers, the amount of its immediate post-index.
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

// bitmask decodes the logical immediate (n, immr, imms) for a register of
// width bits (32 or 64), the ARM ARM's DecodeBitMasks. It reports false for
// a reserved encoding.
func bitmask(n, immr, imms uint32, width uint) (uint64, bool) {
	l := bits.Len32(n<<6|^imms&0x3f) - 1
	if l < 1 {
		return 0, false
	}
	size := uint(1) << l
	if size > width {
		return 0, false
	}
	levels := uint32(size - 1)
	s, r := imms&levels, immr&levels
	if s == levels {
		return 0, false
	}
	elem := uint64(1)<<(s+1) - 1
	if r != 0 {
		elem = (elem>>r | elem<<(size-uint(r))) & (1<<size - 1)
	}
	for ; size < width; size *= 2 {
		elem |= elem << size
	}
	return elem, true
}

// logImm returns the value of the logical immediate of w (N 22, immr
// 21:16, imms 15:10, sf 31), and false when it is reserved.
func logImm(w uint32) (uint64, bool) {
	width := uint(32)
	if bit(w, 31) {
		width = 64
	}
	return bitmask(field(w, 22, 1), field(w, 16, 6), field(w, 10, 6), width)
}

// The stack operations, named after what they describe.

// copyOp is dst = src.
func copyOp(src, dst arch.Reg) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcReg, Reg: src}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

// addOp is dst = src + off.
func addOp(src arch.Reg, off int64, dst arch.Reg) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcAdd, Reg: src, Off: int32(off)}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

// indexOp is dst = src ± index, a register amount the checker cannot know.
func indexOp(src, index, dst arch.Reg) arch.StackOp {
	return arch.StackOp{
		Src: arch.Src{Type: arch.SrcAdd, Reg: src, Index: index, HasIndex: true},
		Dst: arch.Dst{Type: arch.DstReg, Reg: dst},
	}
}

// andOp is dst = src & mask.
func andOp(src arch.Reg, mask uint64, dst arch.Reg) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcAnd, Reg: src, Off: int32(mask)}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

// constOp is dst = val, a value not derived from the stack. val is the
// constant when the instruction makes it known and 0 otherwise.
func constOp(val int64, dst arch.Reg) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcConst, Off: int32(val)}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

// loadOp is dst = memory at base+off.
func loadOp(base arch.Reg, off int64, dst arch.Reg) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcRegIndirect, Reg: base, Off: int32(off)}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

// storeOp is memory at base+off = src.
func storeOp(src, base arch.Reg, off int64) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcReg, Reg: src}, Dst: arch.Dst{Type: arch.DstRegIndirect, Reg: base, Off: int32(off)}}
}

// clobber records that the instruction writes general register r with a
// value the checker cannot follow. Only SP, x29 and x30 are reported.
func clobber(in *arch.Insn, r arch.Reg) {
	if tracked(r) {
		in.AddOp(constOp(0, r))
	}
}

// clobberField is clobber for register field f of a fallback form's
// encoding, where 31 names SP when sp31 is set and the zero register (no
// write) otherwise.
func clobberField(in *arch.Insn, f uint32, sp31 bool) {
	if f != zr || sp31 {
		clobber(in, arch.Reg(f))
	}
}

// clobberArg is clobber for an arm64asm operand: a general register, other
// than the zero register, that the instruction writes.
func clobberArg(in *arch.Insn, a arm64asm.Arg) {
	if r, c := gpr(a); c == wReg || c == xReg {
		clobber(in, r)
	}
}
