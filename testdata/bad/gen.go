//go:build ignore

// Gen writes the malformed objects of testdata/bad, each made by breaking
// base.o in one way, and beside each X.o the file X.o.err holding the one
// line objcheck must print for it. The expected messages are worked out
// here from base.o's layout (read with debug/elf, which is fine on this
// valid input), not by running the decoder.
//
// From the repository root:
//
//	as --64 -o testdata/bad/base.o testdata/bad/base.S
//	go run testdata/bad/gen.go
package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

const dir = "testdata/bad"

// A base is the valid object and where its parts are.
type base struct {
	data  []byte
	ef    *elf.File
	shoff uint64
}

// A bad is one malformed object and the message it must give.
type bad struct {
	name string
	data []byte
	msg  string
}

func main() {
	data, err := os.ReadFile(filepath.Join(dir, "base.o"))
	if err != nil {
		log.Fatal(err)
	}
	ef, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		log.Fatal(err)
	}
	b := &base{data: data, ef: ef, shoff: le.Uint64(data[40:])}
	for _, c := range b.cases() {
		path := filepath.Join(dir, c.name+".o")
		line := fmt.Sprintf("%s: error: objtool: %s\n", path, c.msg)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(path+".err", []byte(line), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

var le = binary.LittleEndian

// ELF64 header and section header field offsets.
const (
	eType      = 16
	eMachine   = 18
	ePhoff     = 32
	eShoff     = 40
	eFlags     = 48
	ePhentsize = 54
	ePhnum     = 56
	eShentsize = 58
	eShnum     = 60
	eShstrndx  = 62

	shName   = 0
	shType   = 4
	shOffset = 24
	shSize   = 32
	shLink   = 40
	shInfo   = 44
	shEnt    = 56
)

// cases lists the malformed objects.
func (b *base) cases() []bad {
	n := len(b.data)
	nsec := len(b.ef.Sections)
	text, rtext, data, rdata := b.sec(".text"), b.sec(".rela.text"), b.sec(".data"), b.sec(".rela.data")
	symtab, strtab, shstrtab := b.sec(".symtab"), b.sec(".strtab"), b.sec(".shstrtab")
	nsym := int(b.ef.Sections[symtab].Size / 24)
	tableSize := uint64(nsec * 64)
	cut, cutMsg := b.midData(text)
	unterm, untermMsg := b.unterminated(strtab, symtab)
	return append([]bad{
		{"empty", nil, "not an ELF file (empty)"},
		{"not-elf", []byte("!<arch>\n"), "not an ELF file"},
		{"short-ident", b.data[:10], "truncated: ELF header at 0x0+0x40 past end of file (0xa)"},
		{"elf32", b.put8(4, 1), "not a 64-bit ELF file"},
		{"bad-byte-order", b.put8(5, 3), "unknown byte order (EI_DATA 3)"},
		{"short-header", b.data[:0x30], "truncated: ELF header at 0x0+0x40 past end of file (0x30)"},
		{"exec", b.put16(eType, 2), "not a relocatable object (e_type 2)"},
		{"machine", b.put16(eMachine, 3), "unsupported machine EM_386 (3)"},
		{"ppc64-elfv1", b.put32(eFlags, 1, b.put16(eMachine, uint16(elf.EM_PPC64))),
			"ppc64 ELFv1 objects (function descriptors in .opd) are not supported"},
		{"header-only", b.data[:64],
			fmt.Sprintf("truncated: section header table at %#x+%#x past end of file (0x40)", b.shoff, tableSize)},
		{"mid-section-table", b.data[:b.shoff+3*64+10],
			fmt.Sprintf("truncated: section header table at %#x+%#x past end of file (%#x)", b.shoff, tableSize, b.shoff+3*64+10)},
		{"mid-section-data", cut, cutMsg},
		{"no-section-table", b.put64(eShoff, 0), "no section header table (e_shoff 0)"},
		{"shentsize", b.put16(eShentsize, 40), "e_shentsize 40, want 64"},
		{"shnum-huge", b.put16(eShnum, 0xffff),
			fmt.Sprintf("truncated: section header table at %#x+%#x past end of file (%#x)", b.shoff, 0xffff*64, n)},
		{"shnum-escape-huge", b.put64(b.shdr(0, shSize), 1<<40, b.put16(eShnum, 0)),
			fmt.Sprintf("truncated: section header table at %#x+%#x past end of file (%#x)", b.shoff, uint64(1<<40)*64, n)},
		{"shnum-escape-overflow", b.put64(b.shdr(0, shSize), 1<<60, b.put16(eShnum, 0)),
			fmt.Sprintf("truncated: section header table at %#x with %d entries past end of file (%#x)", b.shoff, uint64(1<<60), n)},
		{"shstrndx-range", b.put16(eShstrndx, 200), fmt.Sprintf("e_shstrndx 200 out of range (%d sections)", nsec)},
		{"shstrndx-xindex", b.put32(b.shdr(0, shLink), 99, b.put16(eShstrndx, 0xffff)),
			fmt.Sprintf("e_shstrndx (section 0 sh_link) 99 out of range (%d sections)", nsec)},
		{"shstrndx-type", b.put16(eShstrndx, uint16(text)),
			fmt.Sprintf("e_shstrndx %d is not a string table (SHT_PROGBITS)", text)},
		{"shstrtab-past-end", b.put64(b.shdr(shstrtab, shOffset), 0x5000),
			fmt.Sprintf("section %d: contents at 0x5000+%#x past end of file (%#x)", shstrtab, b.size(shstrtab), n)},
		{"section-name-range", b.put32(b.shdr(data, shName), 0x1000),
			fmt.Sprintf("section %d: name offset 0x1000 out of range of section %d (.shstrtab) (%#x bytes)", data, shstrtab, b.size(shstrtab))},
		{"offset-past-end", b.put64(b.shdr(text, shOffset), 0x10000),
			fmt.Sprintf("section %d (.text): contents at 0x10000+%#x past end of file (%#x)", text, b.size(text), n)},
		{"size-past-end", b.put64(b.shdr(data, shSize), 0x1000),
			fmt.Sprintf("section %d (.data): contents at %#x+0x1000 past end of file (%#x)", data, b.off(data), n)},
		{"size-overflow", b.put64(b.shdr(text, shSize), ^uint64(0)),
			fmt.Sprintf("section %d (.text): contents at %#x+0xffffffffffffffff past end of file (%#x)", text, b.off(text), n)},
		{"bad-link", b.put32(b.shdr(rtext, shLink), 99),
			fmt.Sprintf("section %d (.rela.text): sh_link 99 out of range (%d sections)", rtext, nsec)},
		{"bad-info", b.put32(b.shdr(rtext, shInfo), 99),
			fmt.Sprintf("section %d (.rela.text): sh_info 99 out of range (%d sections)", rtext, nsec)},
		{"info-zero", b.put32(b.shdr(rtext, shInfo), 0),
			fmt.Sprintf("section %d (.rela.text): sh_info 0 names no section to relocate", rtext)},
		{"two-rela", b.put32(b.shdr(rdata, shInfo), uint32(text)),
			fmt.Sprintf("section %d (.rela.data): section %d (.text) already has relocations in section %d", rdata, text, rtext)},
		{"rela-link", b.put32(b.shdr(rtext, shLink), uint32(strtab)),
			fmt.Sprintf("section %d (.rela.text): sh_link %d is not the symbol table (section %d)", rtext, strtab, symtab)},
		{"symtab-link", b.put32(b.shdr(symtab, shLink), uint32(text)),
			fmt.Sprintf("section %d (.symtab): sh_link %d is not a string table (SHT_PROGBITS)", symtab, text)},
		{"reloc-symbol", b.put32(b.off(rtext)+12, 400),
			fmt.Sprintf("relocation 0 of section %d (.rela.text): symbol index 400 out of range (%d symbols)", rtext, nsym)},
		{"reloc-offset", b.put64(b.off(rdata), 0x100),
			fmt.Sprintf("relocation 0 of section %d (.rela.data): offset 0x100 past end of section %d (.data) (%#x bytes)", rdata, data, b.size(data))},
		{"symtab-entsize-zero", b.put64(b.shdr(symtab, shEnt), 0),
			fmt.Sprintf("section %d (.symtab): sh_entsize 0, want 24", symtab)},
		{"rela-entsize-zero", b.put64(b.shdr(rtext, shEnt), 0),
			fmt.Sprintf("section %d (.rela.text): sh_entsize 0, want 24", rtext)},
		{"symtab-entsize-huge", b.put64(b.shdr(symtab, shEnt), 1<<32),
			fmt.Sprintf("section %d (.symtab): sh_entsize 4294967296, want 24", symtab)},
		{"symtab-size", b.put64(b.shdr(symtab, shSize), b.size(symtab)-8),
			fmt.Sprintf("section %d (.symtab): sh_size %#x is not a multiple of sh_entsize 24", symtab, b.size(symtab)-8)},
		{"symbol-name-range", b.put32(b.sym(symtab, 2), 0x1000),
			fmt.Sprintf("symbol 2: name offset 0x1000 out of range of section %d (.strtab) (%#x bytes)", strtab, b.size(strtab))},
		{"strtab-unterminated", unterm, untermMsg},
		{"symbol-section", b.put16(b.sym(symtab, nsym-1)+6, 0x50),
			fmt.Sprintf("symbol %d (ptr): section index 80 out of range (%d sections)", nsym-1, nsec)},
		{"symbol-xindex", b.put16(b.sym(symtab, nsym-1)+6, 0xffff),
			fmt.Sprintf("symbol %d (ptr): SHN_XINDEX but no .symtab_shndx section", nsym-1)},
	}, b.boundsCases()...)
}

// Symbol table entry and relocation entry field offsets.
const (
	stValue = 8
	stSize  = 16
	rOffset = 0
)

// boundsCases lists the objects whose parts lie in the file but not within
// what holds them: symbols past their section, relocations past the section
// they apply to, sections over each other or over the headers.
func (b *base) boundsCases() []bad {
	text, data, rdata, bss := b.sec(".text"), b.sec(".data"), b.sec(".rela.data"), b.sec(".bss")
	symtab := b.sec(".symtab")
	nsym := b.size(symtab) / 24
	h, buf := b.sym(symtab, 2), b.sym(symtab, 3) // h: .text+0xb, 2 bytes; buf: .bss+0, no size
	tableSize := uint64(len(b.ef.Sections) * 64)
	pastText := func(name string, value, size uint64) string {
		return fmt.Sprintf("symbol 2 (%s): at %#x+%#x past end of section %d (.text) (%#x bytes)", name, value, size, text, b.size(text))
	}
	return []bad{
		{"symbol-value", b.put64(h+stValue, 0x20), pastText("h", 0x20, 2)},
		{"symbol-size", b.put64(h+stSize, 0x10), pastText("h", 0xb, 0x10)},
		{"symbol-size-overflow", b.put64(h+stSize, ^uint64(0)), pastText("h", 0xb, ^uint64(0))},
		{"symbol-bss", b.put64(buf+stValue, 0x11),
			fmt.Sprintf("symbol 3 (buf): at 0x11+0x0 past end of section %d (.bss) (%#x bytes)", bss, b.ef.Sections[bss].Size)},
		{"symtab-info", b.put32(b.shdr(symtab, shInfo), uint32(nsym+1)),
			fmt.Sprintf("section %d (.symtab): sh_info %d out of range (%d symbols)", symtab, nsym+1, nsym)},
		{"shndx-link", b.put32(b.shdr(data, shType), uint32(elf.SHT_SYMTAB_SHNDX)),
			fmt.Sprintf("section %d (.data): sh_link 0 is not the symbol table (section %d)", data, symtab)},
		{"reloc-width", b.put64(b.off(rdata)+rOffset, 1),
			fmt.Sprintf("relocation 0 of section %d (.rela.data): R_X86_64_64 at 0x1+0x8 past end of section %d (.data) (%#x bytes)", rdata, data, b.size(data))},
		{"rela-nobits", b.put32(b.shdr(rdata, shInfo), uint32(bss)),
			fmt.Sprintf("section %d (.rela.data): sh_info %d is not a section that can be relocated (SHT_NOBITS)", rdata, bss)},
		{"rela-self", b.put32(b.shdr(rdata, shInfo), uint32(rdata)),
			fmt.Sprintf("section %d (.rela.data): sh_info %d is not a section that can be relocated (SHT_RELA)", rdata, rdata)},
		{"overlap", b.put64(b.shdr(data, shOffset), b.off(text)+4),
			fmt.Sprintf("section %d (.data): contents at %#x+%#x overlap section %d (.text) at %#x+%#x",
				data, b.off(text)+4, b.size(data), text, b.off(text), b.size(text))},
		{"overlap-elf-header", b.put64(b.shdr(text, shOffset), 0x20),
			fmt.Sprintf("section %d (.text): contents at 0x20+%#x overlap the ELF header at 0x0+0x40", text, b.size(text))},
		{"overlap-section-headers", b.put64(b.shdr(data, shOffset), b.shoff+8),
			fmt.Sprintf("section %d (.data): contents at %#x+%#x overlap the section header table at %#x+%#x",
				data, b.shoff+8, b.size(data), b.shoff, tableSize)},
		{"shoff-in-header", b.put64(eShoff, 8),
			fmt.Sprintf("section header table at 0x8+%#x overlaps the ELF header at 0x0+0x40", tableSize)},
		{"phentsize", b.phdrs(0x10000, 40), "e_phentsize 40, want 56"},
		{"phdrs-past-end", b.phdrs(0x10000, 56),
			fmt.Sprintf("truncated: program header table at 0x10000+0x38 past end of file (%#x)", len(b.data))},
		{"overlap-program-headers", b.phdrs(b.off(text), 56),
			fmt.Sprintf("section %d (.text): contents at %#x+%#x overlap the program header table at %#x+0x38",
				text, b.off(text), b.size(text), b.off(text))},
	}
}

// sec returns the index of the section called name.
func (b *base) sec(name string) int {
	for i, s := range b.ef.Sections {
		if s.Name == name {
			return i
		}
	}
	log.Fatalf("base.o has no section %s", name)
	return 0
}

func (b *base) off(i int) uint64  { return b.ef.Sections[i].Offset }
func (b *base) size(i int) uint64 { return b.ef.Sections[i].FileSize }

// shdr returns the file offset of field off of section header i.
func (b *base) shdr(i int, off uint64) uint64 { return b.shoff + uint64(i)*64 + off }

// sym returns the file offset of entry i of symbol table section st.
func (b *base) sym(st, i int) uint64 { return b.off(st) + uint64(i)*24 }

// copyOf returns a copy of the first of in, or of base.o when none is given.
func (b *base) copyOf(in [][]byte) []byte {
	if len(in) > 0 {
		return bytes.Clone(in[0])
	}
	return bytes.Clone(b.data)
}

// put8, put16, put32 and put64 return a copy of base.o (or of in) with v
// written at off.
func (b *base) put8(off uint64, v uint8, in ...[]byte) []byte {
	d := b.copyOf(in)
	d[off] = v
	return d
}

func (b *base) put16(off uint64, v uint16, in ...[]byte) []byte {
	d := b.copyOf(in)
	le.PutUint16(d[off:], v)
	return d
}

func (b *base) put32(off uint64, v uint32, in ...[]byte) []byte {
	d := b.copyOf(in)
	le.PutUint32(d[off:], v)
	return d
}

func (b *base) put64(off uint64, v uint64, in ...[]byte) []byte {
	d := b.copyOf(in)
	le.PutUint64(d[off:], v)
	return d
}

// phdrs returns a copy of base.o given one program header, of entsize
// bytes, at off.
func (b *base) phdrs(off uint64, entsize uint16) []byte {
	return b.put16(ePhnum, 1, b.put16(ePhentsize, entsize, b.put64(ePhoff, off)))
}

// midData moves the section header table and the section name table to
// just after the ELF header, then cuts the file in the middle of section
// sec, so that the headers and names are whole but sec's contents are not.
func (b *base) midData(sec int) ([]byte, string) {
	shstr := b.sec(".shstrtab")
	table := bytes.Clone(b.data[b.shoff : b.shoff+uint64(len(b.ef.Sections))*64])
	names := b.data[b.off(shstr) : b.off(shstr)+b.size(shstr)]
	shift := uint64(len(table) + len(names))
	for i, s := range b.ef.Sections {
		if i == 0 || s.Type == elf.SHT_NOBITS {
			continue
		}
		at := table[i*64+shOffset:]
		le.PutUint64(at, le.Uint64(at)+shift)
	}
	le.PutUint64(table[shstr*64+shOffset:], 64+uint64(len(table)))
	var d []byte
	d = append(d, b.data[:64]...)
	le.PutUint64(d[eShoff:], 64)
	d = append(d, table...)
	d = append(d, names...)
	d = append(d, b.data[64:]...)
	start := b.off(sec) + shift
	d = d[:start+b.size(sec)/2]
	return d, fmt.Sprintf("section %d (.text): contents at %#x+%#x past end of file (%#x)",
		sec, start, b.size(sec), len(d))
}

// unterminated overwrites the NUL that ends string table strtab, and
// returns the message for the first symbol of symtab named by that last
// string.
func (b *base) unterminated(strtab, symtab int) ([]byte, string) {
	end := b.off(strtab) + b.size(strtab) - 1
	d := b.put8(end, 'x')
	strs := b.data[b.off(strtab) : end+1]
	last := uint32(bytes.LastIndexByte(strs[:len(strs)-1], 0) + 1)
	nsym := int(b.size(symtab) / 24)
	for i := range nsym {
		if off := le.Uint32(b.data[b.sym(symtab, i):]); off >= last {
			return d, fmt.Sprintf("symbol %d: name at offset %#x of section %d (.strtab) is not NUL-terminated", i, off, strtab)
		}
	}
	log.Fatal("no symbol is named by the last string of .strtab")
	return nil, ""
}
