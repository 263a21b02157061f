package check

import (
	"cmp"
	"slices"

	"github.com/objcheck/objcheck/cfg"
)

// An orcAhead is the ORC tables being built, in a large object on a
// goroutine of their own (see beside), while the passes after the walks
// run: the walks leave every stack state final, and after them only the
// prefixes step changes any, the padding it gives a function's state,
// which the tables foresee (vmlinux.o: the tables take some 80 ms, about
// what the unreachable, unret and IBT passes take). The prefix runs,
// which read only the graph, are found before that, while the functions
// are walked (37 ms off the end of the run), for the tables and for the
// prefixes step. A nil orcAhead is none.
type orcAhead struct {
	runsDone chan struct{} // closed once runs is set (see beside)
	runs     []prefixRun
	done     chan struct{} // made by startORC; closed once res is set
	res      *orcResult    // nil if the tables could not be foreseen
}

// startPrefixes starts finding the prefix runs, if the run writes ORC
// tables; the walks may go on meanwhile, as they write nothing the search
// reads (instructions' kinds and places, symbols' offsets and types).
func (c *checker) startPrefixes() {
	if !c.opts.ORC || !c.opts.writes() {
		return
	}
	a := &orcAhead{}
	c.orcAhead = a
	a.runsDone = c.beside(func() {
		if c.opts.Prefix != 0 {
			a.runs = c.prefixRuns()
		}
	})
}

// startORC starts building the ORC tables once the prefix runs are
// found, if startPrefixes began.
func (c *checker) startORC() {
	a := c.orcAhead
	if a == nil {
		return
	}
	a.done = c.beside(func() {
		<-a.runsDone
		if pads, ok := sortedPads(c.prog, a.runs); ok {
			a.res = c.orcTables(pads)
		}
	})
}

// prefixes returns the prefix runs, once found; false if none were
// looked for.
func (a *orcAhead) prefixes() ([]prefixRun, bool) {
	if a == nil {
		return nil, false
	}
	<-a.runsDone
	return a.runs, true
}

// tables returns the tables once built; nil if none were started, or if
// they could not be foreseen. Without tables started it waits for the
// prefix runs: either way no search reads the graph past it.
func (a *orcAhead) tables() *orcResult {
	switch {
	case a == nil:
		return nil
	case a.done == nil: // startORC never ran
		<-a.runsDone
		return nil
	}
	<-a.done
	return a.res
}

// sortedPads returns the prefix runs in instruction order, each once
// (aliases pad alike), for orcTables. It is false if two runs overlap or
// touch: then the state the prefixes step leaves in one depends on the
// order it takes them in, and only that step can tell.
func sortedPads(p *cfg.Program, runs []prefixRun) ([]prefixRun, bool) {
	pads := slices.Clone(runs)
	slices.SortStableFunc(pads, func(a, b prefixRun) int { return cmp.Compare(p.IndexOf(a.start), p.IndexOf(b.start)) })
	out := pads[:0]
	for _, r := range pads {
		if n := len(out); n > 0 {
			last := out[n-1]
			if r.start == last.start && r.entry == last.entry {
				continue
			}
			if p.IndexOf(r.start) <= p.IndexOf(last.entry) {
				return nil, false
			}
		}
		out = append(out, r)
	}
	return out, true
}
