package decode

import (
	"debug/elf"
	"encoding/binary"
)

// A testSection is one section for buildELF.
type testSection struct {
	name       string
	typ        elf.SectionType
	flags      elf.SectionFlag
	link, info uint32
	entsize    uint64
	data       []byte
	size       uint64 // for SHT_NOBITS; otherwise len(data)
}

// buildELF lays out an ELF64 relocatable object for machine m: the header,
// the contents of secs, a .shstrtab it adds last, then the section headers.
// secs leaves out the null section, so secs[0] becomes section 1.
func buildELF(o binary.ByteOrder, m elf.Machine, secs []testSection) []byte {
	all := append([]testSection{{}}, secs...)
	names := []byte{0}
	nameOff := make([]uint32, len(all)+1)
	for i, s := range all[1:] {
		nameOff[i+1] = uint32(len(names))
		names = append(append(names, s.name...), 0)
	}
	nameOff[len(all)] = uint32(len(names))
	names = append(names, ".shstrtab\x00"...)
	all = append(all, testSection{name: ".shstrtab", typ: elf.SHT_STRTAB, data: names})

	out := make([]byte, ehdrSize)
	offs := make([]uint64, len(all))
	for i, s := range all[1:] {
		offs[i+1] = uint64(len(out))
		out = append(out, s.data...)
	}
	shoff := uint64(len(out))
	for i, s := range all {
		size := uint64(len(s.data))
		if s.typ == elf.SHT_NOBITS {
			size = s.size
		}
		var h [shdrSize]byte
		o.PutUint32(h[0:], nameOff[i])
		o.PutUint32(h[4:], uint32(s.typ))
		o.PutUint64(h[8:], uint64(s.flags))
		o.PutUint64(h[24:], offs[i])
		o.PutUint64(h[32:], size)
		o.PutUint32(h[40:], s.link)
		o.PutUint32(h[44:], s.info)
		o.PutUint64(h[48:], 1)
		o.PutUint64(h[56:], s.entsize)
		out = append(out, h[:]...)
	}
	putHeader(out, o, m, shoff, len(all))
	return out
}

// putHeader writes the ELF header of a relocatable object with n section
// headers at shoff, the last of them the name table.
func putHeader(out []byte, o binary.ByteOrder, m elf.Machine, shoff uint64, n int) {
	copy(out, elf.ELFMAG)
	out[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	out[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	if o == binary.BigEndian {
		out[elf.EI_DATA] = byte(elf.ELFDATA2MSB)
	}
	out[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	o.PutUint16(out[16:], uint16(elf.ET_REL))
	o.PutUint16(out[18:], uint16(m))
	o.PutUint32(out[20:], uint32(elf.EV_CURRENT))
	o.PutUint64(out[40:], shoff)
	o.PutUint16(out[52:], ehdrSize)
	o.PutUint16(out[58:], shdrSize)
	o.PutUint16(out[60:], uint16(n))
	o.PutUint16(out[62:], uint16(n-1))
}

// A testSym is one symbol for symbolTable.
type testSym struct {
	name  string
	typ   elf.SymType
	bind  elf.SymBind
	shndx uint16
	value uint64
}

// symbolTable returns the contents of a symbol table holding the null
// symbol and syms, and of its string table.
func symbolTable(o binary.ByteOrder, syms ...testSym) (symtab, strtab []byte) {
	strtab = []byte{0}
	symtab = make([]byte, symSize, symSize*(len(syms)+1))
	for _, s := range syms {
		var e [symSize]byte
		if s.name != "" {
			o.PutUint32(e[0:], uint32(len(strtab)))
			strtab = append(append(strtab, s.name...), 0)
		}
		e[4] = elf.ST_INFO(s.bind, s.typ)
		o.PutUint16(e[6:], s.shndx)
		o.PutUint64(e[8:], s.value)
		symtab = append(symtab, e[:]...)
	}
	return symtab, strtab
}

// relaTable returns the contents of an SHT_RELA section (or SHT_REL,
// without addends, when rel is set) holding rs.
func relaTable(o binary.ByteOrder, rel bool, rs ...Reloc) []byte {
	var out []byte
	for _, r := range rs {
		var e [relaSize]byte
		o.PutUint64(e[0:], r.Offset)
		o.PutUint64(e[8:], uint64(r.Sym.Index)<<32|uint64(r.Type))
		o.PutUint64(e[16:], uint64(r.Addend))
		if rel {
			out = append(out, e[:relSize]...)
		} else {
			out = append(out, e[:]...)
		}
	}
	return out
}
