// Package x86 describes x86-64 for the checker: its registers and entry
// state, and Decode, which reports for each instruction exactly what Linux
// 6.12 objtool's x86 decoder reports (length, instruction type, stack
// operations, branch target).
//
// Lengths come from a decoder with the same opcode tables and the same
// rules as the kernel's (tools/arch/x86/lib/insn.c), not from x86asm:
// objtool decodes every executable section linearly, so any instruction,
// valid or not, must take the bytes objtool gives it, and x86asm both
// rejects system instructions the kernel uses and allocates per memory
// operand.
package x86
