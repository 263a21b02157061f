package cfg

import (
	"debug/elf"
	"fmt"
	"math/bits"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/internal/prefault"
)

// wrapSections marks each section with what objtool derives from its name.
func (p *Program) wrapSections() {
	p.Sections = make([]*Section, len(p.File.Sections))
	// A location for each section and symbol, and up to two for each
	// alternative (vmlinux.o: 5.7 thousand beyond 143 thousand; grown
	// instead, the table was copied whole).
	p.locs = make([]insnLoc, 0, len(p.File.Sections)+len(p.File.Symbols)+2*p.altEntries()+64)
	for i, ds := range p.File.Sections {
		s := &Section{Section: ds}
		s.bare = p.newLoc(s, nil)
		name := ds.Name
		if ds.Flags&elf.SHF_EXECINSTR != 0 {
			s.Text = name != ".altinstr_replacement" && name != ".altinstr_aux" && !strings.HasPrefix(name, ".discard.")
			s.Noinstr = name == ".noinstr.text" || name == ".entry.text" || name == ".cpuidle.text" ||
				strings.HasPrefix(name, ".text..__x86.")
			s.Init = name == ".init.text" && !p.Opts.Module
		}
		if (strings.HasPrefix(name, ".rodata") && !strings.Contains(name, ".str1.")) ||
			strings.HasPrefix(name, ".data.rel.ro") {
			s.Rodata = true
			p.Rodata = true
		}
		s.Code = ds.Flags&elf.SHF_EXECINSTR != 0 || p.isAltCode(name)
		p.Sections[i] = s
	}
}

// altEntries counts the entries of the object's alternative groups.
func (p *Program) altEntries() int {
	n := 0
	for _, sp := range p.Arch.Specials {
		for _, ds := range p.File.Sections {
			if sp.Kind == arch.SpecialGroup && sp.EntrySize > 0 && ds.Name == sp.Name {
				n += int(ds.Size / uint64(sp.EntrySize))
			}
		}
	}
	return n
}

// isAltCode reports a non-executable section of replacement code.
func (p *Program) isAltCode(name string) bool {
	for _, pre := range p.Arch.AltCode {
		if strings.HasPrefix(name, pre) {
			return true
		}
	}
	return false
}

// maxCodeSection bounds a code section: Insn.Off is 32 bits.
const maxCodeSection = 1<<32 - 1

// decodeInsns decodes every executable section linearly from its start,
// as objtool does, and attaches instructions to their symbols.
func (p *Program) decodeInsns() *Problem {
	if l := p.Arch.DecodeLock; l != nil {
		l.Lock()
		defer l.Unlock()
	}
	total, prob := p.codeBytes()
	if prob != nil {
		return prob
	}
	if p.early == nil {
		p.reserve(total)
	}
	for _, s := range p.Sections {
		if !s.Code {
			continue
		}
		if prob := p.decodeOrTakeEarly(s); prob != nil {
			p.indexBlocks(s) // what was decoded can still be found
			return prob
		}
		p.findSwitches(s)
		// The bytes are decoded: what else reads them reads little of
		// them (vmlinux.o: 16 MB of code out of memory, 150 pages read
		// again).
		p.File.Release(s.Data)
		s.End = len(p.Insns)
		p.indexBlocks(s)
		if prob := p.attachSymbols(s); prob != nil {
			return prob
		}
	}
	return nil
}

// codeBytes counts the bytes of the code sections, which must each fit
// Insn.Off.
func (p *Program) codeBytes() (int, *Problem) {
	total := 0
	for _, s := range p.Sections {
		if !s.Code {
			continue
		}
		if uint64(len(s.Data)) > maxCodeSection {
			return 0, &Problem{Plain: true, Fatal: true,
				Msg: fmt.Sprintf("section %s: %d bytes of code, more than 4 GiB", s.Name, len(s.Data))}
		}
		total += len(s.Data)
	}
	return total, nil
}

// reserve makes room for the instructions of total bytes of code and what
// comes with them.
func (p *Program) reserve(total int) {
	// A fixed-width arch has at most total/InsnAlign instructions; x86
	// averages some 3.4 bytes in a kernel, and a slice of millions that
	// must grow is copied whole, so reserve for 3 (what is never touched
	// costs no memory).
	p.Insns = make([]Insn, 0, total/min(max(p.Arch.InsnAlign, 3), 4)+16)
	// Stack operations come at about one for four instructions on every
	// arch (vmlinux.o: 1.2 million for 4.9 million); reserve twice that,
	// for the same reason: grown by a quarter at a time, the slice left
	// 150 MB of copies behind it in a run that does not collect.
	p.Ops = make([]arch.StackOp, 0, cap(p.Insns)/2)
	// Fault in, ahead of the decoder, what the object will likely fill:
	// 3.5 bytes an instruction on x86 (vmlinux.o: 3.44), and an operation
	// for four of them.
	expect := total * 2 / max(2*p.Arch.InsnAlign, 7)
	prefault.Start(p.Insns, expect)
	prefault.Start(p.Ops, expect/4)
	// About one instruction in five transfers control (vmlinux.o: 0.91
	// million of 4.93): reserve for 3 in 10, rather than copy the list as
	// it grows (what is never touched costs no memory).
	p.transfers = make([]int32, 0, expect*3/10+16)
	// One instruction in 17 has rare fields (vmlinux.o: 290 thousand,
	// most of them calls): reserve for one in 16.
	p.rares.reserve(expect / 16)
}

// decodeSection decodes one section's instructions into p.Insns. On
// fixed-width architectures, data ranges marked by mapping symbols ($d)
// and words that are not instructions are skipped; on x86, as in objtool,
// an undecodable instruction is fatal.
func (p *Program) decodeSection(s *Section) *Problem {
	s.First = len(p.Insns)
	r := &sectionReader{a: p.Arch, data: s.Data, fixed: p.Arch.InsnAlign > 1}
	if r.fixed {
		r.ranges = dataRanges(s)
	}
	next := 0 // the first relocation not before the instruction
	pipelined := len(s.Data) >= pipelineMin
	var starts []uint64
	if pipelined && p.Arch.DecodeLock == nil {
		starts = chunkStarts(s.Section)
	}
	prob := decodeEach(r, pipelined, starts, func(d *decodedInsn) *Problem {
		switch {
		case d.bad && r.fixed:
			p.addNotCode(s, d.off, &d.insn)
		case d.bad:
			return &Problem{Plain: true, Fatal: true,
				Msg: fmt.Sprintf("can't decode instruction at %s:0x%x", s.Name, d.off)}
		default:
			p.addInsn(s, d.off, &d.insn)
		}
		// Most instructions have no relocation: say so now, while the
		// relocations are walked in order, rather than search for each;
		// after decoding, nothing writes the mark, so passes that run
		// concurrently may read it.
		for next < len(s.Relocs) && s.Relocs[next].Offset < d.off {
			next++
		}
		if next == len(s.Relocs) || s.Relocs[next].Offset-d.off >= uint64(d.insn.Len) {
			p.Insns[len(p.Insns)-1].Flags |= noReloc
		}
		return nil
	})
	s.End = len(p.Insns)
	return prob
}

// addInsn appends one decoded instruction.
func (p *Program) addInsn(s *Section, off uint64, ai *arch.Insn) {
	in := Insn{meta: uint32(s.bare), Off: uint32(off), Len: ai.Len, Kind: ai.Kind}
	if ai.HasTarget {
		in.meta |= hasTarget
	}
	start := int32(len(p.Ops))
	p.Ops = append(p.Ops, ai.StackOps()...)
	if ai.Flags&arch.FlagLinkRegCall != 0 && p.Arch.PCReadNotCall {
		in.Kind = arch.Other // reads the PC: only the link register changes
		p.Ops = append(p.Ops, arch.StackOp{
			Dst: arch.Dst{Type: arch.DstReg, Reg: p.Arch.LR},
			Src: arch.Src{Type: arch.SrcConst},
		})
	}
	in.aux = start
	in.meta |= uint32(int32(len(p.Ops))-start) << opsShift
	if ai.Kind == arch.Bug {
		in.Flags |= DeadEnd
	}
	if ai.Flags&arch.FlagIret != 0 {
		p.irets = append(p.irets, int32(len(p.Insns)))
	}
	if in.Kind.IsTransfer() {
		p.transfers = append(p.transfers, int32(len(p.Insns)))
	}
	p.Insns = append(p.Insns, in)
	added := &p.Insns[len(p.Insns)-1]
	p.setTarget(added, ai.Target)
	if ai.Flags != 0 {
		p.makeRare(added).aflags = ai.Flags
	}
	p.decodeNotes(s, off, ai.Flags)
}

// placeIn puts in in sym (nil for none), in the section it is in. An
// alternative's replacement takes its original's symbol in a section of
// its own: consecutive ones share a location made for them.
func (p *Program) placeIn(in *Insn, sym *Symbol) {
	switch sec := p.Sec(in); {
	case sym == nil:
		in.setLoc(sec.bare)
	case sym.Sec == sec:
		in.setLoc(sym.here)
	case p.lastLoc != 0 && p.locs[p.lastLoc] == insnLoc{sec, sym}:
		in.setLoc(p.lastLoc)
	default:
		p.lastLoc = p.newLoc(sec, sym)
		in.setLoc(p.lastLoc)
	}
}

// addNotCode records a word that is not an instruction (data in text
// without a mapping symbol) as a placeholder, so symbols on it still find
// their start; the checker reports a path that runs into it.
func (p *Program) addNotCode(s *Section, off uint64, ai *arch.Insn) {
	*ai = arch.Insn{Len: ai.Len, Kind: arch.Other}
	p.addInsn(s, off, ai)
	p.Insns[len(p.Insns)-1].Flags |= NotCode
}

// A dataMap holds a section's data ranges from its mapping symbols.
type dataMap []struct{ start, end uint64 }

// dataRanges reads the $d ... $x (or $d to the end) ranges of a section.
func dataRanges(s *Section) dataMap { return dataRangesOf(s.all, s.Size) }

// dataRangesOf reads the data ranges of symbols in section order, in a
// section of the given size.
func dataRangesOf(syms []*Symbol, size uint64) dataMap {
	var m dataMap
	open := false
	var start uint64
	for _, sym := range syms {
		switch {
		case isMapping(sym.Name, 'd') && !open:
			open, start = true, sym.Offset
		case isMapping(sym.Name, 'x') && open:
			m = append(m, struct{ start, end uint64 }{start, sym.Offset})
			open = false
		}
	}
	if open {
		m = append(m, struct{ start, end uint64 }{start, size})
	}
	return m
}

// isMappingSym reports any ELF mapping symbol ($x, $d, $a, $t and their
// numbered forms): they mark code and data, they are not functions.
func isMappingSym(name string) bool {
	return len(name) >= 2 && name[0] == '$' && (len(name) == 2 || name[2] == '.')
}

// isMapping reports an ELF mapping symbol of kind c ("$d", "$d.42").
func isMapping(name string, c byte) bool {
	return len(name) >= 2 && name[0] == '$' && name[1] == c && (len(name) == 2 || name[2] == '.')
}

// skip reports whether off is in a data range, and where the range ends.
func (m dataMap) skip(off uint64) (uint64, bool) {
	for _, r := range m {
		if off >= r.start && off < r.end {
			return r.end, true
		}
	}
	return 0, false
}

// Find returns the instruction at off in section s, or nil. It reads
// only the section's index: instructions are found by the million, at
// addresses all over a kernel's code, and a search through them was
// mostly cache misses (vmlinux.o: 120 ms of the graph's building).
func (p *Program) Find(s *Section, off uint64) *Insn {
	k := off >> blockShift
	if s == nil || k >= uint64(len(s.blocks)) {
		return nil
	}
	b := &s.blocks[k]
	bit := uint64(1) << (off & (1<<blockShift - 1))
	starts := b.starts()
	if starts&bit == 0 {
		return nil
	}
	return &p.Insns[s.First+int(b.first)+bits.OnesCount64(starts&(bit-1))]
}

// indexBlocks makes s.blocks, once s's instructions are final.
func (p *Program) indexBlocks(s *Section) {
	insns := p.Insns[s.First:s.End]
	if len(insns) == 0 {
		return
	}
	s.blocks = make([]insnBlock, insns[len(insns)-1].Off>>blockShift+1)
	next := 0 // the block after the last instruction's
	for i := range insns {
		off := insns[i].Off
		k := int(off >> blockShift)
		for ; next <= k; next++ {
			s.blocks[next].first = int32(i)
		}
		s.blocks[k].addStart(uint(off & (1<<blockShift - 1)))
	}
}

// attachSymbols gives each instruction the function or code symbol that
// covers it, checking that every symbol starts on an instruction.
func (p *Program) attachSymbols(s *Section) *Problem {
	for _, sym := range s.all {
		if sym.Type != elf.STT_NOTYPE && sym.Type != elf.STT_FUNC || isMappingSym(sym.Name) {
			continue
		}
		if sym.Offset == s.Size {
			if sym.Type == elf.STT_NOTYPE {
				continue // likely an "end" label
			}
			return &Problem{Plain: true, Fatal: true, Msg: sym.Name + "(): STT_FUNC at end of section"}
		}
		if sym.Has(SymEmbeddedInsn) || sym.Alias != sym {
			continue
		}
		first := p.Find(s, sym.Offset)
		if first == nil {
			return &Problem{Plain: true, Fatal: true, Msg: sym.Name + "(): can't find starting instruction"}
		}
		// The section's own instructions, in index order (Next's, which
		// stays in the section), each placed in sym, which is in the
		// section too (placeIn's own case).
		isFunc := sym.IsFunc()
		end := sym.Offset + sym.Len
		for i := p.IndexOf(first); i < int32(s.End) && uint64(p.Insns[i].Off) < end; i++ {
			in := &p.Insns[i]
			in.setLoc(sym.here)
			in.Flags &^= inFunc
			if isFunc {
				in.Flags |= inFunc
			}
			if isFunc && in.Kind == arch.Endbr && in.Flags&listedEndbr == 0 {
				p.listEndbr(in, in == first)
			}
		}
	}
	p.resolveIrets(s)
	return nil
}

// listEndbr lists an ENDBR at a function's start for sealing, and counts
// one inside a function.
func (p *Program) listEndbr(in *Insn, atStart bool) {
	if !atStart {
		p.Sites.EndbrsInside++
		return
	}
	in.Flags |= listedEndbr
	p.Sites.Endbrs = append(p.Sites.Endbrs, in)
}

// resolveIrets turns an iret inside a function (sync_core's iret to self)
// into the 40-byte pop it is there; elsewhere it stays a context switch.
func (p *Program) resolveIrets(s *Section) {
	for _, i := range p.irets {
		if i < int32(s.First) || i >= int32(s.End) {
			continue
		}
		in := &p.Insns[i]
		if sym := s.SymbolContaining(uint64(in.Off)); sym != nil && sym.IsFunc() {
			in.Kind = arch.Other
			p.setOps(in, int32(len(p.Ops)), 1)
			p.Ops = append(p.Ops, arch.StackOp{
				Dst: arch.Dst{Type: arch.DstReg, Reg: p.Arch.SP},
				Src: arch.Src{Type: arch.SrcAdd, Reg: p.Arch.SP, Off: 40},
			})
		}
	}
}

// nextInFunc returns the next instruction of the same function, moving on
// to the function's .cold child at its end (objtool's next_insn_same_func).
func (p *Program) nextInFunc(in *Insn) *Insn {
	fn := p.Func(in)
	if fn == nil {
		return nil
	}
	if next := p.Next(in); next != nil && p.Func(next) == fn {
		return next
	}
	if fn == fn.Cfunc {
		return nil
	}
	return p.Find(fn.Cfunc.Sec, fn.Cfunc.Offset)
}

// FuncInsns calls visit for each instruction of fn, its .cold child's too,
// until visit returns false.
func (p *Program) FuncInsns(fn *Symbol, visit func(*Insn) bool) {
	for in := p.Find(fn.Sec, fn.Offset); in != nil; in = p.nextInFunc(in) {
		if !visit(in) {
			return
		}
	}
}

// prevInSym returns the previous instruction if it has the same function.
func (p *Program) prevInSym(in *Insn) *Insn {
	if prev := p.Prev(in); prev != nil && p.Func(prev) == p.Func(in) {
		return prev
	}
	return nil
}

// Reloc returns the first relocation inside the instruction's bytes.
func (p *Program) Reloc(in *Insn) *Rel {
	if r, sym := p.relocOf(in); r != nil {
		// Small enough to inline, so that a caller that keeps no pointer
		// to the Rel has it on its stack: vmlinux.o asks 600 thousand
		// times, and each Rel on the heap stayed there.
		return &Rel{Reloc: r, Sym: sym}
	}
	return nil
}

// relocOf returns the relocation within in's bytes and its symbol, nil
// if none.
func (p *Program) relocOf(in *Insn) (*decode.Reloc, *Symbol) {
	if in.Has(noReloc) || p.Sec(in) == nil {
		return nil, nil
	}
	r := p.Sec(in).RelocInRange(uint64(in.Off), uint64(in.Len))
	if r == nil {
		return nil, nil
	}
	return r, p.Syms[r.Sym.Index]
}

// decodeNotes records the informational messages objtool prints while
// decoding (an x86 notrack prefix, say); they are not counted as warnings.
func (p *Program) decodeNotes(s *Section, off uint64, flags arch.InsnFlags) {
	for _, n := range p.Arch.Notes {
		if flags&n.Flag != 0 {
			p.Problems = append(p.Problems, Problem{Plain: true, Msg: fmt.Sprintf(n.Format, s.Name, off)})
		}
	}
}
