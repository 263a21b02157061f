package ppc64

import (
	"encoding/binary"

	"github.com/objcheck/objcheck/internal/xarch/ppc64asm"

	"github.com/objcheck/objcheck/arch"
)

// syntax is how objdump prints ppc64 code in byte order order: words it
// cannot decode, and data, as .long.
func syntax(order binary.ByteOrder) arch.Syntax {
	return arch.Syntax{Fallback: ".long", Data: ".long", Word: "0x%x",
		Text: func(code []byte, pc uint64, n int) (string, bool) {
			inst, err := ppc64asm.Decode(code, order)
			if err != nil || inst.Len != n {
				return "", false
			}
			return ppc64asm.GNUSyntax(inst, pc), true
		}}
}
