package ehframe

import (
	"debug/elf"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/decode"
)

// Rules used by the tests.
var (
	same  = Rule{Kind: SameValue}
	undef = Rule{Kind: Undefined}
	expr  = Rule{Kind: Expression}
)

func regOff(reg uint16, off int64) Rule { return Rule{Kind: RegOffset, Reg: reg, Off: off} }
func atCFA(off int64) Rule              { return Rule{Kind: AtCFA, Off: off} }

// x86-64's usual CIE: zR with pcrel|sdata4, code 1, data -8, RA 16;
// def_cfa rsp+8, rip at cfa-8.
func x86CIE(b *frameBuilder) uint64 {
	return b.cie("zR", 1, -8, 16, []byte{0x1b}, 0x0c, 7, 8, 0x90, 1)
}

// arm64's: zR, code 4, data -8, RA 30; def_cfa sp+0.
func arm64CIE(b *frameBuilder) uint64 {
	return b.cie("zR", 4, -8, 30, []byte{0x1b}, 0x0c, 31, 0)
}

// ppc64's: zR, code 4, data -8, RA 65; def_cfa r1+0.
func ppc64CIE(b *frameBuilder) uint64 {
	return b.cie("zR", 4, -8, 65, []byte{0x1b}, 0x0c, 1, 0)
}

// TestPrograms reads one FDE of hand-built CFA instructions per case and
// compares its rows.
func TestPrograms(t *testing.T) {
	x86Entry := Row{CFA: regOff(7, 8), RA: atCFA(-8), FP: same}
	tests := []struct {
		name    string
		machine elf.Machine
		insns   []byte
		start   uint64
		length  uint64
		want    []Row
	}{{
		name: "x86-64 frame pointer", machine: elf.EM_X86_64, start: 0x10, length: 0x20,
		// advance 1; def_cfa_offset 16; rbp at cfa-16; advance 3;
		// def_cfa_register rbp; advance 0x18; def_cfa rsp+8
		insns: []byte{0x41, 0x0e, 16, 0x86, 2, 0x43, 0x0d, 6, 0x58, 0x0c, 7, 8},
		want: []Row{
			row(0x10, x86Entry),
			{Off: 0x11, CFA: regOff(7, 16), RA: atCFA(-8), FP: atCFA(-16)},
			{Off: 0x14, CFA: regOff(6, 16), RA: atCFA(-8), FP: atCFA(-16)},
			{Off: 0x2c, CFA: regOff(7, 8), RA: atCFA(-8), FP: atCFA(-16)},
		},
	}, {
		name: "x86-64 advance_loc1/2/4, a zero advance, rows past the end", machine: elf.EM_X86_64, length: 0x30000,
		// advance_loc1 0x80; def_cfa_offset 16; advance_loc2 0x1000;
		// advance 0; def_cfa_offset 24; advance_loc4 0x20000;
		// def_cfa_offset 8; advance_loc4 0x20000; def_cfa_offset 32
		insns: cat([]byte{0x02, 0x80, 0x0e, 16, 0x03}, u16le(0x1000), []byte{0x40, 0x0e, 24, 0x04},
			u32le(0x20000), []byte{0x0e, 8, 0x04}, u32le(0x20000), []byte{0x0e, 32}),
		want: []Row{
			row(0, x86Entry),
			{Off: 0x80, CFA: regOff(7, 16), RA: atCFA(-8), FP: same},
			{Off: 0x1080, CFA: regOff(7, 24), RA: atCFA(-8), FP: same},
			{Off: 0x21080, CFA: regOff(7, 8), RA: atCFA(-8), FP: same},
		},
	}, {
		name: "x86-64 undefined RA, same_value, args_size, nops, expressions", machine: elf.EM_X86_64, length: 0x10,
		// undefined rip; nop; GNU_args_size 8; advance 1; same_value
		// rip; expression rbp {breg7 0}; advance 1; def_cfa_expression
		// {breg7 8 deref}; val_expression rip {lit0}; advance 1;
		// def_cfa_register rsp (back from an expression); def_cfa_offset 8
		insns: []byte{0x07, 16, 0x00, 0x2e, 8, 0x41, 0x08, 16, 0x10, 6, 2, 0x77, 0, 0x41,
			0x0f, 3, 0x77, 8, 0x06, 0x16, 16, 1, 0x30, 0x41, 0x0d, 7, 0x0e, 8},
		want: []Row{
			{CFA: regOff(7, 8), RA: undef, FP: same},
			{Off: 1, CFA: regOff(7, 8), RA: same, FP: expr},
			{Off: 2, CFA: expr, RA: expr, FP: expr},
			{Off: 3, CFA: regOff(7, 8), RA: expr, FP: expr},
		},
	}, {
		name: "x86-64 val_offset, offset_extended(_sf), negative_offset_extended, def_cfa_sf", machine: elf.EM_X86_64, length: 0x10,
		// val_offset rbp 2 (-16); advance 1; offset_extended rbp 3
		// (-24); offset_extended_sf rip -1 (+8); advance 1;
		// GNU_negative_offset_extended rbp 4 (+32); val_offset_sf rip
		// 1 (-8); advance 1; def_cfa_sf rbp -2 (+16); def_cfa_offset_sf -4 (+32)
		insns: []byte{0x14, 6, 2, 0x41, 0x05, 6, 3, 0x11, 16, 0x7f, 0x41, 0x2f, 6, 4, 0x15, 16, 1,
			0x41, 0x12, 6, 0x7e, 0x13, 0x7c},
		want: []Row{
			{CFA: regOff(7, 8), RA: atCFA(-8), FP: Rule{Kind: ValCFA, Off: -16}},
			{Off: 1, CFA: regOff(7, 8), RA: atCFA(8), FP: atCFA(-24)},
			{Off: 2, CFA: regOff(7, 8), RA: Rule{Kind: ValCFA, Off: -8}, FP: atCFA(32)},
			{Off: 3, CFA: regOff(6, 32), RA: Rule{Kind: ValCFA, Off: -8}, FP: atCFA(32)},
		},
	}, {
		name: "arm64 frame record, pointer authentication, remember/restore state", machine: elf.EM_AARCH64, length: 0x40,
		// negate_ra_state; advance 1; def_cfa_offset 16; x29 at cfa-16;
		// x30 at cfa-8; advance 2; remember_state; def_cfa_offset 0;
		// restore x30; restore x29; negate_ra_state; advance 1;
		// restore_state; advance 1; restore_extended x29
		insns: []byte{0x2d, 0x41, 0x0e, 16, 0x9d, 2, 0x9e, 1, 0x42, 0x0a, 0x0e, 0, 0xde, 0xdd, 0x2d,
			0x41, 0x0b, 0x41, 0x06, 29},
		want: []Row{
			{CFA: regOff(31, 0), RA: same, FP: same, RASigned: true},
			{Off: 4, CFA: regOff(31, 16), RA: atCFA(-8), FP: atCFA(-16), RASigned: true},
			{Off: 12, CFA: regOff(31, 0), RA: same, FP: same},
			{Off: 16, CFA: regOff(31, 16), RA: atCFA(-8), FP: atCFA(-16), RASigned: true},
			{Off: 20, CFA: regOff(31, 16), RA: atCFA(-8), FP: same, RASigned: true},
		},
	}, {
		name: "ppc64 link register through r0", machine: elf.EM_PPC64, length: 0x40,
		// advance 2; r31 at cfa-8; def_cfa_offset 48; advance 1;
		// register lr in r0; advance 1; offset_extended_sf lr -2 (+16);
		// advance 4; restore_extended lr; restore r31
		insns: []byte{0x42, 0x9f, 1, 0x0e, 48, 0x41, 0x09, 65, 0, 0x41, 0x11, 65, 0x7e, 0x44, 0x06, 65, 0xdf},
		want: []Row{
			{CFA: regOff(1, 0), RA: same, FP: same},
			{Off: 8, CFA: regOff(1, 48), RA: same, FP: atCFA(-8)},
			{Off: 12, CFA: regOff(1, 48), RA: Rule{Kind: InRegister, Reg: 0}, FP: atCFA(-8)},
			{Off: 16, CFA: regOff(1, 48), RA: atCFA(16), FP: atCFA(-8)},
			{Off: 32, CFA: regOff(1, 48), RA: same, FP: same},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder(tt.machine, binary.LittleEndian, false)
			cieOff := map[elf.Machine]func(*frameBuilder) uint64{
				elf.EM_X86_64: x86CIE, elf.EM_AARCH64: arm64CIE, elf.EM_PPC64: ppc64CIE,
			}[tt.machine](b)
			b.fde(cieOff, true, tt.start, tt.length, tt.insns...)
			fdes, err := Read(b.file())
			if err != nil {
				t.Fatal(err)
			}
			if len(fdes) != 1 {
				t.Fatalf("%d FDEs, want 1", len(fdes))
			}
			if diff := cmp.Diff(tt.want, fdes[0].Rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			checkFDE(t, &fdes[0])
		})
	}
}

// sameSection compares sections by identity.
var sameSection = cmp.Comparer(func(a, b *decode.Section) bool { return a == b })

// row returns r at off.
func row(off uint64, r Row) Row { r.Off = off; return r }

func u16le(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func u32le(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// checkFDE checks what Read promises of an FDE, and that At agrees with
// the rows.
func checkFDE(t *testing.T, fde *FDE) {
	t.Helper()
	if fde.Start < fde.End && (len(fde.Rows) == 0 || fde.Rows[0].Off != fde.Start) {
		t.Fatalf("FDE %#x-%#x: rows %v do not start at its start", fde.Start, fde.End, fde.Rows)
	}
	for i, r := range fde.Rows {
		if r.Off < fde.Start || r.Off >= fde.End || i > 0 && r.Off <= fde.Rows[i-1].Off {
			t.Fatalf("FDE %#x-%#x: row %d at %#x out of order or range", fde.Start, fde.End, i, r.Off)
		}
		if i > 0 && sameRules(&r, &fde.Rows[i-1]) {
			t.Fatalf("FDE %#x-%#x: row %d at %#x repeats the one before", fde.Start, fde.End, i, r.Off)
		}
		if got := fde.At(r.Off); got != &fde.Rows[i] {
			t.Fatalf("At(%#x) = %v, want row %d", r.Off, got, i)
		}
		if next := r.Off + 1; next < fde.End && (i+1 == len(fde.Rows) || fde.Rows[i+1].Off > next) {
			if got := fde.At(next); got != &fde.Rows[i] {
				t.Fatalf("At(%#x) = %v, want row %d", next, got, i)
			}
		}
	}
	if fde.At(fde.End) != nil || fde.Start > 0 && fde.At(fde.Start-1) != nil {
		t.Fatalf("FDE %#x-%#x: At finds a row outside it", fde.Start, fde.End)
	}
}

// TestAugmentations reads CIEs with personality, LSDA and signal-frame
// augmentations, in .eh_frame of either byte order, and .debug_frame of
// 32- and 64-bit DWARF. Each FDE follows an unused CIE, so that it must
// find its own.
func TestAugmentations(t *testing.T) {
	for _, tt := range []struct {
		name                 string
		order                binary.ByteOrder
		debug, dwarf64, abs8 bool
		version              byte
		aug                  string
		augData              []byte
		signal               bool
	}{
		{name: "zPLR", order: binary.LittleEndian, aug: "zPLR", augData: []byte{0x9b, 0, 0, 0, 0, 0x1b, 0x1b}},
		{name: "zRS big-endian", order: binary.BigEndian, aug: "zRS", augData: []byte{0x1b}, signal: true},
		{name: "zR udata8", order: binary.BigEndian, aug: "zR", augData: []byte{0x04}, abs8: true},
		{name: "zBR, unknown letters skipped", order: binary.LittleEndian, aug: "zBRX?", augData: []byte{0x1b, 7, 7}},
		{name: "debug_frame", order: binary.LittleEndian, debug: true},
		{name: "debug_frame 64-bit DWARF", order: binary.BigEndian, debug: true, dwarf64: true},
		{name: "debug_frame version 3", order: binary.LittleEndian, debug: true, version: 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder(elf.EM_PPC64, tt.order, tt.debug)
			b.dwarf64, b.abs8, b.version = tt.dwarf64, tt.abs8, tt.version
			b.cie("zR", 1, -4, 16, []byte{0x1b}, 0x0c, 7, 8)
			c := b.cie(tt.aug, 4, -8, 65, tt.augData, 0x0c, 1, 0)
			off := b.fde(c, tt.aug != "", 0x40, 0x20, 0x41, 0x0e, 32)
			fdes, err := Read(b.file())
			if err != nil {
				t.Fatal(err)
			}
			want := []FDE{{
				Section: b.text, Start: 0x40, End: 0x60, RAReg: 65, Signal: tt.signal, Offset: off,
				Rows: []Row{{Off: 0x40, CFA: regOff(1, 0), RA: same, FP: same}, {Off: 0x44, CFA: regOff(1, 32), RA: same, FP: same}},
			}}
			if diff := cmp.Diff(want, fdes, sameSection); diff != "" {
				t.Errorf("FDEs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestErrors checks that malformed sections give an *Error at the right
// place, naming what is wrong.
func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		build func(b *frameBuilder)
		off   uint64
		msg   string
	}{
		{"truncated length", func(b *frameBuilder) { b.buf = []byte{1, 0} }, 0, "entry header runs past"},
		{"reserved length", func(b *frameBuilder) { b.u32(0xfffffff5) }, 0, "reserved length"},
		{"length past the end", func(b *frameBuilder) { b.u32(64); b.u32(0) }, 0, "runs past the end of the section"},
		{"CIE version", func(b *frameBuilder) { b.cie("", 1, -8, 16, nil); b.buf[8] = 2 }, 0, "CIE version 2"},
		{"augmentation", func(b *frameBuilder) { b.cie("eh", 1, -8, 16, nil) }, 0, `unsupported augmentation "eh"`},
		{"pointer encoding", func(b *frameBuilder) { b.cie("zR", 1, -8, 16, []byte{0x3b}) }, 0, "unsupported FDE pointer encoding 0x3b"},
		{"augmentation data too short", func(b *frameBuilder) { b.cie("zPR", 1, -8, 16, []byte{0x1b}) }, 0x12, "augmentation data of the CIE at 0x0 is too short"},
		{"CIE pointer to an FDE", func(b *frameBuilder) {
			c := x86CIE(b)
			f := b.fde(c, true, 0, 4)
			b.fde(f, true, 0, 4)
		}, 0x2c, "does not point to a CIE"},
		{"CIE pointer before the section", func(b *frameBuilder) {
			x86CIE(b)
			b.fde(0x1000, true, 0, 4)
		}, 0x18, "points before the section"},
		{"no relocation", func(b *frameBuilder) {
			x86CIE(b)
			b.fde(0, true, 0, 4)
			b.relocs = nil
		}, 0x20, "has no relocation"},
		{"range outside the section", func(b *frameBuilder) { b.fde(x86CIE(b), true, textSize-0x10, 0x20) }, 0x18, "outside .text"},
		{"unknown instruction", func(b *frameBuilder) { b.fde(x86CIE(b), true, 0, 4, 0x3e) }, 0x29, "unknown CFA instruction 0x3e"},
		{"negate_ra_state on x86-64", func(b *frameBuilder) { b.fde(x86CIE(b), true, 0, 4, 0x2d) }, 0x29, "only for arm64"},
		{"restore_state alone", func(b *frameBuilder) { b.fde(x86CIE(b), true, 0, 4, 0x0b) }, 0x29, "no state remembered"},
		{"register out of range", func(b *frameBuilder) { b.fde(x86CIE(b), true, 0, 4, cat([]byte{0x0d}, uleb(1<<20))...) }, 0x29, "register 1048576 out of range"},
		{"truncated operand", func(b *frameBuilder) { b.fde(x86CIE(b), true, 0, 4, 0x41, 0x41, 0x0c) }, 0x2b, "0xc runs past the end of its entry"},
		{"LEB128 overflow", func(b *frameBuilder) {
			b.fde(x86CIE(b), true, 0, 4, cat([]byte{0x0e}, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})...)
		}, 0x29, "runs past the end"},
		{"advance in the CIE", func(b *frameBuilder) { b.cie("zR", 1, -8, 16, []byte{0x1b}, 0x41) }, 0x11, "CIE initial instructions advance"},
		{"location overflow", func(b *frameBuilder) {
			c := b.cie("zR", 1<<40, -8, 16, []byte{0x1b}, 0x0c, 7, 8, 0x90, 1)
			b.fde(c, true, 0, 4, cat([]byte{0x04}, u32le(0xffffffff))...)
		}, 0x2d, "location overflows"},
		{"too many remembered states", func(b *frameBuilder) {
			b.fde(x86CIE(b), true, 0, 4, []byte(strings.Repeat("\x0a", maxStack+1))...)
		}, 0x29 + maxStack, "more than 64 remembered states"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder(elf.EM_X86_64, binary.LittleEndian, false)
			tt.build(b)
			fdes, err := Read(b.file())
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("Read = %v, %v; want an *Error", fdes, err)
			}
			if e.Section != ".eh_frame" || e.Off != tt.off || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("error %q, want one at .eh_frame+%#x containing %q", err, tt.off, tt.msg)
			}
		})
	}
}
