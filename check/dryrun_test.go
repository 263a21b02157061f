package check

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/decode"
)

// TestDryRunORC: a dry run counts the ORC entries it does not keep, and
// warns and stops as a writing run does; a writing run keeps every entry
// it counts.
func TestDryRunORC(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/x86/*.o")
	withORC := 0
	for _, path := range paths {
		if _, err := decode.Open(path); err != nil {
			continue
		}
		opts := walkOptions[0]
		wrote, _ := runChecker(t, path, opts)
		opts.DryRun = true
		dry, _ := runChecker(t, path, opts)
		if d := cmp.Diff(string(wrote.Stderr), string(dry.Stderr)); d != "" {
			t.Errorf("%s: warnings differ (-writing +dry run):\n%s", path, d)
		}
		if wrote.Status != dry.Status {
			t.Errorf("%s: status %d writing, %d in a dry run", path, wrote.Status, dry.Status)
		}
		w, d := orcStep(wrote.Plan), orcStep(dry.Plan)
		if (w == nil) != (d == nil) {
			t.Fatalf("%s: an ORC step writing: %v, in a dry run: %v", path, w != nil, d != nil)
		}
		if w == nil {
			continue
		}
		withORC++
		if w.Entries != len(w.ORC) || w.Entries != len(w.Sites) || w.Entries == 0 {
			t.Errorf("%s: writing, %d entries counted, %d kept at %d sites", path, w.Entries, len(w.ORC), len(w.Sites))
		}
		if d.Entries != w.Entries || d.ORC != nil || d.Sites != nil {
			t.Errorf("%s: dry run, %d entries counted (want %d), %d kept", path, d.Entries, w.Entries, len(d.ORC))
		}
	}
	if withORC == 0 {
		t.Fatal("no test object has ORC tables")
	}
}

// orcStep is plan's .orc_unwind step, or nil.
func orcStep(plan *Plan) *Step {
	if plan == nil {
		return nil
	}
	for i := range plan.Steps {
		if plan.Steps[i].Section == ".orc_unwind" {
			return &plan.Steps[i]
		}
	}
	return nil
}
