package x86

import (
	"bufio"
	"debug/elf"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
)

// The x86 archives of the shared corpus.
var corpusArchives = []string{"x86-orc", "x86-fp"}

// sharedDir returns the shared material's folder: $OBJCHECK_SHARED, or
// "shared" beside the repository.
func sharedDir(t testing.TB) string {
	if d := os.Getenv("OBJCHECK_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// corpusObjects unpacks the named corpus archive into a temporary folder
// and returns the paths of its objects, sorted. It skips the test when the
// archive is not there.
func corpusObjects(t testing.TB, name string) []string {
	t.Helper()
	tarball := filepath.Join(sharedDir(t), "corpus", "linux-6.12", name+".tar.xz")
	if _, err := os.Stat(tarball); err != nil {
		skips.Skipf(t, "corpus archive not found (%v); set OBJCHECK_SHARED to the shared folder", err)
	}
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xJf", tarball, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("unpacking %s: %v\n%s", tarball, err, out)
	}
	var objs []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".o" {
			objs = append(objs, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) == 0 {
		t.Fatalf("no objects in %s", tarball)
	}
	sort.Strings(objs)
	return objs
}

// A textSection is an executable section's name and bytes.
type textSection struct {
	name string
	data []byte
}

// execSections returns the object's SHF_EXECINSTR sections that have bytes.
func execSections(path string) ([]textSection, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var secs []textSection
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_EXECINSTR == 0 || s.Type == elf.SHT_NOBITS {
			continue
		}
		data, err := s.Data()
		if err != nil {
			return nil, err
		}
		secs = append(secs, textSection{s.Name, data})
	}
	return secs, nil
}

// decodeLinear decodes a section from offset 0 as objtool does, calling fn
// for each instruction; it stops at the first error.
func decodeLinear(data []byte, fn func(off int, in *arch.Insn)) error {
	var in arch.Insn
	for off := 0; off < len(data); off += int(in.Len) {
		if err := Decode(data[off:], uint64(off), &in); err != nil {
			return &offsetError{off, err}
		}
		fn(off, &in)
	}
	return nil
}

// An offsetError is a decode error with its section offset.
type offsetError struct {
	off int
	err error
}

func (e *offsetError) Error() string { return fmt.Sprintf("offset %#x: %v", e.off, e.err) }
func (e *offsetError) Unwrap() error { return e.err }

// fallbackUse names how the opcode tables decoded the instruction at the
// start of code: its opcode bytes, "vex" and the opcode for a VEX or EVEX
// one, and the ModRM reg field; "" when x86asm did.
func fallbackUse(code []byte) string {
	var f fields
	if f.decode(code) != errNone || !f.fallback {
		return ""
	}
	vex := ""
	if f.vex {
		vex = "vex "
	}
	return fmt.Sprintf("%s% x /%d", vex, f.op[:f.nop], f.modrm>>3&7)
}

// TestCorpusDecodes decodes every executable section of every corpus
// object linearly, as objtool does; objtool decoded them all, so must we.
// It logs what the fallback decoded instead of x86asm.
func TestCorpusDecodes(t *testing.T) {
	for _, name := range corpusArchives {
		t.Run(name, func(t *testing.T) {
			var insns, sections int
			kinds := map[arch.Kind]int{}
			fallbacks := map[string]int{}
			for _, obj := range corpusObjects(t, name) {
				secs, err := execSections(obj)
				if err != nil {
					t.Fatalf("%s: %v", obj, err)
				}
				for _, s := range secs {
					sections++
					err := decodeLinear(s.data, func(off int, in *arch.Insn) {
						insns++
						kinds[in.Kind]++
						if use := fallbackUse(s.data[off:]); use != "" {
							fallbacks[use]++
						}
					})
					if err != nil {
						t.Errorf("%s: %s: %v", filepath.Base(obj), s.name, err)
					}
				}
			}
			n := 0
			for _, c := range fallbacks {
				n += c
			}
			t.Logf("%d instructions in %d sections; the fallback decoded %d: %v", insns, sections, n, fallbacks)
			t.Logf("kinds: %v", kinds)
		})
	}
}

// TestCorpusDump writes Decode's answer for every instruction of the
// corpus, decoded linearly, to the file $OBJCHECK_X86_DUMP: one line per
// instruction with its object, section, offset, bytes and everything
// Decode reports. Dumps made before and after a change to the decoder
// must be identical.
func TestCorpusDump(t *testing.T) {
	path := os.Getenv("OBJCHECK_X86_DUMP")
	if path == "" {
		t.Skip("OBJCHECK_X86_DUMP is not set")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for _, name := range corpusArchives {
		objs := corpusObjects(t, name)
		root := filepath.Dir(objs[0])
		for _, o := range objs {
			for !strings.HasPrefix(o, root+string(filepath.Separator)) {
				root = filepath.Dir(root)
			}
		}
		for _, obj := range objs {
			rel, _ := filepath.Rel(root, obj)
			secs, err := execSections(obj)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range secs {
				err := decodeLinear(s.data, func(off int, in *arch.Insn) {
					fmt.Fprintf(w, "%s/%s %s %#x % x: len %d %v flags %#x", name, rel, s.name, off,
						s.data[off:off+int(in.Len)], in.Len, in.Kind, in.Flags)
					if in.HasTarget {
						fmt.Fprintf(w, " target %#x", in.Target)
					}
					for _, op := range in.StackOps() {
						fmt.Fprintf(w, " %+v", op)
					}
					w.WriteString("\n")
				})
				if err != nil {
					fmt.Fprintf(w, "%s/%s %s: %v\n", name, rel, s.name, err)
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkDecodeCorpus decodes every executable section of the x86-orc
// corpus linearly and reports the time and allocations per instruction.
func BenchmarkDecodeCorpus(b *testing.B) {
	var secs []textSection
	for _, obj := range corpusObjects(b, "x86-orc") {
		s, err := execSections(obj)
		if err != nil {
			b.Fatal(err)
		}
		secs = append(secs, s...)
	}
	var in arch.Insn
	count := func() (n int) {
		for _, s := range secs {
			for off := 0; off < len(s.data); off += int(in.Len) {
				if err := Decode(s.data[off:], uint64(off), &in); err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		return n
	}
	n := count()
	allocs := testing.AllocsPerRun(1, func() { count() })
	b.ResetTimer()
	for b.Loop() {
		count()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/insn")
	b.ReportMetric(allocs/float64(n), "allocs/insn")
}
