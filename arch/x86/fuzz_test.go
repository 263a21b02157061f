package x86

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/x86/x86asm"
)

// FuzzDecode checks that Decode never panics and that what it returns is
// consistent: a length within the bytes and 15, at most MaxOps ops, a
// target exactly for direct branches, and a result that depends only on
// the instruction's own bytes.
func FuzzDecode(f *testing.F) {
	for _, tt := range decodeTests {
		code, _ := hex.DecodeString(tt.hex)
		f.Add(code, uint64(testOff))
	}
	f.Fuzz(func(t *testing.T, code []byte, off uint64) {
		var in arch.Insn
		err := Decode(code, off, &in)
		if err != nil {
			if !errors.Is(err, arch.ErrTruncated) && !errors.Is(err, arch.ErrUnknown) {
				t.Fatalf("Decode(% x): error %v wraps neither ErrTruncated nor ErrUnknown", code, err)
			}
			if in.Len != 1 {
				t.Fatalf("Decode(% x): Len %d after an error", code, in.Len)
			}
			return
		}
		if in.Len < 1 || int(in.Len) > min(len(code), maxInsnLen) {
			t.Fatalf("Decode(% x): Len %d", code, in.Len)
		}
		if in.NOps > arch.MaxOps {
			t.Fatalf("Decode(% x): %d ops", code, in.NOps)
		}
		static := in.Kind == arch.JumpCond || in.Kind == arch.Jump || in.Kind == arch.Call
		if in.HasTarget != static {
			t.Fatalf("Decode(% x): kind %v with HasTarget %v", code, in.Kind, in.HasTarget)
		}
		var again arch.Insn
		if err := Decode(code[:in.Len], off, &again); err != nil {
			t.Fatalf("Decode(% x) fails on the instruction's own bytes: %v", code[:in.Len], err)
		}
		if diff := cmp.Diff(in, again); diff != "" {
			t.Fatalf("Decode(% x) depends on the bytes after it (-all +own):\n%s", code, diff)
		}
	})
}

// benchCode is a run of common kernel instructions.
var benchCode = mustHex("" +
	"f30f1efa" + "55" + "4889e5" + "4154" + "53" + "4883ec18" + // prologue
	"488b4708" + "4889442408" + "488d7c2410" + "e800000000" + // loads, call
	"85c0" + "7405" + "0f1f440000" + "4c8b642408" + "410fb6c4" + // test, je, nop
	"4883c418" + "5b" + "415c" + "5d" + "c3" + "cc" + // epilogue
	"ff2425000000002e" + "0f1f840000000000") // jump table, padding

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestDecodeAllocs checks that decoding allocates nothing beyond what
// x86asm.Decode itself does (it boxes memory operands, and immediates and
// offsets past 255, in interfaces).
func TestDecodeAllocs(t *testing.T) {
	var in arch.Insn
	var insns [][]byte
	for off := 0; off < len(benchCode); off += int(in.Len) {
		if err := Decode(benchCode[off:], uint64(off), &in); err != nil {
			t.Fatal(err)
		}
		insns = append(insns, benchCode[off:])
	}
	ours := testing.AllocsPerRun(100, func() {
		for off, code := range insns {
			Decode(code, uint64(off), &in)
		}
	})
	theirs := testing.AllocsPerRun(100, func() {
		for _, code := range insns {
			x86asm.Decode(code[:min(len(code), maxInsnLen)], 64)
		}
	})
	if ours > theirs {
		t.Errorf("decoding %d instructions allocates %v times, x86asm alone %v", len(insns), ours, theirs)
	}
	t.Logf("%d instructions: %v allocations, x86asm alone %v", len(insns), ours, theirs)
}

func BenchmarkDecode(b *testing.B) {
	var in arch.Insn
	b.SetBytes(int64(len(benchCode)))
	for b.Loop() {
		for off := 0; off < len(benchCode); off += int(in.Len) {
			if err := Decode(benchCode[off:], uint64(off), &in); err != nil {
				b.Fatal(err)
			}
		}
	}
}
