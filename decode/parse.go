package decode

import (
	"debug/elf"
	"encoding/binary"
	"math/bits"
)

// Sizes of the ELF64 structures this reader knows.
const (
	ehdrSize  = 64 // Elf64_Ehdr
	shdrSize  = 64 // Elf64_Shdr
	phdrSize  = 56 // Elf64_Phdr
	symSize   = 24 // Elf64_Sym
	relaSize  = 24 // Elf64_Rela
	relSize   = 16 // Elf64_Rel
	shndxSize = 4  // one .symtab_shndx entry
)

// A parser holds the state of one Parse call.
type parser struct {
	data  []byte
	order binary.ByteOrder
	// bigEndian is order == binary.BigEndian, for the hot reads that
	// call the order directly (parser.uint64).
	bigEndian bool
	f         *File
	eh        ehdr
	nameOff   []uint32 // sh_name of each section
	shstr     int      // index of the section-name string table
	symtab    *Section // the SHT_SYMTAB section, or nil
}

// An ehdr holds the ELF header fields read after the checks on e_ident,
// e_type and e_machine.
type ehdr struct {
	phoff     uint64
	shoff     uint64
	flags     uint32
	phentsize uint16
	phnum     uint16
	shentsize uint16
	shnum     uint16
	shstrndx  uint16
}

// run parses p.data into p.f.
func (p *parser) run() error {
	if err := p.header(); err != nil {
		return err
	}
	if err := p.programHeaders(); err != nil {
		return err
	}
	if err := p.sectionHeaders(); err != nil {
		return err
	}
	// Names come first, as far as they can be read, so that an error about
	// a section's contents can name it; a bad name is reported only once
	// every section's contents are known to lie in the file.
	nameErr := p.sectionNames()
	if err := p.sectionContents(); err != nil {
		return err
	}
	if nameErr != nil {
		return nameErr
	}
	for _, step := range []func() error{p.overlaps, p.sectionLinks, p.checkABI, p.symbols, p.relocations} {
		if err := step(); err != nil {
			return err
		}
	}
	p.sectionSymbols()
	return nil
}

// linked reports whether the file has program headers, which only a linked
// file has: orcdump shows Parse a linked vmlinux as if it were relocatable.
// There a symbol's value is an address, and the linker puts symbols such as
// __bss_start past the end of the section they name, so symbols are not
// checked against their sections.
func (p *parser) linked() bool { return p.eh.phnum != 0 }

// inFile reports whether size bytes at off lie within the file.
func (p *parser) inFile(off, size uint64) bool {
	n := uint64(len(p.data))
	return off <= n && size <= n-off
}

// truncated reports that size bytes of what at off run past the end.
func (p *parser) truncated(what string, off, size uint64) error {
	return errorf("truncated: %s at %#x+%#x past end of file (%#x)", what, off, size, len(p.data))
}

// header checks e_ident, e_type and e_machine, chooses the architecture and
// keeps the fields that locate the section headers.
func (p *parser) header() error {
	d := p.data
	switch {
	case len(d) == 0:
		return errorf("not an ELF file (empty)")
	case len(d) < len(elf.ELFMAG) || string(d[:len(elf.ELFMAG)]) != elf.ELFMAG:
		return errorf("not an ELF file")
	case len(d) < elf.EI_NIDENT:
		return p.truncated("ELF header", 0, ehdrSize)
	case elf.Class(d[elf.EI_CLASS]) != elf.ELFCLASS64:
		return errorf("not a 64-bit ELF file")
	}
	switch elf.Data(d[elf.EI_DATA]) {
	case elf.ELFDATA2LSB:
		p.order = binary.LittleEndian
	case elf.ELFDATA2MSB:
		p.order, p.bigEndian = binary.BigEndian, true
	default:
		return errorf("unknown byte order (EI_DATA %d)", d[elf.EI_DATA])
	}
	if v := elf.Version(d[elf.EI_VERSION]); v != elf.EV_CURRENT {
		return errorf("unknown ELF version %d", v)
	}
	if len(d) < ehdrSize {
		return p.truncated("ELF header", 0, ehdrSize)
	}
	o := p.order
	if t := elf.Type(o.Uint16(d[16:])); t != elf.ET_REL {
		return errorf("not a relocatable object (e_type %d)", uint16(t))
	}
	m := elf.Machine(o.Uint16(d[18:]))
	a, err := archFor(m, o)
	if err != nil {
		return err
	}
	p.f.Machine, p.f.ByteOrder, p.f.Arch = m, o, a
	p.eh = ehdr{
		phoff:     o.Uint64(d[32:]),
		shoff:     o.Uint64(d[40:]),
		flags:     o.Uint32(d[48:]),
		phentsize: o.Uint16(d[54:]),
		phnum:     o.Uint16(d[56:]),
		shentsize: o.Uint16(d[58:]),
		shnum:     o.Uint16(d[60:]),
		shstrndx:  o.Uint16(d[62:]),
	}
	return nil
}

// programHeaders checks that the program header table, which only a linked
// file has, lies in the file. (An e_phnum of PN_XNUM, the escape for 65535
// or more, is taken at its word: no file has so many.)
func (p *parser) programHeaders() error {
	eh := p.eh
	if eh.phnum == 0 {
		return nil
	}
	if eh.phentsize != phdrSize {
		return errorf("e_phentsize %d, want %d", eh.phentsize, phdrSize)
	}
	if size := uint64(eh.phnum) * phdrSize; !p.inFile(eh.phoff, size) {
		return p.truncated("program header table", eh.phoff, size)
	}
	return nil
}

// sectionHeaders locates the section header table, reads every entry into
// p.f.Sections and finds the section-name string table.
func (p *parser) sectionHeaders() error {
	n, err := p.sectionCount()
	if err != nil {
		return err
	}
	secs := make([]Section, n)
	p.f.Sections = make([]*Section, n)
	p.nameOff = make([]uint32, n)
	o := p.order
	for i := range secs {
		b := p.data[p.eh.shoff+uint64(i)*shdrSize:][:shdrSize]
		secs[i] = Section{
			Index:     i,
			Type:      elf.SectionType(o.Uint32(b[4:])),
			Flags:     elf.SectionFlag(o.Uint64(b[8:])), // the defined flags all fit in 32 bits
			Addr:      o.Uint64(b[16:]),
			Offset:    o.Uint64(b[24:]),
			Size:      o.Uint64(b[32:]),
			Link:      o.Uint32(b[40:]),
			Info:      o.Uint32(b[44:]),
			Addralign: o.Uint64(b[48:]),
			Entsize:   o.Uint64(b[56:]),
			order:     o,
		}
		p.nameOff[i] = o.Uint32(b)
		p.f.Sections[i] = &secs[i]
	}
	return p.findShstrtab()
}

// sectionCount checks e_shoff and e_shentsize and returns the number of
// section headers, which all lie in the file. An e_shnum of 0 means the
// count is in section 0's sh_size.
func (p *parser) sectionCount() (int, error) {
	eh := p.eh
	if eh.shoff == 0 {
		return 0, errorf("no section header table (e_shoff 0)")
	}
	if eh.shentsize != shdrSize {
		return 0, errorf("e_shentsize %d, want %d", eh.shentsize, shdrSize)
	}
	count := uint64(eh.shnum)
	if count == 0 {
		if !p.inFile(eh.shoff, shdrSize) {
			return 0, p.truncated("section header table", eh.shoff, shdrSize)
		}
		count = p.order.Uint64(p.data[eh.shoff+32:])
		if count == 0 {
			return 0, errorf("no sections (e_shnum 0 and section 0 sh_size 0)")
		}
	}
	hi, size := bits.Mul64(count, shdrSize)
	if hi != 0 {
		return 0, errorf("truncated: section header table at %#x with %d entries past end of file (%#x)",
			eh.shoff, count, len(p.data))
	}
	if !p.inFile(eh.shoff, size) {
		return 0, p.truncated("section header table", eh.shoff, size)
	}
	if eh.shoff < ehdrSize {
		return 0, errorf("section header table at %#x+%#x overlaps the ELF header at 0x0+%#x", eh.shoff, size, ehdrSize)
	}
	return int(count), nil // at most len(p.data)/64
}

// findShstrtab checks e_shstrndx, or section 0's sh_link when e_shstrndx
// is SHN_XINDEX, and keeps it in p.shstr.
func (p *parser) findShstrtab() error {
	secs := p.f.Sections
	idx, via := uint32(p.eh.shstrndx), ""
	if p.eh.shstrndx == uint16(elf.SHN_XINDEX) {
		idx, via = secs[0].Link, " (section 0 sh_link)"
	}
	switch {
	case idx == 0:
		return errorf("no section name string table (e_shstrndx%s 0)", via)
	case uint64(idx) >= uint64(len(secs)):
		return errorf("e_shstrndx%s %d out of range (%d sections)", via, idx, len(secs))
	case secs[idx].Type != elf.SHT_STRTAB:
		return errorf("e_shstrndx%s %d is not a string table (%s)", via, idx, secs[idx].Type)
	}
	p.shstr = int(idx)
	return nil
}

// sectionNames names every section it can. It reads nothing when the name
// table's contents are not in the file (sectionContents says so); otherwise
// it returns the first bad name.
func (p *parser) sectionNames() error {
	t := p.f.Sections[p.shstr]
	if !p.inFile(t.Offset, t.Size) {
		return nil
	}
	tab := newStrtab(t, p.data[t.Offset:t.Offset+t.Size])
	t.Name, _ = tab.lookup(p.nameOff[p.shstr]) // first, for the messages below
	var first error
	for i, s := range p.f.Sections {
		name, ok := tab.lookup(p.nameOff[i])
		if !ok && first == nil {
			first = tab.badName(secLabel(s), p.nameOff[i])
		}
		s.Name = name
	}
	return first
}

// sectionContents checks that every section's contents lie in the file and
// points Data at them.
func (p *parser) sectionContents() error {
	for _, s := range p.f.Sections[1:] {
		if s.Type == elf.SHT_NOBITS || s.Type == elf.SHT_NULL {
			continue
		}
		if !p.inFile(s.Offset, s.Size) {
			return errorf("%s: contents at %#x+%#x past end of file (%#x)",
				secLabel(s), s.Offset, s.Size, len(p.data))
		}
		end := s.Offset + s.Size
		s.Data = p.data[s.Offset:end:end]
	}
	return nil
}

// sectionLinks checks that every sh_link, and every sh_info that holds a
// section index, is in range.
func (p *parser) sectionLinks() error {
	n := uint64(len(p.f.Sections))
	for _, s := range p.f.Sections[1:] {
		if uint64(s.Link) >= n {
			return errorf("%s: sh_link %d out of range (%d sections)", secLabel(s), s.Link, n)
		}
		infoIsIndex := s.Type == elf.SHT_RELA || s.Type == elf.SHT_REL || s.Flags&elf.SHF_INFO_LINK != 0
		if infoIsIndex && uint64(s.Info) >= n {
			return errorf("%s: sh_info %d out of range (%d sections)", secLabel(s), s.Info, n)
		}
	}
	return nil
}

// checkTable checks a table section's entry size and that its size is a
// whole number of entries, and returns that number.
func checkTable(s *Section, entsize uint64) (uint64, error) {
	if s.Entsize != entsize {
		return 0, errorf("%s: sh_entsize %d, want %d", secLabel(s), s.Entsize, entsize)
	}
	if s.Size%entsize != 0 {
		return 0, errorf("%s: sh_size %#x is not a multiple of sh_entsize %d", secLabel(s), s.Size, entsize)
	}
	return s.Size / entsize, nil
}
