package x86

import (
	"debug/elf"

	"github.com/objcheck/objcheck/arch"
)

// relocs returns the x86-64 relocation types.
func relocs() arch.Relocs {
	return arch.Relocs{
		Width: relocWidth,
		Name:  func(t uint32) string { return elf.R_X86_64(t).String() },
		Abs:   []uint32{uint32(elf.R_X86_64_64), uint32(elf.R_X86_64_32), uint32(elf.R_X86_64_32S)},
	}
}

// relocWidth returns the width in bytes of each relocation type that
// rewrites more than one byte.
var relocWidth = arch.WidthTable(func() map[uint8][]elf.R_X86_64 {
	return map[uint8][]elf.R_X86_64{
		8: {elf.R_X86_64_64, elf.R_X86_64_DTPMOD64, elf.R_X86_64_DTPOFF64, elf.R_X86_64_TPOFF64,
			elf.R_X86_64_PC64, elf.R_X86_64_GOTOFF64, elf.R_X86_64_GOT64, elf.R_X86_64_GOTPCREL64,
			elf.R_X86_64_GOTPC64, elf.R_X86_64_GOTPLT64, elf.R_X86_64_PLTOFF64, elf.R_X86_64_SIZE64},
		4: {elf.R_X86_64_PC32, elf.R_X86_64_GOT32, elf.R_X86_64_PLT32, elf.R_X86_64_GOTPCREL,
			elf.R_X86_64_32, elf.R_X86_64_32S, elf.R_X86_64_TLSGD, elf.R_X86_64_TLSLD,
			elf.R_X86_64_DTPOFF32, elf.R_X86_64_GOTTPOFF, elf.R_X86_64_TPOFF32, elf.R_X86_64_GOTPC32,
			elf.R_X86_64_SIZE32, elf.R_X86_64_GOTPC32_TLSDESC, elf.R_X86_64_PC32_BND,
			elf.R_X86_64_PLT32_BND, elf.R_X86_64_GOTPCRELX, elf.R_X86_64_REX_GOTPCRELX},
		2: {elf.R_X86_64_16, elf.R_X86_64_PC16},
	}
})
