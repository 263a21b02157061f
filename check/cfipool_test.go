package check

import (
	"testing"
	"unsafe"

	"github.com/objcheck/objcheck/arch"
)

// TestCFIPool interns states that differ in one field each, and two that
// collide in the hash: equal states share one copy, unequal ones never.
func TestCFIPool(t *testing.T) {
	base := newCFI()
	variants := []func(*cfiState){
		func(c *cfiState) {},
		func(c *cfiState) { c.regs.set(3, loc{1, -16}) },
		func(c *cfiState) { c.vals.set(3, loc{1, -16}) },
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
		func(c *cfiState) { c.regs.set(0, loc{baseUndef, 24}) },
	}
	a, b := base, base
	collideWithRegs0(&b)
	a.regs.set(0, loc{baseUndef, 24})
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
// regs[0] = {baseUndef, 24} does: the hash folds each register in by a
// rotation of 7, so an offset of 24 in regs[0] hashes as one of 24<<7 in
// regs[1] (a base is a byte: the pair differs in offsets only).
func collideWithRegs0(c *cfiState) {
	c.regs.set(1, loc{baseUndef, 24 << 7})
}

// TestRegLocs: every base a register's loc can have, a register or a
// pseudo base, survives the byte regLocs keeps it in, and the stack state
// stays at the size its doc comment gives.
func TestRegLocs(t *testing.T) {
	var r regLocs
	for i, base := range []int32{0, maxRegs - 1, baseUndef, baseCFA, baseSPInd, arch.BaseBPIndirect, baseRA} {
		want := loc{base, -1 << 31}
		r.set(int32(i), want)
		if got := r.at(int32(i)); got != want {
			t.Errorf("register %d: set %v, read back %v", i, want, got)
		}
	}
	if got := unsafe.Sizeof(cfiState{}); got != 380 {
		t.Errorf("a stack state is %d bytes, want 380", got)
	}
}
