package check

import (
	"fmt"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// A Site is a place in the object's code: a section index and an offset.
type Site struct {
	Sec int
	Off uint64
}

// A StaticKey is the key of one static-call site.
type StaticKey struct {
	Sym  int  // the key symbol's index in the input's symbol table
	Tail bool // the site is a tail call (STATIC_CALL_SITE_TAIL)
}

// An ORC is one entry of the ORC unwind table, objtool's struct orc_entry.
type ORC struct {
	SPOffset, BPOffset int16
	SPReg, BPReg, Type uint8
	Signal             bool
}

// A Prefix is a __pfx_ symbol to add before a function.
type Prefix struct {
	Func int // the function's index in the input's symbol table
	Size int
}

// A Patch is an instruction to rewrite: with a nop of Len bytes, or a
// return when Ret is set; Rela and Reloc, when Rela is not 0, locate the
// relocation entry to make R_NONE.
type Patch struct {
	Site
	Len   int
	Ret   bool
	Rela  int
	Reloc int
}

// A Step is one addition objtool makes to the object, in its order.
type Step struct {
	// Section names the section added (its relocations go with it); it is
	// empty for a step that adds symbols only.
	Section string
	// Entries is the number of entries the section is made with; at a
	// fatal error objtool leaves the rest zero, so Sites may be shorter.
	Entries int
	// Sites are the code addresses of the entries, in order.
	Sites []Site
	// Keys are the static-call keys of .static_call_sites, one per site.
	Keys []StaticKey
	// ORC are the .orc_unwind entries, one per site of .orc_unwind_ip.
	ORC []ORC
	// Prefixes are the prefix symbols to add.
	Prefixes []Prefix
}

// A Plan is what objtool's writing actions change in the object: the
// instructions rewritten while building the graph, then the sections and
// symbols added, in objtool's order. The check computes it; it writes
// nothing.
type Plan struct {
	Patches []Patch
	Steps   []Step
}

// Changes reports whether objtool would write the file.
func (p *Plan) Changes() bool { return p != nil && (len(p.Patches) > 0 || len(p.Steps) > 0) }

// DropORC removes the ORC tables from the plan (the pre-5.19 "check
// --no-fp" validates as --orc does but generates nothing).
func (p *Plan) DropORC() {
	if p == nil {
		return
	}
	for i, s := range p.Steps {
		if s.Section == ".orc_unwind" {
			p.Steps = append(p.Steps[:i], p.Steps[i+1:]...)
			return
		}
	}
}

// writes reports whether any option makes objtool change the object.
func (o *Options) writes() bool {
	return o.HacksJumpLabel || o.HacksNoinstr || o.Mnop || o.StaticCall || o.Retpoline || o.CFI ||
		o.Rethunk || o.Mcount || o.Prefix != 0 || o.IBT || o.ORC
}

// A planner computes the steps after the checks.
type planner struct {
	c    *checker
	plan *Plan
}

// makePlan computes the plan after the checks have run; fatal is set when
// building the graph stopped, and only the patches made so far count.
func (c *checker) makePlan(fatal bool) *Plan {
	pl := &planner{c: c, plan: &Plan{}}
	defer c.orcAhead.tables() // never leave it reading past the run
	pl.patches()
	if fatal || len(c.prog.Insns) == 0 {
		return pl.plan
	}
	o := c.opts
	steps := []struct {
		on  bool
		run func() bool // false stops the steps, as objtool's -1
	}{
		{o.StaticCall, pl.staticCalls},
		{o.Retpoline, func() bool { return pl.list(".retpoline_sites", ".retpoline_sites,", c.prog.Sites.Retpolines) }},
		{o.CFI, pl.cfiSites},
		{o.Rethunk, func() bool { return pl.list(".return_sites", ".return_sites,", c.prog.Sites.ReturnThunks) }},
		{o.Rethunk && o.HacksSkylake, func() bool {
			return pl.list(".call_sites", ".call_sites section,", c.prog.Sites.Calls)
		}},
		{o.Mcount, pl.mcount},
		{o.Prefix != 0, pl.prefixes},
		{o.IBT, pl.endbrSeal},
		{o.ORC, pl.orc},
	}
	for _, s := range steps {
		if s.on && !s.run() {
			c.stats.planStopped = true
			break
		}
	}
	return pl.plan
}

// patches turns the graph's rewrites into patches.
func (pl *planner) patches() {
	for _, p := range pl.c.prog.Patches {
		pt := Patch{Site: site(pl.c.prog, p.At), Len: int(p.At.Len), Ret: p.Ret}
		if p.Rel != nil {
			pt.Rela, pt.Reloc = pl.c.prog.Sec(p.At).Rela.Index, int(p.Rel.Index)
		}
		pl.plan.Patches = append(pl.plan.Patches, pt)
	}
}

// site is where an instruction is.
func site(p *cfg.Program, in *cfg.Insn) Site { return Site{Sec: p.Sec(in).Index, Off: uint64(in.Off)} }

// sites lists where instructions are; nil in a dry run, which writes
// none of them and needs only their number (vmlinux.o: 5 MB of them, one
// cache miss an instruction to make).
func (pl *planner) sites(ins []*cfg.Insn) []Site {
	if pl.c.opts.DryRun {
		return nil
	}
	s := make([]Site, len(ins))
	for i, in := range ins {
		s[i] = site(pl.c.prog, in)
	}
	return s
}

// has reports whether the object already has a section called name,
// warning that objtool skips it: "file already has <what> skipping".
func (pl *planner) has(name, what string) bool {
	if pl.c.prog.File.SectionByName(name) == nil {
		return false
	}
	pl.c.rep.warn("file already has " + what + " skipping")
	return true
}

// add appends a step.
func (pl *planner) add(s Step) { pl.plan.Steps = append(pl.plan.Steps, s) }

// list adds a section listing the sites ins, unless it exists or ins is
// empty.
func (pl *planner) list(name, what string, ins []*cfg.Insn) bool {
	if !pl.has(name, what) && len(ins) > 0 {
		pl.add(Step{Section: name, Entries: len(ins), Sites: pl.sites(ins)})
	}
	return true
}

// mcount adds __mcount_loc: the calls the graph found, or those objtool's
// call-only decoder finds where it has one.
func (pl *planner) mcount() bool {
	f := pl.c.prog.File
	if f.Arch.Write.CallOnly == nil {
		return pl.list("__mcount_loc", "__mcount_loc section,", pl.c.prog.Sites.Mcount)
	}
	if sites := callOnlyMcount(f); !pl.has("__mcount_loc", "__mcount_loc section,") && len(sites) > 0 {
		pl.add(Step{Section: "__mcount_loc", Entries: len(sites), Sites: sites})
	}
	return true
}

// cfiSites adds .cfi_sites, the kCFI preambles: every __cfi_ function in
// objtool's symbol order. The section is made even when empty.
func (pl *planner) cfiSites() bool {
	if pl.has(".cfi_sites", ".cfi_sites section,") {
		return true
	}
	st := Step{Section: ".cfi_sites"}
	for _, sec := range pl.c.prog.Sections {
		for _, s := range sec.Symbols() {
			if s.IsFunc() && strings.HasPrefix(s.Name, "__cfi_") && s.Sec != nil {
				st.Sites = append(st.Sites, Site{Sec: s.Sec.Index, Off: s.Offset})
			}
		}
	}
	st.Entries = len(st.Sites)
	pl.add(st)
	return true
}

// staticCalls adds .static_call_sites: each call's address and its key,
// the __SCK__ symbol named after the __SCT__ trampoline called.
func (pl *planner) staticCalls() bool {
	calls := pl.c.prog.Sites.StaticCalls
	if pl.has(".static_call_sites", ".static_call_sites section,") || len(calls) == 0 {
		return true
	}
	st := Step{Section: ".static_call_sites", Entries: len(calls)}
	defer func() { pl.add(st) }()
	for _, in := range calls {
		st.Sites = append(st.Sites, site(pl.c.prog, in))
		tramp := pl.c.prog.CallDest(in)
		if tramp == nil {
			tramp = pl.c.prog.Reloc(in).Sym
		}
		name := "__SCK__" + strings.TrimPrefix(tramp.Name, "__SCT__")
		key := pl.symbolByName(name)
		if key == nil {
			if !pl.c.opts.Module {
				pl.c.rep.warn("static_call: can't find static_call_key symbol: " + name)
				return false
			}
			key = tramp
		}
		st.Keys = append(st.Keys, StaticKey{Sym: key.Index, Tail: pl.c.prog.IsSiblingCall(in)})
	}
	return true
}

// symbolByName is objtool's find_symbol_by_name: of several symbols with
// the name, the last in the table (section symbols go by their section's
// name), never the null symbol.
func (pl *planner) symbolByName(name string) *cfg.Symbol {
	syms := pl.c.prog.Syms
	if name != "" {
		return pl.c.prog.SymbolByName(name) // the null symbol has no name
	}
	for i := len(syms) - 1; i > 0; i-- {
		if syms[i] != nil && syms[i].Name == "" {
			return syms[i]
		}
	}
	return nil
}

// endbrSeal adds .ibt_endbr_seal: the ENDBRs at function starts that no
// code or data takes the address of.
func (pl *planner) endbrSeal() bool {
	var seal []*cfg.Insn
	for _, in := range pl.c.prog.Sites.Endbrs {
		if !pl.c.endbrUsed[pl.c.prog.IndexOf(in)] {
			seal = append(seal, in)
		}
	}
	if pl.has(".ibt_endbr_seal", ".ibt_endbr_seal,") {
		return true // objtool skips the section, and its statistics
	}
	if pl.c.opts.Stats {
		fmt.Fprintf(&pl.c.stdout, "ibt: ENDBR at function start: %d\n", len(pl.c.prog.Sites.Endbrs))
		fmt.Fprintf(&pl.c.stdout, "ibt: ENDBR inside functions:  %d\n", pl.c.prog.Sites.EndbrsInside)
		fmt.Fprintf(&pl.c.stdout, "ibt: superfluous ENDBR:       %d\n", len(seal))
	}
	if len(seal) == 0 {
		return true
	}
	for _, in := range seal {
		s := pl.c.prog.Sym(in)
		if pl.c.opts.Module && s != nil && s.IsFunc() && uint64(in.Off) == s.Offset &&
			(s.Name == "init_module" || s.Name == "cleanup_module") {
			pl.c.rep.warn(s.Name + "(): not an indirect call target")
		}
	}
	pl.add(Step{Section: ".ibt_endbr_seal", Entries: len(seal), Sites: pl.sites(seal)})
	return true
}

// prefixes adds a __pfx_ symbol before every function that the compiler
// padded with exactly Prefix bytes of nops, and gives those nops the
// function's stack state (objtool's add_prefix_symbols).
func (pl *planner) prefixes() bool {
	runs, ok := pl.c.orcAhead.prefixes()
	if !ok {
		runs = pl.c.prefixRuns()
	}
	st := Step{}
	if len(runs) > 0 {
		st.Prefixes = make([]Prefix, 0, len(runs))
	}
	p := pl.c.prog
	for _, r := range runs {
		st.Prefixes = append(st.Prefixes, Prefix{Func: r.fn.Index, Size: pl.c.opts.Prefix})
		if s := pl.state(r.entry); s != nil {
			pl.c.lookupCFI(s)
			entry := pl.c.cfi.at(p.IndexOf(r.entry))
			for x := r.start; x != r.entry; x = p.Next(x) {
				pl.c.cfi.set(p.IndexOf(x), entry) // the checks are done: as objtool does
			}
		}
	}
	if len(st.Prefixes) > 0 {
		pl.add(st)
	}
	return true
}

// A prefixRun is the padding of a function that gets a prefix symbol:
// the nops from start up to entry, the function's first instruction.
type prefixRun struct {
	fn           *cfg.Symbol
	start, entry *cfg.Insn
}

// prefixRuns finds the functions that get a prefix symbol, in objtool's
// order. It only reads the checker.
func (c *checker) prefixRuns() []prefixRun {
	runs := make([]prefixRun, 0, c.execSymbolCount())
	size := uint64(c.opts.Prefix)
	for _, sec := range c.prog.Sections {
		if !sec.IsExec() {
			continue
		}
		for _, fn := range sec.Symbols() {
			if !fn.IsFunc() {
				continue
			}
			if start, entry := c.padding(sec, fn, size); start != nil {
				runs = append(runs, prefixRun{fn, start, entry})
			}
		}
	}
	return runs
}

// padding returns the first of the nops that pad fn with exactly size
// bytes, and fn's first instruction; nil if fn is not padded so.
func (c *checker) padding(sec *cfg.Section, fn *cfg.Symbol, size uint64) (start, entry *cfg.Insn) {
	p := c.prog
	in := p.Find(sec, fn.Offset)
	if in == nil {
		return nil, nil
	}
	for prev := p.Prev(in); prev != nil; prev = p.Prev(prev) {
		if prev.Kind != arch.Nop || fn.Offset-uint64(prev.Off) > size {
			return nil, nil
		}
		if fn.Offset-uint64(prev.Off) == size {
			return prev, in
		}
	}
	return nil, nil
}

// state is the stack state objtool has for an instruction, nil if none.
func (pl *planner) state(in *cfg.Insn) *cfiState {
	return pl.c.cfiOf(in)
}
