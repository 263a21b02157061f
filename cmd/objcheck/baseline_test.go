package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/check"
)

func TestBaselineKey(t *testing.T) {
	for _, tt := range []struct {
		name string
		path string
		d    check.Diagnostic
		want string
	}{
		{"located", "./kernel/fork.o", check.Diagnostic{Message: "f+0x12: return with modified stack frame",
			Loc: &check.Location{Section: ".text", Func: "f", FuncOffset: 0x12, HasOffset: true, Offset: 0x40}},
			"kernel/fork.o\tf\treturn with modified stack frame"},
		{"sec-address", "a.o", check.Diagnostic{Message: "f+0x1 (.text+0x41): undefined stack state",
			Loc: &check.Location{Section: ".text", Func: "f", HasOffset: true}},
			"a.o\tf\tundefined stack state"},
		{"section only", "a.o", check.Diagnostic{Message: ".text.eos: unexpected end of section",
			Loc: &check.Location{Section: ".text.eos"}},
			"a.o\t.text.eos\t.text.eos: unexpected end of section"},
		{"numbers", "a.o", check.Diagnostic{Message: "f+0x3: can't find jump dest instruction at .text+0x1f0",
			Loc: &check.Location{Section: ".text", Func: "f", HasOffset: true}},
			"a.o\tf\tcan't find jump dest instruction at .text+0x?"},
		{"no place", "a.o", check.Diagnostic{Message: "nosize() is missing an ELF size annotation"},
			"a.o\t-\tnosize() is missing an ELF size annotation"},
		{"escaped", "a\tb.o", check.Diagnostic{Message: "x\\y\nz"}, "a\\tb.o\t-\tx\\\\y\\nz"},
	} {
		if got := baselineKey(tt.path, &tt.d); got != tt.want {
			t.Errorf("%s: baselineKey = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestBaselineKeyMoves: a finding keeps its key when its code moves.
func TestBaselineKeyMoves(t *testing.T) {
	at := func(off uint64, msg string) check.Diagnostic {
		return check.Diagnostic{Message: msg, Loc: &check.Location{Section: ".text", Func: "f", FuncOffset: off, HasOffset: true, Offset: 0x100 + off}}
	}
	a, b := at(4, "f+0x4: call without frame pointer save/setup"), at(0x24, "f+0x24: call without frame pointer save/setup")
	if baselineKey("x.o", &a) != baselineKey("x.o", &b) {
		t.Errorf("keys differ: %q, %q", baselineKey("x.o", &a), baselineKey("x.o", &b))
	}
}

func TestParseBaseline(t *testing.T) {
	for _, tt := range []struct {
		data string
		keys int
		err  string
	}{
		{"", 0, ""},
		{baselineHeader + "a.o\tf\tmsg\n\n# note\nb.o\t-\tmsg\n", 2, ""},
		{"a.o\tf msg\n", 0, "1: want object<TAB>symbol<TAB>message"},
		{"# x\na.o\tf\tm\tn\n", 0, "2: want"},
	} {
		known, err := parseBaseline([]byte(tt.data))
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("parseBaseline(%q): error %v, want %q", tt.data, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("parseBaseline(%q): %v", tt.data, err)
		case tt.err == "" && len(known) != tt.keys:
			t.Errorf("parseBaseline(%q): %d keys, want %d", tt.data, len(known), tt.keys)
		}
	}
}

// TestBaselineRun writes the baseline of testdata/x86/stack.o and runs
// the check again with it, all of it or part of it, with and without
// --werror.
func TestBaselineRun(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../../testdata/x86/stack.o")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"stack.o", "other.o"} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	args := func(extra ...string) []string {
		return append([]string{"--stackval", "--backtrace", "--dry-run"}, extra...)
	}
	rc, _, full := runWith(realCLI(), nil, args("stack.o")...)
	if rc != 0 || full == "" {
		t.Fatalf("stack.o: status %d, output %q: want warnings and 0", rc, full)
	}
	rc, _, out := runWith(realCLI(), nil, args("--write-baseline=all.txt", "stack.o", "other.o")...)
	if rc != 0 || !strings.HasPrefix(out, full) {
		t.Fatalf("--write-baseline: status %d, and the output changed:\n%s", rc, out)
	}
	written, err := os.ReadFile("all.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimPrefix(string(written), baselineHeader), "\n")
	if !strings.HasPrefix(string(written), baselineHeader) || len(lines) < 3 || !strings.HasPrefix(lines[0], "other.o\t") {
		t.Fatalf("baseline file:\n%s", written)
	}
	half := baselineHeader + strings.Join(lines[:len(lines)/4], "\n") + "\n" // other.o's first findings only
	if err := os.WriteFile("half.txt", []byte(half), 0o644); err != nil {
		t.Fatal(err)
	}
	warned := strings.Count(full, ": warning: objtool: ")
	for _, tt := range []struct {
		name     string
		args     []string
		rc       int
		empty    bool
		errLines int // lines saying error: the --werror upgrade
	}{
		{"all known", args("--baseline=all.txt", "stack.o", "other.o"), 0, true, 0},
		{"werror, all known", args("--werror", "--baseline=all.txt", "stack.o"), 0, true, 0},
		{"werror", args("--werror", "stack.o"), 1, false, warned},
		{"Werror", args("--Werror", "stack.o"), 1, false, warned},
		{"werror, other half known", args("--werror", "--baseline=half.txt", "stack.o"), 1, false, warned},
		{"half known", args("--baseline=half.txt", "stack.o"), 0, false, 0},
	} {
		rc, stdout, stderr := runWith(realCLI(), nil, tt.args...)
		switch {
		case rc != tt.rc:
			t.Errorf("%s: status %d, want %d\n%s", tt.name, rc, tt.rc, stderr)
		case stdout != "" || (stderr == "") != tt.empty:
			t.Errorf("%s: output\n%s%s", tt.name, stdout, stderr)
		case strings.Count(stderr, ": error: objtool: ") != tt.errLines:
			t.Errorf("%s: %d error lines, want %d:\n%s", tt.name, strings.Count(stderr, ": error: objtool: "), tt.errLines, stderr)
		}
	}
	// --verbose says how many warnings became errors, in the last line
	// before the disassembly (which CROSS_COMPILE points nowhere here).
	t.Setenv("PATH", t.TempDir())
	_, _, verbose := runWith(realCLI(), []string{"CROSS_COMPILE=/nonexistent/"}, args("--werror", "-v", "--baseline=half.txt", "other.o")...)
	if n := strings.Count(verbose, "other.o: error: objtool: "); !strings.Contains(verbose, "warning(s) upgraded to errors\n") ||
		!strings.HasSuffix(verbose, "other.o: error: objtool: disassembly failed: 32512\n") || n < 3 {
		t.Errorf("--werror -v:\n%s", verbose)
	}
	// other.o with half its findings known prints the rest.
	_, _, rest := runWith(realCLI(), nil, args("--baseline=half.txt", "other.o")...)
	if rest == "" || len(rest) >= len(strings.ReplaceAll(full, "stack.o", "other.o")) {
		t.Errorf("half known: other.o printed\n%s", rest)
	}
}

func TestBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("no tabs here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		rc   int
		want string
	}{
		{[]string{"--stackval", "--baseline=" + filepath.Join(dir, "none"), "x.o"}, 1, "error: objcheck: --baseline: open "},
		{[]string{"--stackval", "--baseline=" + bad, "x.o"}, 1, "error: objcheck: --baseline: " + bad + ":1: want object<TAB>symbol<TAB>message"},
		{[]string{"--stackval", "--dry-run", "--write-baseline=" + filepath.Join(dir, "no", "such", "dir"), "../../testdata/x86/clean.o"}, 1,
			"error: objcheck: --write-baseline: open "},
	} {
		rc, _, stderr := runWith(realCLI(), nil, tt.args...)
		if rc != tt.rc || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: status %d, stderr %q; want %d, %q", tt.args, rc, stderr, tt.rc, tt.want)
		}
	}
}

// TestMaskHex holds maskHex to the regular expression it replaced, on the
// edges of a number.
func TestMaskHex(t *testing.T) {
	re := regexp.MustCompile(`0x[0-9a-fA-F]+`)
	for _, msg := range []string{
		"", "0x", "0x1", "0xg", "x12", "00x1", "0x0x12", "f+0x1a: call to 0xFFff() 0x",
		"stack state mismatch: cfa1=4+16 cfa2=4+8", "a0x", "0xdeadbeefZ0x7",
	} {
		want := re.ReplaceAllString(msg, "0x?")
		if got := maskHex(msg); got != want {
			t.Errorf("maskHex(%q) = %q, want %q", msg, got, want)
		}
	}
}
