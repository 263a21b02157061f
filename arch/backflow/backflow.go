// Package backflow follows the code of one switch query backwards: the
// search the switch-table finders of the fixed-width machines (arm64,
// ppc64) share, over the arch contract alone.
//
// A finder asks, of a point before an instruction, which instructions may
// run just before it (Preds), walks every path back from it (Walk), or
// looks for the instructions that last set a register, a stack slot or
// the flags on those paths (Defs). What an instruction does to a value is
// the finder's to say, from its own machine's encoding; the way code
// flows is said here once, from the decoder's Steps: an instruction falls
// through unless its kind ends the way (a jump, a return, a context
// switch), a BUG() trap the bug table does not make a WARN, or a call to
// a function that never returns; a direct jump comes from its relocation
// when it has one, else from its decoded target.
//
// Paths end at the function's start (reached from its caller, and from
// any jump to it) and at code that nothing reaches in a way the code
// shows: such code is a case of a switch (which may loop back to the
// dispatch, or dispatch again) or a label of a computed goto, so its ways
// in are the dynamic jumps whose tables are known to list it
// (SwitchQuery.Cases), or else every dynamic jump from the function's
// start to the query's jump whose table is not known in full
// (SwitchQuery.Resolved). Padding that nothing enters, not even a known
// table (a machine's alignment words: a case may begin with a nop too), is
// reached by no path at all.
//
// Every walk of one Code draws on one budget, so that a huge function
// costs a failure, not minutes.
package backflow

import (
	"slices"
	"sort"

	"github.com/objcheck/objcheck/arch"
)

// An Edge is a way into the point before an instruction: the instruction
// at From falls through to it or, Taken, jumps to it.
type Edge struct {
	From  uint64
	Taken bool
}

// An Action is what a walk does with an edge (Walk's visit).
type Action uint8

// The actions.
const (
	Follow Action = iota // walk on, to the ways into the instruction the edge comes from
	Stop                 // go no further back this way
	Fail                 // give the whole walk up
)

// An Effect is what an instruction does to a location a value lives in
// (Defs's effect).
type Effect uint8

// The effects.
const (
	None    Effect = iota // leaves it alone
	Def                   // sets it, in a way the finder may follow
	Clobber               // may change it in a way nothing follows
)

// Code is one query's section as seen from its jump backwards.
type Code struct {
	q        *arch.SwitchQuery
	steps    []arch.Step
	padding  func(off uint64) bool
	into     map[uint64][]uint64 // direct jump target -> jumps to it, from the function on
	dispatch []uint64            // the dynamic jumps from the function's start to the query's
	left     int                 // what is left of the budget
}

// New returns the code of q, walked within budget instructions in all.
// Its steps are q.Steps, or else q.Code decoded by decode (which may be
// nil when q.Steps is set; an empty code has no steps). padding
// reports whether the word at an offset is one the compiler aligns code
// with; nil means no word is.
func New(q *arch.SwitchQuery, decode func(code []byte, off uint64, in *arch.Insn) error, padding func(off uint64) bool, budget int) *Code {
	c := &Code{q: q, steps: q.Steps, padding: padding, left: budget}
	if c.steps == nil && decode != nil {
		c.steps = Decode(q.Code, decode)
	}
	if c.padding == nil {
		c.padding = func(uint64) bool { return false }
	}
	c.indexJumps()
	return c
}

// Decode decodes code linearly from its start into steps, leaving out the
// words decode rejects, as cfg decodes a fixed-width machine's section.
func Decode(code []byte, decode func(code []byte, off uint64, in *arch.Insn) error) []arch.Step {
	var steps []arch.Step
	var in arch.Insn
	for off := uint64(0); off < uint64(len(code)); off += uint64(max(in.Len, 1)) {
		if err := decode(code[off:], off, &in); err != nil {
			continue
		}
		steps = append(steps, arch.Step{Off: off, Target: in.Target, Len: in.Len,
			Kind: in.Kind, HasTarget: in.HasTarget, Flags: in.Flags})
	}
	return steps
}

// Step returns the instruction at off, nil when none starts there or the
// word lies in an earlier inline table.
func (c *Code) Step(off uint64) *arch.Step {
	i, ok := c.index(off)
	if !ok {
		return nil
	}
	return &c.steps[i]
}

// index returns the index of the step at off.
func (c *Code) index(off uint64) (int, bool) {
	i := sort.Search(len(c.steps), func(i int) bool { return c.steps[i].Off >= off })
	if i == len(c.steps) || c.steps[i].Off != off || c.q.InTable != nil && c.q.InTable(off) {
		return 0, false
	}
	return i, true
}

// Spend takes one instruction from the budget, false when none is left.
func (c *Code) Spend() bool {
	c.left--
	return c.left >= 0
}

// Exhausted reports whether the budget is spent.
func (c *Code) Exhausted() bool { return c.left < 0 }

// stopKinds are the kinds after which execution never goes on to the next
// instruction.
var stopKinds = [...]bool{arch.Jump: true, arch.JumpDynamic: true, arch.Return: true, arch.ContextSwitch: true}

// Falls reports whether execution may go on from the instruction at off
// to the one after it.
func (c *Code) Falls(off uint64) bool {
	i, ok := c.index(off)
	return ok && c.falls(i)
}

// falls is Falls of the step at index i.
func (c *Code) falls(i int) bool {
	st := &c.steps[i]
	off := st.Off
	switch {
	case st.Kind == arch.Bug:
		return c.q.Warn != nil && c.q.Warn(off)
	case st.Kind.IsCall():
		return c.q.NoReturn == nil || !c.q.NoReturn(off)
	}
	return int(st.Kind) >= len(stopKinds) || !stopKinds[st.Kind]
}

// jumpTarget returns where st goes, in the query's section, if it is a
// direct jump (not a call): its relocation's target when it has one, else
// its decoded one.
func (c *Code) jumpTarget(st *arch.Step) (uint64, bool) {
	if !st.HasTarget || st.Kind != arch.Jump && st.Kind != arch.JumpCond {
		return 0, false
	}
	if c.q.Reloc != nil {
		if r, ok := c.q.Reloc(c.q.Sec, st.Off); ok {
			return r.Off, r.Sec == c.q.Sec
		}
	}
	return uint64(st.Target), st.Target >= 0
}

// indexJumps records every direct jump from the function's start to the
// end of the section by its target, and the dynamic jumps from the
// function's start to the query's.
func (c *Code) indexJumps() {
	c.into = map[uint64][]uint64{}
	first := sort.Search(len(c.steps), func(i int) bool { return c.steps[i].Off >= c.q.Start })
	for i := first; i < len(c.steps); i++ {
		st := &c.steps[i]
		off := st.Off
		if c.q.InTable != nil && c.q.InTable(off) {
			continue
		}
		if st.Kind == arch.JumpDynamic && off <= c.q.Jump {
			c.dispatch = append(c.dispatch, off)
		}
		if t, ok := c.jumpTarget(st); ok && t >= c.q.Start && t < uint64(len(c.q.Code)) && t != off {
			c.into[t] = append(c.into[t], off)
		}
	}
}

// prev returns the index of the instruction that ends where the one at
// index i starts, not before the function's start, if it falls through
// into it.
func (c *Code) prev(i int) (int, bool) {
	if i == 0 {
		return 0, false
	}
	p := &c.steps[i-1]
	if p.Off < c.q.Start || p.Off+uint64(p.Len) != c.steps[i].Off ||
		c.q.InTable != nil && c.q.InTable(p.Off) || !c.falls(i-1) {
		return 0, false
	}
	return i - 1, true
}

// reached reports whether the instruction at index i may run: whether, if
// it is padding, the padding before it is entered by a jump, by a known
// table or by an instruction that falls through into it.
func (c *Code) reached(i int) bool {
	for {
		off := c.steps[i].Off
		if !c.padding(off) || len(c.into[off]) > 0 || c.q.Cases != nil && len(c.q.Cases(off)) > 0 {
			return true
		}
		p, ok := c.prev(i)
		if !ok {
			return false
		}
		i = p
	}
}

// Preds returns the ways into the point before the instruction at p;
// entry is set where paths back end: at the function's start, and at
// code the query gives no way into. Padding nothing enters has neither.
func (c *Code) Preds(p uint64) (edges []Edge, entry bool) {
	i, ok := c.index(p)
	if !ok {
		return nil, true
	}
	if prev, ok := c.prev(i); ok && c.reached(prev) {
		edges = append(edges, Edge{From: c.steps[prev].Off})
	}
	for _, j := range c.into[p] {
		edges = append(edges, Edge{From: j, Taken: true})
	}
	if len(edges) > 0 || p == c.q.Start {
		return edges, p == c.q.Start
	}
	if c.q.Cases != nil {
		for _, j := range c.q.Cases(p) {
			edges = append(edges, Edge{From: j, Taken: true})
		}
		if len(edges) > 0 {
			return edges, false
		}
	}
	if c.padding(p) {
		return nil, false
	}
	for _, j := range c.dispatch {
		if j != p && (c.q.Resolved == nil || !c.q.Resolved(j)) {
			edges = append(edges, Edge{From: j, Taken: true})
		}
	}
	return edges, len(edges) == 0
}

// Walk calls visit on every way into the point before p and, for each way
// visit follows, on the ways into the instruction it comes from, walking
// each instruction once, nearest first. It returns the points where paths
// end (see Preds), and false when visit fails or the budget runs out.
func (c *Code) Walk(p uint64, visit func(e Edge) Action) (ends []uint64, ok bool) {
	seen := map[uint64]bool{p: true}
	work := []uint64{p}
	for i := 0; i < len(work); i++ {
		edges, entry := c.Preds(work[i])
		if entry {
			ends = append(ends, work[i])
		}
		for _, e := range edges {
			switch visit(e) {
			case Fail:
				return ends, false
			case Follow:
				if seen[e.From] {
					continue
				}
				if !c.Spend() {
					return ends, false
				}
				seen[e.From] = true
				work = append(work, e.From)
			}
		}
	}
	return ends, true
}

// Defs returns the instructions that last set a location on the paths
// into the point before p, as effect says of each instruction, nearest
// first, and the points where paths that set it nowhere end. ok is false
// when an instruction on the way clobbers it or the budget runs out; the
// instructions found until then are returned.
func (c *Code) Defs(p uint64, effect func(off uint64) Effect) (defs, ends []uint64, ok bool) {
	ends, ok = c.Walk(p, func(e Edge) Action {
		switch effect(e.From) {
		case Clobber:
			return Fail
		case Def:
			if !slices.Contains(defs, e.From) {
				defs = append(defs, e.From)
			}
			return Stop
		}
		return Follow
	})
	return defs, ends, ok
}
