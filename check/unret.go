package check

import (
	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// validateUnrets walks from every VALIDATE_UNRET_BEGIN root and wants
// each path to reach VALIDATE_UNRET_END (a NOP annotated retpoline-safe)
// or a call before any return or indirect branch: with --unret, entry
// code must untrain the return predictor before it may return
// (objtool's validate_unrets). It returns the warnings, or -1 after a
// fatal one ("Failed UNRET validation"), when objtool stops checking.
func (c *checker) validateUnrets() int {
	warnings := 0
	for i := range c.prog.Insns {
		in := &c.prog.Insns[i]
		if !in.Has(cfg.Unret) {
			continue
		}
		r := c.walkUnret(in)
		if r < 0 {
			c.rep.warnInsn(in, "Failed UNRET validation")
			return r
		}
		warnings += r
	}
	return warnings
}

// walkUnret follows one path of an unret walk from in (objtool's
// validate_unret): 0 when it ends safely, 1 after a warning, -1 after a
// fatal one. Each instruction is walked once, whatever the path.
func (c *checker) walkUnret(in *cfg.Insn) int {
	for {
		next := c.nextToValidate(in)
		if c.visited[c.prog.IndexOf(in)]&visitedUnret != 0 {
			return 0
		}
		c.visited[c.prog.IndexOf(in)] |= visitedUnret
		if r, done := c.unretAlts(in); done {
			return r
		}
		if r, done := c.unretStep(in); done {
			return r
		}
		if in.Has(cfg.DeadEnd) {
			return 0
		}
		if next == nil {
			c.rep.warnInsn(in, "teh end!")
			return -1
		}
		in = next
	}
}

// unretAlts walks each alternative of in; with skip-orig alternatives
// the original path ends here.
func (c *checker) unretAlts(in *cfg.Insn) (int, bool) {
	alts := c.prog.Alts(in)
	if in.Has(cfg.IgnoreAlts) || len(alts) == 0 {
		return 0, false
	}
	skipOrig := false
	for _, alt := range alts {
		skipOrig = skipOrig || alt.SkipOrig
		if r := c.walkUnret(alt.Insn); r != 0 {
			c.rep.bt(in, "(alt)")
			return r, true
		}
	}
	return 0, skipOrig
}

// unretStep applies the unret rules to one instruction, following its
// jumps and calls.
func (c *checker) unretStep(in *cfg.Insn) (int, bool) {
	switch in.Kind {
	case arch.CallDynamic, arch.JumpDynamic, arch.JumpDynamicCond:
		c.rep.warnInsn(in, "early indirect call")
		return 1, true
	case arch.Jump, arch.JumpCond:
		if !c.prog.IsSiblingCall(in) {
			return c.unretJump(in)
		}
		return c.unretCall(in), true
	case arch.Call:
		return c.unretCall(in), true
	case arch.Return, arch.ReturnCond:
		c.rep.warnInsn(in, "RET before UNTRAIN")
		return 1, true
	case arch.ContextSwitch:
		return 0, c.prog.Func(in) == nil
	case arch.Nop:
		return 0, in.Has(cfg.RetpolineSafe)
	}
	return 0, false
}

// unretJump follows a jump within the code; an unconditional one ends
// the straight path.
func (c *checker) unretJump(in *cfg.Insn) (int, bool) {
	if c.prog.JumpDest(in) == nil {
		c.rep.warnInsn(in, "unresolved jump target after linking?!?")
		return -1, true
	}
	if r := c.walkUnret(c.prog.JumpDest(in)); r != 0 {
		if in.Kind == arch.JumpCond {
			c.rep.bt(in, "(branch-cond)")
		} else {
			c.rep.bt(in, "(branch)")
		}
		return r, true
	}
	return 0, in.Kind == arch.Jump
}

// unretCall follows a call, or a sibling call, into its destination. A
// call that comes back without a warning must have untrained: the path
// ends there either way.
func (c *checker) unretCall(in *cfg.Insn) int {
	d := c.prog.CallDest(in)
	var dest *cfg.Insn
	if d != nil {
		dest = c.prog.Find(d.Sec, d.Offset)
	}
	if dest == nil {
		name := ""
		if d != nil {
			name = d.Name
		}
		c.rep.warn("Unresolved function after linking!?: " + name)
		return -1
	}
	r := c.walkUnret(dest)
	if r != 0 {
		c.rep.bt(in, "(call)")
	}
	return r
}
