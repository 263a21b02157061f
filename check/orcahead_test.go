package check

import (
	"slices"
	"testing"

	"github.com/objcheck/objcheck/cfg"
)

// TestSortedPads sorts prefix runs for the ORC tables built ahead, and
// refuses the runs whose states depend on the order the prefixes step
// takes them in.
func TestSortedPads(t *testing.T) {
	p := &cfg.Program{Insns: make([]cfg.Insn, 64)}
	insns := p.Insns
	run := func(start, entry int) prefixRun { return prefixRun{start: &insns[start], entry: &insns[entry]} }
	tests := []struct {
		name string
		runs []prefixRun
		want []int // start indexes, nil for refused
	}{
		{"none", nil, []int{}},
		{"sorted", []prefixRun{run(16, 32), run(0, 8)}, []int{0, 16}},
		{"aliases pad alike", []prefixRun{run(0, 8), run(20, 24), run(0, 8)}, []int{0, 20}},
		{"overlap", []prefixRun{run(0, 8), run(4, 12)}, nil},
		{"one's entry is the other's padding", []prefixRun{run(8, 16), run(0, 8)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := sortedPads(p, tt.runs)
			if ok != (tt.want != nil) {
				t.Fatalf("sortedPads ok = %v, want %v", ok, tt.want != nil)
			}
			if !ok {
				return
			}
			starts := []int{}
			for _, r := range got {
				starts = append(starts, int(p.IndexOf(r.start)))
			}
			if !slices.Equal(starts, tt.want) {
				t.Errorf("starts %v, want %v", starts, tt.want)
			}
		})
	}
}
