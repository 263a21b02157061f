package check

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/objcheck/objcheck/cfg"
)

// parallelMin is the fewest instructions for which the functions are
// walked on two goroutines: below it, the hand-over costs more than the
// second core saves (a kernel object has thousands, vmlinux.o millions).
const parallelMin = 1 << 18

// A sharing is what two walkers of one object share while they walk at
// once: who first reached each place the walks of two functions could
// both reach, and whether they did. A walk of function f writes only the
// instructions of f and its .cold parts (it stops, writing nothing, on
// arrival at any other function's) and those outside every function; so
// the walkers claim the functions they walk, and each instruction
// outside a function as they reach it. Two claims of one place mean the
// serial order may matter: the walks are then thrown away and done again
// one at a time.
type sharing struct {
	mu       sync.Mutex
	claims   map[any]uint8 // the walker that claimed each place
	conflict atomic.Bool
}

// claim claims place for walker w; false, recording the conflict, if
// the other walker has it.
func (sh *sharing) claim(place any, w uint8) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if had, ok := sh.claims[place]; ok && had != w {
		sh.conflict.Store(true)
		return false
	}
	sh.claims[place] = w
	return true
}

// claimed reports whether c may go on walking into in: always, unless
// it walks beside another walker and in is outside every function and
// the other's.
func (c *checker) claimed(in *cfg.Insn) bool {
	if c.share == nil || c.prog.Func(in) != nil {
		return true
	}
	// The symbol too, if any: a warning marks it.
	sym := c.prog.Sym(in)
	return c.share.claim(in, c.own) && (sym == nil || c.share.claim(sym, c.own))
}

// claimedGroup reports whether c may record in's state in the
// alternative in is in, if any: always, unless it walks beside another
// walker and the alternative is outside every function and the other's,
// or is not in in's function.
func (c *checker) claimedGroup(in *cfg.Insn) bool {
	if c.share == nil {
		return true
	}
	g := c.prog.Group(in)
	if g == nil {
		return true
	}
	orig := g
	if g.Orig != nil {
		orig = g.Orig
	}
	f, first, origFirst := c.prog.Func(in), c.prog.Func(g.First), c.prog.Func(orig.First)
	switch {
	case f == nil || first == nil || origFirst == nil:
		return c.share.claim(g.Shared, c.own)
	case f.Pfunc != first.Pfunc || f.Pfunc != origFirst.Pfunc:
		c.share.conflict.Store(true)
		return false
	}
	return true
}

// mayRead reports whether a walk of fn may read the state at in, which
// it does not arrive at (a restore hint's save): always when walking
// alone; beside another walker, if in is fn's or c claims it, and
// otherwise it records the conflict.
func (c *checker) mayRead(fn *cfg.Symbol, in *cfg.Insn) bool {
	if c.share == nil {
		return true
	}
	if f := c.prog.Func(in); f != nil && f.Pfunc != fn {
		c.share.conflict.Store(true)
		return false
	}
	return c.claimed(in)
}

// A walkTask is one function for validateFunctions to walk.
type walkTask struct {
	sec *cfg.Section
	fn  *cfg.Symbol
}

// walkTasks lists the functions to walk, in objtool's order, and their
// total size.
func (c *checker) walkTasks() ([]walkTask, uint64) {
	tasks := make([]walkTask, 0, c.execSymbolCount())
	var size uint64
	for _, sec := range c.prog.Sections {
		if !sec.IsExec() {
			continue
		}
		for _, fn := range sec.Symbols() {
			if fn.IsFunc() {
				tasks = append(tasks, walkTask{sec, fn})
				size += fn.Len
			}
		}
	}
	return tasks, size
}

// execSymbolCount is how many symbols the executable sections hold: a
// bound on their functions, to size the lists of those at once. Grown by
// appends, such a list leaves its copies behind in a run that does not
// collect (vmlinux.o: some 5 MB for each of two lists).
func (c *checker) execSymbolCount() int {
	n := 0
	for _, sec := range c.prog.Sections {
		if sec.IsExec() {
			n += len(sec.Symbols())
		}
	}
	return n
}

// walkTasksInOrder walks each task in turn, stopping early once the
// walker beside it found a conflict.
func (c *checker) walkTasksInOrder(tasks []walkTask) int {
	warnings := 0
	for _, t := range tasks {
		if c.share != nil && c.share.conflict.Load() {
			break
		}
		st := c.initState(t.sec)
		st.cfi = *c.frame.initial
		warnings += c.validateSymbol(t.sec, t.fn, st)
	}
	return warnings
}

// parallelWalks reports whether validateFunctions may walk on two
// goroutines: for a large object, when nothing needs the walks one at a
// time (a trace follows them in order, and --stats counts objtool's hash
// lookups in order).
func (c *checker) parallelWalks() bool {
	return c.prog.NumInsns() >= orDefault(c.opts.ParallelMin, parallelMin) && c.opts.Tracer == nil && !c.opts.Stats
}

// walkInParallel is validateFunctions(nil) on two goroutines: the first
// half of the functions, by size, on this one, the second half on a
// walker of its own, with its own pool, diagnostics and counts, which
// then join this checker's as if the walks had been made in order. If
// the walkers claimed a place in common, everything they did is undone
// and the functions are walked again in order.
func (c *checker) walkInParallel() int {
	tasks, size := c.walkTasks()
	split, half := 0, uint64(0)
	for split < len(tasks) && half < size/2 {
		half += tasks[split].fn.Len
		split++
	}
	for len(c.alts) < c.prog.NumAltGroups() { // so that no walker appends
		c.alts = append(c.alts, nil)
	}
	mark := c.markWalks()
	b := c.sideWalker()
	// Each function walked is claimed, and few places besides: room for
	// them at once leaves no outgrown tables behind.
	sh := &sharing{claims: make(map[any]uint8, len(tasks))}
	c.share, b.share = sh, sh
	var wb int
	done := make(chan struct{})
	go func() {
		defer close(done)
		wb = b.walkTasksInOrder(tasks[split:])
	}()
	wa := c.walkTasksInOrder(tasks[:split])
	<-done
	c.share = nil
	if sh.conflict.Load() {
		c.undoWalks(mark, &b.rep)
		c.stats.walkedAgain = true
		return c.validateFunctions(nil)
	}
	c.pools[1] = b.pools[1]
	c.rep.join(&b.rep)
	c.stats.visited += b.stats.visited
	c.stats.reused += b.stats.reused
	return wa + wb
}

// sideWalker returns the walker beside c: a copy sharing the graph and
// the per-instruction states, with a reporter and counts of its own, and
// pools of its own: the second, to add to, and a copy of the first as it
// is now. Only those states of the first, the hints', can be at the
// instructions it walks, and c goes on adding to the first.
func (c *checker) sideWalker() *checker {
	b := *c
	b.own, b.stats = 1, stats{}
	b.pools = &cfiPools{c.pools[0], c.pools[1]}
	b.pools[0].chunks = slices.Clone(c.pools[0].chunks)
	b.rep = reporter{name: c.rep.name, secAddress: c.rep.secAddress, backtrace: c.rep.backtrace,
		prog: c.rep.prog, stateAt: b.stateAt}
	return &b
}

// A walkMark is what undoWalks needs to return a checker to where it
// was before walking: its reporter and counts, and its last diagnostic,
// to which a backtrace may add lines.
type walkMark struct {
	rep   reporter
	stats stats
	last  Diagnostic
}

// markWalks marks where the checker is before walking.
func (c *checker) markWalks() *walkMark {
	m := &walkMark{rep: c.rep, stats: c.stats}
	if n := len(c.rep.diags); n > 0 {
		m.last = c.rep.diags[n-1]
	}
	return m
}

// undoWalks returns the checker to m after the walks of it and of the
// walker beside it, which reported to other: nothing visited, the hints'
// states alone, the diagnostics and counts as they were, and the
// symbols the walks marked as warned unmarked.
func (c *checker) undoWalks(m *walkMark, other *reporter) {
	for _, sym := range c.rep.marked[len(m.rep.marked):] {
		sym.Warned = false
	}
	for _, sym := range other.marked {
		sym.Warned = false
	}
	c.rep, c.stats = m.rep, m.stats
	if n := len(c.rep.diags); n > 0 {
		c.rep.diags[n-1] = m.last
	}
	clear(c.visited)
	c.cfi.clear()
	clear(c.alts)
	c.setHintStates()
}
