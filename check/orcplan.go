package check

import (
	"fmt"

	"github.com/objcheck/objcheck/cfg"
	"github.com/objcheck/objcheck/internal/prefault"
)

// The ORC entry types (arch/x86/include/asm/orc_types.h); the unwind hint
// types of the stack state share their numbers.
const (
	orcUndefined   = 0
	orcEndOfStack  = 1
	orcRegsPartial = 4
)

// orc adds the ORC tables: for every text section, one entry where the
// stack state changes, the states of an alternative taken byte by byte,
// and an undefined entry at the section's end (objtool's orc_create).
func (pl *planner) orc() bool {
	t := pl.c.orcAhead.tables()
	if t == nil {
		t = pl.c.orcTables(nil)
	}
	if t.fail != "" {
		pl.c.rep.warnInsn(t.failAt, t.fail)
		return false
	}
	if t.step.Entries == 0 {
		return true
	}
	if pl.c.prog.File.SectionByName(".orc_unwind") != nil {
		pl.c.rep.warn("file already has .orc_unwind section, skipping")
		return false
	}
	pl.add(t.step)
	return true
}

// An orcResult is the ORC step's entries, or the warning that stops it.
type orcResult struct {
	// step has the entries, or, unless keep, only their number.
	step   Step
	keep   bool
	failAt *cfg.Insn // where fail is, if not ""
	fail   string
}

// add adds the entry e at s; a dry run only counts it, as nothing will
// write the tables (vmlinux.o: 13 MB of them), and the count is all the
// plan needs.
func (r *orcResult) add(s Site, e ORC) {
	r.step.Entries++
	if r.keep {
		r.step.Sites, r.step.ORC = append(r.step.Sites, s), append(r.step.ORC, e)
	}
}

// orcTables builds the ORC entries. It only reads the checker, so that it
// can run beside the passes that follow the walks (see orcAhead), and it
// takes the padding in pads to have its function's state, as the
// prefixes step will have given it by the time the tables are written.
func (c *checker) orcTables(pads []prefixRun) *orcResult {
	// The state changes at about one instruction in nine (vmlinux.o:
	// 528,447 entries for 4.9 million): reserve for one in four, as
	// growing the lists by a quarter at a time leaves copies behind in a
	// run that does not collect (what is never touched costs no memory).
	r := &orcResult{step: Step{Section: ".orc_unwind"}, keep: !c.opts.DryRun}
	if r.keep {
		n := c.prog.NumInsns() / 4
		r.step.Sites, r.step.ORC = make([]Site, 0, n), make([]ORC, 0, n)
		prefault.Start(r.step.Sites, n/2)
		prefault.Start(r.step.ORC, n/2)
	}
	for _, sec := range c.prog.Sections {
		if sec.Text && !c.orcSection(sec, &pads, r) {
			break
		}
	}
	return r
}

// orcSection adds the entries of one section; false after a warning,
// which it leaves in r. It consumes the runs of pads (in instruction
// order) that come before the end of the section.
func (c *checker) orcSection(sec *cfg.Section, pads *[]prefixRun, r *orcResult) bool {
	var prev ORC
	empty := true
	// Runs of instructions share one interned state: its entry is made
	// once a run, not once an instruction (vmlinux.o: 4.9 million). It
	// starts as the entry of no state.
	var last *cfiState
	lastEntry := ORC{Type: orcUndefined}
	insns := c.prog.SecInsns(sec)
	for i := 0; i < len(insns); i++ {
		in := &insns[i]
		g := c.prog.Group(in)
		if g == nil {
			s := c.padState(pads, in)
			e := lastEntry
			if s != last {
				if e, r.fail = c.orcEntry(s); r.fail != "" {
					r.failAt = in
					return false
				}
				last, lastEntry = s, e
			}
			if e != prev {
				r.add(site(c.prog, in), e)
				prev, empty = e, false
			}
			continue
		}
		slots := c.walkedAltSlots(g.Shared)
		n := int(uint64(g.Last.Off) + uint64(g.Last.Len) - uint64(g.First.Off))
		for off := 0; off < n && off < len(slots); off++ {
			if slots[off] == nil {
				continue
			}
			e, fail := c.orcEntry(slots[off])
			if fail != "" {
				r.failAt, r.fail = in, fail
				return false
			}
			if e != prev {
				r.add(Site{Sec: sec.Index, Off: uint64(in.Off) + uint64(off)}, e)
				prev, empty = e, false
			}
		}
		for i < len(insns) && &insns[i] != g.Last {
			i++
		}
	}
	if !empty {
		r.add(Site{Sec: sec.Index, Off: sec.Size}, ORC{Type: orcUndefined})
	}
	return true
}

// padState is in's state, or, if in is in the first run of pads (which
// it drops once past), the state of the function the run pads.
func (c *checker) padState(pads *[]prefixRun, in *cfg.Insn) *cfiState {
	for len(*pads) > 0 && c.prog.IndexOf((*pads)[0].entry) <= c.prog.IndexOf(in) {
		*pads = (*pads)[1:]
	}
	if len(*pads) > 0 && c.prog.IndexOf((*pads)[0].start) <= c.prog.IndexOf(in) {
		if s := c.cfiOf((*pads)[0].entry); s != nil {
			return s
		}
	}
	return c.cfiOf(in)
}

// orcEntry is the ORC entry for stack state s (objtool's init_orc_entry),
// or the warning about a state ORC cannot say.
func (c *checker) orcEntry(s *cfiState) (ORC, string) {
	if s == nil || s.typ == orcUndefined {
		return ORC{Type: orcUndefined}, ""
	}
	if s.typ == orcEndOfStack {
		return ORC{Type: orcEndOfStack}, ""
	}
	w := &c.prog.Arch.Write
	if s.typ > orcRegsPartial {
		return ORC{}, fmt.Sprintf("unknown unwind hint type %d", s.typ)
	}
	sp, ok := w.ORCReg[int(s.cfa.base)]
	if !ok {
		return ORC{}, fmt.Sprintf("unknown CFA base reg %d", s.cfa.base)
	}
	bpLoc := s.regs.at(c.frame.bp)
	bp, ok := w.ORCBP[int(bpLoc.base)]
	if !ok {
		return ORC{}, fmt.Sprintf("unknown BP base reg %d", bpLoc.base)
	}
	return ORC{SPOffset: int16(s.cfa.off), BPOffset: int16(bpLoc.off), SPReg: sp, BPReg: bp,
		Type: s.typ, Signal: s.signal}, ""
}
