package check

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/decode"
)

// TestORCHalves finds every test object's ORC entries with each text
// section split in two, and wants what taking it whole finds: through
// the whole run, the section split in its middle (the plan and the
// warnings); and then, in the largest section, split at every place a
// split may fall (the entries, their number, and the warning).
func TestORCHalves(t *testing.T) {
	splits, padded := 0, 0
	for _, path := range walkableObjects() {
		for i, opts := range walkOptions {
			whole, _ := runChecker(t, path, opts)
			opts.ORCSplitMin = 1
			halves, _ := runChecker(t, path, opts)
			if d := cmp.Diff(string(whole.Stderr), string(halves.Stderr)); d != "" {
				t.Errorf("%s, options %d: warnings differ (-whole +halves):\n%s", path, i, d)
			}
			if !reflect.DeepEqual(whole.Plan, halves.Plan) {
				t.Errorf("%s, options %d: the plans differ", path, i)
			}
		}
		splits += splitEverywhere(t, path, walkOptions[0], &padded)
	}
	if splits == 0 || padded == 0 {
		t.Errorf("%d splits compared, %d padded functions among them: nothing to compare", splits, padded)
	}
	t.Logf("%d splits compared, in sections with %d padded functions", splits, padded)
}

// splitEverywhere walks the object at path, then finds the entries of
// its largest text section whole and split at each place orcHalves may
// split it, and returns how many splits it compared; padded counts the
// prefix runs the sections had.
func splitEverywhere(t *testing.T, path string, opts Options, padded *int) int {
	t.Helper()
	f, err := decode.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c := newChecker(f, &opts)
	c.run()
	p := c.prog
	sec := p.Sections[0]
	for _, s := range p.Sections {
		if s.Text && s.End-s.First > sec.End-sec.First {
			sec = s
		}
	}
	insns := p.SecInsns(sec)
	if !sec.Text || len(insns) < 2 {
		return 0
	}
	// Test objects are not built with prefix padding, but their
	// functions are aligned: take the padding size that most functions
	// have, for runs the halves must share out.
	var allPads []prefixRun
	for size := 1; size <= 16; size++ {
		c.opts.Prefix = size
		if pads, ok := sortedPads(p, c.prefixRuns()); ok && len(pads) > len(allPads) {
			allPads = pads
		}
	}
	*padded += len(allPads)
	take := func(split func(pads *[]prefixRun, r *orcResult, cur *orcCursor) bool) (*orcResult, orcCursor, int) {
		pads := allPads
		r := &orcResult{keep: true}
		cur := orcCursor{havePrev: true, lastEntry: ORC{Type: orcUndefined}}
		split(&pads, r, &cur)
		return r, cur, len(pads)
	}
	want, wantCur, wantPads := take(func(pads *[]prefixRun, r *orcResult, cur *orcCursor) bool {
		return c.orcSpan(sec, insns, 0, len(insns), pads, r, cur)
	})
	n := 0
	for m := 1; m < len(insns); m++ {
		before := p.Group(&insns[m-1])
		if p.Group(&insns[m]) != nil || before != nil && before.Last != &insns[m-1] {
			continue
		}
		got, gotCur, gotPads := take(func(pads *[]prefixRun, r *orcResult, cur *orcCursor) bool {
			return c.orcHalves(sec, insns, m, pads, r, cur)
		})
		n++
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s %s split at %d: entries differ (%d whole, %d split; %q, %q)", path, sec.Name, m,
				want.step.Entries, got.step.Entries, want.fail, got.fail)
		}
		if wantCur.added != gotCur.added || wantCur.prev != gotCur.prev || wantPads != gotPads {
			t.Errorf("%s %s split at %d: %d entries up to %+v, %d runs left; split %d up to %+v, %d runs", path, sec.Name, m,
				wantCur.added, wantCur.prev, wantPads, gotCur.added, gotCur.prev, gotPads)
		}
	}
	return n
}
