package ehframe

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestProgram runs CFA programs as GCC emits them and checks the rows.
func TestProgram(t *testing.T) {
	sp, fp := Rule{Kind: RegOffset, Reg: 31}, Rule{Kind: SameValue}
	same := Rule{Kind: SameValue}
	tests := []struct {
		name string
		prog []byte
		want []Row
	}{{
		name: "arm64 frame record push and pop",
		// advance 1; def_cfa_offset 16; offset x29 -16; offset x30 -8;
		// advance 7; def_cfa_offset 0; restore x30; restore x29
		prog: []byte{0x41, 0x0e, 16, 0x9d, 2, 0x9e, 1, 0x47, 0x0e, 0, 0xde, 0xdd},
		want: []Row{
			{Off: 0, CFA: sp, RA: same, FP: fp},
			{Off: 4, CFA: Rule{Kind: RegOffset, Reg: 31, Off: 16}, RA: Rule{Kind: AtCFA, Off: -8}, FP: Rule{Kind: AtCFA, Off: -16}},
			{Off: 32, CFA: sp, RA: same, FP: fp},
		},
	}, {
		name: "pointer authentication and remember/restore state",
		// negate_ra_state; advance 1; remember; def_cfa_offset 32;
		// advance 2; restore_state
		prog: []byte{0x2d, 0x41, 0x0a, 0x0e, 32, 0x42, 0x0b},
		want: []Row{
			{Off: 0, CFA: sp, RA: same, FP: fp, RASigned: true},
			{Off: 4, CFA: Rule{Kind: RegOffset, Reg: 31, Off: 32}, RA: same, FP: fp, RASigned: true},
			{Off: 12, CFA: sp, RA: same, FP: fp, RASigned: true},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci := &cie{codeAlign: 4, dataAlign: -8, raReg: 30}
			m := &machine{ci: ci, order: binary.LittleEndian, fp: 29}
			m.init()
			m.cur.cfa = sp
			m.initState = m.cur
			if err := m.run(tt.prog); err != nil {
				t.Fatal(err)
			}
			m.flush()
			if diff := cmp.Diff(tt.want, m.rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProgramErrors checks that bad programs fail cleanly.
func TestProgramErrors(t *testing.T) {
	for _, prog := range [][]byte{{0x0c}, {0x0b}, {0x01, 1}, {0x3e}} {
		m := &machine{ci: &cie{codeAlign: 1, dataAlign: 1}, order: binary.LittleEndian}
		m.init()
		if err := m.run(prog); err == nil {
			t.Errorf("run(%x) = nil, want an error", prog)
		}
	}
}
