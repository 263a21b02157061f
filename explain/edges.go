package explain

import (
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// An edgeKind is how the checker goes from one instruction to another.
type edgeKind uint8

// The edge kinds.
const (
	edgeFall      edgeKind = iota // to the next instruction
	edgeJump                      // a direct jump's destination
	edgeSwitch                    // a switch table's case
	edgeAlt                       // an alternative's replacement, a jump label's other way
	edgeException                 // an exception table's fixup
	edgeStart                     // a walk's start: a function's entry or an unwind hint
)

// edgeStyles holds each kind's name in the trace and its DOT attributes.
var edgeStyles = [...]struct {
	label, dot string
}{
	edgeFall:      {"fall-through", `color=black`},
	edgeJump:      {"jump", `color=blue`},
	edgeSwitch:    {"switch case", `color=purple, style=dashed, label="case"`},
	edgeAlt:       {"alternative", `color=darkgreen, style=dotted, label="alt"`},
	edgeException: {"exception", `color=orange, style=dotted, label="fixup"`},
	edgeStart:     {"start", `color=black`},
}

// altKind says what kind of edge the alternative successor to of in is:
// a switch case for a dynamic jump, an alternative for replacement code,
// an exception fixup otherwise.
func altKind(p *cfg.Program, in, to *cfg.Insn) struct{ label, dot string } {
	return edgeStyles[altEdge(p, in, to)]
}

func altEdge(p *cfg.Program, in, to *cfg.Insn) edgeKind {
	switch ts := p.Sec(to); {
	case in.Kind.IsDynamicJump():
		return edgeSwitch
	case p.Group(to) != nil || ts != nil && (strings.HasPrefix(ts.Name, ".altinstr") ||
		strings.HasPrefix(ts.Name, "__ftr_alt")):
		return edgeAlt
	case ts == p.Sec(in) && (in.Kind.IsStaticJump() || in.Kind == arch.Nop):
		return edgeAlt // a jump label's other way
	}
	return edgeException
}

// edgeTo classifies the edge from in to to: a jump, an alternative, or
// the fall-through.
func edgeTo(p *cfg.Program, in, to *cfg.Insn) edgeKind {
	if in == nil {
		return edgeStart
	}
	for _, a := range p.Alts(in) {
		if a.Insn == to {
			return altEdge(p, in, to)
		}
	}
	if p.JumpDest(in) == to && in.Kind.IsStaticJump() {
		return edgeJump
	}
	return edgeFall
}
