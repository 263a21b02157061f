package cfg

import (
	"debug/elf"
	"sort"

	"github.com/objcheck/objcheck/decode"

	"github.com/objcheck/objcheck/arch"
)

// cJumpTableSection holds C jump tables (the BPF interpreter's), which
// carry symbols unlike compiler switch tables.
const cJumpTableSection = ".data.rel.ro.c_jump_table"

// relocSize is the size of one x86 switch table entry.
const tableEntrySize = 8

// addJumpTableAlts finds each function's switch tables and makes their
// entries alternatives of the dynamic jump (objtool's add_jump_table_alts).
func (p *Program) addJumpTableAlts() *Problem {
	if !p.Rodata {
		return nil
	}
	dynamic := p.funcsWithDynamicJumps()
	if len(dynamic) == 0 {
		return nil
	}
	p.firstJumpSrc = map[*Insn]*Insn{}
	marking := p.tableMarkers(dynamic)
	for _, fn := range p.Syms {
		if !fn.IsFunc() || fn.Sec == nil {
			continue
		}
		if p.marksTables(fn, marking) {
			p.markJumpTables(fn, dynamic)
		}
		if !dynamic[fn.Pfunc] {
			continue // no table to add
		}
		if prob := p.addFuncJumpTables(fn); prob != nil {
			return prob
		}
	}
	return nil
}

// funcsWithDynamicJumps returns the functions (their parents, for the
// parts of one) that hold a dynamic jump.
func (p *Program) funcsWithDynamicJumps() map[*Symbol]bool {
	funcs := map[*Symbol]bool{}
	for in := range p.Transfers {
		if f := p.Func(in); in.Kind == arch.JumpDynamic && f != nil {
			funcs[f.Pfunc] = true
		}
	}
	return funcs
}

// forwardJumpInto returns the destination of in if in jumps forward
// into a function whose parent is in funcs, else nil.
func (p *Program) forwardJumpInto(in *Insn, funcs map[*Symbol]bool) *Insn {
	d := p.JumpDest(in)
	if d == nil || d.Off <= in.Off {
		return nil
	}
	if f := p.Func(d); f != nil && funcs[f.Pfunc] {
		return d
	}
	return nil
}

// tableMarkers returns the functions holding an instruction that
// markJumpTables acts on: a dynamic jump, or a forward jump into a
// function in dynamic (in vmlinux.o, 1275 functions of 52 thousand
// instructions have a dynamic jump, of 3.9 million in functions). The key
// nil stands for the instructions outside every function.
func (p *Program) tableMarkers(dynamic map[*Symbol]bool) map[*Symbol]bool {
	marking := map[*Symbol]bool{}
	for in := range p.Transfers { // only transfers have a jump destination
		if in.Kind == arch.JumpDynamic {
			marking[p.Func(in)] = true
			continue
		}
		if p.forwardJumpInto(in, dynamic) != nil {
			marking[p.Func(in)] = true
		}
	}
	return marking
}

// marksTables reports whether markJumpTables(fn) would act on any
// instruction: whether one of the functions its walk passes through, fn's
// first instruction's and their .cold children, is in marking.
func (p *Program) marksTables(fn *Symbol, marking map[*Symbol]bool) bool {
	in := p.Find(fn.Sec, fn.Offset)
	for hops := 0; in != nil; hops++ {
		f := p.Func(in)
		switch {
		case marking[f]:
			return true
		case f == nil || f == f.Cfunc:
			return false
		case hops == maxColdHops:
			return true // a chain this long is odd: walk it as it is
		}
		in = p.Find(f.Cfunc.Sec, f.Cfunc.Offset)
	}
	return false
}

// maxColdHops bounds how many .cold children marksTables follows.
const maxColdHops = 4

// markJumpTables records back-links of forward jumps and finds the table
// of each dynamic jump in fn. Only the back-links into the functions in
// dynamic are kept: the table search of no other function reads them.
func (p *Program) markJumpTables(fn *Symbol, dynamic map[*Symbol]bool) {
	p.FuncInsns(fn, func(in *Insn) bool {
		if d := p.forwardJumpInto(in, dynamic); d != nil {
			if _, ok := p.firstJumpSrc[d]; !ok {
				p.firstJumpSrc[d] = in
			}
		}
		if in.Kind == arch.JumpDynamic {
			if t := p.findJumpTable(fn, in); t != nil {
				if p.jumpTables == nil {
					p.jumpTables = map[*Insn]*Rel{}
				}
				p.jumpTables[in] = t
				in.Flags |= tableJump
			}
		}
		return true
	})
}

// findJumpTable walks back from a dynamic jump to the instruction that
// loads its table's address (objtool's find_jump_table).
func (p *Program) findJumpTable(fn *Symbol, jump *Insn) *Rel {
	for in := jump; in != nil && p.Func(in) != nil && p.Func(in).Pfunc == fn; in = p.backStep(in) {
		if in != jump && in.Kind == arch.JumpDynamic {
			break
		}
		if d := p.JumpDest(in); in.Kind == arch.Jump && d != nil && (d.Off <= in.Off || d.Off > jump.Off) {
			break
		}
		t := p.switchTable(in)
		if t == nil {
			continue
		}
		dest := p.Find(t.Sym.Sec, uint64(t.Addend))
		if dest == nil || p.Func(dest) == nil || p.Func(dest).Pfunc != fn {
			continue
		}
		return t
	}
	return nil
}

// backStep is the previous instruction for the table search: the first
// forward jump here if there is one, else the previous in the symbol.
func (p *Program) backStep(in *Insn) *Insn {
	if src := p.firstJumpSrc[in]; src != nil {
		return src
	}
	return p.prevInSym(in)
}

// switchTable returns the first entry's relocation of the table an
// instruction refers to, if it refers to one (x86 arch_find_switch_table).
func (p *Program) switchTable(in *Insn) *Rel {
	text := p.Reloc(in)
	if text == nil || text.Sym.Type != elf.STT_SECTION || text.Sym.Sec == nil || !text.Sym.Sec.Rodata {
		return nil
	}
	sec := text.Sym.Sec
	off := uint64(text.Addend)
	bias, pcrel := p.Arch.PCRelSwitchRefs[text.Type]
	off += uint64(bias)
	// Compiler switch tables are anonymous; a table under a symbol is a C
	// jump table, accepted in objtool's section for them, or anywhere
	// where no annotation moves it there (arch.Arch.CJumpTablesAnywhere).
	if sec.SymbolContaining(off) != nil && sec.Name != cJumpTableSection && !p.Arch.CJumpTablesAnywhere {
		return nil
	}
	first := p.relocAt(sec, off)
	if first == nil {
		return nil
	}
	first.tableSec = sec.Index
	if pcrel {
		p.IgnoreUnreachables = true
	}
	return first
}

// addFuncJumpTables turns each table of fn into alternatives; a table
// ends where the next one in the function starts.
func (p *Program) addFuncJumpTables(fn *Symbol) *Problem {
	var prev *Insn
	var prob *Problem
	p.FuncInsns(fn, func(in *Insn) bool {
		t := p.jumpTableOf(in)
		if t == nil {
			return true
		}
		if prev != nil {
			if prob = p.addJumpTable(prev, t); prob != nil {
				return false
			}
		}
		prev = in
		return true
	})
	if prob == nil && prev != nil {
		prob = p.addJumpTable(prev, nil)
	}
	return prob
}

// addJumpTable adds the entries of jump's table, up to the next table,
// as alternatives of the jump (objtool's add_jump_table). As in objtool, a
// previous offset of 0 counts as none.
func (p *Program) addJumpTable(jump *Insn, next *Rel) *Problem {
	pfunc := p.Func(jump).Pfunc
	table := p.jumpTableOf(jump)
	relocs := p.tableSection(table).Relocs
	prevOff := uint64(0)
	for i := relocIndex(relocs, table.Reloc); i >= 0 && i < len(relocs); i++ {
		r := &relocs[i]
		if r != table.Reloc && next != nil && r == next.Reloc {
			break
		}
		if prevOff != 0 && r.Offset != prevOff+tableEntrySize {
			break
		}
		sym := p.Syms[r.Sym.Index]
		if sym.Sec == pfunc.Sec && uint64(r.Addend) == pfunc.Offset {
			break
		}
		if !(sym.Sec == pfunc.Sec && uint64(r.Addend) == pfunc.Offset+pfunc.Len) {
			dest := p.Find(sym.Sec, uint64(r.Addend))
			if dest == nil || p.Func(dest) == nil || p.Func(dest).Pfunc != pfunc {
				break
			}
			p.prependAlt(jump, Alt{Insn: dest})
		}
		prevOff = r.Offset
	}
	if prevOff == 0 {
		return &Problem{At: jump, Fatal: true, Msg: "can't find switch jump table"}
	}
	return nil
}

// tableSection returns the section whose relocations hold the table.
func (p *Program) tableSection(t *Rel) *Section { return p.Sections[t.tableSec] }

// relocIndex returns the index of r in relocs, or -1.
func relocIndex(relocs []decode.Reloc, r *decode.Reloc) int {
	i := sort.Search(len(relocs), func(i int) bool { return relocs[i].Offset >= r.Offset })
	for ; i < len(relocs) && relocs[i].Offset == r.Offset; i++ {
		if &relocs[i] == r {
			return i
		}
	}
	return -1
}
