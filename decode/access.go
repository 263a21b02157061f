package decode

import (
	"debug/elf"
	"encoding/binary"
	"slices"
)

// SectionByName returns the first section called name, or nil.
func (f *File) SectionByName(name string) *Section {
	for _, s := range f.Sections {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// IsExec reports whether the section holds code (SHF_EXECINSTR).
func (s *Section) IsExec() bool { return s.Flags&elf.SHF_EXECINSTR != 0 }

// IsAlloc reports whether the section is loaded into memory (SHF_ALLOC).
func (s *Section) IsAlloc() bool { return s.Flags&elf.SHF_ALLOC != 0 }

// RelocAt returns the first relocation at exactly offset off, or nil.
func (s *Section) RelocAt(off uint64) *Reloc {
	i := s.firstRelocFrom(off)
	if i < len(s.Relocs) && s.Relocs[i].Offset == off {
		return &s.Relocs[i]
	}
	return nil
}

// RelocInRange returns the first relocation whose offset lies in
// [off, off+length), or nil.
func (s *Section) RelocInRange(off, length uint64) *Reloc {
	i := s.firstRelocFrom(off)
	if i < len(s.Relocs) && s.Relocs[i].Offset-off < length {
		return &s.Relocs[i]
	}
	return nil
}

// firstRelocFrom returns the index of the first relocation at or after
// off: in the relocations of off's block, when the section has an index.
func (s *Section) firstRelocFrom(off uint64) int {
	relocs, base := s.Relocs, 0
	if k := off >> relocBlockShift; k < uint64(len(s.relocBlocks)) {
		base = int(s.relocBlocks[k])
		end := len(relocs)
		if k+1 < uint64(len(s.relocBlocks)) {
			end = int(s.relocBlocks[k+1])
		}
		relocs = relocs[base:end]
	}
	i, _ := slices.BinarySearchFunc(relocs, off, func(r Reloc, off uint64) int {
		switch {
		case r.Offset < off:
			return -1
		case r.Offset > off:
			return 1
		}
		return 0
	})
	return base + i
}

// byteOrder is the order of the section's file; little-endian for a
// Section not made by Parse.
func (s *Section) byteOrder() binary.ByteOrder {
	if s.order == nil {
		return binary.LittleEndian
	}
	return s.order
}

// bytesAt returns the n bytes of Data at off, or false when they run past
// the end.
func (s *Section) bytesAt(off, n uint64) ([]byte, bool) {
	if off > uint64(len(s.Data)) || n > uint64(len(s.Data))-off {
		return nil, false
	}
	return s.Data[off : off+n], true
}

// Uint32At returns the 32-bit word at offset off of Data in the file's byte
// order, or false when it runs past the end.
func (s *Section) Uint32At(off uint64) (uint32, bool) {
	b, ok := s.bytesAt(off, 4)
	if !ok {
		return 0, false
	}
	return s.byteOrder().Uint32(b), true
}

// Int32At is Uint32At for a signed word, such as a relative pointer.
func (s *Section) Int32At(off uint64) (int32, bool) {
	v, ok := s.Uint32At(off)
	return int32(v), ok
}

// Uint64At returns the 64-bit word at offset off of Data in the file's byte
// order, or false when it runs past the end.
func (s *Section) Uint64At(off uint64) (uint64, bool) {
	b, ok := s.bytesAt(off, 8)
	if !ok {
		return 0, false
	}
	return s.byteOrder().Uint64(b), true
}

// IsFunc reports whether the symbol is a function (STT_FUNC).
func (s *Symbol) IsFunc() bool { return s.Type == elf.STT_FUNC }

// IsSection reports whether the symbol stands for its section (STT_SECTION).
func (s *Symbol) IsSection() bool { return s.Type == elf.STT_SECTION }

// IsUndefined reports whether the symbol is defined in another object.
func (s *Symbol) IsUndefined() bool { return s.Shndx == uint32(elf.SHN_UNDEF) }

// IsLocal reports whether the symbol is local to the object (STB_LOCAL).
func (s *Symbol) IsLocal() bool { return s.Bind == elf.STB_LOCAL }
