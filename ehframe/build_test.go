package ehframe

import (
	"debug/elf"
	"encoding/binary"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/arch/arm64"
	"github.com/objcheck/objcheck/arch/ppc64"
	"github.com/objcheck/objcheck/arch/x86"
	"github.com/objcheck/objcheck/decode"
)

// A frameBuilder assembles a frame section by hand, with the relocations
// an assembler would give it, and wraps it in a decode.File whose .text
// is textSize bytes.
type frameBuilder struct {
	machine elf.Machine
	order   binary.ByteOrder
	debug   bool // .debug_frame rather than .eh_frame
	dwarf64 bool // 64-bit DWARF entries
	abs8    bool // .eh_frame FDE addresses are absolute 8-byte (udata8)
	version byte // of CIEs; 0 for 1 (4 in 64-bit .debug_frame)
	buf     []byte
	relocs  []decode.Reloc
	text    *decode.Section
	textSym *decode.Symbol
	frame   *decode.Section
	sym     *decode.Symbol // the frame section's own symbol
}

const textSize = 0x100000

// newBuilder returns a builder of .eh_frame (or .debug_frame if debug)
// for machine m in byte order o.
func newBuilder(m elf.Machine, o binary.ByteOrder, debug bool) *frameBuilder {
	b := &frameBuilder{machine: m, order: o, debug: debug}
	b.text = &decode.Section{Index: 1, Name: ".text", Type: elf.SHT_PROGBITS, Flags: elf.SHF_ALLOC | elf.SHF_EXECINSTR, Size: textSize}
	b.textSym = &decode.Symbol{Index: 1, Type: elf.STT_SECTION, Shndx: 1, Section: b.text}
	name := ".eh_frame"
	if debug {
		name = ".debug_frame"
	}
	b.frame = &decode.Section{Index: 2, Name: name, Type: elf.SHT_PROGBITS}
	b.sym = &decode.Symbol{Index: 2, Type: elf.STT_SECTION, Shndx: 2, Section: b.frame}
	return b
}

// file returns the object holding what was built.
func (b *frameBuilder) file() *decode.File {
	b.frame.Data, b.frame.Size, b.frame.Relocs = b.buf, uint64(len(b.buf)), b.relocs
	return &decode.File{
		Name: "hand.o", Machine: b.machine, ByteOrder: b.order, Arch: newArch[b.machine](b.order),
		Sections: []*decode.Section{{}, b.text, b.frame},
		Symbols:  []*decode.Symbol{{}, b.textSym, b.sym},
	}
}

// newArch returns the architecture of each machine, as decode picks it.
var newArch = map[elf.Machine]func(binary.ByteOrder) *arch.Arch{
	elf.EM_X86_64:  func(binary.ByteOrder) *arch.Arch { return x86.New() },
	elf.EM_AARCH64: func(binary.ByteOrder) *arch.Arch { return arm64.New() },
	elf.EM_PPC64:   ppc64.New,
}

// relocTypes are the relocation types of a 32-bit pc-relative and a
// 64-bit absolute address, by machine. Read does not look at them, but
// the sections built look real.
var relocTypes = map[elf.Machine][2]uint32{
	elf.EM_X86_64:  {uint32(elf.R_X86_64_PC32), uint32(elf.R_X86_64_64)},
	elf.EM_AARCH64: {uint32(elf.R_AARCH64_PREL32), uint32(elf.R_AARCH64_ABS64)},
	elf.EM_PPC64:   {uint32(elf.R_PPC64_REL32), uint32(elf.R_PPC64_ADDR64)},
}

// u32, u64 append words in the builder's byte order.
func (b *frameBuilder) u32(v uint32) { b.buf = b.order.(binary.AppendByteOrder).AppendUint32(b.buf, v) }
func (b *frameBuilder) u64(v uint64) { b.buf = b.order.(binary.AppendByteOrder).AppendUint64(b.buf, v) }

// header starts an entry: its length (patched by end) and its id.
func (b *frameBuilder) header(id uint64) (start int) {
	start = len(b.buf)
	if b.dwarf64 {
		b.u32(0xffffffff)
		b.u64(0)
		b.u64(id)
	} else {
		b.u32(0)
		b.u32(uint32(id))
	}
	return start
}

// end patches the length of the entry begun at start, padding it to a
// multiple of 4 with DW_CFA_nop.
func (b *frameBuilder) end(start int) {
	for len(b.buf)%4 != 0 {
		b.buf = append(b.buf, 0)
	}
	if b.dwarf64 {
		b.order.PutUint64(b.buf[start+4:], uint64(len(b.buf)-start-12))
	} else {
		b.order.PutUint32(b.buf[start:], uint32(len(b.buf)-start-4))
	}
}

// cie appends a version 1 CIE (version 4 in 64-bit .debug_frame) and
// returns its offset. augData follows the augmentation string's "z".
func (b *frameBuilder) cie(aug string, codeAlign uint64, dataAlign int64, ra uint8, augData []byte, insns ...byte) uint64 {
	id := uint64(0)
	if b.debug {
		id = 0xffffffff
		if b.dwarf64 {
			id = ^uint64(0)
		}
	}
	start := b.header(id)
	version := byte(1)
	switch {
	case b.version != 0:
		version = b.version
	case b.debug && b.dwarf64:
		version = 4
	}
	b.buf = append(b.buf, version)
	b.buf = append(append(b.buf, aug...), 0)
	if version == 4 {
		b.buf = append(b.buf, 8, 0)
	}
	b.buf = append(b.buf, uleb(codeAlign)...)
	b.buf = append(b.buf, sleb(dataAlign)...)
	if version == 1 {
		b.buf = append(b.buf, ra)
	} else {
		b.buf = append(b.buf, uleb(uint64(ra))...)
	}
	if len(aug) > 0 && aug[0] == 'z' {
		b.buf = append(b.buf, uleb(uint64(len(augData)))...)
		b.buf = append(b.buf, augData...)
	}
	b.buf = append(b.buf, insns...)
	b.end(start)
	return uint64(start)
}

// fde appends an FDE of CIE cieOff for .text [start, start+length), with
// augmentation data (augmented: the CIE has "z") and instructions.
func (b *frameBuilder) fde(cieOff uint64, augmented bool, start, length uint64, insns ...byte) uint64 {
	at := len(b.buf)
	idOff := uint64(at + 4)
	if b.dwarf64 {
		idOff += 8
	}
	id := idOff - cieOff
	if b.debug {
		id = 0
	}
	b.header(id)
	if b.debug {
		b.relocs = append(b.relocs, decode.Reloc{Offset: idOff, Type: 10, Sym: b.sym, Addend: int64(cieOff)})
	}
	b.address(start)
	if b.debug || b.abs8 {
		b.u64(length)
	} else {
		b.u32(uint32(length))
	}
	if augmented {
		b.buf = append(b.buf, 0)
	}
	b.buf = append(b.buf, insns...)
	b.end(at)
	return uint64(at)
}

// address appends a code address, .text+off: pc-relative sdata4 in
// .eh_frame, absolute in .debug_frame, with its relocation.
func (b *frameBuilder) address(off uint64) {
	r := decode.Reloc{Offset: uint64(len(b.buf)), Sym: b.textSym, Addend: int64(off)}
	if b.debug || b.abs8 {
		r.Type = relocTypes[b.machine][1]
		b.u64(0)
	} else {
		r.Type = relocTypes[b.machine][0]
		b.u32(0)
	}
	b.relocs = append(b.relocs, r)
}

// uleb encodes v as unsigned LEB128.
func uleb(v uint64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(out, c)
		}
		out = append(out, c|0x80)
	}
}

// sleb encodes v as signed LEB128.
func sleb(v int64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(out, c)
		}
		out = append(out, c|0x80)
	}
}

// cat concatenates byte slices, to write instructions with LEB operands.
func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
