package x86

import (
	"debug/elf"
	"encoding/binary"

	"github.com/objcheck/objcheck/arch"
)

// The registers, numbered as objtool's CFI_* on x86-64.
const (
	AX arch.Reg = iota
	CX
	DX
	BX
	SP
	BP
	SI
	DI
	R8
	R9
	R10
	R11
	R12
	R13
	R14
	R15
	// RA stands for the return address in the stack state.
	RA
	// NumRegs is the number of registers the stack state tracks.
	NumRegs = int(RA) + 1
)

// The CPU features whose alternatives objtool treats specially.
const (
	featurePOPCNT = 4*32 + 23
	featureSMAP   = 9*32 + 20
)

// The sp_reg values of unwind hints (ORC_REG_*) that objtool accepts.
const (
	orcRegUndefined  = 0
	orcRegDX         = 2
	orcRegDI         = 3
	orcRegBP         = 4
	orcRegSP         = 5
	orcRegR10        = 6
	orcRegR13        = 7
	orcRegSPIndirect = 9
)

// New returns the description of x86-64. Each call returns a new value,
// which the caller may change.
func New() *arch.Arch {
	return &arch.Arch{
		Name:            "x86_64",
		ByteOrder:       binary.LittleEndian,
		PtrSize:         8,
		InsnAlign:       1,
		NumRegs:         NumRegs,
		SP:              SP,
		FP:              BP,
		RA:              RA,
		CalleeSaved:     1<<BX | 1<<BP | 1<<R12 | 1<<R13 | 1<<R14 | 1<<R15,
		EntryCFA:        arch.Loc{Base: int(SP), Off: 8},
		EntryRegs:       []arch.RegLoc{{Reg: RA, Loc: arch.Loc{Base: arch.BaseCFA, Off: -8}}},
		EntryStackSize:  8,
		BranchRelocBias: 4,
		// Decode keeps no state between calls.
		Specials: specials(),
		Syms: arch.Symbols{
			Fentry:          "__fentry__",
			RetpolinePrefix: "__x86_indirect_",
			ReturnThunk:     "__x86_return_thunk",
			Embedded:        []string{"retbleed_return_thunk", "srso_safe_ret"},
		},
		Alts: arch.Alternatives{UaccessFeature: featureSMAP, SkipOrigFeature: featurePOPCNT},
		HintBase: map[uint8]int{
			orcRegUndefined:  arch.BaseUndefined,
			orcRegSP:         int(SP),
			orcRegBP:         int(BP),
			orcRegSPIndirect: arch.BaseSPIndirect,
			orcRegR10:        int(R10),
			orcRegR13:        int(R13),
			orcRegDI:         int(DI),
			orcRegDX:         int(DX),
		},
		Notes: []arch.Note{
			{Flag: arch.FlagNotrack, Format: "notrack prefix found at %s:0x%x"},
			{Flag: FlagInvalidLEA, Format: "invalid LEA encoding at %s:0x%x"},
			{Flag: FlagENQCMD, Format: "ENQCMD instruction at %s:%x"}, // sic: no 0x
		},
		DWARF:    arch.DWARFRegs{SP: 7, FP: 6, SPName: "rsp", FPName: "rbp"},
		RegNames: regNames(),
		Syntax:   syntax(),
		// paravirt_patch_*: the pv_ops stores of .init.text are read.
		PvOpsStores: true,
		// lea .Ltable(%rip): the PC32 field ends the instruction.
		PCRelSwitchRefs: map[uint32]int64{uint32(elf.R_X86_64_PC32): 4},
		Relocs:          relocs(),
		Write:           writing(),
		Decode:          Decode,
	}
}

// specials lists the x86 special sections in the order objtool reads them.
func specials() []arch.SpecialSection {
	return []arch.SpecialSection{{
		Name: ".altinstructions", Kind: arch.SpecialGroup, EntrySize: 14,
		Orig: 0, New: 4, Feature: 8, OrigLen: 12, NewLen: 13, Key: -1,
	}, {
		Name: "__jump_table", Kind: arch.SpecialJumpLabel, EntrySize: 16,
		Orig: 0, New: 4, Key: 8, OrigLen: -1, NewLen: -1, Feature: -1,
	}, {
		Name: "__ex_table", Kind: arch.SpecialExTable, EntrySize: 12,
		Orig: 0, New: 4, OrigLen: -1, NewLen: -1, Feature: -1, Key: -1,
	}}
}

// The ORC register numbers not named above (arch/x86/include/asm/orc_types.h).
const (
	orcRegPrevSP     = 1
	orcRegBPIndirect = 8
)

// writing returns what objtool writes into x86-64 objects:
// R_X86_64_NONE, PC32 for code and data, 64 for __mcount_loc; the nops of
// arch/x86/include/asm/nops.h, a return with an int3 (and a nop) for a
// removed tail call; the ORC registers.
func writing() arch.Writing {
	return arch.Writing{
		RelocNone: 0, RelocText: 2, RelocData: 2, RelocAbs: 1,
		Nops: [][]byte{nil, {0x90}, {0x66, 0x90}, {0x0f, 0x1f, 0x00}, {0x0f, 0x1f, 0x40, 0x00},
			{0x0f, 0x1f, 0x44, 0x00, 0x00}},
		Rets: [][]byte{nil, {0xc3}, {0xc3, 0xcc}, {0xc3, 0xcc, 0x90}, {0xc3, 0xcc, 0x66, 0x90},
			{0xc3, 0xcc, 0x0f, 0x1f, 0x00}},
		ORCReg: map[int]uint8{
			int(SP): orcRegSP, arch.BaseSPIndirect: orcRegSPIndirect, int(BP): orcRegBP,
			arch.BaseBPIndirect: orcRegBPIndirect, int(R10): orcRegR10, int(R13): orcRegR13,
			int(DI): orcRegDI, int(DX): orcRegDX,
		},
		ORCBP: map[int]uint8{arch.BaseUndefined: orcRegUndefined, arch.BaseCFA: orcRegPrevSP, int(BP): orcRegBP},
	}
}
