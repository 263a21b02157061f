package check

import (
	"bytes"
	"fmt"

	"github.com/objcheck/objcheck/cfg"
)

// A reporter formats diagnostics exactly as objtool 6.12 prints them and
// applies its rule of one instruction warning per symbol.
type reporter struct {
	name       string // the object's path as given
	secAddress bool   // --sec-address
	backtrace  bool   // --backtrace or --verbose
	out        bytes.Buffer
	printed    int
}

// warn prints a plain warning line.
func (r *reporter) warn(msg string) {
	fmt.Fprintf(&r.out, "%s: warning: objtool: %s\n", r.name, msg)
	r.printed++
}

// warnAt prints a warning located at a section offset.
func (r *reporter) warnAt(sec *cfg.Section, off uint64, msg string) {
	r.warn(r.offstr(sec, off) + ": " + msg)
}

// warnInsn prints a warning about in unless its symbol already has one,
// and marks the symbol.
func (r *reporter) warnInsn(in *cfg.Insn, msg string) {
	if in.Sym == nil || !in.Sym.Warned {
		r.warnAt(in.Sec, in.Off, msg)
	}
	if in.Sym != nil {
		in.Sym.Warned = true
	}
}

// bt prints one line of a backtrace, with --backtrace or --verbose.
func (r *reporter) bt(in *cfg.Insn, msg string) {
	if r.backtrace {
		r.warn("  " + r.offstr(in.Sec, in.Off) + ": " + msg)
	}
}

// offstr names a place as function+offset, symbol+offset or
// section+offset (objtool's offstr).
func (r *reporter) offstr(sec *cfg.Section, off uint64) string {
	if sec == nil {
		return fmt.Sprintf("+0x%x", off)
	}
	var sym *cfg.Symbol
	if sec.IsExec() {
		sym = sec.FuncContaining(off)
	}
	if sym == nil {
		sym = sec.SymbolContaining(off)
	}
	if sym == nil {
		return fmt.Sprintf("%s+0x%x", sec.Name, off)
	}
	s := fmt.Sprintf("%s+0x%x", sym.Name, off-sym.Offset)
	if r.secAddress {
		s += fmt.Sprintf(" (%s+0x%x)", sec.Name, off)
	}
	return s
}

// problem prints a diagnostic found while building the graph.
func (r *reporter) problem(p *cfg.Problem) {
	switch {
	case p.At != nil:
		r.warnInsn(p.At, p.Msg)
	case p.Plain:
		r.warn(p.Msg)
	default:
		r.warnAt(p.Sec, p.Off, p.Msg)
	}
}
