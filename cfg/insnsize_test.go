package cfg

import (
	"testing"
	"unsafe"
)

// TestInsnSize keeps an instruction at 32 bytes: vmlinux.o has 4.9
// million of them, and IndexOf divides by the size, a shift only for a
// power of two.
func TestInsnSize(t *testing.T) {
	if got := unsafe.Sizeof(Insn{}); got != 32 {
		t.Errorf("an Insn is %d bytes, want 32", got)
	}
}

// TestIndexOf finds the index of instructions of Insns and of Extra, and
// none for an instruction outside the program.
func TestIndexOf(t *testing.T) {
	p := &Program{Insns: make([]Insn, 3)}
	nop := &Insn{Kind: 0}
	p.extraIndex = map[*Insn]int32{nop: 3}
	p.Extra = []*Insn{nop}
	copied := p.Insns[1]
	tests := []struct {
		name string
		in   *Insn
		want int32
	}{
		{"first", &p.Insns[0], 0},
		{"last", &p.Insns[2], 2},
		{"extra", nop, 3},
		{"copy", &copied, -1},
		{"past the end", &make([]Insn, 4)[3], -1},
	}
	for _, tt := range tests {
		if got := p.IndexOf(tt.in); got != tt.want {
			t.Errorf("%s: IndexOf = %d, want %d", tt.name, got, tt.want)
		}
	}
}
