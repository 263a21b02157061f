package arm64

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/arm64/arm64asm"
)

// testOff is the section offset the table tests decode at.
const testOff = 0x1000

// Expected stack operations, named short for the table.
var (
	cp  = copyOp
	add = addOp
	idx = indexOp
	ld  = loadOp
	st  = storeOp
	cst = constOp
)

func and(src arch.Reg, mask uint64, dst arch.Reg) arch.StackOp { return andOp(src, mask, dst) }

// insn is the expected instruction of kind k with the given stack operations.
func insn(k arch.Kind, ops ...arch.StackOp) arch.Insn {
	in := arch.Insn{Len: 4, Kind: k}
	for _, op := range ops {
		if !in.AddOp(op) {
			panic("too many stack operations in a test case")
		}
	}
	return in
}

// branch is the expected direct branch of kind k to testOff+disp.
func branch(k arch.Kind, disp int64) arch.Insn {
	return arch.Insn{Len: 4, Kind: k, HasTarget: true, Target: testOff + disp}
}

// pcRead is the expected bl .+4.
func pcRead(disp int64) arch.Insn {
	in := branch(arch.Call, disp)
	in.Flags = arch.FlagLinkRegCall
	return in
}

// trap is the expected brk or hlt with immediate imm.
func trap(k arch.Kind, imm int64) arch.Insn { return arch.Insn{Len: 4, Kind: k, Imm: imm} }

// decodeTests are words with the GNU assembler source they come from and
// the instruction Decode must make of them. TestDecodeTestsAssemble checks
// the words against the source.
var decodeTests = []struct {
	hex  string // the word, as objdump prints it
	asm  string
	want arch.Insn
}{
	// Direct branches: targets are section offsets (the test decodes at 0x1000).
	{"14000010", "b .+0x40", branch(arch.Jump, 64)},
	{"17fffffe", "b .-8", branch(arch.Jump, -8)},
	{"94000040", "bl .+0x100", branch(arch.Call, 256)},
	{"94000001", "bl .+4", pcRead(4)},
	{"94000000", "bl .", branch(arch.Call, 0)},
	{"54000100", "b.eq .+0x20", branch(arch.JumpCond, 32)},
	{"54ffff81", "b.ne .-0x10", branch(arch.JumpCond, -16)},
	{"5400004e", "b.al .+8", branch(arch.Jump, 8)},
	{"5400004f", "b.nv .+8", branch(arch.Jump, 8)},
	{"b4000080", "cbz x0, .+0x10", branch(arch.JumpCond, 16)},
	{"35ffffe1", "cbnz w1, .-4", branch(arch.JumpCond, -4)},
	{"b6f80102", "tbz x2, #63, .+0x20", branch(arch.JumpCond, 32)},
	{"37040003", "tbnz w3, #0, .-0x8000", branch(arch.JumpCond, -32768)},

	// Branches to registers, returns, exceptions.
	{"d61f0200", "br x16", insn(arch.JumpDynamic)},
	{"d63f0100", "blr x8", insn(arch.CallDynamic)},
	{"d65f03c0", "ret", insn(arch.Return)},
	{"d65f0020", "ret x1", insn(arch.Return)},
	{"d65f0bff", "retaa", insn(arch.Return)},
	{"d65f0fff", "retab", insn(arch.Return)},
	{"d69f03e0", "eret", insn(arch.ContextSwitch)},
	{"d4210000", "brk #0x800", trap(arch.Bug, 0x800)},
	{"d4202000", "brk #0x100", trap(arch.Trap, 0x100)},
	{"d4207d00", "brk #0x3e8", trap(arch.Bug, 0x3e8)},
	{"d4200000", "brk #0", trap(arch.Trap, 0x0)},
	{"d4400020", "hlt #0x1", trap(arch.Trap, 0x1)},
	{"d4000001", "svc #0", insn(arch.Other)},
	{"d4000002", "hvc #0", insn(arch.Other)},
	{"d4000003", "smc #0", insn(arch.Other)},

	// The hint space.
	{"d503201f", "nop", insn(arch.Nop)},
	{"d503203f", "yield", insn(arch.Other)},
	{"d503205f", "wfe", insn(arch.Other)},
	{"d503209f", "sev", insn(arch.Other)},
	{"d503221f", "esb", insn(arch.Other)},
	{"d503229f", "csdb", insn(arch.Other)},
	{"d50320ff", "xpaclri", insn(arch.Other)},
	{"d503241f", "bti", insn(arch.Endbr)},
	{"d503245f", "bti c", insn(arch.Endbr)},
	{"d503249f", "bti j", insn(arch.Endbr)},
	{"d50324df", "bti jc", insn(arch.Endbr)},
	{"d503233f", "paciasp", insn(arch.SignRA)},
	{"d503237f", "pacibsp", insn(arch.SignRA)},
	{"d503231f", "paciaz", insn(arch.SignRA)},
	{"d50323bf", "autiasp", insn(arch.AuthRA)},
	{"d50323ff", "autibsp", insn(arch.AuthRA)},
	{"d503233f", "hint #25", insn(arch.SignRA)},
	{"d50323bf", "hint #29", insn(arch.AuthRA)},
	{"d5032fff", "hint #0x7f", insn(arch.Other)},

	// Barriers and system instructions: mrs and sysl write Rt.
	{"d5033f9f", "dsb sy", insn(arch.Other)},
	{"d5033bbf", "dmb ish", insn(arch.Other)},
	{"d5033fdf", "isb", insn(arch.Other)},
	{"d50330ff", "sb", insn(arch.Other)},
	{"d5033f5f", "clrex", insn(arch.Other)},
	{"d500419f", "msr pan, #1", insn(arch.Other)},
	{"d50342df", "msr daifset, #2", insn(arch.Other)},
	{"d538411e", "mrs x30, sp_el0", insn(arch.Other, cst(0, LR))},
	{"d538d080", "mrs x0, tpidr_el1", insn(arch.Other)},
	{"d518411e", "msr sp_el0, x30", insn(arch.Other)},
	{"d508711f", "ic ialluis", insn(arch.Other)},
	{"d50b7e20", "dc civac, x0", insn(arch.Other)},

	// Frame stores and loads: pre-index writes SP back first, post-index last.
	{"a9bf7bfd", "stp x29, x30, [sp, #-16]!", insn(arch.Other, add(SP, -16, SP), st(FP, SP, 0), st(LR, SP, 8))},
	{"a9ba7bfd", "stp x29, x30, [sp, #-96]!", insn(arch.Other, add(SP, -96, SP), st(FP, SP, 0), st(LR, SP, 8))},
	{"a90153f3", "stp x19, x20, [sp, #16]", insn(arch.Other, st(19, SP, 16), st(20, SP, 24))},
	{"a9025bb5", "stp x21, x22, [x29, #32]", insn(arch.Other, st(21, FP, 32), st(22, FP, 40))},
	{"a9027bfd", "stp x29, x30, [sp, #32]", insn(arch.Other, st(FP, SP, 32), st(LR, SP, 40))},
	{"a8c17bfd", "ldp x29, x30, [sp], #16", insn(arch.Other, ld(SP, 0, FP), ld(SP, 8, LR), add(SP, 16, SP))},
	{"a94153f3", "ldp x19, x20, [sp, #16]", insn(arch.Other, ld(SP, 16, 19), ld(SP, 24, 20))},
	{"a9ff7bfd", "ldp x29, x30, [sp, #-16]!", insn(arch.Other, add(SP, -16, SP), ld(SP, 0, FP), ld(SP, 8, LR))},
	{"a9427bfd", "ldp x29, x30, [sp, #32]", insn(arch.Other, ld(SP, 32, FP), ld(SP, 40, LR))},
	{"a9017fff", "stp xzr, xzr, [sp, #16]", insn(arch.Other)},
	{"f81f0ffe", "str x30, [sp, #-16]!", insn(arch.Other, add(SP, -16, SP), st(LR, SP, 0))},
	{"f9000ff3", "str x19, [sp, #24]", insn(arch.Other, st(19, SP, 24))},
	{"f9400ff3", "ldr x19, [sp, #24]", insn(arch.Other, ld(SP, 24, 19))},
	{"f84107fe", "ldr x30, [sp], #16", insn(arch.Other, ld(SP, 0, LR), add(SP, 16, SP))},
	{"f81f83a0", "str x0, [x29, #-8]", insn(arch.Other, st(0, FP, -8))},
	{"f85f83a0", "ldur x0, [x29, #-8]", insn(arch.Other, ld(FP, -8, 0))},
	{"f81f83e1", "stur x1, [sp, #-8]", insn(arch.Other, st(1, SP, -8))},
	{"f94003bd", "ldr x29, [x29]", insn(arch.Other, ld(FP, 0, FP))},
	{"f940001e", "ldr x30, [x0]", insn(arch.Other, ld(0, 0, LR))},
	{"f8408c1e", "ldr x30, [x0, #8]!", insn(arch.Other, ld(0, 8, LR))},
	{"f84087c0", "ldr x0, [x30], #8", insn(arch.Other, add(LR, 8, LR))},
	{"b9000fe0", "str w0, [sp, #12]", insn(arch.Other)},
	{"b9400ffd", "ldr w29, [sp, #12]", insn(arch.Other, cst(0, FP))},
	{"3940003e", "ldrb w30, [x1]", insn(arch.Other, cst(0, LR))},
	{"b98003fd", "ldrsw x29, [sp]", insn(arch.Other, cst(0, FP))},
	{"fc1f0fe8", "str d8, [sp, #-16]!", insn(arch.Other, add(SP, -16, SP))},
	{"6dbc27e8", "stp d8, d9, [sp, #-64]!", insn(arch.Other, add(SP, -64, SP))},
	{"6cc427e8", "ldp d8, d9, [sp], #64", insn(arch.Other, add(SP, 64, SP))},

	// Register offsets, literals, prefetches: no known address.
	{"3c9e0fe0", "str q0, [sp, #-32]!", insn(arch.Other, add(SP, -32, SP))},
	{"3cc207e0", "ldr q0, [sp], #32", insn(arch.Other, add(SP, 32, SP))},
	{"adbf07e0", "stp q0, q1, [sp, #-32]!", insn(arch.Other, add(SP, -32, SP))},
	{"f8216be0", "str x0, [sp, x1]", insn(arch.Other)},
	{"f8617bfe", "ldr x30, [sp, x1, lsl #3]", insn(arch.Other, cst(0, LR))},
	{"f8617be0", "ldr x0, [sp, x1, lsl #3]", insn(arch.Other)},
	{"f98007e0", "prfm pldl1keep, [sp, #8]", insn(arch.Other)},
	{"f98003c0", "prfm pldl1keep, [x30]", insn(arch.Other)},

	// Exclusive, ordered and atomic loads write Rt (stores exclusive Rs).
	{"5800009e", "ldr x30, .+16", insn(arch.Other, cst(0, LR))},
	{"58000080", "ldr x0, .+16", insn(arch.Other)},
	{"c85f7c1e", "ldxr x30, [x0]", insn(arch.Other, cst(0, LR))},
	{"c81d7c01", "stxr w29, x1, [x0]", insn(arch.Other, cst(0, FP))},
	{"c85ffffd", "ldaxr x29, [sp]", insn(arch.Other, cst(0, FP))},
	{"c89ffffe", "stlr x30, [sp]", insn(arch.Other)},
	{"c8dffc3e", "ldar x30, [x1]", insn(arch.Other, cst(0, LR))},
	{"c87f781d", "ldxp x29, x30, [x0]", insn(arch.Other, cst(0, FP), cst(0, LR))},
	{"f820003e", "ldadd x0, x30, [x1]", insn(arch.Other, cst(0, LR))},
	{"f82003ff", "stadd x0, [sp]", insn(arch.Other)},
	{"b8e1005d", "ldaddal w1, w29, [x2]", insn(arch.Other, cst(0, FP))},
	{"f8e0803e", "swpal x0, x30, [x1]", insn(arch.Other, cst(0, LR))},

	// Newer loads and stores: RCpc, pointer authentication, MTE.
	{"c8be7c20", "cas x30, x0, [x1]", insn(arch.Other, cst(0, LR))},
	{"88fdfc41", "casal w29, w1, [x2]", insn(arch.Other, cst(0, FP))},
	{"483c7c40", "casp x28, x29, x0, x1, [x2]", insn(arch.Other, cst(0, FP))},
	{"f8bfc01e", "ldapr x30, [x0]", insn(arch.Other, cst(0, LR))},
	{"d94083fd", "ldapur x29, [sp, #8]", insn(arch.Other, ld(SP, 8, FP))},
	{"d90083e1", "stlur x1, [sp, #8]", insn(arch.Other, st(1, SP, 8))},
	{"f820141e", "ldraa x30, [x0, #8]", insn(arch.Other, ld(0, 8, LR))},

	// SIMD structures with post-index write-back.
	{"f8ffefe0", "ldrab x0, [sp, #-16]!", insn(arch.Other, add(SP, -16, SP), ld(SP, 0, 0))},
	{"d93fefff", "stg sp, [sp, #-32]!", insn(arch.Other, add(SP, -32, SP))},
	{"d9201420", "stg x0, [x1], #16", insn(arch.Other)},
	{"d960001e", "ldg x30, [x0]", insn(arch.Other, cst(0, LR))},
	{"69bf7bfd", "stgp x29, x30, [sp, #-32]!", insn(arch.Other, add(SP, -32, SP), st(FP, SP, 0), st(LR, SP, 8))},

	// SP arithmetic.
	{"4cdfa3e0", "ld1 {v0.16b, v1.16b}, [sp], #32", insn(arch.Other, add(SP, 32, SP))},
	{"4c827be0", "st1 {v0.4s}, [sp], x2", insn(arch.Other, idx(SP, 2, SP))},
	{"4ddfcbe0", "ld1r {v0.4s}, [sp], #4", insn(arch.Other, add(SP, 4, SP))},
	{"0ddf9000", "ld1 {v0.s}[1], [x0], #4", insn(arch.Other)},
	{"4c9f0fe0", "st4 {v0.2d, v1.2d, v2.2d, v3.2d}, [sp], #64", insn(arch.Other, add(SP, 64, SP))},
	{"d10083ff", "sub sp, sp, #32", insn(arch.Other, add(SP, -32, SP))},
	{"910083ff", "add sp, sp, #32", insn(arch.Other, add(SP, 32, SP))},
	{"d14007ff", "sub sp, sp, #1, lsl #12", insn(arch.Other, add(SP, -4096, SP))},
	{"914043ff", "add sp, sp, #0x10, lsl #12", insn(arch.Other, add(SP, 65536, SP))},
	{"cb3063ff", "sub sp, sp, x16", insn(arch.Other, idx(SP, 16, SP))},
	{"8b3063ff", "add sp, sp, x16", insn(arch.Other, idx(SP, 16, SP))},
	{"cb3043ff", "sub sp, sp, w16, uxtw", insn(arch.Other, cst(0, SP))},
	{"cb3073ff", "sub sp, sp, x16, lsl #4", insn(arch.Other, cst(0, SP))},
	{"910003fd", "mov x29, sp", insn(arch.Other, cp(SP, FP))},
	{"910043fd", "add x29, sp, #16", insn(arch.Other, add(SP, 16, FP))},
	{"d10043fd", "sub x29, sp, #16", insn(arch.Other, add(SP, -16, FP))},
	{"910003bf", "mov sp, x29", insn(arch.Other, cp(FP, SP))},
	{"d10043bf", "sub sp, x29, #16", insn(arch.Other, add(FP, -16, SP))},
	{"910043bf", "add sp, x29, #16", insn(arch.Other, add(FP, 16, SP))},
	{"9100003f", "mov sp, x1", insn(arch.Other, cp(1, SP))},
	{"910003e0", "mov x0, sp", insn(arch.Other, cp(SP, 0))},
	{"910103e1", "add x1, sp, #64", insn(arch.Other, add(SP, 64, 1))},
	{"910043a0", "add x0, x29, #16", insn(arch.Other)},
	{"aa1e03e0", "mov x0, x30", insn(arch.Other, cp(LR, 0))},

	// Frame pointer and link register moves, mov aliases.
	{"aa0003fe", "mov x30, x0", insn(arch.Other, cp(0, LR))},
	{"aa1e03fd", "mov x29, x30", insn(arch.Other, cp(LR, FP))},
	{"aa1f03fd", "mov x29, xzr", insn(arch.Other, cst(0, FP))},
	{"2a0103fd", "mov w29, w1", insn(arch.Other, cst(0, FP))},
	{"927cec1f", "and sp, x0, #0xfffffffffffffff0", insn(arch.Other, and(0, 0xfffffffffffffff0, SP))},
	{"927cec1d", "and x29, x0, #0xfffffffffffffff0", insn(arch.Other, and(0, 0xfffffffffffffff0, FP))},
	{"b240001d", "orr x29, x0, #1", insn(arch.Other, cst(0, FP))},
	{"d282001e", "mov x30, #0x1000", insn(arch.Other, cst(4096, LR))},

	// Other writes to SP, x29, x30: realignment, constants, values the checker cannot follow.
	{"9280001d", "mov x29, #-1", insn(arch.Other, cst(-1, FP))},
	{"f2a0003e", "movk x30, #1, lsl #16", insn(arch.Other, cst(0, LR))},
	{"5280003e", "mov w30, #1", insn(arch.Other, cst(1, LR))},
	{"9100201d", "add x29, x0, #8", insn(arch.Other, add(0, 8, FP))},
	{"8b01001d", "add x29, x0, x1", insn(arch.Other, idx(0, 1, FP))},
	{"cb02003e", "sub x30, x1, x2", insn(arch.Other, idx(1, 2, LR))},
	{"8b010c1d", "add x29, x0, x1, lsl #3", insn(arch.Other, cst(0, FP))},
	{"cb0003fd", "neg x29, x0", insn(arch.Other, cst(0, FP))},
	{"d343fc1d", "lsr x29, x0, #3", insn(arch.Other, cst(0, FP))},
	{"9a81001e", "csel x30, x0, x1, eq", insn(arch.Other, cst(0, LR))},
	{"9000001d", "adrp x29, .", insn(arch.Other, cst(0, FP))},
	{"9ac1081e", "udiv x30, x0, x1", insn(arch.Other, cst(0, LR))},
	{"9b017c1d", "mul x29, x0, x1", insn(arch.Other, cst(0, FP))},
	{"dac0001e", "rbit x30, x0", insn(arch.Other, cst(0, LR))},
	{"1100041e", "add w30, w0, #1", insn(arch.Other, cst(0, LR))},
	{"1100041f", "add wsp, w0, #1", insn(arch.Other, cst(0, SP))},
	{"f10043ff", "cmp sp, #16", insn(arch.Other)},
	{"eb0003bf", "cmp x29, x0", insn(arch.Other)},
	{"f24003df", "tst x30, #1", insn(arch.Other)},
	{"b10023fd", "adds x29, sp, #8", insn(arch.Other, add(SP, 8, FP))},
	{"dac103fe", "pacia x30, sp", insn(arch.SignRA)},
	{"dac117fe", "autib x30, sp", insn(arch.AuthRA)},
	{"dac1081e", "pacda x30, x0", insn(arch.Other, cst(0, LR))},

	// Pointer authentication with registers, MTE.
	{"dac143fe", "xpaci x30", insn(arch.Other)},
	{"dac123fe", "paciza x30", insn(arch.SignRA)},
	{"9adf13ff", "irg sp, sp", insn(arch.Other, cst(0, SP))},
	{"918107ff", "addg sp, sp, #16, #1", insn(arch.Other, cst(0, SP))},
	{"9e66001e", "fmov x30, d0", insn(arch.Other, cst(0, LR))},
	{"0e043c1d", "umov w29, v0.s[0]", insn(arch.Other, cst(0, FP))},
	{"9e6703c0", "fmov d0, x30", insn(arch.Other)},

	// SIMD, FP, SVE and SME.
	{"4ea28420", "add v0.4s, v1.4s, v2.4s", insn(arch.Other)},
	{"ce000821", "eor3 v1.16b, v1.16b, v0.16b, v2.16b", insn(arch.Other)},
	{"8580401d", "ldr z29, [x0]", insn(arch.Other)},
	{"043f57df", "addvl sp, sp, #-2", insn(arch.Other, cst(0, SP))},
	{"04bf503e", "rdvl x30, #1", insn(arch.Other, cst(0, LR))},
	{"d528751e", "sysl x30, #0, c7, c5, #0", insn(arch.Other, cst(0, LR))},

	// Further extensions: MOPS, CSSC, LS64, TME, FlagM.
	{"1d1e045d", "cpyp [x29]!, [x30]!, x2!", insn(arch.Other, cst(0, FP), cst(0, LR))},
	{"19de8420", "sete [x0]!, x1!, x30", insn(arch.Other)},
	{"dac0201d", "abs x29, x0", insn(arch.Other, cst(0, FP))},
	{"91c00c1d", "smax x29, x0, #3", insn(arch.Other, cst(0, FP))},
	{"1ac26c3e", "umin w30, w1, w2", insn(arch.Other, cst(0, LR))},
	{"f83fd2c0", "ld64b x0, [x22]", insn(arch.Other)},
	{"f83fd2d6", "ld64b x22, [x22]", insn(arch.Other, cst(0, FP))},
	{"f83eb062", "st64bv x30, x2, [x3]", insn(arch.Other, cst(0, LR))},
	{"d523307e", "tstart x30", insn(arch.Other, cst(0, LR))},
	{"d503307f", "tcommit", insn(arch.Other)},
	{"d500401f", "cfinv", insn(arch.Other)},
	{"ba018402", "rmif x0, #3, #2", insn(arch.Other)},

	// From the corpus: GCC 12 prologues and epilogues (kernel/fork.o),
	// a frame record at the top of a large frame, and entry.S's switch to
	// the overflow stack.
	{"a9b27bfd", "stp x29, x30, [sp, #-224]!", insn(arch.Other, add(SP, -224, SP), st(FP, SP, 0), st(LR, SP, 8))},
	{"d10283ff", "sub sp, sp, #0xa0", insn(arch.Other, add(SP, -160, SP))},
	{"a9047bfd", "stp x29, x30, [sp, #64]", insn(arch.Other, st(FP, SP, 64), st(LR, SP, 72))},
	{"910103fd", "add x29, sp, #0x40", insn(arch.Other, add(SP, 64, FP))},
	{"a9417bfd", "ldp x29, x30, [sp, #16]", insn(arch.Other, ld(SP, 16, FP), ld(SP, 24, LR))},
	{"910343ff", "add sp, sp, #0xd0", insn(arch.Other, add(SP, 208, SP))},
	{"cb2063e0", "sub x0, sp, x0", insn(arch.Other)},
	{"9100001f", "mov sp, x0", insn(arch.Other, cp(0, SP))},
	{"8b2063ff", "add sp, sp, x0", insn(arch.Other, idx(SP, 0, SP))},
}

// TestDecode decodes the table's words.
func TestDecode(t *testing.T) {
	for _, tt := range decodeTests {
		code, err := hex.DecodeString(tt.hex)
		if err != nil || len(code) != 4 {
			t.Fatalf("bad test word %q", tt.hex)
		}
		code[0], code[1], code[2], code[3] = code[3], code[2], code[1], code[0]
		var got arch.Insn
		if err := Decode(code, testOff, &got); err != nil {
			t.Errorf("Decode(%s %s): %v", tt.hex, tt.asm, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Decode(%s %s) mismatch (-want +got):\n%s", tt.hex, tt.asm, diff)
		}
	}
}

// asMarch enables every extension the table uses.
const asMarch = "-march=armv8.8-a+sve2+sme+memtag+lse+rcpc+sha3+sm4+ls64+mops+cssc+tme+flagm"

// TestDecodeTestsAssemble assembles the table's sources with GNU as and
// checks the words.
func TestDecodeTestsAssemble(t *testing.T) {
	as, objdump := needTool(t, gnuAs), needTool(t, gnuObjdump)
	dir := t.TempDir()
	var src strings.Builder
	for _, tt := range decodeTests {
		fmt.Fprintln(&src, tt.asm)
	}
	s, o := filepath.Join(dir, "t.s"), filepath.Join(dir, "t.o")
	if err := os.WriteFile(s, []byte(src.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(as, asMarch, "-o", o, s).CombinedOutput(); err != nil && !strings.Contains(string(out), "Warning") {
		t.Fatalf("%s: %v\n%s", gnuAs, err, out)
	}
	out, err := exec.Command(objdump, "-d", o).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := parseObjdump(out)[".text"]
	if len(lines) != len(decodeTests) {
		t.Fatalf("%d words assembled from %d lines", len(lines), len(decodeTests))
	}
	for i, tt := range decodeTests {
		if got := fmt.Sprintf("%08x", lines[i].word); got != tt.hex {
			t.Errorf("%s assembles to %s, the table says %s", tt.asm, got, tt.hex)
		}
	}
}

// decodeOK decodes w at off and fails the test on an error.
func decodeOK(t testing.TB, w uint32, off uint64) arch.Insn {
	t.Helper()
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], w)
	var in arch.Insn
	if err := Decode(b[:], off, &in); err != nil {
		t.Fatalf("Decode(%#08x): %v", w, err)
	}
	return in
}

// unknownTests are words that are not instructions, as objdump agrees.
var unknownTests = []struct {
	w      uint32
	reason string
}{
	{0x00000000, "udf #0, the zero word"},
	{0x00000003, "udf #3 (head.o's Image header)"},
	{0x60000020, "reserved group 0000, bit 31 clear"},
	{0x7461642e, "\".dat\": unallocated branch space"},
	{0x02000000, "unallocated group 0001"},
	{0x06000000, "unallocated group 0011"},
	{0x8b33796e, "add (extended) with shift 6, which arm64asm accepts"},
	{0x923bf43c, "and with a reserved logical immediate, which arm64asm accepts"},
	{0x32800000, "move wide with opc 01"},
	{0x52c00000, "32-bit movz with shift 32"},
	{0xe9400000, "ldp with opc 11"},
	{0xd4000000, "svc with LL 00"},
	{0xd6ff03e0, "branch to register with opc 0111"},
	{0x1ac00000, "data processing (2 source) opcode 0"},
	{0x0c400000 | 0x5<<12, "ld1 multiple structures, opcode 0101"},
}

// TestDecodeUnknown checks that words that are not instructions give
// ErrUnknown, a length of 4 and nothing else.
func TestDecodeUnknown(t *testing.T) {
	var b [4]byte
	for _, tt := range unknownTests {
		binary.LittleEndian.PutUint32(b[:], tt.w)
		in := arch.Insn{Kind: arch.Call, NOps: 3, HasTarget: true}
		err := Decode(b[:], testOff, &in)
		if !errors.Is(err, arch.ErrUnknown) {
			t.Errorf("Decode(%#08x, %s) = %v, want ErrUnknown", tt.w, tt.reason, err)
		}
		if want := (arch.Insn{Len: 4}); in != want {
			t.Errorf("Decode(%#08x, %s) left %+v", tt.w, tt.reason, in)
		}
	}
}

// TestDecodeUnknownObjdump checks that objdump agrees the words are not
// instructions.
func TestDecodeUnknownObjdump(t *testing.T) {
	var ws []uint32
	for _, tt := range unknownTests {
		ws = append(ws, tt.w)
	}
	for w, op := range objdumpWords(t, ws) {
		if op != "" {
			t.Errorf("objdump decodes %#08x as %s", w, op)
		}
	}
}

func TestDecodeTruncated(t *testing.T) {
	code := []byte{0x1f, 0x20, 0x03, 0xd5}
	for n := range 4 {
		var in arch.Insn
		err := Decode(code[:n], 0, &in)
		if !errors.Is(err, arch.ErrTruncated) || in.Len != 4 {
			t.Errorf("Decode of %d bytes = Len %d, %v; want Len 4, ErrTruncated", n, in.Len, err)
		}
	}
}

// allocWords are the table's words, and the unknown words whose error
// does not allocate.
func allocWords(t testing.TB) [][]byte {
	var words [][]byte
	for _, tt := range decodeTests {
		code, _ := hex.DecodeString(tt.hex)
		code[0], code[1], code[2], code[3] = code[3], code[2], code[1], code[0]
		words = append(words, code)
	}
	for _, tt := range unknownTests {
		if tt.w < 0x100 { // a larger unknown word allocates its error
			words = append(words, binary.LittleEndian.AppendUint32(nil, tt.w))
		}
	}
	return words
}

// TestDecodeAllocs checks that Decode allocates no more than arm64asm.Decode
// does on the same words: arm64asm boxes its operands, and Decode itself
// allocates nothing.
func TestDecodeAllocs(t *testing.T) {
	words := allocWords(t)
	var in arch.Insn
	allocs := testing.AllocsPerRun(100, func() {
		for _, code := range words {
			Decode(code, testOff, &in)
		}
	})
	asmAllocs := testing.AllocsPerRun(100, func() {
		for _, code := range words {
			arm64asm.Decode(code)
		}
	})
	if allocs > asmAllocs {
		t.Errorf("Decode allocates %v times per %d words, arm64asm.Decode %v", allocs, len(words), asmAllocs)
	}
}

func BenchmarkDecode(b *testing.B) {
	words := allocWords(b)
	var in arch.Insn
	b.ReportAllocs()
	for b.Loop() {
		for _, code := range words {
			Decode(code, testOff, &in)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(words)), "ns/word")
}

// FuzzDecode checks that Decode never panics, always steps 4 bytes, stays
// within MaxOps and the register numbers, and returns only the contract's
// errors.
func FuzzDecode(f *testing.F) {
	for _, tt := range decodeTests {
		code, _ := hex.DecodeString(tt.hex)
		code[0], code[1], code[2], code[3] = code[3], code[2], code[1], code[0]
		f.Add(code, uint64(testOff))
	}
	for _, tt := range unknownTests {
		f.Add(binary.LittleEndian.AppendUint32(nil, tt.w), uint64(0))
	}
	f.Add([]byte{1, 2}, uint64(0))
	f.Fuzz(func(t *testing.T, code []byte, off uint64) {
		var in arch.Insn
		err := Decode(code, off, &in)
		if in.Len != 4 {
			t.Fatalf("Len %d", in.Len)
		}
		if err != nil {
			if !errors.Is(err, arch.ErrUnknown) && !errors.Is(err, arch.ErrTruncated) {
				t.Fatalf("error %v wraps neither ErrUnknown nor ErrTruncated", err)
			}
			if in != (arch.Insn{Len: 4}) {
				t.Fatalf("error %v with a decoded instruction %+v", err, in)
			}
			return
		}
		if in.NOps > arch.MaxOps {
			t.Fatalf("NOps %d", in.NOps)
		}
		for _, op := range in.StackOps() {
			if int(op.Src.Reg) >= NumRegs || int(op.Src.Index) >= NumRegs || int(op.Dst.Reg) >= NumRegs {
				t.Fatalf("register out of range in %+v", op)
			}
		}
		if in.HasTarget != (in.Kind.IsStaticJump() || in.Kind == arch.Call) {
			t.Fatalf("kind %v with HasTarget %v", in.Kind, in.HasTarget)
		}
	})
}
