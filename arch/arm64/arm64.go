package arm64

import (
	"encoding/binary"
	"fmt"
	"sync"

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
		DecodeLock: &arm64asmLock,
		// head.S places code (and its alternatives) in .idmap.text, which
		// is not flagged executable.
		AltCode:    []string{".idmap.text"},
		FindSwitch: FindSwitch,
		Specials:   specials(),
		// No cpucap is treated specially: arm64 objtool has no --uaccess
		// (PAN is toggled by alternatives on ARM64_HAS_PAN like any other
		// feature), and every original path is followed. cpucap 0 exists
		// (ARM64_ALWAYS_BOOT), so the zero value would not do.
		Alts: arch.Alternatives{UaccessFeature: -1, SkipOrigFeature: -1},
		// No fentry symbol: arm64 traces functions through
		// -fpatchable-function-entry nops, not a call to _mcount, and Linux
		// 6.12 has no retpolines or return thunks on arm64. HintBase stays
		// nil: arm64 has no unwind hints.
		DWARF:    arch.DWARFRegs{SP: 31, FP: 29, SPName: "sp", FPName: "x29", NegateRA: true},
		RegNames: arch.NumberedRegs("x", 31, "sp"),
		Syntax:   syntax(),
		// Upstream objtool does not run on arm64 in Linux 6.12, and no
		// annotation moves C jump tables into a section of their own.
		NoValidation:        true,
		CJumpTablesAnywhere: true,
		Relocs:              relocs(),
		Decode:              Decode,
	}
}

// cbBit is ARM64_CB_BIT, set in the cpucap of an alternative_cb entry: its
// new field names a callback function that writes the replacement
// instructions at boot, and its new length is 0.
const cbBit = 1 << 15

// specials lists the arm64 special sections of Linux 6.12, in the order
// objtool reads them; TestSpecialsCorpus holds them to the corpus.
//
// .altinstructions holds struct alt_instr (asm/alternative.h,
// alternative-macros.h): s32 orig_offset and s32 alt_offset, PC-relative
// (R_AARCH64_PREL32), u16 cpucap, u8 orig_len, u8 alt_len. An entry with
// cbBit set in cpucap (alternative_cb, ALTERNATIVE_CB) has alt_len 0 and
// its alt_offset names the callback (alt_cb_patch_nops, kvm_update_va_mask,
// ...), not code.
//
// __jump_table holds struct jump_entry (asm/jump_label.h): s32 code and s32
// target (PREL32), s64 key (R_AARCH64_PREL64) whose addend's bit 0 is the
// branch flag. The code is a nop (arch_static_branch) or a b to the
// target (arch_static_branch_jump).
//
// __ex_table holds struct exception_table_entry (asm/asm-extable.h): s32
// insn and s32 fixup (PREL32), s16 type (EX_TYPE_*), s16 data.
//
// __kvm_ex_table holds KVM's own entries for code that runs at EL2 or
// probes it (asm/kvm_asm.h, __kvm_at and the hyp's sysreg accessors): s32
// insn and s32 fixup (PREL32), 8-byte aligned.
func specials() []arch.SpecialSection {
	return []arch.SpecialSection{{
		Name: ".altinstructions", Kind: arch.SpecialGroup, EntrySize: 12,
		Orig: 0, New: 4, Feature: 8, OrigLen: 10, NewLen: 11, Key: -1,
		OrigEnd: -1, NewEnd: -1,
	}, {
		Name: "__jump_table", Kind: arch.SpecialJumpLabel, EntrySize: 16,
		Orig: 0, New: 4, Key: 8, OrigLen: -1, NewLen: -1, Feature: -1,
		OrigEnd: -1, NewEnd: -1,
	}, {
		Name: "__ex_table", Kind: arch.SpecialExTable, EntrySize: 12,
		Orig: 0, New: 4, OrigLen: -1, NewLen: -1, Feature: -1, Key: -1,
		OrigEnd: -1, NewEnd: -1,
	}, {
		Name: "__kvm_ex_table", Kind: arch.SpecialExTable, EntrySize: 8,
		Orig: 0, New: 4, OrigLen: -1, NewLen: -1, Feature: -1, Key: -1,
		OrigEnd: -1, NewEnd: -1,
	}}
}

// arm64asmLock serializes the process's calls of arm64asm.Decode, which
// writes package state: the one mutable package variable, for a
// dependency's own.
var arm64asmLock sync.Mutex

// Decode decodes the instruction word at the start of code, which sits at
// offset off of its section, into in. It follows the arch.Arch Decode
// contract: in.Len is 4 whatever happens, and the error wraps
// arch.ErrTruncated when code holds fewer than 4 bytes or arch.ErrUnknown
// when the word is not an instruction.
//
// Decode keeps no state of its own, but it calls arm64asm.Decode, which
// writes package state and so is not safe for concurrent use: callers
// hold the Arch's DecodeLock.
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
