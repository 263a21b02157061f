// Package checktest runs a checker against the x86-64 fixtures in
// testdata/x86 and the linked ones in testdata/x86/link, whose expected
// warnings were verified against the real objtool 6.12.
//
// # Fixtures
//
// Each fixture is a hand-written GNU as source X.S. Its first line gives
// the objtool arguments to check it with:
//
//	# objtool: --stackval --uaccess
//
// and each expected warning is a comment on the line that earns it:
//
//	ret	# want "return with modified stack frame"
//
// The quoted text (a Go string literal; several may follow one want) is
// the message after objtool's "<sym>+0x<off>: ". The harness finds the
// location itself: the listing X.lst (from as -alnd) gives the line's
// offset in its section, the section comes from the .text, .section,
// .pushsection, .popsection and .previous directives in X.S, and X.o's
// symbol table turns section+offset into what objtool's offstr() prints
// (in an executable section the containing STT_FUNC, failing that any
// sized symbol but a section's containing it, else the section name). The
// full expected line is then
//
//	<obj>: warning: objtool: <sym>+0x<off>: <msg>
//
// Messages that objtool prints with no location of their own ("f() falls
// through to next function g()", "f() is missing an ELF size annotation",
// ".text.x: unexpected end of section", and any "f(): ..." message) are
// taken whole: <obj>: warning: objtool: <msg>. By convention their comment
// sits on the function's last instruction.
//
// # Linked fixtures
//
// A linked fixture is a directory X of sources X/a.S, X/b.S, ...,
// assembled one by one and linked in name order into X.o with
// "ld -m elf_x86_64 -r", as kbuild links vmlinux.o. The first line of the
// first source gives the arguments (and no other source may). The linker's
// map, X.map from "ld -r -M", says where each source's sections landed:
// the want comment on a line of X/b.S is at the line's offset in X/b.lst
// plus the offset of b.o's part of the section in the output section the
// map names, and is located with X.o's symbols. Options.Linked loads these:
//
//	checktest.RunWith(t, "../testdata/x86/link", checker, checktest.Options{Linked: true})
//
// testdata/x86/build.sh rebuilds X.o and X.lst, and with --verify runs the
// real objtool (with --dry-run added) and records its stderr in X.o.ref
// and its exit status in X.o.rc; testdata/x86/link/build.sh does the same
// for the linked fixtures, with their maps. The package's own tests check
// that every fixture's want comments give exactly the lines of its .ref,
// that the listings match their sources and objects (for a linked fixture,
// the bytes of every listed line that is not a macro invocation are the
// linked object's bytes where the map put them), and, where objtool is
// installed, that it still prints exactly the .ref lines.
//
// # Use
//
// A checker is called with the object's path exactly as it must appear in
// messages (objtool prints the path as given) and the fixture's arguments.
// The arguments are the real objtool's, without --dry-run: a checker that
// would otherwise rewrite the object must not. From a test in package check
// (directory check/):
//
//	func TestFixtures(t *testing.T) {
//		checktest.Run(t, "../testdata/x86", func(path string, args []string) (string, int) {
//			opts := ... // parse args into *check.Options
//			f, err := decode.Open(path)
//			if err != nil {
//				t.Fatal(err)
//			}
//			r := check.Run(f, opts)
//			return string(r.Stderr), r.Status
//		})
//	}
//
// The expected lines then read "../testdata/x86/stack.o: warning: ...".
// Run reports, per fixture, each expected line that is missing (with the
// source line of its want comment), each unexpected line, a wrong exit status,
// and, when the lines are right but come in another order, the order
// objtool prints them in (from X.o.ref). RunWith can skip the order check,
// and with Options.NoRef load fixtures that have no X.o.ref (architectures
// objtool does not check, whose want comments are the only spec).
//
// On arm64, where "#" starts a comment only at the beginning of a line, a
// want comment may be written "// want ...".
package checktest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A Checker checks the object at path with objtool's arguments args and
// returns what it printed on stderr and its exit status.
type Checker func(path string, args []string) (stderr string, rc int)

// Options tune RunWith.
type Options struct {
	// IgnoreOrder skips the check that the warnings come in objtool's
	// order.
	IgnoreOrder bool
	// NoRef is for fixtures of architectures that no reference objtool
	// checks (arm64, ppc64): they have no X.o.ref or X.o.rc, so their want
	// comments alone are the spec, the exit status must be 0 and the order
	// of the warnings is not checked.
	NoRef bool
	// Linked loads the linked fixtures of dir instead (see LoadWith):
	// each directory X there holds sources X/*.S, assembled one by one
	// and linked in name order into X.o, with the linker's map X.map.
	Linked bool
}

// Run checks every fixture in dir with checker, one subtest per fixture.
func Run(t *testing.T, dir string, checker Checker) {
	t.Helper()
	RunWith(t, dir, checker, Options{})
}

// RunWith is Run with options.
func RunWith(t *testing.T, dir string, checker Checker, opts Options) {
	t.Helper()
	fixtures, err := LoadWith(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		t.Run(f.Name, func(t *testing.T) {
			stderr, rc := checker(f.Obj, f.Args)
			for _, p := range f.Diff(f.Obj, stderr, rc, opts) {
				t.Error(p)
			}
		})
	}
}

// Diff compares a checker's output for the fixture, whose object was
// named objname, with the want comments, and returns the problems found.
func (f *Fixture) Diff(objname, stderr string, rc int, opts Options) []string {
	var problems []string
	got := splitLines(stderr)
	missing, extra := multisetDiff(f.Expected(objname), got)
	for _, line := range missing {
		src, n := f.wantLine(objname, line)
		problems = append(problems, fmt.Sprintf("%s:%d: missing: %s", src, n, line))
	}
	for _, line := range extra {
		problems = append(problems, fmt.Sprintf("%s: unexpected: %s", f.Src, line))
	}
	if rc != f.RC {
		problems = append(problems, fmt.Sprintf("%s: exit status %d, objtool's is %d", f.Src, rc, f.RC))
	}
	if len(missing) == 0 && len(extra) == 0 && !opts.IgnoreOrder && !opts.NoRef {
		want := f.RefOrder(objname)
		if !slices.Equal(got, want) {
			problems = append(problems, fmt.Sprintf("%s: warnings in another order than objtool's:\ngot:\n\t%s\nobjtool:\n\t%s",
				f.Src, strings.Join(got, "\n\t"), strings.Join(want, "\n\t")))
		}
	}
	return problems
}

// RefOrder returns the recorded objtool lines (X.o.ref), renamed to
// objname.
func (f *Fixture) RefOrder(objname string) []string {
	lines := make([]string, len(f.Ref))
	for i, l := range f.Ref {
		if rest, ok := strings.CutPrefix(l, f.RefName+": "); ok {
			l = objname + ": " + rest
		}
		lines[i] = l
	}
	return lines
}

// wantLine returns the source and line of the want comment that gives
// line.
func (f *Fixture) wantLine(objname, line string) (string, int) {
	for _, w := range f.Wants {
		if w.Text(objname) == line {
			return w.Src, w.Line
		}
	}
	return f.Src, 0
}

// multisetDiff returns the lines of want missing from got and the lines of
// got not in want, counting repeats.
func multisetDiff(want, got []string) (missing, extra []string) {
	count := map[string]int{}
	for _, l := range got {
		count[l]++
	}
	for _, l := range want {
		if count[l] > 0 {
			count[l]--
		} else {
			missing = append(missing, l)
		}
	}
	for _, l := range got {
		if count[l] > 0 {
			count[l]--
			extra = append(extra, l)
		}
	}
	return missing, extra
}

// FindObjtool returns the real objtool to compare with: $OBJTOOL if set,
// else Debian's linux-kbuild-6.12 objtool.real-x86 if installed, else "".
func FindObjtool() string {
	if p := os.Getenv("OBJTOOL"); p != "" {
		return p
	}
	m, _ := filepath.Glob("/usr/lib/linux-kbuild-6.12*/tools/objtool/objtool.real-x86")
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1]
}

// Objtool returns a Checker that runs the objtool binary at bin, adding
// --dry-run so that the object is left alone.
func Objtool(bin string) Checker {
	return func(path string, args []string) (string, int) {
		var stderr strings.Builder
		cmd := exec.Command(bin, append(slices.Clone(args), "--dry-run", path)...)
		cmd.Stderr = &stderr
		err := cmd.Run()
		rc := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				return fmt.Sprintf("checktest: running %s: %v\n", bin, err), -1
			}
			rc = ee.ExitCode()
		}
		return stderr.String(), rc
	}
}
