package main

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
)

// runWith runs the command with c, the environment vars ("NAME=value"
// strings) and args, and returns its status and output.
func runWith(c *cli, vars []string, args ...string) (rc int, stdout, stderr string) {
	g := &golden{env: vars}
	var out, errOut bytes.Buffer
	rc = c.run(args, &env{getenv: g.getenv, stdout: &out, stderr: &errOut})
	return rc, out.String(), errOut.String()
}

// optionsSeen runs the command on an ordinary object and returns the
// options check got.
func optionsSeen(t *testing.T, env []string, args ...string) check.Options {
	t.Helper()
	var got *check.Options
	c := &cli{
		open: func(string) (*decode.File, error) { return &decode.File{}, nil },
		check: func(_ *decode.File, o *check.Options) *check.Result {
			got = o
			return &check.Result{}
		},
		dump: func(string, io.Writer, io.Writer) int {
			got = &check.Options{Dump: true}
			return 0
		},
	}
	rc, _, stderr := runWith(c, env, args...)
	if got == nil {
		t.Fatalf("run(%q) = %d without checking:\n%s", args, rc, stderr)
	}
	return *got
}

func TestOptions(t *testing.T) {
	t.Chdir(t.TempDir()) // --backup writes x.o.orig
	for _, tt := range []struct {
		env  []string
		args []string
		want check.Options
	}{
		{nil, []string{"--stackval", "x.o"}, check.Options{Stackval: true}},
		{nil, []string{"-s", "x.o"}, check.Options{Stackval: true}},
		{nil, []string{"--hacks", "--dry-run", "x.o"},
			check.Options{HacksJumpLabel: true, HacksNoinstr: true, HacksSkylake: true, DryRun: true}},
		{nil, []string{"--hacks=noinstr", "--dry-run", "x.o"}, check.Options{HacksNoinstr: true, DryRun: true}},
		{nil, []string{"--hacks=jump_label", "--hacks=skylake", "--dry-run", "x.o"},
			check.Options{HacksJumpLabel: true, HacksSkylake: true, DryRun: true}},
		{nil, []string{"-ilmnortu", "--link", "--dry-run", "x.o"}, check.Options{
			IBT: true, SLS: true, Mcount: true, Noinstr: true, ORC: true, Retpoline: true,
			StaticCall: true, Uaccess: true, Link: true, DryRun: true}},
		{nil, []string{"--rethunk", "--unret", "--cfi", "--prefix=16", "--link", "--dry-run", "x.o"},
			check.Options{Rethunk: true, Unret: true, CFI: true, Prefix: 16, Link: true, DryRun: true}},
		{nil, []string{"--prefix", "-3", "--stackval", "--dry-run", "x.o"}, check.Options{Prefix: -3, Stackval: true, DryRun: true}},
		{nil, []string{"--prefix=99999999999999999999", "--stackval", "--dry-run", "x.o"},
			check.Options{Prefix: -1, Stackval: true, DryRun: true}}, // (int)LONG_MAX
		{nil, []string{"--dump", "x.o"}, check.Options{Dump: true}},
		{nil, []string{"--dump=orc", "x.o"}, check.Options{Dump: true}},
		{nil, []string{"--stackval", "--backtrace", "--backup", "--module", "--mnop", "--mcount",
			"--no-unreachable", "--sec-address", "--stats", "--dry-run", "x.o"},
			check.Options{Stackval: true, Backtrace: true, Backup: true, Module: true, Mnop: true,
				Mcount: true, NoUnreachable: true, SecAddress: true, Stats: true, DryRun: true}},
		{nil, []string{"--stackval", "-v", "x.o"}, check.Options{Stackval: true, Verbose: true, Backtrace: true}},
		{[]string{"OBJTOOL_VERBOSE=1"}, []string{"--stackval", "x.o"},
			check.Options{Stackval: true, Verbose: true, Backtrace: true}},
		{[]string{"OBJTOOL_VERBOSE=1"}, []string{"--stackval", "--no-verbose", "x.o"}, check.Options{Stackval: true}},
		{[]string{"OBJTOOL_VERBOSE=yes"}, []string{"--stackval", "x.o"}, check.Options{Stackval: true}},
		{[]string{"OBJTOOL_ARGS=--uaccess --link"}, []string{"--stackval", "x.o"},
			check.Options{Stackval: true, Uaccess: true, Link: true}},
		{nil, []string{"--stackval", "--dwarf", "-j", "3", "x.o"}, check.Options{Stackval: true, DWARF: true}},
		// objtool before 5.19.
		{nil, []string{"check", "x.o"}, check.Options{Stackval: true}},
		{nil, []string{"check", "-f", "x.o"}, check.Options{ORC: true}},
		{nil, []string{"check", "-urmbas", "--dry-run", "x.o"}, check.Options{Stackval: true, NoUnreachable: true, DryRun: true,
			Retpoline: true, Module: true, Backtrace: true, Uaccess: true, Stats: true}},
		{nil, []string{"check", "--lto", "-n", "-M", "-B", "-S", "--dry-run", "--ibt", "--rethunk", "--unret", "x.o"},
			check.Options{Stackval: true, Link: true, Noinstr: true, Mcount: true, Backup: true,
				SLS: true, DryRun: true, IBT: true, Rethunk: true, Unret: true}},
		{nil, []string{"check", "-l", "x.o"}, check.Options{Stackval: true, Link: true}},
		{nil, []string{"orc", "generate", "--dry-run", "x.o"}, check.Options{ORC: true, Stackval: true, DryRun: true}},
		{nil, []string{"orc", "generate", "--no-fp", "--dry-run", "x.o"}, check.Options{ORC: true, DryRun: true}},
		{nil, []string{"orc", "dump", "x.o"}, check.Options{Dump: true}},
	} {
		got := optionsSeen(t, tt.env, tt.args...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("env %q, args %q: options mismatch (-want +got):\n%s", tt.env, tt.args, diff)
		}
	}
}

// TestSeveralFiles checks that with several files the output and status are
// those of checking the files one at a time, in argument order, whatever
// order the workers finish in.
func TestSeveralFiles(t *testing.T) {
	var files []string
	var want strings.Builder
	wantStatus := 0
	for i := range 40 {
		name := fmt.Sprintf("f%02d.o", i)
		files = append(files, name)
		fmt.Fprintf(&want, "stderr %s\nstdout %s\n", name, name)
		if wantStatus == 0 && i%7 == 5 {
			wantStatus = i
		}
	}
	var mu sync.Mutex
	rnd := rand.New(rand.NewPCG(1, 2))
	c := &cli{
		open: func(path string) (*decode.File, error) { return &decode.File{Name: path}, nil },
		check: func(f *decode.File, _ *check.Options) *check.Result {
			mu.Lock()
			d := time.Duration(rnd.IntN(2000)) * time.Microsecond
			mu.Unlock()
			time.Sleep(d)
			var i int
			fmt.Sscanf(f.Name, "f%d.o", &i)
			r := &check.Result{Stderr: []byte("stderr " + f.Name + "\n"), Stdout: []byte("stdout " + f.Name + "\n")}
			if i%7 == 5 {
				r.Status = i
			}
			return r
		},
	}
	for _, jobs := range []string{"1", "2", "7", "64", "0"} {
		args := append([]string{"--stackval", "-j", jobs}, files...)
		var out bytes.Buffer // one stream, to see the interleaving
		rc := c.run(args, &env{getenv: func(string) string { return "" }, stdout: &out, stderr: &out})
		if rc != wantStatus {
			t.Errorf("-j %s: status %d, want %d", jobs, rc, wantStatus)
		}
		if diff := cmp.Diff(want.String(), out.String()); diff != "" {
			t.Errorf("-j %s: output mismatch (-want +got):\n%s", jobs, diff)
		}
	}
}

// TestPanic checks that a check that panics costs its file an error and
// exit status 2, and the other files are still checked.
func TestPanic(t *testing.T) {
	c := &cli{
		open: func(path string) (*decode.File, error) { return &decode.File{Name: path}, nil },
		check: func(f *decode.File, _ *check.Options) *check.Result {
			if f.Name == "bad.o" {
				panic("boom")
			}
			return &check.Result{Stderr: []byte(f.Name + ": fine\n")}
		},
	}
	rc, _, stderr := runWith(c, nil, "--stackval", "a.o", "bad.o", "c.o")
	if rc != exitPanic {
		t.Errorf("status %d, want %d", rc, exitPanic)
	}
	if !strings.HasPrefix(stderr, "a.o: fine\nbad.o: error: objcheck: internal error: boom\n") ||
		!strings.HasSuffix(stderr, "\nc.o: fine\n") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// TestOpenErrors runs the real decode.Open: its errors carry the system
// error, which objcheck reports in objtool's words.
func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args   []string
		rc     int
		stderr string
	}{
		{[]string{"--stackval", dir + "/none.o"}, 1,
			"objtool: Can't open '" + dir + "/none.o': No such file or directory\n"},
		{[]string{"--stackval", dir}, 1, "objtool: Can't open '" + dir + "': Is a directory\n"},
		{[]string{"--dump", dir + "/none.o"}, 255, "open: No such file or directory\n"},
	} {
		var stdout, stderr bytes.Buffer
		rc := run(tt.args, func(string) string { return "" }, &stdout, &stderr)
		if rc != tt.rc || stderr.String() != tt.stderr || stdout.Len() != 0 {
			t.Errorf("run(%q) = %d, stdout %q, stderr %q; want %d, \"\", %q",
				tt.args, rc, stdout.String(), stderr.String(), tt.rc, tt.stderr)
		}
	}
}

// TestDumpNotAnObject: --dump reads the file itself and says what
// objtool's libelf says (recorded from objtool 6.12).
func TestDumpNotAnObject(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.o")
	if err := os.WriteFile(path, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rc, _, stderr := runWith(realCLI(), nil, "--dump", path)
	if want := path + ": warning: objtool: elf64_getehdr: invalid `Elf' handle\n"; rc != 255 || stderr != want {
		t.Errorf("--dump of a text file: %d, %q; want 255, %q", rc, stderr, want)
	}
}

func TestNotAnObject(t *testing.T) {
	c := fakeCLI()
	c.open = func(string) (*decode.File, error) { return nil, &decode.Error{Msg: "not an ELF file"} }
	for _, tt := range []struct {
		args   []string
		rc     int
		stderr string
	}{
		{[]string{"--stackval", "x.o"}, 1, "x.o: error: objtool: not an ELF file\n"},
	} {
		rc, _, stderr := runWith(c, nil, tt.args...)
		if rc != tt.rc || stderr != tt.stderr {
			t.Errorf("run(%q) = %d, %q; want %d, %q", tt.args, rc, stderr, tt.rc, tt.stderr)
		}
	}
}

func TestFileSymbols(t *testing.T) {
	f := &decode.File{Symbols: []*decode.Symbol{{}, {Type: elf.STT_FILE}, {Type: elf.STT_FUNC}, {Type: elf.STT_FILE}}}
	if n := fileSymbols(f); n != 2 {
		t.Errorf("fileSymbols = %d, want 2", n)
	}
}

func TestStrtol(t *testing.T) {
	for _, tt := range []struct {
		in string
		n  int64
		ok bool
	}{
		{"16", 16, true},
		{"", 0, true}, // no digits, nothing left over
		{" ", 0, false},
		{"x", 0, false},
		{"5x", 0, false},
		{"0x10", 0, false},
		{" \t+7", 7, true},
		{"-3", -3, true},
		{"-", 0, false},
		{"9223372036854775807", 1<<63 - 1, true},
		{"9223372036854775808", 1<<63 - 1, true},
		{"-9223372036854775808", -1 << 63, true},
		{"-99999999999999999999", -1 << 63, true},
		{"7 ", 0, false},
	} {
		n, ok := strtol(tt.in)
		if n != tt.n || ok != tt.ok {
			t.Errorf("strtol(%q) = %d, %v, want %d, %v", tt.in, n, ok, tt.n, tt.ok)
		}
	}
}

func TestEnvArgv(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", []string{"OBJTOOL_ARGS", ""}},
		{"--stackval", []string{"OBJTOOL_ARGS", "--stackval"}},
		{"a  b ", []string{"OBJTOOL_ARGS", "a", "", "b", ""}},
		{"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", []string{"OBJTOOL_ARGS",
			"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}},
	} {
		a := envArgv(tt.in)
		var got []string
		for i := range a.len() {
			got = append(got, a.arg(i))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("envArgv(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
	// Past the 15th word the rest of the value stays in memory.
	a := envArgv("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17")
	if s, _ := a.cstring(a.offs[15] + 3); s != "16 17" {
		t.Errorf("after the 15th word: %q, want %q", s, "16 17")
	}
}

// TestConcurrentDecode checks the arm64 and ppc64 objects of testdata
// several times over in one call with several workers, as `go test -race`
// runs it in .ci/run: x/arch's decoders for those arches keep package
// state, and the output must be that of checking them one at a time.
func TestConcurrentDecode(t *testing.T) {
	var files []string
	for _, pat := range []string{"../../testdata/arm64/*.o", "../../testdata/ppc64/*.o"} {
		m, err := filepath.Glob(pat)
		if err != nil || len(m) == 0 {
			t.Fatalf("%s: no objects (%v)", pat, err)
		}
		files = append(files, m...)
	}
	var all []string
	for range 4 {
		all = append(all, files...)
	}
	runJ := func(jobs string) (string, int) {
		var out bytes.Buffer
		args := append([]string{"--stackval", "--dry-run", "-j", jobs}, all...)
		rc := run(args, func(string) string { return "" }, &out, &out)
		return out.String(), rc
	}
	want, wantRC := runJ("1")
	if want == "" {
		t.Fatal("-j 1: no output: the objects test nothing")
	}
	got, rc := runJ("4")
	if rc != wantRC {
		t.Errorf("-j 4: status %d, want %d", rc, wantRC)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("-j 4: output mismatch (-want +got):\n%s", diff)
	}
}
