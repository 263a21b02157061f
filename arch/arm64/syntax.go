package arm64

import (
	"golang.org/x/arch/arm64/arm64asm"

	"github.com/objcheck/objcheck/arch"
)

// syntax is how objdump prints arm64 code: words it cannot decode as
// .inst, data as .word, and the pointer-authentication and branch-target
// hints by their names.
func syntax() arch.Syntax {
	return arch.Syntax{Text: gnuText, Fallback: ".inst", Data: ".word", Word: "0x%08x",
		Aliases: map[string]string{"hint #0x19": "paciasp", "hint #0x1b": "pacibsp",
			"hint #0x1d": "autiasp", "hint #0x1f": "autibsp", "hint #0x22": "bti c",
			"hint #0x24": "bti j", "hint #0x26": "bti jc", "hint #0x20": "bti", "hint #0x7": "xpaclri"}}
}

// gnuText is arch.Syntax's Text for arm64.
func gnuText(code []byte, _ uint64, n int) (string, bool) {
	inst, err := arm64asm.Decode(code)
	if err != nil || n != 4 {
		return "", false
	}
	return arm64asm.GNUSyntax(inst), true
}
