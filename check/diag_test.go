package check_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/check/checktest"
	"github.com/objcheck/objcheck/decode"
)

var ruleIDForm = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// TestRuleTable checks that every rule is documented, has a unique ID of
// the documented form, and that its example is classified as the rule.
func TestRuleTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range check.Rules() {
		info := r.Info()
		if !ruleIDForm.MatchString(info.ID) || seen[info.ID] {
			t.Errorf("rule %d: bad or repeated ID %q", r, info.ID)
		}
		seen[info.ID] = true
		if info.Short == "" || info.Full == "" || info.Help == "" || info.Example == "" {
			t.Errorf("%s: undocumented", info.ID)
		}
		if got, ok := check.RuleByID(info.ID); !ok || got != r {
			t.Errorf("RuleByID(%q) = %v, %v", info.ID, got, ok)
		}
		if got := check.ClassifyMessage(info.Example); got != r && patterned(r) {
			t.Errorf("%s: example %q classified as %s", info.ID, info.Example, got)
		}
	}
}

// patterned reports whether the checker prints messages of r itself (the
// others are made by the command: it cannot read or write the object).
func patterned(r check.Rule) bool {
	switch r {
	case check.RuleUnclassified, check.RuleBadObject, check.RuleCannotOpen,
		check.RuleWriteFailed, check.RuleInternalError:
		return false
	}
	return true
}

// TestClassifyMessages classifies every message the fixtures and golden
// files of the repository hold: the want comments of the fixtures, and the
// warning lines of every recorded output.
func TestClassifyMessages(t *testing.T) {
	msgs := map[string]string{} // message -> where
	for _, root := range []string{"../testdata", "../cmd/objcheck/testdata", "../difftest/testdata"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, ".o") {
				return nil
			}
			collectMessages(t, path, msgs)
			return nil
		})
	}
	if len(msgs) < 50 {
		t.Fatalf("only %d messages found", len(msgs))
	}
	for msg, where := range msgs {
		if r := check.ClassifyMessage(msg); r == check.RuleUnclassified {
			t.Errorf("%s: %q has no rule", where, msg)
		}
	}
}

var (
	wantComment = regexp.MustCompile(`want "((?:[^"\\]|\\.)*)"`)
	warningLine = regexp.MustCompile(`: warning: objtool: (\S.*)$`)
)

// collectMessages adds the messages of one file.
func collectMessages(t *testing.T, path string, msgs map[string]string) {
	data, err := os.ReadFile(path)
	if err != nil || bytes.IndexByte(data, 0) >= 0 {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		var found [][]string
		if strings.HasSuffix(path, ".S") || strings.HasSuffix(path, ".c") {
			found = wantComment.FindAllStringSubmatch(line, -1)
		} else if m := warningLine.FindStringSubmatch(line); m != nil {
			found = [][]string{m}
		}
		for _, m := range found {
			msgs[strings.ReplaceAll(m[1], `\"`, `"`)] = path + ":" + strconv.Itoa(n)
		}
	}
}

// TestDiagnosticsOfFixtures runs every fixture, with and without
// --backtrace, and checks that its diagnostics are its text output: every
// visible one classified, their lines counted as Warnings, and Text of
// them the bytes of Stderr.
func TestDiagnosticsOfFixtures(t *testing.T) {
	dirs := []struct {
		dir  string
		opts checktest.Options
	}{
		{"../testdata/x86", checktest.Options{}},
		{"../testdata/x86/link", checktest.Options{Linked: true}},
		{"../testdata/x86-614", checktest.Options{NoRef: true}},
		{"../testdata/arm64", checktest.Options{NoRef: true}},
		{"../testdata/ppc64", checktest.Options{NoRef: true}},
	}
	total := 0
	for _, d := range dirs {
		fixtures, err := checktest.LoadWith(d.dir, d.opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, fx := range fixtures {
			for _, bt := range []bool{false, true} {
				total += checkDiagnostics(t, fx, bt)
			}
		}
	}
	if total == 0 {
		t.Fatal("no diagnostics")
	}
	t.Logf("%d diagnostics", total)
}

// checkDiagnostics runs one fixture and returns how many visible
// diagnostics it gave.
func checkDiagnostics(t *testing.T, fx *checktest.Fixture, backtrace bool) int {
	opts := &check.Options{DryRun: true, Backtrace: backtrace}
	for _, a := range fx.Args {
		if set, ok := testFlags[a]; ok {
			set(opts)
		}
	}
	f, err := decode.Open(fx.Obj)
	if err != nil {
		t.Fatal(err)
	}
	r := check.Run(f, opts)
	if got := check.Text(f.Name, r.Diagnostics); !bytes.Equal(got, r.Stderr) {
		t.Errorf("%s: Text of the diagnostics:\n%s\nStderr:\n%s", fx.Obj, got, r.Stderr)
	}
	lines, visible := 0, 0
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		lines += d.Lines()
		if d.Hidden {
			continue
		}
		visible++
		if d.Rule == check.RuleUnclassified {
			t.Errorf("%s: %q has no rule", fx.Obj, d.Message)
		}
		if d.Loc != nil && d.Loc.HasOffset && d.Loc.Func != "" && !strings.HasPrefix(d.Message, d.Loc.Func+"+") &&
			!strings.Contains(d.Message, "()") {
			t.Errorf("%s: %q located in %s", fx.Obj, d.Message, d.Loc.Func)
		}
	}
	if lines != bytes.Count(r.Stderr, []byte("\n")) || lines != r.Warnings {
		t.Errorf("%s: %d diagnostic lines, %d Warnings, stderr:\n%s", fx.Obj, lines, r.Warnings, r.Stderr)
	}
	return visible
}
