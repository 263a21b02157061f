package arm64

import (
	"debug/elf"

	"github.com/objcheck/objcheck/arch"
)

// relocs returns the AArch64 relocation types.
func relocs() arch.Relocs {
	return arch.Relocs{
		Width: relocWidth,
		Name:  func(t uint32) string { return elf.R_AARCH64(t).String() },
		Abs:   []uint32{uint32(elf.R_AARCH64_ABS64), uint32(elf.R_AARCH64_ABS32)},
	}
}

// relocWidth returns how many bytes a relocation of type t rewrites: its
// data width, or 4 for one that patches an instruction.
func relocWidth(t uint32) uint64 {
	if w := dataRelocWidth(t); w != 0 {
		return w
	}
	if isInsnReloc(t) {
		return 4
	}
	return 0
}

// isInsnReloc reports whether t is one of AArch64's static relocations
// that patch one 4-byte instruction: ELF for the Arm 64-bit Architecture
// numbers them 263 to 313 (all but the data relocations 307 and 308, in
// dataRelocWidth) and 512 to 573 (TLS).
func isInsnReloc(t uint32) bool {
	return 263 <= t && t <= 313 || 512 <= t && t <= 573
}

// dataRelocWidth returns the width in bytes of each data relocation type.
var dataRelocWidth = arch.WidthTable(func() map[uint8][]elf.R_AARCH64 {
	return map[uint8][]elf.R_AARCH64{
		8: {elf.R_AARCH64_ABS64, elf.R_AARCH64_PREL64, 307 /* GOTREL64 */},
		4: {elf.R_AARCH64_ABS32, elf.R_AARCH64_PREL32, 308 /* GOTREL32 */, 314 /* PLT32 */},
		2: {elf.R_AARCH64_ABS16, elf.R_AARCH64_PREL16},
	}
})
