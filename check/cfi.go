package check

import (
	"math/bits"
	"unsafe"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// maxRegs bounds the registers a stack state tracks (ppc64 has 33).
const maxRegs = 34

// A loc is where a value lives: a base register or pseudo base
// (arch.Base*) and an offset.
type loc struct{ base, off int32 }

var undefined = loc{base: arch.BaseUndefined}

// regLocs hold a loc for each register. A base is a register or a pseudo
// base, so a byte holds it: the bases and offsets in two arrays take 172
// bytes, not the 272 of an array of locs, and the stack state, copied at
// every step of a walk and kept for each distinct state (vmlinux.o: 31
// thousand), takes 380 bytes, not 580.
type regLocs struct {
	base [maxRegs]int8
	off  [maxRegs]int32
}

// at returns register i's loc.
func (r *regLocs) at(i int32) loc { return loc{int32(r.base[i]), r.off[i]} }

// set sets register i's loc; its base is a register or a pseudo base
// (arch.Base*, baseRA), which a byte holds.
func (r *regLocs) set(i int32, l loc) { r.base[i], r.off[i] = int8(l.base), l.off }

// A cfiState is the stack state at one instruction (objtool's struct
// cfi_state). It is a value: equal states compare equal with ==.
type cfiState struct {
	regs       regLocs // where each callee-saved register is saved
	vals       regLocs // registers holding stack-derived values
	cfa        loc
	stackSize  int32
	drapReg    int32
	drapOff    int32
	typ        uint8
	bpScratch  bool
	drap       bool
	signal     bool
	end        bool
	forceUndef bool
	// raSigned is set while the return address is signed (arm64 PAC).
	raSigned bool
	// chain is where a copy of the CFA (the caller's stack pointer) was
	// stored: a ppc64 back chain, CFA-relative; base undefined if none.
	chain loc
}

// newCFI returns objtool's init_cfi: everything undefined.
func newCFI() cfiState {
	var c cfiState
	for i := range int32(maxRegs) {
		c.regs.set(i, undefined)
		c.vals.set(i, undefined)
	}
	c.cfa = undefined
	c.drapReg = arch.BaseUndefined
	c.drapOff = -1
	c.chain = undefined
	return c
}

// funcCFI returns the state at a function's entry for arch a.
func funcCFI(a *arch.Arch) cfiState {
	c := newCFI()
	c.cfa = loc{int32(a.EntryCFA.Base), int32(a.EntryCFA.Off)}
	for _, rl := range a.EntryRegs {
		c.regs.set(int32(rl.Reg), loc{int32(rl.Loc.Base), int32(rl.Loc.Off)})
	}
	c.stackSize = int32(a.EntryCFA.Off)
	c.typ = hintCall
	return c
}

// hintCall is UNWIND_HINT_TYPE_CALL, the type of an ordinary frame.
const hintCall = 2

// A cfiPool hash-conses stack states, so instructions with the same state
// share one copy (objtool's cfi_hash), and names each by a cfiID. It is
// keyed by a hash of the state rather than by the state itself: a map
// keyed by 580-byte states held a second copy of each (vmlinux.o: 30
// thousand states, 21 MB of keys besides the states). The states are
// held in chunks, which growing never copies.
type cfiPool struct {
	first  map[uint64]cfiID   // the first state with each hash
	more   map[uint64][]cfiID // the others with that hash, if any
	chunks [][]cfiState
	// recent holds the last state interned in each slot of a hash's low
	// bits, looked up before the maps: states recur close together
	// (vmlinux.o: 900 thousand lookups of 31 thousand states), and a
	// probe of a small array costs less than one of a map that large.
	recent *[cfiRecentSlots]recentCFI
}

// A recentCFI is a slot of cfiPool.recent: a state's hash and its name.
type recentCFI struct {
	hash uint64
	id   cfiID
}

// cfiRecentSlots is the size of cfiPool.recent, a power of two.
const cfiRecentSlots = 1024

// A cfiID names a state of a cfiPool; 0 is none.
type cfiID int32

// cfiPools are a checker's pools: the first for the walks of the checker
// itself, the second for those of a walker beside it (see
// walkInParallel). The pool a state is in is the top bits of its name,
// so that either reads the other's states.
type cfiPools [2]cfiPool

// poolShift places a pool's number in the names of its states.
const poolShift = 30

// newPools makes empty pools.
func newPools() *cfiPools {
	return &cfiPools{{first: map[uint64]cfiID{}}, {first: map[uint64]cfiID{}}}
}

// at returns the state id names, nil for none.
func (ps *cfiPools) at(id cfiID) *cfiState {
	return ps[id>>poolShift].at(id & (1<<poolShift - 1))
}

// intern returns the name of the shared copy of s, in pool n.
func (ps *cfiPools) intern(n uint8, s *cfiState) cfiID {
	return cfiID(n)<<poolShift | ps[n].intern(s)
}

// cfiPoolChunk is how many states a cfiPool allocates at once: few, as
// most objects have a few dozen states, and in a call over many objects
// every chunk is memory the runtime must clear first (see rareChunk).
const cfiPoolChunk = 32

// at returns the state id names, nil for none.
func (p *cfiPool) at(id cfiID) *cfiState {
	if id == 0 {
		return nil
	}
	return &p.chunks[id/cfiPoolChunk][id%cfiPoolChunk]
}

// intern returns the name of the shared copy of c.
func (p *cfiPool) intern(c *cfiState) cfiID {
	h := c.hash()
	if p.recent == nil {
		p.recent = newRecent()
	}
	slot := &p.recent[h&(cfiRecentSlots-1)]
	if slot.id != 0 && slot.hash == h && *p.at(slot.id) == *c {
		return slot.id
	}
	id := p.lookup(h, c)
	*slot = recentCFI{h, id}
	return id
}

// recentStride is how many slots of cfiPool.recent one 4 KiB page holds.
const recentStride = 4096 / unsafe.Sizeof(recentCFI{})

// newRecent returns empty slots for cfiPool.recent, each page of them
// written before any is read. The runtime may hand out fresh pages without
// clearing them, and intern reads a slot first: a fresh page read first is
// the kernel's shared zero page, and the first write to it a second fault,
// a copy, that flushes the TLB of every CPU the process runs on (one call
// over the x86-orc corpus spent 2% of its time in those interrupts). A
// write first takes one fault, for a zeroed page of the process's own.
func newRecent() *[cfiRecentSlots]recentCFI {
	r := new([cfiRecentSlots]recentCFI)
	for i := 0; i < len(r); i += int(recentStride) {
		r[i] = recentCFI{}
	}
	return r
}

// lookup is intern without the recent slots.
func (p *cfiPool) lookup(h uint64, c *cfiState) cfiID {
	id, ok := p.first[h]
	if !ok {
		id = p.add(c)
		p.first[h] = id
		return id
	}
	if *p.at(id) == *c {
		return id
	}
	for _, id := range p.more[h] {
		if *p.at(id) == *c {
			return id
		}
	}
	id = p.add(c)
	if p.more == nil {
		p.more = map[uint64][]cfiID{}
	}
	p.more[h] = append(p.more[h], id)
	return id
}

// add stores a copy of c and returns its name.
func (p *cfiPool) add(c *cfiState) cfiID {
	n := len(p.chunks)
	if n == 0 || len(p.chunks[n-1]) == cfiPoolChunk {
		size := 0
		if n == 0 {
			size = 1 // state 0 is none
		}
		p.chunks = append(p.chunks, make([]cfiState, size, cfiPoolChunk))
		n++
	}
	last := &p.chunks[n-1]
	*last = append(*last, *c)
	return cfiID((n-1)*cfiPoolChunk + len(*last) - 1)
}

// cfiOf returns the state recorded at in, nil if none.
func (c *checker) cfiOf(in *cfg.Insn) *cfiState { return c.pools.at(c.cfi.at(c.prog.IndexOf(in))) }

// hash mixes every field of the state (equal states hash equal; the pool
// compares whole states, so a collision costs only a comparison).
func (c *cfiState) hash() uint64 {
	var a, b uint64
	for i := range int32(maxRegs) {
		a = bits.RotateLeft64(a, 7) ^ c.regs.at(i).word()
		b = bits.RotateLeft64(b, 7) ^ c.vals.at(i).word()
	}
	flags := uint64(c.typ) | boolBit(c.bpScratch, 8) | boolBit(c.drap, 9) | boolBit(c.signal, 10) |
		boolBit(c.end, 11) | boolBit(c.forceUndef, 12) | boolBit(c.raSigned, 13)
	h := a ^ bits.RotateLeft64(b, 32) ^ c.cfa.word()*3 ^ c.chain.word()*5 ^
		(uint64(uint32(c.stackSize))|uint64(uint32(c.drapReg))<<32)*7 ^ (uint64(uint32(c.drapOff))|flags<<32)*11
	return (h ^ h>>29) * 0xbf58476d1ce4e5b9
}

// word packs a location into 64 bits.
func (l loc) word() uint64 { return uint64(uint32(l.base))<<32 | uint64(uint32(l.off)) }

// boolBit returns 1<<n if b is set.
func boolBit(b bool, n uint) uint64 {
	if b {
		return 1 << n
	}
	return 0
}
