package objwrite

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/elfedit"
)

// clean.o's symbols used below: 1 is .text's section symbol, 4 the local
// with_cold.cold, 6 the first global frame_leave, 7 the undefined
// ext_func, 9 leaf at .text+0x32.
const cleanObject = "../testdata/x86/clean.o"

// A rel is a relocation as the test expects it.
type rel struct {
	Off    uint64
	Sym    string
	Type   elf.R_X86_64
	Addend int64
}

// apply writes plan into clean.o and reads the result back.
func apply(t *testing.T, plan *check.Plan) *elf.File {
	t.Helper()
	data, err := os.ReadFile(cleanObject)
	if err != nil {
		t.Fatal(err)
	}
	f, err := decode.Parse(cleanObject, data)
	if err != nil {
		t.Fatal(err)
	}
	ef, err := elfedit.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(ef, f.Arch, plan); err != nil {
		t.Fatal(err)
	}
	data, err = ef.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	out, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// relocs reads the relocations of section name.
func relocs(t *testing.T, f *elf.File, name string) []rel {
	t.Helper()
	s := f.Section(".rela" + name)
	if s == nil {
		t.Fatalf("no .rela%s", name)
	}
	data, _ := s.Data()
	syms, _ := f.Symbols()
	var out []rel
	for b := data; len(b) >= 24; b = b[24:] {
		info := binary.LittleEndian.Uint64(b[8:])
		name := ""
		if i := info >> 32; i > 0 {
			name = syms[i-1].Name
			if elf.ST_TYPE(syms[i-1].Info) == elf.STT_SECTION {
				name = f.Sections[syms[i-1].Section].Name
			}
		}
		out = append(out, rel{binary.LittleEndian.Uint64(b), name, elf.R_X86_64(uint32(info)),
			int64(binary.LittleEndian.Uint64(b[16:]))})
	}
	return out
}

// TestSections: each step's section, its header and its relocations.
func TestSections(t *testing.T) {
	text := func(off uint64) check.Site { return check.Site{Sec: 1, Off: off} }
	for _, tt := range []struct {
		name   string
		step   check.Step
		sec    string
		data   []byte
		flags  elf.SectionFlag
		align  uint64
		relocs []rel
	}{
		{name: "site list", step: check.Step{Section: ".retpoline_sites", Entries: 2, Sites: []check.Site{text(0x10), text(0x3c)}},
			sec: ".retpoline_sites", data: make([]byte, 8), flags: elf.SHF_ALLOC, align: 1,
			relocs: []rel{{0, ".text", elf.R_X86_64_PC32, 0x10}, {4, ".text", elf.R_X86_64_PC32, 0x3c}}},
		{name: "mcount", step: check.Step{Section: "__mcount_loc", Entries: 1, Sites: []check.Site{text(0x32)}},
			sec: "__mcount_loc", data: make([]byte, 8), flags: elf.SHF_ALLOC, align: 8,
			relocs: []rel{{0, ".text", elf.R_X86_64_64, 0x32}}},
		{name: "static call", step: check.Step{Section: ".static_call_sites", Entries: 1,
			Sites: []check.Site{text(5)}, Keys: []check.StaticKey{{Sym: 7, Tail: true}}},
			sec: ".static_call_sites", data: make([]byte, 8), flags: elf.SHF_ALLOC | elf.SHF_WRITE, align: 1,
			relocs: []rel{{0, ".text", elf.R_X86_64_PC32, 5}, {4, "ext_func", elf.R_X86_64_PC32, 1}}},
		{name: "static call stopped at a missing key", step: check.Step{Section: ".static_call_sites", Entries: 2,
			Sites: []check.Site{text(5)}},
			sec: ".static_call_sites", data: make([]byte, 16), flags: elf.SHF_ALLOC | elf.SHF_WRITE, align: 1,
			relocs: []rel{{0, ".text", elf.R_X86_64_PC32, 5}, {}, {}, {}}},
		{name: "empty", step: check.Step{Section: ".cfi_sites"}, sec: ".cfi_sites", data: []byte{}, flags: elf.SHF_ALLOC, align: 1},
		{name: "orc", step: check.Step{Section: ".orc_unwind", Entries: 2, Sites: []check.Site{text(0), text(0xa1)},
			ORC: []check.ORC{{SPOffset: 16, BPOffset: -16, SPReg: 5, BPReg: 1, Type: 2, Signal: true}, {}}},
			sec: ".orc_unwind", data: []byte{16, 0, 0xf0, 0xff, 0x15, 0x0a, 0, 0, 0, 0, 0, 0}, flags: elf.SHF_ALLOC, align: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := apply(t, &check.Plan{Steps: []check.Step{tt.step}})
			s := f.Section(tt.sec)
			if s == nil {
				t.Fatalf("no %s", tt.sec)
			}
			data, _ := s.Data()
			if d := cmp.Diff(tt.data, data); d != "" {
				t.Errorf("contents (-want +got):\n%s", d)
			}
			if s.Flags != tt.flags || s.Addralign != tt.align {
				t.Errorf("flags %v align %d, want %v, %d", s.Flags, s.Addralign, tt.flags, tt.align)
			}
			name := tt.sec
			if name == ".orc_unwind" {
				name = ".orc_unwind_ip"
				tt.relocs = []rel{{0, ".text", elf.R_X86_64_PC32, 0}, {4, ".text", elf.R_X86_64_PC32, 0xa1}}
			}
			if d := cmp.Diff(tt.relocs, relocs(t, f, name)); d != "" {
				t.Errorf("relocations (-want +got):\n%s", d)
			}
		})
	}
}

// TestPatches: a nop or a return with int3 over the instruction, its
// relocation voided.
func TestPatches(t *testing.T) {
	f := apply(t, &check.Plan{Patches: []check.Patch{
		{Site: check.Site{Sec: 1, Off: 0}, Len: 5, Rela: 2, Reloc: 0},
		{Site: check.Site{Sec: 1, Off: 8}, Len: 3, Ret: true},
	}})
	data, _ := f.Section(".text").Data()
	if d := cmp.Diff([]byte{0x0f, 0x1f, 0x44, 0, 0}, data[:5]); d != "" {
		t.Errorf("nop (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]byte{0xc3, 0xcc, 0x90}, data[8:11]); d != "" {
		t.Errorf("ret (-want +got):\n%s", d)
	}
	if r := relocs(t, f, ".text")[0]; r.Type != elf.R_X86_64_NONE {
		t.Errorf("first .text relocation type %v, want R_X86_64_NONE", r.Type)
	}
}

// TestPrefixes: a global prefix symbol goes at the end; a local one takes
// the first global's place, which moves to the end with its relocations.
func TestPrefixes(t *testing.T) {
	f := apply(t, &check.Plan{Steps: []check.Step{{Prefixes: []check.Prefix{{Func: 9, Size: 16}, {Func: 4, Size: 16}}}}})
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	type sym struct {
		Name  string
		Value uint64
		Size  uint64
		Bind  elf.SymBind
	}
	get := func(i int) sym {
		s := syms[i-1]
		return sym{s.Name, s.Value, s.Size, elf.ST_BIND(s.Info)}
	}
	n := len(syms)
	want := []sym{{"__pfx_with_cold.cold", 0xfffffffffffffff0, 16, elf.STB_LOCAL},
		{"__pfx_leaf", 0x22, 16, elf.STB_GLOBAL}, {"frame_leave", 0, 19, elf.STB_GLOBAL}}
	got := []sym{get(6), get(n - 1), get(n)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("symbols 6, %d, %d (-want +got):\n%s", n-1, n, d)
	}
	if s := f.Section(".symtab"); s.Info != 7 {
		t.Errorf(".symtab sh_info %d, want 7", s.Info)
	}
}
