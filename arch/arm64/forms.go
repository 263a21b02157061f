package arm64

import "github.com/objcheck/objcheck/arch"

// A form is a family of encodings that arm64asm does not decode, which
// Decode reads from the word's bits: the words w with w&mask == value for
// which valid, if set, holds.
type form struct {
	name        string
	mask, value uint32
	// valid, if set, rejects the reserved encodings among the matches.
	valid func(w uint32) bool
	// decode fills in the kind, target and stack operations.
	decode func(w uint32, off uint64, in *arch.Insn)
}

// fallback holds the forms by the top-level encoding group, bits 28:25 of
// the word. Decode looks a word up here only when arm64asm rejects it; a
// word that no form matches then is not an instruction.
var fallback = [16][]form{
	0x0: smeForms,    // SME when bit 31 is set; reserved (udf) otherwise
	0x2: sveForms,    // SVE
	0x4: ldstForms,   // loads and stores
	0x5: dpRegForms,  // data processing, register
	0x6: ldstForms,   // loads and stores
	0x7: simdForms,   // SIMD and floating point data processing
	0x8: dpImmForms,  // data processing, immediate
	0x9: dpImmForms,  // data processing, immediate
	0xa: branchForms, // branches, exceptions, system
	0xb: branchForms, // branches, exceptions, system
	0xc: ldstForms,   // loads and stores
	0xd: dpRegForms,  // data processing, register
	0xe: ldstForms,   // loads and stores
	0xf: simdForms,   // SIMD and floating point data processing
}

// lookupFallback returns the fallback form that matches w, or nil.
func lookupFallback(w uint32) *form {
	fs := fallback[field(w, 25, 4)]
	for i := range fs {
		f := &fs[i]
		if w&f.mask == f.value && (f.valid == nil || f.valid(w)) {
			return f
		}
	}
	return nil
}

// other is the decode function of the forms that have no control-flow or
// stack effect.
func other(uint32, uint64, *arch.Insn) {}
