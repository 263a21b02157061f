package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/objcheck/objcheck/difftest"
)

// formatArches are the mutant sets of TestFormatMutants, one per arch:
// the corpora and, where kbuild recorded none, the arguments the objects
// are checked with (arm64 and ppc64 as objcheck validates them).
var formatArches = []struct {
	name string
	sets []string
	args []string
}{
	{"x86", []string{"x86-fp", "x86-orc"}, nil},
	{"arm64", []string{"arm64"}, []string{"--stackval", "--dwarf"}},
	{"ppc64le", []string{"ppc64le"}, []string{"--stackval", "--dwarf"}},
}

// TestFormatMutants compares the three formats over mutants of the
// corpora of each arch (difftest.Mutants: one stack operation, jump or
// return replaced by NOPs), each with its recorded arguments or its
// arch's, and validates the SARIF log of all of an arch's mutants in one
// call. OBJCHECK_FORMAT_MUTANTS sets how many an arch (default 60). It
// uses the unpacked corpus in /tmp/corpus, or unpacks the shared archives;
// it skips without either, and with -short when it would unpack.
func TestFormatMutants(t *testing.T) {
	n := 60
	if s := os.Getenv("OBJCHECK_FORMAT_MUTANTS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("OBJCHECK_FORMAT_MUTANTS=%q: want a positive number", s)
		}
		n = v
	}
	for _, fa := range formatArches {
		t.Run(fa.name, func(t *testing.T) {
			mutants, err := difftest.Mutants(formatObjects(t, fa.sets, fa.args), n, 13)
			if err != nil {
				t.Fatal(err)
			}
			formatMutants(t, mutants)
		})
	}
}

// formatObjects lists the objects of the corpora sets, each with its
// recorded arguments, or args when args is not nil.
func formatObjects(t *testing.T, sets, args []string) []difftest.Object {
	t.Helper()
	var objs []difftest.Object
	for _, set := range sets {
		dir := corpusSet(t, set)
		entries, err := difftest.ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			o := difftest.Object{Set: set, Dir: dir, Path: e.Path, Args: args}
			if args == nil {
				rec, err := difftest.ReadRecord(dir, e.Path)
				if err != nil {
					t.Fatal(err)
				}
				o.Args = rec.Args
			}
			objs = append(objs, o)
		}
	}
	return objs
}

// formatMutants compares the formats on each mutant, then on all of them
// in one call, and validates that call's SARIF log.
func formatMutants(t *testing.T, mutants []*difftest.Mutant) {
	if len(mutants) == 0 {
		t.Fatal("no mutants")
	}
	root := t.TempDir()
	var all []string
	warnings := 0
	for _, m := range mutants {
		path := filepath.Join(root, fmt.Sprintf("%s-%04d", m.Set, m.ID), m.Path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, m.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		args := append(slices.Clone(m.Args), "--dry-run", path)
		warnings += compareFormats(t, m.String(), args)
		all = append(all, path)
	}
	// Every mutant in one call, with the actions of the first.
	args := append(slices.Clone(mutants[0].Args), "--dry-run", "--backtrace")
	many := compareFormats(t, "all mutants", append(args, all...))
	_, out, _ := runWith(realCLI(), nil, append([]string{"--format=sarif"}, append(args, all...)...)...)
	sch, err := jsonschema.NewCompiler().Compile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("SARIF log of the mutants not valid: %v", err)
	}
	if warnings == 0 {
		t.Error("no mutant warned: the comparison compared nothing")
	}
	t.Logf("%d mutants, %d warnings one by one, %d in one call: JSON = SARIF = text", len(mutants), warnings, many)
}

// corpusSet returns the unpacked corpus folder of set.
func corpusSet(t *testing.T, set string) string {
	t.Helper()
	if dir := filepath.Join("/tmp/corpus", set); fileExists(filepath.Join(dir, "MANIFEST")) {
		return dir
	}
	root, err := difftest.RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	archive := difftest.Archive(difftest.SharedDir(root), set)
	if !fileExists(archive) {
		skips.Skipf(t, "no corpus: neither /tmp/corpus/%s nor %s (set OBJCHECK_SHARED)", set, archive)
	}
	if testing.Short() {
		t.Skip("-short: not unpacking the corpus")
	}
	dir, err := difftest.Extract(archive, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
