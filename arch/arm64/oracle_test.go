package arm64

import (
	"encoding/binary"
	"math/rand/v2"
	"sort"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

// permissiveForms are the fallback forms that take a whole encoding space
// as instructions without telling reserved encodings apart.
var permissiveForms = map[string]bool{"sve": true, "sme": true, "simd": true, "fcvtzs": true, "fcvtzs-fixed": true, "umov": true}

// allowedObjdumpMismatch reports whether objdump may call w undefined
// although Decode, through arm64asm's op or the fallback form by, takes
// it. Each case is an encoding the ARM ARM calls CONSTRAINED
// UNPREDICTABLE, not UNDEFINED, that binutils rejects (arm64asm accepts
// them).
func allowedObjdumpMismatch(by string, w uint32) bool {
	switch by {
	case "asm LDAR", "asm LDARB", "asm LDARH", "asm STLR", "asm STLRB", "asm STLRH", "fallback ldlar":
		// Rs and Rt2 "should be one" (11111).
		return rm(w) != zr || rt2(w) != zr
	case "asm LDPSW":
		// Rt == Rt2, or writing back a base it loads.
		wb := field(w, 23, 2)&1 != 0
		t, t2, n := rd(w), rt2(w), rn(w)
		return t == t2 || wb && n != zr && (n == t || n == t2)
	}
	return false
}

// oracleWords returns the words TestFormsAgainstOracles tries, the same
// every run: n random words, and perForm random words inside each fallback
// form's mask.
func oracleWords(n, perForm int) []uint32 {
	r := rand.New(rand.NewPCG(1, 2))
	ws := make([]uint32, 0, n)
	for range n {
		ws = append(ws, r.Uint32())
	}
	for _, fs := range fallback {
		for _, f := range fs {
			if permissiveForms[f.name] {
				continue
			}
			for range perForm {
				ws = append(ws, f.value|r.Uint32()&^f.mask)
			}
		}
	}
	return ws
}

// TestFormsAgainstOracles holds Decode to arm64asm and GNU objdump on
// random words. Where the two disagree (arm64asm knows only ARMv8.0 and
// accepts some reserved encodings, such as add with an extension shift
// above 4 and logical immediates of all ones), objdump decides:
//   - a word objdump decodes outside the SIMD groups is an instruction to
//     Decode: no general-register instruction escapes the stack rules;
//   - a word Decode takes is an instruction to objdump (except in the
//     permissive SVE, SME and SIMD catch-alls);
//   - every fallback form is reached by some word arm64asm rejects: none
//     is dead code.
func TestFormsAgainstOracles(t *testing.T) {
	n, perForm := 1<<20, 1000
	if testing.Short() {
		n, perForm = 1<<16, 100
	}
	ws := oracleWords(n, perForm)
	gnu := objdumpWords(t, ws)
	bad := map[string][]uint32{}
	note := func(k string, w uint32) { bad[k] = append(bad[k], w) }
	reached := map[string]bool{}
	var b [4]byte
	for _, w := range ws {
		binary.LittleEndian.PutUint32(b[:], w)
		_, err := arm64asm.Decode(b[:])
		by := decodedBy(w)
		reached[by] = true
		f := lookupFallback(w)
		permissive := err != nil && f != nil && permissiveForms[f.name]
		switch {
		case by == "" && gnu[w] != "":
			note("Decode rejects objdump's "+gnu[w], w)
		case by == "" || permissive:
		case gnu[w] == "" && !allowedObjdumpMismatch(by, w):
			note(by+" accepts words objdump calls undefined", w)
		}
	}
	for _, fs := range fallback {
		for _, f := range fs {
			if !reached["fallback "+f.name] && !permissiveForms[f.name] {
				t.Errorf("fallback form %s: no word reaches it", f.name)
			}
		}
	}
	var keys []string
	for k := range bad {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("%s: %d words, e.g. %#08x", k, len(bad[k]), bad[k][0])
	}
}
