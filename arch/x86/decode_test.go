package x86

import (
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/arch"
)

// Builders for expected instructions.

func want(n uint8, k arch.Kind, ops ...arch.StackOp) arch.Insn {
	in := arch.Insn{Len: n, Kind: k}
	for _, op := range ops {
		in.AddOp(op)
	}
	return in
}

// testOff is the section offset the cases are decoded at.
const testOff = 0x100

// to sets the branch target, given relative to testOff.
func to(in arch.Insn, rel int64) arch.Insn {
	in.HasTarget, in.Target = true, testOff+rel
	return in
}

func flags(in arch.Insn, f arch.InsnFlags) arch.Insn {
	in.Flags |= f
	return in
}

func op(dst arch.Dst, src arch.Src) arch.StackOp { return arch.StackOp{Dst: dst, Src: src} }

var (
	pushConst = op(dstPush, srcConst)
	popMem    = op(dstMem, srcPop)
)

func pushReg(r arch.Reg) arch.StackOp { return op(dstPush, regSrc(r)) }
func popReg(r arch.Reg) arch.StackOp  { return op(regDst(r), srcPop) }
func movReg(src, dst arch.Reg) arch.StackOp {
	return op(regDst(dst), regSrc(src))
}
func addReg(src, dst arch.Reg, off int32) arch.StackOp {
	return op(regDst(dst), arch.Src{Type: arch.SrcAdd, Reg: src, Off: off})
}
func andSP(off int32) arch.StackOp {
	return op(regDst(SP), arch.Src{Type: arch.SrcAnd, Reg: SP, Off: off})
}
func store(src, base arch.Reg, off int32) arch.StackOp {
	return op(arch.Dst{Type: arch.DstRegIndirect, Reg: base, Off: off}, regSrc(src))
}
func load(base arch.Reg, off int32, dst arch.Reg) arch.StackOp {
	return op(regDst(dst), arch.Src{Type: arch.SrcRegIndirect, Reg: base, Off: off})
}

// decodeTests cover every case of objtool's arch_decode_instruction. The
// expectations agree with objtool's decoder (TestOracle checks them).
var decodeTests = []struct {
	name string
	hex  string
	want arch.Insn
}{
	// push and pop
	{"push %rbp", "55", want(1, arch.Other, pushReg(BP))},
	{"push %r12", "4154", want(2, arch.Other, pushReg(R12))},
	{"pop %rbp", "5d", want(1, arch.Other, popReg(BP))},
	{"pop %r15", "415f", want(2, arch.Other, popReg(R15))},
	{"push $imm8", "6a00", want(2, arch.Other, pushConst)},
	{"push $imm32", "6878563412", want(5, arch.Other, pushConst)},
	{"push 8(%rbp)", "ff7508", want(3, arch.Other, pushConst)},
	{"pop 8(%rax)", "8f4008", want(3, arch.Other, popMem)},
	{"pushf", "9c", want(1, arch.Other, op(arch.Dst{Type: arch.DstPushF}, srcConst))},
	{"popf", "9d", want(1, arch.Other, op(dstMem, arch.Src{Type: arch.SrcPopF}))},
	{"push %fs", "0fa0", want(2, arch.Other, pushConst)},
	{"push %gs", "0fa8", want(2, arch.Other, pushConst)},
	{"pop %fs", "0fa1", want(2, arch.Other, popMem)},
	{"pop %gs", "0fa9", want(2, arch.Other, popMem)},

	// add, sub and and on %rsp
	{"sub $0x18,%rsp", "4883ec18", want(4, arch.Other, addReg(SP, SP, -0x18))},
	{"add $0x18,%rsp", "4883c418", want(4, arch.Other, addReg(SP, SP, 0x18))},
	{"sub $0x100,%rsp", "4881ec00010000", want(7, arch.Other, addReg(SP, SP, -0x100))},
	{"add $0x100,%rsp", "4881c400010000", want(7, arch.Other, addReg(SP, SP, 0x100))},
	{"sub $-0x80000000,%rsp wraps in int", "4881ec00000080", want(7, arch.Other, addReg(SP, SP, -0x80000000))},
	{"add $imm8,%spl with REX.W counts", "4880c408", want(4, arch.Other, addReg(SP, SP, 8))},
	{"and $-16,%rsp", "4883e4f0", want(4, arch.Other, andSP(-16))},
	{"and $-4096,%rsp", "4881e400f0ffff", want(7, arch.Other, andSP(-4096))},
	{"sub without REX.W", "83ec18", want(3, arch.Other)},
	{"sub from %r12", "4983ec18", want(4, arch.Other)},
	{"cmp with %rsp", "4883fc18", want(4, arch.Other)},
	{"or on %rsp", "4883cc18", want(4, arch.Other)},
	// objtool reads add/sub %reg,%rsp as %reg+0, without negating sub.
	{"add %rax,%rsp", "4801c4", want(3, arch.Other, addReg(AX, SP, 0))},
	{"sub %rax,%rsp", "4829c4", want(3, arch.Other, addReg(AX, SP, 0))},
	{"add %r10,%rsp", "4c01d4", want(3, arch.Other, addReg(R10, SP, 0))},
	{"add %rsp,%rax", "4801e0", want(3, arch.Other)},
	{"add %rax,%rsp, other direction", "4803e0", want(3, arch.Other)},

	// mov
	{"mov %rsp,%rbp", "4889e5", want(3, arch.Other, movReg(SP, BP))},
	{"mov %rbp,%rsp", "4889ec", want(3, arch.Other, movReg(BP, SP))},
	{"mov %r12,%rdi", "4c89e7", want(3, arch.Other, movReg(R12, DI))},
	{"mov without REX.W", "89e5", want(2, arch.Other)},
	{"mov %rbx,-8(%rbp)", "48895df8", want(4, arch.Other, store(BX, BP, -8))},
	{"mov %rbx,(%rsp)", "48891c24", want(4, arch.Other, store(BX, SP, 0))},
	{"mov %rax,8(%rsp)", "4889442408", want(5, arch.Other, store(AX, SP, 8))},
	{"mov %r12,0x108(%rsp)", "4c89a42408010000", want(8, arch.Other, store(R12, SP, 0x108))},
	{"mov %rsp,0(%rbp)", "48896500", want(4, arch.Other, store(SP, BP, 0))},
	{"mov %rsp,16(%rsp)", "4889642410", want(5, arch.Other, store(SP, SP, 16))},
	{"mov %rsp,8(%rdi)", "48896708", want(4, arch.Other, store(SP, DI, 8))},
	{"mov %rsp,(%r12)", "49892424", want(4, arch.Other, store(SP, R12, 0))},
	{"mov %rsp,rip-relative", "48892500000000", want(7, arch.Other)},
	{"mov %rdi,(%rdi,%rax,4)", "48893c87", want(4, arch.Other)},
	{"mov %rax,0x0 (SIB without base)", "4889042500000000", want(8, arch.Other)},
	{"mov %rax,8(%rbx)", "48894308", want(4, arch.Other)},
	{"mov %rax,(%r13)", "49894500", want(4, arch.Other)},
	{"mov %cl,-8(%rbp) with REX.W counts", "48884df8", want(4, arch.Other, store(CX, BP, -8))},
	{"mov -8(%rbp),%rbx", "488b5df8", want(4, arch.Other, load(BP, -8, BX))},
	{"mov (%rsp),%rbx", "488b1c24", want(4, arch.Other, load(SP, 0, BX))},
	{"mov 8(%rsp),%r12", "4c8b642408", want(5, arch.Other, load(SP, 8, R12))},
	{"mov load without REX.W", "8b45f8", want(3, arch.Other)},
	{"mov rip-relative load", "488b0500000000", want(7, arch.Other)},
	{"mov %rbp,%rax (8b form)", "488bc5", want(3, arch.Other)},

	// lea
	{"lea 8(%rsp),%rbp", "488d6c2408", want(5, arch.Other, addReg(SP, BP, 8))},
	{"lea (%rsp),%rbp", "488d2c24", want(4, arch.Other, movReg(SP, BP))},
	{"lea -16(%rbp),%rsp", "488d65f0", want(4, arch.Other, addReg(BP, SP, -16))},
	{"lea 8(%rsp),%r10", "4c8d542408", want(5, arch.Other, addReg(SP, R10, 8))},
	{"lea -8(%r10),%rsp", "498d62f8", want(4, arch.Other, addReg(R10, SP, -8))},
	{"lea rip-relative", "488d0500000000", want(7, arch.Other)},
	{"lea (%rax,%rax,4)", "488d0480", want(4, arch.Other)},
	{"lea without REX.W", "8d4001", want(3, arch.Other)},
	// A SIB without base or index leaves objtool with "base" %rbp.
	{"lea 0x0,%rax", "488d042500000000", want(8, arch.Other, movReg(BP, AX))},
	{"lea with a register", "488dc0", flags(want(3, arch.Other), FlagInvalidLEA)},

	{"leave", "c9", want(1, arch.Other, movReg(BP, SP), popReg(BP))},

	// direct jumps and calls
	{"je rel8", "7405", to(want(2, arch.JumpCond), 2+5)},
	{"jg rel8 back", "7ffe", to(want(2, arch.JumpCond), 0)},
	{"je rel32", "0f8400010000", to(want(6, arch.JumpCond), 6+0x100)},
	{"jle rel32 back", "0f8efaffffff", to(want(6, arch.JumpCond), 0)},
	{"jmp rel8 0", "eb00", to(want(2, arch.Jump), 2)},
	{"jmp rel32", "e9fbffffff", to(want(5, arch.Jump), 0)},
	{"call rel32", "e800000000", to(want(5, arch.Call, pushConst), 5)},
	{"call rel32 back", "e8f6ffffff", to(want(5, arch.Call, pushConst), -5)},
	{"jrcxz", "e3fe", to(want(2, arch.JumpCond), 0)},
	{"loop", "e210", to(want(2, arch.JumpCond), 0x12)},
	{"loope", "e110", to(want(2, arch.JumpCond), 0x12)},
	{"loopne", "e010", to(want(2, arch.JumpCond), 0x12)},
	{"jmp with 66 is still rel32", "66e901000000", to(want(6, arch.Jump), 7)},

	// indirect jumps and calls
	{"jmp *%rax", "ffe0", want(2, arch.JumpDynamic)},
	{"jmp *%r11", "41ffe3", want(3, arch.JumpDynamic)},
	{"jmp *table(,%rax,8)", "ff24c500000000", want(7, arch.JumpDynamic)},
	{"call *%rax", "ffd0", want(2, arch.CallDynamic)},
	{"call *rip-relative", "ff1500000000", want(6, arch.CallDynamic)},
	{"lcall *(%rsp)", "ff1c24", want(3, arch.CallDynamic)},
	{"notrack jmp *%rax", "3effe0", flags(want(3, arch.JumpDynamic), arch.FlagNotrack)},
	{"notrack call *%rax", "3effd0", flags(want(3, arch.CallDynamic), arch.FlagNotrack)},
	{"notrack after another prefix", "2e3effe0", flags(want(4, arch.JumpDynamic), arch.FlagNotrack)},
	{"ljmp *(%rsp)", "ff2c24", want(3, arch.ContextSwitch)},
	{"jmp with REX.R is not /4", "4cffe0", want(3, arch.Other)},
	{"inc %rax", "48ffc0", want(3, arch.Other)},

	// returns and context switches
	{"ret", "c3", want(1, arch.Return)},
	{"ret $8", "c20800", want(3, arch.Return)},
	{"lret", "cb", want(1, arch.ContextSwitch)},
	{"lret $8", "ca0800", want(3, arch.ContextSwitch)},
	{"iret", "cf", flags(want(1, arch.ContextSwitch), arch.FlagIret)},
	{"iretq", "48cf", flags(want(2, arch.ContextSwitch), arch.FlagIret)},
	{"syscall", "0f05", want(2, arch.ContextSwitch)},
	{"sysretq", "480f07", want(3, arch.ContextSwitch)},
	{"sysenter", "0f34", want(2, arch.ContextSwitch)},
	{"sysexit", "0f35", want(2, arch.ContextSwitch)},
	{"eretu", "f30f01ca", want(4, arch.ContextSwitch)},
	{"erets", "f20f01ca", want(4, arch.ContextSwitch)},

	// traps and bugs
	{"int3", "cc", want(1, arch.Trap)},
	{"int $3", "cd03", want(2, arch.Other)},
	{"ud2", "0f0b", want(2, arch.Bug)},
	{"ud1", "0fb94010", want(4, arch.Bug)},
	{"ud0 has no ModRM here", "0fff00", want(2, arch.Other)},

	// endbr
	{"endbr64", "f30f1efa", want(4, arch.Endbr)},
	{"endbr32", "f30f1efb", want(4, arch.Endbr)},
	{"rdsspd", "f30f1ec8", want(4, arch.Other)},
	{"endbr64 after a ds prefix", "3ef30f1efa", want(5, arch.Other)},

	// nops
	{"nop", "90", want(1, arch.Nop)},
	{"xchg %ax,%ax", "6690", want(2, arch.Nop)},
	{"pause", "f390", want(2, arch.Nop)},
	{"xchg %eax,%r8d", "4190", want(2, arch.Nop)},
	{"nopl (%rax)", "0f1f00", want(3, arch.Nop)},
	{"nopl 0(%rax)", "0f1f4000", want(4, arch.Nop)},
	{"nopl 0(%rax,%rax)", "0f1f440000", want(5, arch.Nop)},
	{"nopw 0(%rax,%rax)", "660f1f440000", want(6, arch.Nop)},
	{"nopl 0L(%rax)", "0f1f8000000000", want(7, arch.Nop)},
	{"nopl 0L(%rax,%rax)", "0f1f840000000000", want(8, arch.Nop)},
	{"nopw 0L(%rax,%rax)", "660f1f840000000000", want(9, arch.Nop)},
	{"cs nopw 0L(%rax,%rax)", "662e0f1f840000000000", want(10, arch.Nop)},
	{"data16 cs nopw", "66662e0f1f840000000000", want(11, arch.Nop)},
	{"prefetchw", "0f0d08", want(3, arch.Nop)},
	{"prefetcht0", "0f1808", want(3, arch.Other)},

	// flags
	{"clac", "0f01ca", want(3, arch.Clac)},
	{"stac", "0f01cb", want(3, arch.Stac)},
	{"66 clac", "660f01ca", want(4, arch.Clac)},
	{"f3 stac", "f30f01cb", want(4, arch.Other)},
	{"swapgs", "0f01f8", want(3, arch.Other)},
	{"std", "fd", want(1, arch.Std)},
	{"cld", "fc", want(1, arch.Cld)},

	// VEX, EVEX and other encodings objtool does not look into
	{"bextr", "c4e2f8f7c0", want(5, arch.Other)},
	{"vzeroupper", "c5f877", want(3, arch.Other)},
	{"VEX andnps, a push opcode", "c5f855c0", want(4, arch.Other)},
	{"tilerelease", "c4e27849c0", want(5, arch.Other)},
	{"vmovdqu64 EVEX", "62f1fe486f00", want(6, arch.Other)},
	{"xen cpuid", "0f0b78656e0fa2", want(7, arch.Other)},
	{"kvm cpuid", "0f0b6b766d0fa2", want(7, arch.Other)},
	{"enqcmd", "f20f38f801", flags(want(5, arch.Other), FlagENQCMD)},
	{"enqcmds", "f30f38f801", want(5, arch.Other)},
	{"movabs $imm64,%rax", "48b88877665544332211", want(10, arch.Other)},
	{"mov moffs64,%al", "a08877665544332211", want(9, arch.Other)},
	{"enter", "c8100000", want(4, arch.Other)},
	{"vmcall", "0f01c1", want(3, arch.Other)},
	{"wrpkru", "0f01ef", want(3, arch.Other)},
	{"serialize", "0f01e8", want(3, arch.Other)},
	{"verw %ax", "0f00e8", want(3, arch.Other)},
	{"tdcall", "660f01cc", want(4, arch.Other)},
	{"lkgs %di", "f20f00f7", want(4, arch.Other)},
	{"tpause %ecx", "660faef1", want(4, arch.Other)},
	{"movdir64b", "660f38f80f", want(5, arch.Other)},
	{"wrmsrns", "0f01c6", want(3, arch.Other)},
	{"vmmcall", "0f01d9", want(3, arch.Other)},
	{"seamcall", "660f01cf", want(4, arch.Other)},
	{"encls", "0f01cf", want(3, arch.Other)},
	{"lea with a register, REX.W", "488dc4", flags(want(3, arch.Other), FlagInvalidLEA)},
	{"xen cpuid with prefixes", "0f0b78656e3e0fa2", want(8, arch.Other)},
	{"lock add", "f0480101", want(4, arch.Other)},
	{"sub $imm8 sign-extended", "4883ec80", want(4, arch.Other, addReg(SP, SP, 0x80))},
	{"add $0xf0,%spl is -16", "4880c4f0", want(4, arch.Other, addReg(SP, SP, -16))},
}

// knownDifferences are encodings on which Decode and objtool 6.12 differ:
// none is an instruction that an assembler emits for the kernel, and the
// corpus holds none of them. objtool's answer is in the comment; want is
// Decode's, or "" for an error.
var knownDifferences = []struct {
	name, hex string
	want      arch.Insn
	err       error
}{
	// REX2 (APX), which 6.12 does not use and x86asm does not know.
	// objtool: 3 bytes, read as leave, since it takes 0xd5 for a REX byte.
	{"REX2 bswap", "d580c9", arch.Insn{}, arch.ErrUnknown},
	// objtool's decoder keeps four distinct prefixes: a fifth ends them
	// and is the opcode (5 bytes, other). The CPU and x86asm read six
	// bytes of nop.
	{"five distinct prefixes", "263664653e90", want(6, arch.Nop), nil},
	// A REX prefix followed by a legacy prefix: objtool reads 66 as a
	// 2-byte instruction of its own; x86asm rejects 66 as an opcode.
	{"REX then a prefix", "4866", arch.Insn{}, arch.ErrUnknown},
	// An F2 or F3 prefix on an instruction whose 0f-map slot has prefix
	// variants but none for it: objtool's decoder reads no ModRM (3
	// bytes); the CPU and x86asm ignore the prefix (cmove, 4 bytes).
	{"f2 cmove", "f20f44c0", want(4, arch.Other), nil},
	// The test-register moves do not exist in 64-bit mode: objtool reads
	// 2 bytes, x86asm a ModRM.
	{"mov to %tr0", "0f2600", want(3, arch.Other), nil},
}

func TestKnownDifferences(t *testing.T) {
	for _, tt := range knownDifferences {
		code, _ := hex.DecodeString(tt.hex)
		var got arch.Insn
		err := Decode(code, testOff, &got)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("%s: Decode(%s) = %v, want %v", tt.name, tt.hex, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Decode(%s): %v", tt.name, tt.hex, err)
			continue
		}
		wantDecoded(t, tt.name, tt.hex, code, got, tt.want)
	}
}

// wantDecoded compares got, code decoded into a zero record, with want,
// then decodes code again into a record that held another instruction:
// the same, but for the operations past NOps, which Decode leaves alone.
func wantDecoded(t *testing.T, name, hexCode string, code []byte, got, want arch.Insn) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: Decode(%s) mismatch (-want +got):\n%s", name, hexCode, diff)
	}
	reused := dirtyInsn()
	if err := Decode(code, testOff, &reused); err != nil {
		t.Errorf("%s: Decode(%s) into a used record: %v", name, hexCode, err)
		return
	}
	clear(reused.Ops[min(int(reused.NOps), arch.MaxOps):])
	if diff := cmp.Diff(want, reused); diff != "" {
		t.Errorf("%s: Decode(%s) into a used record mismatch (-want +got):\n%s", name, hexCode, diff)
	}
}

// dirtyInsn is a record with every field set, as one that held another
// instruction.
func dirtyInsn() arch.Insn {
	in := arch.Insn{Len: 9, Kind: arch.Call, HasTarget: true, NOps: arch.MaxOps, Flags: ^arch.InsnFlags(0),
		Target: -1, Imm: -1}
	for i := range in.Ops {
		in.Ops[i] = arch.StackOp{Dst: arch.Dst{Type: arch.DstReg, Reg: 3, Off: -8}, Src: arch.Src{Type: arch.SrcConst, Reg: 5, Off: 16}}
	}
	return in
}

func TestDecode(t *testing.T) {
	for _, tt := range decodeTests {
		code, err := hex.DecodeString(tt.hex)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got arch.Insn
		if err := Decode(code, testOff, &got); err != nil {
			t.Errorf("%s: Decode(%s): %v", tt.name, tt.hex, err)
			continue
		}
		wantDecoded(t, tt.name, tt.hex, code, got, tt.want)
	}
}

// TestDecodeErrors checks what Decode says about bytes that are not an
// instruction objtool can decode.
func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		hex  string
		want error
	}{
		{"", arch.ErrTruncated},
		{"48", arch.ErrTruncated},
		{"0f", arch.ErrTruncated},
		{"e8000000", arch.ErrTruncated},
		{"4889", arch.ErrTruncated},
		{"c4", arch.ErrTruncated},
		{"0f0b78656e", arch.ErrTruncated}, // an emulation prefix and no instruction
		{"6666666666666666666666666666", arch.ErrTruncated},
		{"66666666666666666666666666666690", arch.ErrUnknown}, // 15 prefixes
		{"66666666666666666666666648b80102030405060708", arch.ErrUnknown},
		{"c5f9ff", arch.ErrUnknown}, // not a VEX opcode
		{"0f0a", arch.ErrUnknown},   // undefined
		{"0f01", arch.ErrTruncated},
		{"f30f1e", arch.ErrTruncated}, // endbr64 cut short
		{"c4e27849", arch.ErrTruncated},
		{"f20f00", arch.ErrTruncated},     // lkgs cut short
		{"660f3a0fc0", arch.ErrTruncated}, // palignr without its immediate
		{"489a010203040506", arch.ErrUnknown},
		{"0f38f2c0", arch.ErrUnknown}, // andn without VEX: VEX-only
		{"0fa7", arch.ErrTruncated},   // xstore without its ModRM
		{"d580c9", arch.ErrUnknown},   // REX2
	}
	for _, tt := range tests {
		code, _ := hex.DecodeString(tt.hex)
		var in arch.Insn
		err := Decode(code, 0, &in)
		if !errors.Is(err, tt.want) {
			t.Errorf("Decode(%s) = %v, want %v", tt.hex, err, tt.want)
		}
		if in.Len != 1 {
			t.Errorf("Decode(%s): Len %d after an error, want 1", tt.hex, in.Len)
		}
	}
}

// TestDecodeTruncated decodes every prefix of every test case: it must not
// panic, and must say truncated, unless the prefix is an instruction of
// its own (0f 0b, ud2, of 0f 0b "xen" ...).
func TestDecodeTruncated(t *testing.T) {
	for _, tt := range decodeTests {
		code, _ := hex.DecodeString(tt.hex)
		for n := range len(code) {
			var in arch.Insn
			err := Decode(code[:n], 0, &in)
			if err == nil && int(in.Len) <= n {
				continue
			}
			if !errors.Is(err, arch.ErrTruncated) || in.Len != 1 {
				t.Errorf("%s: Decode(% x) = %v, Len %d", tt.name, code[:n], err, in.Len)
			}
		}
	}
}

func TestNew(t *testing.T) {
	a := New()
	if a.Decode == nil || a.Name != "x86_64" || a.NumRegs != 17 || a.SP != 4 || a.FP != 5 || a.RA != 16 {
		t.Fatalf("New() = %+v", a)
	}
	saved := []arch.Reg{BX, BP, R12, R13, R14, R15}
	for r := range arch.Reg(NumRegs) {
		want := false
		for _, s := range saved {
			want = want || r == s
		}
		if a.IsCalleeSaved(r) != want {
			t.Errorf("IsCalleeSaved(%d) = %v", r, !want)
		}
	}
	if a.EntryCFA != (arch.Loc{Base: int(SP), Off: 8}) || a.EntryStackSize != 8 {
		t.Errorf("entry state %+v, stack size %d", a.EntryCFA, a.EntryStackSize)
	}
	if New().HintBase[orcRegSP] = 99; a.HintBase[orcRegSP] != int(SP) {
		t.Error("New shares its HintBase map between calls")
	}
	notes := map[arch.InsnFlags]string{}
	for _, n := range a.Notes {
		notes[n.Flag] = fmt.Sprintf(n.Format, ".text", uint64(0x1a))
	}
	wantNotes := map[arch.InsnFlags]string{
		arch.FlagNotrack: "notrack prefix found at .text:0x1a",
		FlagInvalidLEA:   "invalid LEA encoding at .text:0x1a",
		FlagENQCMD:       "ENQCMD instruction at .text:1a",
	}
	if diff := cmp.Diff(wantNotes, notes); diff != "" {
		t.Errorf("notes mismatch (-want +got):\n%s", diff)
	}
	if (FlagInvalidLEA|FlagENQCMD)&(arch.FlagNotrack|arch.FlagLinkRegCall|arch.FlagIret) != 0 || FlagInvalidLEA == FlagENQCMD {
		t.Error("the x86 flags overlap")
	}
}

// tableInsns are instructions, as GNU as 2.40 assembles them, that x86asm
// does not decode (or reads with another length than the kernel's
// decoder), so that the opcode tables do: system instructions, VIA
// PadLock, 3DNow!, AMX, CMPccXADD, AVX512-FP16. Each must decode whole,
// with the kind objtool gives it.
var tableInsns = []struct {
	name, hex string
	kind      arch.Kind
}{
	{"enclv", "0f01c0", arch.Other},
	{"vmcall", "0f01c1", arch.Other},
	{"vmlaunch", "0f01c2", arch.Other},
	{"vmresume", "0f01c3", arch.Other},
	{"vmxoff", "0f01c4", arch.Other},
	{"pconfig", "0f01c5", arch.Other},
	{"wrmsrns", "0f01c6", arch.Other},
	{"clac", "0f01ca", arch.Clac},
	{"eretu", "f30f01ca", arch.ContextSwitch},
	{"erets", "f20f01ca", arch.ContextSwitch},
	{"stac", "0f01cb", arch.Stac},
	{"tdcall", "660f01cc", arch.Other},
	{"seamret", "660f01cd", arch.Other},
	{"seamops", "660f01ce", arch.Other},
	{"seamcall", "660f01cf", arch.Other},
	{"encls", "0f01cf", arch.Other},
	{"enclu", "0f01d7", arch.Other},
	{"vmrun", "0f01d8", arch.Other},
	{"vmmcall", "0f01d9", arch.Other},
	{"vmload", "0f01da", arch.Other},
	{"vmsave", "0f01db", arch.Other},
	{"stgi", "0f01dc", arch.Other},
	{"clgi", "0f01dd", arch.Other},
	{"skinit", "0f01de", arch.Other},
	{"invlpga", "0f01df", arch.Other},
	{"serialize", "0f01e8", arch.Other},
	{"setssbsy", "f30f01e8", arch.Other},
	{"xsusldtrk", "f20f01e8", arch.Other},
	{"xresldtrk", "f20f01e9", arch.Other},
	{"saveprevssp", "f30f01ea", arch.Other},
	{"rdpkru", "0f01ee", arch.Other},
	{"wrpkru", "0f01ef", arch.Other},
	{"monitorx", "0f01fa", arch.Other},
	{"mwaitx", "0f01fb", arch.Other},
	{"clzero", "0f01fc", arch.Other},
	{"rdpru", "0f01fd", arch.Other},
	{"endbr64", "f30f1efa", arch.Endbr},
	{"endbr32", "f30f1efb", arch.Endbr},
	{"lkgs %di", "f20f00f7", arch.Other},
	{"ud0 has no ModRM", "0fff", arch.Other},
	{"lea with a register", "488dc0", arch.Other},
	{"xstore-rng", "0fa7c0", arch.Other},
	{"xstore with a memory ModRM", "0fa74008", arch.Other},
	{"rep xcrypt-ecb", "f30fa7c8", arch.Other},
	{"rep xcrypt-cbc", "f30fa7d0", arch.Other},
	{"rep xcrypt-ctr", "f30fa7d8", arch.Other},
	{"rep xcrypt-cfb", "f30fa7e0", arch.Other},
	{"rep xcrypt-ofb", "f30fa7e8", arch.Other},
	{"rep montmul", "f30fa6c0", arch.Other},
	{"rep xsha1", "f30fa6c8", arch.Other},
	{"rep xsha256", "f30fa6d0", arch.Other},
	{"femms", "0f0e", arch.Other},
	{"getsec", "0f37", arch.Other},
	{"pfadd %mm1,%mm2", "0f0fd19e", arch.Other},
	{"pi2fw %mm1,%mm2", "0f0fd10c", arch.Other},
	{"pfadd 8(%rax),%mm2", "0f0f50089e", arch.Other},
	{"tilerelease", "c4e27849c0", arch.Other},
	{"ldtilecfg (%rax)", "c4e2784900", arch.Other},
	{"tdpbf16ps", "c4e2725cda", arch.Other},
	{"tdpfp16ps", "c4e2735cda", arch.Other},
	{"cmpbexadd %eax,%ecx,(%rdx)", "c4e279e60a", arch.Other},
	{"vaddph %zmm1,%zmm2,%zmm3", "62f56c4858d9", arch.Other},
	{"vfmaddcph %zmm1,%zmm2,%zmm3", "62f66e4856d9", arch.Other},
	{"vmovsh %xmm1,%xmm2,%xmm3", "62f56e0810d9", arch.Other},
	{"vzeroupper", "c5f877", arch.Other},
	{"vzeroall", "c5fc77", arch.Other},
}

// TestTableInsns checks that the opcode tables decode tableInsns.
func TestTableInsns(t *testing.T) {
	for _, tt := range tableInsns {
		code := mustHex(tt.hex)
		var f fields
		if e := f.decode(code); e != errNone || !f.fallback || f.length != len(code) {
			t.Errorf("%s (% x): fallback %v, length %d (error %d)", tt.name, code, f.fallback, f.length, e)
		}
		var in arch.Insn
		if err := Decode(append(code, 0xcc, 0xcc), 0, &in); err != nil || int(in.Len) != len(code) || in.Kind != tt.kind {
			t.Errorf("%s (% x): Decode: length %d, kind %v, error %v; want %d, %v", tt.name, code, in.Len, in.Kind, err, len(code), tt.kind)
		}
	}
}
