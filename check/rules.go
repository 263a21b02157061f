package check

import (
	"fmt"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// step applies the control-flow rules of one instruction. done says the
// path ends here, with r its result; branch is the destination of a jump
// the path also takes, for walk to follow before it goes on (or ends, if
// done), so that step's frame is not on the stack in the recursion.
func (c *checker) step(fn *cfg.Symbol, in, next *cfg.Insn, st *insnState) (r int, done bool, branch *cfg.Insn) {
	switch in.Kind {
	case arch.Return:
		return c.validateReturn(fn, in, st), true, nil
	case arch.ReturnCond:
		if r := c.validateReturn(fn, in, st); r != 0 {
			return r, true, nil
		}
	case arch.SignRA, arch.AuthRA:
		r, done = c.pointerAuth(in, st)
		return r, done, nil
	case arch.Call, arch.CallDynamic:
		if r := c.validateCall(in, st); r != 0 {
			return r, true, nil
		}
		if c.opts.Stackval && fn != nil && !c.isSpecialCall(in) && !c.validFrame(&st.cfi) {
			c.rep.warnInsn(in, "call without frame pointer save/setup")
			return 1, true, nil
		}
		return 0, in.Has(cfg.DeadEnd), nil
	case arch.JumpCond, arch.Jump:
		if c.prog.IsSiblingCall(in) {
			if r := c.validateSibling(in, st); r != 0 {
				return r, true, nil
			}
		} else if d := c.prog.JumpDest(in); d != nil {
			return 0, in.Kind == arch.Jump, d
		}
		return 0, in.Kind == arch.Jump, nil
	case arch.JumpDynamic, arch.JumpDynamicCond:
		if c.prog.IsSiblingCall(in) {
			if r := c.validateSibling(in, st); r != 0 {
				return r, true, nil
			}
		}
		return 0, in.Kind == arch.JumpDynamic, nil
	case arch.ContextSwitch:
		if fn == nil {
			return 0, true, nil
		}
		if next == nil || !next.Has(cfg.HasHint) {
			c.rep.warnInsn(in, "unsupported instruction in callable function")
			return 1, true, nil
		}
	default:
		r, done = c.flagRules(fn, in, st)
		return r, done, nil
	}
	return 0, false, nil
}

// flagRules applies the user-access and direction-flag rules.
func (c *checker) flagRules(fn *cfg.Symbol, in *cfg.Insn, st *insnState) (int, bool) {
	msg := ""
	switch in.Kind {
	case arch.Stac:
		if !c.opts.Uaccess {
			break
		}
		if st.uaccess {
			msg = "recursive UACCESS enable"
		}
		st.uaccess = true
	case arch.Clac:
		if !c.opts.Uaccess {
			break
		}
		switch {
		case !st.uaccess && fn != nil:
			msg = "redundant UACCESS disable"
		case uaccessSafe(fn) && st.uaccessStack == 0:
			msg = "UACCESS-safe disables UACCESS"
		}
		st.uaccess = false
	case arch.Std:
		if st.df {
			msg = "recursive STD"
		}
		st.df = true
	case arch.Cld:
		if !st.df && fn != nil {
			msg = "redundant CLD"
		}
		st.df = false
	}
	if msg != "" {
		c.rep.warnInsn(in, msg)
		return 1, true
	}
	return 0, false
}

// uaccessSafe reports whether fn may run with user access enabled.
func uaccessSafe(fn *cfg.Symbol) bool { return fn != nil && fn.Has(cfg.SymUaccessSafe) }

// isSpecialCall reports calls exempt from the frame rule: to fentry and
// to embedded instructions.
func (c *checker) isSpecialCall(in *cfg.Insn) bool {
	if in.Kind != arch.Call {
		return false
	}
	d := c.prog.CallDest(in)
	return d != nil && (d.Has(cfg.SymFentry) || d.Has(cfg.SymEmbeddedInsn))
}

// validateCall checks a call against the noinstr, user-access and
// direction-flag rules.
func (c *checker) validateCall(in *cfg.Insn, st *insnState) int {
	msg := ""
	switch {
	case st.noinstr && st.instr <= 0 && !c.noinstrCallDest(in):
		msg = "call to %s() leaves .noinstr.text section"
	case st.uaccess && !uaccessSafe(c.prog.CallDest(in)):
		msg = "call to %s() with UACCESS enabled"
	case st.df:
		msg = "call to %s() with DF set"
	default:
		return 0
	}
	c.rep.warnInsn(in, fmt.Sprintf(msg, c.callDestName(in)))
	return 1
}

// noinstrCallDest reports whether a call from noinstr code is allowed.
func (c *checker) noinstrCallDest(in *cfg.Insn) bool {
	d := c.prog.CallDest(in)
	if d == nil {
		return c.prog.PvCallDest(in, c.rep.warn)
	}
	if d.Sec != nil && d.Sec.Noinstr || d.Has(cfg.SymStaticCallTramp) {
		return true
	}
	return len(d.Name) >= 15 && d.Name[:15] == "__ubsan_handle_"
}

// callDestName names a call's destination for messages. objtool 6.12
// means to name a call through pv_ops "pv_ops[N]", but looks for its
// relocation without the object, so that it never finds it.
func (c *checker) callDestName(in *cfg.Insn) string {
	if d := c.prog.CallDest(in); d != nil {
		return d.Name
	}
	return "{dynamic}"
}

// validateSibling checks a tail call: the frame must be the entry frame.
func (c *checker) validateSibling(in *cfg.Insn, st *insnState) int {
	if c.prog.Func(in) != nil && c.modifiedFrame(&st.cfi) {
		c.rep.warnInsn(in, "sibling call from callable instruction with modified stack frame")
		return 1
	}
	if st.cfi.raSigned {
		c.rep.warnInsn(in, "sibling call with signed return address")
		return 1
	}
	return c.validateCall(in, st)
}

// validateReturn checks a return.
func (c *checker) validateReturn(fn *cfg.Symbol, in *cfg.Insn, st *insnState) int {
	msg := ""
	switch {
	case st.noinstr && st.instr > 0:
		msg = "return with instrumentation enabled"
	case st.uaccess && !uaccessSafe(fn):
		msg = "return with UACCESS enabled"
	case !st.uaccess && uaccessSafe(fn):
		msg = "return with UACCESS disabled from a UACCESS-safe function"
	case st.df:
		msg = "return with DF set"
	case fn != nil && c.modifiedFrame(&st.cfi):
		msg = "return with modified stack frame"
	case st.cfi.raSigned:
		msg = "return with signed return address"
	case st.cfi.bpScratch:
		msg = "BP used as a scratch register"
	default:
		return 0
	}
	c.rep.warnInsn(in, msg)
	return 1
}

// modifiedFrame reports whether the frame differs from the entry frame.
func (c *checker) modifiedFrame(s *cfiState) bool {
	init := c.frame.initial
	if s.cfa.base != init.cfa.base || s.drap || s.cfa.off != init.cfa.off ||
		s.stackSize != init.cfa.off {
		return true
	}
	return s.regs != init.regs
}

// validFrame reports whether a frame is set up for a call: a frame
// pointer frame, or on back-chain machines the link register saved and a
// frame allocated with its back chain.
func (c *checker) validFrame(s *cfiState) bool {
	bp, ra := c.frame.bp, int32(c.prog.Arch.RA)
	if c.prog.Arch.BackChain {
		return s.regs.at(ra).base == baseCFA && s.chain.base == baseCFA &&
			s.stackSize > c.frame.initial.stackSize
	}
	if s.cfa.base == bp && s.regs.at(bp) == (loc{baseCFA, -s.cfa.off}) &&
		s.regs.at(ra) == (loc{baseCFA, -s.cfa.off + 8}) {
		return true
	}
	return s.drap && s.regs.at(bp).base == bp
}

// cfiMatch compares the state recorded at in with the arriving one and
// warns about the first difference (objtool's insn_cfi_match).
func (c *checker) cfiMatch(in *cfg.Insn, s2 *cfiState) bool {
	s1 := c.cfiOf(in)
	if s1 == nil {
		c.rep.warn("CFI missing")
		return false
	}
	msg := ""
	switch {
	case s1.cfa != s2.cfa:
		msg = fmt.Sprintf("stack state mismatch: cfa1=%d%+d cfa2=%d%+d", s1.cfa.base, s1.cfa.off, s2.cfa.base, s2.cfa.off)
	case s1.regs != s2.regs:
		msg = regMismatch(s1, s2)
	case s1.typ != s2.typ:
		msg = fmt.Sprintf("stack state mismatch: type1=%d type2=%d", s1.typ, s2.typ)
	case s1.drap != s2.drap || s1.drap && (s1.drapReg != s2.drapReg || s1.drapOff != s2.drapOff):
		msg = fmt.Sprintf("stack state mismatch: drap1=%d(%d,%d) drap2=%d(%d,%d)",
			b2u(s1.drap), s1.drapReg, s1.drapOff, b2u(s2.drap), s2.drapReg, s2.drapOff)
	case s1.raSigned != s2.raSigned:
		msg = fmt.Sprintf("stack state mismatch: ra_signed1=%d ra_signed2=%d", b2u(s1.raSigned), b2u(s2.raSigned))
	default:
		return true
	}
	c.rep.warnInsn(in, msg)
	return false
}

// regMismatch describes the first register whose saved place differs.
func regMismatch(s1, s2 *cfiState) string {
	for i := range int32(maxRegs) {
		if s1.regs.at(i) != s2.regs.at(i) {
			return fmt.Sprintf("stack state mismatch: reg1[%d]=%d%+d reg2[%d]=%d%+d",
				i, s1.regs.at(i).base, s1.regs.at(i).off, i, s2.regs.at(i).base, s2.regs.at(i).off)
		}
	}
	return ""
}

// propagateAltCFI records in's state in the per-byte states shared by an
// alternative's groups, warning when two groups disagree at one byte.
func (c *checker) propagateAltCFI(in *cfg.Insn) bool {
	g := c.prog.Group(in)
	if g == nil {
		return false
	}
	cur := c.cfiOf(in)
	if cur == nil {
		c.rep.warn("CFI missing")
		return true
	}
	slots := c.altSlots(g.Shared)
	off := int(in.Off) - int(g.First.Off)
	if off < 0 || off >= len(slots) {
		return false
	}
	if slots[off] == nil {
		slots[off] = cur
		return false
	}
	if *slots[off] != *cur {
		orig := g
		if g.Orig != nil {
			orig = g.Orig
		}
		c.rep.warnInsn(orig.First, "stack layout conflict in alternatives: "+c.rep.offstr(c.prog.Sec(in), uint64(in.Off)))
		return true
	}
	return false
}

// altSlots returns the per-byte state slots of an alternative.
func (c *checker) altSlots(sh *cfg.AltShared) []*cfiState {
	for len(c.alts) <= sh.ID {
		c.alts = append(c.alts, nil)
	}
	if c.alts[sh.ID] == nil {
		c.alts[sh.ID] = make([]*cfiState, sh.Len)
	}
	return c.alts[sh.ID]
}

// walkedAltSlots is altSlots for after the walks: nil for a group no walk
// reached, and nothing written.
func (c *checker) walkedAltSlots(sh *cfg.AltShared) []*cfiState {
	if sh.ID < len(c.alts) {
		return c.alts[sh.ID]
	}
	return nil
}

// pointerAuth applies paciasp and autiasp: signing and authenticating the
// return address must pair up on every path.
func (c *checker) pointerAuth(in *cfg.Insn, st *insnState) (int, bool) {
	signing := in.Kind == arch.SignRA
	msg := ""
	switch {
	case signing && st.cfi.raSigned:
		msg = "return address signed twice"
	case !signing && !st.cfi.raSigned:
		msg = "return address authenticated but not signed"
	}
	if msg != "" {
		c.rep.warnInsn(in, msg)
		return 1, true
	}
	st.cfi.raSigned = signing
	st.cfiID = 0
	return 0, false
}
