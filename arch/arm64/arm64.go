package arm64

import (
	"encoding/binary"
	"fmt"

	"github.com/objcheck/objcheck/arch"
)

// The registers, numbered as the encoding numbers them: x0..x30 are 0..30
// and 31 is SP. The zero register (xzr, also encoded as 31) has no number:
// an operand that reads it is a constant zero, and a write to it is no
// write at all.
const (
	// FP is the frame pointer, x29.
	FP arch.Reg = 29
	// LR is the link register, x30, which holds the return address at entry.
	LR arch.Reg = 30
	// SP is the stack pointer.
	SP arch.Reg = 31
	// NumRegs is the number of registers the stack state tracks.
	NumRegs = int(SP) + 1
)

// New returns the description of arm64. Each call returns a new value,
// which the caller may change.
//
// CalleeSaved holds only x29 and x30, although the AAPCS64 makes x19..x28
// callee-saved too. objtool's arm64 ports (Chen Zhongjin's series) stopped
// tracking the others because GCC and Clang save and restore them in
// orders and slots that differ between the paths of a function (shrink-
// wrapping, stp/ldp pairing across blocks), which gave spurious "stack
// state mismatch" warnings on correct code; the frame record (x29, x30)
// is what unwinding depends on.
func New() *arch.Arch {
	return &arch.Arch{
		Name:             "arm64",
		ByteOrder:        binary.LittleEndian,
		PtrSize:          8,
		InsnAlign:        4,
		NumRegs:          NumRegs,
		SP:               SP,
		FP:               FP,
		RA:               LR,
		LR:               LR,
		HasLR:            true,
		TrailingCallsEnd: true,
		WarnTable:        true,
		CalleeSaved:      1<<FP | 1<<LR,
		// The caller's SP is the CFA, and the return address is in x30:
		// nothing is on the stack at entry.
		EntryCFA:       arch.Loc{Base: int(SP), Off: 0},
		EntryStackSize: 0,
		// A branch relocation (R_AARCH64_CALL26, JUMP26, CONDBR19, TSTBR14)
		// is relative to the branch itself.
		BranchRelocBias: 0,
		// arm64asm.Decode writes a package-level coverage slice.
		ConcurrentDecode: false,
		Decode:           Decode,
	}
}

// Decode decodes the instruction word at the start of code, which sits at
// offset off of its section, into in. It follows the arch.Arch Decode
// contract: in.Len is 4 whatever happens, and the error wraps
// arch.ErrTruncated when code holds fewer than 4 bytes or arch.ErrUnknown
// when the word is not an instruction.
//
// Decode keeps no state of its own, but it may call arm64asm.Decode, which
// is not safe for concurrent use.
func Decode(code []byte, off uint64, in *arch.Insn) error {
	*in = arch.Insn{Len: 4}
	if len(code) < 4 {
		return truncatedError(len(code))
	}
	w := binary.LittleEndian.Uint32(code)
	if !decodeWord(w, off, in) {
		return unknownError(w)
	}
	return nil
}

// An unknownError is the word that Decode did not recognise.
type unknownError uint32

func (e unknownError) Error() string {
	return fmt.Sprintf("unknown instruction 0x%08x", uint32(e))
}

func (unknownError) Unwrap() error { return arch.ErrUnknown }

// A truncatedError is the number of bytes Decode was given, fewer than 4.
type truncatedError int

func (e truncatedError) Error() string {
	return fmt.Sprintf("truncated instruction: %d of 4 bytes", int(e))
}

func (truncatedError) Unwrap() error { return arch.ErrTruncated }
