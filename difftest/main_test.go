package difftest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Test-binary state: one temporary folder, objcheck built once, each
// archive unpacked once, however many tests ask.
var (
	tmpRoot string

	buildObjcheck = sync.OnceValues(func() (string, error) {
		root, err := RepoRoot(".")
		if err != nil {
			return "", err
		}
		bin := filepath.Join(tmpRoot, "objcheck")
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/objcheck")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build ./cmd/objcheck: %v\n%s", err, out)
		}
		return bin, nil
	})

	extractMu sync.Mutex
	extracted = make(map[string]func() (string, error))
)

func TestMain(m *testing.M) {
	var err error
	tmpRoot, err = os.MkdirTemp("", "difftest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

// objcheckBin returns the checker under test: $OBJCHECK_BIN, or
// cmd/objcheck built once for this test binary. It skips the test while
// cmd/objcheck has no Go files yet.
func objcheckBin(t testing.TB) string {
	if bin := os.Getenv("OBJCHECK_BIN"); bin != "" {
		return bin
	}
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(root, "cmd", "objcheck", "*.go")); len(m) == 0 {
		t.Skip("SKIP: cmd/objcheck has no Go files yet: nothing to test")
	}
	bin, err := buildObjcheck()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// batchSize is how many objects go to one objcheck call: $OBJCHECK_BATCH,
// else 64, or 1 for an objtool (which takes one object per call).
func batchSize(t testing.TB, bin string) int {
	if s := os.Getenv("OBJCHECK_BATCH"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("OBJCHECK_BATCH=%q: want a positive number", s)
		}
		return n
	}
	if strings.HasPrefix(filepath.Base(bin), "objtool") {
		return 1
	}
	return 64
}

// corpusDir returns the unpacked corpus folder called name, unpacking the
// archive on first use. It skips the test when the archive is absent.
func corpusDir(t testing.TB, name string) string {
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	archive := Archive(SharedDir(root), name)
	if _, err := os.Stat(archive); err != nil {
		skips.Skipf(t, "SKIP: corpus absent: %v (set OBJCHECK_SHARED to the shared folder)", err)
	}
	extractMu.Lock()
	f := extracted[name]
	if f == nil {
		f = sync.OnceValues(func() (string, error) {
			return Extract(archive, filepath.Join(tmpRoot, "corpus"))
		})
		extracted[name] = f
	}
	extractMu.Unlock()
	dir, err := f()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// objtoolBin returns the real objtool, skipping the test without one.
func objtoolBin(t testing.TB) string {
	bin := Objtool()
	if bin == "" {
		skips.Skip(t, "SKIP: no objtool: install linux-kbuild-6.12.117+deb12 or set OBJTOOL")
	}
	if _, err := os.Stat(bin); err != nil {
		skips.Skipf(t, "SKIP: objtool: %v", err)
	}
	return bin
}

func envInt(t testing.TB, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a number", name, s)
	}
	return n
}

// A job is one object to check: its arguments (the checker's options,
// --dry-run included, without the object) and what it should give.
type job struct {
	Path string
	Kind string
	Args []string
	Want Output
}

// A result is what the checker gave for one job.
type result struct {
	job
	Got Output
}

func (r *result) match() bool { return r.Got.Equal(r.Want) }

// runJobs runs bin on every job from dir, and returns one result per job,
// in order.
//
// For speed, jobs with identical arguments go to bin in batches of
// batchSize objects per call: objcheck prints as if run once per object, in
// order, so a batch whose output is the concatenation of what each object
// wants, with exit status 0 where every object wants 0, settles all its
// objects at once (each line naming its object: see batched). Any other
// batch is run again one object per call, so that each difference is
// pinned to its object; its batched output must then be the concatenation
// of the one-by-one outputs (so named), or the test fails
// (the CLI broke its guarantee). The first batch is always split as well,
// to check that guarantee where nothing differs.
func runJobs(t *testing.T, bin, dir string, jobs []job) []result {
	t.Helper()
	size := batchSize(t, bin)
	type batch struct {
		args  []string
		index []int
	}
	var batches []*batch
	open := make(map[string]*batch)
	for i, j := range jobs {
		k := strings.Join(j.Args, "\x00")
		b := open[k]
		if b == nil || len(b.index) == size {
			b = &batch{args: j.Args}
			open[k] = b
			batches = append(batches, b)
		}
		b.index = append(b.index, i)
	}

	// A job whose run fails (and so fails the test) must not count as a
	// match: until its run succeeds, it holds an output no checker gives.
	results := make([]result, len(jobs))
	for i, j := range jobs {
		results[i] = result{job: j, Got: Output{RC: -1, Signal: notRun}}
	}
	ctx := t.Context()
	single := func(i int) error {
		var err error
		results[i].Got, err = Run(ctx, bin, dir, append(jobs[i].Args[:len(jobs[i].Args):len(jobs[i].Args)], jobs[i].Path))
		return err
	}
	var mu sync.Mutex
	var errs []string
	fail := func(format string, args ...any) {
		mu.Lock()
		errs = append(errs, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	do := func(n int, b *batch) {
		if len(b.index) == 1 {
			if err := single(b.index[0]); err != nil {
				fail("%v", err)
			}
			return
		}
		args := append([]string(nil), b.args...)
		var want []byte
		allZero := true
		for _, i := range b.index {
			args = append(args, jobs[i].Path)
			want = append(want, batched(jobs[i].Path, jobs[i].Want.Stderr)...)
			allZero = allZero && jobs[i].Want.RC == 0 && jobs[i].Want.Signal == ""
		}
		got, err := Run(ctx, bin, dir, args)
		if err != nil {
			fail("%v", err)
			return
		}
		if allZero && got.RC == 0 && got.Signal == "" && bytes.Equal(got.Stderr, want) && n > 0 {
			for _, i := range b.index {
				results[i].Got = jobs[i].Want
			}
			return
		}
		var split []byte
		for _, i := range b.index {
			if err := single(i); err != nil {
				fail("%v", err)
				return
			}
			split = append(split, batched(jobs[i].Path, results[i].Got.Stderr)...)
		}
		if !bytes.Equal(split, got.Stderr) {
			fail("batched call (%d objects from %s) printed other than the same objects one by one:\n%s",
				len(b.index), jobs[b.index[0]].Path, strings.TrimSuffix(firstDiff(split, got.Stderr, 6), "\n"))
		}
	}

	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for n := range work {
				do(n, batches[n])
			}
		})
	}
	for n := range batches {
		work <- n
	}
	close(work)
	wg.Wait()
	for _, e := range errs {
		t.Error(e)
	}
	return results
}

// firstDiff describes where two outputs part: the first differing line and
// up to n lines of each from there.
func firstDiff(want, got []byte, n int) string {
	w, g := lines(want), lines(got)
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	if i == len(w) && i == len(g) {
		return "    same lines; they differ in a final newline\n"
	}
	fmt.Fprintf(&b, "    first difference at line %d (want %d lines, got %d)\n", i+1, len(w), len(g))
	for _, side := range []struct {
		name string
		l    []string
	}{{"want", w}, {"got ", g}} {
		for k := i; k < len(side.l) && k < i+n; k++ {
			fmt.Fprintf(&b, "    %s| %s\n", side.name, side.l[k])
		}
		if len(side.l) <= i {
			fmt.Fprintf(&b, "    %s| (nothing)\n", side.name)
		} else if len(side.l) > i+n {
			fmt.Fprintf(&b, "    %s| ... %d more\n", side.name, len(side.l)-i-n)
		}
	}
	return b.String()
}

func lines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// describe reports one mismatching result.
func describe(r *result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", r.Path)
	if r.Got.RC != r.Want.RC || r.Got.Signal != r.Want.Signal {
		fmt.Fprintf(&b, "exit status %s, want %s; ", status(r.Got), status(r.Want))
	}
	if bytes.Equal(r.Got.Stderr, r.Want.Stderr) {
		b.WriteString("same stderr\n")
	} else {
		b.WriteString("stderr differs\n" + firstDiff(r.Want.Stderr, r.Got.Stderr, 4))
	}
	return b.String()
}

// notRun stands in the Signal of an output that no run produced.
const notRun = "(not run)"

func status(o Output) string {
	if o.Signal == notRun {
		return "not run"
	}
	if o.Signal != "" {
		return "signal " + o.Signal
	}
	return strconv.Itoa(o.RC)
}

// unsupportedArch matches the error objcheck gives for an architecture it
// cannot check yet.
var unsupportedArch = regexp.MustCompile(`(?i)(unsupported|not (yet )?supported|not implemented)[^\n]*(arch|machine|arm64|aarch64|ppc64|powerpc)|(arch|machine|arm64|aarch64|ppc64|powerpc)[^\n]*(unsupported|not (yet )?supported|not implemented)`)
