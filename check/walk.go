package check

import (
	"fmt"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// visitedBranch is the visited bit of a walk with user access disabled;
// shifted left by one with it enabled (objtool's VISITED_BRANCH*).
const (
	visitedBranch     = 1
	visitedBranchMask = 3
	visitedUnret      = 4
)

// An insnState is the state carried along a path (objtool's insn_state).
type insnState struct {
	cfi cfiState
	// cfiID names cfi in the pool while cfi is as it was when an
	// instruction took it, 0 once anything may have changed it: whatever
	// writes cfi must clear it (handleOps, pointerAuth).
	cfiID        cfiID
	uaccessStack uint32
	uaccess      bool
	df           bool
	noinstr      bool
	instr        int8
}

// walk follows one path from in with state st, recursing on branches and
// alternatives (objtool's validate_branch). It returns 1 after a warning.
func (c *checker) walk(fn *cfg.Symbol, in *cfg.Insn, st insnState) int {
	var prev *cfg.Insn
	// objtool names the section the walk started in, not the one it ran
	// off the end of (they differ after an alternative's replacement).
	sec := c.prog.Sec(in)
	if c.opts.Tracer != nil {
		c.tracePath(fn, in)
	}
	for {
		next := c.nextToValidate(in)
		if r, done := c.enter(fn, in, prev, &st); done {
			if c.opts.Tracer != nil {
				c.traceEnter(fn, in, r, &st)
			}
			return r
		}
		if c.opts.Tracer != nil {
			c.traceArrive(fn, in)
		}
		if r, done := c.followAlts(fn, in, &st); done {
			return c.pathEnd(fn, in, r, StopAltReplaces)
		}
		if c.handleOps(in, next, &st) {
			return c.pathEnd(fn, in, 1, StopWarning)
		}
		if c.opts.Tracer != nil {
			c.traceInsn(fn, in, &st)
		}
		r, done, branch := c.step(fn, in, next, &st)
		if branch != nil {
			if r = c.walk(fn, branch, st); r != 0 {
				c.rep.bt(in, "(branch)")
				done = true
			}
		}
		if done {
			return c.pathEnd(fn, in, r, StopOther)
		}
		if in.Has(cfg.DeadEnd) {
			return c.pathEnd(fn, in, 0, StopDeadEnd)
		}
		if next == nil {
			if st.cfi.cfa.base == baseUndef || c.prog.IgnoreUnreachables {
				return c.pathEnd(fn, in, 0, StopEndOfSection)
			}
			c.rep.warn(fmt.Sprintf("%s: unexpected end of section", sec.Name))
			return c.pathEnd(fn, in, 1, StopWarning)
		}
		prev, in = in, next
	}
}

// enter checks an instruction on arrival: falling into another function,
// re-arrival with a different state, and records its state.
func (c *checker) enter(fn *cfg.Symbol, in, prev *cfg.Insn, st *insnState) (int, bool) {
	if !c.claimed(in) {
		return 0, true // the walks are undone: end this one quietly
	}
	if f := c.prog.Func(in); fn != nil && f != nil && fn != f.Pfunc {
		if strings.HasPrefix(fn.Name, "__cfi_") || strings.HasPrefix(fn.Name, "__pfx_") ||
			c.prog.IgnoreUnreachables {
			return 0, true
		}
		c.rep.warn(fmt.Sprintf("%s() falls through to next function %s()", fn.Name, f.Name))
		return 1, true
	}
	if in.Has(cfg.NotCode) {
		c.rep.warnInsn(in, "can't decode instruction")
		return 1, true
	}
	if fn != nil && in.Has(cfg.Ignore) {
		c.rep.warnInsn(in, "BUG: why am I validating an ignored function?")
		return 1, true
	}
	i := c.prog.IndexOf(in)
	bit := uint8(visitedBranch)
	if st.uaccess {
		bit <<= 1
	}
	if c.visited[i]&visitedBranchMask != 0 {
		if !in.Has(cfg.HasHint) && !c.cfiMatch(in, &st.cfi) {
			return 1, true
		}
		if c.visited[i]&bit != 0 {
			return 0, true
		}
	} else {
		c.stats.visited++
	}
	if st.noinstr {
		st.instr += c.prog.Instr(in)
	}
	var prevID cfiID // the state recorded at prev
	if prev != nil {
		prevID = c.cfi.at(c.prog.IndexOf(prev))
	}
	if in.Has(cfg.HasHint) {
		if r, done := c.applyHint(fn, in, prev, st); done {
			return r, true
		}
		st.cfiID = c.cfi.at(i) // what the hint recorded
	} else {
		switch {
		case prev != nil && st.cfiID != 0 && prevID == st.cfiID:
			// Nothing changed the state since prev took it: the
			// comparison below would find them equal (most instructions
			// have no stack operation; vmlinux.o: 3.7 million of 4.9).
			c.stats.reused++
		case prev != nil && *c.pools.at(prevID) == st.cfi:
			st.cfiID = prevID
			c.stats.reused++
		default:
			st.cfiID = c.internCFI(&st.cfi)
		}
		c.cfi.set(i, st.cfiID)
	}
	c.visited[i] |= bit
	if !c.claimedGroup(in) {
		return 0, true // the walks are undone: end this one quietly
	}
	if c.propagateAltCFI(in) {
		return 1, true
	}
	return 0, false
}

// applyHint takes the state an unwind hint gives, resolving a restore
// hint to the state at its save.
func (c *checker) applyHint(fn *cfg.Symbol, in, prev *cfg.Insn, st *insnState) (int, bool) {
	i := c.prog.IndexOf(in)
	if in.Has(cfg.Restore) {
		save := c.findSave(fn, in)
		if save == nil {
			c.rep.warnInsn(in, "no corresponding CFI save for CFI restore")
			return 1, true
		}
		if !c.mayRead(fn, save) {
			return 0, true // the walks are undone: end this one quietly
		}
		si := c.prog.IndexOf(save)
		if c.visited[si] == 0 {
			if prev == nil {
				return 0, true
			}
			c.rep.warnInsn(in, "objtool isn't smart enough to handle this CFI save/restore combo")
			return 1, true
		}
		c.cfi.set(i, c.cfi.at(si))
		c.stats.reused++
	}
	if c.cfi.at(i) == 0 {
		c.rep.warn("CFI missing")
		return 1, true
	}
	st.cfi = *c.cfiOf(in)
	return 0, false
}

// findSave walks back within fn from a restore hint to its save hint.
func (c *checker) findSave(fn *cfg.Symbol, in *cfg.Insn) *cfg.Insn {
	if fn == nil {
		return nil
	}
	for i := c.prog.Prev(in); i != nil && uint64(i.Off) >= fn.Offset; i = c.prog.Prev(i) {
		if i.Has(cfg.Save) {
			return i
		}
	}
	return nil
}

// followAlts walks each alternative of in; with skip-orig alternatives
// the original path ends here. Each walk gets its own copy of st: taking
// st by value would copy its 600 bytes at every instruction, and most
// have no alternative.
func (c *checker) followAlts(fn *cfg.Symbol, in *cfg.Insn, st *insnState) (int, bool) {
	alts := c.prog.Alts(in)
	if in.Has(cfg.IgnoreAlts) || len(alts) == 0 {
		return 0, false
	}
	skipOrig := false
	for _, alt := range alts {
		skipOrig = skipOrig || alt.SkipOrig
		if r := c.walk(fn, alt.Insn, *st); r != 0 {
			c.rep.bt(in, "(alt)")
			return r, true
		}
	}
	return 0, skipOrig
}

// nextToValidate is the instruction after in on the straight path: after
// a replacement group, the instruction after the original group.
func (c *checker) nextToValidate(in *cfg.Insn) *cfg.Insn {
	if g := c.prog.Group(in); g != nil {
		if g.Nop != nil {
			if in == g.Last {
				return g.Nop
			}
			if in == g.Nop {
				return c.prog.Next(g.Orig.Last)
			}
		}
		if in == g.Last && g.Orig != nil {
			return c.prog.Next(g.Orig.Last)
		}
	}
	return c.prog.Next(in)
}

// handleOps applies in's stack operations and tracks PUSHF/POPF of the
// user-access flag inside alternatives. It reports a warning.
func (c *checker) handleOps(in, next *cfg.Insn, st *insnState) bool {
	ops := c.prog.StackOps(in)
	if len(ops) != 0 {
		st.cfiID = 0
	}
	for i := range ops {
		op := &ops[i]
		if msg := c.frame.update(in, next, &st.cfi, op); msg != "" {
			c.rep.warnInsn(in, msg)
			return true
		}
		if !c.opts.Uaccess || c.prog.Group(in) == nil {
			continue
		}
		if op.Dst.Type == arch.DstPushF {
			if st.uaccessStack == 0 {
				st.uaccessStack = 1
			} else if st.uaccessStack>>31 != 0 {
				c.rep.warnInsn(in, "PUSHF stack exhausted")
				return true
			}
			st.uaccessStack = st.uaccessStack<<1 | b2u(st.uaccess)
		}
		if op.Src.Type == arch.SrcPopF && st.uaccessStack != 0 {
			st.uaccess = st.uaccessStack&1 != 0
			st.uaccessStack >>= 1
			if st.uaccessStack == 1 {
				st.uaccessStack = 0
			}
		}
	}
	return false
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
