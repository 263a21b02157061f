package decode

import (
	"fmt"
	"strings"

	"github.com/objcheck/objcheck/arch"
)

// relocWidth returns how many bytes from its offset a relocation of type t
// rewrites on architecture a. A type of no width (R_*_NONE, markers such
// as R_PPC64_TLS, types the kernel never uses) counts as one byte: its
// offset must still lie in the section.
func relocWidth(a *arch.Arch, t uint32) uint64 {
	if a.Relocs.Width != nil {
		if w := a.Relocs.Width(t); w != 0 {
			return w
		}
	}
	return 1
}

// relocTypeName names relocation type t of architecture a for messages as
// debug/elf does ("R_X86_64_64"), or "type 314" when debug/elf has no name
// for it (it would say "R_AARCH64_LD64_GOTPAGE_LO15+1").
func relocTypeName(a *arch.Arch, t uint32) string {
	var name string
	if a.Relocs.Name != nil {
		name = a.Relocs.Name(t)
	}
	if !strings.HasPrefix(name, "R_") || strings.Contains(name, "+") {
		return fmt.Sprintf("type %d", t)
	}
	return name
}
