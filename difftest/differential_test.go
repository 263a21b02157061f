package difftest

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestDifferentialX86 runs the real objtool and objcheck on mutants of the
// x86-64 corpus objects (see Mutants: one stack operation, jump or return
// replaced by NOPs) and wants the same stderr, byte for byte, and the same
// exit status, and, since both write the mutant (without --dry-run, each
// on its own copy), byte-identical files. Each mutant sits in its own
// folder under the object's kbuild path, and both tools run from there
// with that path and the object's recorded arguments; one process per
// mutant and tool, two per core at a time.
//
// OBJCHECK_MUTANTS sets how many (default 600, about a minute on two
// cores), OBJCHECK_MUTANT_SEED the seed, and OBJCHECK_KEEP_MUTANTS=dir
// keeps them: dir/NNNN holds the mutant laid out like a corpus folder, with
// objtool's output as <obj>.ref and <obj>.rc and objcheck's as
// <obj>.objcheck.err and <obj>.objcheck.rc. OBJCHECK_MUTANT_DIRS, a list
// of folders laid out like the corpus (difftest/kbuild/compare.sh's
// CAPTURE=1 makes them from any part of a kernel tree), takes its mutants
// from those objects instead.
func TestDifferentialX86(t *testing.T) {
	objtool := objtoolBin(t)
	bin := objcheckBin(t)
	var objs []Object
	sets := map[string]string{"x86-orc": "", "x86-fp": ""}
	if dirs := os.Getenv("OBJCHECK_MUTANT_DIRS"); dirs != "" {
		sets = make(map[string]string)
		for _, d := range filepath.SplitList(dirs) {
			sets[d] = d
		}
	}
	for _, set := range slices.Sorted(maps.Keys(sets)) {
		dir := sets[set]
		if dir == "" {
			dir = corpusDir(t, set)
		}
		entries, err := ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			rec, err := ReadRecord(dir, e.Path)
			if err != nil {
				t.Fatal(err)
			}
			objs = append(objs, Object{Set: set, Dir: dir, Path: e.Path, Args: rec.Args})
		}
	}
	n := envInt(t, "OBJCHECK_MUTANTS", 600)
	seed := envInt(t, "OBJCHECK_MUTANT_SEED", 1)
	mutants, err := Mutants(objs, n, uint64(seed))
	if err != nil {
		t.Fatal(err)
	}
	root := os.Getenv("OBJCHECK_KEEP_MUTANTS")
	if root == "" {
		root = t.TempDir()
	} else {
		t.Logf("keeping the mutants in %s", root)
	}

	type outcome struct {
		objtool, objcheck Output
		written           string // how the written files differ, "" if they do not
		err               error
	}
	outcomes := make([]outcome, len(mutants))
	ctx := t.Context()
	work := make(chan int)
	var wg sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				m, o := mutants[i], &outcomes[i]
				if o.err = m.Write(root); o.err != nil {
					continue
				}
				dir := m.Dir(root)
				twin := dir + ".objcheck"
				if o.err = copyFile(filepath.Join(dir, m.Path), filepath.Join(twin, m.Path)); o.err != nil {
					continue
				}
				args := append(slices.Clip(m.Args), m.Path)
				if o.objtool, o.err = Run(ctx, objtool, dir, args); o.err != nil {
					continue
				}
				if o.objcheck, o.err = Run(ctx, bin, twin, args); o.err != nil {
					continue
				}
				o.written = DiffFiles(filepath.Join(dir, m.Path), filepath.Join(twin, m.Path))
				if o.err = os.RemoveAll(twin); o.err != nil {
					continue
				}
				if os.Getenv("OBJCHECK_KEEP_MUTANTS") != "" {
					o.err = keepOutputs(filepath.Join(dir, m.Path), o.objtool, o.objcheck)
				} else {
					o.err = os.RemoveAll(dir)
				}
			}
		})
	}
	for i := range mutants {
		work <- i
	}
	close(work)
	wg.Wait()

	var warned, matched, crashed int
	var kinds [numSiteKinds]struct{ total, warned, matched int }
	var mismatches []string
	for i, m := range mutants {
		o := &outcomes[i]
		if o.err != nil {
			t.Errorf("%v: %v", m, o.err)
			continue
		}
		if o.objtool.Signal != "" {
			// objtool itself crashed: nothing to compare against.
			crashed++
			t.Logf("excluded, objtool died of %s: %v", o.objtool.Signal, m)
			continue
		}
		k := &kinds[m.Kind]
		k.total++
		if len(o.objtool.Stderr) > 0 {
			warned++
			k.warned++
		}
		if o.objcheck.Equal(o.objtool) && o.written == "" {
			matched++
			k.matched++
			continue
		}
		if o.written != "" {
			mismatches = append(mismatches, fmt.Sprintf("%v\n  written files differ: %s\n", m, o.written))
			continue
		}
		mismatches = append(mismatches, fmt.Sprintf("%v\n  objtool (exit %s):\n%s  objcheck (exit %s):\n%s",
			m, status(o.objtool), indent(o.objtool.Stderr, 12), status(o.objcheck), indent(o.objcheck.Stderr, 12)))
	}
	for i, s := range mismatches {
		if i == maxReported {
			t.Logf("... and %d more mismatches", len(mismatches)-maxReported)
			break
		}
		t.Log(strings.TrimSuffix(s, "\n"))
	}
	total := len(mutants) - crashed
	t.Logf("%d mutants (seed %d) of %d objects; %d excluded (objtool crashed)", len(mutants), seed, len(objs), crashed)
	for k := range numSiteKinds {
		c := kinds[k]
		t.Logf("  %-6s %4d mutants, %4d with warnings, %4d match", k, c.total, c.warned, c.matched)
	}
	t.Logf("differential x86: %d/%d mutants match (output, status and written file); %d of them make objtool warn", matched, total, warned)
	if len(mismatches) > 0 {
		t.Errorf("%d of %d mutants give other output than objtool (first %d above)", len(mismatches), total, min(len(mismatches), maxReported))
	}
}

// indent returns at most n lines of out, indented, each ending in a
// newline.
func indent(out []byte, n int) string {
	l := lines(out)
	if len(l) == 0 {
		return "    (nothing)\n"
	}
	var b strings.Builder
	for i, s := range l {
		if i == n {
			fmt.Fprintf(&b, "    ... %d more lines\n", len(l)-n)
			break
		}
		b.WriteString("    " + s + "\n")
	}
	return b.String()
}

// keepOutputs writes both tools' output beside a kept mutant.
func keepOutputs(obj string, objtool, objcheck Output) error {
	for _, f := range []struct {
		name string
		data []byte
	}{
		{obj + ".ref", objtool.Stderr},
		{obj + ".rc", []byte(status(objtool) + "\n")},
		{obj + ".objcheck.err", objcheck.Stderr},
		{obj + ".objcheck.rc", []byte(status(objcheck) + "\n")},
	} {
		if err := os.WriteFile(f.name, f.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
