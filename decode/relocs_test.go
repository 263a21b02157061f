package decode

import (
	"debug/elf"
	"encoding/binary"
	"testing"
)

// bigRelocs returns a 16-byte data section and a relocation section for it
// holding n R_X86_64_64 relocations, at offsets 0 to 8 in turn with addend
// i, except that entry bad (if not -1) is at 13, past the section's end.
// With two of them the object has more relocations than parallelRelocsMin,
// so that their sections are decoded on two goroutines.
func bigRelocs(name string, target uint32, n, bad int) []testSection {
	rs := make([]Reloc, n)
	for i := range rs {
		rs[i] = Reloc{Offset: uint64(i % 9), Type: uint32(elf.R_X86_64_64), Sym: &Symbol{Index: symText}, Addend: int64(i)}
	}
	if bad >= 0 {
		rs[bad].Offset = 13
	}
	return []testSection{
		{name: name, typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, data: make([]byte, 16)},
		{name: ".rela" + name, typ: elf.SHT_RELA, link: 4, info: target, entsize: relaSize,
			data: relaTable(binary.LittleEndian, false, rs...)},
	}
}

// TestRelocsInParallel reads objects with enough relocations to decode
// their sections at once, and checks that they are read whole and that a
// broken one gives the error reading them in order meets first.
func TestRelocsInParallel(t *testing.T) {
	const n = parallelRelocsMin / 2
	withBadHeader := func(secs []testSection) []testSection {
		secs[len(secs)-1].info = 0 // names no section
		return secs
	}
	tests := []struct {
		name  string
		extra []testSection // sections 6 and up
		want  string
	}{
		{"all valid", append(bigRelocs(".data", 6, n, -1), bigRelocs(".data2", 8, n+1, -1)...), ""},
		{"two bad entries", append(bigRelocs(".data", 6, n, n-1), bigRelocs(".data2", 8, n, 3)...),
			"relocation 32767 of section 7 (.rela.data): R_X86_64_64 at 0xd+0x8 past end of section 6 (.data) (0x10 bytes)"},
		{"bad entry, then a bad header", append(bigRelocs(".data", 6, n, n-1),
			withBadHeader(bigRelocs(".data2", 8, n, -1))...),
			"relocation 32767 of section 7 (.rela.data): R_X86_64_64 at 0xd+0x8 past end of section 6 (.data) (0x10 bytes)"},
		{"bad header, then a bad entry", append(withBadHeader(bigRelocs(".data", 6, n, -1)),
			bigRelocs(".data2", 8, n, 0)...),
			"section 7 (.rela.data): sh_info 0 names no section to relocate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := smallObject(binary.LittleEndian, elf.EM_X86_64, false, tt.extra...)
			f, err := Parse("big.o", data)
			switch {
			case tt.want != "":
				if err == nil || err.Error() != tt.want {
					t.Fatalf("got error %v, want %q", err, tt.want)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			for _, sec := range []int{6, 8} {
				checkBigRelocs(t, f.Sections[sec], len(tt.extra[sec-6+1].data)/relaSize)
			}
			if err := checkFile(f, data); err != nil {
				t.Error(err)
			}
		})
	}
}

// checkBigRelocs checks that s holds the n relocations bigRelocs made, in
// offset order, as a stable sort leaves them.
func checkBigRelocs(t *testing.T, s *Section, n int) {
	t.Helper()
	if len(s.Relocs) != n {
		t.Fatalf("%s: %d relocations, want %d", s.Name, len(s.Relocs), n)
	}
	prev := Reloc{Offset: 0, Addend: -1}
	for _, r := range s.Relocs {
		if r.Type != uint32(elf.R_X86_64_64) || r.Sym.Index != symText || uint64(r.Addend)%9 != r.Offset {
			t.Fatalf("%s: relocation %d is %+v", s.Name, r.Index, r)
		}
		if r.Offset < prev.Offset || r.Offset == prev.Offset && r.Addend <= prev.Addend {
			t.Fatalf("%s: relocation %+v after %+v", s.Name, r, prev)
		}
		prev = r
	}
}
