package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/check/checktest"
	"github.com/objcheck/objcheck/decode"
)

// A formatCase is one command line whose outputs are compared.
type formatCase struct {
	name string
	dir  string // run from here
	args []string
}

// fixtureCases are the fixtures of testdata/{x86,x86/link,arm64,ppc64}
// with their own arguments, plus all of a directory's objects in one call.
func fixtureCases(t *testing.T) []formatCase {
	var cases []formatCase
	for _, d := range []struct {
		dir  string
		opts checktest.Options
	}{
		{"../../testdata/x86", checktest.Options{}},
		{"../../testdata/x86/link", checktest.Options{Linked: true}},
		{"../../testdata/arm64", checktest.Options{NoRef: true}},
		{"../../testdata/ppc64", checktest.Options{NoRef: true}},
	} {
		fixtures, err := checktest.LoadWith(d.dir, d.opts)
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, fx := range fixtures {
			args := append(slices.Clone(fx.Args), "--dry-run", fx.Obj)
			cases = append(cases, formatCase{name: fx.Obj, args: args})
			all = append(all, fx.Obj)
		}
		// One call, many objects: the arguments of the first, with
		// --stackval so that every arch validates.
		if len(fixtures) > 1 {
			args := append(slices.Clone(fixtures[0].Args), "--stackval", "--dry-run")
			cases = append(cases, formatCase{name: d.dir + "/*", args: append(args, all...)})
		}
	}
	// Objects with line tables, of the three arches, in one call.
	lines, _ := filepath.Glob("testdata/format/*.o")
	cases = append(cases, formatCase{name: "lines", args: append([]string{"--stackval", "--dry-run"}, lines...)})
	bad, _ := filepath.Glob("../../testdata/bad/*.o")
	cases = append(cases, formatCase{name: "bad", args: append([]string{"--stackval", "--dry-run", "missing.o"}, bad...)})
	return cases
}

// TestFormatCounts runs each case as text, JSON and SARIF, with and
// without --backtrace: the same messages in the same order, as many JSON
// lines and SARIF results as text lines, and the same exit status.
func TestFormatCounts(t *testing.T) {
	objects, warnings := 0, 0
	for _, tc := range fixtureCases(t) {
		for _, bt := range []bool{false, true} {
			args := tc.args
			if bt {
				args = append([]string{"--backtrace"}, args...)
			}
			n := compareFormats(t, tc.name, args)
			warnings += n
		}
		objects++
	}
	if warnings == 0 {
		t.Fatal("no warnings at all")
	}
	t.Logf("%d command lines, %d warnings: JSON = SARIF = text", objects, warnings)
}

// compareFormats runs one command line in the three formats and returns
// the number of warnings.
func compareFormats(t *testing.T, name string, args []string) int {
	t.Helper()
	rc, _, stderr := runWith(realCLI(), nil, args...)
	want := textMessages(stderr)
	rcJ, stdout, stderrJ := runWith(realCLI(), nil, append([]string{"--format=json"}, args...)...)
	if len(textMessages(stderrJ)) != 0 {
		t.Errorf("%s: --format=json printed text warnings:\n%s", name, stderrJ)
	}
	gotJ := jsonMessages(t, name, stdout, slices.Contains(args, "--backtrace"))
	rcS, sarif, _ := runWith(realCLI(), nil, append([]string{"--format=sarif"}, args...)...)
	gotS := sarifMessages(t, name, sarif)
	if rcJ != rc || rcS != rc {
		t.Errorf("%s: exit status text %d, json %d, sarif %d", name, rc, rcJ, rcS)
	}
	if diff := cmp.Diff(want, gotJ); diff != "" {
		t.Errorf("%s %q: JSON messages differ from text (-text +json):\n%s", name, args, diff)
	}
	if diff := cmp.Diff(want, gotS); diff != "" {
		t.Errorf("%s %q: SARIF messages differ from text (-text +sarif):\n%s", name, args, diff)
	}
	return len(want)
}

var textLine = regexp.MustCompile(`^(?:\S+: (?:warning|error): )?objtool: (.*)$`)

// optionNotice matches what the options' checks against an object print
// (fileOptsValid): about the command line, not the code, so they stay text
// in every format. With one object they name none; with many, their
// object is put in front like every line's.
var optionNotice = regexp.MustCompile(`^(?:Linked object detected, forcing --link|--\S+ requires --\S+)$`)

// textMessages returns the messages of the text lines about objects, in
// order: backtrace lines and option errors and notices left out.
func textMessages(stderr string) []string {
	var msgs []string
	for _, line := range strings.Split(stderr, "\n") {
		m := textLine.FindStringSubmatch(line)
		if m == nil || strings.HasPrefix(m[1], "  ") || strings.HasPrefix(line, "error: ") || optionNotice.MatchString(m[1]) {
			continue
		}
		msgs = append(msgs, m[1])
	}
	return msgs
}

// jsonMessages parses --format=json output and returns the messages; the
// backtrace must be there exactly when asked for, and every diagnostic
// must have a rule.
func jsonMessages(t *testing.T, name, stdout string, backtrace bool) []string {
	t.Helper()
	var msgs []string
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		var d jsonDiag
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("%s: bad JSON line %q: %v", name, sc.Text(), err)
		}
		if _, ok := check.RuleByID(d.Rule); !ok || d.Rule == "unclassified" || d.Object == "" {
			t.Errorf("%s: %s", name, sc.Text())
		}
		if !backtrace && d.Backtrace != nil {
			t.Errorf("%s: backtrace without --backtrace: %s", name, sc.Text())
		}
		msgs = append(msgs, d.Message)
	}
	return msgs
}

// sarifMessages parses a SARIF log and returns its results' messages.
func sarifMessages(t *testing.T, name, out string) []string {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("%s: bad SARIF: %v\n%s", name, err, out)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%s: %d runs", name, len(log.Runs))
	}
	run := log.Runs[0]
	var msgs []string
	for _, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("%s: result %q: rule %s at index %d", name, r.Message.Text, r.RuleID, r.RuleIndex)
		}
		msgs = append(msgs, r.Message.Text)
	}
	return msgs
}

// TestSARIFSchema validates the SARIF logs of the fixtures against the
// official SARIF 2.1.0 schema (testdata/sarif-schema-2.1.0.json, from
// github.com/oasis-tcs/sarif-spec, sarif-2.1/schema).
func TestSARIFSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	broken := `{"version": "2.1.0", "runs": [{"results": []}]}` // no tool
	if doc, err := jsonschema.UnmarshalJSON(strings.NewReader(broken)); err != nil || sch.Validate(doc) == nil {
		t.Fatalf("the schema accepts a log without a tool (%v)", err)
	}
	validated := 0
	for _, tc := range fixtureCases(t) {
		args := append([]string{"--format=sarif", "--backtrace"}, tc.args...)
		_, out, _ := runWith(realCLI(), nil, args...)
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: SARIF log not valid: %v", tc.name, err)
		}
		validated++
	}
	t.Logf("%d SARIF logs valid", validated)
}

// TestFormatFlag checks --format's values: a bad one is a usage error, a
// bare one or --no-format is the text.
func TestFormatFlag(t *testing.T) {
	obj := "../../testdata/x86/stack.o"
	rc, stdout, stderr := runWith(realCLI(), nil, "--stackval", "--format=xml", obj)
	if rc != exitUsage || stdout != "" || !strings.Contains(stderr, "Usage:") {
		t.Errorf("--format=xml: %d %q %q", rc, stdout, stderr)
	}
	_, _, text := runWith(realCLI(), nil, "--stackval", obj)
	for _, args := range [][]string{{"--format"}, {"--format=text"}, {"--format=json", "--no-format"}} {
		rc, stdout, stderr := runWith(realCLI(), nil, append(append([]string{"--stackval"}, args...), obj)...)
		if rc != 0 || stdout != "" || stderr != text {
			t.Errorf("%q: %d %q %q", args, rc, stdout, stderr)
		}
	}
}

// TestFormatEmpty: a clean object gives no JSON line and a SARIF log
// with an empty result list.
func TestFormatEmpty(t *testing.T) {
	obj := "../../testdata/x86/clean.o"
	if _, out, _ := runWith(realCLI(), nil, "--stackval", "--format=json", obj); out != "" {
		t.Errorf("json: %q", out)
	}
	_, out, _ := runWith(realCLI(), nil, "--stackval", "--format=sarif", obj)
	if !bytes.Contains([]byte(out), []byte(`"results": []`)) {
		t.Errorf("sarif: %s", out)
	}
}

// TestFormatLocation checks the fields of one JSON diagnostic.
func TestFormatLocation(t *testing.T) {
	_, out, _ := runWith(realCLI(), nil, "--stackval", "--format=json", "--backtrace", "../../testdata/x86/stack.o")
	line, _, _ := strings.Cut(out, "\n")
	var d jsonDiag
	if err := json.Unmarshal([]byte(line), &d); err != nil {
		t.Fatal(err)
	}
	want := jsonDiag{Object: "../../testdata/x86/stack.o", Arch: "x86_64", Section: ".text", Offset: ptr(uint64(12)),
		Function: "ret_modified", FunctionOffset: ptr(uint64(1)), Severity: "warning", Rule: "return-modified-frame",
		Message: "ret_modified+0x1: return with modified stack frame", Backtrace: []string{"ret_modified+0x0: <=== (sym)"}}
	d.State = nil
	if diff := cmp.Diff(&want, &d); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestFormatSource checks the source places .debug_line gives, on the
// three arches, for code in two sections at the same offsets (built by
// testdata/format/build.sh), in JSON and in SARIF.
func TestFormatSource(t *testing.T) {
	type place struct {
		Function string
		File     string
		Line     int
	}
	for _, tt := range []struct {
		obj  string
		want []place
	}{
		{"lines-x86.o", []place{{"f_ret", "lines-x86.S", 7}, {"g_ret", "lines-x86.S", 15}}},
		{"lines-arm64.o", []place{{"f_ret", "lines-arm64.S", 7}, {"g_ret", "lines-arm64.S", 15}}},
		{"lines-ppc64.o", []place{{"f_ret", "lines-ppc64.S", 8}, {"g_ret", "lines-ppc64.S", 16}}},
		{"lines-c.o", []place{{"twice", "lines-c.c", 6}}},
	} {
		obj := filepath.Join("testdata", "format", tt.obj)
		_, out, _ := runWith(realCLI(), nil, "--stackval", "--format=json", obj)
		var got []place
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var d jsonDiag
			if err := json.Unmarshal([]byte(line), &d); err != nil || d.Source == nil {
				t.Fatalf("%s: %q: %v", tt.obj, line, err)
			}
			got = append(got, place{d.Function, d.Source.File, d.Source.Line})
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: JSON (-want +got):\n%s", tt.obj, diff)
		}
		_, out, _ = runWith(realCLI(), nil, "--stackval", "--format=sarif", obj)
		var log sarifLog
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		got = nil
		for _, r := range log.Runs[0].Results {
			l := r.Locations[0]
			got = append(got, place{l.LogicalLocations[0].Name, l.PhysicalLocation.ArtifactLocation.URI,
				l.PhysicalLocation.Region.StartLine})
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: SARIF (-want +got):\n%s", tt.obj, diff)
		}
	}
}

// TestFormatObjectLocation: without .debug_line, a SARIF result points
// into the object, at the instruction's byte offset in the file.
func TestFormatObjectLocation(t *testing.T) {
	obj := "../../testdata/x86/stack.o"
	_, out, _ := runWith(realCLI(), nil, "--stackval", "--format=sarif", obj)
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	f, err := decode.Open(obj)
	if err != nil {
		t.Fatal(err)
	}
	text := f.SectionByName(".text")
	r := log.Runs[0].Results[0]
	pl := r.Locations[0].PhysicalLocation
	if pl.ArtifactLocation.URI != "../../testdata/x86/stack.o" || pl.Region == nil || pl.Region.ByteOffset == nil ||
		*pl.Region.ByteOffset != text.Offset+12 {
		t.Errorf("%s: location %+v, want byte %d", r.Message.Text, pl, text.Offset+12)
	}
}
