package check

import (
	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// A Tracer watches the walk of the functions it chooses (objcheck's
// --trace and --graph). The checker calls it, when Options.Tracer is set,
// at the start of each path, on arrival at each instruction, after each
// instruction's stack operations, and where each path stops; without a
// Tracer the cost is one nil check per hook. A Tracer only reads what it
// is handed: the graph and the diagnostics belong to the checker.
type Tracer interface {
	// Traces reports whether the walk of fn (nil outside functions) is
	// traced; the other methods are called only for traced walks.
	Traces(fn *cfg.Symbol) bool
	// Path says that a path starts at in: a function's entry, an unwind
	// hint, or one edge of the instruction visited before it. reported is
	// the number of diagnostics reported before (see TraceStop.Diags).
	Path(p *cfg.Program, fn *cfg.Symbol, in *cfg.Insn, reported int)
	// Arrive says that in is visited with state st, which it keeps.
	Arrive(in *cfg.Insn, st *TraceState)
	// Insn gives the state after in's stack operations.
	Insn(in *cfg.Insn, after *TraceState)
	// Stop says that the path ends at in, and why.
	Stop(s *TraceStop)
}

// A TraceState is a stack state handed to a Tracer: the state a diagnostic
// carries plus the link-register facts.
type TraceState struct {
	StackState
	// RAIn lists the registers holding a copy of the return address (ppc64
	// mflr r0), by register number.
	RAIn []int
	// Chain is where the back chain was stored, CFA-relative, valid with
	// HasChain (ppc64).
	Chain    StateLoc
	HasChain bool
	// BPScratch is set when the frame pointer was changed without a frame.
	BPScratch bool
	// Undefined is set when the state is undefined (entry code, hints).
	Undefined bool
}

// A StopReason says why a path stops.
type StopReason uint8

// The reasons a path stops.
const (
	StopVisited       StopReason = iota // the instruction was visited with this state before
	StopWarning                         // a warning fires here
	StopPropagated                      // a warning further down this path ended it
	StopReturn                          // a return
	StopSibling                         // a sibling (tail) call leaves the function
	StopJump                            // an unconditional jump, whose destination was walked
	StopDynamicJump                     // a switch jump, whose cases were walked
	StopDeadEnd                         // a dead end: a BUG, a noreturn call
	StopEndOfSection                    // the section ends with an undefined state
	StopNextFunction                    // the path runs into another function
	StopAltReplaces                     // an alternative replaces the original path
	StopContextSwitch                   // a context switch outside functions
	StopOther                           // the walk stops for another reason
)

// A TraceStop is where and why a path stops.
type TraceStop struct {
	At     *cfg.Insn
	Reason StopReason
	// Diags are all the diagnostics reported so far; those the Tracer has
	// not seen were reported on the way here.
	Diags []Diagnostic
	// Had and Got are, for a path arriving at an instruction visited
	// before, the state recorded there and the arriving one; nil
	// otherwise.
	Had, Got *TraceState
}

// GraphOptions returns the options of the graph the checker builds for
// opts, for tools that look at the same graph (--disas).
func GraphOptions(opts *Options) cfg.Options { return graphOptions(opts) }

// traceState converts a stack state for a Tracer.
func traceState(s *cfiState) *TraceState {
	if s == nil {
		return nil
	}
	t := &TraceState{StackState: *stateOf(s), BPScratch: s.bpScratch,
		Undefined: s.cfa.base == baseUndef}
	for r := range s.vals.off {
		if s.vals.at(int32(r)).base == baseRA {
			t.RAIn = append(t.RAIn, r)
		}
	}
	if s.chain.base == baseCFA {
		t.Chain, t.HasChain = StateLoc{int(s.chain.base), int(s.chain.off)}, true
	}
	return t
}

// tracePath reports the start of a path at in.
func (c *checker) tracePath(fn *cfg.Symbol, in *cfg.Insn) {
	if c.opts.Tracer.Traces(fn) {
		c.opts.Tracer.Path(c.prog, fn, in, len(c.rep.diags))
	}
}

// traceArrive reports the arrival at in with the state it keeps.
func (c *checker) traceArrive(fn *cfg.Symbol, in *cfg.Insn) {
	if c.opts.Tracer.Traces(fn) {
		c.opts.Tracer.Arrive(in, traceState(c.cfiOf(in)))
	}
}

// traceInsn reports the state after in's stack operations, with what
// signing or authenticating the return address does to it (which the
// control-flow rules apply next).
func (c *checker) traceInsn(fn *cfg.Symbol, in *cfg.Insn, st *insnState) {
	if !c.opts.Tracer.Traces(fn) {
		return
	}
	after := traceState(&st.cfi)
	if in.Kind == arch.SignRA || in.Kind == arch.AuthRA {
		after.RASigned = in.Kind == arch.SignRA
	}
	c.opts.Tracer.Insn(in, after)
}

// traceEnter reports a path that enter stopped at in with result r.
func (c *checker) traceEnter(fn *cfg.Symbol, in *cfg.Insn, r int, st *insnState) {
	if !c.opts.Tracer.Traces(fn) {
		return
	}
	s := &TraceStop{At: in, Reason: StopVisited, Diags: c.rep.diags}
	if f := c.prog.Func(in); fn != nil && f != nil && fn != f.Pfunc {
		s.Reason = StopNextFunction
	} else if r != 0 {
		s.Reason = StopWarning
	}
	if had := c.cfiOf(in); c.visited[c.prog.IndexOf(in)] != 0 && had != nil && *had != st.cfi {
		s.Had, s.Got = traceState(had), traceState(&st.cfi)
	}
	c.opts.Tracer.Stop(s)
}

// stopKinds says why a path stops after the control-flow rules of an
// instruction of each kind end it without a warning.
var stopKinds = map[arch.Kind]StopReason{
	arch.Return: StopReturn, arch.Jump: StopJump, arch.JumpDynamic: StopDynamicJump,
	arch.Call: StopDeadEnd, arch.CallDynamic: StopDeadEnd, arch.ContextSwitch: StopContextSwitch,
}

// pathEnd ends a path of the walk at in with result r, reporting why to
// the tracer if there is one.
func (c *checker) pathEnd(fn *cfg.Symbol, in *cfg.Insn, r int, why StopReason) int {
	if c.opts.Tracer != nil {
		c.traceStop(fn, in, r, why)
	}
	return r
}

// traceStop reports a path that stops at in after its own rules, with
// result r; why is the reason unless the kind of in says better.
func (c *checker) traceStop(fn *cfg.Symbol, in *cfg.Insn, r int, why StopReason) {
	if !c.opts.Tracer.Traces(fn) {
		return
	}
	s := &TraceStop{At: in, Reason: why, Diags: c.rep.diags}
	if k, ok := stopKinds[in.Kind]; ok && why == StopOther {
		s.Reason = k
	}
	if why == StopOther && in.Kind.IsJump() && c.prog.IsSiblingCall(in) {
		s.Reason = StopSibling
	}
	if r != 0 {
		s.Reason = StopWarning
	}
	c.opts.Tracer.Stop(s)
}
