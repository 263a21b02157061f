// Package ehframe reads the compiler's call-frame information (CFI) from an
// object's .eh_frame or .debug_frame section and turns it, for every
// function range the section describes, into a table of rows: from each
// instruction offset on, how to find the canonical frame address (CFA), the
// return address and the saved frame pointer.
//
// objcheck computes its own idea of the stack at every instruction; these
// tables are what the compiler believed, to check that against.
//
// Register numbers are DWARF's, returned as they are:
//
//	x86-64: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15, 16 return address
//	arm64:  0-30 x0-x30, 31 sp
//	ppc64:  0-31 r0-r31, 65 lr
//
// Only the CFA, the return-address column and the frame-pointer register
// are tracked (the file's arch.DWARFRegs.FP); instructions about other registers are read and
// checked but leave no trace in the rows.
//
// Supported: the CFA instructions of DWARF 2-5 (advance_loc, 1, 2, 4 and
// MIPS's 8, set_loc, def_cfa and its _sf, _register and _offset forms,
// offset and offset_extended(_sf), val_offset(_sf), restore(_extended),
// undefined, same_value, register, remember_state and restore_state, nop),
// GNU_args_size, GNU_negative_offset_extended, and on arm64
// AARCH64_negate_ra_state (and its _with_pc form), which toggles
// Row.RASigned. DWARF expressions (def_cfa_expression, expression,
// val_expression) are skipped and their rules marked Expression. CIEs of
// version 1, 3 and 4, with augmentations z, R, P, L, S, B and G (letters
// after an unknown one are skipped by the "z" length), 32- and 64-bit
// DWARF, FDE pointer encodings absptr, (u|s)data2/4/8 and (s|u)leb128,
// absolute or pc-relative.
package ehframe

import (
	"fmt"

	"github.com/objcheck/objcheck/decode"
)

// A RuleKind says how a Rule finds a value. The zero RuleKind is Undefined.
type RuleKind uint8

// These are the kinds of Rule.
const (
	// Undefined: the value cannot be recovered (DW_CFA_undefined). An
	// undefined return address marks the outermost frame.
	Undefined RuleKind = iota
	// SameValue: the register still holds the caller's value. A register
	// the CFI never mentions gets this rule too, as unwinders assume.
	SameValue
	// AtCFA: saved in memory at CFA+Off (DW_CFA_offset and the like).
	AtCFA
	// ValCFA: the value is CFA+Off itself (DW_CFA_val_offset).
	ValCFA
	// InRegister: the value is in register Reg (DW_CFA_register).
	InRegister
	// RegOffset: the value is register Reg plus Off. This is the kind of
	// every CFA rule not given by an expression.
	RegOffset
	// Expression: given by a DWARF expression (DW_CFA_def_cfa_expression,
	// DW_CFA_expression, DW_CFA_val_expression), which this package does
	// not evaluate.
	Expression
)

var ruleKindNames = [...]string{
	Undefined:  "Undefined",
	SameValue:  "SameValue",
	AtCFA:      "AtCFA",
	ValCFA:     "ValCFA",
	InRegister: "InRegister",
	RegOffset:  "RegOffset",
	Expression: "Expression",
}

// String returns the kind's name, or RuleKind(n) for a value out of range.
func (k RuleKind) String() string {
	if int(k) < len(ruleKindNames) {
		return ruleKindNames[k]
	}
	return fmt.Sprintf("RuleKind(%d)", k)
}

// A Rule says where one value is, per its Kind; Reg and Off are zero
// where the Kind does not use them.
type Rule struct {
	Kind RuleKind
	Reg  uint16 // DWARF register, for InRegister and RegOffset
	Off  int64  // byte offset, for AtCFA, ValCFA and RegOffset
}

// String returns the rule in the style of readelf's frames-interp: "u",
// "s", "c-8", "v+8", "r0" (in r0), "r7+8", "exp".
func (r Rule) String() string {
	switch r.Kind {
	case Undefined:
		return "u"
	case SameValue:
		return "s"
	case AtCFA:
		return fmt.Sprintf("c%+d", r.Off)
	case ValCFA:
		return fmt.Sprintf("v%+d", r.Off)
	case InRegister:
		return fmt.Sprintf("r%d", r.Reg)
	case RegOffset:
		return fmt.Sprintf("r%d%+d", r.Reg, r.Off)
	case Expression:
		return "exp"
	}
	return r.Kind.String()
}

// A Row holds the rules in force from instruction offset Off up to the
// next row's Off (or the end of the FDE).
type Row struct {
	Off uint64 // offset in the function's section
	CFA Rule   // RegOffset or Expression; Undefined if the CFI never defines it
	RA  Rule   // the return address: the column FDE.RAReg
	FP  Rule   // the frame-pointer register, arch.DWARFRegs.FP of the file's arch
	// RASigned is arm64's pointer-authentication state: the return
	// address is signed (toggled by DW_CFA_AARCH64_negate_ra_state).
	RASigned bool
}

// An FDE is the table of one frame description entry: one function, or
// one part of one (GCC describes a function's cold part separately).
type FDE struct {
	Section *decode.Section // the code section described
	// Start and End delimit the code, [Start, End), as offsets in Section.
	Start, End uint64
	// Rows are sorted by Off, each different from the one before; the
	// first is at Start, all are below End. There is at least one row
	// unless Start == End.
	Rows []Row
	// RAReg is the DWARF register of the return-address column (16 on
	// x86-64, 30 on arm64, 65 on ppc64), from the FDE's CIE.
	RAReg uint16
	// Signal is set when the CIE marks a signal frame (augmentation "S").
	Signal bool
	// Offset is the FDE's own offset in the frame section, for messages.
	Offset uint64
}

// At returns the row in force at offset off of the FDE's section, or nil
// when off is outside [Start, End).
func (fde *FDE) At(off uint64) *Row {
	if off < fde.Start || off >= fde.End || len(fde.Rows) == 0 {
		return nil
	}
	lo, hi := 0, len(fde.Rows) // find the first row past off
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if fde.Rows[m].Off <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 {
		return nil
	}
	return &fde.Rows[lo-1]
}

// An Error says why a frame section cannot be read, and where. Its text
// names no file, as decode's errors: the caller adds the file name.
type Error struct {
	Section string // ".eh_frame" or ".debug_frame"
	Off     uint64 // offset in the section of the entry or byte at fault
	Msg     string // what is wrong
}

// Error returns "section+0xoff: message".
func (e *Error) Error() string {
	return fmt.Sprintf("%s+%#x: %s", e.Section, e.Off, e.Msg)
}
