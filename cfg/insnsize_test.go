package cfg

import (
	"testing"
	"unsafe"

	"github.com/objcheck/objcheck/arch"
)

// TestInsnSize keeps an instruction at 20 bytes: vmlinux.o has 4.9
// million of them, and 289 thousand records of rare fields, kept at 32
// bytes, and a symbol at 88 (136 thousand). It also checks that the count of stack operations fits in its
// bits of Insn.meta, below the flag bits.
func TestInsnSize(t *testing.T) {
	if got := unsafe.Sizeof(Insn{}); got != 20 {
		t.Errorf("an Insn is %d bytes, want 20", got)
	}
	if got := unsafe.Sizeof(Symbol{}); got != 88 {
		t.Errorf("a Symbol is %d bytes, want 88", got)
	}
	if got := unsafe.Sizeof(insnBlock{}); got != 12 {
		t.Errorf("a block of the index is %d bytes, want 12", got)
	}
	if got := unsafe.Sizeof(insnRare{}); got != 32 {
		t.Errorf("a rare record is %d bytes, want 32", got)
	}
	if max := opsMask >> opsShift; arch.MaxOps+1 > max {
		t.Errorf("%d stack operations do not fit in Insn.meta's count (at most %d)", arch.MaxOps+1, max)
	}
	if opsMask&(hasTarget|jumpKnown|hasRare) != 0 || locMask&opsMask != 0 {
		t.Error("the parts of Insn.meta overlap")
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

// TestJumpDestKeepsTarget: an instruction's jump destination takes the
// place of its decoded destination, which Target still gives, from the
// destination's offset or from the rare fields where that differs, and
// gives back when the jump destination is taken away.
func TestJumpDestKeepsTarget(t *testing.T) {
	tests := []struct {
		name     string
		target   int64
		destOff  uint32
		wantRare bool
	}{
		{"the destination's offset", 0x40, 0x40, false},
		{"another offset (a relocated jump)", 0x10, 0x40, true},
		{"too far for the word", 1 << 40, 0x40, true},
		{"negative", -8, 0x40, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Program{Insns: make([]Insn, 2)}
			jump, dest := &p.Insns[0], &p.Insns[1]
			dest.Off = tt.destOff
			p.setTarget(jump, tt.target)
			p.setJumpDest(jump, dest)
			if got := p.JumpDest(jump); got != dest {
				t.Fatalf("JumpDest = %v, want the destination", got)
			}
			if got := p.Target(jump); got != tt.target {
				t.Errorf("Target = %#x, want %#x", got, tt.target)
			}
			if rare := p.rareOf(jump) != nil; rare != tt.wantRare {
				t.Errorf("rare fields %v, want %v", rare, tt.wantRare)
			}
			p.setJumpDest(jump, nil)
			if got := p.JumpDest(jump); got != nil {
				t.Errorf("JumpDest after none = %v", got)
			}
			if got := p.Target(jump); got != tt.target {
				t.Errorf("Target after none = %#x, want %#x", got, tt.target)
			}
			p.setJumpDest(jump, &Insn{}) // a copy, not the program's
			if got := p.JumpDest(jump); got != nil {
				t.Errorf("JumpDest to an instruction outside the program = %v", got)
			}
		})
	}
}
