package check

import (
	"fmt"
	"slices"

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
	r := newORCResult(!c.opts.DryRun, c.prog.NumInsns())
	if n := cap(r.step.Sites); n > 0 {
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

// newORCResult returns an empty result for the entries of insns
// instructions. One that keeps the entries has room for them reserved:
// the state changes at about one instruction in nine (vmlinux.o: 528,447
// entries for 4.9 million), and the room is for one in four, as growing
// the lists by a quarter at a time leaves copies behind in a run that
// does not collect (what is never touched costs no memory).
func newORCResult(keep bool, insns int) *orcResult {
	r := &orcResult{step: Step{Section: ".orc_unwind"}, keep: keep}
	if keep {
		n := insns / 4
		r.step.Sites, r.step.ORC = make([]Site, 0, n), make([]ORC, 0, n)
	}
	return r
}

// orcSplitMin is the fewest instructions of a section whose entries are
// found in two halves at once (vmlinux.o's .text, 4.8 million: the
// tables take 80 ms, the last of the run, alone).
const orcSplitMin = 1 << 20

// orcSection adds the entries of one section; false after a warning,
// which it leaves in r. It consumes the runs of pads (in instruction
// order) that come before the end of the section.
func (c *checker) orcSection(sec *cfg.Section, pads *[]prefixRun, r *orcResult) bool {
	insns := c.prog.SecInsns(sec)
	// The first entry is added unless it is the zero entry, as objtool's
	// comparison with its zeroed previous entry has it.
	cur := newORCCursor(true)
	ok := false
	if m := c.orcSplit(insns); m > 0 {
		ok = c.orcHalves(sec, insns, m, pads, r, &cur)
	} else {
		ok = c.orcSpan(sec, insns, 0, len(insns), pads, r, &cur)
	}
	if ok && cur.added > 0 {
		r.add(Site{Sec: sec.Index, Off: sec.Size}, ORC{Type: orcUndefined})
	}
	return ok
}

// An orcCursor is how far the entries of a stretch of a section have
// come: the last entry added, if any, their number and the first, and
// the last state given an entry. Runs of instructions share one interned
// state: its entry is made once a run, not once an instruction
// (vmlinux.o: 4.9 million).
type orcCursor struct {
	prev, first ORC
	havePrev    bool // without, the next entry is added whatever it is
	added       int
	last        *cfiState
	lastEntry   ORC
}

// newORCCursor is the cursor at the start of a stretch: the last state
// given an entry is none, and the entry before it is the zero entry if
// havePrev, none otherwise.
func newORCCursor(havePrev bool) orcCursor {
	return orcCursor{havePrev: havePrev, lastEntry: ORC{Type: orcUndefined}}
}

// emit adds e at s unless it repeats the entry before it.
func (cur *orcCursor) emit(r *orcResult, s Site, e ORC) {
	if cur.havePrev && e == cur.prev {
		return
	}
	r.add(s, e)
	if cur.added == 0 {
		cur.first = e
	}
	cur.added++
	cur.prev, cur.havePrev = e, true
}

// orcSplit returns where orcHalves splits insns: the first instruction
// from the middle on that is in no alternative group and follows none
// that goes on past it, so that each group is in one half; 0 for a
// section taken whole.
func (c *checker) orcSplit(insns []cfg.Insn) int {
	if len(insns) < max(orDefault(c.opts.ORCSplitMin, orcSplitMin), 2) {
		return 0
	}
	for m := len(insns) / 2; m < len(insns); m++ {
		before := c.prog.Group(&insns[m-1])
		if c.prog.Group(&insns[m]) == nil && (before == nil || before.Last == &insns[m-1]) {
			return m
		}
	}
	return 0
}

// orcHalves is orcSpan over the whole section, with insns[m:] taken on
// another goroutine, into a result of its own, from no previous entry:
// joined after the first half, its first entry is dropped if it repeats
// the first half's last, and the rest, up to a warning, are the same as
// taken in order. Both halves only read the checker and the runs of pads.
func (c *checker) orcHalves(sec *cfg.Section, insns []cfg.Insn, m int, pads *[]prefixRun, r *orcResult, cur *orcCursor) bool {
	later := *pads // the same runs: padState drops those before insns[m]
	lr := newORCResult(r.keep, len(insns)-m)
	lcur := newORCCursor(false)
	lok := false
	done := make(chan struct{})
	go func() {
		defer close(done)
		lok = c.orcSpan(sec, insns, m, len(insns), &later, lr, &lcur)
	}()
	ok := c.orcSpan(sec, insns, 0, m, pads, r, cur)
	<-done
	if !ok {
		return false
	}
	skip := 0
	if lcur.added > 0 && cur.havePrev && lcur.first == cur.prev {
		skip = 1
	}
	r.step.Entries += lr.step.Entries - skip
	if r.keep { // grown to their size, not doubled: the run never collects
		r.step.Sites = append(slices.Grow(r.step.Sites, len(lr.step.Sites)-skip), lr.step.Sites[skip:]...)
		r.step.ORC = append(slices.Grow(r.step.ORC, len(lr.step.ORC)-skip), lr.step.ORC[skip:]...)
	}
	if lcur.added > skip {
		cur.added += lcur.added - skip
		cur.prev = lcur.prev
	}
	*pads = later
	if !lok {
		r.failAt, r.fail = lr.failAt, lr.fail
	}
	return lok
}

// orcSpan adds the entries of insns[lo:hi], the instructions of sec from
// cur on; false after a warning, which it leaves in r. A span begins
// outside every alternative group.
func (c *checker) orcSpan(sec *cfg.Section, insns []cfg.Insn, lo, hi int, pads *[]prefixRun, r *orcResult, cur *orcCursor) bool {
	for i := lo; i < hi; i++ {
		in := &insns[i]
		g := c.prog.Group(in)
		if g == nil {
			s := c.padState(pads, in)
			e := cur.lastEntry
			if s != cur.last {
				var fail string
				if e, fail = c.orcEntry(s); fail != "" {
					r.failAt, r.fail = in, fail
					return false
				}
				cur.last, cur.lastEntry = s, e
			}
			cur.emit(r, site(c.prog, in), e)
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
			cur.emit(r, Site{Sec: sec.Index, Off: uint64(in.Off) + uint64(off)}, e)
		}
		for i < hi && &insns[i] != g.Last {
			i++
		}
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
