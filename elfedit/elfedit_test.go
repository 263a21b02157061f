package elfedit

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var le = binary.LittleEndian

// A part is one section of a test object.
type part struct {
	name              string
	typ               elf.SectionType
	flags             elf.SectionFlag
	link, info, align uint32
	entsize           uint64
	data              []byte
	nobits            uint64 // size of an SHT_NOBITS section
}

// object lays out a test object as an assembler might: contents packed
// with no alignment, the section-name table last, then the headers.
func object(parts ...part) []byte {
	names := []byte{0}
	all := append([]part{{}}, parts...)
	nameOff := make([]uint32, len(all))
	for i, p := range all[1:] {
		nameOff[i+1] = uint32(len(names))
		names = append(append(names, p.name...), 0)
	}
	nameOff = append(nameOff, uint32(len(names)))
	names = append(names, ".shstrtab\x00"...)
	all = append(all, part{name: ".shstrtab", typ: elf.SHT_STRTAB, data: names})
	out := make([]byte, ehdrSize)
	copy(out, elf.ELFMAG)
	out[elf.EI_CLASS], out[elf.EI_DATA], out[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), 1
	le.PutUint16(out[0x10:], uint16(elf.ET_REL))
	le.PutUint16(out[0x12:], uint16(elf.EM_X86_64))
	le.PutUint32(out[0x14:], 1)
	offs := make([]uint64, len(all))
	for i, p := range all[1:] {
		offs[i+1] = uint64(len(out))
		out = append(out, p.data...)
	}
	shoff := uint64(len(out))
	for i, p := range all {
		size := uint64(len(p.data))
		if p.typ == elf.SHT_NOBITS {
			size = p.nobits
		}
		b := make([]byte, shdrSize)
		h := Header{Name: nameOff[i], Type: p.typ, Flags: p.flags, Offset: offs[i], Size: size,
			Link: p.link, Info: p.info, Addralign: uint64(p.align), Entsize: p.entsize}
		(&File{order: le}).putHeader(b, &h)
		out = append(out, b...)
	}
	le.PutUint64(out[0x28:], shoff)
	le.PutUint16(out[0x34:], ehdrSize)
	le.PutUint16(out[0x3a:], shdrSize)
	le.PutUint16(out[0x3c:], uint16(len(all)))
	le.PutUint16(out[0x3e:], uint16(len(all)-1))
	return out
}

// sym encodes one symbol table entry.
func sym(name uint32, bind elf.SymBind, typ elf.SymType, shndx uint16, value uint64) []byte {
	b := make([]byte, symSize)
	le.PutUint32(b, name)
	b[4] = elf.ST_INFO(bind, typ)
	le.PutUint16(b[6:], shndx)
	le.PutUint64(b[8:], value)
	return b
}

// rela encodes one relocation entry.
func rela(off uint64, sym, typ uint32, addend int64) []byte {
	b := make([]byte, relaSize)
	le.PutUint64(b, off)
	le.PutUint64(b[8:], uint64(sym)<<32|uint64(typ))
	le.PutUint64(b[16:], uint64(addend))
	return b
}

func cat(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

// testObject has code, data, bss, a symbol table with one local and two
// globals, and relocations naming both globals:
//
//	1 .text (align 16)   2 .rela.text   3 .data (align 8)   4 .bss (align 32)
//	5 .symtab            6 .strtab      7 .shstrtab
func testObject() []byte {
	strtab := []byte("\x00loc\x00g1\x00g2\x00")
	return object(
		part{name: ".text", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_EXECINSTR, align: 16,
			data: []byte{0x90, 0xe8, 0, 0, 0, 0, 0xc3}},
		part{name: ".rela.text", typ: elf.SHT_RELA, flags: elf.SHF_INFO_LINK, link: 5, info: 1, align: 8, entsize: 24,
			data: cat(rela(2, 2, 4, -4), rela(2, 3, 2, 0))},
		part{name: ".data", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, align: 8, data: []byte{1, 2, 3}},
		part{name: ".bss", typ: elf.SHT_NOBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, align: 32, nobits: 0x40},
		part{name: ".symtab", typ: elf.SHT_SYMTAB, link: 6, info: 2, align: 8, entsize: 24,
			data: cat(make([]byte, symSize), sym(1, elf.STB_LOCAL, elf.STT_FUNC, 1, 0),
				sym(5, elf.STB_GLOBAL, elf.STT_FUNC, 1, 1), sym(8, elf.STB_GLOBAL, elf.STT_NOTYPE, 0, 0))},
		part{name: ".strtab", typ: elf.SHT_STRTAB, align: 1, data: strtab},
	)
}

func open(t *testing.T, data []byte) *File {
	t.Helper()
	f, err := Open(data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLayout: sections at their alignment in index order, NOBITS taking
// no room, the header table at 8 after the last.
func TestLayout(t *testing.T) {
	f := open(t, testObject())
	out, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	ef, err := elf.NewFile(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name   string
		Offset uint64
	}
	var got []row
	for _, s := range ef.Sections[1:] {
		got = append(got, row{s.Name, s.Offset})
	}
	want := []row{
		{".text", 0x40},      // 64, aligned to 16
		{".rela.text", 0x48}, // 0x47 rounded to 8
		{".data", 0x78},      // after 48 bytes of relocations
		{".bss", 0x80},       // 0x7b rounded to 32; no bytes
		{".symtab", 0x80},    // 4 symbols
		{".strtab", 0xe0},
		{".shstrtab", 0xeb},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("offsets (-want +got):\n%s", d)
	}
	if shoff := le.Uint64(out[0x28:]); shoff != 0x128 {
		t.Errorf("e_shoff %#x, want 0x128 (0xeb+0x37 rounded to 8)", shoff)
	}
	if !bytes.Equal(out[0x40:0x47], []byte{0x90, 0xe8, 0, 0, 0, 0, 0xc3}) || out[0x47] != 0 {
		t.Errorf("text or its padding: % x", out[0x40:0x48])
	}
}

// TestAddLocalSymbol: a local symbol takes the first global's place, the
// global moves to the end, and relocations follow it.
func TestAddLocalSymbol(t *testing.T) {
	f := open(t, testObject())
	strtab := f.SectionByName(".strtab")
	name := f.AddString(strtab, "new")
	idx := f.AddSymbol(Symbol{Name: name, Info: elf.ST_INFO(elf.STB_LOCAL, elf.STT_FUNC), Shndx: 1, Value: 6})
	if idx != 2 {
		t.Errorf("new local at %d, want 2", idx)
	}
	if f.FirstGlobal() != 3 {
		t.Errorf("sh_info %d, want 3", f.FirstGlobal())
	}
	if got := f.Current(2); got != 4 {
		t.Errorf("g1 now at %d, want 4", got)
	}
	wantSyms := cat(make([]byte, symSize), sym(1, elf.STB_LOCAL, elf.STT_FUNC, 1, 0),
		sym(11, elf.STB_LOCAL, elf.STT_FUNC, 1, 6), sym(8, elf.STB_GLOBAL, elf.STT_NOTYPE, 0, 0),
		sym(5, elf.STB_GLOBAL, elf.STT_FUNC, 1, 1))
	if d := cmp.Diff(wantSyms, f.Section(5).Data()); d != "" {
		t.Errorf(".symtab (-want +got):\n%s", d)
	}
	wantRela := cat(rela(2, 4, 4, -4), rela(2, 3, 2, 0))
	if d := cmp.Diff(wantRela, f.Section(2).Data()); d != "" {
		t.Errorf(".rela.text (-want +got):\n%s", d)
	}
	if got := string(f.Section(strtab).Data()); got != "\x00loc\x00g1\x00g2\x00new\x00" {
		t.Errorf(".strtab %q", got)
	}
}

// TestAddSections: a section and its relocations go at the end, their
// names at the end of .shstrtab, a section symbol is made once.
func TestAddSections(t *testing.T) {
	f := open(t, testObject())
	sec := f.AddSection(".retpoline_sites", 4, 2)
	rsec, err := f.AddRelaSection(sec, 2)
	if err != nil {
		t.Fatal(err)
	}
	if sec != 8 || rsec != 9 {
		t.Fatalf("sections %d, %d; want 8, 9", sec, rsec)
	}
	s1 := f.SectionSymbol(1)
	s2 := f.SectionSymbol(1)
	if s1 != 2 || s2 != 2 {
		t.Errorf("section symbol %d then %d, want 2 both times", s1, s2)
	}
	f.SetReloc(rsec, 0, Reloc{Offset: 0, Sym: s1, Type: 2, Addend: 1})
	f.SetReloc(rsec, 1, Reloc{Offset: 4, Sym: f.Current(2), Type: 2, Addend: 5})
	if d := cmp.Diff(cat(rela(0, 2, 2, 1), rela(4, 4, 2, 5)), f.Section(rsec).Data()); d != "" {
		t.Errorf("new relocations (-want +got):\n%s", d)
	}
	h := f.Section(rsec).Hdr
	want := Header{Name: h.Name, Type: elf.SHT_RELA, Flags: elf.SHF_INFO_LINK, Size: 48, Link: 5, Info: 8,
		Addralign: 8, Entsize: 24}
	if d := cmp.Diff(want, h); d != "" {
		t.Errorf("relocation header (-want +got):\n%s", d)
	}
	names := string(f.Section(7).Data())
	if want := "\x00.text\x00.rela.text\x00.data\x00.bss\x00.symtab\x00.strtab\x00.shstrtab\x00.retpoline_sites\x00.rela.retpoline_sites\x00"; names != want {
		t.Errorf(".shstrtab %q", names)
	}
	out, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	ef, err := elf.NewFile(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ef.Sections); n != 10 {
		t.Errorf("%d sections written, want 10", n)
	}
}

// TestPatch: WriteBytes and SetRelocType edit copies, never the input.
func TestPatch(t *testing.T) {
	in := testObject()
	orig := append([]byte(nil), in...)
	f := open(t, in)
	if f.Changed() {
		t.Error("changed before any edit")
	}
	if !f.WriteBytes(1, 1, []byte{0x0f, 0x1f, 0x44, 0, 0}) {
		t.Fatal("WriteBytes refused")
	}
	if f.WriteBytes(1, 5, []byte{1, 2, 3}) {
		t.Error("WriteBytes past the end accepted")
	}
	f.SetRelocType(2, 0, 0)
	if !bytes.Equal(in, orig) {
		t.Error("the input was written")
	}
	if got := f.Section(1).Data(); !bytes.Equal(got, []byte{0x90, 0x0f, 0x1f, 0x44, 0, 0, 0xc3}) {
		t.Errorf(".text % x", got)
	}
	if d := cmp.Diff(cat(rela(2, 2, 0, -4), rela(2, 3, 2, 0)), f.Section(2).Data()); d != "" {
		t.Errorf(".rela.text (-want +got):\n%s", d)
	}
	if !f.Changed() {
		t.Error("not changed after edits")
	}
}

// TestOpenRejects: what Open refuses.
func TestOpenRejects(t *testing.T) {
	good := testObject()
	for _, tt := range []struct {
		name string
		edit func([]byte) []byte
	}{
		{"short", func(b []byte) []byte { return b[:20] }},
		{"not ELF", func(b []byte) []byte { b[0] = 0; return b }},
		{"32-bit", func(b []byte) []byte { b[elf.EI_CLASS] = byte(elf.ELFCLASS32); return b }},
		{"byte order", func(b []byte) []byte { b[elf.EI_DATA] = 9; return b }},
		{"headers past end", func(b []byte) []byte { le.PutUint64(b[0x28:], uint64(len(b))); return b }},
		{"contents past end", func(b []byte) []byte { return b[:len(b)-shdrSize*7+0x20] }},
		{"string table index", func(b []byte) []byte { le.PutUint16(b[0x3e:], 99); return b }},
		{"program headers past end", func(b []byte) []byte {
			le.PutUint64(b[0x20:], uint64(len(b)))
			le.PutUint16(b[0x36:], 56)
			le.PutUint16(b[0x38:], 1)
			return b
		}},
	} {
		b := tt.edit(append([]byte(nil), good...))
		if _, err := Open(b); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

// TestReleaseInput: the contents of every input section reach the release
// function once the editor has copied, scanned or written them, never
// anything else, and the file written is the same as without it.
func TestReleaseInput(t *testing.T) {
	edit := func(f *File) []byte {
		t.Helper()
		f.WriteBytes(1, 1, []byte{0x0f, 0x1f, 0x44, 0, 0})
		strtab := f.SectionByName(".strtab")
		f.AddSymbol(Symbol{Name: f.AddString(strtab, "new"), Info: elf.ST_INFO(elf.STB_LOCAL, elf.STT_FUNC),
			Shndx: 1, Value: 6})
		out, err := f.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := edit(open(t, testObject()))
	f := open(t, testObject())
	input := map[*byte]int{} // the first byte of each input section's contents
	for i := 1; i < f.NumSections(); i++ {
		if d := f.Section(i).Data(); len(d) > 0 {
			input[&d[0]] = i
		}
	}
	released := map[int]bool{}
	f.ReleaseInput(func(b []byte) {
		if len(b) == 0 {
			return
		}
		i, ok := input[&b[0]]
		if !ok {
			t.Errorf("released % x: not an input section's contents", b)
		}
		released[i] = true
	})
	if got := edit(f); !bytes.Equal(got, want) {
		t.Error("the file written differs from the one written without ReleaseInput")
	}
	for _, i := range input {
		if !released[i] {
			t.Errorf("section %d (%s) was never released", i, f.Section(i).Name)
		}
	}
}

// TestPatchOverlay: writes over a section still the input's are patches
// over it, written out in place without copying the section, in the order
// made where they overlap, and read back through Data.
func TestPatchOverlay(t *testing.T) {
	text := []byte{0x90, 0xe8, 0, 0, 0, 0, 0xc3}
	for _, tt := range []struct {
		name   string
		writes []patch
		want   []byte
		copied bool // the section is copied out to be written
	}{
		{name: "none", want: text},
		{name: "apart, out of order", writes: []patch{{5, []byte{1, 2}}, {0, []byte{3}}, {2, []byte{4, 5}}},
			want: []byte{3, 0xe8, 4, 5, 0, 1, 2}},
		{name: "touching", writes: []patch{{0, []byte{1, 2}}, {2, []byte{3}}}, want: []byte{1, 2, 3, 0, 0, 0, 0xc3}},
		{name: "overlapping, later wins", writes: []patch{{1, []byte{1, 1, 1}}, {2, []byte{2}}, {0, []byte{3, 3}}},
			want: []byte{3, 3, 2, 1, 0, 0, 0xc3}, copied: true},
		{name: "same place twice", writes: []patch{{1, []byte{7}}, {1, []byte{8}}},
			want: []byte{0x90, 8, 0, 0, 0, 0, 0xc3}, copied: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := open(t, testObject())
			for _, w := range tt.writes {
				if !f.WriteBytes(1, w.off, w.b) {
					t.Fatalf("WriteBytes(%d, % x) refused", w.off, w.b)
				}
			}
			out, err := f.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Section(1).own; got != tt.copied {
				t.Errorf("copied out to be written: %v, want %v", got, tt.copied)
			}
			ef, err := elf.NewFile(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ef.Sections[1].Data()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf(".text written % x, want % x", got, tt.want)
			}
			if d := f.Section(1).Data(); !bytes.Equal(d, tt.want) {
				t.Errorf(".text read back % x, want % x", d, tt.want)
			}
		})
	}
}
