package ppc64

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/internal/xarch/ppc64asm"

	"github.com/objcheck/objcheck/arch"
)

// testOff is the section offset every table case is decoded at, so that
// relative targets differ from displacements.
const testOff = 0x100

// byteOrders are the two orders every case is decoded in.
var byteOrders = []binary.ByteOrder{binary.LittleEndian, binary.BigEndian}

// Helpers that build expected instructions.

func insn(kind arch.Kind, ops ...arch.StackOp) arch.Insn {
	in := arch.Insn{Len: 4, Kind: kind}
	for _, op := range ops {
		in.AddOp(op)
	}
	return in
}

func other(ops ...arch.StackOp) arch.Insn { return insn(arch.Other, ops...) }

func prefixed(ops ...arch.StackOp) arch.Insn {
	in := insn(arch.Other, ops...)
	in.Len = 8
	return in
}

func branch(kind arch.Kind, target int64) arch.Insn {
	return arch.Insn{Len: 4, Kind: kind, HasTarget: true, Target: target}
}

func pcRead(target int64) arch.Insn {
	in := branch(arch.Call, target)
	in.Flags = arch.FlagLinkRegCall
	return in
}

func trapInsn(kind arch.Kind, to int64) arch.Insn {
	return arch.Insn{Len: 4, Kind: kind, Imm: to}
}

func toReg(dst arch.Reg, src arch.Src) arch.StackOp {
	return arch.StackOp{Src: src, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}}
}

func toMem(base arch.Reg, off int32, src arch.Reg) arch.StackOp {
	return arch.StackOp{
		Src: arch.Src{Type: arch.SrcReg, Reg: src},
		Dst: arch.Dst{Type: arch.DstRegIndirect, Reg: base, Off: off},
	}
}

func reg(r arch.Reg) arch.Src { return arch.Src{Type: arch.SrcReg, Reg: r} }

func mem(r arch.Reg, off int32) arch.Src {
	return arch.Src{Type: arch.SrcRegIndirect, Reg: r, Off: off}
}

func add(r arch.Reg, off int32) arch.Src { return arch.Src{Type: arch.SrcAdd, Reg: r, Off: off} }

func addIndex(r, index arch.Reg) arch.Src {
	return arch.Src{Type: arch.SrcAdd, Reg: r, Index: index, HasIndex: true}
}

func and(r arch.Reg, mask int32) arch.Src { return arch.Src{Type: arch.SrcAnd, Reg: r, Off: mask} }

func konst(n int32) arch.Src { return arch.Src{Type: arch.SrcConst, Off: n} }

var clobber = toReg(1, konst(0))

// clobberR0 is a write to r0, which carries the return address between
// mflr and its save slot, of a value the checker cannot follow.
var clobberR0 = toReg(0, konst(0))

// decodeTests are instruction words (two for a prefixed instruction) and
// what they decode to at testOff. The words came from binutils 2.40's
// assembler; asm is what objdump prints.
var decodeTests = []struct {
	asm   string
	words []uint32
	want  arch.Insn
}{
	// Direct branches.
	{"b .+0x40", w(0x48000040), branch(arch.Jump, testOff+0x40)},
	{"b .-0x40", w(0x4bffffc0), branch(arch.Jump, testOff-0x40)},
	{"b . (relocated)", w(0x48000000), branch(arch.Jump, testOff)},
	{"ba 0x1000", w(0x48001002), branch(arch.Jump, 0x1000)},
	{"ba -16", w(0x4bfffff2), branch(arch.Jump, -16)},
	{"bl .+0x80", w(0x48000081), branch(arch.Call, testOff+0x80)},
	{"bl . (relocated)", w(0x48000001), branch(arch.Call, testOff)},
	{"bl .+4", w(0x48000005), pcRead(testOff + 4)},
	{"bla 0x2000", w(0x48002003), branch(arch.Call, 0x2000)},
	{"beq .+8", w(0x41820008), branch(arch.JumpCond, testOff+8)},
	{"bne cr7,.-0x10", w(0x409efff0), branch(arch.JumpCond, testOff-0x10)},
	{"bc 20,lt,.+0x10", w(0x42800010), branch(arch.Jump, testOff+0x10)},
	{"bdnz .-0x24", w(0x4200ffdc), branch(arch.JumpCond, testOff-0x24)},
	{"beqa 0x10", w(0x41820012), branch(arch.JumpCond, 0x10)},
	{"bcl 20,4*cr7+so,.+4", w(0x429f0005), pcRead(testOff + 4)},
	{"beql .+0xd4", w(0x418200d5), branch(arch.Call, testOff+0xd4)},
	{"beql .+4", w(0x41820005), pcRead(testOff + 4)},
	{"bcl 20,4*cr7+so,.+0x1d0", w(0x429f01d1), branch(arch.Call, testOff+0x1d0)},
	{"bcla 20,4*cr7+so,4", w(0x429f0007), branch(arch.Call, 4)},

	// Branches through registers.
	{"blr", w(0x4e800020), insn(arch.Return)},
	{"beqlr", w(0x4d820020), insn(arch.ReturnCond)},
	{"bnelr cr7", w(0x4c9e0020), insn(arch.ReturnCond)},
	{"bdnzlr", w(0x4e000020), insn(arch.ReturnCond)},
	{"blrl", w(0x4e800021), insn(arch.CallDynamic)},
	{"beqlrl", w(0x4d820021), insn(arch.CallDynamic)},
	{"bctr", w(0x4e800420), insn(arch.JumpDynamic)},
	{"beqctr", w(0x4d820420), insn(arch.JumpDynamicCond)},
	{"bnectr", w(0x4c820420), insn(arch.JumpDynamicCond)},
	{"bctrl", w(0x4e800421), insn(arch.CallDynamic)},
	{"beqctrl", w(0x4d820421), insn(arch.CallDynamic)},
	{"btar", w(0x4e800460), insn(arch.JumpDynamic)},
	{"beqtar", w(0x4d820460), insn(arch.JumpDynamicCond)},
	{"btarl", w(0x4e800461), insn(arch.CallDynamic)},

	// Traps.
	{"trap", w(0x7fe00008), trapInsn(arch.Bug, 31)},
	{"twui r0,0 (BUG)", w(0x0fe00000), trapInsn(arch.Bug, 31)},
	{"tdu r0,r0", w(0x7fe00088), trapInsn(arch.Bug, 31)},
	{"tdnei r3,0", w(0x0b030000), trapInsn(arch.TrapCond, 24)},
	{"twnei r9,0", w(0x0f090000), trapInsn(arch.TrapCond, 24)},
	{"tdlti r3,5", w(0x0a030005), trapInsn(arch.TrapCond, 16)},
	{"tweq r3,r4", w(0x7c832008), trapInsn(arch.TrapCond, 4)},
	{"tdi 0,r0,72 (FIXUP_ENDIAN)", w(0x08000048), trapInsn(arch.TrapCond, 0)},

	// System calls and interrupt returns.
	{"sc", w(0x44000002), insn(arch.ContextSwitch)},
	{"sc 1", w(0x44000022), other()},
	{"sc 2", w(0x44000042), other()},
	{"scv 0", w(0x44000001), insn(arch.ContextSwitch)},
	{"rfid", w(0x4c000024), insn(arch.ContextSwitch)},
	{"hrfid", w(0x4c000224), insn(arch.ContextSwitch)},
	{"urfid", w(0x4c000264), insn(arch.ContextSwitch)},
	{"rfscv", w(0x4c0000a4), insn(arch.ContextSwitch)},
	{"rfebb 1", w(0x4c000924), insn(arch.ContextSwitch)},
	{"stop", w(0x4c0002e4), other()},

	// No-ops.
	{"nop", w(0x60000000), insn(arch.Nop)},
	{"ori r2,r2,0", w(0x60420000), insn(arch.Nop)},
	{"xnop", w(0x68000000), other(clobberR0)},
	{"mr r1,r1 (HMT_LOW)", w(0x7c210b78), other()},
	{"mr r31,r31", w(0x7ffffb78), other()},

	// LR.
	{"mflr r0", w(0x7c0802a6), other(toReg(0, reg(32)))},
	{"mflr r31", w(0x7fe802a6), other(toReg(31, reg(32)))},
	{"mflr r1", w(0x7c2802a6), other(toReg(1, reg(32)))},
	{"mtlr r0", w(0x7c0803a6), other(toReg(32, reg(0)))},
	{"mtctr r0", w(0x7c0903a6), other()},
	{"mfctr r1", w(0x7c2902a6), other(clobber)},

	// Doubleword stores and loads.
	{"std r0,16(r1)", w(0xf8010010), other(toMem(1, 16, 0))},
	{"std r31,-8(r1)", w(0xfbe1fff8), other(toMem(1, -8, 31))},
	{"std r3,120(r31)", w(0xf87f0078), other(toMem(31, 120, 3))},
	{"std r2,24(r1)", w(0xf8410018), other(toMem(1, 24, 2))},
	{"std r1,2328(r13)", w(0xf82d0918), other(toMem(13, 2328, 1))},
	{"std r3,8(r9)", w(0xf8690008), other()},
	{"std r1,8(0)", w(0xf8200008), other()},
	{"ld r0,16(r1)", w(0xe8010010), other(toReg(0, mem(1, 16)))},
	{"ld r31,-8(r1)", w(0xebe1fff8), other(toReg(31, mem(1, -8)))},
	{"ld r1,0(r1)", w(0xe8210000), other(toReg(1, mem(1, 0)))},
	{"ld r1,56(r1)", w(0xe8210038), other(toReg(1, mem(1, 56)))},
	{"ld r1,2320(r13)", w(0xe82d0910), other(toReg(1, mem(13, 2320)))},
	{"ld r3,8(r31)", w(0xe87f0008), other(toReg(3, mem(31, 8)))},
	{"ld r3,8(r9)", w(0xe8690008), other()},
	{"ld r1,8(0)", w(0xe8200008), other(clobber)},
	{"ldx r1,r3,r4", w(0x7c23202a), other(clobber)},
	{"stdx r3,r1,r4", w(0x7c61212a), other()},
	{"stw r31,-4(r1)", w(0x93e1fffc), other()},
	{"stmw r30,-8(r1)", w(0xbfc1fff8), other()},
	{"lmw r30,-8(r1)", w(0xbbc1fff8), other()},
	{"lmw r1,0(0)", w(0xb8200000), other(clobber)},
	{"lq r0,0(r3)", w(0xe0030000), other(clobber, clobberR0)},
	{"stq r4,16(r1)", w(0xf8810012), other()},

	// Updates.
	{"stdu r1,-112(r1)", w(0xf821ff91), other(toMem(1, -112, 1), toReg(1, add(1, -112)))},
	{"stdu r1,32736(r31)", w(0xf83f7fe1), other(toMem(31, 32736, 1), toReg(31, add(31, 32736)))},
	{"stdu r1,16(r9)", w(0xf8290011), other(toMem(9, 16, 1))},
	{"stdu r0,-16(r1)", w(0xf801fff1), other(toMem(1, -16, 0), toReg(1, add(1, -16)))},
	{"stdu r3,8(r9)", w(0xf8690009), other()},
	{"stdux r1,r1,r9", w(0x7c21496a), other(toReg(1, addIndex(1, 9)))},
	{"stdux r10,r1,r9", w(0x7d41496a), other(toReg(1, addIndex(1, 9)))},
	{"ldux r1,r3,r4", w(0x7c23206a), other(clobber)},
	{"ldu r3,8(r1)", w(0xe8610009), other(toReg(3, mem(1, 8)), toReg(1, add(1, 8)))},
	{"stwu r1,-32(r1)", w(0x9421ffe0), other(toReg(1, add(1, -32)))},
	{"lwzu r3,4(r31)", w(0x847f0004), other(toReg(31, add(31, 4)))},
	{"lwzu r1,4(r3)", w(0x84230004), other(clobber)},
	{"stfdu f1,-8(r1)", w(0xdc21fff8), other(toReg(1, add(1, -8)))},

	// Arithmetic on r1 and r31.
	{"addi r1,r1,112", w(0x38210070), other(toReg(1, add(1, 112)))},
	{"addi r1,r1,-112", w(0x3821ff90), other(toReg(1, add(1, -112)))},
	{"addi r31,r1,64", w(0x3be10040), other(toReg(31, add(1, 64)))},
	{"addi r1,r31,64", w(0x383f0040), other(toReg(1, add(31, 64)))},
	{"addi r3,r1,120", w(0x38610078), other(toReg(3, add(1, 120)))},
	{"addi r3,r3,1", w(0x38630001), other()},
	{"addi r31,r1,0", w(0x3be10000), other(toReg(31, reg(1)))},
	{"addis r1,r1,-1", w(0x3c21ffff), other(toReg(1, add(1, -65536)))},
	{"addis r9,r1,1", w(0x3d210001), other(toReg(9, add(1, 65536)))},
	{"addis r2,r12,0 (global entry)", w(0x3c4c0000), other()},
	{"li r1,0", w(0x38200000), other(toReg(1, konst(0)))},
	{"li r1,-1", w(0x3820ffff), other(toReg(1, konst(-1)))},
	{"lis r1,16", w(0x3c200010), other(toReg(1, konst(0x100000)))},
	{"li r31,0", w(0x3be00000), other()},
	{"mr r31,r1", w(0x7c3f0b78), other(toReg(31, reg(1)))},
	{"mr r1,r31", w(0x7fe1fb78), other(toReg(1, reg(31)))},
	{"mr r1,r3", w(0x7c611b78), other(toReg(1, reg(3)))},
	{"mr r3,r31", w(0x7fe3fb78), other(toReg(3, reg(31)))},
	{"mr r3,r4", w(0x7c832378), other()},
	{"mr. r1,r3", w(0x7c611b79), other(toReg(1, reg(3)))},
	{"or r1,r3,r4", w(0x7c612378), other(clobber)},
	{"add r1,r1,r9", w(0x7c214a14), other(toReg(1, addIndex(1, 9)))},
	{"add r1,r9,r1", w(0x7c290a14), other(toReg(1, addIndex(1, 9)))},
	{"add r1,r3,r4", w(0x7c232214), other(toReg(1, addIndex(3, 4)))},
	{"add r3,r1,r4", w(0x7c612214), other()},
	{"clrrdi r1,r1,4", w(0x782106e4), other(toReg(1, and(1, -16)))},
	{"clrldi r1,r1,32", w(0x78210020), other(toReg(1, and(1, -1)))}, // mask 0xffffffff: Off keeps 32 bits
	{"sldi r1,r1,4", w(0x782126e4), other(clobber)},
	{"clrldi r3,r1,32", w(0x78230020), other()},
	{"ori r1,r1,32768", w(0x60218000), other(clobber)},
	{"subf r1,r3,r1", w(0x7c230850), other(clobber)},
	{"mfmsr r1", w(0x7c2000a6), other(clobber)},
	{"cmpdi r1,-720", w(0x2c21fd30), other()},
	{"tdgei r1,-720", w(0x0981fd30), trapInsn(arch.TrapCond, 12)},
	{"dcbt r1,r3", w(0x7c011a2c), other()},

	// Prefixed (Power10).
	{"pld r31,-8(r1)", w(0x0403ffff, 0xe7e1fff8), prefixed(toReg(31, mem(1, -8)))},
	{"pstd r0,16(r1)", w(0x04000000, 0xf4010010), prefixed(toMem(1, 16, 0))},
	{"pstd r3,8(r1)", w(0x04000000, 0xf4610008), prefixed(toMem(1, 8, 3))},
	{"paddi r1,r1,-4096", w(0x0603ffff, 0x3821f000), prefixed(toReg(1, add(1, -4096)))},
	{"pla r1,0", w(0x06100000, 0x38200000), prefixed(clobber)},
	{"pld r1,0 (PC-relative)", w(0x04100000, 0xe4200000), prefixed(clobber)},
	{"pld r3,8(r9)", w(0x04000000, 0xe4690008), prefixed()},

	// Real instructions x/arch does not know.
	{"nap", w(0x4c000364), other()},
	{"sleep", w(0x4c0003a4), other()},
	{"rvwinkle", w(0x4c0003e4), other()},
	{"doze", w(0x4c000324), other()},
	{"rfi", w(0x4c000064), insn(arch.ContextSwitch)},
	{"tabort. r9", w(0x7c09071d), other()},
	{"treclaim. r4", w(0x7c04075d), other()},
	{"trechkpt.", w(0x7c0007dd), other()},
	{"tbegin.", w(0x7c00051d), other()},
	{"icswx. r31,r0,r30", w(0x7fe0f32d), other()},
	{"icswepx. r3,r4,r5", w(0x7c642f6d), other()},
}

func w(words ...uint32) []uint32 { return words }

// encode returns words in byte order order.
func encode(order binary.ByteOrder, words []uint32) []byte {
	b := make([]byte, 4*len(words))
	for i, x := range words {
		order.PutUint32(b[4*i:], x)
	}
	return b
}

func TestDecode(t *testing.T) {
	for _, order := range byteOrders {
		a := New(order)
		for _, tt := range decodeTests {
			var got arch.Insn
			if err := a.Decode(encode(order, tt.words), testOff, &got); err != nil {
				t.Errorf("%s: Decode(%s %08x) error: %v", a.Name, tt.asm, tt.words, err)
				continue
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: Decode(%s %08x) mismatch (-want +got):\n%s", a.Name, tt.asm, tt.words, diff)
			}
		}
	}
}

// TestDecodeTrailingBytes checks that what follows an instruction does not
// change its decoding.
func TestDecodeTrailingBytes(t *testing.T) {
	for _, order := range byteOrders {
		a := New(order)
		for _, tt := range decodeTests {
			code := append(encode(order, tt.words), 0xff, 0xff, 0xff, 0xff)
			var got arch.Insn
			if err := a.Decode(code, testOff, &got); err != nil {
				t.Errorf("%s: Decode(%s + ffffffff) error: %v", a.Name, tt.asm, err)
			} else if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: Decode(%s + ffffffff) mismatch (-want +got):\n%s", a.Name, tt.asm, diff)
			}
		}
	}
}

// errorTests are byte strings that do not decode, and how far the decoder
// says to step.
var errorTests = []struct {
	name    string
	code    func(binary.ByteOrder) []byte
	err     error
	wantLen uint8
}{
	{"empty", bytesOf(), arch.ErrTruncated, 1},
	{"two bytes", bytesOf(0x60, 0x00), arch.ErrTruncated, 2},
	{"prefix alone", words(0x04000000), arch.ErrTruncated, 4},
	{"prefix and half a suffix", func(o binary.ByteOrder) []byte {
		return append(encode(o, w(0x04000000)), 0, 0)
	}, arch.ErrTruncated, 4},
	{"zero word", words(0x00000000), arch.ErrUnknown, 4},
	{"switch-table entry", words(0x00000694), arch.ErrUnknown, 4},
	{"switch-table entry that is attn", words(0x00000200), arch.ErrUnknown, 4},
	{"rfid in the other byte order", words(0x2400004c), arch.ErrUnknown, 4},
	{"bcl 20,31,.+4; mflr r10 in the other byte order", words(0x05009f42, 0xa602487d), arch.ErrUnknown, 4},
	{"prefix with an unknown suffix", words(0x04000000, 0x00000000), arch.ErrUnknown, 4},
}

func bytesOf(b ...byte) func(binary.ByteOrder) []byte {
	return func(binary.ByteOrder) []byte { return b }
}

func words(x ...uint32) func(binary.ByteOrder) []byte {
	return func(o binary.ByteOrder) []byte { return encode(o, x) }
}

func TestDecodeErrors(t *testing.T) {
	for _, order := range byteOrders {
		a := New(order)
		for _, tt := range errorTests {
			in := arch.Insn{Kind: arch.Call, NOps: 2, Target: 7}
			err := a.Decode(tt.code(order), testOff, &in)
			if !errors.Is(err, tt.err) {
				t.Errorf("%s: Decode(%s) error = %v, want %v", a.Name, tt.name, err, tt.err)
			}
			want := arch.Insn{Len: tt.wantLen}
			if diff := cmp.Diff(want, in); diff != "" {
				t.Errorf("%s: Decode(%s) insn mismatch (-want +got):\n%s", a.Name, tt.name, diff)
			}
		}
	}
}

func TestNew(t *testing.T) {
	for _, tt := range []struct {
		order binary.ByteOrder
		name  string
	}{
		{binary.LittleEndian, "ppc64le"},
		{binary.BigEndian, "ppc64"},
		{binary.NativeEndian, "ppc64le"}, // the tests run on little-endian hosts
	} {
		a := New(tt.order)
		if a.Name != tt.name {
			t.Errorf("New(%v).Name = %q, want %q", tt.order, a.Name, tt.name)
		}
		if a.ByteOrder != tt.order || a.DecodeLock == nil || !a.HasLR || a.Decode == nil {
			t.Errorf("New(%v) = %+v", tt.order, a)
		}
		if a.NumRegs != 33 || a.SP != 1 || a.FP != 31 || a.LR != 32 || a.RA != 32 {
			t.Errorf("New(%v) registers: NumRegs %d SP %d FP %d LR %d RA %d", tt.order,
				a.NumRegs, a.SP, a.FP, a.LR, a.RA)
		}
		if a.EntryCFA != (arch.Loc{Base: 1, Off: 0}) || a.EntryStackSize != 0 || a.EntryRegs != nil {
			t.Errorf("New(%v) entry state: CFA %+v size %d regs %v", tt.order,
				a.EntryCFA, a.EntryStackSize, a.EntryRegs)
		}
		if a.PtrSize != 8 || a.InsnAlign != 4 || a.BranchRelocBias != 0 {
			t.Errorf("New(%v): PtrSize %d InsnAlign %d BranchRelocBias %d", tt.order,
				a.PtrSize, a.InsnAlign, a.BranchRelocBias)
		}
	}
}

func TestCalleeSaved(t *testing.T) {
	a := New(binary.LittleEndian)
	var got []arch.Reg
	for r := range arch.Reg(64) {
		if a.IsCalleeSaved(r) {
			got = append(got, r)
		}
	}
	want := []arch.Reg{14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("callee-saved registers mismatch (-want +got):\n%s", diff)
	}
}

// TestExtraInsnsUnknownToXArch checks that every encoding in extraInsns is
// one x/arch rejects: if a new x/arch learns one, the table entry is dead
// and the handler tables should take over.
func TestExtraInsnsUnknownToXArch(t *testing.T) {
	for _, e := range extraInsns {
		code := encode(binary.BigEndian, w(e.value))
		if x, err := decodeXArch(code); err == nil {
			t.Errorf("x/arch decodes %08x as %v; drop it from extraInsns", e.value, x)
		}
	}
}

func ExampleNew() {
	a := New(binary.BigEndian)
	var in arch.Insn
	code := []byte{0xf8, 0x21, 0xff, 0x91} // stdu r1,-112(r1)
	if err := a.Decode(code, 0x20, &in); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Name, in.Len, in.Kind)
	for _, op := range in.StackOps() {
		fmt.Printf("%+v <- %+v\n", op.Dst, op.Src)
	}
	// Output:
	// ppc64 4 other
	// {Type:1 Reg:1 Off:-112} <- {Type:0 Reg:1 Index:0 HasIndex:false Off:0}
	// {Type:0 Reg:1 Off:0} <- {Type:5 Reg:1 Index:0 HasIndex:false Off:-112}
}

// decodeXArch calls x/arch's decoder, counting its "no operation" result
// for the zero word as the error it is.
func decodeXArch(code []byte) (ppc64asm.Inst, error) {
	x, err := ppc64asm.Decode(code, binary.BigEndian)
	if err == nil && x.Op == 0 {
		err = errors.New("no operation")
	}
	return x, err
}
