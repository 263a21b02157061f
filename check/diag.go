package check

import (
	"fmt"
	"strings"
)

// A Severity is how bad a diagnostic is, as its text line says it: objtool
// 6.12 prints every finding, fatal ones included, as a warning, and an
// error only when it cannot check the object at all.
type Severity uint8

// The severities.
const (
	SeverityWarning Severity = iota
	SeverityError
)

var severityNames = [...]string{SeverityWarning: "warning", SeverityError: "error"}

// String is the severity's word in the text line: "warning" or "error".
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return "warning"
}

// A Location is where a diagnostic points in the object.
type Location struct {
	// Section names the section, "" when the message names none.
	Section string
	// SectionIndex is the section's ELF index, 0 when not known.
	SectionIndex int
	// Offset is the offset in Section, valid when HasOffset is set.
	Offset    uint64
	HasOffset bool
	// Func is the symbol the place lies in (a function in executable
	// sections), "" if none; FuncOffset is the offset in it, as the text
	// line's "f+0x12" says.
	Func       string
	FuncOffset uint64
	// FileOffset is the byte offset of the place in the object file,
	// valid when HasFileOffset is set (the section has contents).
	FileOffset    uint64
	HasFileOffset bool
}

// A StackState is the stack state objcheck had recorded on arrival at the
// instruction a diagnostic is about (objtool's struct cfi_state): for a
// stack state mismatch, that of the first path there (state 1). It is in
// objtool's numbering: Base is a register number of the arch's stack state, or one of
// the pseudo bases -1 (undefined), -2 (CFA), -3 (SP indirect), -4 (BP
// indirect).
type StackState struct {
	CFA       StateLoc
	StackSize int
	// Type is the unwind hint type of the frame: 2 for an ordinary call
	// frame, 1 and 0 for the pt_regs frames of entry code.
	Type int
	// Saved lists where the callee-saved registers (and the return
	// address) are saved, in register order.
	Saved []SavedReg
	// DRAP is set while the CFA is held in a dynamic realignment register.
	DRAP bool
	// RASigned is set while the return address is signed (arm64 PAC).
	RASigned bool
}

// A StateLoc is a base and an offset: the place "base+offset".
type StateLoc struct{ Base, Offset int }

// String prints the place as objtool's warnings do: "4+8", "-2-16".
func (l StateLoc) String() string { return fmt.Sprintf("%d%+d", l.Base, l.Offset) }

// A SavedReg is a register saved at a place.
type SavedReg struct {
	Reg int
	At  StateLoc
}

// String prints the state in one line, in objtool's notation:
// "cfa=4+16 stack_size=16 type=2 reg[5]=-2-16".
func (s *StackState) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cfa=%s stack_size=%d type=%d", s.CFA, s.StackSize, s.Type)
	for _, r := range s.Saved {
		fmt.Fprintf(&b, " reg[%d]=%s", r.Reg, r.At)
	}
	if s.DRAP {
		b.WriteString(" drap")
	}
	if s.RASigned {
		b.WriteString(" ra_signed")
	}
	return b.String()
}

// A Diagnostic is one finding about an object: one warning or error line
// of the text output, with the backtrace lines printed after it.
type Diagnostic struct {
	Rule     Rule
	Severity Severity
	// Fatal is set when the finding stopped the check: objtool runs no
	// further pass after it and writes nothing.
	Fatal bool
	// Message is the text line after "objtool: ", exactly as printed.
	Message string
	// Loc is where the finding points; nil when the message names no
	// place in the object.
	Loc *Location
	// State is the stack state at the instruction, when the checker had
	// one.
	State *StackState
	// Backtrace holds the lines of --backtrace printed after this one,
	// without their two leading spaces: "f+0x0: <=== (sym)".
	Backtrace []string
	// Hidden is set for a finding objtool does not print because its
	// symbol already has a warning (one warning per symbol). It is kept
	// for the backtrace lines that follow it in the text; renderings
	// other than the text leave it out.
	Hidden bool
}

// Text prefixes of the lines.
const (
	objtoolTag  = ": objtool: "
	backtraceBy = "  "
)

// AppendText appends the diagnostic's text lines, as objtool prints them
// for the object named obj: the line itself unless it is hidden, then its
// backtrace lines.
func (d *Diagnostic) AppendText(b []byte, obj string) []byte {
	if !d.Hidden {
		b = appendLine(b, obj, d.Severity, d.Message)
	}
	for _, l := range d.Backtrace {
		b = appendLine(b, obj, SeverityWarning, backtraceBy+l)
	}
	return b
}

// Lines counts the text lines AppendText writes.
func (d *Diagnostic) Lines() int {
	n := len(d.Backtrace)
	if !d.Hidden {
		n++
	}
	return n
}

func appendLine(b []byte, obj string, sev Severity, msg string) []byte {
	b = append(b, obj...)
	b = append(b, ": "...)
	b = append(b, sev.String()...)
	b = append(b, objtoolTag...)
	b = append(b, msg...)
	return append(b, '\n')
}

// Text renders diagnostics as objtool's text output for the object obj.
func Text(obj string, diags []Diagnostic) []byte {
	var b []byte
	for i := range diags {
		b = diags[i].AppendText(b, obj)
	}
	return b
}
