// Package x86 describes x86-64 for the checker: its registers and entry
// state, and Decode, which reports for each instruction exactly what Linux
// 6.12 objtool's x86 decoder reports (length, instruction type, stack
// operations, branch target).
//
// The kernel's own opcode tables decode the instructions first (opmap.go):
// generated from the kernel's opcode map (arch/x86/lib/x86-opcode-map.txt)
// by internal/mkopmap, they are read the way the kernel's decoder reads
// them, so that every instruction the map knows (system instructions, VIA
// PadLock, 3DNow!, AMX, AVX512-FP16, ...) gets the kernel's length,
// prefixes, opcode, ModRM, displacement and immediate; they are also four
// times as fast as x86asm. golang.org/x/arch/x86/x86asm decodes what they
// leave: VEX and EVEX instructions, and opcodes the map does not define
// for 64-bit mode, which are refused if x86asm refuses them too, where
// the kernel's decoder would take any byte. The classification on top,
// what objtool's decode.c makes of each instruction, is this package's
// own (classify.go).
//
// objtool decodes every executable section linearly, so the length of
// every instruction must be the one objtool sees. The corpus tests check
// that (and the whole of a linked vmlinux.o against objdump), and the
// oracle tests (testdata/oracle) compare Decode with objtool's own
// decoder, and the opcode tables alone with it on every generated input;
// the encodings on which Decode legitimately differs, none of which an
// assembler emits for the kernel, are listed in the tests
// (knownDifferences, validEncoding).
package x86
