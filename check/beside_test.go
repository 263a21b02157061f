package check

import "testing"

// TestBeside checks every test object with the work that may run beside
// the walks (the IBT scan, the prefix runs, the ORC tables) on goroutines
// of its own, as a large object's is, and in line, as a small object's
// is, and wants the same diagnostics, status and plan either way.
func TestBeside(t *testing.T) {
	n := checkTwice(t, func(o *Options) { o.BesideMin = 1 }, func(path string, i int, inLine, beside *Result, _ bool) {
		compareResults(t, path, i, inLine, beside, "in line", "beside")
	})
	t.Logf("%d objects and options compared", n)
}
