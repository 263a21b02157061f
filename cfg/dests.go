package cfg

import (
	"debug/elf"
	"fmt"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/decode"
)

// A Rel is a relocation with its symbol as the graph knows it.
type Rel struct {
	*decode.Reloc
	Sym *Symbol
	// tableSec is the section the relocation applies to, for table heads.
	tableSec int
}

// symSec returns the section a symbol is defined in; nil for undefined.
func symSec(s *Symbol) *Section { return s.Sec }

// destOff is where a branch relocation's addend points in its symbol.
func (p *Program) destOff(addend int64) uint64 {
	return uint64(addend + p.Arch.BranchRelocBias)
}

// addJumpDestinations resolves every direct jump: to an instruction, a
// sibling call, a retpoline or a return thunk (objtool's
// add_jump_destinations).
func (p *Program) addJumpDestinations() *Problem {
	for in := range p.Transfers {
		if in.hasJumpDest() || !in.Kind.IsStaticJump() {
			continue
		}
		if prob := p.addJumpDest(in); prob != nil {
			return prob
		}
	}
	return nil
}

// addJumpDest resolves one direct jump.
func (p *Program) addJumpDest(in *Insn) *Problem {
	fn := p.Func(in)
	var destSec *Section
	var destOff uint64
	r := p.Reloc(in)
	switch {
	case r == nil:
		destSec, destOff = p.Sec(in), uint64(p.Target(in))
	case r.Sym.Type == elf.STT_SECTION:
		destSec, destOff = r.Sym.Sec, p.destOff(r.Addend)
	case r.Sym.Has(SymRetpolineThunk):
		p.addRetpolineCall(in)
		return nil
	case r.Sym.Has(SymReturnThunk):
		p.addReturnCall(in, true)
		return nil
	case fn != nil:
		p.addCallDest(in, r.Sym, true)
		return nil
	case r.Sym.Sec != nil && r.Sym.Sec.Index != 0:
		destSec, destOff = r.Sym.Sec, r.Sym.Value+p.destOff(r.Addend)
	default:
		return nil // non-function code jumping to another file
	}
	dest := p.Find(destSec, destOff)
	if dest == nil {
		return p.jumpDestMissing(in, fn, destSec, destOff)
	}
	if ds := p.Sym(dest); ds != nil && uint64(dest.Off) == ds.Offset {
		if ds.Has(SymRetpolineThunk) {
			p.addRetpolineCall(in)
			return nil
		}
		if ds.Has(SymReturnThunk) {
			p.addReturnCall(in, true)
			return nil
		}
	}
	if df := p.Func(dest); fn != nil && df != nil && fn != df {
		if !strings.Contains(fn.Name, ".cold") && strings.Contains(df.Name, ".cold") {
			fn.Cfunc, df.Pfunc = df, fn
		}
	}
	if p.isSiblingJump(in, dest) {
		p.addCallDest(in, p.Func(dest), true)
		return nil
	}
	p.setJumpDest(in, dest)
	return nil
}

// jumpDestMissing handles a jump to a place with no instruction.
func (p *Program) jumpDestMissing(in *Insn, fn *Symbol, sec *Section, off uint64) *Problem {
	if sec != nil {
		if sym := sec.SymbolAt(off); sym != nil && sym.Has(SymEmbeddedInsn) {
			p.addReturnCall(in, false)
			return nil
		}
	}
	if p.IgnoreUnreachables && fn != nil && sec == p.Sec(in) && off == fn.Offset+fn.Len {
		return nil
	}
	name := ""
	if sec != nil {
		name = sec.Name
	}
	return &Problem{At: in, Fatal: true, Msg: fmt.Sprintf("can't find jump dest instruction at %s+0x%x", name, off)}
}

// isFirstFuncInsn reports whether in starts sym, or follows its ENDBR when
// IBT is validated.
func (p *Program) isFirstFuncInsn(in *Insn, sym *Symbol) bool {
	if uint64(in.Off) == sym.Offset || uint64(in.Off) == sym.Offset+p.localEntry(sym) && p.localEntry(sym) != 0 {
		return true
	}
	if p.Opts.IBT {
		if prev := p.prevInSym(in); prev != nil && prev.Kind == arch.Endbr && uint64(in.Off) == sym.Offset+uint64(prev.Len) {
			return true
		}
	}
	return false
}

// isSiblingJump reports whether a jump to dest is a tail call to another
// symbol rather than a jump within its own function.
func (p *Program) isSiblingJump(from, to *Insn) bool {
	fs, ts := p.Sym(from), p.Sym(to)
	if fs == nil || ts == nil || !p.isFirstFuncInsn(to, ts) || ts.Type == elf.STT_NOTYPE {
		return false
	}
	return fs.Pfunc != ts.Pfunc
}

// addRetpolineCall turns a call or jump through a retpoline thunk into the
// dynamic call or jump it stands for.
func (p *Program) addRetpolineCall(in *Insn) {
	switch in.Kind {
	case arch.Call:
		in.Kind = arch.CallDynamic
	case arch.Jump:
		in.Kind = arch.JumpDynamic
	case arch.JumpCond:
		in.Kind = arch.JumpDynamicCond
	default:
		return
	}
	in.Flags |= RetpolineSafe
	in.ClearOps()
	p.annotateCallSite(in, false)
}

// addReturnCall turns a jump to the return thunk into the return it is,
// listing it among the return sites when list is set.
func (p *Program) addReturnCall(in *Insn, list bool) {
	in.Kind = arch.Return
	in.Flags |= RetpolineSafe
	if list {
		p.Sites.ReturnThunks = append(p.Sites.ReturnThunks, in)
	}
}

// addCallDest records a call's (or sibling call's) destination.
func (p *Program) addCallDest(in *Insn, dest *Symbol, sibling bool) {
	if dest == nil {
		if r := p.rareOf(in); r != nil {
			r.callDest = nil
		}
		return
	}
	p.makeRare(in).callDest = dest
	in.ClearOps()
	p.annotateCallSite(in, sibling)
}

// CallDest returns the symbol in calls; dynamic calls and jumps have none.
func (p *Program) CallDest(in *Insn) *Symbol {
	if in.Kind == arch.JumpDynamic || in.Kind == arch.CallDynamic {
		return nil
	}
	if r := p.rareOf(in); r != nil {
		return r.callDest
	}
	return nil
}

// annotateCallSite applies what a call's destination implies: profiling
// calls in noinstr code become nops (as objtool's --hacks=noinstr writes
// them), fentry calls nops with --mnop, and calls to noreturn functions
// become dead ends.
func (p *Program) annotateCallSite(in *Insn, sibling bool) {
	sym := p.CallDest(in)
	if sym == nil {
		r := p.Reloc(in)
		if r == nil {
			return
		}
		sym = r.Sym
	}
	if p.Sec(in).Name == ".altinstr_replacement" {
		return
	}
	switch {
	case sym.Has(SymStaticCallTramp):
		p.Sites.StaticCalls = append(p.Sites.StaticCalls, in)
		return
	case sym.Has(SymRetpolineThunk):
		p.Sites.Retpolines = append(p.Sites.Retpolines, in)
		return
	}
	if p.Opts.HackNoinstr && p.Sec(in).Noinstr && sym.Has(SymProfilingFunc) {
		p.Patches = append(p.Patches, Patch{At: in, Ret: sibling, Rel: p.Reloc(in)})
		if sibling {
			in.Kind = arch.Return
			in.Flags |= RetpolineSafe
		} else {
			in.Kind = arch.Nop
		}
		return
	}
	if p.Opts.Mcount && sym.Has(SymFentry) {
		if sibling {
			p.Problems = append(p.Problems, Problem{At: in, Msg: "tail call to __fentry__ !?!?"})
		}
		if p.Opts.Mnop {
			p.Patches = append(p.Patches, Patch{At: in, Rel: p.Reloc(in)})
			in.Kind = arch.Nop
		}
		p.Sites.Mcount = append(p.Sites.Mcount, in)
		return
	}
	if in.Kind == arch.Call && !p.Sec(in).Init {
		if p.Sites.Calls == nil {
			// The call sites are among the transfers: reserve for all of
			// these (what is never touched costs no memory), rather than
			// leave 7 MB of copies of a growing list behind (vmlinux.o:
			// 234 thousand sites).
			p.Sites.Calls = make([]*Insn, 0, len(p.transfers))
		}
		p.Sites.Calls = append(p.Sites.Calls, in)
	}
	if !sibling && p.deadEndFunc(sym, 0) {
		in.Flags |= DeadEnd
	}
}

// addCallDestinations resolves every direct call (objtool's
// add_call_destinations).
func (p *Program) addCallDestinations() *Problem {
	// What makes a function a dead end, its returns and sibling calls, is
	// settled by now and no call's resolution changes it: decide each
	// callee once, not at each of its calls (vmlinux.o: the step takes
	// 81-86 ms instead of 133-140).
	p.deadEndMemo = true
	defer func() { p.deadEndMemo = false }()
	for in := range p.Transfers {
		if in.Kind != arch.Call {
			continue
		}
		if prob := p.addCall(in); prob != nil {
			return prob
		}
	}
	return nil
}

// addCall resolves one direct call.
func (p *Program) addCall(in *Insn) *Problem {
	r := p.Reloc(in)
	switch {
	case r == nil && p.AFlags(in)&arch.FlagLinkRegCall != 0:
		return nil // reads the PC (bl .+4): no callee
	case r == nil:
		dest := p.callDestAt(p.Sec(in), uint64(p.Target(in)))
		p.addCallDest(in, dest, false)
		if in.Has(Ignore) {
			return nil
		}
		if p.CallDest(in) == nil {
			return &Problem{At: in, Fatal: true, Msg: "unannotated intra-function call"}
		}
		if p.Func(in) != nil && !p.CallDest(in).IsFunc() {
			return &Problem{At: in, Fatal: true, Msg: "unsupported call to non-function"}
		}
	case r.Sym.Type == elf.STT_SECTION:
		off := p.destOff(r.Addend)
		dest := p.callDestAt(r.Sym.Sec, off)
		if dest == nil {
			return &Problem{At: in, Fatal: true,
				Msg: fmt.Sprintf("can't find call dest symbol at %s+0x%x", r.Sym.Sec.Name, off)}
		}
		p.addCallDest(in, dest, false)
	case r.Sym.Has(SymRetpolineThunk):
		p.addRetpolineCall(in)
	default:
		p.addCallDest(in, r.Sym, false)
	}
	return nil
}

// callDestAt returns the function, else any symbol, starting at off, or
// the ppc64 function whose local entry point is off.
func (p *Program) callDestAt(sec *Section, off uint64) *Symbol {
	if sec == nil {
		return nil
	}
	if f := sec.FuncAt(off); f != nil {
		return f
	}
	if s := sec.SymbolAt(off); s != nil {
		return s
	}
	if f := sec.FuncContaining(off); f != nil && p.localEntry(f) != 0 && off == f.Offset+p.localEntry(f) {
		return f
	}
	return nil
}

// localEntry is the offset of a function's local entry point, where calls
// from code sharing its TOC enter (past the TOC setup), from its st_other
// (arch.Arch.LocalEntry). It is 0 where functions have one entry.
func (p *Program) localEntry(s *Symbol) uint64 {
	if p.Arch.LocalEntry == nil {
		return 0
	}
	return p.Arch.LocalEntry(s.Other)
}

// markTrailingCalls makes a call that ends its function a dead end, on
// machines where that is how a noreturn callee shows (see
// arch.Arch.TrailingCallsEnd).
func (p *Program) markTrailingCalls() *Problem {
	if !p.Arch.TrailingCallsEnd {
		return nil
	}
	for in := range p.Transfers {
		fn := p.Func(in)
		if !in.Kind.IsCall() || fn == nil {
			continue
		}
		next := p.Next(in)
		for next != nil && next.Kind == arch.Nop && p.Func(next) == fn {
			next = p.Next(next) // the ppc64 TOC restore slot after a call
		}
		if (next == nil || p.Func(next) != fn) && !p.returnsHere(in) {
			in.Flags |= DeadEnd
		}
	}
	return nil
}

// returnsHere reports a call to a function of this object that can be seen
// to return: such a trailing call falls through, it is not a noreturn call.
func (p *Program) returnsHere(in *Insn) bool {
	d := p.CallDest(in)
	if d == nil || d.Sec == nil || !d.IsFunc() {
		return false
	}
	returns := false
	p.FuncInsns(d, func(x *Insn) bool {
		returns = x.Kind.IsReturn() || p.IsSiblingCall(x)
		return !returns
	})
	return returns
}
