package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/objcheck/objcheck/difftest"
)

// statsSample is how many objects of each x86 set TestStatsCorpus skips
// between two it compares (every 4th object).
const statsSample = 4

// TestStatsCorpus runs a sample of the x86 corpus objects, each with its
// recorded arguments and --dry-run --stats, through the real objtool and
// objcheck: the --stats lines (standard output) and the exit status must be
// the same. It skips without the corpus or the real objtool.
func TestStatsCorpus(t *testing.T) {
	objtool := difftest.Objtool()
	if objtool == "" {
		skips.Skip(t, "no real objtool (install linux-kbuild-6.12 or set OBJTOOL)")
	}
	if testing.Short() {
		t.Skip("-short: not running objtool over the corpus")
	}
	compared := 0
	for _, set := range []string{"x86-orc", "x86-fp"} {
		dir := corpusSet(t, set)
		entries, err := difftest.ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range entries {
			if i%statsSample != 0 {
				continue
			}
			rec, err := difftest.ReadRecord(dir, e.Path)
			if err != nil {
				t.Fatal(err)
			}
			args := append(append([]string{}, rec.Args...), "--dry-run", "--stats", e.Path)
			if compareStats(t, objtool, dir, args) {
				compared++
			}
		}
	}
	t.Logf("%d objects: --stats lines and status as objtool's", compared)
}

// compareStats runs objtool and objcheck with args in dir and reports
// whether their standard output and status agree.
func compareStats(t *testing.T, objtool, dir string, args []string) bool {
	t.Helper()
	cmd := exec.Command(objtool, args...)
	cmd.Dir = dir
	var want bytes.Buffer
	cmd.Stdout = &want
	wantRC := 0
	if err := cmd.Run(); err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s: %v", objtool, err)
		}
		wantRC = ee.ExitCode()
	}
	abs := append([]string{}, args...)
	abs[len(abs)-1] = filepath.Join(dir, args[len(args)-1])
	var got, stderr bytes.Buffer
	rc := realCLI().run(abs, &env{getenv: func(string) string { return "" }, stdout: &got, stderr: &stderr})
	if got.String() != want.String() || rc != wantRC {
		t.Errorf("%s %q: status %d, stdout\n%s\nobjtool: status %d, stdout\n%s", dir, args, rc, got.String(), wantRC, want.String())
		return false
	}
	return true
}
