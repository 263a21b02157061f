package check

import (
	"fmt"
	"sort"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/ehframe"
)

// crossCheckDWARF compares the CFA objcheck computed at every instruction
// its walks reached with the CFA rule of the object's own call-frame
// information, and warns at the first instruction of each run where they
// disagree. No objtool does this: it catches frame code the walk models
// wrongly, and CFI the compiler or an assembly author got wrong.
func (c *checker) crossCheckDWARF() {
	regs := c.prog.Arch.DWARF
	if regs.SPName == "" {
		return
	}
	fdes, err := ehframe.Read(c.prog.File)
	if err != nil {
		c.rep.warn("DWARF CFI unreadable: " + err.Error())
		return
	}
	src := ".debug_frame"
	if c.sectionByName(".eh_frame") != nil {
		src = ".eh_frame"
	}
	for i := range fdes {
		c.crossCheckFDE(&fdes[i], regs, src)
	}
}

// crossCheckFDE compares one function's rows.
func (c *checker) crossCheckFDE(fde *ehframe.FDE, regs arch.DWARFRegs, src string) {
	if fde.Section == nil || fde.Section.Index >= len(c.prog.Sections) {
		return
	}
	insns := c.prog.SecInsns(c.prog.Sections[fde.Section.Index])
	i := sort.Search(len(insns), func(i int) bool { return uint64(insns[i].Off) >= fde.Start })
	agreed := true
	for ; i < len(insns) && uint64(insns[i].Off) < fde.End; i++ {
		in := &insns[i]
		row := fde.At(uint64(in.Off))
		s := c.cfiOf(in)
		if row == nil || s == nil || c.visited[c.prog.IndexOf(in)] == 0 {
			continue
		}
		ours, theirs, ok := compareCFA(s, row.CFA, regs, c.frame)
		if ok && c.frame.lr >= 0 && in.Kind.IsCall() {
			ours, theirs, ok = compareRA(s, row.RA, c.frame)
		}
		if ok {
			agreed = true
			continue
		}
		if agreed {
			c.rep.warnAt(c.prog.Sec(in), uint64(in.Off), fmt.Sprintf("DWARF %s mismatch: objcheck %s, %s %s", what(ours), ours, src, theirs))
		}
		agreed = false
	}
}

// compareCFA compares a computed state with a DWARF CFA rule. It returns
// both sides in the rule's terms and whether they agree; theirs is empty
// when the two cannot be compared (an expression, a base objcheck does not
// track, a pt_regs frame).
func compareCFA(s *cfiState, rule ehframe.Rule, regs arch.DWARFRegs, f frame) (ours, theirs string, ok bool) {
	if rule.Kind != ehframe.RegOffset || s.typ != hintCall || s.cfa.base == baseUndef {
		return "", "", true
	}
	var have int64
	var name string
	switch {
	case rule.Reg == regs.SP && s.cfa.base == f.sp:
		have, name = int64(s.cfa.off), regs.SPName
	case rule.Reg == regs.SP && s.cfa.base == f.bp:
		have, name = int64(s.stackSize), regs.SPName
	case rule.Reg == regs.FP && s.cfa.base == f.bp:
		have, name = int64(s.cfa.off), regs.FPName
	default:
		return "", "", true
	}
	return fmt.Sprintf("%s%+d", name, have), fmt.Sprintf("%s%+d", name, rule.Off), have == rule.Off
}

// compareRA compares, at a call on a link-register machine, where
// objcheck and the CFI say the return address is saved: a call overwrites
// the link register, so by then the two must agree. (Elsewhere the saved
// slot and the restored register hold the same value, and either
// description is right.)
func compareRA(s *cfiState, rule ehframe.Rule, f frame) (ours, theirs string, ok bool) {
	saved := s.regs.at(f.lr)
	switch rule.Kind {
	case ehframe.AtCFA:
		theirs = fmt.Sprintf("ra at cfa%+d", rule.Off)
	case ehframe.SameValue:
		theirs = "ra in lr"
	default:
		return "", "", true
	}
	switch {
	case saved.base == baseCFA:
		ours = fmt.Sprintf("ra at cfa%+d", saved.off)
	case saved.base == baseUndef:
		ours = "ra in lr"
	default:
		return "", "", true
	}
	return ours, theirs, ours == theirs
}

// what names the kind of state a mismatch is about.
func what(ours string) string {
	if strings.HasPrefix(ours, "ra ") {
		return "return address"
	}
	return "CFA"
}
