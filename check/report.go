package check

import (
	"fmt"

	"github.com/objcheck/objcheck/cfg"
)

// A reporter collects the diagnostics of one object, as objtool 6.12
// would print them, applying its rule of one instruction warning per
// symbol; text renders them as objtool's lines.
type reporter struct {
	name       string // the object's path as given
	secAddress bool   // --sec-address
	backtrace  bool   // --backtrace or --verbose
	// prog resolves the names a plain message mentions; nil if none.
	prog *cfg.Program
	// stateAt returns the stack state at an instruction, or nil.
	stateAt func(*cfg.Insn) *StackState
	diags   []Diagnostic
	printed int // the text lines, backtrace lines included
	// marked lists the symbols warnInsn marked as warned, in order.
	marked []*cfg.Symbol
	// orphan is set when the first diagnostic only holds backtrace
	// lines that came with no warning before them.
	orphan bool
}

// add records a diagnostic.
func (r *reporter) add(d Diagnostic) {
	r.diags = append(r.diags, d)
	if !d.Hidden {
		r.printed++
	}
}

// warn reports a plain warning: a message with no location before it.
func (r *reporter) warn(msg string) { r.add(r.plain(msg)) }

// plain makes the diagnostic of a plain message, located by the function
// or section it names.
func (r *reporter) plain(msg string) Diagnostic {
	c := classify(msg)
	return Diagnostic{Rule: c.rule, Message: msg, Loc: r.named(c)}
}

// warnAt reports a warning located at a section offset.
func (r *reporter) warnAt(sec *cfg.Section, off uint64, msg string) {
	r.add(r.located(sec, off, msg))
}

// located makes the diagnostic of a message about sec+off.
func (r *reporter) located(sec *cfg.Section, off uint64, msg string) Diagnostic {
	return Diagnostic{Rule: classify(msg).rule, Message: r.offstr(sec, off) + ": " + msg, Loc: r.location(sec, off)}
}

// warnInsn reports a warning about in, hidden if its symbol already has
// one, and marks the symbol.
func (r *reporter) warnInsn(in *cfg.Insn, msg string) {
	sym := r.prog.Sym(in)
	d := r.located(r.prog.Sec(in), uint64(in.Off), msg)
	d.Hidden = sym != nil && sym.Warned
	if r.stateAt != nil {
		d.State = r.stateAt(in)
	}
	r.add(d)
	if sym != nil && !sym.Warned {
		sym.Warned = true
		r.marked = append(r.marked, sym)
	}
}

// bt adds one line of a backtrace, with --backtrace or --verbose, to the
// last diagnostic.
func (r *reporter) bt(in *cfg.Insn, msg string) {
	if !r.backtrace {
		return
	}
	if len(r.diags) == 0 {
		r.diags = append(r.diags, Diagnostic{Hidden: true})
		r.orphan = true
	}
	d := &r.diags[len(r.diags)-1]
	d.Backtrace = append(d.Backtrace, r.offstr(r.prog.Sec(in), uint64(in.Off))+": "+msg)
	r.printed++
}

// join adds the diagnostics of o after r's, as if o's reports had been
// made to r: backtrace lines o had no warning for go to r's last.
func (r *reporter) join(o *reporter) {
	ds := o.diags
	if o.orphan && len(r.diags) > 0 {
		last := &r.diags[len(r.diags)-1]
		last.Backtrace = append(last.Backtrace, ds[0].Backtrace...)
		ds = ds[1:]
	} else if o.orphan {
		r.orphan = true
	}
	r.diags = append(r.diags, ds...)
	r.printed += o.printed
	r.marked = append(r.marked, o.marked...)
}

// text renders the diagnostics as objtool prints them.
func (r *reporter) text() []byte { return Text(r.name, r.diags) }

// offstr names a place as function+offset, symbol+offset or
// section+offset (objtool's offstr).
func (r *reporter) offstr(sec *cfg.Section, off uint64) string {
	if sec == nil {
		return fmt.Sprintf("+0x%x", off)
	}
	sym := symbolAt(sec, off)
	if sym == nil {
		return fmt.Sprintf("%s+0x%x", sec.Name, off)
	}
	s := fmt.Sprintf("%s+0x%x", sym.Name, off-sym.Offset)
	if r.secAddress {
		s += fmt.Sprintf(" (%s+0x%x)", sec.Name, off)
	}
	return s
}

// symbolAt is the symbol offstr names a place by: the function containing
// it in executable sections, else any symbol containing it.
func symbolAt(sec *cfg.Section, off uint64) *cfg.Symbol {
	var sym *cfg.Symbol
	if sec.IsExec() {
		sym = sec.FuncContaining(off)
	}
	if sym == nil {
		sym = sec.SymbolContaining(off)
	}
	return sym
}

// location describes sec+off.
func (r *reporter) location(sec *cfg.Section, off uint64) *Location {
	if sec == nil {
		return nil
	}
	l := &Location{Section: sec.Name, SectionIndex: sec.Index, Offset: off, HasOffset: true}
	if sym := symbolAt(sec, off); sym != nil {
		l.Func, l.FuncOffset = sym.Name, off-sym.Offset
	}
	if sec.Data != nil && off <= uint64(len(sec.Data)) {
		l.FileOffset, l.HasFileOffset = sec.Offset+off, true
	}
	return l
}

// named locates a plain message by the function or section it names.
func (r *reporter) named(c classification) *Location {
	if r.prog == nil {
		return nil
	}
	if c.fn != "" {
		if sym := r.prog.SymbolByName(c.fn); sym != nil && sym.Sec != nil {
			return r.location(sym.Sec, sym.Offset)
		}
		return &Location{Func: c.fn}
	}
	if c.sec != "" {
		for _, s := range r.prog.Sections {
			if s.Name == c.sec {
				return &Location{Section: s.Name, SectionIndex: s.Index}
			}
		}
		return &Location{Section: c.sec}
	}
	return nil
}

// problem reports a diagnostic found while building the graph.
func (r *reporter) problem(p *cfg.Problem) {
	switch {
	case p.At != nil:
		r.warnInsn(p.At, p.Msg)
	case p.Plain:
		r.warn(p.Msg)
	default:
		r.warnAt(p.Sec, p.Off, p.Msg)
	}
	r.diags[len(r.diags)-1].Fatal = p.Fatal
}

// stateOf converts a stack state for a diagnostic.
// stateAt is the stack state the checker recorded at in, or nil.
func (c *checker) stateAt(in *cfg.Insn) *StackState {
	if i := c.prog.IndexOf(in); i < 0 || int(i) >= c.cfi.len() {
		return nil
	}
	return stateOf(c.cfiOf(in))
}

// stateOf converts a stack state for a diagnostic.
func stateOf(s *cfiState) *StackState {
	if s == nil {
		return nil
	}
	st := &StackState{CFA: StateLoc{int(s.cfa.base), int(s.cfa.off)}, StackSize: int(s.stackSize),
		Type: int(s.typ), DRAP: s.drap, RASigned: s.raSigned}
	for i := range s.regs.off {
		if l := s.regs.at(int32(i)); l.base != baseUndef {
			st.Saved = append(st.Saved, SavedReg{Reg: i, At: StateLoc{int(l.base), int(l.off)}})
		}
	}
	return st
}
