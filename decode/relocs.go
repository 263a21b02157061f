package decode

import (
	"cmp"
	"debug/elf"
	"math"
	"slices"

	"github.com/objcheck/objcheck/internal/prefault"
)

// relocations reads every SHT_RELA and SHT_REL section into the Relocs of
// the section it applies to.
func (p *parser) relocations() error {
	for _, s := range p.f.Sections[1:] {
		var entsize uint64
		switch s.Type {
		case elf.SHT_RELA:
			entsize = relaSize
		case elf.SHT_REL:
			entsize = relSize
		default:
			continue
		}
		if err := p.relocSection(s, entsize); err != nil {
			return err
		}
	}
	return nil
}

// relocSection reads relocation section s, whose entries are entsize bytes.
func (p *parser) relocSection(s *Section, entsize uint64) error {
	n, err := checkTable(s, entsize)
	if err != nil {
		return err
	}
	t, err := p.relocTarget(s)
	if err != nil {
		return err
	}
	relocs := make([]Reloc, n) // n <= len(p.data)/16: s.Data lies in the file
	prefault.Start(relocs, len(relocs))
	for i := range relocs {
		if err := p.reloc(&relocs[i], i, s, entsize, t); err != nil {
			return err
		}
	}
	if !slices.IsSortedFunc(relocs, byRelocOffset) {
		slices.SortStableFunc(relocs, byRelocOffset)
	}
	t.Rela, t.Relocs = s, relocs
	if t.IsExec() {
		t.relocBlocks = indexRelocs(relocs, t.Size)
	}
	return nil
}

// relocBlockShift is log2 of the bytes of code one entry of a section's
// relocation index covers: a kernel's code has about one relocation in
// 12 bytes, so a block holds a handful.
const relocBlockShift = 6

// indexRelocs returns, for each block of a section of size bytes, the
// index of the first of the sorted relocs at or after the block's start.
func indexRelocs(relocs []Reloc, size uint64) []int32 {
	if len(relocs) == 0 || len(relocs) > math.MaxInt32 {
		return nil
	}
	blocks := make([]int32, size>>relocBlockShift+1)
	i := 0
	for k := range blocks {
		start := uint64(k) << relocBlockShift
		for i < len(relocs) && relocs[i].Offset < start {
			i++
		}
		blocks[k] = int32(i)
	}
	return blocks
}

// relocTarget checks relocation section s's sh_link and sh_info and returns
// the section its relocations apply to.
func (p *parser) relocTarget(s *Section) (*Section, error) {
	switch {
	case p.symtab == nil:
		return nil, errorf("%s: relocations but no symbol table", secLabel(s))
	case s.Link != uint32(p.symtab.Index):
		return nil, errorf("%s: sh_link %d is not the symbol table (section %d)", secLabel(s), s.Link, p.symtab.Index)
	case s.Info == 0:
		return nil, errorf("%s: sh_info 0 names no section to relocate", secLabel(s))
	}
	t := p.f.Sections[s.Info]
	if !relocatable(t.Type) {
		return nil, errorf("%s: sh_info %d is not a section that can be relocated (%s)", secLabel(s), s.Info, t.Type)
	}
	if t.Rela != nil {
		return nil, errorf("%s: %s already has relocations in section %d", secLabel(s), secLabel(t), t.Rela.Index)
	}
	return t, nil
}

// reloc decodes entry i of relocation section s, whose entries are entsize
// bytes and apply to section t, into r. Entries of 16 bytes are SHT_REL,
// without an addend.
func (p *parser) reloc(r *Reloc, i int, s *Section, entsize uint64, t *Section) error {
	o := p.order
	b := s.Data[uint64(i)*entsize:][:entsize]
	off, info := o.Uint64(b), o.Uint64(b[8:])
	sym := info >> 32
	if sym >= uint64(len(p.f.Symbols)) {
		return errorf("relocation %d of %s: symbol index %d out of range (%d symbols)",
			i, secLabel(s), sym, len(p.f.Symbols))
	}
	*r = Reloc{Offset: off, Type: uint32(info), Index: uint32(i), Sym: p.f.Symbols[sym]}
	if err := p.relocInSection(r, s, t); err != nil {
		return err
	}
	if entsize == relaSize {
		r.Addend = int64(o.Uint64(b[16:]))
	}
	return nil
}

// relocInSection checks that the bytes relocation r of section s rewrites,
// as many as its type says, lie within section t.
func (p *parser) relocInSection(r *Reloc, s, t *Section) error {
	if r.Offset >= t.Size {
		return errorf("relocation %d of %s: offset %#x past end of %s (%#x bytes)",
			r.Index, secLabel(s), r.Offset, secLabel(t), t.Size)
	}
	if w := relocWidth(p.f.Arch, r.Type); w > t.Size-r.Offset {
		return errorf("relocation %d of %s: %s at %#x+%#x past end of %s (%#x bytes)",
			r.Index, secLabel(s), relocTypeName(p.f.Arch, r.Type), r.Offset, w, secLabel(t), t.Size)
	}
	return nil
}

// relocatable reports whether a section of type typ may have relocations:
// it has contents, and they are not one of the tables this reader knows.
func relocatable(typ elf.SectionType) bool {
	switch typ {
	case elf.SHT_NULL, elf.SHT_NOBITS, elf.SHT_SYMTAB, elf.SHT_STRTAB, elf.SHT_RELA, elf.SHT_REL,
		elf.SHT_SYMTAB_SHNDX, elf.SHT_GROUP:
		return false
	}
	return true
}

// byRelocOffset orders relocations by offset.
func byRelocOffset(a, b Reloc) int { return cmp.Compare(a.Offset, b.Offset) }
