package backflow

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/arch"
)

// The programs below are 4-byte steps; a step is written
// {offset, kind, target} (target -1: none).
type step struct {
	off    uint64
	kind   arch.Kind
	target int64
}

func steps(ss ...step) []arch.Step {
	out := make([]arch.Step, len(ss))
	for i, s := range ss {
		out[i] = arch.Step{Off: s.off, Len: 4, Kind: s.kind, Target: s.target, HasTarget: s.target >= 0}
	}
	return out
}

// query returns a query over 0x100 bytes of code with the given steps,
// the function starting at start and the jump at jump.
func query(start, jump uint64, ss ...step) *arch.SwitchQuery {
	return &arch.SwitchQuery{Code: make([]byte, 0x100), Start: start, Jump: jump, Steps: steps(ss...)}
}

func TestPreds(t *testing.T) {
	other := arch.Other
	tests := []struct {
		name      string
		q         *arch.SwitchQuery
		padding   []uint64 // offsets of padding words
		at        uint64
		want      []Edge
		wantEntry bool
	}{
		{"falls through and jumped to",
			query(0, 0xc, step{0, arch.JumpCond, 8}, step{4, other, -1}, step{8, other, -1}, step{0xc, arch.JumpDynamic, -1}),
			nil, 8, []Edge{{From: 4}, {From: 0, Taken: true}}, false},
		{"the start, entered by the caller and by a loop",
			query(0, 8, step{0, other, -1}, step{4, arch.Jump, 0}, step{8, arch.JumpDynamic, -1}),
			nil, 0, []Edge{{From: 4, Taken: true}}, true},
		{"nothing before the function's start",
			query(4, 8, step{0, other, -1}, step{4, other, -1}, step{8, arch.JumpDynamic, -1}),
			nil, 4, nil, true},
		{"after a jump: entered from every unresolved dynamic jump but itself",
			query(0, 0x10, step{0, arch.JumpDynamic, -1}, step{4, arch.JumpDynamic, -1}, step{8, arch.JumpDynamic, -1},
				step{0xc, other, -1}, step{0x10, arch.JumpDynamic, -1}),
			nil, 4, []Edge{{From: 0, Taken: true}, {From: 8, Taken: true}, {From: 0x10, Taken: true}}, false},
		{"after a return: the cases known to reach it",
			func() *arch.SwitchQuery {
				q := query(0, 8, step{0, arch.Return, -1}, step{4, other, -1}, step{8, arch.JumpDynamic, -1})
				q.Cases = func(off uint64) []uint64 {
					if off == 4 {
						return []uint64{8}
					}
					return nil
				}
				return q
			}(), nil, 4, []Edge{{From: 8, Taken: true}}, false},
		{"a resolved jump does not enter what its table does not list",
			func() *arch.SwitchQuery {
				q := query(0, 8, step{0, arch.Return, -1}, step{4, other, -1}, step{8, arch.JumpDynamic, -1})
				q.Resolved = func(off uint64) bool { return off == 8 }
				return q
			}(), nil, 4, nil, true},
		{"padding after a return is reached by nothing",
			query(0, 0xc, step{0, arch.Return, -1}, step{4, arch.Nop, -1}, step{8, other, -1}, step{0xc, arch.JumpDynamic, -1}),
			[]uint64{4}, 4, nil, false},
		{"code after unentered padding comes from no fall-through",
			query(0, 0xc, step{0, arch.Return, -1}, step{4, arch.Nop, -1}, step{8, other, -1}, step{0xc, arch.JumpDynamic, -1}),
			[]uint64{4}, 8, []Edge{{From: 0xc, Taken: true}}, false},
		{"padding a known table lists is a case",
			func() *arch.SwitchQuery {
				q := query(0, 0xc, step{0, arch.Return, -1}, step{4, arch.Nop, -1}, step{8, other, -1}, step{0xc, arch.JumpDynamic, -1})
				q.Cases = func(off uint64) []uint64 {
					if off == 4 {
						return []uint64{0xc}
					}
					return nil
				}
				return q
			}(), []uint64{4}, 8, []Edge{{From: 4}}, false},
		{"padding jumped into is reached",
			query(0, 0x10, step{0, arch.JumpCond, 8}, step{4, arch.Return, -1}, step{8, arch.Nop, -1}, step{0xc, other, -1},
				step{0x10, arch.JumpDynamic, -1}),
			[]uint64{8}, 0xc, []Edge{{From: 8}}, false},
		{"a BUG does not fall through",
			query(0, 8, step{0, arch.Bug, -1}, step{4, other, -1}, step{8, arch.JumpDynamic, -1}),
			nil, 4, []Edge{{From: 8, Taken: true}}, false},
		{"a WARN does",
			func() *arch.SwitchQuery {
				q := query(0, 8, step{0, arch.Bug, -1}, step{4, other, -1}, step{8, arch.JumpDynamic, -1})
				q.Warn = func(off uint64) bool { return off == 0 }
				return q
			}(), nil, 4, []Edge{{From: 0}}, false},
		{"a call that never returns does not",
			func() *arch.SwitchQuery {
				q := query(0, 8, step{0, arch.Call, -1}, step{4, other, -1}, step{8, arch.JumpDynamic, -1})
				q.NoReturn = func(off uint64) bool { return off == 0 }
				return q
			}(), nil, 4, []Edge{{From: 8, Taken: true}}, false},
		{"other calls and traps do",
			query(0, 0xc, step{0, arch.Call, -1}, step{4, arch.Trap, -1}, step{8, other, -1}, step{0xc, arch.JumpDynamic, -1}),
			nil, 8, []Edge{{From: 4}}, false},
		{"no fall-through across a word that is no instruction",
			query(0, 0xc, step{0, other, -1}, step{8, other, -1}, step{0xc, arch.JumpDynamic, -1}),
			nil, 8, []Edge{{From: 0xc, Taken: true}}, false},
		{"an earlier table's words are not code",
			func() *arch.SwitchQuery {
				q := query(0, 0x10, step{0, arch.JumpCond, 8}, step{4, arch.JumpDynamic, -1}, step{8, arch.JumpCond, 0xc},
					step{0xc, other, -1}, step{0x10, arch.JumpDynamic, -1})
				q.InTable = func(off uint64) bool { return off == 8 }
				return q
			}(), nil, 0xc, []Edge{{From: 4, Taken: true}, {From: 0x10, Taken: true}}, false},
		{"a relocated jump goes where its relocation says",
			func() *arch.SwitchQuery {
				q := query(0, 0xc, step{0, arch.JumpCond, 0}, step{4, arch.Return, -1}, step{8, other, -1}, step{0xc, arch.JumpDynamic, -1})
				q.Reloc = func(sec int, off uint64) (arch.Target, bool) { return arch.Target{Off: 8}, off == 0 }
				return q
			}(), nil, 8, []Edge{{From: 0, Taken: true}}, false},
		{"a jump relocated to another section comes into nothing here",
			func() *arch.SwitchQuery {
				q := query(0, 0xc, step{0, arch.Jump, 8}, step{4, arch.Return, -1}, step{8, other, -1}, step{0xc, arch.JumpDynamic, -1})
				q.Reloc = func(sec int, off uint64) (arch.Target, bool) { return arch.Target{Sec: 1, Off: 8}, off == 0 }
				return q
			}(), nil, 8, []Edge{{From: 0xc, Taken: true}}, false},
		{"not an instruction", query(0, 4, step{0, other, -1}, step{4, arch.JumpDynamic, -1}), nil, 2, nil, true},
	}
	for _, tt := range tests {
		pad := func(off uint64) bool {
			for _, p := range tt.padding {
				if p == off {
					return true
				}
			}
			return false
		}
		c := New(tt.q, nil, pad, 100)
		got, entry := c.Preds(tt.at)
		if diff := cmp.Diff(tt.want, got); diff != "" || entry != tt.wantEntry {
			t.Errorf("%s: Preds(%#x) entry %v, want %v; edges (-want +got):\n%s", tt.name, tt.at, entry, tt.wantEntry, diff)
		}
	}
}

func TestDefs(t *testing.T) {
	other := arch.Other
	// 0: jcc 0xc; 4: def A; 8: jmp 0x10; 0xc: def B or nothing; 0x10: jmp*
	diamond := func(mid arch.Kind) *arch.SwitchQuery {
		return query(0, 0x10, step{0, arch.JumpCond, 0xc}, step{4, other, -1}, step{8, arch.Jump, 0x10},
			step{0xc, mid, -1}, step{0x10, arch.JumpDynamic, -1})
	}
	tests := []struct {
		name     string
		q        *arch.SwitchQuery
		effects  map[uint64]Effect
		budget   int
		wantDefs []uint64
		wantEnds []uint64
		wantOK   bool
	}{
		{"one definition on each arm", diamond(other), map[uint64]Effect{4: Def, 0xc: Def}, 100,
			[]uint64{0xc, 4}, nil, true},
		{"an arm without one ends at the start", diamond(other), map[uint64]Effect{4: Def}, 100,
			[]uint64{4}, []uint64{0}, true},
		{"a clobber gives up", diamond(other), map[uint64]Effect{4: Def, 0xc: Clobber}, 100,
			nil, nil, false},
		{"the budget runs out", diamond(other), map[uint64]Effect{}, 2, nil, nil, false},
		{"one definition reached twice is listed once",
			query(0, 0xc, step{0, other, -1}, step{4, arch.JumpCond, 0xc}, step{8, other, -1}, step{0xc, arch.JumpDynamic, -1}),
			map[uint64]Effect{4: Def}, 100, []uint64{4}, nil, true},
	}
	for _, tt := range tests {
		c := New(tt.q, nil, nil, tt.budget)
		defs, ends, ok := c.Defs(tt.q.Jump, func(off uint64) Effect { return tt.effects[off] })
		if ok != tt.wantOK || ok && (!cmp.Equal(defs, tt.wantDefs) || !cmp.Equal(ends, tt.wantEnds)) {
			t.Errorf("%s: Defs = %#x, ends %#x, %v; want %#x, %#x, %v", tt.name, defs, ends, ok, tt.wantDefs, tt.wantEnds, tt.wantOK)
		}
	}
}

func TestDecode(t *testing.T) {
	// A toy decoder: 0xff is no instruction, 0x01 a 4-byte jump to 0,
	// anything else a 4-byte other.
	decode := func(code []byte, off uint64, in *arch.Insn) error {
		*in = arch.Insn{Len: 4}
		if len(code) < 4 {
			return arch.ErrTruncated
		}
		switch code[0] {
		case 0xff:
			return arch.ErrUnknown
		case 0x01:
			in.Kind, in.HasTarget = arch.Jump, true
		}
		return nil
	}
	code := []byte{0, 0, 0, 0, 0xff, 0, 0, 0, 1, 0, 0, 0, 0}
	want := []arch.Step{{Off: 0, Len: 4}, {Off: 8, Len: 4, Kind: arch.Jump, HasTarget: true}}
	if diff := cmp.Diff(want, Decode(code, decode)); diff != "" {
		t.Errorf("Decode (-want +got):\n%s", diff)
	}
}

// FuzzWalk builds code from any bytes (each pair a kind and a target's
// word) and walks it back from every instruction: the walk ends within
// its budget, and every way in comes from an instruction of the function.
func FuzzWalk(f *testing.F) {
	f.Add([]byte{byte(arch.JumpCond), 2, 0, 0, byte(arch.Jump), 0, byte(arch.JumpDynamic), 0}, uint8(0), uint8(3))
	f.Add([]byte{byte(arch.Bug), 0, byte(arch.Nop), 0, byte(arch.Return), 0}, uint8(1), uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, start, jump uint8) {
		var ss []step
		for i := 0; i+1 < len(b) && i < 512; i += 2 {
			if b[i] == 0xff {
				continue // a word that is no instruction
			}
			target := int64(b[i+1]) * 4
			if b[i+1] == 0xff {
				target = -1
			}
			ss = append(ss, step{uint64(i * 2), arch.Kind(b[i] % 24), target})
		}
		q := query(uint64(start)*4, uint64(jump)*4, ss...)
		q.Warn = func(off uint64) bool { return off%8 == 0 }
		var dispatch []uint64 // the function's dynamic jumps, as cfg knows them
		for _, s := range ss {
			if s.kind == arch.JumpDynamic && s.off >= q.Start {
				dispatch = append(dispatch, s.off)
			}
		}
		q.Cases = func(off uint64) []uint64 {
			if off%12 == 0 {
				return dispatch
			}
			return nil
		}
		q.Resolved = func(off uint64) bool { return off%16 == 0 }
		q.InTable = func(off uint64) bool { return off%20 == 4 }
		c := New(q, nil, func(off uint64) bool { return off%28 == 0 }, 1000)
		steps := map[uint64]bool{}
		for _, s := range ss {
			steps[s.off] = true
		}
		for _, s := range ss {
			edges, _ := c.Preds(s.off)
			for _, e := range edges {
				if !steps[e.From] || e.From < q.Start {
					t.Fatalf("way into %#x from %#x: not an instruction of the function", s.off, e.From)
				}
			}
		}
		if len(ss) > 0 {
			c.Defs(ss[len(ss)-1].off, func(off uint64) Effect { return Effect(off / 4 % 5 % 3) })
		}
	})
}
