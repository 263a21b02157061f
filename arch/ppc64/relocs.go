package ppc64

import (
	"debug/elf"

	"github.com/objcheck/objcheck/arch"
)

// relocs returns the 64-bit Power relocation types.
func relocs() arch.Relocs {
	return arch.Relocs{
		Width: relocWidth,
		Name:  func(t uint32) string { return elf.R_PPC64(t).String() },
		Abs:   []uint32{uint32(elf.R_PPC64_ADDR64), uint32(elf.R_PPC64_ADDR32)},
	}
}

// relocWidth returns the width in bytes of each relocation type that
// rewrites more than one byte. On big-endian ppc64 a 16-bit relocation of
// an instruction's immediate has the offset of that halfword, so two
// bytes is right for both byte orders.
var relocWidth = arch.WidthTable(func() map[uint8][]elf.R_PPC64 {
	return map[uint8][]elf.R_PPC64{8: relocWidths8, 4: relocWidths4, 2: relocWidths2}
})

// relocWidths8 are the 8-byte ppc64 relocations: doublewords and the
// 34-bit immediates of prefixed instructions.
var relocWidths8 = []elf.R_PPC64{
	elf.R_PPC64_ADDR64, elf.R_PPC64_UADDR64, elf.R_PPC64_REL64, elf.R_PPC64_PLT64,
	elf.R_PPC64_PLTREL64, elf.R_PPC64_TOC, elf.R_PPC64_DTPMOD64, elf.R_PPC64_TPREL64,
	elf.R_PPC64_DTPREL64, elf.R_PPC64_ADDR64_LOCAL,
	elf.R_PPC64_D34, elf.R_PPC64_D34_LO, elf.R_PPC64_D34_HI30, elf.R_PPC64_D34_HA30,
	elf.R_PPC64_PCREL34, elf.R_PPC64_GOT_PCREL34, elf.R_PPC64_PLT_PCREL34, elf.R_PPC64_PLT_PCREL34_NOTOC,
	elf.R_PPC64_TPREL34, elf.R_PPC64_DTPREL34, elf.R_PPC64_GOT_TLSGD_PCREL34,
	elf.R_PPC64_GOT_TLSLD_PCREL34, elf.R_PPC64_GOT_TPREL_PCREL34, elf.R_PPC64_GOT_DTPREL_PCREL34,
}

// relocWidths4 are the 4-byte ppc64 relocations: words and the branch
// fields of instructions.
var relocWidths4 = []elf.R_PPC64{
	elf.R_PPC64_ADDR32, elf.R_PPC64_ADDR24, elf.R_PPC64_ADDR14, elf.R_PPC64_ADDR14_BRTAKEN,
	elf.R_PPC64_ADDR14_BRNTAKEN, elf.R_PPC64_REL24, elf.R_PPC64_REL14, elf.R_PPC64_REL14_BRTAKEN,
	elf.R_PPC64_REL14_BRNTAKEN, elf.R_PPC64_UADDR32, elf.R_PPC64_REL32, elf.R_PPC64_PLT32,
	elf.R_PPC64_PLTREL32, elf.R_PPC64_REL30, elf.R_PPC64_REL24_NOTOC, elf.R_PPC64_REL24_P9NOTOC,
}

// relocWidths2 are the 2-byte ppc64 relocations: halfwords, among them
// every 16-bit instruction immediate.
var relocWidths2 = []elf.R_PPC64{
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
