package check

import "testing"

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
			compareResults(t, path, i, inLine, beside, "in line", "beside")
		}
	}
	if compared == 0 {
		t.Fatal("no test objects to compare")
	}
	t.Logf("%d objects and options compared", compared)
}
