// Package objwrite turns what the check learnt (a check.Plan) into the
// sections, relocations and symbols objtool 6.12 adds to an object, and
// the instructions it rewrites, through an elfedit.File: the same bytes,
// in the same order, as objtool's libelf writes.
package objwrite

import (
	"debug/elf"
	"fmt"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/elfedit"
)

// A writer applies one plan.
type writer struct {
	f *elfedit.File
	w *arch.Writing
	a *arch.Arch
}

// Apply makes the plan's changes to f, an object of machine a.
func Apply(f *elfedit.File, a *arch.Arch, plan *check.Plan) error {
	wr := &writer{f: f, w: &a.Write, a: a}
	for _, p := range plan.Patches {
		if err := wr.patch(p); err != nil {
			return err
		}
	}
	for i := range plan.Steps {
		if err := wr.step(&plan.Steps[i]); err != nil {
			return err
		}
	}
	return nil
}

// patch rewrites one instruction and voids its relocation.
func (wr *writer) patch(p check.Patch) error {
	table := wr.w.Nops
	if p.Ret {
		table = wr.w.Rets
	}
	if p.Len >= len(table) || table[p.Len] == nil {
		return fmt.Errorf("no %d-byte replacement instruction for %s+0x%x", p.Len, wr.f.Section(p.Sec).Name, p.Off)
	}
	if p.Rela != 0 {
		wr.f.SetRelocType(p.Rela, p.Reloc, wr.w.RelocNone)
	}
	if !wr.f.WriteBytes(p.Sec, p.Off, table[p.Len]) {
		return fmt.Errorf("patch past the end of %s", wr.f.Section(p.Sec).Name)
	}
	return nil
}

// A layout says how a section's entries are made: their size, the
// relocations of each, and what fills them.
type layout struct {
	entsize func(a *arch.Arch) uint64
	fill    func(wr *writer, sec, rsec int, st *check.Step)
	flags   elf.SectionFlag // added to SHF_ALLOC
	aligned bool            // aligned to the entry size (objtool sets it for __mcount_loc)
	relocs  int             // relocations per entry
}

// word is the size of the site lists' 32-bit entries.
func word(*arch.Arch) uint64 { return 4 }

// layouts are the sections objtool adds, by name. A section not named
// here is a list of 32-bit PC-relative code addresses.
var layouts = map[string]layout{
	".static_call_sites": {entsize: func(*arch.Arch) uint64 { return 8 }, fill: (*writer).fillStaticCalls,
		flags: elf.SHF_WRITE, relocs: 2},
	"__mcount_loc": {entsize: func(a *arch.Arch) uint64 { return uint64(a.PtrSize) }, fill: (*writer).fillMcount,
		aligned: true, relocs: 1},
}

// siteList is the layout of .retpoline_sites, .return_sites, .call_sites,
// .ibt_endbr_seal and .cfi_sites.
var siteList = layout{entsize: word, fill: (*writer).fillSites, relocs: 1}

// step makes one step's additions.
func (wr *writer) step(st *check.Step) error {
	switch st.Section {
	case "":
		return wr.prefixes(st)
	case ".orc_unwind":
		return wr.orc(st)
	}
	l, ok := layouts[st.Section]
	if !ok {
		l = siteList
	}
	es := l.entsize(wr.a)
	sec := wr.f.AddSection(st.Section, es, st.Entries)
	rsec, err := wr.f.AddRelaSection(sec, st.Entries*l.relocs)
	if err != nil {
		return err
	}
	if l.flags != 0 {
		wr.f.SetFlags(sec, elf.SHF_ALLOC|l.flags)
	}
	if l.aligned {
		wr.f.SetAlign(sec, es)
	}
	l.fill(wr, sec, rsec, st)
	return nil
}

// textReloc writes relocation idx of rsec to the code at s, through the
// section symbol of its section (objtool's elf_init_reloc_text_sym).
func (wr *writer) textReloc(rsec, idx int, off uint64, s check.Site, typ uint32) {
	sym := wr.f.SectionSymbol(s.Sec)
	wr.f.SetReloc(rsec, idx, elfedit.Reloc{Offset: off, Sym: sym, Type: typ, Addend: int64(s.Off)})
}

// fillSites fills a list of 32-bit code addresses.
func (wr *writer) fillSites(_, rsec int, st *check.Step) {
	for i, s := range st.Sites {
		wr.textReloc(rsec, i, uint64(i)*4, s, wr.w.RelocText)
	}
}

// fillMcount fills __mcount_loc with absolute addresses.
func (wr *writer) fillMcount(_, rsec int, st *check.Step) {
	size := uint64(wr.a.PtrSize)
	for i, s := range st.Sites {
		wr.textReloc(rsec, i, uint64(i)*size, s, wr.w.RelocAbs)
	}
}

// fillStaticCalls fills .static_call_sites: per site the call's address
// and its key, whose low bit marks a tail call.
func (wr *writer) fillStaticCalls(_, rsec int, st *check.Step) {
	for i, s := range st.Sites {
		wr.textReloc(rsec, 2*i, uint64(i)*8, s, wr.w.RelocText)
		if i >= len(st.Keys) {
			return
		}
		k := st.Keys[i]
		var tail int64
		if k.Tail {
			tail = 1
		}
		wr.f.SetReloc(rsec, 2*i+1, elfedit.Reloc{Offset: uint64(i)*8 + 4, Sym: wr.f.Current(uint32(k.Sym)),
			Type: wr.w.RelocData, Addend: tail})
	}
}

// orcSize is the size of struct orc_entry.
const orcSize = 6

// orc adds .orc_unwind, then .orc_unwind_ip and its relocations.
func (wr *writer) orc(st *check.Step) error {
	n := len(st.ORC)
	sec := wr.f.AddSection(".orc_unwind", orcSize, n)
	ip := wr.f.AddSection(".orc_unwind_ip", 4, n)
	rsec, err := wr.f.AddRelaSection(ip, n)
	if err != nil {
		return err
	}
	o := wr.f.ByteOrder()
	buf := make([]byte, orcSize*n)
	for i, e := range st.ORC {
		b := buf[i*orcSize:]
		o.PutUint16(b, uint16(e.SPOffset))
		o.PutUint16(b[2:], uint16(e.BPOffset))
		b[4] = e.SPReg&0xf | e.BPReg<<4
		b[5] = e.Type & 7
		if e.Signal {
			b[5] |= 1 << 3
		}
	}
	wr.f.WriteBytes(sec, 0, buf)
	for i, s := range st.Sites {
		wr.textReloc(rsec, i, uint64(i)*4, s, wr.w.RelocText)
	}
	return nil
}

// prefixes adds the __pfx_ symbols: named after their function, in
// .strtab, of its binding and type, its size before it.
func (wr *writer) prefixes(st *check.Step) error {
	strtab := wr.f.SectionByName(".strtab")
	if strtab == 0 {
		return fmt.Errorf("can't find .strtab section")
	}
	for _, p := range st.Prefixes {
		fn := wr.f.Symbol(wr.f.Current(uint32(p.Func)))
		name := "__pfx_" + wr.f.SymbolName(fn)
		wr.f.AddSymbol(elfedit.Symbol{Name: wr.f.AddString(strtab, name), Info: fn.Info, Shndx: fn.Shndx,
			Value: fn.Value - uint64(p.Size), Size: uint64(p.Size)})
	}
	return nil
}
