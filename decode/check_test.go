package decode

import (
	"fmt"
	"slices"
)

// checkFile checks the promises a parsed File makes: indexes match
// positions, contents alias the input, relocations and symbol lists are
// sorted and point into the File.
func checkFile(f *File, data []byte) error {
	for i, s := range f.Sections {
		if s.Index != i {
			return fmt.Errorf("section %d has Index %d", i, s.Index)
		}
		if err := checkData(s, data); err != nil {
			return err
		}
		if err := checkRelocs(f, s); err != nil {
			return err
		}
		if err := checkSyms(s, f.ByteOrder.Uint16(data[56:]) != 0); err != nil {
			return err
		}
	}
	if err := checkDisjoint(f, data); err != nil {
		return err
	}
	for i, sym := range f.Symbols {
		if sym.Index != i {
			return fmt.Errorf("symbol %d has Index %d", i, sym.Index)
		}
		if sym.Section != nil && (int(sym.Shndx) >= len(f.Sections) || f.Sections[sym.Shndx] != sym.Section) {
			return fmt.Errorf("symbol %d: Shndx %d but Section %d", i, sym.Shndx, sym.Section.Index)
		}
	}
	return nil
}

// checkData checks that s.Data is the slice of data that the header says.
func checkData(s *Section, data []byte) error {
	if s.Data == nil {
		return nil
	}
	n := uint64(len(data))
	if s.Offset > n || s.Size > n-s.Offset || uint64(len(s.Data)) != s.Size {
		return fmt.Errorf("section %d: Data of %d bytes for %#x+%#x in %#x bytes", s.Index, len(s.Data), s.Offset, s.Size, n)
	}
	if s.Size > 0 && &s.Data[0] != &data[s.Offset] {
		return fmt.Errorf("section %d: Data does not alias the input", s.Index)
	}
	return nil
}

// checkRelocs checks s.Relocs: sorted, within s, symbols from f.
func checkRelocs(f *File, s *Section) error {
	if len(s.Relocs) > 0 && s.Rela == nil {
		return fmt.Errorf("section %d: relocations without Rela", s.Index)
	}
	if !slices.IsSortedFunc(s.Relocs, byRelocOffset) {
		return fmt.Errorf("section %d: relocations not sorted", s.Index)
	}
	for i, r := range s.Relocs {
		if r.Sym == nil || r.Sym.Index >= len(f.Symbols) || f.Symbols[r.Sym.Index] != r.Sym {
			return fmt.Errorf("section %d: relocation %d has a bad symbol", s.Index, i)
		}
		if w := relocWidth(f.Arch, r.Type); r.Offset >= s.Size || w > s.Size-r.Offset {
			return fmt.Errorf("section %d: relocation %d at %#x+%d past %#x", s.Index, i, r.Offset, w, s.Size)
		}
		if s.Data == nil {
			return fmt.Errorf("section %d: relocations without contents", s.Index)
		}
	}
	return nil
}

// checkSyms checks that s.Syms are s's and sorted by value, then index, and
// unless the file is linked that they lie within s.
func checkSyms(s *Section, linked bool) error {
	for i, sym := range s.Syms {
		if sym.Section != s {
			return fmt.Errorf("section %d: Syms[%d] is symbol %d of another section", s.Index, i, sym.Index)
		}
		if !linked && !sym.IsSection() && (sym.Value > s.Size || sym.Size > s.Size-sym.Value) {
			return fmt.Errorf("section %d: symbol %d at %#x+%#x past %#x", s.Index, sym.Index, sym.Value, sym.Size, s.Size)
		}
		if i > 0 {
			p := s.Syms[i-1]
			if p.Value > sym.Value || p.Value == sym.Value && p.Index > sym.Index {
				return fmt.Errorf("section %d: Syms not sorted at %d", s.Index, i)
			}
		}
	}
	return nil
}

// checkDisjoint checks, pair by pair, that no two sections' contents share
// a byte, nor any share one with the ELF header, the program header table
// or the section header table, nor those with each other.
func checkDisjoint(f *File, data []byte) error {
	shoff := f.ByteOrder.Uint64(data[40:])
	type part struct{ off, end uint64 }
	parts := []part{{0, ehdrSize}, {shoff, shoff + uint64(len(f.Sections))*shdrSize}}
	if phnum := uint64(f.ByteOrder.Uint16(data[56:])); phnum != 0 {
		phoff := f.ByteOrder.Uint64(data[32:])
		parts = append(parts, part{phoff, phoff + phnum*phdrSize})
	}
	for _, s := range f.Sections {
		if len(s.Data) > 0 {
			parts = append(parts, part{s.Offset, s.Offset + s.Size})
		}
	}
	for i, a := range parts {
		for j, b := range parts[:i] {
			if a.off < b.end && b.off < a.end {
				return fmt.Errorf("parts %d and %d overlap: %#x-%#x and %#x-%#x", j, i, b.off, b.end, a.off, a.end)
			}
		}
	}
	return nil
}
