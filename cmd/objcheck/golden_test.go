package main

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/orcdump"
)

// A golden case is one command line and what it prints, stored as a text
// file of sections:
//
//	comment lines
//	-- args --    one argument per line
//	-- env --     NAME=value per line
//	-- rc --      the exit status
//	-- stdout --  byte for byte
//	-- stderr --  byte for byte
//
// testdata/objtool/ holds cases recorded from the real objtool 6.12 (see
// testdata/record.sh); testdata/objcheck/ holds objcheck's own behaviour,
// written by hand. Both run in a directory holding c.o, an ordinary object,
// and l.o, a linked one (two STT_FILE symbols), with a checker that finds
// nothing: the cases are chosen so that objtool's check prints nothing.
type golden struct {
	comment string
	args    []string
	env     []string
	rc      int
	stdout  string
	stderr  string
}

var goldenSections = []string{"args", "env", "rc", "stdout", "stderr"}

func parseGolden(data string) (*golden, error) {
	g := &golden{}
	sec := map[string]string{}
	name := ""
	for len(data) > 0 {
		line, rest, _ := strings.Cut(data, "\n")
		if h, ok := strings.CutPrefix(line, "-- "); ok && strings.HasSuffix(h, " --") {
			name = strings.TrimSuffix(h, " --")
			sec[name] = ""
		} else if name == "" {
			g.comment += line + "\n"
		} else {
			sec[name] += line + "\n"
		}
		data = rest
	}
	g.args = lines(sec["args"])
	g.env = lines(sec["env"])
	g.stdout, g.stderr = sec["stdout"], sec["stderr"]
	rc, err := strconv.Atoi(strings.TrimSpace(sec["rc"]))
	g.rc = rc
	return g, err
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func (g *golden) format() string {
	var b strings.Builder
	b.WriteString(g.comment)
	for _, s := range goldenSections {
		fmt.Fprintf(&b, "-- %s --\n", s)
		switch s {
		case "args":
			for _, a := range g.args {
				b.WriteString(a + "\n")
			}
		case "env":
			for _, e := range g.env {
				b.WriteString(e + "\n")
			}
		case "rc":
			fmt.Fprintf(&b, "%d\n", g.rc)
		case "stdout":
			b.WriteString(g.stdout)
		case "stderr":
			b.WriteString(g.stderr)
		}
	}
	return b.String()
}

func (g *golden) getenv(name string) string {
	for _, e := range g.env {
		if v, ok := strings.CutPrefix(e, name+"="); ok {
			return v
		}
	}
	return ""
}

// fakeCLI checks nothing: open gives an empty object (two STT_FILE symbols
// for l.o) for any regular file, and decode.Open's error otherwise; check
// finds no problem.
func fakeCLI() *cli {
	return &cli{
		open: func(path string) (*decode.File, error) {
			if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
				return decode.Open(path)
			}
			f := &decode.File{Name: path, Symbols: []*decode.Symbol{{}}}
			if filepath.Base(path) == "l.o" {
				for i := 1; i <= 2; i++ {
					f.Symbols = append(f.Symbols, &decode.Symbol{Index: i, Type: elf.STT_FILE})
				}
			}
			return f, nil
		},
		check: func(*decode.File, *check.Options) *check.Result { return &check.Result{} },
		dump: func(path string, _, stderr io.Writer) int {
			if _, err := os.Stat(path); err != nil {
				return orcdump.Dump(path, io.Discard, stderr)
			}
			return 0 // c.o and l.o have no ORC
		},
	}
}

// TestGolden replays every golden case through run. With OBJCHECK_RECORD
// set to the path of objtool 6.12, it first re-records testdata/objtool/
// from it (testdata/record.sh does this). With OBJCHECK_UPDATE set, it
// rewrites testdata/objcheck/ with what objcheck prints: review the diff.
func TestGolden(t *testing.T) {
	objtool := os.Getenv("OBJCHECK_RECORD")
	update := os.Getenv("OBJCHECK_UPDATE") != ""
	files, err := filepath.Glob("testdata/*/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	abs := make([]string, len(files))
	for i, f := range files {
		if abs[i], err = filepath.Abs(f); err != nil {
			t.Fatal(err)
		}
	}
	var objects string
	if objtool != "" {
		objects = buildObjects(t)
	}
	t.Chdir(placeholders(t)) // messages name the paths as given
	for i, file := range abs {
		t.Run(strings.TrimSuffix(files[i], ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			g, err := parseGolden(string(data))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if objtool != "" && filepath.Base(filepath.Dir(file)) == "objtool" {
				record(t, objtool, objects, g)
				if err := os.WriteFile(file, []byte(g.format()), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			if reason := knownDifference(filepath.Base(file)); reason != "" {
				t.Skip(reason)
			}
			var stdout, stderr bytes.Buffer
			rc := fakeCLI().run(g.args, &env{getenv: g.getenv, stdout: &stdout, stderr: &stderr})
			if update && filepath.Base(filepath.Dir(file)) == "objcheck" {
				g.rc, g.stdout, g.stderr = rc, stdout.String(), stderr.String()
				if err := os.WriteFile(file, []byte(g.format()), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			if rc != g.rc {
				t.Errorf("exit status %d, want %d", rc, g.rc)
			}
			if diff := cmp.Diff(g.stdout, stdout.String()); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(g.stderr, stderr.String()); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// knownDifference says why objcheck knowingly differs from objtool in a
// recorded case, or returns "". testdata/objcheck/ holds objcheck's output
// for each of these.
func knownDifference(file string) string {
	switch file {
	case "two-files.txt", "prefix-empty.txt":
		return "objcheck accepts several files (testdata/objcheck/several-files*.txt)"
	}
	return ""
}

// placeholders makes a directory holding the files the cases name, for
// fakeCLI.
func placeholders(t *testing.T) string {
	dir := t.TempDir()
	for _, name := range []string{"c.o", "l.o"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// buildObjects compiles the real c.o and l.o that objtool is recorded on:
// one function each, and l.o linked from two files. It returns their
// directory.
func buildObjects(t *testing.T) string {
	dir := t.TempDir()
	sh := `printf 'int f(int x){return x+1;}\n' >a.c
printf 'int g(int x){return x*3;}\n' >b.c
gcc -O2 -c a.c -o c.o && gcc -O2 -c b.c -o b.o && ld -r c.o b.o -o l.o`
	cmd := exec.Command("sh", "-c", sh)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building objects: %v\n%s", err, out)
	}
	return dir
}

// record runs objtool for g, in a fresh copy of the objects (objtool may
// rewrite them), with nothing in its environment but g's.
func record(t *testing.T, objtool, objects string, g *golden) {
	dir := t.TempDir()
	for _, name := range []string{"c.o", "l.o"} {
		data, err := os.ReadFile(filepath.Join(objects, name))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), data, 0o666)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(objtool, g.args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, append([]string{}, g.env...), &stdout, &stderr
	err := cmd.Run()
	g.rc = 0
	if ee, ok := err.(*exec.ExitError); ok {
		g.rc = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	g.stdout, g.stderr = stdout.String(), stderr.String()
	for _, out := range []string{g.stdout, g.stderr} {
		if out != "" && !strings.HasSuffix(out, "\n") {
			t.Fatalf("output does not end in a newline, which the golden format cannot hold: %q", out)
		}
	}
}
