package decode

import (
	"debug/elf"
	"fmt"
	"strings"
)

// relocWidth returns how many bytes from its offset a relocation of type t
// rewrites on machine m. A type not in relocWidths (R_*_NONE, markers such
// as R_PPC64_TLS, types the kernel never uses) counts as one byte: its
// offset must still lie in the section.
func relocWidth(m elf.Machine, t uint32) uint64 {
	if w := relocWidths[m][t]; w != 0 {
		return uint64(w)
	}
	if m == elf.EM_AARCH64 && isA64InsnReloc(t) {
		return 4
	}
	return 1
}

// isA64InsnReloc reports whether t is one of AArch64's static relocations
// that patch one 4-byte instruction: ELF for the Arm 64-bit Architecture
// numbers them 263 to 313 (all but the data relocations 307 and 308, in
// relocWidths) and 512 to 573 (TLS).
func isA64InsnReloc(t uint32) bool {
	return 263 <= t && t <= 313 || 512 <= t && t <= 573
}

// relocWidths holds, for each machine, the width in bytes of each
// relocation type that rewrites more than one byte. On big-endian ppc64 a
// 16-bit relocation of an instruction's immediate has the offset of that
// halfword, so two bytes is right for both byte orders.
var relocWidths = map[elf.Machine]map[uint32]uint8{
	elf.EM_X86_64: widthTable(map[uint8][]elf.R_X86_64{
		8: {elf.R_X86_64_64, elf.R_X86_64_DTPMOD64, elf.R_X86_64_DTPOFF64, elf.R_X86_64_TPOFF64,
			elf.R_X86_64_PC64, elf.R_X86_64_GOTOFF64, elf.R_X86_64_GOT64, elf.R_X86_64_GOTPCREL64,
			elf.R_X86_64_GOTPC64, elf.R_X86_64_GOTPLT64, elf.R_X86_64_PLTOFF64, elf.R_X86_64_SIZE64},
		4: {elf.R_X86_64_PC32, elf.R_X86_64_GOT32, elf.R_X86_64_PLT32, elf.R_X86_64_GOTPCREL,
			elf.R_X86_64_32, elf.R_X86_64_32S, elf.R_X86_64_TLSGD, elf.R_X86_64_TLSLD,
			elf.R_X86_64_DTPOFF32, elf.R_X86_64_GOTTPOFF, elf.R_X86_64_TPOFF32, elf.R_X86_64_GOTPC32,
			elf.R_X86_64_SIZE32, elf.R_X86_64_GOTPC32_TLSDESC, elf.R_X86_64_PC32_BND,
			elf.R_X86_64_PLT32_BND, elf.R_X86_64_GOTPCRELX, elf.R_X86_64_REX_GOTPCRELX},
		2: {elf.R_X86_64_16, elf.R_X86_64_PC16},
	}),
	elf.EM_AARCH64: widthTable(map[uint8][]elf.R_AARCH64{
		8: {elf.R_AARCH64_ABS64, elf.R_AARCH64_PREL64, 307 /* GOTREL64 */},
		4: {elf.R_AARCH64_ABS32, elf.R_AARCH64_PREL32, 308 /* GOTREL32 */, 314 /* PLT32 */},
		2: {elf.R_AARCH64_ABS16, elf.R_AARCH64_PREL16},
	}),
	elf.EM_PPC64: widthTable(map[uint8][]elf.R_PPC64{
		8: ppc64Widths8,
		4: ppc64Widths4,
		2: ppc64Widths2,
	}),
}

// ppc64Widths8 are the 8-byte ppc64 relocations: doublewords and the
// 34-bit immediates of prefixed instructions.
var ppc64Widths8 = []elf.R_PPC64{
	elf.R_PPC64_ADDR64, elf.R_PPC64_UADDR64, elf.R_PPC64_REL64, elf.R_PPC64_PLT64,
	elf.R_PPC64_PLTREL64, elf.R_PPC64_TOC, elf.R_PPC64_DTPMOD64, elf.R_PPC64_TPREL64,
	elf.R_PPC64_DTPREL64, elf.R_PPC64_ADDR64_LOCAL,
	elf.R_PPC64_D34, elf.R_PPC64_D34_LO, elf.R_PPC64_D34_HI30, elf.R_PPC64_D34_HA30,
	elf.R_PPC64_PCREL34, elf.R_PPC64_GOT_PCREL34, elf.R_PPC64_PLT_PCREL34, elf.R_PPC64_PLT_PCREL34_NOTOC,
	elf.R_PPC64_TPREL34, elf.R_PPC64_DTPREL34, elf.R_PPC64_GOT_TLSGD_PCREL34,
	elf.R_PPC64_GOT_TLSLD_PCREL34, elf.R_PPC64_GOT_TPREL_PCREL34, elf.R_PPC64_GOT_DTPREL_PCREL34,
}

// ppc64Widths4 are the 4-byte ppc64 relocations: words and the branch
// fields of instructions.
var ppc64Widths4 = []elf.R_PPC64{
	elf.R_PPC64_ADDR32, elf.R_PPC64_ADDR24, elf.R_PPC64_ADDR14, elf.R_PPC64_ADDR14_BRTAKEN,
	elf.R_PPC64_ADDR14_BRNTAKEN, elf.R_PPC64_REL24, elf.R_PPC64_REL14, elf.R_PPC64_REL14_BRTAKEN,
	elf.R_PPC64_REL14_BRNTAKEN, elf.R_PPC64_UADDR32, elf.R_PPC64_REL32, elf.R_PPC64_PLT32,
	elf.R_PPC64_PLTREL32, elf.R_PPC64_REL30, elf.R_PPC64_REL24_NOTOC, elf.R_PPC64_REL24_P9NOTOC,
}

// ppc64Widths2 are the 2-byte ppc64 relocations: halfwords, among them
// every 16-bit instruction immediate.
var ppc64Widths2 = []elf.R_PPC64{
	elf.R_PPC64_ADDR16, elf.R_PPC64_ADDR16_LO, elf.R_PPC64_ADDR16_HI, elf.R_PPC64_ADDR16_HA,
	elf.R_PPC64_GOT16, elf.R_PPC64_GOT16_LO, elf.R_PPC64_GOT16_HI, elf.R_PPC64_GOT16_HA,
	elf.R_PPC64_UADDR16, elf.R_PPC64_PLT16_LO, elf.R_PPC64_PLT16_HI, elf.R_PPC64_PLT16_HA,
	elf.R_PPC64_SECTOFF, elf.R_PPC64_SECTOFF_LO, elf.R_PPC64_SECTOFF_HI, elf.R_PPC64_SECTOFF_HA,
	elf.R_PPC64_ADDR16_HIGHER, elf.R_PPC64_ADDR16_HIGHERA, elf.R_PPC64_ADDR16_HIGHEST, elf.R_PPC64_ADDR16_HIGHESTA,
	elf.R_PPC64_TOC16, elf.R_PPC64_TOC16_LO, elf.R_PPC64_TOC16_HI, elf.R_PPC64_TOC16_HA,
	elf.R_PPC64_PLTGOT16, elf.R_PPC64_PLTGOT16_LO, elf.R_PPC64_PLTGOT16_HI, elf.R_PPC64_PLTGOT16_HA,
	elf.R_PPC64_ADDR16_DS, elf.R_PPC64_ADDR16_LO_DS, elf.R_PPC64_GOT16_DS, elf.R_PPC64_GOT16_LO_DS,
	elf.R_PPC64_PLT16_LO_DS, elf.R_PPC64_SECTOFF_DS, elf.R_PPC64_SECTOFF_LO_DS, elf.R_PPC64_TOC16_DS,
	elf.R_PPC64_TOC16_LO_DS, elf.R_PPC64_PLTGOT16_DS, elf.R_PPC64_PLTGOT_LO_DS,
	elf.R_PPC64_TPREL16, elf.R_PPC64_TPREL16_LO, elf.R_PPC64_TPREL16_HI, elf.R_PPC64_TPREL16_HA,
	elf.R_PPC64_DTPREL16, elf.R_PPC64_DTPREL16_LO, elf.R_PPC64_DTPREL16_HI, elf.R_PPC64_DTPREL16_HA,
	elf.R_PPC64_GOT_TLSGD16, elf.R_PPC64_GOT_TLSGD16_LO, elf.R_PPC64_GOT_TLSGD16_HI, elf.R_PPC64_GOT_TLSGD16_HA,
	elf.R_PPC64_GOT_TLSLD16, elf.R_PPC64_GOT_TLSLD16_LO, elf.R_PPC64_GOT_TLSLD16_HI, elf.R_PPC64_GOT_TLSLD16_HA,
	elf.R_PPC64_GOT_TPREL16_DS, elf.R_PPC64_GOT_TPREL16_LO_DS, elf.R_PPC64_GOT_TPREL16_HI, elf.R_PPC64_GOT_TPREL16_HA,
	elf.R_PPC64_GOT_DTPREL16_DS, elf.R_PPC64_GOT_DTPREL16_LO_DS, elf.R_PPC64_GOT_DTPREL16_HI, elf.R_PPC64_GOT_DTPREL16_HA,
	elf.R_PPC64_TPREL16_DS, elf.R_PPC64_TPREL16_LO_DS, elf.R_PPC64_TPREL16_HIGHER, elf.R_PPC64_TPREL16_HIGHERA,
	elf.R_PPC64_TPREL16_HIGHEST, elf.R_PPC64_TPREL16_HIGHESTA,
	elf.R_PPC64_DTPREL16_DS, elf.R_PPC64_DTPREL16_LO_DS, elf.R_PPC64_DTPREL16_HIGHER, elf.R_PPC64_DTPREL16_HIGHERA,
	elf.R_PPC64_DTPREL16_HIGHEST, elf.R_PPC64_DTPREL16_HIGHESTA,
	elf.R_PPC64_ADDR16_HIGH, elf.R_PPC64_ADDR16_HIGHA, elf.R_PPC64_TPREL16_HIGH, elf.R_PPC64_TPREL16_HIGHA,
	elf.R_PPC64_DTPREL16_HIGH, elf.R_PPC64_DTPREL16_HIGHA,
	elf.R_PPC64_ADDR16_HIGHER34, elf.R_PPC64_ADDR16_HIGHERA34, elf.R_PPC64_ADDR16_HIGHEST34, elf.R_PPC64_ADDR16_HIGHESTA34,
	elf.R_PPC64_REL16_HIGHER34, elf.R_PPC64_REL16_HIGHERA34, elf.R_PPC64_REL16_HIGHEST34, elf.R_PPC64_REL16_HIGHESTA34,
	elf.R_PPC64_REL16_HIGH, elf.R_PPC64_REL16_HIGHA, elf.R_PPC64_REL16_HIGHER, elf.R_PPC64_REL16_HIGHERA,
	elf.R_PPC64_REL16_HIGHEST, elf.R_PPC64_REL16_HIGHESTA,
	elf.R_PPC64_REL16, elf.R_PPC64_REL16_LO, elf.R_PPC64_REL16_HI, elf.R_PPC64_REL16_HA,
}

// widthTable turns lists of relocation types by width into a table by type.
func widthTable[T ~int](byWidth map[uint8][]T) map[uint32]uint8 {
	t := make(map[uint32]uint8)
	for w, types := range byWidth {
		for _, typ := range types {
			t[uint32(typ)] = w
		}
	}
	return t
}

// relocTypeName names relocation type t of machine m for messages as
// debug/elf does ("R_X86_64_64"), or "type 314" when debug/elf has no name
// for it (it would say "R_AARCH64_LD64_GOTPAGE_LO15+1").
func relocTypeName(m elf.Machine, t uint32) string {
	var name string
	switch m {
	case elf.EM_X86_64:
		name = elf.R_X86_64(t).String()
	case elf.EM_AARCH64:
		name = elf.R_AARCH64(t).String()
	case elf.EM_PPC64:
		name = elf.R_PPC64(t).String()
	}
	if !strings.HasPrefix(name, "R_") || strings.Contains(name, "+") {
		return fmt.Sprintf("type %d", t)
	}
	return name
}
