package difftest

import (
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// A WriteCase is one object written by both tools: the object's path as
// kbuild names it, and the arguments (without --dry-run).
type WriteCase struct {
	Path string
	Args []string
	// Again runs both tools a second time, each over the object it wrote,
	// which then already holds the sections they add.
	Again bool
}

// CompareWrite copies the object src into a and b (under the case's
// relative path), runs objtool in a and objcheck in b, and returns "" when
// both print the same, exit the same and leave byte-identical files, or a
// description of the first difference.
func CompareWrite(ctx context.Context, objtool, objcheck, src, a, b string, c WriteCase) (string, error) {
	for _, d := range []string{a, b} {
		if err := copyFile(src, filepath.Join(d, c.Path)); err != nil {
			return "", err
		}
	}
	runs := 1
	if c.Again {
		runs = 2
	}
	for run := 1; run <= runs; run++ {
		args := append(append([]string(nil), c.Args...), c.Path)
		want, err := Run(ctx, objtool, a, args)
		if err != nil {
			return "", err
		}
		got, err := Run(ctx, objcheck, b, args)
		if err != nil {
			return "", err
		}
		if !got.Equal(want) {
			return fmt.Sprintf("run %d: output differs:\nobjtool (rc %d):\n%sobjcheck (rc %d):\n%s",
				run, want.RC, indent(want.Stderr, 4), got.RC, indent(got.Stderr, 4)), nil
		}
		if d := DiffFiles(filepath.Join(a, c.Path), filepath.Join(b, c.Path)); d != "" {
			return fmt.Sprintf("run %d: written files differ: %s", run, d), nil
		}
	}
	return "", nil
}

// copyFile copies src to dst, making dst's folder.
func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// DiffFiles returns "" when the files at a (objtool's) and b (objcheck's)
// are identical, or names their first difference: a section, its header or
// its contents, or the bytes outside sections.
func DiffFiles(a, b string) string {
	da, err := os.ReadFile(a)
	if err != nil {
		return err.Error()
	}
	db, err := os.ReadFile(b)
	if err != nil {
		return err.Error()
	}
	if bytes.Equal(da, db) {
		return ""
	}
	fa, err := elf.NewFile(bytes.NewReader(da))
	if err != nil {
		return fmt.Sprintf("objtool's file: %v", err)
	}
	fb, err := elf.NewFile(bytes.NewReader(db))
	if err != nil {
		return fmt.Sprintf("objcheck's file: %v", err)
	}
	if len(fa.Sections) != len(fb.Sections) {
		return fmt.Sprintf("%d sections, objtool %d", len(fb.Sections), len(fa.Sections))
	}
	for i, sa := range fa.Sections {
		sb := fb.Sections[i]
		if sa.SectionHeader != sb.SectionHeader {
			return fmt.Sprintf("section %d header: objcheck %+v, objtool %+v", i, sb.SectionHeader, sa.SectionHeader)
		}
		ca, _ := sa.Data()
		cb, _ := sb.Data()
		if !bytes.Equal(ca, cb) {
			return fmt.Sprintf("section %d (%s) contents differ at %#x", i, sa.Name, firstByteDiff(ca, cb))
		}
	}
	return fmt.Sprintf("%d bytes, objtool %d; first difference at %#x", len(db), len(da), firstByteDiff(da, db))
}

// firstByteDiff returns the first offset at which a and b differ.
func firstByteDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// againEvery is how often a corpus object is also run a second time over
// what each tool wrote.
const againEvery = 7

// TestWriteX86 runs objtool and objcheck without --dry-run over copies of
// every object of both x86-64 corpora with kbuild's recorded arguments: the
// written files must be identical, and so must what they print and
// return; every 7th object is then run again over the written file.
func TestWriteX86(t *testing.T) {
	objtool := objtoolBin(t)
	for _, name := range []string{"x86-orc", "x86-fp"} {
		t.Run(name, func(t *testing.T) { writeCorpus(t, objtool, name) })
	}
}

// TestWritePpc64 does the same for the ppc64le corpus's recorded --mcount
// runs, with objtool built for powerpc.
func TestWritePpc64(t *testing.T) {
	objtool := filepath.Join(filepath.Dir(objtoolBin(t)), "objtool.real-powerpc")
	if _, err := os.Stat(objtool); err != nil {
		skips.Skipf(t, "SKIP: no powerpc objtool: %v", err)
	}
	writeCorpus(t, objtool, "ppc64le")
}

// writeCorpus compares the writes of every recorded object of a corpus.
func writeCorpus(t *testing.T, objtool, name string) {
	bin := objcheckBin(t)
	dir := corpusDir(t, name)
	entries, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []WriteCase
	for _, e := range entries {
		rec, err := ReadRecord(dir, e.Path)
		if err != nil || rec.Args == nil {
			continue
		}
		cases = append(cases, WriteCase{Path: e.Path, Args: rec.Args, Again: len(cases)%againEvery == 0})
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no recorded runs", name)
	}
	reportWrites(t, name, cases, writeCases(t, objtool, bin, dir, cases))
}

// reportWrites reports the differences of a set of write cases and the
// match count, with how many were run twice.
func reportWrites(t *testing.T, label string, cases []WriteCase, diffs []string) {
	t.Helper()
	for i, d := range diffs {
		if i < maxReported {
			t.Error(d)
		}
	}
	twice := 0
	for _, c := range cases {
		if c.Again {
			twice++
		}
	}
	t.Logf("%s: %d/%d objects written as objtool writes them (%d run twice)", label, len(cases)-len(diffs),
		len(cases), twice)
}

// readelfEvery is how often a written object is also read whole by
// binutils' readelf, which must not complain.
const readelfEvery = 10

// readelfComplaints returns what `readelf --wide -a` says on standard error
// about the object at path, "" when nothing (or when there is no readelf).
func readelfComplaints(path string) string {
	readelf, err := exec.LookPath("readelf")
	if err != nil {
		return ""
	}
	var stderr bytes.Buffer
	cmd := exec.Command(readelf, "--wide", "-a", path)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil && stderr.Len() == 0 {
		return "readelf: " + err.Error()
	}
	if stderr.Len() > 0 {
		return "readelf --wide -a complains: " + firstLine(stderr.Bytes())
	}
	return ""
}

// TestWriteVmlinux runs both tools without --dry-run over copies of the
// whole linked kernel, vmlinux.o, with kbuild's recorded arguments (--link,
// --ibt, --orc, --prefix, ...): identical output, status and file.
func TestWriteVmlinux(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: vmlinux.o takes half a minute and 3 GB")
	}
	objtool := objtoolBin(t)
	bin := objcheckBin(t)
	dir, rec := vmlinuxRecord(t)
	tmp := t.TempDir()
	c := WriteCase{Path: "vmlinux.o", Args: rec.Args}
	d, err := CompareWrite(t.Context(), objtool, bin, filepath.Join(dir, c.Path),
		filepath.Join(tmp, "a"), filepath.Join(tmp, "b"), c)
	if err != nil {
		t.Fatal(err)
	}
	if d != "" {
		t.Fatal(d)
	}
	t.Logf("x86-vmlinux: vmlinux.o written as objtool writes it")
}

// writeCases runs the cases in parallel and returns their differences.
func writeCases(t *testing.T, objtool, bin, dir string, cases []WriteCase) []string {
	var mu sync.Mutex
	var diffs []string
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c := cases[i]
				tmp := t.TempDir()
				d, err := CompareWrite(t.Context(), objtool, bin, filepath.Join(dir, c.Path),
					filepath.Join(tmp, "a"), filepath.Join(tmp, "b"), c)
				if err != nil {
					d = err.Error()
				}
				if d == "" && i%readelfEvery == 0 {
					d = readelfComplaints(filepath.Join(tmp, "b", c.Path))
				}
				if d != "" {
					mu.Lock()
					diffs = append(diffs, c.Path+": "+d)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()
	slices.Sort(diffs)
	return diffs
}

// variantEvery is how often a corpus object is taken for the variants.
const variantEvery = 5

// writeVariants are the argument sets of other kernel configs, added to
// the recorded ones: IBT and kCFI at link time, a module, and the
// frame-pointer corpus with the mitigations and ORC turned on. (The corpus
// was built without ftrace: TestWriteFixtures covers --mcount.)
var writeVariants = []struct {
	set, name string
	extra     []string
}{
	{"x86-orc", "ibt-cfi", []string{"--ibt", "--cfi", "--link"}},
	{"x86-orc", "module", []string{"--module"}},
	{"x86-fp", "mitigations", []string{"--orc", "--retpoline", "--rethunk", "--hacks=skylake", "--prefix=16"}},
}

// TestWriteVariants compares the writes of every 5th corpus object with
// the argument sets of other configs.
func TestWriteVariants(t *testing.T) {
	objtool := objtoolBin(t)
	bin := objcheckBin(t)
	for _, v := range writeVariants {
		t.Run(v.set+"/"+v.name, func(t *testing.T) {
			dir := corpusDir(t, v.set)
			entries, err := ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			var cases []WriteCase
			for i, e := range entries {
				rec, err := ReadRecord(dir, e.Path)
				if err != nil || rec.Args == nil || i%variantEvery != 0 {
					continue
				}
				args := append(slices.Clip(rec.Args), v.extra...)
				cases = append(cases, WriteCase{Path: e.Path, Args: args, Again: len(cases)%againEvery == 0})
			}
			reportWrites(t, v.set+" "+v.name, cases, writeCases(t, objtool, bin, dir, cases))
		})
	}
}

// The arguments of kbuild's x86 configs, for the fixtures.
var (
	orcArgs = []string{"--hacks=jump_label", "--hacks=noinstr", "--hacks=skylake", "--orc", "--retpoline",
		"--rethunk", "--static-call", "--uaccess", "--prefix=16"}
	fpArgs = []string{"--hacks=jump_label", "--hacks=noinstr", "--stackval", "--static-call", "--uaccess"}
)

// TestWriteFixtures compares the writes of the objects in testdata: the x86
// fixtures with the ORC and the frame-pointer configs' arguments, and
// testdata/x86/write/ftrace.o, compiled for ftrace, with --mcount and
// --mnop as well (its noinstr code calls a sanitizer hook, which
// --hacks=noinstr removes).
func TestWriteFixtures(t *testing.T) {
	objtool := objtoolBin(t)
	bin := objcheckBin(t)
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	fixtures, _ := filepath.Glob(filepath.Join(root, "testdata", "x86", "*.o"))
	var cases []WriteCase
	for _, f := range fixtures {
		rel, _ := filepath.Rel(root, f)
		for _, args := range [][]string{orcArgs, fpArgs} {
			cases = append(cases, WriteCase{Path: rel, Args: args, Again: true})
		}
	}
	ftrace := filepath.Join("testdata", "x86", "write", "ftrace.o")
	for _, args := range [][]string{{"--mcount"}, {"--mcount", "--mnop"}, append(slices.Clip(orcArgs), "--mcount", "--mnop")} {
		cases = append(cases, WriteCase{Path: ftrace, Args: args, Again: true})
	}
	diffs := writeCases(t, objtool, bin, root, cases)
	n := len(cases)
	if ppc := filepath.Join(filepath.Dir(objtool), "objtool.real-powerpc"); fileExists(ppc) {
		plain, added, dir := ppcFixtures(t, root)
		diffs = append(diffs, writeCases(t, ppc, bin, root, plain)...)
		diffs = append(diffs, writeCases(t, ppc, bin, dir, added)...)
		n += len(plain) + len(added)
	}
	for _, d := range diffs {
		t.Error(d)
	}
	t.Logf("fixtures: %d/%d runs written as objtool writes them", n-len(diffs), n)
}

// ppcFixtures are the powerpc fixtures with --mcount (which kbuild runs
// there), and, in the folder dir, copies of the little-endian ones with an
// empty __mcount_loc added by objcopy, which objtool reports before it
// looks at the calls.
func ppcFixtures(t *testing.T, root string) (plain, added []WriteCase, dir string) {
	fixtures, _ := filepath.Glob(filepath.Join(root, "testdata", "ppc64", "*.o"))
	objcopy, _ := exec.LookPath("powerpc64le-linux-gnu-objcopy")
	dir = t.TempDir()
	for _, f := range fixtures {
		rel, _ := filepath.Rel(root, f)
		plain = append(plain, WriteCase{Path: rel, Args: []string{"--mcount"}, Again: true})
		if objcopy == "" || strings.Contains(rel, "be.o") {
			continue
		}
		dst := filepath.Join(dir, filepath.Base(f))
		if out, err := exec.Command(objcopy, "--add-section", "__mcount_loc=/dev/null", f, dst).CombinedOutput(); err != nil {
			t.Fatalf("objcopy %s: %v: %s", rel, err, out)
		}
		added = append(added, WriteCase{Path: filepath.Base(f), Args: []string{"--mcount"}})
	}
	return plain, added, dir
}
