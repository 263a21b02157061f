// Package ppc64 decodes 64-bit Power (ppc64, ppc64le) machine code into
// arch.Insn values, on top of golang.org/x/arch/ppc64/ppc64asm (the copy in
// internal/xarch/ppc64asm: see its README).
//
// It says what each instruction is for control flow (its arch.Kind) and what
// it does to the registers the stack state tracks (its arch.StackOps); it
// never decides what is allowed, which is the checker's job. It does not read
// symbols, so the ELFv2 global entry (the TOC setup before a function's local
// entry point) decodes as ordinary instructions, and it does not tell
// switch-table data in .text from code: such words decode as
// arch.ErrUnknown when they are not instructions, and as whatever they
// happen to encode otherwise.
//
// Registers are numbered as objtool's powerpc CFI numbers them: r0 to r31 are
// 0 to 31 and the link register is 32, which is also the return-address
// register (CFI_RA). The stack pointer is r1 and the frame pointer r31.
//
// x/arch's ppc64 decoder writes package state on first use, so the Arch
// carries a DecodeLock, one for the process, that callers hold.
package ppc64
