// Package elfedit edits an ELF64 relocatable object and lays the whole
// file out anew, the way objtool's libelf does when objtool writes: new
// sections go at the end of the section header table, new strings at the
// end of their string table, new local symbols take the place of the first
// global one (which moves to the end of the symbol table, its relocations
// following it), and every section is placed again in index order.
//
// A File holds the object's bytes as read and only copies a section's
// contents when that section is edited, so editing a large object costs
// little more than the sections it changes.
package elfedit

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// Sizes of the ELF64 structures an editor lays out.
const (
	ehdrSize = 64
	shdrSize = 64
	symSize  = 24
	relaSize = 24
	relSize  = 16
)

// A Header is one section header, as the editor will write it (Offset is
// recomputed by Bytes).
type Header struct {
	Name      uint32 // sh_name: offset in the section-name string table
	Type      elf.SectionType
	Flags     elf.SectionFlag
	Addr      uint64
	Offset    uint64
	Size      uint64
	Link      uint32
	Info      uint32
	Addralign uint64
	Entsize   uint64
}

// A Section is one section of the object being edited.
type Section struct {
	Name string
	Hdr  Header
	data []byte // contents; aliases the input until the section is edited
	own  bool   // data is this editor's own copy
	// patches are writes over the input's contents not yet copied (see
	// WriteBytes), in the order they were made.
	patches []patch
}

// A patch is bytes written at an offset of a section.
type patch struct {
	off uint64
	b   []byte
}

// Data returns the section's contents. The caller must not change them:
// edits go through the File's methods.
func (s *Section) Data() []byte {
	if len(s.patches) > 0 {
		s.copyOut(0)
	}
	return s.data
}

// copyOut makes the section's contents a copy of its own, with room for
// room more bytes, its patches applied, and returns the bytes it had.
func (s *Section) copyOut(room int) []byte {
	old := s.data
	d := make([]byte, len(s.data), len(s.data)+room)
	copy(d, s.data)
	for _, p := range s.patches {
		copy(d[p.off:], p.b)
	}
	s.data, s.own, s.patches = d, true, nil
	return old
}

// A File is an object being edited.
type File struct {
	order binary.ByteOrder
	ehdr  []byte // the input's ELF header, copied
	phdrs []byte // the program header table, rare in an object
	secs  []*Section
	// extended is set when the input counts its sections in the null
	// section header (e_shnum 0) or names its string table there.
	extended bool
	symtab   int // index of .symtab, 0 if none
	shndx    int // index of .symtab_shndx, 0 if none
	shstrtab int // index of the section-name string table
	// secSym is the STT_SECTION symbol of each section, 0 if none (the
	// last one in symbol order wins, as in objtool).
	secSym []uint32
	// refs lists, per symbol index, the relocations that name it; built
	// on the first symbol move.
	refs [][]relocRef
	// where maps each input symbol index to its index now, and origOf
	// the other way (-1 for added symbols); nil until a symbol moves.
	where   []uint32
	origOf  []int32
	changed bool
	// release, if set, takes input bytes the editor is done with (see
	// ReleaseInput).
	release func([]byte)
	// patchBytes holds the bytes of the sections' patches, one after the
	// other (a patch keeps the part it was given, which growing the
	// slice leaves as it was).
	patchBytes []byte
}

// A relocRef locates one relocation entry: its section and index.
type relocRef struct {
	sec int32
	idx int32
}

// Open reads an ELF64 relocatable object for editing. The bytes must
// already have passed decode.Parse's checks; Open checks again what it
// relies on and reports a malformed file as an error.
func Open(data []byte) (*File, error) {
	if len(data) < ehdrSize || string(data[:4]) != elf.ELFMAG || elf.Class(data[elf.EI_CLASS]) != elf.ELFCLASS64 {
		return nil, fmt.Errorf("not an ELF64 object")
	}
	f := &File{ehdr: append([]byte(nil), data[:ehdrSize]...)}
	switch elf.Data(data[elf.EI_DATA]) {
	case elf.ELFDATA2LSB:
		f.order = binary.LittleEndian
	case elf.ELFDATA2MSB:
		f.order = binary.BigEndian
	default:
		return nil, fmt.Errorf("unknown byte order")
	}
	if err := f.readProgramHeaders(data); err != nil {
		return nil, err
	}
	if err := f.readSections(data); err != nil {
		return nil, err
	}
	f.findTables()
	return f, nil
}

// readProgramHeaders keeps the program header table, which libelf writes
// right after the ELF header.
func (f *File) readProgramHeaders(data []byte) error {
	n := uint64(f.order.Uint16(data[0x38:]))
	if n == 0 {
		return nil
	}
	off, size := f.order.Uint64(data[0x20:]), n*uint64(f.order.Uint16(data[0x36:]))
	if off > uint64(len(data)) || size > uint64(len(data))-off {
		return fmt.Errorf("program headers past end of file")
	}
	f.phdrs = data[off : off+size : off+size]
	return nil
}

// readSections reads the section header table and each section's name.
func (f *File) readSections(data []byte) error {
	o := f.order
	shoff := o.Uint64(data[0x28:])
	n := uint64(o.Uint16(data[0x3c:]))
	strndx := uint32(o.Uint16(data[0x3e:]))
	if shoff == 0 {
		return nil
	}
	if shoff > uint64(len(data)) || uint64(len(data))-shoff < shdrSize {
		return fmt.Errorf("section headers past end of file")
	}
	if n == 0 || strndx == uint32(elf.SHN_XINDEX) {
		f.extended = true
		h0 := data[shoff:]
		if n == 0 {
			n = o.Uint64(h0[0x20:])
		}
		if strndx == uint32(elf.SHN_XINDEX) {
			strndx = o.Uint32(h0[0x28:])
		}
	}
	if n > (uint64(len(data))-shoff)/shdrSize {
		return fmt.Errorf("section headers past end of file")
	}
	f.secs = make([]*Section, n)
	for i := range f.secs {
		s, err := readSection(o, data, data[shoff+uint64(i)*shdrSize:])
		if err != nil {
			return fmt.Errorf("section %d: %v", i, err)
		}
		f.secs[i] = s
	}
	if n > 0 && strndx >= uint32(n) {
		return fmt.Errorf("section-name table index out of range")
	}
	f.shstrtab = int(strndx)
	names := f.secs[strndx].data
	for _, s := range f.secs {
		s.Name = cstring(names, s.Hdr.Name)
	}
	return nil
}

// readSection decodes one section header and slices its contents.
func readSection(o binary.ByteOrder, data, b []byte) (*Section, error) {
	h := Header{
		Name: o.Uint32(b), Type: elf.SectionType(o.Uint32(b[4:])),
		Flags: elf.SectionFlag(o.Uint64(b[8:])), Addr: o.Uint64(b[0x10:]),
		Offset: o.Uint64(b[0x18:]), Size: o.Uint64(b[0x20:]),
		Link: o.Uint32(b[0x28:]), Info: o.Uint32(b[0x2c:]),
		Addralign: o.Uint64(b[0x30:]), Entsize: o.Uint64(b[0x38:]),
	}
	s := &Section{Hdr: h}
	if h.Type == elf.SHT_NOBITS || h.Type == elf.SHT_NULL {
		return s, nil
	}
	if h.Offset > uint64(len(data)) || h.Size > uint64(len(data))-h.Offset {
		return nil, fmt.Errorf("contents past end of file")
	}
	s.data = data[h.Offset : h.Offset+h.Size : h.Offset+h.Size]
	return s, nil
}

// cstring returns the NUL-terminated string at off in tab.
func cstring(tab []byte, off uint32) string {
	if uint64(off) >= uint64(len(tab)) {
		return ""
	}
	b := tab[off:]
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// findTables locates the symbol table, its extended index table, and the
// section symbols.
func (f *File) findTables() {
	for i, s := range f.secs {
		switch {
		case s.Hdr.Type == elf.SHT_SYMTAB && f.symtab == 0:
			f.symtab = i
		case s.Hdr.Type == elf.SHT_SYMTAB_SHNDX && f.shndx == 0:
			f.shndx = i
		}
	}
	f.secSym = make([]uint32, len(f.secs))
	for i := range uint32(f.NumSymbols()) {
		s := f.Symbol(i)
		if s.Type() == elf.STT_SECTION && s.Shndx > 0 && s.Shndx < uint32(len(f.secs)) {
			f.secSym[s.Shndx] = i
		}
	}
}

// NumSections is the number of sections, the null section included.
func (f *File) NumSections() int { return len(f.secs) }

// Section returns section i.
func (f *File) Section(i int) *Section { return f.secs[i] }

// SectionByName returns the index of the section called name, 0 if none.
// Of several, objtool's name hash finds the last added: so does this.
func (f *File) SectionByName(name string) int {
	for i := len(f.secs) - 1; i > 0; i-- {
		if f.secs[i].Name == name {
			return i
		}
	}
	return 0
}

// Changed reports whether anything was edited: objtool writes the file
// only then.
func (f *File) Changed() bool { return f.changed }

// ByteOrder is the object's byte order.
func (f *File) ByteOrder() binary.ByteOrder { return f.order }

// ReleaseInput sets release, which is then called with the bytes of the
// input (the data Open was given) that the editor has copied or written
// and reads no more: a caller that mapped the input gives their pages back
// (decode.File.Release), to come back from the file if read again. The
// whole input is read to be written, and vmlinux.o's would otherwise stay
// in memory, 51 MB, beside the copies of what the edit changed.
func (f *File) ReleaseInput(release func([]byte)) { f.release = release }

// copyOut is s.copyOut, after which the input bytes s had, if they were
// the input's, go to release.
func (f *File) copyOut(s *Section, room int) {
	input := !s.own
	if old := s.copyOut(room); input && f.release != nil {
		f.release(old)
	}
}

// done tells release that section s's input bytes are read for now, if
// they are the input's.
func (f *File) done(s *Section) {
	if !s.own && f.release != nil {
		f.release(s.data)
	}
}

// own makes section i's contents the editor's own copy, with room for
// extra more bytes, and returns them. The room for appending grows by half
// the contents at a time; a section only rewritten in place (extra 0) is
// copied as it is.
func (f *File) own(i int, extra int) []byte {
	s := f.secs[i]
	if !s.own || cap(s.data)-len(s.data) < extra {
		room := extra
		if extra > 0 {
			room = max(extra, len(s.data)/2)
		}
		f.copyOut(s, room)
	}
	f.changed = true
	return s.data
}

// data returns section i's contents for the editor to read: a section
// with patches is first copied out, so that what is read is what has been
// written.
func (f *File) data(i int) []byte {
	if len(f.secs[i].patches) > 0 {
		return f.own(i, 0)
	}
	return f.secs[i].data
}

// WriteBytes overwrites len(b) bytes of section i at off, as objtool's
// elf_write_insn does. It reports false if they do not fit. A section
// still the input's keeps the write as a patch over the input, applied as
// the section is written out (WriteTo) or first read: objtool's hacks and
// patches rewrite a few bytes of code here and there, and copying the code
// for them cost writing vmlinux.o 16 MB.
func (f *File) WriteBytes(i int, off uint64, b []byte) bool {
	s := f.secs[i]
	if off > uint64(len(s.data)) || uint64(len(b)) > uint64(len(s.data))-off {
		return false
	}
	f.changed = true
	if s.own {
		copy(s.data[off:], b)
		return true
	}
	n := len(f.patchBytes)
	f.patchBytes = append(f.patchBytes, b...)
	s.patches = append(s.patches, patch{off: off, b: f.patchBytes[n:len(f.patchBytes):len(f.patchBytes)]})
	return true
}

// append adds b at the end of section i's contents and its size.
func (f *File) append(i int, b []byte) {
	s := f.secs[i]
	d := f.own(i, len(b))
	s.data = append(d, b...)
	s.Hdr.Size = uint64(len(s.data))
}

// AddString appends s to the string table sec and returns its offset
// there. Nothing is shared with strings already present, as in objtool.
func (f *File) AddString(sec int, s string) uint32 {
	off := uint32(len(f.secs[sec].data))
	f.append(sec, append([]byte(s), 0))
	return off
}

// AddSection adds a zero-filled SHT_PROGBITS, SHF_ALLOC section of n
// entries of entsize bytes, aligned to 1, and returns its index: objtool's
// elf_create_section. Its name goes to .shstrtab (or .strtab, where Clang
// shares one table for both).
func (f *File) AddSection(name string, entsize uint64, n int) int {
	size := entsize * uint64(n)
	s := &Section{Name: name, data: make([]byte, size), own: true, Hdr: Header{
		Type: elf.SHT_PROGBITS, Flags: elf.SHF_ALLOC, Size: size, Addralign: 1, Entsize: entsize,
	}}
	names := f.SectionByName(".shstrtab")
	if names == 0 {
		names = f.SectionByName(".strtab")
	}
	s.Hdr.Name = f.AddString(names, name)
	f.secs = append(f.secs, s)
	f.secSym = append(f.secSym, 0)
	f.changed = true
	return len(f.secs) - 1
}

// AddRelaSection adds the SHT_RELA section of n entries for section base,
// named ".rela" and base's name: objtool's elf_create_rela_section. An
// object with no symbol table is an error: objtool takes one for granted
// (it follows a null .symtab there), and relocations naming table 0 would
// make a file that does not read back.
func (f *File) AddRelaSection(base int, n int) (int, error) {
	if f.symtab == 0 {
		return 0, fmt.Errorf("no symbol table for the relocations of %s", f.secs[base].Name)
	}
	i := f.AddSection(".rela"+f.secs[base].Name, relaSize, n)
	h := &f.secs[i].Hdr
	h.Type = elf.SHT_RELA
	h.Addralign = 8
	h.Link = uint32(f.symtab)
	h.Info = uint32(base)
	h.Flags = elf.SHF_INFO_LINK
	return i, nil
}

// SetFlags sets section i's flags.
func (f *File) SetFlags(i int, flags elf.SectionFlag) {
	f.secs[i].Hdr.Flags = flags
	f.changed = true
}

// SetAlign sets section i's alignment.
func (f *File) SetAlign(i int, align uint64) {
	f.secs[i].Hdr.Addralign = align
	f.changed = true
}
