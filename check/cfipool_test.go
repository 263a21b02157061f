package check

import (
	"math/bits"
	"testing"
)

// TestCFIPool interns states that differ in one field each, and two that
// collide in the hash: equal states share one copy, unequal ones never.
func TestCFIPool(t *testing.T) {
	base := newCFI()
	variants := []func(*cfiState){
		func(c *cfiState) {},
		func(c *cfiState) { c.regs[3] = loc{1, -16} },
		func(c *cfiState) { c.vals[3] = loc{1, -16} },
		func(c *cfiState) { c.cfa = loc{4, 8} },
		func(c *cfiState) { c.stackSize = 8 },
		func(c *cfiState) { c.drapReg = 10 },
		func(c *cfiState) { c.drapOff = 0 },
		func(c *cfiState) { c.typ = hintCall },
		func(c *cfiState) { c.bpScratch = true },
		func(c *cfiState) { c.drap = true },
		func(c *cfiState) { c.signal = true },
		func(c *cfiState) { c.end = true },
		func(c *cfiState) { c.forceUndef = true },
		func(c *cfiState) { c.raSigned = true },
		func(c *cfiState) { c.chain = loc{4, -8} },
		collideWithRegs0,
		func(c *cfiState) { c.regs[0] = loc{2, 24} },
	}
	a, b := base, base
	collideWithRegs0(&b)
	a.regs[0] = loc{2, 24}
	if a.hash() != b.hash() {
		t.Fatalf("the colliding pair does not collide: update collideWithRegs0 to the hash")
	}
	p := cfiPool{first: map[uint64]cfiID{}}
	for round := 0; round < 2; round++ {
		seen := map[cfiID]int{}
		for i, v := range variants {
			c := base
			v(&c)
			s := p.intern(&c)
			if s == 0 || *p.at(s) != c {
				t.Fatalf("variant %d: interned copy differs from the state", i)
			}
			if j, ok := seen[s]; ok {
				t.Errorf("variants %d and %d share one copy", j, i)
			}
			seen[s] = i
			if again := p.intern(&c); again != s {
				t.Errorf("variant %d: interned twice, two copies", i)
			}
		}
	}
}

// TestCFIPoolChunks interns states across several chunks and reads each
// back by its name.
func TestCFIPoolChunks(t *testing.T) {
	p := cfiPool{first: map[uint64]cfiID{}}
	ids := make([]cfiID, 3*cfiPoolChunk+7)
	for i := range ids {
		c := newCFI()
		c.stackSize = int32(i)
		ids[i] = p.intern(&c)
	}
	for i, id := range ids {
		if s := p.at(id); s.stackSize != int32(i) {
			t.Fatalf("state %d reads back with stack size %d", i, s.stackSize)
		}
	}
	if p.at(0) != nil {
		t.Errorf("id 0 names a state")
	}
}

// collideWithRegs0 changes regs[1] so that the state hashes as base with
// regs[0] = {2, 24} does (the hash folds each register in by rotation).
func collideWithRegs0(c *cfiState) {
	u := undefined.word()
	n := len(c.regs)
	want := bits.RotateLeft64(loc{2, 24}.word(), 7*(n-1)) ^ bits.RotateLeft64(u, 7*(n-1))
	w := bits.RotateLeft64(want^bits.RotateLeft64(u, 7*(n-2)), -7*(n-2))
	c.regs[1] = loc{int32(w >> 32), int32(uint32(w))}
}
