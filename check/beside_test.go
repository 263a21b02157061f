package check

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBeside checks every test object with the work that may run beside
// the walks (the IBT scan, the prefix runs, the ORC tables) on goroutines
// of its own, as a large object's is, and in line, as a small object's
// is, and wants the same diagnostics, status and plan either way.
func TestBeside(t *testing.T) {
	compared := 0
	for _, path := range walkableObjects() {
		for i, opts := range walkOptions {
			inLine, _ := runChecker(t, path, opts)
			opts.BesideMin = 1
			beside, _ := runChecker(t, path, opts)
			compared++
			if d := cmp.Diff(string(inLine.Stderr), string(beside.Stderr)); d != "" {
				t.Errorf("%s, options %d: warnings differ (-in line +beside):\n%s", path, i, d)
			}
			if inLine.Status != beside.Status || inLine.Warnings != beside.Warnings {
				t.Errorf("%s, options %d: status %d, %d warnings in line; %d, %d beside", path, i,
					inLine.Status, inLine.Warnings, beside.Status, beside.Warnings)
			}
			if !reflect.DeepEqual(inLine.Plan, beside.Plan) {
				t.Errorf("%s, options %d: the plans differ", path, i)
			}
		}
	}
	if compared == 0 {
		t.Fatal("no test objects to compare")
	}
	t.Logf("%d objects and options compared", compared)
}
