package check

import (
	"github.com/objcheck/objcheck/arch"
)

// maxRegs bounds the registers a stack state tracks (ppc64 has 33).
const maxRegs = 34

// A loc is where a value lives: a base register or pseudo base
// (arch.Base*) and an offset.
type loc struct{ base, off int32 }

var undefined = loc{base: arch.BaseUndefined}

// A cfiState is the stack state at one instruction (objtool's struct
// cfi_state). It is a value: equal states compare equal with ==.
type cfiState struct {
	regs       [maxRegs]loc // where each callee-saved register is saved
	vals       [maxRegs]loc // registers holding stack-derived values
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
	for i := range c.regs {
		c.regs[i] = undefined
		c.vals[i] = undefined
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
	for i := range c.regs {
		c.regs[i] = loc{base: arch.BaseUndefined}
	}
	for _, rl := range a.EntryRegs {
		c.regs[rl.Reg] = loc{int32(rl.Loc.Base), int32(rl.Loc.Off)}
	}
	c.stackSize = int32(a.EntryCFA.Off)
	c.typ = hintCall
	return c
}

// hintCall is UNWIND_HINT_TYPE_CALL, the type of an ordinary frame.
const hintCall = 2

// A cfiPool hash-conses stack states, so instructions with the same state
// share one copy (objtool's cfi_hash).
type cfiPool struct {
	m map[cfiState]*cfiState
}

// intern returns the shared copy of c.
func (p *cfiPool) intern(c *cfiState) *cfiState {
	if s, ok := p.m[*c]; ok {
		return s
	}
	s := new(cfiState)
	*s = *c
	p.m[*c] = s
	return s
}
