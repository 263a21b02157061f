package x86

import (
	"fmt"

	"github.com/objcheck/objcheck/arch"
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

// Decode decodes the x86-64 instruction at the start of code, which sits at
// offset off of its section, into in. It reports what objtool 6.12's x86
// decoder reports: the kernel decoder's length, objtool's instruction type
// and stack operations, and for direct jumps and calls the target
// off+len+immediate (objtool's arch_jump_destination). Target == off+Len
// says the immediate is 0, which objtool also reads: it leaves such a
// jump in an alternative where it is.
//
// On failure, where objtool would stop with "can't decode instruction",
// in.Len is 1.
func Decode(code []byte, off uint64, in *arch.Insn) error {
	*in = arch.Insn{}
	var f fields
	if e := f.decode(code); e != errNone {
		in.Len = 1
		return e.wrap(code)
	}
	in.Len = uint8(f.length)
	if f.isVEX() {
		return nil // objtool classifies no VEX or EVEX instruction
	}
	c := newClassifier(&f, in)
	c.classify()
	if in.Kind == arch.JumpCond || in.Kind == arch.Jump || in.Kind == arch.Call {
		in.HasTarget = true
		in.Target = int64(off) + int64(f.length)
		if f.hasImm {
			in.Target += int64(f.imm)
		}
	}
	return nil
}

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
