package difftest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// maxReported caps the mismatches a test prints in full.
const maxReported = 40

// corpusJobs reads the recorded objtool run of every object of the corpus
// folder dir, for the checker to repeat with --dry-run added.
func corpusJobs(t *testing.T, dir string) []job {
	entries, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	jobs := make([]job, 0, len(entries))
	for _, e := range entries {
		rec, err := ReadRecord(dir, e.Path)
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job{
			Path: e.Path,
			Kind: e.Kind,
			Args: append(slices.Clip(rec.Args), "--dry-run"),
			Want: Output{Stderr: rec.Ref, RC: rec.RC},
		})
	}
	return jobs
}

// compareCorpus runs the checker over the recorded runs of one corpus
// folder and reports every object whose stderr or exit status differs,
// then the match rate.
// With probe set, it first skips the test if objcheck cannot check the
// corpus's architecture yet.
func compareCorpus(t *testing.T, name string, probe bool) {
	bin := objcheckBin(t)
	dir := corpusDir(t, name)
	jobs := corpusJobs(t, dir)
	if probe {
		skipUnsupported(t, bin, dir, jobs[0])
	}
	results := runJobs(t, bin, dir, jobs)
	matched, reported := 0, 0
	var warned []string
	for i := range results {
		r := &results[i]
		if len(r.Want.Stderr) > 0 {
			warned = append(warned, r.Path)
		}
		if r.match() {
			matched++
			continue
		}
		if reported++; reported <= maxReported {
			t.Error(strings.TrimSuffix(describe(r), "\n"))
		}
	}
	if reported > maxReported {
		t.Errorf("... and %d more mismatching objects", reported-maxReported)
	}
	t.Logf("%d of %d objects have warnings recorded", len(warned), len(results))
	label := name
	if !strings.HasPrefix(name, "x86") {
		label += " (recorded runs)"
	}
	t.Logf("%s: %d/%d objects match (%.1f%%)", label, matched, len(results), 100*float64(matched)/float64(max(len(results), 1)))
}

// TestCorpusX86 runs the checker on every object of both x86-64 corpora,
// from the unpacked folder with the object's path as kbuild gave it and
// kbuild's recorded arguments plus --dry-run, and wants objtool's recorded
// stderr byte for byte and its exit status. See runJobs for how objects are
// batched.
func TestCorpusX86(t *testing.T) {
	for _, name := range []string{"x86-orc", "x86-fp"} {
		t.Run(name, func(t *testing.T) { compareCorpus(t, name, false) })
	}
}

// skipUnsupported skips t when bin says it cannot check dir's architecture
// yet, judged from its first object: until the arm64 and ppc64 decoders
// land, objcheck refuses those objects with an "unsupported machine" kind
// of error, and these tests must not fail the build for it.
func skipUnsupported(t *testing.T, bin, dir string, probe job) {
	out, err := Run(t.Context(), bin, dir, append(slices.Clip(probe.Args), probe.Path))
	if err != nil {
		t.Fatal(err)
	}
	if out.RC != 0 {
		if unsupportedArch.Match(out.Stderr) {
			t.Skipf("SKIP: objcheck cannot check this architecture yet (%s: %q)", probe.Path, firstLine(out.Stderr))
		}
	}
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}

// linkedNote is what objtool 6.12 prints, as an error though it goes on,
// for an object linked from several (more than one STT_FILE symbol)
// without --link.
const linkedNote = "error: objtool: Linked object detected, forcing --link\n"

// stackvalCorpus runs objcheck --stackval --dwarf --dry-run on every object of a
// non-x86 corpus. Objects compiled from C (kinds c and ld; an ld object
// may print linkedNote) must come out clean, but for the functions the
// corpus README names as really breaking the frame rules and for the
// findings listed in testdata/known-<name>.txt: warnings objcheck still
// gives on compiled code (false positives being worked on, each listed so
// that the list can only shrink). A compiled object whose output is not
// exactly its known lines fails the test; OBJCHECK_UPDATE_KNOWN=1 rewrites
// the list. Warnings on hand-written assembly (kind S) are only summed up
// in the log, since nothing has ever checked those.
func stackvalCorpus(t *testing.T, name string, expected map[string]string) {
	bin := objcheckBin(t)
	dir := corpusDir(t, name)
	entries, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	jobs := make([]job, 0, len(entries))
	for _, e := range entries {
		jobs = append(jobs, job{Path: e.Path, Kind: e.Kind, Args: []string{"--stackval", "--dwarf", "--dry-run"}})
	}
	skipUnsupported(t, bin, dir, jobs[0])
	results := runJobs(t, bin, dir, jobs)
	known := readKnown(t, name)
	var newKnown strings.Builder
	var asmObjs, asmWarnings, cClean, cKnown, cTotal, reported int
	var summary strings.Builder
	for i := range results {
		r := &results[i]
		if r.Kind == "ld" {
			r.Got.Stderr = bytes.Replace(r.Got.Stderr, []byte(linkedNote), nil, 1)
		}
		nwarn := strings.Count(string(r.Got.Stderr), "\n")
		if r.Kind == "S" {
			if nwarn > 0 || r.Got.RC != 0 {
				asmObjs++
				asmWarnings += nwarn
				fmt.Fprintf(&summary, "  %s: %d lines, exit %s; first: %s\n", r.Path, nwarn, status(r.Got), firstLine(r.Got.Stderr))
			}
			continue
		}
		cTotal++
		if fn, ok := expected[r.Path]; ok {
			if r.Got.RC != 0 || !allMention(r.Got.Stderr, fn) {
				t.Errorf("%s: want warnings only about %s (the corpus README says it breaks the frame rules):\n%s", r.Path, fn, firstDiff(nil, r.Got.Stderr, 6))
			} else if nwarn == 0 {
				t.Logf("note: %s: %s not flagged, though the corpus README says a validator is right to", r.Path, fn)
			} else {
				cClean++
			}
			continue
		}
		newKnown.Write(r.Got.Stderr)
		switch {
		case r.match():
			cClean++
		case r.Got.RC == 0 && string(r.Got.Stderr) == known[r.Path]:
			cKnown++
		default:
			if reported++; reported <= maxReported {
				t.Errorf("compiled object with warnings not in testdata/known-%s.txt (a false positive until shown otherwise): %s", name, strings.TrimSuffix(describe(r), "\n"))
			}
		}
		delete(known, r.Path)
	}
	for path := range known {
		t.Errorf("%s: listed in testdata/known-%s.txt but not in the corpus", path, name)
	}
	if reported > maxReported {
		t.Errorf("... and %d more compiled objects with warnings", reported-maxReported)
	}
	if os.Getenv("OBJCHECK_UPDATE_KNOWN") != "" {
		writeKnown(t, name, newKnown.String())
	}
	t.Logf("hand-written assembly: %d objects with output, %d lines:\n%s", asmObjs, asmWarnings, summary.String())
	t.Logf("%s --stackval --dwarf: %d/%d compiled objects clean, %d with known findings (testdata/known-%s.txt)", name, cClean, cTotal, cKnown, name)
}

// knownPath is the list of known findings on a corpus's compiled objects.
func knownPath(name string) string { return filepath.Join("testdata", "known-"+name+".txt") }

// readKnown reads the known findings, keyed by object path: each object's
// expected stderr, its lines in order.
func readKnown(t *testing.T, name string) map[string]string {
	known := map[string]string{}
	data, err := os.ReadFile(knownPath(name))
	if os.IsNotExist(err) {
		return known
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines(data) {
		path, _, ok := strings.Cut(l, ": ")
		if !ok {
			t.Fatalf("%s: malformed line %q", knownPath(name), l)
		}
		known[path] += l + "\n"
	}
	return known
}

// writeKnown rewrites the known findings.
func writeKnown(t *testing.T, name, text string) {
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(knownPath(name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", knownPath(name))
}

// allMention reports whether every line of out names one of fns, a list
// separated by "|".
func allMention(out []byte, fns string) bool {
	for _, l := range lines(out) {
		if !slices.ContainsFunc(strings.Split(fns, "|"), func(fn string) bool { return strings.Contains(l, fn) }) {
			return false
		}
	}
	return true
}

// TestCorpusArm64 runs objcheck --stackval over the arm64 corpus. It skips
// while objcheck reports arm64 unsupported.
func TestCorpusArm64(t *testing.T) {
	stackvalCorpus(t, "arm64", map[string]string{
		"arch/arm64/kernel/proton-pack.o": "qcom_link_stack_sanitisation",
	})
}

// TestCorpusPpc64 runs objcheck --stackval over the ppc64le corpus, and
// repeats kbuild's recorded --mcount runs (objtool's output and status
// recorded beside each object). Each part skips while objcheck reports
// ppc64 unsupported.
func TestCorpusPpc64(t *testing.T) {
	t.Run("stackval", func(t *testing.T) {
		// __do_IRQ inlines call_do_irq, the same switch of r1 to the
		// IRQ stack around a call as do_softirq_own_stack's: the same rule
		// catches it.
		stackvalCorpus(t, "ppc64le", map[string]string{
			"arch/powerpc/kernel/irq.o": "do_softirq_own_stack|__do_IRQ",
		})
	})
	t.Run("mcount", func(t *testing.T) { compareCorpus(t, "ppc64le", true) })
}
