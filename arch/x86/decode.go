package x86

import (
	"fmt"
	"slices"

	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/x86/x86asm"
)

// The x86-specific instruction flags, in bits package arch leaves free.
// objtool prints a message on each while decoding; New's Notes hold the
// texts.
const (
	// FlagInvalidLEA marks lea with a register operand (8d, ModRM mod 3).
	FlagInvalidLEA arch.InsnFlags = 1 << (7 - iota)
	// FlagENQCMD marks enqcmd (f2 0f 38 f8, f2 the only prefix byte).
	FlagENQCMD
)

// maxInsnLen is the longest x86 instruction; longer ones are invalid even
// when more bytes follow.
const maxInsnLen = 15

// Decode decodes the x86-64 instruction at the start of code, which sits at
// offset off of its section, into in. It reports what objtool 6.12's x86
// decoder reports: the instruction's length, objtool's instruction type
// and stack operations, and for direct jumps and calls the target
// off+len+immediate (objtool's arch_jump_destination). Target == off+Len
// says the immediate is 0, which objtool also reads: it leaves such a
// jump in an alternative where it is.
//
// On failure, where objtool would stop with "can't decode instruction",
// in.Len is 1. Of in.Ops, only the first in.NOps are written: the rest
// keep what they held (clearing 96 bytes of them at every instruction
// cost vmlinux.o 28 ms of its decoding).
func Decode(code []byte, off uint64, in *arch.Insn) error {
	in.Len, in.Kind, in.HasTarget, in.NOps, in.Flags, in.Target, in.Imm = 0, 0, false, 0, 0, 0, 0
	var f fields
	if e := f.decode(code); e != errNone {
		in.Len = 1
		return e.wrap(code)
	}
	in.Len = uint8(f.length)
	if f.vex {
		return nil // objtool classifies no VEX or EVEX instruction
	}
	c := classifier{f: &f, in: in}
	c.setRegs()
	c.classify()
	if in.Kind == arch.JumpCond || in.Kind == arch.Jump || in.Kind == arch.Call {
		in.HasTarget = true
		in.Target = int64(off) + int64(f.length) + int64(f.imm)
	}
	return nil
}

// fields is an instruction split into the parts objtool's classification
// reads, as the kernel's decoder (insn.c) presents them to it.
type fields struct {
	// pfx holds the distinct legacy prefixes in order, at most four, except
	// that pfx[3] is always the last prefix byte (swapped in from its
	// earlier slot when there were four distinct ones), as insn.c records
	// them. npfx counts every legacy prefix byte, repeats included.
	pfx  [4]byte
	npfx int
	rex  byte // the REX prefix, 0 without one
	vex  bool // a VEX or EVEX instruction, which objtool does not classify

	op  [3]byte // opcode bytes, escapes included
	nop int
	// modrm and sib are the bytes in the ModRM and SIB places after the
	// opcode: only instructions that have them are classified by them.
	modrm, sib byte

	disp   int32 // displacement of a memory operand, sign-extended
	imm    int32 // relative offset of a direct branch, or first immediate
	length int

	// fallback says the opcode tables decoded the instruction (opmap.go),
	// not x86asm; undefined, that they decoded an opcode that is no
	// instruction of 64-bit mode, which Decode rejects.
	fallback, undefined bool
}

// A decodeError is why fields.decode failed.
type decodeError uint8

const (
	errNone      decodeError = iota
	errTruncated             // the bytes ran out before the instruction did
	errTooLong               // the instruction would pass 15 bytes
	errInvalid               // not an instruction of x86asm or of the opcode map
)

// wrap turns a decode failure into an error wrapping arch.ErrTruncated or
// arch.ErrUnknown.
func (e decodeError) wrap(code []byte) error {
	n := min(len(code), maxInsnLen)
	switch e {
	case errTruncated:
		return fmt.Errorf("x86: % x: %w", code[:n], arch.ErrTruncated)
	case errTooLong:
		return fmt.Errorf("x86: % x: longer than %d bytes: %w", code[:n], maxInsnLen, arch.ErrUnknown)
	}
	return fmt.Errorf("x86: % x: %w", code[:n], arch.ErrUnknown)
}

// The emulation prefixes: ud2 followed by "xen" or "kvm" marks an
// instruction a hypervisor emulates, and the kernel's decoder takes the
// five bytes as part of the instruction that follows them.
var emulatePrefixes = [...][5]byte{
	{0x0f, 0x0b, 'x', 'e', 'n'},
	{0x0f, 0x0b, 'k', 'v', 'm'},
}

// emulatePrefixLen returns the length of the emulation prefix code starts
// with, 0 for none.
func emulatePrefixLen(code []byte) int {
	if len(code) >= 5 && code[0] == 0x0f && code[1] == 0x0b {
		for _, p := range &emulatePrefixes {
			if [5]byte(code) == p {
				return len(p)
			}
		}
	}
	return 0
}

// decode decodes the 64-bit mode instruction at the start of code into f
// (see decodeInsn).
func (f *fields) decode(code []byte) decodeError {
	code = code[:min(len(code), maxInsnLen)]
	emulate := emulatePrefixLen(code)
	e := f.decodeInsn(code[emulate:], len(code) == maxInsnLen)
	f.length += emulate
	return e
}

// decodeInsn decodes one instruction without an emulation prefix. full says
// that code was cut at the 15-byte limit, so that running out of bytes
// means too long rather than truncated.
//
// The opcode tables come first: they are the kernel's decoder, which
// objtool uses, and they decode four times as fast as x86asm (over the
// x86-orc corpus's 796,901 instructions: 60 ms against 254 ms, with the
// same instruction, stack operations and target for every one). x86asm
// takes what they leave: VEX and EVEX instructions, and opcodes the map
// does not define, which the tables then decode as the kernel does if
// x86asm cannot.
func (f *fields) decodeInsn(code []byte, full bool) decodeError {
	table := fields{fallback: true}
	e := table.decodeTable(code)
	if e == errNone && !table.undefined && !table.vex {
		*f = table
		return errNone
	}
	*f = fields{}
	inst, err := x86asm.Decode(code, 64)
	if err == nil && inst.Op != 0 && f.fromInst(&inst, code) {
		return errNone
	}
	*f = table
	switch {
	case e == errTruncated && full:
		return errTooLong
	case e == errNone && f.undefined:
		return errInvalid
	default:
		return e
	}
}

// fromInst fills f from x86asm's decoding of the instruction at the start
// of code. It reports false for the instructions whose length x86asm and
// the kernel's decoder disagree on, which the opcode tables decode instead.
func (f *fields) fromInst(inst *x86asm.Inst, code []byte) bool {
	var legacy [len(inst.Prefix)]byte
	nlegacy := 0
	for _, p := range inst.Prefix {
		if p == 0 {
			break
		}
		switch {
		case p.IsVEX() || p.IsEVEX():
			return f.fromVEX(inst, code)
		case p.IsREX():
			f.rex = byte(p) // the last prefix
		default:
			legacy[nlegacy] = byte(p)
			nlegacy++
		}
	}
	f.setPrefixes(legacy[:nlegacy])
	o := inst.Opcode
	ob := [4]byte{byte(o >> 24), byte(o >> 16), byte(o >> 8), byte(o)}
	f.nop = 1
	if ob[0] == 0x0f {
		f.nop = 2
		if ob[1] == 0x38 || ob[1] == 0x3a {
			f.nop = 3
		}
	}
	copy(f.op[:], ob[:f.nop])
	if f.nop == 2 && ob[1] == 0xff {
		return false // ud0: x86asm reads a ModRM, the kernel's decoder none
	}
	// x86asm records the ModRM and SIB bytes after the opcode, as far as
	// four bytes go.
	f.modrm = ob[f.nop]
	if f.nop < 3 {
		f.sib = ob[f.nop+1]
	}
	f.length = inst.Len
	immSet := false
	for _, a := range inst.Args {
		switch a := a.(type) {
		case nil:
			return true
		case x86asm.Mem:
			f.disp = int32(a.Disp)
		case x86asm.Rel:
			f.imm = int32(a)
		case x86asm.Imm:
			if !immSet {
				f.imm, immSet = int32(a), true
			}
		}
	}
	return true
}

// fromVEX takes the length of a VEX or EVEX instruction from x86asm,
// which decodes them only at the start of code, unless it is one x86asm
// gets wrong: vzeroupper and vzeroall (VEX 0f 77), which have no ModRM
// but get one from x86asm; EVEX maps 4 to 7, of whose 3-bit map field
// x86asm reads two bits; and instructions cut short, whose ModRM x86asm
// does not always miss.
func (f *fields) fromVEX(inst *x86asm.Inst, code []byte) bool {
	n := vexSize(code[0])
	m := vexMap(code)
	switch {
	case code[0] == 0x62 && m >= 4:
		return false
	case code[0] != 0x62 && m == 1 && code[n] == 0x77:
		return false
	}
	if size, e := modRMSize(code, n+1); e != errNone || inst.Len < n+1+size {
		return false
	}
	f.vex = true
	f.length = inst.Len
	return true
}

// setPrefixes records the legacy prefix bytes pb the way insn.c does: each
// distinct prefix once, in order, at most four of them, with the last byte
// in pfx[3] (swapped with its own earlier slot when the four are full).
func (f *fields) setPrefixes(pb []byte) {
	f.npfx = len(pb)
	if len(pb) == 0 {
		return
	}
	nb := 0
	for _, b := range pb {
		if nb < len(f.pfx) && !slices.Contains(f.pfx[:nb], b) {
			f.pfx[nb] = b
			nb++
		}
	}
	last := pb[len(pb)-1]
	if last != f.pfx[3] {
		if old := f.pfx[3]; old != 0 {
			for i, p := range f.pfx[:nb] {
				if p == last {
					f.pfx[i] = old
				}
			}
		}
		f.pfx[3] = last
	}
}

// lastPrefix returns the prefix identifier of the last legacy prefix.
func (f *fields) lastPrefix() int { return lastPrefixID(f.pfx[3]) }

// The prefix identifiers: none, or the last legacy prefix 66, F3 or F2.
const (
	pfxNone = iota
	pfx66
	pfxF3
	pfxF2
)

// lastPrefixID is the identifier of a last legacy prefix byte.
func lastPrefixID(b byte) int {
	switch b {
	case 0x66:
		return pfx66
	case 0xf3:
		return pfxF3
	case 0xf2:
		return pfxF2
	}
	return pfxNone
}
