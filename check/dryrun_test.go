package check

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/decode"
)

// TestDryRunPlan: a dry run plans the same steps with the same numbers
// of entries as a writing run, and the same warnings and status, but
// keeps no ORC entries nor the sites of the lists; a writing run keeps
// every entry it counts.
func TestDryRunPlan(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/x86/*.o")
	uncounted := map[string]bool{".static_call_sites": true, ".cfi_sites": true, "": true}
	withORC := 0
	for _, path := range paths {
		if _, err := decode.Open(path); err != nil {
			continue
		}
		opts := walkOptions[0]
		opts.Rethunk, opts.HacksSkylake = true, true
		wrote, _ := runChecker(t, path, opts)
		opts.DryRun = true
		dry, _ := runChecker(t, path, opts)
		if d := cmp.Diff(string(wrote.Stderr), string(dry.Stderr)); d != "" {
			t.Errorf("%s: warnings differ (-writing +dry run):\n%s", path, d)
		}
		if wrote.Status != dry.Status {
			t.Errorf("%s: status %d writing, %d in a dry run", path, wrote.Status, dry.Status)
		}
		if len(wrote.Plan.Steps) != len(dry.Plan.Steps) {
			t.Fatalf("%s: %d steps writing, %d in a dry run", path, len(wrote.Plan.Steps), len(dry.Plan.Steps))
		}
		for i, w := range wrote.Plan.Steps {
			d := dry.Plan.Steps[i]
			if w.Section != d.Section || w.Entries != d.Entries {
				t.Errorf("%s: step %d is %s with %d entries writing, %s with %d in a dry run",
					path, i, w.Section, w.Entries, d.Section, d.Entries)
			}
			if w.Entries != len(w.Sites) && w.Section != "" {
				t.Errorf("%s: writing, %s has %d entries counted, %d sites kept", path, w.Section, w.Entries, len(w.Sites))
			}
			if !uncounted[d.Section] && (d.Sites != nil || d.ORC != nil) {
				t.Errorf("%s: dry run, %s keeps %d sites and %d ORC entries", path, d.Section, len(d.Sites), len(d.ORC))
			}
			if w.Section == ".orc_unwind" {
				withORC++
				if w.Entries != len(w.ORC) {
					t.Errorf("%s: writing, %d ORC entries counted, %d kept", path, w.Entries, len(w.ORC))
				}
			}
		}
	}
	if withORC == 0 {
		t.Fatal("no test object has ORC tables")
	}
}
