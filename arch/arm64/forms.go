package arm64

import (
	"encoding/binary"

	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/arm64/arm64asm"
)

// A form is a family of encodings that Decode handles from the word's bits:
// the words w with w&mask == value for which valid, if set, holds.
type form struct {
	name        string
	mask, value uint32
	// valid, if set, rejects the reserved encodings among the matches.
	valid func(w uint32) bool
	// oracle leaves the validity of a match to arm64asm, for a family
	// whose reserved encodings are many (SIMD structure loads). arm64asm
	// allocates, so only rare words should reach it.
	oracle bool
	// ext marks encodings that arm64asm (ARMv8.0 only) does not decode.
	ext bool
	// decode fills in the kind, target and stack operations.
	decode func(w uint32, off uint64, in *arch.Insn)
}

// groups holds the forms by the top-level encoding group, bits 28:25 of
// the word. A word that no form matches is not an instruction.
var groups = [16][]form{
	0x0: smeForms,    // SME when bit 31 is set; reserved (udf) otherwise
	0x2: sveForms,    // SVE
	0x4: ldstForms,   // loads and stores
	0x5: dpRegForms,  // data processing, register
	0x6: ldstForms,   // loads and stores (SIMD pairs and structures)
	0x7: simdForms,   // SIMD and floating point data processing
	0x8: dpImmForms,  // data processing, immediate
	0x9: dpImmForms,  // data processing, immediate
	0xa: branchForms, // branches, exceptions, system
	0xb: branchForms, // branches (register), test and branch
	0xc: ldstForms,   // loads and stores
	0xd: dpRegForms,  // data processing, register
	0xe: ldstForms,   // loads and stores (SIMD registers)
	0xf: simdForms,   // SIMD and floating point data processing
}

// lookup returns the form that matches w, or nil.
func lookup(w uint32) *form {
	fs := groups[field(w, 25, 4)]
	for i := range fs {
		f := &fs[i]
		if w&f.mask == f.value && (f.valid == nil || f.valid(w)) {
			return f
		}
	}
	return nil
}

// decodeWord decodes w into in, which holds a zero Insn with Len set. It
// reports false, leaving in as it is, when w is not an instruction.
func decodeWord(w uint32, off uint64, in *arch.Insn) bool {
	f := lookup(w)
	if f == nil {
		return false
	}
	if f.oracle {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], w)
		if _, err := arm64asm.Decode(b[:]); err != nil {
			return false
		}
	}
	f.decode(w, off, in)
	return true
}

// other is the decode function of the forms that have no control-flow or
// stack effect.
func other(uint32, uint64, *arch.Insn) {}

// writesRd is the decode function of the forms whose only effect is to
// write Rd (bits 4:0), where 31 is the zero register.
func writesRd(w uint32, _ uint64, in *arch.Insn) { clobber(in, rd(w), false) }
