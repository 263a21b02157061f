package arm64

import (
	"math/bits"

	"github.com/objcheck/objcheck/arch"
)

// field returns the n-bit field of w that starts at bit lo.
func field(w uint32, lo, n uint) uint32 { return w >> lo & (1<<n - 1) }

// sfield returns the n-bit field of w that starts at bit lo, sign-extended.
func sfield(w uint32, lo, n uint) int64 {
	return int64(int32(w<<(32-lo-n)) >> (32 - n))
}

// bit reports whether bit i of w is set.
func bit(w uint32, i uint) bool { return w>>i&1 != 0 }

// The register fields shared by most encodings.
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

// The stack operations, named after what they describe.

// copyOp is dst = src.
func copyOp(src, dst arch.Reg) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcReg, Reg: src}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

// addOp is dst = src + off.
func addOp(src arch.Reg, off int64, dst arch.Reg) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcAdd, Reg: src, Off: off}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
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
	return arch.StackOp{Src: arch.Src{Type: arch.SrcAnd, Reg: src, Off: int64(mask)}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

// constOp is dst = val, a value not derived from the stack. val is the
// constant when the instruction makes it known and 0 otherwise.
func constOp(val int64, dst arch.Reg) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcConst, Off: val}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

// loadOp is dst = memory at base+off.
func loadOp(base arch.Reg, off int64, dst arch.Reg) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcRegIndirect, Reg: base, Off: off}, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

// storeOp is memory at base+off = src.
func storeOp(src, base arch.Reg, off int64) arch.StackOp {
	return arch.StackOp{Src: arch.Src{Type: arch.SrcReg, Reg: src}, Dst: arch.Dst{Type: arch.DstRegIndirect, Reg: base, Off: off}}
}

// clobber records that the instruction writes general register field f
// with a value the checker cannot follow. Field value 31 names SP when sp31
// is set and the zero register (no write) otherwise. Only SP, x29 and x30
// are reported.
func clobber(in *arch.Insn, f uint32, sp31 bool) {
	if f == zr && !sp31 {
		return
	}
	if r := arch.Reg(f); tracked(r) {
		in.AddOp(constOp(0, r))
	}
}
