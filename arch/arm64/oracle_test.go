package arm64

import (
	"encoding/binary"
	"math/rand/v2"
	"sort"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

// permissiveForms are the forms that take a whole encoding space as
// instructions without telling reserved encodings apart.
var permissiveForms = map[string]bool{"sve": true, "sme": true, "simd": true, "fcvtzs": true, "fcvtzs-fixed": true, "umov": true}

// allowedObjdumpMismatch reports whether objdump may call w undefined
// although form f accepts it. Each case is an encoding the ARM ARM calls
// CONSTRAINED UNPREDICTABLE, not UNDEFINED, that binutils rejects
// (arm64asm accepts them).
func allowedObjdumpMismatch(f *form, w uint32) bool {
	switch f.name {
	case "ldar", "ldlar":
		// Rs and Rt2 "should be one" (11111).
		return rm(w) != zr || rt2(w) != zr
	case "ldp":
		// ldpsw with Rt == Rt2, or writing back a base it loads.
		wb := field(w, 23, 2)&1 != 0
		t, t2, n := rd(w), rt2(w), rn(w)
		return field(w, 30, 2) == 1 && (t == t2 || wb && n != zr && (n == t || n == t2))
	}
	return false
}

// oracleWords returns the words TestFormsAgainstOracles tries, the same
// every run: n random words, and perForm random words inside each form's
// mask.
func oracleWords(n, perForm int) []uint32 {
	r := rand.New(rand.NewPCG(1, 2))
	ws := make([]uint32, 0, n)
	for range n {
		ws = append(ws, r.Uint32())
	}
	for _, fs := range groups {
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

// TestFormsAgainstOracles holds the forms to arm64asm and GNU objdump on
// random words. Where the two disagree (arm64asm knows only ARMv8.0 and
// accepts some reserved encodings, such as add with an extension shift
// above 4 and logical immediates of all ones), objdump decides:
//   - a word objdump decodes outside the SIMD groups has a form: no
//     general-register instruction escapes the stack rules, and no form's
//     validity test is too strict;
//   - a word a form accepts is an instruction to objdump (except in the
//     permissive SVE and SME catch-alls), and to arm64asm unless the form
//     is marked ext.
func TestFormsAgainstOracles(t *testing.T) {
	n, perForm := 1<<20, 1000
	if testing.Short() {
		n, perForm = 1<<16, 100
	}
	ws := oracleWords(n, perForm)
	gnu := objdumpWords(t, ws)
	bad := map[string][]uint32{}
	note := func(k string, w uint32) { bad[k] = append(bad[k], w) }
	var b [4]byte
	for _, w := range ws {
		binary.LittleEndian.PutUint32(b[:], w)
		_, err := arm64asm.Decode(b[:])
		f := lookup(w)
		switch {
		case f == nil && gnu[w] != "":
			note("no form for objdump's "+gnu[w], w)
		case f == nil || permissiveForms[f.name]:
		case f.oracle:
			if (err == nil) != (gnu[w] != "") {
				note("arm64asm and objdump disagree on a word of oracle form "+f.name, w)
			}
		case !f.ext && err != nil:
			note("form "+f.name+" is not marked ext but arm64asm rejects", w)
		case gnu[w] == "" && !allowedObjdumpMismatch(f, w):
			note("form "+f.name+" accepts words objdump calls undefined", w)
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
