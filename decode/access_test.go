package decode

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestRelocLookup(t *testing.T) {
	s := &Section{Relocs: []Reloc{{Offset: 4, Type: 1}, {Offset: 8, Type: 2}, {Offset: 8, Type: 3}, {Offset: math.MaxUint64 - 1, Type: 4}}}
	tests := []struct {
		name        string
		off, length uint64
		at, inRange uint32 // Type of the reloc found, 0 for none
	}{
		{"before all", 0, 4, 0, 0},
		{"range reaching the first", 0, 5, 0, 1},
		{"exact", 4, 1, 1, 1},
		{"first of equal offsets", 8, 4, 2, 2},
		{"between", 5, 3, 0, 0},
		{"range past a gap", 5, 4, 0, 2},
		{"zero length", 8, 0, 2, 0},
		{"near the top", math.MaxUint64 - 2, math.MaxUint64, 0, 4},
		{"at the top", math.MaxUint64, 1, 0, 0},
	}
	typeOf := func(r *Reloc) uint32 {
		if r == nil {
			return 0
		}
		return r.Type
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := typeOf(s.RelocAt(tt.off)); got != tt.at {
				t.Errorf("RelocAt(%#x) found type %d, want %d", tt.off, got, tt.at)
			}
			if got := typeOf(s.RelocInRange(tt.off, tt.length)); got != tt.inRange {
				t.Errorf("RelocInRange(%#x, %#x) found type %d, want %d", tt.off, tt.length, got, tt.inRange)
			}
		})
	}
	if (&Section{}).RelocAt(0) != nil || (&Section{}).RelocInRange(0, 10) != nil {
		t.Error("found a relocation in a section without any")
	}
}

// TestRelocIndex checks that the block index of a code section's
// relocations finds what a search of all of them finds, at every offset:
// blocks with none, several at one offset, one at a block's last byte and
// at the next block's first, and offsets past the section.
func TestRelocIndex(t *testing.T) {
	offs := []uint64{0, 3, 63, 64, 64, 64, 65, 200, 255, 256, 640}
	relocs := make([]Reloc, len(offs))
	for i, off := range offs {
		relocs[i] = Reloc{Offset: off, Type: uint32(i + 1)}
	}
	plain := &Section{Relocs: relocs}
	indexed := &Section{Relocs: relocs, relocBlocks: indexRelocs(relocs, 641)}
	if len(indexed.relocBlocks) != 11 {
		t.Fatalf("%d blocks for 641 bytes, want 11", len(indexed.relocBlocks))
	}
	for off := uint64(0); off < 800; off++ {
		if got, want := indexed.firstRelocFrom(off), plain.firstRelocFrom(off); got != want {
			t.Errorf("firstRelocFrom(%d) = %d with the index, %d without", off, got, want)
		}
	}
	if indexRelocs(nil, 100) != nil {
		t.Error("an index for no relocations")
	}
}

func TestWordsAt(t *testing.T) {
	data := []byte{0x01, 0x02, 0x03, 0x04, 0xf5, 0xf6, 0xf7, 0xf8, 0x09}
	le := &Section{Data: data, order: binary.LittleEndian}
	be := &Section{Data: data, order: binary.BigEndian}
	tests := []struct {
		name string
		get  func() (uint64, bool)
		want uint64
		ok   bool
	}{
		{"le u32", func() (uint64, bool) { v, ok := le.Uint32At(1); return uint64(v), ok }, 0xf5040302, true},
		{"be u32", func() (uint64, bool) { v, ok := be.Uint32At(1); return uint64(v), ok }, 0x020304f5, true},
		{"le i32", func() (uint64, bool) { v, ok := le.Int32At(4); return uint64(int64(v)), ok }, signed(-0x0708090b), true},
		{"u32 at end", func() (uint64, bool) { v, ok := le.Uint32At(5); return uint64(v), ok }, 0x09f8f7f6, true},
		{"u32 past end", func() (uint64, bool) { v, ok := le.Uint32At(6); return uint64(v), ok }, 0, false},
		{"u32 huge offset", func() (uint64, bool) { v, ok := le.Uint32At(math.MaxUint64 - 1); return uint64(v), ok }, 0, false},
		{"be u64", func() (uint64, bool) { return be.Uint64At(1) }, 0x020304f5f6f7f809, true},
		{"u64 past end", func() (uint64, bool) { return le.Uint64At(2) }, 0, false},
		{"no data", func() (uint64, bool) { return (&Section{}).Uint64At(0) }, 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.get()
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: got %#x, %v; want %#x, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// signed returns v's bits, for comparing signed results as uint64.
func signed(v int64) uint64 { return uint64(v) }
