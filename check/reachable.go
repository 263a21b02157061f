package check

import (
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// validateReachable warns about instructions no walk reached (objtool's
// validate_reachable_instructions), naming a missing noreturn annotation
// when the instruction follows a dead-end call.
func (c *checker) validateReachable() {
	if c.prog.IgnoreUnreachables || c.opts.NoUnreachable {
		return
	}
	for i := range c.prog.Insns {
		in := &c.prog.Insns[i]
		if c.visited[c.prog.IndexOf(in)] != 0 || c.ignoreUnreachable(in) {
			continue
		}
		if prev := c.deadEndBefore(in); prev != nil {
			if d := c.prog.CallDest(prev); d != nil {
				c.rep.warnInsn(in, d.Name+"() is missing a __noreturn annotation")
				continue
			}
		}
		c.rep.warnInsn(in, "unreachable instruction")
	}
}

// ignoreUnreachable reports unreached instructions that are expected:
// nops, traps, ignored and replacement code, weak-symbol holes in linked
// objects, static-call trampolines, compiler traps after dead ends, and
// code around sanitizer calls (objtool's ignore_unreachable_insn).
func (c *checker) ignoreUnreachable(in *cfg.Insn) bool {
	if in.Has(cfg.Ignore) || in.Has(cfg.NotCode) || in.Kind == arch.Nop || in.Kind == arch.Trap {
		return true
	}
	if n := c.prog.Sec(in).Name; n == ".altinstr_replacement" || n == ".altinstr_aux" {
		return true
	}
	if c.prog.Group(in) != nil && c.prog.Group(in).Orig != nil {
		return true // replacement code kept inside the text section (arm64)
	}
	if c.opts.Link && c.prog.Func(in) == nil {
		return c.inWeakHole(in)
	}
	fn := c.prog.Func(in)
	if fn == nil {
		return false
	}
	if fn.Has(cfg.SymStaticCallTramp) {
		return true
	}
	if prev := c.prog.Prev(in); prev != nil && prev.Has(cfg.DeadEnd) &&
		(in.Kind == arch.Bug || in.Kind == arch.Jump && c.prog.JumpDest(in) != nil && c.prog.JumpDest(in).Kind == arch.Bug) {
		return true
	}
	return c.nearSanitizerCall(in)
}

// nearSanitizerCall looks up to five instructions ahead (following jumps
// within the function) for a KASAN or UBSAN noreturn call.
func (c *checker) nearSanitizerCall(in *cfg.Insn) bool {
	fn := c.prog.Func(in)
	for i := 0; i < 5 && in != nil; i++ {
		if in.Kind == arch.Call {
			if d := c.prog.CallDest(in); d != nil &&
				(d.Name == "__asan_handle_no_return" || d.Name == "__ubsan_handle_builtin_unreachable") {
				return true
			}
		}
		if in.Kind == arch.Jump {
			if d := c.prog.JumpDest(in); d != nil && c.prog.Func(d) == c.prog.Func(in) {
				in = d
				continue
			}
			return false
		}
		if uint64(in.Off)+uint64(in.Len) >= fn.Offset+fn.Len {
			return false
		}
		in = c.prog.Next(in)
	}
	return false
}

// inWeakHole reports code outside any symbol in a linked object: a weak
// function the linker replaced. Jumps from it to .cold code make that
// code ignored too.
func (c *checker) inWeakHole(in *cfg.Insn) bool {
	size, ok := c.prog.Sec(in).Hole(uint64(in.Off))
	if !ok {
		return false
	}
	if size < 0 {
		return true
	}
	end := uint64(in.Off) + uint64(size)
	for n := c.prog.Next(in); n != nil; n = c.prog.Next(n) {
		if c.visited[c.prog.IndexOf(n)] != 0 {
			return true
		}
		if uint64(n.Off) >= end {
			break
		}
		if d := c.prog.JumpDest(n); d != nil {
			if df := c.prog.Func(d); df != nil && strings.Contains(df.Name, ".cold") {
				c.prog.FuncInsns(df, func(x *cfg.Insn) bool { x.Flags |= cfg.Ignore; return true })
			}
		}
	}
	return false
}

// deadEndBefore returns the dead-end instruction just before in; where a
// call may be followed by a nop slot (arch.Arch.CallSlot) it looks past
// that nop.
func (c *checker) deadEndBefore(in *cfg.Insn) *cfg.Insn {
	prev := c.prog.Prev(in)
	if c.prog.Arch.CallSlot && prev != nil && prev.Kind == arch.Nop {
		if pp := c.prog.Prev(prev); pp != nil && pp.Kind.IsCall() {
			prev = pp
		}
	}
	if prev != nil && prev.Has(cfg.DeadEnd) {
		return prev
	}
	return nil
}
