package ppc64

import (
	"encoding/binary"

	"github.com/objcheck/objcheck/arch"
)

// Register numbers in stack state (objtool's powerpc CFI numbering).
const (
	regSP   arch.Reg = 1  // r1, the stack pointer
	regFP   arch.Reg = 31 // r31, GCC's frame pointer when a function needs one
	regLR   arch.Reg = 32 // the link register, objtool's CFI_RA
	numRegs          = 33
)

// calleeSaved holds r14-r31, the ELFv2 non-volatile general registers, and
// LR. LR is not preserved by a call, but it holds the return address at entry
// and a function that calls out saves it (mflr r0; std r0,16(r1)), so the
// checker must track where it is saved the way it tracks r14-r31. r2 (the TOC
// pointer) and r13 (the paca) are left out: a callee does not save them on
// its stack, the TOC is restored by the caller from its own frame.
const calleeSaved uint64 = (1<<32-1)&^(1<<14-1) | 1<<regLR

// New returns the description of 64-bit Power with the given byte order:
// "ppc64le" for little-endian, "ppc64" for big-endian. Each call returns a
// new Arch that the caller may keep or modify.
//
// At entry the CFA is r1+0 (the caller's stack pointer: the ELFv2 ABI has no
// return address on the stack) and the return address is in LR, so no saved
// register location is known. Branch relocations (R_PPC64_REL24, REL14)
// have their addend already pointing at the destination, so the bias is 0.
func New(order binary.ByteOrder) *arch.Arch {
	name := "ppc64"
	if isLittleEndian(order) {
		name = "ppc64le"
	}
	return &arch.Arch{
		Name:      name,
		ByteOrder: order,
		PtrSize:   8,
		InsnAlign: 4,
		NumRegs:   numRegs,
		SP:        regSP,
		FP:        regFP,
		RA:        regLR,
		LR:        regLR,
		HasLR:     true,
		BackChain: true,
		// -mprofile-kernel calls _mcount before the frame is set up.
		Syms:             arch.Symbols{Fentry: "_mcount"},
		Specials:         specials(),
		AltCode:          []string{"__ftr_alt_"},
		PCReadNotCall:    true,
		TrailingCallsEnd: true,
		WarnTable:        true,
		CalleeSaved:      calleeSaved,
		EntryCFA:         arch.Loc{Base: int(regSP), Off: 0},
		EntryStackSize:   0,
		BranchRelocBias:  0,
		DecodeLock:       &ppc64asmLock,
		FindSwitch:       switchFinder(order),
		DWARF:            arch.DWARFRegs{SP: 1, FP: 31, SPName: "r1", FPName: "r31"},
		RegNames:         arch.NumberedRegs("r", 32, "lr"),
		Syntax:           syntax(order),
		// Upstream objtool runs on powerpc only for --mcount, and no
		// annotation moves C jump tables into a section of their own.
		NoValidation:        true,
		CJumpTablesAnywhere: true,
		// bl func; nop: the linker turns the nop into ld r2,24(r1) when
		// func does not share the caller's TOC.
		CallSlot: true,
		// ELFv2 st_other bits 5-7 (PPC64_LOCAL_ENTRY_OFFSET): the local
		// entry is past the TOC setup.
		LocalEntry: localEntry,
		Relocs:     relocs(),
		Write:      writing(order),
		Decode: func(code []byte, off uint64, in *arch.Insn) error {
			return decode(order, code, off, in)
		},
	}
}

// isLittleEndian reports whether order puts the low byte first. It asks the
// order itself, so binary.NativeEndian works too.
func isLittleEndian(order binary.ByteOrder) bool {
	return order.Uint16([]byte{1, 0}) == 1
}

// specials lists the ppc64 tables of alternative code: the feature
// fixups (struct fixup_entry: mask, value, then the start and end of the
// original and the replacement code as offsets from the entry), and the
// jump labels (pc-relative code, target and key) and the exception table
// (pc-relative instruction and fixup), all in the order objtool would read
// them.
func specials() []arch.SpecialSection {
	fixup := func(name string) arch.SpecialSection {
		return arch.SpecialSection{Name: name, Kind: arch.SpecialRange, EntrySize: 48,
			Orig: 16, OrigEnd: 24, New: 32, NewEnd: 40, OrigLen: -1, NewLen: -1, Feature: -1, Key: -1}
	}
	return []arch.SpecialSection{
		fixup("__ftr_fixup"), fixup("__mmu_ftr_fixup"), fixup("__fw_ftr_fixup"),
		{Name: "__jump_table", Kind: arch.SpecialJumpLabel, EntrySize: 16, Orig: 0, New: 4,
			OrigLen: -1, NewLen: -1, Feature: -1, Key: 8},
		{Name: "__ex_table", Kind: arch.SpecialExTable, EntrySize: 8, Orig: 0, New: 4,
			OrigLen: -1, NewLen: -1, Feature: -1, Key: -1},
	}
}

// writing returns what objtool writes into powerpc objects (for --mcount):
// R_PPC_NONE, R_PPC64_REL32 for code, R_PPC_REL32 for data (sic: its
// R_TEXT64 and R_DATA32), R_PPC64_ADDR64 for __mcount_loc; the nop; and
// objtool's own decoder, which knows bl and the length of prefixed
// instructions and nothing else.
func writing(order binary.ByteOrder) arch.Writing {
	nop := make([]byte, 4)
	order.PutUint32(nop, 0x60000000)
	return arch.Writing{
		RelocNone: 0, RelocText: 26, RelocData: 44, RelocAbs: 38,
		Nops: [][]byte{4: nop},
		CallOnly: func(code []byte) (int, bool) {
			if len(code) < 4 {
				return len(code), false
			}
			w := order.Uint32(code)
			n := 4
			if w>>26 == 1 {
				n = 8
			}
			return n, w>>26 == 18 && w&3 == 1
		},
	}
}

// localEntry returns the offset of an ELFv2 function's local entry point
// from its symbol's st_other: bits 5-7 (PPC64_LOCAL_ENTRY_OFFSET).
func localEntry(other uint8) uint64 {
	v := (other >> 5) & 7
	return uint64((1<<v)>>2) << 2
}
