package explain

import (
	"fmt"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/check"
)

// pseudoBases names the pseudo bases of a place.
var pseudoBases = map[int]string{
	arch.BaseUndefined:  "undef",
	arch.BaseCFA:        "cfa",
	arch.BaseSPIndirect: "[sp]",
	arch.BaseBPIndirect: "[fp]",
}

// A stateFormat prints stack states of one arch.
type stateFormat struct {
	a     *arch.Arch
	names []string
}

func newStateFormat(a *arch.Arch) stateFormat { return stateFormat{a: a, names: a.RegNames} }

// reg names register r.
func (f stateFormat) reg(r int) string {
	if r >= 0 && r < len(f.names) {
		return f.names[r]
	}
	if s, ok := pseudoBases[r]; ok {
		return s
	}
	return fmt.Sprintf("reg%d", r)
}

// loc prints a place: "rsp+16", "cfa-8".
func (f stateFormat) loc(l check.StateLoc) string {
	if l.Base == arch.BaseUndefined {
		return "undef"
	}
	return fmt.Sprintf("%s%+d", f.reg(l.Base), l.Offset)
}

// format prints a state in one line: the CFA, the stack size, the saved
// registers, and on link-register machines where the return address is.
func (f stateFormat) format(s *check.TraceState) string {
	if s == nil {
		return "no state"
	}
	if s.Undefined {
		return "cfa=undef"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "cfa=%s size=%d", f.loc(s.CFA), s.StackSize)
	if s.Type != 2 {
		fmt.Fprintf(&b, " type=%d", s.Type)
	}
	lrSaved := ""
	for _, r := range s.Saved {
		if f.a.HasLR && r.Reg == int(f.a.LR) {
			lrSaved = f.loc(r.At)
			continue
		}
		fmt.Fprintf(&b, " %s@%s", f.reg(r.Reg), f.loc(r.At))
	}
	if f.a.HasLR {
		f.linkState(&b, s, lrSaved)
	}
	for _, flag := range []struct {
		set  bool
		name string
	}{{s.DRAP, "drap"}, {s.RASigned, "ra-signed"}, {s.BPScratch, "fp-scratch"}} {
		if flag.set {
			b.WriteString(" " + flag.name)
		}
	}
	return b.String()
}

// linkState prints where the return address is on a link-register
// machine: saved on the stack or still in the link register, its copies
// in other registers, and the back chain.
func (f stateFormat) linkState(b *strings.Builder, s *check.TraceState, saved string) {
	lr := f.reg(int(f.a.LR))
	if saved != "" {
		fmt.Fprintf(b, " %s@%s", lr, saved)
	} else {
		fmt.Fprintf(b, " ra-in-%s", lr)
	}
	for _, r := range s.RAIn {
		fmt.Fprintf(b, " ra-copy-in-%s", f.reg(r))
	}
	if s.HasChain {
		fmt.Fprintf(b, " chain@%s", f.loc(s.Chain))
	}
}
