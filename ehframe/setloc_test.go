package ehframe

import (
	"debug/elf"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/decode"
)

// setLocFDE appends an x86-64 FDE for .text [0x10, 0x30) whose program is
// def_cfa_offset 16; set_loc to; def_cfa_offset 24. The address goes
// through a relocation against sym.
func setLocFDE(b *frameBuilder, sym *decode.Symbol, to uint64) {
	c := x86CIE(b)
	at := b.header(uint64(len(b.buf)+4) - c)
	b.address(0x10)
	b.u32(0x20)
	b.buf = append(b.buf, 0, 0x0e, 16, 0x01)
	b.address(to)
	b.relocs[len(b.relocs)-1].Sym = sym
	b.buf = append(b.buf, 0x0e, 24)
	b.end(at)
}

// TestSetLoc checks DW_CFA_set_loc, whose operand is a relocated address.
func TestSetLoc(t *testing.T) {
	b := newBuilder(elf.EM_X86_64, binary.LittleEndian, false)
	setLocFDE(b, b.textSym, 0x18)
	fdes, err := Read(b.file())
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{{Off: 0x10, CFA: regOff(7, 16), RA: atCFA(-8), FP: same}, {Off: 0x18, CFA: regOff(7, 24), RA: atCFA(-8), FP: same}}
	if diff := cmp.Diff(want, fdes[0].Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}

	other := &decode.Section{Index: 3, Name: ".text.other", Size: 0x100}
	for _, tt := range []struct {
		sym *decode.Symbol // nil: .text
		to  uint64
		msg string
	}{
		{nil, 0x8, "DW_CFA_set_loc moves back, from 0x10 to 0x8"},
		{&decode.Symbol{Section: other}, 0x18, "DW_CFA_set_loc moves to another section, .text.other"},
		{&decode.Symbol{}, 0x18, "relocated against a symbol defined in no section"},
	} {
		b := newBuilder(elf.EM_X86_64, binary.LittleEndian, false)
		if tt.sym == nil {
			tt.sym = b.textSym
		}
		setLocFDE(b, tt.sym, tt.to)
		if _, err := Read(b.file()); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("set_loc to %#x: error %v, want %q", tt.to, err, tt.msg)
		}
	}
}

// TestNoFrames checks that an object without CFI, or with an empty frame
// section, has no FDEs and no error, and that At finds nothing in an FDE
// without rows.
func TestNoFrames(t *testing.T) {
	b := newBuilder(elf.EM_X86_64, binary.LittleEndian, false)
	f := b.file()
	for _, sections := range [][]*decode.Section{f.Sections[:2], f.Sections} {
		f.Sections = sections
		if fdes, err := Read(f); fdes != nil || err != nil {
			t.Errorf("Read = %v, %v; want nil, nil", fdes, err)
		}
	}
	if r := (&FDE{Start: 4, End: 8}).At(4); r != nil {
		t.Errorf("At in an FDE without rows = %v", r)
	}
}

// TestStrings checks the texts of rules, rows and errors.
func TestStrings(t *testing.T) {
	for _, tt := range []struct {
		v    interface{ String() string }
		want string
	}{
		{Rule{}, "u"},
		{same, "s"},
		{atCFA(-16), "c-16"},
		{Rule{Kind: ValCFA, Off: 8}, "v+8"},
		{Rule{Kind: InRegister, Reg: 11}, "r11"},
		{regOff(7, 8), "r7+8"},
		{expr, "exp"},
		{Rule{Kind: 99}, "RuleKind(99)"},
		{AtCFA, "AtCFA"},
		{Row{Off: 0x14, CFA: regOff(31, 16), RA: atCFA(-8), FP: atCFA(-16), RASigned: true}, "0x14 cfa=r31+16 ra=c-8 fp=c-16 ra-signed"},
	} {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.v, got, tt.want)
		}
	}
	e := &Error{Section: ".eh_frame", Off: 0x2c, Msg: "unknown CFA instruction 0x3e"}
	if got, want := e.Error(), ".eh_frame+0x2c: unknown CFA instruction 0x3e"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
