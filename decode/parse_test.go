package decode

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Symbol indexes in smallObject.
const (
	symText = 1 + iota // the STT_SECTION symbol of .text
	symB
	symA
	symAlias
	symExt
	symBuf
	symAbs
)

// smallObject builds an object with .text (1), its relocations (2), .bss
// (3), .symtab (4) and .strtab (5), then extra; .shstrtab comes last. The
// relocations are out of order in the file; with rel they are SHT_REL.
func smallObject(o binary.ByteOrder, m elf.Machine, rel bool, extra ...testSection) []byte {
	symtab, strtab := symbolTable(o,
		testSym{typ: elf.STT_SECTION, shndx: 1},
		testSym{name: "b", typ: elf.STT_FUNC, shndx: 1, value: 8},
		testSym{name: "a", typ: elf.STT_FUNC, bind: elf.STB_GLOBAL, shndx: 1},
		testSym{name: "a_alias", bind: elf.STB_GLOBAL, shndx: 1, value: 8},
		testSym{name: "ext", bind: elf.STB_GLOBAL},
		testSym{name: "buf", typ: elf.STT_OBJECT, shndx: 3},
		testSym{name: "abs", shndx: uint16(elf.SHN_ABS), value: 42},
	)
	sym := func(i int) *Symbol { return &Symbol{Index: i} }
	relocs := relaTable(o, rel,
		Reloc{Offset: 8, Type: 4, Sym: sym(symExt), Addend: -4},
		Reloc{Offset: 0, Type: 2, Sym: sym(symText), Addend: 16},
		Reloc{Offset: 8, Type: 9, Sym: sym(symB)},
		Reloc{Offset: 12, Type: 10, Sym: sym(0)}, // 4 bytes on x86 and ppc64: the last word of .text
	)
	rs := testSection{name: ".rela.text", typ: elf.SHT_RELA, flags: elf.SHF_INFO_LINK, link: 4, info: 1, entsize: relaSize, data: relocs}
	if rel {
		rs.name, rs.typ, rs.entsize = ".rel.text", elf.SHT_REL, relSize
	}
	text := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	return buildELF(o, m, append([]testSection{
		{name: ".text", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_EXECINSTR, data: text},
		rs,
		{name: ".bss", typ: elf.SHT_NOBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, size: 32},
		{name: ".symtab", typ: elf.SHT_SYMTAB, link: 5, info: symA, entsize: symSize, data: symtab},
		{name: ".strtab", typ: elf.SHT_STRTAB, data: strtab},
	}, extra...))
}

// symSummary is what TestParseSmall checks of a symbol.
type symSummary struct {
	Name    string
	Type    elf.SymType
	Shndx   uint32
	Section int // -1 for none
}

// relocSummary is what TestParseSmall checks of a relocation.
type relocSummary struct {
	Offset uint64
	Type   uint32
	Sym    int
	Addend int64
}

func TestParseSmall(t *testing.T) {
	tests := []struct {
		name    string
		order   binary.ByteOrder
		machine elf.Machine
		rel     bool
		arch    string
	}{
		{"x86_64", binary.LittleEndian, elf.EM_X86_64, false, "x86_64"},
		{"arm64", binary.LittleEndian, elf.EM_AARCH64, false, "arm64"},
		{"ppc64le", binary.LittleEndian, elf.EM_PPC64, false, "ppc64le"},
		{"ppc64", binary.BigEndian, elf.EM_PPC64, false, "ppc64"},
		{"rel", binary.LittleEndian, elf.EM_X86_64, true, "x86_64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := smallObject(tt.order, tt.machine, tt.rel)
			f, err := Parse("small.o", data)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkFile(f, data); err != nil {
				t.Fatal(err)
			}
			if f.Machine != tt.machine || f.ByteOrder != tt.order || f.Arch.Name != tt.arch || f.Arch.ByteOrder != tt.order {
				t.Errorf("machine %v, order %v, arch %s %v", f.Machine, f.ByteOrder, f.Arch.Name, f.Arch.ByteOrder)
			}
			checkSmall(t, f, tt.rel)
			if w, ok := f.Sections[1].Uint32At(4); !ok || w != tt.order.Uint32([]byte{4, 5, 6, 7}) {
				t.Errorf("Uint32At(4) = %#x, %v", w, ok)
			}
		})
	}
}

// checkSmall checks what Parse read from smallObject.
func checkSmall(t *testing.T, f *File, rel bool) {
	t.Helper()
	var syms []symSummary
	for _, s := range f.Symbols {
		sec := -1
		if s.Section != nil {
			sec = s.Section.Index
		}
		syms = append(syms, symSummary{s.Name, s.Type, s.Shndx, sec})
	}
	wantSyms := []symSummary{
		{"", elf.STT_NOTYPE, 0, -1},
		{"", elf.STT_SECTION, 1, 1},
		{"b", elf.STT_FUNC, 1, 1},
		{"a", elf.STT_FUNC, 1, 1},
		{"a_alias", elf.STT_NOTYPE, 1, 1},
		{"ext", elf.STT_NOTYPE, 0, -1},
		{"buf", elf.STT_OBJECT, 3, 3},
		{"abs", elf.STT_NOTYPE, uint32(elf.SHN_ABS), -1},
	}
	if diff := cmp.Diff(wantSyms, syms); diff != "" {
		t.Errorf("symbols (-want +got):\n%s", diff)
	}
	var relocs []relocSummary
	for _, r := range f.Sections[1].Relocs {
		relocs = append(relocs, relocSummary{r.Offset, r.Type, r.Sym.Index, r.Addend})
	}
	wantRelocs := []relocSummary{{0, 2, symText, 16}, {8, 4, symExt, -4}, {8, 9, symB, 0}, {12, 10, 0, 0}}
	if rel {
		for i := range wantRelocs {
			wantRelocs[i].Addend = 0
		}
	}
	if diff := cmp.Diff(wantRelocs, relocs); diff != "" {
		t.Errorf("relocations of .text (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{symText, symA, symB, symAlias}, symIndexes(f.Sections[1].Syms)); diff != "" {
		t.Errorf(".text Syms (-want +got):\n%s", diff)
	}
	if bss := f.Sections[3]; bss.Data != nil || bss.Size != 32 || len(bss.Syms) != 1 || bss.Syms[0].Index != symBuf {
		t.Errorf(".bss: Data %v, Size %d, Syms %v", bss.Data, bss.Size, symIndexes(bss.Syms))
	}
	if f.Sections[1].Rela != f.Sections[2] || f.Sections[2].Relocs != nil {
		t.Errorf(".text's Rela is not section 2, or section 2 has relocations itself")
	}
}

func symIndexes(syms []*Symbol) []int {
	var idx []int
	for _, s := range syms {
		idx = append(idx, s.Index)
	}
	return idx
}

// TestSymbolXIndex resolves SHN_XINDEX through .symtab_shndx.
func TestSymbolXIndex(t *testing.T) {
	o := binary.LittleEndian
	shndx := func(entries ...uint32) testSection {
		d := make([]byte, 4*len(entries))
		for i, e := range entries {
			o.PutUint32(d[4*i:], e)
		}
		return testSection{name: ".symtab_shndx", typ: elf.SHT_SYMTAB_SHNDX, link: 4, entsize: 4, data: d}
	}
	xindex := func(sym int, v uint32) []uint32 {
		e := make([]uint32, 8)
		e[sym] = v
		return e
	}
	unlinked := shndx(xindex(symB, 3)...)
	unlinked.link = 5
	tests := []struct {
		name   string
		tables []testSection
		err    string
	}{
		{"resolved", []testSection{shndx(xindex(symB, 3)...)}, ""},
		{"out of range", []testSection{shndx(xindex(symB, 99)...)}, "symbol 2 (b): section index 99 out of range (8 sections)"},
		{"short table", []testSection{shndx(xindex(symB, 3)[:7]...)}, "section 6 (.symtab_shndx): 7 entries for 8 symbols"},
		{"not linked to the symbol table", []testSection{unlinked},
			"section 6 (.symtab_shndx): sh_link 5 is not the symbol table (section 4)"},
		{"two tables", []testSection{shndx(xindex(symB, 3)...), shndx(xindex(symB, 3)...)},
			"more than one extended section index table (sections 6 and 7)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := smallObject(o, elf.EM_X86_64, false, tt.tables...)
			// The extra section comes after .symtab, which does not move.
			at := symOffset(t, smallObject(o, elf.EM_X86_64, false), symB)
			o.PutUint16(data[at+6:], uint16(elf.SHN_XINDEX))
			f, err := Parse("x.o", data)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b := f.Symbols[symB]; b.Shndx != 3 || b.Section != f.Sections[3] {
				t.Errorf("b: Shndx %d, Section %v", b.Shndx, b.Section.Index)
			}
			if err := checkFile(f, data); err != nil {
				t.Error(err)
			}
		})
	}
}

// symOffset returns the file offset of symbol i of data's symbol table.
func symOffset(t *testing.T, data []byte, i int) int {
	f, err := Parse("x.o", data)
	if err != nil {
		t.Fatal(err)
	}
	return int(f.SectionByName(".symtab").Offset) + i*symSize
}

// TestHeaderEscapes reads base.o through the escapes for a large section
// count (e_shnum 0) and section-name table index (SHN_XINDEX), which must
// give the same File.
func TestHeaderEscapes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(badDir, "base.o"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse("base.o", data)
	if err != nil {
		t.Fatal(err)
	}
	o := binary.LittleEndian
	shoff := o.Uint64(data[40:])
	escaped := append([]byte(nil), data...)
	o.PutUint64(escaped[shoff+32:], uint64(o.Uint16(data[60:]))) // section 0 sh_size
	o.PutUint16(escaped[60:], 0)
	o.PutUint32(escaped[shoff+40:], uint32(o.Uint16(data[62:]))) // section 0 sh_link
	o.PutUint16(escaped[62:], uint16(elf.SHN_XINDEX))
	got, err := Parse("base.o", escaped)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sectionViews(want)[1:], sectionViews(got)[1:]); diff != "" {
		t.Errorf("sections differ (-plain +escaped):\n%s", diff)
	}
	if diff := cmp.Diff(symbolViews(want), symbolViews(got)); diff != "" {
		t.Errorf("symbols differ (-plain +escaped):\n%s", diff)
	}
}

// TestStructureErrors covers errors that the objects of testdata/bad,
// all made from one x86-64 object, do not reach.
func TestStructureErrors(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	opd := testSection{name: ".opd", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, data: make([]byte, 24)}
	symtab2 := testSection{name: ".symtab2", typ: elf.SHT_SYMTAB, link: 5, entsize: symSize, data: make([]byte, symSize)}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"x86 big-endian", smallObject(be, elf.EM_X86_64, false), "big-endian EM_X86_64 objects are not supported"},
		{"arm64 big-endian", smallObject(be, elf.EM_AARCH64, false), "big-endian EM_AARCH64 objects are not supported"},
		{"unknown machine", smallObject(le, elf.Machine(0x9999), false), "unsupported machine 39321"},
		{"ppc64 opd", smallObject(le, elf.EM_PPC64, false, opd), "ppc64 ELFv1 objects (function descriptors in .opd) are not supported"},
		{"two symbol tables", smallObject(le, elf.EM_X86_64, false, symtab2), "more than one symbol table (sections 4 and 6)"},
		{"rel entsize", smallObject(le, elf.EM_X86_64, true, testSection{name: ".rel.x", typ: elf.SHT_REL, link: 4, info: 3, entsize: 24}),
			"section 6 (.rel.x): sh_entsize 24, want 16"},
		{"relocs without symtab", buildELF(le, elf.EM_X86_64, []testSection{
			{name: ".text", typ: elf.SHT_PROGBITS, data: make([]byte, 8)},
			{name: ".rela.text", typ: elf.SHT_RELA, info: 1, entsize: relaSize},
		}), "section 2 (.rela.text): relocations but no symbol table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("x.o", tt.data)
			if err == nil || f != nil {
				t.Fatalf("Parse = %v, %v; want error %s", f, err, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

// TestNoSymbols reads an object without a symbol table.
func TestNoSymbols(t *testing.T) {
	data := buildELF(binary.LittleEndian, elf.EM_AARCH64, []testSection{{name: ".text", typ: elf.SHT_PROGBITS, data: make([]byte, 8)}})
	f, err := Parse("x.o", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Symbols) != 0 || len(f.Sections) != 3 || f.Sections[1].Name != ".text" {
		t.Errorf("%d symbols, %d sections", len(f.Symbols), len(f.Sections))
	}
}

func TestOpen(t *testing.T) {
	f, err := Open(filepath.Join(badDir, "base.o"))
	if err != nil || f.SectionByName(".text") == nil {
		t.Fatalf("Open(base.o) = %v, %v", f, err)
	}
	missing := filepath.Join(t.TempDir(), "missing.o")
	f, err = Open(missing)
	var derr *Error
	if f != nil || !errors.As(err, &derr) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Open(missing) = %v, %v; want a *decode.Error wrapping fs.ErrNotExist", f, err)
	}
	if want := "cannot read file: no such file or directory"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}
