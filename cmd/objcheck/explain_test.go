package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/check/checktest"
)

// The fixture folders whose warnings --trace and --graph must explain.
var explainDirs = []string{"../../testdata/x86", "../../testdata/arm64", "../../testdata/ppc64"}

// TestExplainFixtures runs, for every function with a warning in the
// fixtures of the three arches, the fixture's command with --trace and
// --graph of that function. The normal output and the exit status must be
// those of the command without them; the graph must render with dot (when
// installed) and mark in red the block of each warning, the trace must
// show each warning where it fires and, for a stack state mismatch, both
// states. Functions without an ELF size have no graph and are left out.
func TestExplainFixtures(t *testing.T) {
	dot, _ := exec.LookPath("dot")
	graphs, funcs := 0, 0
	for _, dir := range explainDirs {
		fixtures, err := checktest.LoadWith(dir, checktest.Options{NoRef: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, fx := range fixtures {
			sized := sizedFuncs(t, fx.Obj)
			for fn, wants := range warnedFuncs(t, fx) {
				if !sized[fn] {
					continue
				}
				funcs++
				if explainFunc(t, fx, fn, wants, dot) {
					graphs++
				}
			}
		}
	}
	if funcs == 0 {
		t.Fatal("no warned functions in the fixtures")
	}
	if dot == "" {
		skips.Skipf(t, "dot not installed: %d functions traced, no graph rendered (apt-get install graphviz)", funcs)
	}
	t.Logf("%d functions with warnings traced, %d graphs rendered with dot", funcs, graphs)
}

// explainFunc checks --trace and --graph of one function and reports
// whether dot rendered its graph.
func explainFunc(t *testing.T, fx *checktest.Fixture, fn string, wants []checktest.Want, dot string) bool {
	t.Helper()
	args := append(append([]string{"--dry-run"}, fx.Args...), fx.Obj)
	plainOut, plainErr, plainRC := runArgs(args)
	x := append(append([]string{"--dry-run"}, fx.Args...), "--trace="+fn, "--graph="+fn, fx.Obj)
	out, errOut, rc := runArgs(x)
	name := fx.Name + ":" + fn
	if rc != plainRC || !strings.HasSuffix(out, plainOut) || !strings.HasSuffix(errOut, plainErr) {
		t.Errorf("%s: --trace/--graph changed the output or the status (%d, was %d)", name, rc, plainRC)
		return false
	}
	trace := strings.TrimSuffix(errOut, plainErr)
	graph := strings.TrimSuffix(out, plainOut)
	for _, w := range wants {
		msg := w.Msg
		if w.Loc != "" {
			msg = w.Loc + ": " + w.Msg
		}
		if !strings.Contains(trace, "WARNING "+msg) {
			t.Errorf("%s: the trace does not show %q:\n%s", name, msg, trace)
		}
		if strings.Contains(msg, "stack state mismatch") &&
			(!strings.Contains(trace, "state 1, recorded first:") || !strings.Contains(trace, "state 2, arriving now:")) {
			t.Errorf("%s: the trace does not show both states of %q:\n%s", name, msg, trace)
		}
		if !markedBlock(graph, w) {
			t.Errorf("%s: the graph does not mark the block of %q:\n%s", name, msg, graph)
		}
	}
	if dot == "" {
		return false
	}
	cmd := exec.Command(dot, "-Tsvg", "-o", os.DevNull)
	cmd.Stdin = strings.NewReader(graph)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s: dot -Tsvg: %v\n%s\n%s", name, err, b, graph)
		return false
	}
	return true
}

// markedBlock reports whether the graph has a red node naming the want's
// message and, when the want has one, its place.
func markedBlock(graph string, w checktest.Want) bool {
	for _, line := range strings.Split(graph, "\n") {
		if !strings.Contains(line, "color=red") || !strings.Contains(line, "[label=") {
			continue
		}
		if strings.Contains(line, "WARNING ") && (w.Loc == "" || strings.Contains(line, `\l`+w.Loc+" ")) {
			return true
		}
	}
	return false
}

// insertedOnce reports whether got is plain with one run of whole lines
// inserted somewhere: the explanations go in one piece between lines the
// command prints anyway (after "Linked object detected", say).
func insertedOnce(plain, got string) bool {
	p, g := strings.SplitAfter(plain, "\n"), strings.SplitAfter(got, "\n")
	k := 0
	for k < len(p) && k < len(g) && p[k] == g[k] {
		k++
	}
	return strings.HasSuffix(strings.Join(g[k:], ""), strings.Join(p[k:], ""))
}

// runArgs runs the command in-process.
func runArgs(args []string) (stdout, stderr string, rc int) {
	var out, errOut bytes.Buffer
	rc = run(args, func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), rc
}

// symbolRe matches a want's "sym+0x12" location.
var symbolRe = regexp.MustCompile(`^([^.+][^+]*)\+0x[0-9a-f]+$`)

// wholeFuncRe matches the whole-line messages that name their function.
var wholeFuncRe = regexp.MustCompile(`^(\S+)\(\) falls through`)

// endOfSectionRe matches the end-of-section message, which fires in the
// walk of the function its want lies in.
var endOfSectionRe = regexp.MustCompile(`^\S+: unexpected end of section$`)

// warnedFuncs groups a fixture's wants by the function they fire in: the
// one their location names (sym+0x12), or the one the message names (a
// fall-through), or for the end of a section the function the want's
// source line lies in. Wants about no function (a section offset outside
// any, a decoder note, a table entry) are left out.
func warnedFuncs(t *testing.T, fx *checktest.Fixture) map[string][]checktest.Want {
	t.Helper()
	out := map[string][]checktest.Want{}
	for _, w := range fx.Wants {
		fn := ""
		if m := symbolRe.FindStringSubmatch(w.Loc); m != nil {
			fn = m[1]
		} else if m := wholeFuncRe.FindStringSubmatch(w.Msg); m != nil && w.Loc == "" {
			fn = m[1]
		} else if w.Loc == "" && endOfSectionRe.MatchString(w.Msg) {
			fn = funcAtLine(t, w.Src, w.Line)
		}
		if fn != "" {
			out[fn] = append(out[fn], w)
		}
	}
	return out
}

// typeRe matches a function's .type directive.
var typeRe = regexp.MustCompile(`^\s*\.type\s+([\w.$]+)\s*,\s*[@%]function`)

// funcAtLine returns the last function whose .type directive comes before
// line of src.
func funcAtLine(t *testing.T, src string, line int) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fn := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan() && n <= line; n++ {
		if m := typeRe.FindStringSubmatch(sc.Text()); m != nil {
			fn = m[1]
		}
	}
	return fn
}

// sizedFuncs returns the names of the object's STT_FUNC symbols with a
// size.
func sizedFuncs(t *testing.T, obj string) map[string]bool {
	t.Helper()
	f, err := elf.Open(obj)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Size > 0 {
			out[s.Name] = true
		}
	}
	return out
}

// explainAllArgs are the actions TestExplainAll runs each object with.
var explainAllArgs = [][]string{
	{"--stackval", "--dry-run"},
	{"--orc", "--uaccess", "--dry-run"},
	{"--link", "--noinstr", "--ibt", "--dry-run"},
}

// TestExplainAll runs every object of testdata (the fixtures of the three
// arches, the linked ones, the malformed ones) with --trace, --graph and
// --disas of every function: the output and exit status of each action
// must stay what they are without them, and nothing may panic.
func TestExplainAll(t *testing.T) {
	var objs []string
	for _, pat := range []string{"x86/*.o", "x86/link/*.o", "arm64/*.o", "ppc64/*.o", "bad/*.o"} {
		m, err := filepath.Glob(filepath.Join("../../testdata", pat))
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, m...)
	}
	if len(objs) == 0 {
		t.Fatal("no objects in testdata")
	}
	for _, obj := range objs {
		for _, args := range explainAllArgs {
			plain := append(append([]string{}, args...), obj)
			out, errOut, rc := runArgs(plain)
			x := append(append([]string{}, args...), "--trace=*", "--graph=*", "--disas=*", obj)
			xout, xerr, xrc := runArgs(x)
			switch {
			case strings.Contains(xerr, "internal error"):
				t.Errorf("%s %q: %s", obj, args, xerr)
			case xrc != rc || !insertedOnce(out, xout) || !insertedOnce(errOut, xerr):
				t.Errorf("%s %q: --trace/--graph/--disas changed the output or the status (%d, was %d)",
					obj, args, xrc, rc)
			}
		}
	}
}

// readmeExamples are the --trace examples of the README's "Explaining a
// warning": the fixture and the function.
var readmeExamples = []struct{ obj, fn string }{
	{"testdata/x86/stack.o", "mismatch_reg"},
	{"testdata/arm64/stack.o", "pac_ret_signed"},
	{"testdata/ppc64/stack.o", "mismatch_reg"},
}

// TestReadmeExplain checks that the README's --trace examples are what
// the command prints: each trace, indented as the README quotes it.
func TestReadmeExplain(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range readmeExamples {
		_, errOut, _ := runArgs([]string{"--stackval", "--dry-run", "--trace=" + ex.fn, "../../" + ex.obj})
		var quoted strings.Builder
		for _, line := range strings.SplitAfter(errOut, "\n") {
			if line != "" && !strings.Contains(line, ": objtool: ") {
				quoted.WriteString("    " + line)
			}
		}
		if !strings.Contains(string(readme), quoted.String()) {
			t.Errorf("README's trace of %s in %s is not what --trace prints:\n%s", ex.fn, ex.obj, quoted.String())
		}
	}
}

// TestExplainAlone checks that an explain option without an action
// checks the stack as --stackval does: the same warnings and status,
// with what the option prints besides.
func TestExplainAlone(t *testing.T) {
	const obj = "../../testdata/x86/stack.o"
	out, errOut, rc := runArgs([]string{"--stackval", obj})
	if !strings.Contains(errOut, "warning:") {
		t.Fatalf("%s: --stackval found nothing (status %d)", obj, rc)
	}
	tests := []struct {
		flag, wantOut string
	}{
		{"--disas=mismatch_reg", "mismatch_reg: .text+0x"},
		{"--graph=mismatch_reg", "digraph"},
		{"--trace=mismatch_reg", ""},
	}
	for _, tt := range tests {
		xout, xerr, xrc := runArgs([]string{tt.flag, obj})
		if xrc != rc || !insertedOnce(errOut, xerr) || !insertedOnce(out, xout) {
			t.Errorf("%s alone: status %d, was %d with --stackval; stderr:\n%s", tt.flag, xrc, rc, xerr)
		}
		if !strings.Contains(xout, tt.wantOut) {
			t.Errorf("%s alone: stdout lacks %q", tt.flag, tt.wantOut)
		}
	}
	if _, errOut, rc := runArgs([]string{obj}); rc == 0 || !strings.Contains(errOut, "At least one action required") {
		t.Errorf("no action and no explain option: status %d, %q", rc, errOut)
	}
}
