package x86

import "github.com/objcheck/objcheck/arch"

// A kindRange gives opcodes lo..hi one kind.
type kindRange struct {
	lo, hi byte
	kind   arch.Kind
}

// kindTable builds an opcode-indexed kind table; unlisted opcodes are Other.
func kindTable(ranges ...kindRange) (t [256]arch.Kind) {
	for _, r := range ranges {
		for op := int(r.lo); op <= int(r.hi); op++ {
			t[op] = r.kind
		}
	}
	return t
}

// oneByteKinds gives the kind objtool assigns to one-byte opcodes.
var oneByteKinds = kindTable(
	kindRange{0x70, 0x7f, arch.JumpCond},      // jcc rel8
	kindRange{0x90, 0x90, arch.Nop},           // nop, pause, xchg %eax,%r8d
	kindRange{0xc2, 0xc3, arch.Return},        // ret $imm16, ret
	kindRange{0xca, 0xcb, arch.ContextSwitch}, // lret $imm16, lret
	kindRange{0xcc, 0xcc, arch.Trap},          // int3
	kindRange{0xcf, 0xcf, arch.ContextSwitch}, // iret (see arch.FlagIret)
	kindRange{0xe0, 0xe3, arch.JumpCond},      // loopne, loope, loop, jrcxz
	kindRange{0xe8, 0xe8, arch.Call},          // call rel32
	kindRange{0xe9, 0xe9, arch.Jump},          // jmp rel32
	kindRange{0xeb, 0xeb, arch.Jump},          // jmp rel8
	kindRange{0xfc, 0xfc, arch.Cld},
	kindRange{0xfd, 0xfd, arch.Std},
)

// twoByteKinds gives the kind objtool assigns to 0f-map opcodes.
var twoByteKinds = kindTable(
	kindRange{0x05, 0x05, arch.ContextSwitch}, // syscall
	kindRange{0x07, 0x07, arch.ContextSwitch}, // sysret
	kindRange{0x0b, 0x0b, arch.Bug},           // ud2
	kindRange{0x0d, 0x0d, arch.Nop},           // prefetch group, nopl
	kindRange{0x1f, 0x1f, arch.Nop},           // nopl, nopw
	kindRange{0x34, 0x35, arch.ContextSwitch}, // sysenter, sysexit
	kindRange{0x80, 0x8f, arch.JumpCond},      // jcc rel32
	kindRange{0xb9, 0xb9, arch.Bug},           // ud1
)

// The stack operation sources and destinations that carry no register.
var (
	srcConst = arch.Src{Type: arch.SrcConst}
	srcPop   = arch.Src{Type: arch.SrcPop}
	dstPush  = arch.Dst{Type: arch.DstPush}
	dstMem   = arch.Dst{Type: arch.DstMem}
)

// A classifier applies objtool's classification to one instruction. Its
// register fields are objtool's: ModRM and SIB fields extended by the REX
// bits, zero when the instruction has no such byte.
type classifier struct {
	f    *fields
	in   *arch.Insn
	rexB arch.Reg // 8 when REX.B is set
	rexW bool
	mod  byte
	reg  arch.Reg // ModRM.reg
	// rm is ModRM.rm; the mov and lea forms replace it with the SIB base,
	// and objtool's addressing predicates then read the replaced value.
	rm          arch.Reg
	index, base arch.Reg // SIB
}

// setRegs reads the register fields of c's instruction, c.f, into c. The
// ModRM and SIB fields are read whether or not the instruction has those
// bytes: only the opcodes that have them look at them. It fills c in
// place: built and returned by value, the classifier was stored a byte
// at a time and read back whole, a stall that cost a fifth of the
// decoding (BenchmarkDecodeCorpus: 53 -> 41 ns an instruction).
func (c *classifier) setRegs() {
	f := c.f
	rex := f.rex
	c.rexW = rex&8 != 0
	rexR, rexX := arch.Reg(rex>>2&1)*8, arch.Reg(rex>>1&1)*8
	c.rexB = arch.Reg(rex&1) * 8
	c.mod = f.modrm >> 6
	c.reg = arch.Reg(f.modrm>>3&7) + rexR
	c.rm = arch.Reg(f.modrm&7) + c.rexB
	c.index = arch.Reg(f.sib>>3&7) + rexX
	c.base = arch.Reg(f.sib&7) + c.rexB
}

func (c *classifier) add(dst arch.Dst, src arch.Src) {
	c.in.AddOp(arch.StackOp{Dst: dst, Src: src})
}

// objtool's addressing predicates over ModRM and SIB.

func (c *classifier) isMem() bool { return c.mod != 3 }
func (c *classifier) isRIP() bool { return c.rm&7 == BP && c.mod == 0 }
func (c *classifier) hasSIB() bool {
	return c.rm&7 == SP && c.isMem()
}

// rmIs reports whether the r/m operand is based on r alone: with a SIB,
// base r and no index (and a base at all).
func (c *classifier) rmIs(r arch.Reg) bool {
	if c.hasSIB() {
		return c.base == r && c.index == SP && (c.base != BP || c.mod != 0)
	}
	return c.rm == r
}

func (c *classifier) rmIsMem(r arch.Reg) bool { return c.isMem() && !c.isRIP() && c.rmIs(r) }
func (c *classifier) rmIsReg(r arch.Reg) bool { return c.mod == 3 && c.rm == r }

// classify sets the instruction's kind, stack operations and flags.
func (c *classifier) classify() {
	op := c.f.op[0]
	c.in.Kind = oneByteKinds[op]
	switch {
	case op == 0x01 || op == 0x29: // add, sub %reg,%rsp
		if c.rexW && c.rmIsReg(SP) {
			// objtool puts the added register in src.reg, with offset 0,
			// and its state machine reads it that way: Src.Index is unused.
			c.add(regDst(SP), arch.Src{Type: arch.SrcAdd, Reg: c.reg})
		}
	case op&^7 == 0x50: // push %reg
		c.add(dstPush, regSrc(arch.Reg(op&7)+c.rexB))
	case op&^7 == 0x58: // pop %reg
		c.add(regDst(arch.Reg(op&7)+c.rexB), srcPop)
	case op == 0x68 || op == 0x6a: // push $imm
		c.add(dstPush, srcConst)
	case op&^3 == 0x80:
		c.arithImmSP(op)
	case op == 0x88 || op == 0x89:
		c.movStore(op)
	case op == 0x8b:
		c.movLoad()
	case op == 0x8d:
		c.lea()
	case op == 0x8f: // pop to memory
		c.add(dstMem, srcPop)
	case op == 0x9c: // pushf
		c.add(arch.Dst{Type: arch.DstPushF}, srcConst)
	case op == 0x9d: // popf
		c.add(dstMem, arch.Src{Type: arch.SrcPopF})
	case op == 0x0f:
		c.twoByte()
	case op == 0xc9: // leave: mov %rbp,%rsp; pop %rbp
		c.add(regDst(SP), regSrc(BP))
		c.add(regDst(BP), srcPop)
	case op == 0xcf:
		c.in.Flags |= arch.FlagIret
	case op == 0xe8: // a call pushes its return address
		c.add(dstPush, srcConst)
	case op == 0xff:
		c.group5()
	}
}

func regSrc(r arch.Reg) arch.Src { return arch.Src{Type: arch.SrcReg, Reg: r} }
func regDst(r arch.Reg) arch.Dst { return arch.Dst{Type: arch.DstReg, Reg: r} }

// arithImmSP handles 80-83 (group 1 with an immediate): add, sub and and
// on %rsp with REX.W. Offsets are objtool's int: the immediate, negated
// for sub, in 32 bits. objtool reads the immediate sign-extended from its
// size, one byte but for 81's four; x86asm gives 80's unsigned.
func (c *classifier) arithImmSP(op byte) {
	if !c.rexW || !c.rmIsReg(SP) {
		return
	}
	imm := c.f.imm
	if op != 0x81 {
		imm = int32(int8(imm))
	}
	switch c.reg & 7 {
	case 5: // sub
		imm = -imm
		fallthrough
	case 0: // add
		c.add(regDst(SP), arch.Src{Type: arch.SrcAdd, Reg: SP, Off: imm})
	case 4: // and
		c.add(regDst(SP), arch.Src{Type: arch.SrcAnd, Reg: SP, Off: imm})
	}
}

// sibBaseOnly replaces rm by the SIB base, as objtool does before it looks
// at a memory operand, and reports whether the SIB has no index.
func (c *classifier) sibBaseOnly() bool {
	if !c.hasSIB() {
		return true
	}
	c.rm = c.base
	return c.index == SP
}

// movStore handles 88 and 89 with REX.W: mov between registers, and stores
// of %rsp anywhere or of any register to disp(%rbp) or disp(%rsp).
func (c *classifier) movStore(op byte) {
	if !c.rexW {
		return
	}
	if op == 0x89 {
		if c.mod == 3 {
			c.add(regDst(c.rm), regSrc(c.reg))
			return
		}
		if c.isRIP() || !c.sibBaseOnly() {
			return
		}
		if c.reg == SP {
			c.add(arch.Dst{Type: arch.DstRegIndirect, Reg: c.rm, Off: c.f.disp}, regSrc(SP))
			return
		}
	}
	for _, base := range [...]arch.Reg{BP, SP} {
		if c.rmIsMem(base) {
			c.add(arch.Dst{Type: arch.DstRegIndirect, Reg: base, Off: c.f.disp}, regSrc(c.reg))
			return
		}
	}
}

// movLoad handles 8b with REX.W: loads from disp(%rbp) or disp(%rsp).
func (c *classifier) movLoad() {
	if !c.rexW {
		return
	}
	for _, base := range [...]arch.Reg{BP, SP} {
		if c.rmIsMem(base) {
			src := arch.Src{Type: arch.SrcRegIndirect, Reg: base, Off: c.f.disp}
			c.add(regDst(c.reg), src)
			return
		}
	}
}

// lea handles 8d with REX.W: lea disp(%reg),%reg, a copy when disp is 0.
func (c *classifier) lea() {
	if c.mod == 3 {
		c.in.Flags |= FlagInvalidLEA
		return
	}
	if !c.rexW || c.isRIP() || !c.sibBaseOnly() {
		return
	}
	src := arch.Src{Type: arch.SrcAdd, Reg: c.rm, Off: c.f.disp}
	if src.Off == 0 {
		src.Type = arch.SrcReg
	}
	c.add(regDst(c.reg), src)
}

// group5 handles ff: indirect calls and jumps, far jumps, push from memory.
// ModRM.reg is read with REX.R, as objtool does.
func (c *classifier) group5() {
	switch c.reg {
	case 2, 3: // call, lcall
		c.in.Kind = arch.CallDynamic
		c.notrack()
	case 4: // jmp
		c.in.Kind = arch.JumpDynamic
		c.notrack()
	case 5: // ljmp
		c.in.Kind = arch.ContextSwitch
	case 6: // push
		c.add(dstPush, srcConst)
	}
}

// notrack flags a 3e prefix among those insn.c recorded.
func (c *classifier) notrack() {
	for _, p := range c.f.pfx[:min(c.f.npfx, len(c.f.pfx))] {
		if p == 0x3e {
			c.in.Flags |= arch.FlagNotrack
			return
		}
	}
}

// twoByte classifies the 0f map.
func (c *classifier) twoByte() {
	op := c.f.op[1]
	c.in.Kind = twoByteKinds[op]
	switch op {
	case 0x01:
		c.in.Kind = c.system01()
	case 0x1e: // endbr64, endbr32; other forms are rdssp and nops
		if c.f.pfx[0] == 0xf3 && (c.f.modrm == 0xfa || c.f.modrm == 0xfb) {
			c.in.Kind = arch.Endbr
		}
	case 0x38:
		if c.f.op[2] == 0xf8 && c.f.npfx == 1 && c.f.pfx[0] == 0xf2 {
			c.in.Flags |= FlagENQCMD
		}
	case 0xa0, 0xa8: // push %fs, %gs
		c.add(dstPush, srcConst)
	case 0xa1, 0xa9: // pop %fs, %gs
		c.add(dstMem, srcPop)
	}
}

// system01 classifies 0f 01 by its whole ModRM byte: clac, stac, and with
// an F3 or F2 last prefix eretu, erets.
func (c *classifier) system01() arch.Kind {
	switch p := c.f.lastPrefix(); {
	case p == pfxF3 || p == pfxF2:
		if c.f.modrm == 0xca {
			return arch.ContextSwitch
		}
	case c.f.modrm == 0xca:
		return arch.Clac
	case c.f.modrm == 0xcb:
		return arch.Stac
	}
	return arch.Other
}
