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
	// The state changes at about one instruction in nine (vmlinux.o:
	// 528,447 entries for 4.9 million): reserve for one in four, as
	// growing the lists by a quarter at a time leaves copies behind in a
	// run that does not collect (what is never touched costs no memory).
	n := pl.c.prog.NumInsns() / 4
	st := Step{Section: ".orc_unwind", Sites: make([]Site, 0, n), ORC: make([]ORC, 0, n)}
	prefault.Start(st.Sites, n/2)
	prefault.Start(st.ORC, n/2)
	for _, sec := range pl.c.prog.Sections {
		if !sec.Text {
			continue
		}
		if !pl.orcSection(sec, &st) {
			return false
		}
	}
	if len(st.ORC) == 0 {
		return true
	}
	if pl.c.prog.File.SectionByName(".orc_unwind") != nil {
		pl.c.rep.warn("file already has .orc_unwind section, skipping")
		return false
	}
	st.Entries = len(st.ORC)
	pl.add(st)
	return true
}

// orcSection adds the entries of one section; false after a warning.
func (pl *planner) orcSection(sec *cfg.Section, st *Step) bool {
	var prev ORC
	empty := true
	// Runs of instructions share one interned state: its entry is made
	// once a run, not once an instruction (vmlinux.o: 4.9 million). It
	// starts as the entry of no state.
	var last *cfiState
	lastEntry := ORC{Type: orcUndefined}
	insns := pl.c.prog.SecInsns(sec)
	for i := 0; i < len(insns); i++ {
		in := &insns[i]
		g := pl.c.prog.Group(in)
		if g == nil {
			s := pl.state(in)
			e := lastEntry
			if s != last {
				var ok bool
				if e, ok = pl.orcEntry(s, in); !ok {
					return false
				}
				last, lastEntry = s, e
			}
			if e != prev {
				st.Sites, st.ORC = append(st.Sites, site(in)), append(st.ORC, e)
				prev, empty = e, false
			}
			continue
		}
		slots := pl.c.altSlots(g.Shared)
		n := int(uint64(g.Last.Off) + uint64(g.Last.Len) - uint64(g.First.Off))
		for off := 0; off < n && off < len(slots); off++ {
			if slots[off] == nil {
				continue
			}
			e, ok := pl.orcEntry(slots[off], in)
			if !ok {
				return false
			}
			if e != prev {
				st.Sites = append(st.Sites, Site{Sec: sec.Index, Off: uint64(in.Off) + uint64(off)})
				st.ORC = append(st.ORC, e)
				prev, empty = e, false
			}
		}
		for i < len(insns) && &insns[i] != g.Last {
			i++
		}
	}
	if !empty {
		st.Sites = append(st.Sites, Site{Sec: sec.Index, Off: sec.Size})
		st.ORC = append(st.ORC, ORC{Type: orcUndefined})
	}
	return true
}

// orcEntry is the ORC entry for stack state s at in (objtool's
// init_orc_entry); false after a warning about a state ORC cannot say.
func (pl *planner) orcEntry(s *cfiState, in *cfg.Insn) (ORC, bool) {
	if s == nil || s.typ == orcUndefined {
		return ORC{Type: orcUndefined}, true
	}
	if s.typ == orcEndOfStack {
		return ORC{Type: orcEndOfStack}, true
	}
	w := &pl.c.prog.Arch.Write
	if s.typ > orcRegsPartial {
		pl.c.rep.warnInsn(in, fmt.Sprintf("unknown unwind hint type %d", s.typ))
		return ORC{}, false
	}
	sp, ok := w.ORCReg[int(s.cfa.base)]
	if !ok {
		pl.c.rep.warnInsn(in, fmt.Sprintf("unknown CFA base reg %d", s.cfa.base))
		return ORC{}, false
	}
	bpLoc := s.regs[pl.c.frame.bp]
	bp, ok := w.ORCBP[int(bpLoc.base)]
	if !ok {
		pl.c.rep.warnInsn(in, fmt.Sprintf("unknown BP base reg %d", bpLoc.base))
		return ORC{}, false
	}
	return ORC{SPOffset: int16(s.cfa.off), BPOffset: int16(bpLoc.off), SPReg: sp, BPReg: bp,
		Type: s.typ, Signal: s.signal}, true
}
