package check

import (
	"bytes"
	"fmt"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/internal/prefault"
)

// A Result is what checking one object produced: exactly what objtool would
// print on each stream, and the exit status it earns.
type Result struct {
	Stderr []byte // warning lines, each ending in a newline, in objtool's order
	Stdout []byte // --stats and --dump output
	// Status is the exit status for this object: 0 after warnings, as in
	// objtool 6.12; non-zero only for errors that stop objtool itself.
	Status int
	// Warnings counts the warning lines printed.
	Warnings int
	// Diagnostics are what Stderr says, as values, in its order; Stderr is
	// their text rendering (Text).
	Diagnostics []Diagnostic
	// Plan is what the writing actions change in the object; nil when
	// none was asked for.
	Plan *Plan
	// Disas names the symbols with a warning, in objtool's order, whose
	// disassembly --verbose prints; nil when there is none to print.
	Disas []string
}

// A checker holds the state of checking one object.
type checker struct {
	prog  *cfg.Program
	opts  *Options
	rep   reporter
	frame frame
	pools *cfiPools
	// own is the number of the pool in pools this checker's walks add to.
	own     uint8
	cfi     *cfiTable // per instruction index, in pool
	visited []uint8   // per instruction index
	alts    [][]*cfiState
	stats   stats
	// endbrUsed marks the ENDBRs whose address code or data takes, as
	// validateIBT found them (nil, none, without --ibt).
	endbrUsed map[int32]bool
	stdout    bytes.Buffer
	plan      *Plan
	// stopped is set after a fatal warning of a pass, after which
	// objtool checks and writes nothing more.
	stopped bool
	// orcAhead is the ORC tables being built early, if they are.
	orcAhead *orcAhead
	// share is what the walks share with a walker beside them, while
	// they walk at once (nil otherwise).
	share *sharing
}

// Run checks one parsed object with the given options.
func Run(f *decode.File, opts *Options) *Result {
	if f.Arch.Decode == nil {
		d := []Diagnostic{{Rule: RuleUnsupportedObject, Severity: SeverityError, Fatal: true,
			Message: fmt.Sprintf("%s objects are not supported yet", f.Arch.Name)}}
		return &Result{Stderr: Text(f.Name, d), Diagnostics: d, Status: 1}
	}
	if f.Arch.NoValidation && !validates(opts) {
		// Upstream objtool runs on these machines only for --mcount, if at
		// all, with a decoder that knows nothing but bl: it has nothing to
		// say about the code, and only writes __mcount_loc.
		if f.Arch.Write.CallOnly == nil {
			return &Result{}
		}
		plan, msg := callOnlyPlan(f, opts)
		rep := reporter{name: f.Name}
		if msg != "" {
			rep.warn(msg)
		}
		return &Result{Stderr: rep.text(), Stdout: callOnlyStats(f, opts), Diagnostics: rep.diags, Warnings: rep.printed, Plan: plan}
	}
	c := newChecker(f, opts)
	c.startStats(f)
	c.run()
	c.endStats()
	return c.result()
}

// result is what the checker found.
func (c *checker) result() *Result {
	return &Result{Stderr: c.rep.text(), Stdout: c.stdout.Bytes(), Warnings: c.rep.printed,
		Diagnostics: c.rep.diags, Plan: c.plan, Disas: c.warnedSymbols()}
}

// graphOptions derives the graph builder's options.
func graphOptions(o *Options) cfg.Options {
	return cfg.Options{
		Module: o.Module, Uaccess: o.Uaccess,
		Specials:  o.Stackval || o.ORC || o.Uaccess || o.Noinstr || o.HacksJumpLabel,
		JumpLabel: o.HacksJumpLabel, HackNoinstr: o.HacksNoinstr,
		Mcount: o.Mcount, Mnop: o.Mnop, IBT: o.IBT, Link: o.Link, Noinstr: o.Noinstr,
	}
}

// newChecker builds the graph and the per-instruction state.
func newChecker(f *decode.File, opts *Options) *checker {
	p := cfg.Build(f, graphOptions(opts))
	if opts.AfterBuild != nil {
		opts.AfterBuild() // before the per-instruction tables
	}
	a := p.Arch
	init := funcCFI(a)
	c := &checker{
		prog: p,
		opts: opts,
		rep: reporter{name: f.Name, secAddress: opts.SecAddress, backtrace: opts.Backtrace || opts.Verbose,
			prog: p},
		frame: frame{a: a, prog: p, sp: int32(a.SP), bp: int32(a.FP), lr: -1, initial: &init,
			stackval: opts.Stackval},
		pools: newPools(),
	}
	if a.HasLR {
		c.frame.lr = int32(a.LR)
	}
	c.rep.stateAt = c.stateAt
	n := p.NumInsns()
	c.cfi = newCFITable(n)
	c.visited = make([]uint8, n)
	prefault.Start(c.cfi.narrow, n)
	prefault.Start(c.visited, n)
	return c
}

// run runs objtool's passes in its order.
func (c *checker) run() {
	p := c.prog
	warnings := 0
	for i := range p.Problems {
		c.rep.problem(&p.Problems[i])
		if p.Problems[i].Counted {
			warnings++
		}
	}
	if c.opts.writes() {
		defer func() { c.plan = c.makePlan(p.Fatal() || c.stopped) }()
	}
	if p.Fatal() || len(p.Insns) == 0 {
		return
	}
	c.setHintStates()
	ibt := c.startIBT()
	defer ibt.wait() // never leave the scan reading past the run
	c.startPrefixes()
	if c.opts.Retpoline {
		warnings += c.validateRetpoline()
	}
	switch {
	case c.opts.Stackval || c.opts.ORC || c.opts.Uaccess:
		if c.parallelWalks() {
			warnings += c.walkInParallel()
		} else {
			warnings += c.validateFunctions(nil)
		}
		warnings += c.validateHints(nil)
		c.startORC()
		if warnings == 0 {
			ibt.wait() // validateReachable writes flags the scan reads
			c.validateReachable()
		}
	case c.opts.Noinstr:
		for _, name := range []string{".noinstr.text", ".entry.text", ".cpuidle.text"} {
			if sec := c.sectionByName(name); sec != nil {
				c.validateFunctions(sec)
				c.validateHints(sec)
			}
		}
	}
	if c.opts.Unret {
		// After the other walks: it has its own visited bit.
		r := c.validateUnrets()
		if r < 0 {
			c.stopped = true
			return
		}
		warnings += r
	}
	if c.opts.IBT {
		c.validateIBT(ibt.wait())
	}
	if c.opts.SLS {
		c.validateSLS()
	}
	if c.opts.DWARF {
		c.crossCheckDWARF()
	}
}

// sectionByName returns the first section of that name.
func (c *checker) sectionByName(name string) *cfg.Section {
	for _, s := range c.prog.Sections {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// setHintStates gives each hinted instruction the state its hint names
// (the second half of objtool's read_unwind_hints).
func (c *checker) setHintStates() {
	undef := newCFI()
	undef.forceUndef = true
	fn := *c.frame.initial
	for _, h := range c.prog.HintList {
		at := c.prog.IndexOf(h.At)
		switch h.Type {
		case cfg.HintUndefined:
			c.cfi.set(at, c.pools.intern(c.own, &undef))
			continue
		case cfg.HintFunc:
			c.cfi.set(at, c.pools.intern(c.own, &fn))
			continue
		}
		s := newCFI()
		if prev := c.pools.at(c.cfi.at(at)); prev != nil {
			s = *prev
		}
		s.cfa = loc{int32(h.Base), int32(h.SPOff)}
		s.typ = h.Type
		s.signal = h.Signal != 0
		c.cfi.set(at, c.internCFI(&s))
	}
}

// initState is the state a walk starts with in section sec.
func (c *checker) initState(sec *cfg.Section) insnState {
	st := insnState{cfi: newCFI()}
	if c.opts.Link && c.opts.Noinstr && sec != nil {
		st.noinstr = sec.Noinstr
	}
	return st
}

// validateFunctions walks every function of every executable section, or
// of sec alone.
func (c *checker) validateFunctions(only *cfg.Section) int {
	warnings := 0
	for _, sec := range c.prog.Sections {
		if !sec.IsExec() || only != nil && sec != only {
			continue
		}
		for _, fn := range sec.Symbols() {
			if !fn.IsFunc() {
				continue
			}
			st := c.initState(sec)
			st.cfi = *c.frame.initial
			warnings += c.validateSymbol(sec, fn, st)
		}
	}
	return warnings
}

// validateSymbol walks one function from its entry.
func (c *checker) validateSymbol(sec *cfg.Section, fn *cfg.Symbol, st insnState) int {
	if fn.Len == 0 {
		c.rep.warn(fn.Name + "() is missing an ELF size annotation")
		return 1
	}
	if fn.Pfunc != fn || fn.Alias != fn {
		return 0
	}
	in := c.prog.Find(sec, fn.Offset)
	if in == nil || in.Has(cfg.Ignore) || c.visited[c.prog.IndexOf(in)] != 0 {
		return 0
	}
	if c.opts.Uaccess {
		st.uaccess = fn.Has(cfg.SymUaccessSafe)
	}
	if c.share != nil && !c.share.claim(c.prog.Func(in), c.own) {
		return 0
	}
	r := c.walk(c.prog.Func(in), in, st)
	if r != 0 {
		c.rep.bt(in, "<=== (sym)")
	}
	return r
}

// validateHints walks from every unwind hint no function walk reached.
func (c *checker) validateHints(only *cfg.Section) int {
	if !c.prog.Hints {
		return 0
	}
	warnings := 0
	st := c.initState(only)
	for i := range c.prog.Insns {
		in := &c.prog.Insns[i]
		if only != nil && c.prog.Sec(in) != only {
			continue
		}
		if !in.Has(cfg.HasHint) || c.visited[c.prog.IndexOf(in)] != 0 || in.Has(cfg.Ignore) {
			continue
		}
		r := c.walk(c.prog.Func(in), in, st)
		if r != 0 {
			c.rep.bt(in, "<=== (hint)")
		}
		warnings += r
	}
	return warnings
}

// validateRetpoline warns about indirect branches and returns that the
// mitigations must replace.
func (c *checker) validateRetpoline() int {
	warnings := 0
	for in := range c.prog.Transfers {
		if in.Has(cfg.RetpolineSafe) || c.prog.Sec(in).Init {
			continue
		}
		switch in.Kind {
		case arch.Return:
			if !c.opts.Rethunk {
				continue
			}
			c.rep.warnInsn(in, "'naked' return found in MITIGATION_RETHUNK build")
		case arch.JumpDynamic:
			c.rep.warnInsn(in, "indirect jump found in MITIGATION_RETPOLINE build")
		case arch.CallDynamic:
			c.rep.warnInsn(in, "indirect call found in MITIGATION_RETPOLINE build")
		default:
			continue
		}
		warnings++
	}
	return warnings
}

// validateSLS warns about returns and indirect jumps not followed by int3.
func (c *checker) validateSLS() {
	for in := range c.prog.Transfers {
		if in.Has(cfg.RetpolineSafe) {
			continue
		}
		next := c.prog.Next(in)
		trap := next != nil && next.Kind == arch.Trap
		switch {
		case in.Kind == arch.Return && !trap:
			c.rep.warnInsn(in, "missing int3 after ret")
		case in.Kind == arch.JumpDynamic && !trap:
			c.rep.warnInsn(in, "missing int3 after indirect jump")
		}
	}
}

// validates reports whether any validating action was asked for.
func validates(o *Options) bool {
	return o.Stackval || o.ORC || o.Uaccess || o.Noinstr || o.Retpoline || o.SLS || o.IBT || o.Unret
}
