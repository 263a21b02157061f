package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// objtoolHelp is objtool 6.12's --help, as recorded in the golden case.
func objtoolHelp(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/objtool/help.txt")
	if err != nil {
		t.Fatal(err)
	}
	g, err := parseGolden(string(data))
	if err != nil {
		t.Fatal(err)
	}
	return g.stderr
}

// TestHelpByName: installed as objtool, --help is objtool's byte for byte;
// under any other name objcheck's own options follow it.
func TestHelpByName(t *testing.T) {
	want := objtoolHelp(t)
	for _, tt := range []struct {
		prog string
		args []string
		own  []string // objcheck options listed after objtool's text; nil for none
	}{
		{"objtool", []string{"--help"}, nil},
		{"/build/tools/objtool/objtool", []string{"--help"}, nil},
		{"tools/objtool/objtool", []string{"-h"}, nil},
		{"", []string{"--help"}, nil},
		{"objcheck", []string{"--help"}, []string{"--dwarf", "--format", "--jobs", "--baseline", "--write-baseline", "--werror", "--objcheck-help"}},
		{"/tmp/go-build1/b001/exe/objcheck", []string{"-h"}, []string{"--dwarf", "--objcheck-help"}},
		{"objtool.new", []string{"--help"}, []string{"--dwarf"}},
	} {
		var stdout, stderr bytes.Buffer
		rc := runAs(tt.prog, tt.args, func(string) string { return "" }, &stdout, &stderr)
		got := stderr.String()
		if rc != exitUsage || stdout.Len() != 0 || !strings.HasPrefix(got, want) {
			t.Errorf("%s %q: status %d, stdout %q, stderr\n%s\nwant objtool's help first", tt.prog, tt.args, rc, stdout.String(), got)
			continue
		}
		rest := got[len(want):]
		if tt.own == nil && rest != "" {
			t.Errorf("%s %q: after objtool's help:\n%s", tt.prog, tt.args, rest)
		}
		for _, o := range tt.own {
			if !strings.Contains(rest, " "+o) {
				t.Errorf("%s %q: %s not listed after objtool's help:\n%s", tt.prog, tt.args, o, rest)
			}
		}
	}
}

// TestHelpFilterOwn: the help for named options lists only those, of
// objcheck's own too.
func TestHelpFilterOwn(t *testing.T) {
	var stdout, stderr bytes.Buffer
	runAs("objcheck", []string{"--help", "baseline"}, func(string) string { return "" }, &stdout, &stderr)
	got := stderr.String()
	if !strings.Contains(got, "--baseline[=<file>]") || strings.Contains(got, "--dwarf") || strings.Contains(got, "--stats") {
		t.Errorf("--help baseline:\n%s", got)
	}
}
