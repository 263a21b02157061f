package decode

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// summary is what a test compares of a parsed object: every section's
// name and contents, every relocation, every symbol.
type summary struct {
	sections []string
	relocs   []string
	symbols  []string
}

// summarize lists f's sections, relocations and symbols, reading each
// section's contents, the released ones too.
func summarize(f *File) summary {
	var s summary
	for _, sec := range f.Sections {
		s.sections = append(s.sections, sec.Name+":"+string(sec.Data))
		for _, r := range sec.Relocs {
			name := ""
			if r.Sym != nil {
				name = r.Sym.Name
			}
			s.relocs = append(s.relocs, fmt.Sprintf("%s+%#x %d %s%+d", sec.Name, r.Offset, r.Type, name, r.Addend))
		}
	}
	for _, sym := range f.Symbols {
		s.symbols = append(s.symbols, fmt.Sprintf("%s=%#x", sym.Name, sym.Value))
	}
	return s
}

// TestOpenMapped: a mapped object parses as a read one does, and the
// contents of its tables read the same after they were released; a file
// that cannot be mapped is read, and one that does not exist is an error.
func TestOpenMapped(t *testing.T) {
	dir := t.TempDir()
	empty, large := filepath.Join(dir, "empty.o"), filepath.Join(dir, "large.o")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// Pages wholly inside a section are the ones Release acts on.
	data := bytes.Repeat([]byte("objcheck"), 5<<10)
	obj := smallObject(binary.LittleEndian, elf.EM_X86_64, false,
		testSection{name: ".data", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, data: data})
	if err := os.WriteFile(large, obj, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		large,
		"../testdata/x86/pvops.o",
		"../testdata/x86/clean.o",
		"testdata/arm64.o",
		"testdata/ppc64be.o",
		empty,
		"testdata/no-such.o",
	} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			read, rerr := Open(path)
			mapped, merr := OpenMapped(path)
			if (rerr == nil) != (merr == nil) || (rerr != nil && rerr.Error() != merr.Error()) {
				t.Fatalf("Open: %v, OpenMapped: %v", rerr, merr)
			}
			if rerr != nil {
				return
			}
			if !mapped.mapped {
				t.Errorf("%s was not mapped", path)
			}
			// Released, a mapped file's pages come back from the file; a
			// read file's bytes, in the heap, must not change at all.
			for i, sec := range mapped.Sections {
				mapped.Release(sec.Data)
				read.Release(read.Sections[i].Data)
			}
			want, got := summarize(read), summarize(mapped)
			if !slices.Equal(want.sections, got.sections) || !slices.Equal(want.relocs, got.relocs) ||
				!slices.Equal(want.symbols, got.symbols) {
				t.Errorf("the mapped object differs from the read one")
			}
			if !bytes.Equal(read.Data, mapped.Data) {
				t.Errorf("the mapped bytes differ from the file's")
			}
		})
	}
}

// TestParsedTable: the sections whose pages a mapped file releases once
// parsed are the tables Parse copies out, and no others.
func TestParsedTable(t *testing.T) {
	tests := []struct {
		typ  elf.SectionType
		want bool
	}{
		{elf.SHT_RELA, true},
		{elf.SHT_REL, true},
		{elf.SHT_SYMTAB, true},
		{elf.SHT_SYMTAB_SHNDX, true},
		{elf.SHT_STRTAB, true},
		{elf.SHT_PROGBITS, false},
		{elf.SHT_NOTE, false},
		{elf.SHT_GROUP, false},
	}
	for _, tt := range tests {
		if got := parsedTable(tt.typ); got != tt.want {
			t.Errorf("parsedTable(%v) = %v, want %v", tt.typ, got, tt.want)
		}
	}
}
