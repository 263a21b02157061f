package decode

import (
	"cmp"
	"debug/elf"
	"slices"

	"github.com/objcheck/objcheck/internal/prefault"
)

// symbols reads the symbol table, if there is one, into p.f.Symbols.
func (p *parser) symbols() error {
	st, err := p.findSymtab()
	if st == nil || err != nil {
		return err
	}
	n, strs, xindex, err := p.symtabParts(st)
	if err != nil {
		return err
	}
	syms := make([]Symbol, n) // n <= len(p.data)/24: st.Data lies in the file
	prefault.Start(syms, len(syms))
	p.f.Symbols = make([]*Symbol, n)
	for i := range syms {
		sym := &syms[i]
		if err := p.symbol(sym, i, st.Data[i*symSize:][:symSize], strs, xindex); err != nil {
			return err
		}
		p.f.Symbols[i] = sym
	}
	p.symtab = st
	return nil
}

// symtabParts checks symbol table st's shape and returns its number of
// entries, its string table and its .symtab_shndx contents (nil if none).
func (p *parser) symtabParts(st *Section) (uint64, strtab, []byte, error) {
	n, err := checkTable(st, symSize)
	if err != nil {
		return 0, strtab{}, nil, err
	}
	// sh_info is one past the last local symbol: n when all are local.
	if uint64(st.Info) > n {
		return 0, strtab{}, nil, errorf("%s: sh_info %d out of range (%d symbols)", secLabel(st), st.Info, n)
	}
	strs, err := p.linkedStrtab(st)
	if err != nil {
		return 0, strtab{}, nil, err
	}
	xindex, err := p.findShndx(st, n)
	return n, strs, xindex, err
}

// findSymtab returns the one SHT_SYMTAB section, or nil if there is none.
func (p *parser) findSymtab() (*Section, error) {
	var st *Section
	for _, s := range p.f.Sections[1:] {
		if s.Type != elf.SHT_SYMTAB {
			continue
		}
		if st != nil {
			return nil, errorf("more than one symbol table (sections %d and %d)", st.Index, s.Index)
		}
		st = s
	}
	return st, nil
}

// linkedStrtab returns the string table named by s's sh_link.
func (p *parser) linkedStrtab(s *Section) (strtab, error) {
	t := p.f.Sections[s.Link]
	if t.Type != elf.SHT_STRTAB {
		return strtab{}, errorf("%s: sh_link %d is not a string table (%s)", secLabel(s), s.Link, t.Type)
	}
	return newStrtab(t, t.Data), nil
}

// findShndx returns the contents of the SHT_SYMTAB_SHNDX section that
// extends symbol table st of n entries, or nil if it has none. There is at
// most one, and it names st in its sh_link.
func (p *parser) findShndx(st *Section, n uint64) ([]byte, error) {
	var x *Section
	for _, s := range p.f.Sections[1:] {
		switch {
		case s.Type != elf.SHT_SYMTAB_SHNDX:
			continue
		case x != nil:
			return nil, errorf("more than one extended section index table (sections %d and %d)", x.Index, s.Index)
		case s.Link != uint32(st.Index):
			return nil, errorf("%s: sh_link %d is not the symbol table (section %d)", secLabel(s), s.Link, st.Index)
		}
		x = s
	}
	if x == nil {
		return nil, nil
	}
	m, err := checkTable(x, shndxSize)
	if err == nil && m != n {
		err = errorf("%s: %d entries for %d symbols", secLabel(x), m, n)
	}
	if err != nil {
		return nil, err
	}
	return x.Data, nil
}

// symbol decodes symbol table entry b, number i, into sym, naming it from
// strs. xindex is the .symtab_shndx contents (nil if none), one 4-byte entry
// for each symbol.
func (p *parser) symbol(sym *Symbol, i int, b []byte, strs strtab, xindex []byte) error {
	o := p.order
	*sym = Symbol{
		Index: i,
		Type:  elf.ST_TYPE(b[4]),
		Bind:  elf.ST_BIND(b[4]),
		Other: b[5],
		Shndx: uint32(o.Uint16(b[6:])),
		Value: o.Uint64(b[8:]),
		Size:  o.Uint64(b[16:]),
	}
	nameOff := o.Uint32(b)
	name, ok := strs.lookup(nameOff)
	if !ok {
		return strs.badName(symLabel(sym), nameOff)
	}
	sym.Name = name
	return p.symbolSection(sym, xindex)
}

// symbolSection resolves sym.Shndx, through xindex for SHN_XINDEX, and sets
// sym.Section for a symbol defined in a section.
func (p *parser) symbolSection(sym *Symbol, xindex []byte) error {
	switch {
	case sym.Shndx == uint32(elf.SHN_XINDEX):
		if xindex == nil {
			return errorf("%s: SHN_XINDEX but no .symtab_shndx section", symLabel(sym))
		}
		sym.Shndx = p.order.Uint32(xindex[sym.Index*shndxSize:])
	case sym.Shndx >= uint32(elf.SHN_LORESERVE):
		return nil // SHN_ABS, SHN_COMMON and the processor-specific ones
	}
	if sym.Shndx == uint32(elf.SHN_UNDEF) {
		return nil
	}
	if uint64(sym.Shndx) >= uint64(len(p.f.Sections)) {
		return errorf("%s: section index %d out of range (%d sections)", symLabel(sym), sym.Shndx, len(p.f.Sections))
	}
	sym.Section = p.f.Sections[sym.Shndx]
	if p.linked() {
		return nil
	}
	return symbolInSection(sym)
}

// symbolInSection checks that sym, defined in sym.Section, lies within it:
// st_value at most sh_size (a symbol at the very end, such as an end
// label, is normal) and st_value+st_size at most sh_size. An STT_SECTION
// symbol stands for the whole section, whatever its value.
func symbolInSection(sym *Symbol) error {
	s := sym.Section
	if sym.Type == elf.STT_SECTION || sym.Value <= s.Size && sym.Size <= s.Size-sym.Value {
		return nil
	}
	return errorf("%s: at %#x+%#x past end of %s (%#x bytes)", symLabel(sym), sym.Value, sym.Size, secLabel(s), s.Size)
}

// sectionSymbols fills each section's Syms, sorted by Value then index. All
// the lists share one backing array.
func (p *parser) sectionSymbols() {
	counts := make([]int, len(p.f.Sections))
	total := 0
	for _, sym := range p.f.Symbols {
		if sym.Section != nil {
			counts[sym.Section.Index]++
			total++
		}
	}
	all := make([]*Symbol, 0, total)
	for i, s := range p.f.Sections {
		if counts[i] != 0 {
			start := len(all)
			all = all[:start+counts[i]]
			s.Syms = all[start:start:len(all)]
		}
	}
	for _, sym := range p.f.Symbols {
		if s := sym.Section; s != nil {
			s.Syms = append(s.Syms, sym) // within the capacity set above
		}
	}
	for _, s := range p.f.Sections {
		if !slices.IsSortedFunc(s.Syms, bySymValue) {
			slices.SortStableFunc(s.Syms, bySymValue) // stable: index order already
		}
	}
}

// bySymValue orders symbols by value.
func bySymValue(a, b *Symbol) int { return cmp.Compare(a.Value, b.Value) }
