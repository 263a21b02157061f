package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/difftest"
)

// statsSample is how many objects of each x86 set TestStatsCorpus skips
// between two it compares (every 4th object).
const statsSample = 4

// TestStatsCorpus runs a sample of the x86 and ppc64le corpus objects, each
// with its recorded arguments and --dry-run --stats, through the real
// objtool (built for powerpc for ppc64le, whose kbuild runs --mcount) and
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
	powerpc := filepath.Join(filepath.Dir(objtool), "objtool.real-powerpc")
	for _, set := range []string{"x86-orc", "x86-fp", "ppc64le"} {
		tool := objtool
		if set == "ppc64le" {
			if _, err := os.Stat(powerpc); err != nil {
				t.Logf("no powerpc objtool beside %s: ppc64le left out", objtool)
				continue
			}
			tool = powerpc
		}
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
			if compareStats(t, tool, dir, args) {
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

// TestVerbose compares --verbose with the real objtool's on an object with
// warnings: the backtraces, then the shell's disassembly of the warned
// functions or its failure, with and without a gawk on $PATH (a stand-in
// that passes objdump's output through) and with $CROSS_COMPILE naming no
// objdump. It skips without the real objtool.
func TestVerbose(t *testing.T) {
	objtool := difftest.Objtool()
	if objtool == "" {
		skips.Skip(t, "no real objtool (install linux-kbuild-6.12 or set OBJTOOL)")
	}
	fake := t.TempDir()
	if err := os.WriteFile(filepath.Join(fake, "gawk"), []byte("#!/bin/sh\nexec cat\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	obj := copyObject(t, "../../testdata/x86/stack.o", 0o644)
	if err := os.Rename(obj, filepath.Join(dir, "stack.o")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		env  []string
		args []string
	}{
		{"no-gawk", nil, []string{"--stackval", "--verbose", "--dry-run", "stack.o"}},
		{"gawk", []string{"PATH=" + fake + ":" + os.Getenv("PATH")}, []string{"--stackval", "-v", "--dry-run", "stack.o"}},
		{"env", []string{"OBJTOOL_VERBOSE=1", "PATH=" + fake + ":" + os.Getenv("PATH")}, []string{"--stackval", "--dry-run", "stack.o"}},
		// With gawk missing too the shell's two messages come in either order.
		{"cross", []string{"CROSS_COMPILE=/nonexistent/x-", "PATH=" + fake + ":" + os.Getenv("PATH")}, []string{"--stackval", "-v", "--dry-run", "stack.o"}},
		{"stats", nil, []string{"--stackval", "-v", "--stats", "--dry-run", "stack.o"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range tt.env {
				name, val, _ := strings.Cut(v, "=")
				t.Setenv(name, val)
			}
			cmd := exec.Command(objtool, tt.args...)
			cmd.Dir = dir
			var want, wantErr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &want, &wantErr
			wantRC := 0
			if err := cmd.Run(); err != nil {
				wantRC = systemStatus(err) >> 8
			}
			t.Chdir(dir)
			rc, got, gotErr := runWith(realCLI(), tt.env, tt.args...)
			if got != want.String() || gotErr != wantErr.String() || rc != wantRC {
				t.Errorf("objcheck: %d\n%s%s\nobjtool: %d\n%s%s", rc, got, gotErr, wantRC, want.String(), wantErr.String())
			}
		})
	}
}

// TestStatsWritten compares --stats on fixtures as given and after the
// real objtool has written them once, when objtool skips the sections
// already there (and, for .orc_unwind, stops before its closing counters).
// It skips without the real objtool.
func TestStatsWritten(t *testing.T) {
	objtool := difftest.Objtool()
	if objtool == "" {
		skips.Skip(t, "no real objtool (install linux-kbuild-6.12 or set OBJTOOL)")
	}
	for _, tt := range []struct {
		obj  string
		args []string
	}{
		{"../../testdata/x86/orc.o", []string{"--orc", "--static-call", "--retpoline", "--rethunk", "--prefix=16"}},
		{"../../testdata/x86/link/ibt.o", []string{"--ibt", "--link", "--orc"}},
		{"../../testdata/x86/ibt.o", []string{"--ibt", "--link", "--mcount", "--stackval"}},
		{"../../testdata/x86/stack.o", []string{"--stackval", "--uaccess", "--hacks=jump_label"}},
	} {
		path := copyObject(t, tt.obj, 0o644)
		dir, name := filepath.Dir(path), filepath.Base(path)
		args := append(append([]string{}, tt.args...), "--stats", "--dry-run", name)
		compareStats(t, objtool, dir, args)
		cmd := exec.Command(objtool, append(append([]string{}, tt.args...), name)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("%s %s: %v\n%s", objtool, name, err, out)
		}
		compareStats(t, objtool, dir, args)
	}
}

// TestStatsFormat: with --format=json or sarif, standard output holds only
// the rendering; the --stats lines, ELF tables first, go to standard error.
func TestStatsFormat(t *testing.T) {
	args := []string{"--stackval", "--stats", "--dry-run", "../../testdata/x86/stack.o"}
	_, text, _ := runWith(realCLI(), nil, args...)
	if !strings.HasPrefix(text, "nr_sections: ") || !strings.Contains(text, "\nnr_cfi_cache: ") {
		t.Fatalf("--stats:\n%s", text)
	}
	for _, f := range []string{"--format=json", "--format=sarif"} {
		_, stdout, stderr := runWith(realCLI(), nil, append([]string{f}, args...)...)
		if strings.Contains(stdout, "nr_sections") || !strings.HasPrefix(stderr, text) {
			t.Errorf("%s: stdout\n%s\nstderr\n%s", f, stdout, stderr)
		}
	}
}
