package ppc64

import (
	"encoding/binary"
	"testing"

	"github.com/objcheck/objcheck/arch"
)

// zeroAllocs are instructions whose operands x/arch can box without
// allocating (immediates and displacements in 0..255), so that decoding
// them must not allocate at all.
var zeroAllocs = []string{
	"b .+0x40", "bl .+4", "beq .+8", "blr", "bctr", "twui r0,0 (BUG)", "nop",
	"mflr r0", "mtlr r0", "std r0,16(r1)", "ld r0,16(r1)", "mr r31,r1",
	"addi r1,r1,112", "tdnei r3,0", "nap",
}

// TestDecodeAllocs checks that Decode allocates nothing of its own. x/arch
// returns operands in an interface, which costs an allocation for an
// immediate or displacement outside 0..255 (Go boxes only small integers
// for free), so those may allocate once.
func TestDecodeAllocs(t *testing.T) {
	a := New(binary.LittleEndian)
	want := map[string]bool{}
	for _, s := range zeroAllocs {
		want[s] = true
	}
	for _, tt := range decodeTests {
		code := encode(binary.LittleEndian, tt.words)
		var in arch.Insn
		n := testing.AllocsPerRun(100, func() { _ = a.Decode(code, testOff, &in) })
		if n > 1 || want[tt.asm] && n != 0 {
			t.Errorf("Decode(%s) allocates %v times", tt.asm, n)
		}
		delete(want, tt.asm)
	}
	for s := range want {
		t.Errorf("zeroAllocs names %q, which is not in decodeTests", s)
	}
}

// BenchmarkDecode decodes the text of testdata/frames-le.o, a mix of
// prologues, epilogues, branches and stack switches.
func BenchmarkDecode(b *testing.B) {
	a, code := loadText(b, "testdata/frames-le.o", binary.LittleEndian)
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	var in arch.Insn
	for b.Loop() {
		for off := 0; off < len(code); off += int(in.Len) {
			_ = a.Decode(code[off:], uint64(off), &in)
		}
	}
}

// BenchmarkDecodeWord decodes one common instruction, std r0,16(r1).
func BenchmarkDecodeWord(b *testing.B) {
	a := New(binary.BigEndian)
	code := []byte{0xf8, 0x01, 0x00, 0x10}
	b.ReportAllocs()
	var in arch.Insn
	for b.Loop() {
		_ = a.Decode(code, 0x100, &in)
	}
}
