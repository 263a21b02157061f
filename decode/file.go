// Package decode reads an ELF relocatable object: its sections, symbols and
// relocations, checked against the file's real size before anything is
// trusted, and picks the architecture that decodes its code.
package decode

import (
	"debug/elf"
	"encoding/binary"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/internal/filemap"
)

// A File is one parsed ELF64 relocatable object. Nothing in it points
// outside the file's bytes: Parse checks every offset, size, link and index.
// Nor does anything lie outside what holds it: no two of the ELF header,
// the program header table (if any), the section header table and the
// sections' contents share a byte of the file, every symbol lies within its
// section (in a relocatable object), and every relocation within the
// section it applies to.
type File struct {
	Name      string           // the path as the user gave it, for messages
	Machine   elf.Machine      // e_machine
	ByteOrder binary.ByteOrder // from e_ident[EI_DATA]
	// Arch decodes the file's code; chosen from Machine (and byte order).
	Arch *arch.Arch
	// Sections in section-header order; Sections[0] is the null section.
	Sections []*Section
	// Symbols in .symtab order; Symbols[0] is the null symbol. Empty when
	// the object has no symbol table.
	Symbols []*Symbol
	// Data is the whole file as read; the sections' contents alias it.
	// Never write to it.
	Data []byte
	// mapped says that Data is a mapping of the file (see OpenMapped).
	mapped bool
}

// Release says that b, a part of f.Data, is not needed for now. Where the
// file is mapped, its pages leave memory and a later read of them reads
// the file again; otherwise nothing changes. Either way b stays valid.
func (f *File) Release(b []byte) {
	if f.mapped {
		filemap.Forget(b)
	}
}

// A Section is one section of the object.
type Section struct {
	Index     int
	Name      string
	Type      elf.SectionType
	Flags     elf.SectionFlag
	Addr      uint64
	Offset    uint64 // file offset of the contents
	Size      uint64
	Link      uint32
	Info      uint32
	Addralign uint64
	Entsize   uint64
	// Data is the contents; nil for SHT_NOBITS. It aliases the file's bytes:
	// never write to it.
	Data []byte
	// Rela is the SHT_RELA section whose relocations apply to this one, or nil.
	// (An SHT_REL section, rare, is read the same way with zero addends.)
	Rela *Section
	// Relocs are the relocations that apply to this section (from Rela),
	// sorted by Offset (stable, so equal offsets keep file order).
	Relocs []Reloc
	// Syms are the symbols defined in this section, sorted by Value then by
	// symbol index.
	Syms []*Symbol

	order binary.ByteOrder // the file's, for Uint32At and the like
	// relocBlocks indexes Relocs by block of relocBlockShift bytes, in
	// sections of code (see indexRelocs); nil elsewhere.
	relocBlocks []int32
}

// A Symbol is one .symtab entry.
type Symbol struct {
	Index int
	Name  string
	Type  elf.SymType
	Bind  elf.SymBind
	Other uint8 // st_other (visibility; ppc64 local-entry bits)
	// Shndx is the section index, with SHN_XINDEX resolved through
	// .symtab_shndx; special values (SHN_UNDEF, SHN_ABS, SHN_COMMON) stay.
	Shndx uint32
	// Section is the defining section, nil for undefined, absolute and
	// common symbols.
	Section *Section
	// Value and Size, st_value and st_size: for a symbol with a Section,
	// other than an STT_SECTION one, Value+Size is at most the section's
	// Size (Value may equal it, as an end label's does); but not in a file
	// with program headers, a linked one, whose values are addresses.
	Value uint64
	Size  uint64
}

// A Reloc is one relocation entry, read from SHT_RELA.
type Reloc struct {
	// Offset is r_offset. The bytes the relocation rewrites, as many as
	// its type says (one for a type this reader does not know), lie within
	// the section it applies to, which has contents (not SHT_NOBITS).
	Offset uint64
	Type   uint32 // ELF64_R_TYPE(r_info), per machine
	Index  uint32 // the entry's number in its relocation section
	Sym    *Symbol
	Addend int64
}
