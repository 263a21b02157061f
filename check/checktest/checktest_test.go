package checktest

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	dir     = "../../testdata/x86"
	linkDir = "../../testdata/x86/link"
)

// noRefDirs hold fixtures whose want comments no objtool checks.
var noRefDirs = []string{"../../testdata/arm64", "../../testdata/ppc64"}

func loadAll(t *testing.T) []*Fixture {
	t.Helper()
	fs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func loadLinked(t *testing.T) []*Fixture {
	t.Helper()
	fs, err := LoadWith(linkDir, Options{Linked: true})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestWantsMatchRef keeps the fixtures honest: the want comments of each
// fixture must give exactly the lines the real objtool printed for it
// (X.o.ref), and the recorded exit status must be objtool 6.12's 0.
func TestWantsMatchRef(t *testing.T) {
	for _, f := range append(loadAll(t), loadLinked(t)...) {
		name, _ := filepath.Rel(dir, f.Src)
		t.Run(name, func(t *testing.T) {
			if f.RefName != "testdata/x86/"+strings.TrimSuffix(name, ".S")+".o" {
				t.Errorf("RefName = %q", f.RefName)
			}
			ref := strings.Join(f.Ref, "\n")
			for _, p := range f.Diff(f.RefName, ref, f.RC, Options{}) {
				t.Error(p)
			}
			if f.RC != 0 {
				t.Errorf("%s.o.rc is %d; objtool 6.12 exits 0 after warnings", f.Name, f.RC)
			}
			if len(f.Args) == 0 {
				t.Errorf("%s: no objtool arguments", f.Src)
			}
		})
	}
}

// TestListings checks that each X.lst was made from the X.S beside it and
// the X.o beside it: the listing echoes the source lines, and the bytes it
// shows for each want line, and for every other line that is not a macro
// invocation, are the object's bytes there. For a linked fixture, that is
// where the map placed the source's sections in the linked object.
//
// It also checks the fixtures of the architectures with no reference
// objtool (testdata/arm64, testdata/ppc64), when they are built.
func TestListings(t *testing.T) {
	fixtures := append(loadAll(t), loadLinked(t)...)
	for _, d := range noRefDirs {
		fs, err := LoadWith(d, Options{NoRef: true})
		if err != nil {
			t.Logf("%s: %v (not built?)", d, err)
			continue
		}
		fixtures = append(fixtures, fs...)
	}
	for _, f := range fixtures {
		name, _ := filepath.Rel("../../testdata", f.Src)
		t.Run(name, func(t *testing.T) {
			obj, err := readObject(f.Obj)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range f.srcs {
				checkListing(t, s, obj, wantLines(f, s.path))
			}
		})
	}
}

// wantLines returns the lines of src whose want comments have a location.
func wantLines(f *Fixture, src string) map[int]bool {
	lines := map[int]bool{}
	for _, w := range f.Wants {
		if w.Src == src && w.Loc != "" {
			lines[w.Line] = true
		}
	}
	return lines
}

// checkListing checks one source's listing against the source and the
// fixture's object.
func checkListing(t *testing.T, s *source, obj *object, wants map[int]bool) {
	t.Helper()
	base := strings.TrimSuffix(s.path, ".S")
	for n, text := range s.lst.text {
		if n > len(s.lines) || s.lines[n-1] != text {
			t.Errorf("%s.lst line %d is %q, not the source's: rerun build.sh", base, n, text)
		}
	}
	macros := macroNames(s.lines)
	for n, want := range s.lst.bytes {
		if !wants[n] && (len(want) == 0 || macros[firstWord(s.lines[n-1])]) {
			continue
		}
		sec, off, err := s.at(n)
		if err != nil {
			t.Error(err)
			continue
		}
		got, err := obj.bytesAt(sec, off, len(want))
		if err != nil {
			t.Errorf("%s:%d: %v", s.path, n, err)
			continue
		}
		if len(want) == 0 || !bytes.Equal(got, want) {
			t.Errorf("%s:%d: listing bytes % x, object bytes % x at %s+0x%x: rerun build.sh", s.path, n, want, got, sec, off)
		}
	}
	for n := range wants {
		if _, ok := s.lst.bytes[n]; !ok {
			t.Errorf("%s:%d: a want comment on a line with no bytes", s.path, n)
		}
	}
}

// macroNames returns the macros the source defines. The listing puts all
// the bytes of a macro's expansion on the line that invokes it, whatever
// section they went to.
func macroNames(lines []string) map[string]bool {
	names := map[string]bool{}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 1 && f[0] == ".macro" {
			names[strings.TrimRight(f[1], ",")] = true
		}
	}
	return names
}

// firstWord returns a source line's first word after any label.
func firstWord(line string) string {
	f := strings.Fields(strings.ReplaceAll(line, ",", " "))
	for len(f) > 0 && strings.HasSuffix(f[0], ":") {
		f = f[1:]
	}
	if len(f) == 0 {
		return ""
	}
	if i := strings.IndexByte(f[0], ':'); i >= 0 {
		return f[0][i+1:] // "1:ret"
	}
	return f[0]
}

// TestObjtool runs the real objtool, where installed, through the harness:
// it must still print exactly the recorded lines, in the recorded order,
// with the recorded exit status, for an object path other than the one in
// the .ref files.
func TestObjtool(t *testing.T) {
	bin := FindObjtool()
	if bin == "" {
		skips.Skip(t, "no objtool 6.12 (set OBJTOOL)")
	}
	t.Run("single", func(t *testing.T) { Run(t, dir, Objtool(bin)) })
	t.Run("linked", func(t *testing.T) { RunWith(t, linkDir, Objtool(bin), Options{Linked: true}) })
}

func TestDiff(t *testing.T) {
	var f *Fixture
	for _, g := range loadAll(t) {
		if g.Name == "stack" {
			f = g
		}
	}
	if f == nil {
		t.Fatal("no stack fixture")
	}
	const obj = "x/stack.o"
	good := f.RefOrder(obj)
	if p := f.Diff(obj, strings.Join(good, "\n")+"\n", 0, Options{}); len(p) != 0 {
		t.Fatalf("objtool's own output: %q", p)
	}

	// One line missing, one extra, and the wrong status.
	bad := slices.Clone(good[1:])
	bad = append(bad, obj+": warning: objtool: fp_ok+0x0: bogus")
	p := f.Diff(obj, strings.Join(bad, "\n"), 1, Options{})
	if len(p) != 3 ||
		!strings.Contains(p[0], "stack.S:26: missing: x/stack.o: warning: objtool: ret_modified+0x1: return with modified stack frame") ||
		!strings.Contains(p[1], "unexpected: x/stack.o: warning: objtool: fp_ok+0x0: bogus") ||
		!strings.Contains(p[2], "exit status 1, objtool's is 0") {
		t.Errorf("problems:\n%s", strings.Join(p, "\n"))
	}

	// The right lines in the wrong order.
	swapped := slices.Clone(good)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	if p := f.Diff(obj, strings.Join(swapped, "\n"), 0, Options{}); len(p) != 1 || !strings.Contains(p[0], "another order") {
		t.Errorf("swapped: %q", p)
	}
	if p := f.Diff(obj, strings.Join(swapped, "\n"), 0, Options{IgnoreOrder: true}); len(p) != 0 {
		t.Errorf("swapped, order ignored: %q", p)
	}
}

func TestSectionsByLine(t *testing.T) {
	src := []string{
		"\tnop",
		".macro M",
		"\t.section .bogus",
		".endm",
		"\t.section .text.a, \"ax\", @progbits",
		"1:\t.pushsection \"__ex_table\",\"a\"",
		"\t.popsection # .section .x",
		"\t.data",
		"\t.previous",
		"\t.previous",
	}
	want := []string{".text", ".text", ".text", ".text", ".text.a", "__ex_table", ".text.a", ".data", ".text.a", ".data"}
	if got := sectionsByLine(src); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestParseWant(t *testing.T) {
	got, err := parseWant("\tret\t# want \"a \\\"b\\\"\" `c`")
	if err != nil || !slices.Equal(got, []string{`a "b"`, "c"}) {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := parseWant("\tret # want oops"); err == nil {
		t.Error("unquoted want accepted")
	}
	if got, _ := parseWant("\tret # wanted"); got != nil {
		t.Errorf("got %q", got)
	}
	// arm64, where # is an immediate.
	got, err = parseWant("\tstp\tx29, x30, [sp, #-16]!\t// want \"x\"")
	if err != nil || !slices.Equal(got, []string{"x"}) {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestSectionsByLineSlashComment(t *testing.T) {
	src := []string{
		"\t.pushsection __bug_table, \"aw\" // entries",
		"// .section .bogus",
		"\tbrk\t#0x800\t// .text.x",
		"\t.popsection",
	}
	want := []string{"__bug_table", "__bug_table", "__bug_table", ".text"}
	if got := sectionsByLine(src); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestLoadNoRef loads fixtures without X.o.ref and X.o.rc: the x86 ones,
// whose ref files are then ignored, and the spec-only directories.
func TestLoadNoRef(t *testing.T) {
	fs, err := LoadWith(dir, Options{NoRef: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Ref != nil || f.RC != 0 {
			t.Errorf("%s: Ref %q, RC %d", f.Name, f.Ref, f.RC)
		}
		// Right lines in any order pass; no .ref order is asked for.
		got := f.Expected(f.Obj)
		slices.Reverse(got)
		if p := f.Diff(f.Obj, strings.Join(got, "\n"), 0, Options{NoRef: true}); len(p) != 0 {
			t.Errorf("%s: %q", f.Name, p)
		}
		if p := f.Diff(f.Obj, "", 1, Options{NoRef: true}); len(p) != len(f.Wants)+1 {
			t.Errorf("%s: empty output with status 1: %q", f.Name, p)
		}
	}
}
