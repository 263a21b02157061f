package check

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/decode"
)

// walkOptions are the option sets TestParallelWalks checks each object
// with: every action that reads the walks, writing, and the same for a
// linked object.
var walkOptions = []Options{
	{Stackval: true, ORC: true, Uaccess: true, Retpoline: true, Rethunk: true, IBT: true,
		StaticCall: true, Prefix: 16, Backtrace: true},
	{Stackval: true, ORC: true, Uaccess: true, Retpoline: true, Rethunk: true, IBT: true,
		StaticCall: true, Prefix: 16, Link: true, Noinstr: true, Unret: true, SecAddress: true},
}

// runChecker checks the object at path with opts, and returns what it
// found and whether its parallel walks were walked again in order.
func runChecker(t *testing.T, path string, opts Options) (*Result, bool) {
	t.Helper()
	f, err := decode.Open(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := newChecker(f, &opts)
	c.run()
	return c.result(), c.stats.walkedAgain
}

// walkableObjects lists the test objects that open, of every arch (the
// ones in testdata/bad do not: there is nothing to walk).
func walkableObjects() []string {
	var paths []string
	for _, glob := range []string{"../testdata/*/*.o", "../testdata/*/*/*.o"} {
		m, _ := filepath.Glob(glob)
		for _, path := range m {
			if _, err := decode.Open(path); err == nil {
				paths = append(paths, path)
			}
		}
	}
	return paths
}

// sharedFixture has two functions that reach one stretch of code, one on
// each walker: their walks must be undone and walked again in order.
const sharedFixture = "../testdata/x86/shared.o"

// TestParallelWalks walks the functions of every test object on two
// goroutines, as a large object's are, and one after another, and wants
// the same diagnostics, text and plan either way.
func TestParallelWalks(t *testing.T) {
	again := 0
	compared := checkTwice(t, func(o *Options) { o.ParallelMin = 1 }, func(path string, i int, serial, parallel *Result, redone bool) {
		if redone {
			again++
		}
		if path == sharedFixture && !redone {
			t.Errorf("%s, options %d: both walkers reach its shared code, but nothing was walked again", path, i)
		}
		compareResults(t, path, i, serial, parallel, "in order", "in parallel")
	})
	t.Logf("%d objects and options compared; the walks were walked again in order for %d", compared, again)
}

// checkTwice checks every walkable test object with each of walkOptions,
// as it is and as change leaves it, calls compare with the two results
// (and whether the second's walks were walked again in order), and
// returns how many pairs it compared. No pair at all fails the test.
func checkTwice(t *testing.T, change func(*Options), compare func(path string, i int, a, b *Result, redone bool)) int {
	t.Helper()
	n := 0
	for _, path := range walkableObjects() {
		for i, opts := range walkOptions {
			a, _ := runChecker(t, path, opts)
			change(&opts)
			b, redone := runChecker(t, path, opts)
			compare(path, i, a, b, redone)
			n++
		}
	}
	if n == 0 {
		t.Fatal("no test objects to compare")
	}
	return n
}

// compareResults reports where two checks of the object at path with
// option set i differ (warnings, status and count, plan); aName and bName
// say how each was made.
func compareResults(t *testing.T, path string, i int, a, b *Result, aName, bName string) {
	t.Helper()
	if d := cmp.Diff(string(a.Stderr), string(b.Stderr)); d != "" {
		t.Errorf("%s, options %d: warnings differ (-%s +%s):\n%s", path, i, aName, bName, d)
	}
	if a.Status != b.Status || a.Warnings != b.Warnings {
		t.Errorf("%s, options %d: status %d, %d warnings %s; %d, %d %s", path, i,
			a.Status, a.Warnings, aName, b.Status, b.Warnings, bName)
	}
	if !reflect.DeepEqual(a.Plan, b.Plan) {
		t.Errorf("%s, options %d: the plans differ", path, i)
	}
}
