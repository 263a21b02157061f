package decode

import (
	"debug/elf"
	"encoding/binary"
	"testing"
)

// dataWithReloc returns a 16-byte .data (section 6 after smallObject's
// own) and a .rela.data (7) holding one relocation of type typ at off.
func dataWithReloc(o binary.ByteOrder, off uint64, typ uint32) []testSection {
	rela := relaTable(o, false, Reloc{Offset: off, Type: typ, Sym: &Symbol{Index: symText}})
	return []testSection{
		{name: ".data", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, data: make([]byte, 16)},
		{name: ".rela.data", typ: elf.SHT_RELA, link: 4, info: 6, entsize: relaSize, data: rela},
	}
}

// A patch changes a valid object before it is parsed, and returns it.
type patch func(t *testing.T, o binary.ByteOrder, d []byte) []byte

// setSym sets a field (at byte off of the entry, 8 bytes wide, or 2 for
// st_shndx at 6) of symbol i of smallObject's symbol table.
func setSym(i, off int, v uint64) patch {
	return func(t *testing.T, o binary.ByteOrder, d []byte) []byte {
		at := symOffset(t, d, i) + off
		if off == 6 {
			o.PutUint16(d[at:], uint16(v))
		} else {
			o.PutUint64(d[at:], v)
		}
		return d
	}
}

// setShdr sets the 4-byte (sh_link, sh_info) or 8-byte field at byte off
// of section header i.
func setShdr(i, off int, v uint64) patch {
	return func(t *testing.T, o binary.ByteOrder, d []byte) []byte {
		at := int(o.Uint64(d[40:])) + i*shdrSize + off
		if off == 40 || off == 44 {
			o.PutUint32(d[at:], uint32(v))
		} else {
			o.PutUint64(d[at:], v)
		}
		return d
	}
}

// withPhdrs appends a program header table of n entries (zeros) at the
// end of the file, or sets e_phoff to at instead when at is not 0.
func withPhdrs(n uint16, at uint64) patch {
	return func(t *testing.T, o binary.ByteOrder, d []byte) []byte {
		if at == 0 {
			at = uint64(len(d))
			d = append(d, make([]byte, int(n)*phdrSize)...)
		}
		o.PutUint64(d[32:], at)
		o.PutUint16(d[54:], phdrSize)
		o.PutUint16(d[56:], n)
		return d
	}
}

// patches applies ps in turn.
func patches(ps ...patch) patch {
	return func(t *testing.T, o binary.ByteOrder, d []byte) []byte {
		for _, p := range ps {
			d = p(t, o, d)
		}
		return d
	}
}

// TestBounds parses objects whose symbols, relocations and sections are at
// or just past the edge of what holds them, on every machine: what a
// compiler makes must pass, one byte more must not.
func TestBounds(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	x86, a64, ppc := elf.EM_X86_64, elf.EM_AARCH64, elf.EM_PPC64
	empty := testSection{name: ".empty", typ: elf.SHT_PROGBITS}
	tests := []struct {
		name    string
		order   binary.ByteOrder
		machine elf.Machine
		extra   []testSection
		patch   patch
		want    string // "" when the object is valid
	}{
		{"symbol at section end", le, x86, nil, setSym(symB, 8, 16), ""},
		{"symbol up to section end", le, x86, nil, setSym(symB, 16, 8), ""},
		{"symbol past section end", le, x86, nil, setSym(symB, 8, 17),
			"symbol 2 (b): at 0x11+0x0 past end of section 1 (.text) (0x10 bytes)"},
		{"symbol size past section end", le, x86, nil, setSym(symB, 16, 9),
			"symbol 2 (b): at 0x8+0x9 past end of section 1 (.text) (0x10 bytes)"},
		{"linked file, symbol anywhere", le, x86, nil, patches(setSym(symB, 8, 0x401000), withPhdrs(2, 0)), ""},
		{"program headers over a section", le, x86, nil, withPhdrs(1, 0x48),
			"section 1 (.text): contents at 0x40+0x10 overlap the program header table at 0x48+0x38"},
		{"program headers over the ELF header", le, x86, nil, withPhdrs(1, 0x30),
			"program header table at 0x30+0x38 overlaps the ELF header at 0x0+0x40"},
		{"section symbol anywhere", le, x86, nil, setSym(symText, 8, 0x1000), ""},
		{"absolute symbol anywhere", le, x86, nil, setSym(symAbs, 8, 1<<63), ""},
		{"common symbol", le, x86, nil, patches(setSym(symBuf, 6, uint64(elf.SHN_COMMON)), setSym(symBuf, 16, 1<<20)), ""},
		{"all symbols local", le, x86, nil, setShdr(4, 44, 8), ""},
		{"symtab sh_info past end", be, ppc, nil, setShdr(4, 44, 9), "section 4 (.symtab): sh_info 9 out of range (8 symbols)"},
		{"x86 PC32 at end", le, x86, dataWithReloc(le, 12, uint32(elf.R_X86_64_PC32)), nil, ""},
		{"x86 PC32 past end", le, x86, dataWithReloc(le, 13, uint32(elf.R_X86_64_PC32)), nil,
			"relocation 0 of section 7 (.rela.data): R_X86_64_PC32 at 0xd+0x4 past end of section 6 (.data) (0x10 bytes)"},
		{"x86 unknown type at last byte", le, x86, dataWithReloc(le, 15, 200), nil, ""},
		{"arm64 ABS64 past end", le, a64, dataWithReloc(le, 12, uint32(elf.R_AARCH64_ABS64)), nil,
			"relocation 0 of section 7 (.rela.data): R_AARCH64_ABS64 at 0xc+0x8 past end of section 6 (.data) (0x10 bytes)"},
		{"arm64 CALL26 at end", le, a64, dataWithReloc(le, 12, uint32(elf.R_AARCH64_CALL26)), nil, ""},
		{"arm64 CALL26 past end", le, a64, dataWithReloc(le, 14, uint32(elf.R_AARCH64_CALL26)), nil,
			"relocation 0 of section 7 (.rela.data): R_AARCH64_CALL26 at 0xe+0x4 past end of section 6 (.data) (0x10 bytes)"},
		{"arm64 PLT32, unnamed", le, a64, dataWithReloc(le, 13, 314), nil,
			"relocation 0 of section 7 (.rela.data): type 314 at 0xd+0x4 past end of section 6 (.data) (0x10 bytes)"},
		{"ppc64 REL16_HA at end", be, ppc, dataWithReloc(be, 14, uint32(elf.R_PPC64_REL16_HA)), nil, ""},
		{"ppc64 REL16_HA past end", be, ppc, dataWithReloc(be, 15, uint32(elf.R_PPC64_REL16_HA)), nil,
			"relocation 0 of section 7 (.rela.data): R_PPC64_REL16_HA at 0xf+0x2 past end of section 6 (.data) (0x10 bytes)"},
		{"ppc64 PCREL34 past end", le, ppc, dataWithReloc(le, 12, uint32(elf.R_PPC64_PCREL34)), nil,
			"relocation 0 of section 7 (.rela.data): R_PPC64_PCREL34 at 0xc+0x8 past end of section 6 (.data) (0x10 bytes)"},
		{"relocations of the symbol table", le, x86, dataWithReloc(le, 0, 0), setShdr(7, 44, 4),
			"section 7 (.rela.data): sh_info 4 is not a section that can be relocated (SHT_SYMTAB)"},
		{"empty section inside another", le, x86, []testSection{empty}, setShdr(6, 24, 0x44), ""},
		{"section over another", le, x86, nil, setShdr(1, 32, 0x11),
			"section 2 (.rela.text): contents at 0x50+0x60 overlap section 1 (.text) at 0x40+0x11"},
		{"sections at one offset", le, x86, nil, setShdr(5, 24, 0x40),
			"section 5 (.strtab): contents at 0x40+0x19 overlap section 1 (.text) at 0x40+0x10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := smallObject(tt.order, tt.machine, false, tt.extra...)
			if tt.patch != nil {
				data = tt.patch(t, tt.order, data)
			}
			f, err := Parse("x.o", data)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Parse: %v", err)
			case tt.want == "":
				if err := checkFile(f, data); err != nil {
					t.Error(err)
				}
			case err == nil || err.Error() != tt.want:
				t.Errorf("error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}
