package cfg

import (
	"debug/elf"
	"testing"

	"github.com/objcheck/objcheck/decode"
)

// TestHole checks where a linked section's symbol holes are: outside
// every sized symbol, after one of them, running to the next one (or to
// the end), with overlapping and unsized symbols in the way.
func TestHole(t *testing.T) {
	sec := &Section{}
	for _, r := range [][2]uint64{{0, 10}, {20, 10}, {22, 3}, {40, 0}, {50, 30}, {55, 5}} {
		s := &Symbol{Symbol: &decode.Symbol{}, Sec: sec, Offset: r[0], Len: r[1]}
		sec.all = append(sec.all, s)
	}
	sec.order()
	for _, tt := range []struct {
		off  uint64
		size int64
		ok   bool
	}{
		{5, 0, false},   // in the first symbol
		{12, 8, true},   // between the first two
		{26, 0, false},  // in [20,30), past the [22,25) inside it
		{30, 20, true},  // after [20,30), the unsized one at 40 does not end it
		{45, 5, true},   // the unsized symbol is no symbol
		{58, 0, false},  // in [50,80), past [55,60)
		{80, -1, true},  // after the last: to the end
		{100, -1, true}, // likewise
	} {
		if size, ok := sec.Hole(tt.off); size != tt.size || ok != tt.ok {
			t.Errorf("Hole(%d) = %d %v, want %d %v", tt.off, size, ok, tt.size, tt.ok)
		}
	}
	empty := &Section{}
	if _, ok := empty.Hole(0); ok {
		t.Error("a section without symbols has a hole")
	}
}

// TestFindByBlocks checks that Find, reading the index of 64-byte blocks,
// finds every instruction and nothing between or past them, where
// instructions straddle blocks and blocks hold none, in a section whose
// instructions come after another's.
func TestFindByBlocks(t *testing.T) {
	offs := []uint64{0, 5, 63, 64, 70, 127, 200, 330} // 128..199 and 256..319 hold none
	p := &Program{}
	before, s := &Section{}, &Section{}
	before.bare, s.bare = p.newLoc(before, nil), p.newLoc(s, nil)
	for _, off := range []uint64{0, 5, 64} {
		p.Insns = append(p.Insns, Insn{meta: uint32(before.bare), Off: uint32(off), Len: 1})
	}
	before.End = len(p.Insns)
	p.indexBlocks(before)
	s.First = len(p.Insns)
	for _, off := range offs {
		p.Insns = append(p.Insns, Insn{meta: uint32(s.bare), Off: uint32(off), Len: 1})
	}
	s.End = len(p.Insns)
	p.indexBlocks(s)
	for i, off := range offs {
		if in := p.Find(s, off); in == nil || p.IndexOf(in) != int32(s.First+i) {
			t.Errorf("Find(%d) = %v, want instruction %d", off, in, s.First+i)
		}
	}
	if in := p.Find(before, 64); in == nil || p.IndexOf(in) != 2 {
		t.Errorf("Find(before, 64) = %v, want instruction 2", in)
	}
	if in := p.Find(&Section{}, 0); in != nil {
		t.Errorf("Find in a section without instructions = %v", in)
	}
	for _, off := range []uint64{1, 62, 65, 128, 199, 201, 300, 331, 5000} {
		if in := p.Find(s, off); in != nil {
			t.Errorf("Find(%d) = instruction at %d, want none", off, in.Off)
		}
	}
}

// TestRareStore fills the store across chunk boundaries, and past what
// it reserved, and reads every record back by its index.
func TestRareStore(t *testing.T) {
	for _, reserved := range []int{0, 4*rareChunk - 1, 4*rareChunk + 3, 8 * rareChunk} {
		var rs rareStore
		rs.reserve(reserved)
		syms := make([]Symbol, 6*rareChunk+5)
		for i := range syms {
			j := rs.add()
			if int(j) != i+1 {
				t.Fatalf("reserved %d: add %d returned %d, want %d", reserved, i, j, i+1)
			}
			rs.at(j).callDest = &syms[i]
		}
		for i := range syms {
			if got := rs.at(int32(i + 1)).callDest; got != &syms[i] {
				t.Fatalf("reserved %d: record %d holds the wrong symbol", reserved, i+1)
			}
		}
		for i, c := range rs.chunks {
			if cap(c) != rareChunk {
				t.Errorf("reserved %d: chunk %d has room for %d records, want %d", reserved, i, cap(c), rareChunk)
			}
		}
		used := (len(syms) + 1 + rareChunk - 1) / rareChunk // with record 0
		if want := max(reserved/rareChunk-used, 0) * rareChunk; reserved >= 4*rareChunk && len(rs.spare) != want {
			t.Errorf("reserved %d: %d records spare, want %d", reserved, len(rs.spare), want)
		}
	}
}

// TestTarget stores destinations near and far: those that do not fit the
// instruction's 32 bits come back whole from its rare record.
func TestTarget(t *testing.T) {
	p := &Program{}
	for _, want := range []int64{0, -1, 0x7fffffff, -0x7fffffff, -0x80000000, 0x80000000, 0xffffffff + 16, -1 << 40} {
		var in Insn
		p.setTarget(&in, want)
		if got := p.Target(&in); got != want {
			t.Errorf("target %#x comes back as %#x", want, got)
		}
	}
}

// TestMarkAliases holds both ways of searching a group of symbols at one
// offset, the scan of a small group and the map of a large one, to the
// rule: each symbol's alias is the last one of its type and size.
func TestMarkAliases(t *testing.T) {
	for _, n := range []int{1, 2, 5, aliasGroupScan, aliasGroupScan + 1, 100} {
		group := make([]*Symbol, n)
		for i := range group {
			typ := elf.STT_FUNC
			if i%3 == 0 {
				typ = elf.STT_NOTYPE
			}
			group[i] = &Symbol{Symbol: &decode.Symbol{Type: typ}, Len: uint64(i % 2)}
			group[i].Alias = group[i]
		}
		markAliases(group)
		for i, s := range group {
			want := s
			for _, later := range group[i+1:] {
				if later.Type == s.Type && later.Len == s.Len {
					want = later
				}
			}
			if s.Alias != want {
				t.Errorf("group of %d: symbol %d has the wrong alias", n, i)
			}
		}
	}
}
