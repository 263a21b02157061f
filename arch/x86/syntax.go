package x86

import (
	"golang.org/x/arch/x86/x86asm"

	"github.com/objcheck/objcheck/arch"
)

// syntax is how objdump prints x86-64 code: bytes it cannot decode as
// .byte, destinations counted from the next instruction, and the
// unsuffixed branch names of today's binutils.
func syntax() arch.Syntax {
	return arch.Syntax{Text: gnuText, Fallback: ".byte", Data: ".byte", FromNext: true,
		Aliases: map[string]string{"retq": "ret", "callq": "call", "jmpq": "jmp", "leaveq": "leave"}}
}

// gnuText is arch.Syntax's Text for x86-64.
func gnuText(code []byte, pc uint64, n int) (string, bool) {
	inst, err := x86asm.Decode(code, 64)
	if err != nil || inst.Len != n {
		return "", false
	}
	return x86asm.GNUSyntax(inst, pc, nil), true
}

// regNames names the registers of the stack state, by CFI number.
func regNames() []string {
	return []string{"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "ra"}
}
