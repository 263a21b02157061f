package check

import (
	"testing"

	"github.com/objcheck/objcheck/decode"
)

// TestAfterBuild: Options.AfterBuild runs once per check, once the graph
// is built, and changes nothing the check finds.
func TestAfterBuild(t *testing.T) {
	for _, path := range []string{"../testdata/x86/clean.o", "../testdata/x86/df.o"} {
		f, err := decode.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		opts := walkOptions[0]
		want := Run(f, &opts)
		calls := 0
		opts.AfterBuild = func() { calls++ }
		got := Run(f, &opts)
		if calls != 1 {
			t.Errorf("%s: AfterBuild ran %d times, want 1", path, calls)
		}
		if string(got.Stderr) != string(want.Stderr) || got.Status != want.Status {
			t.Errorf("%s: with AfterBuild %q, status %d; without %q, status %d",
				path, got.Stderr, got.Status, want.Stderr, want.Status)
		}
	}
}
