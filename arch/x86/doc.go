// Package x86 describes x86-64 for the checker: its registers and entry
// state, and Decode, which reports for each instruction exactly what Linux
// 6.12 objtool's x86 decoder reports (length, instruction type, stack
// operations, branch target).
//
// golang.org/x/arch/x86/x86asm decodes the instructions: their length,
// prefixes, opcode and operands. The classification on top of them, what
// objtool's decode.c makes of each instruction, is this package's own
// (classify.go). Where x86asm fails, or is known to give another length
// than the kernel's decoder, a small fallback of this package's own takes
// over (fallback.go): a table of the system instructions the kernel uses
// that x86asm does not know (clac, stac, vmcall, endbr64, ...), and a
// generic rule for the ModRM instructions of the 0f, 0f 38 and 0f 3a maps
// (lkgs, tpause, enqcmd, ...).
//
// objtool decodes every executable section linearly, so the length of
// every instruction must be the one objtool sees. The corpus tests check
// that, and the oracle tests (testdata/oracle) compare Decode with
// objtool's own decoder; the encodings on which they legitimately differ,
// none of which an assembler emits for the kernel, are listed in the
// tests (knownDifferences, validEncoding).
package x86
