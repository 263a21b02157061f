package ppc64

import (
	"bufio"
	"debug/elf"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
)

// The corpus test decodes every word of every executable section of the
// Linux 6.12 ppc64le objects in $OBJCHECK_SHARED/corpus/linux-6.12 (by
// default ../shared next to the repository), and compares a sample with
// objdump.

// corpusArchive is the archive's path under the shared folder.
const corpusArchive = "corpus/linux-6.12/ppc64le.tar.xz"

// objdumpEvery samples one object in this many (in MANIFEST order) for the
// objdump comparison, besides sampleObjects; -objdump-all compares them all.
const objdumpEvery = 10

var objdumpAll = flag.Bool("objdump-all", false, "compare every corpus object with objdump, not a sample")

// sampleObjects are always compared with objdump: the hand-written
// assembly with the unusual instructions, and the two objects the corpus
// README names.
var sampleObjects = []string{
	"arch/powerpc/kernel/head_64.o",
	"arch/powerpc/kernel/entry_64.o",
	"arch/powerpc/kernel/exceptions-64s.o",
	"arch/powerpc/kernel/idle_book3s.o",
	"arch/powerpc/kernel/tm.o",
	"arch/powerpc/kernel/irq.o",
	"arch/powerpc/kernel/interrupt_64.o",
	"arch/powerpc/kernel/vector.o",
	"arch/powerpc/lib/sstep.o",
	"kernel/bpf/verifier.o",
}

// sharedDir returns the shared folder: $OBJCHECK_SHARED, or ../shared
// beside the repository root (the folder holding go.mod).
func sharedDir() string {
	if d := os.Getenv("OBJCHECK_SHARED"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// extractCorpus unpacks the ppc64le corpus into a temporary folder and
// returns the folder and the objects its MANIFEST lists, skipping the test
// when the archive or tar is missing.
func extractCorpus(t *testing.T) (string, []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("short mode: the corpus test decodes 1.5 million words")
	}
	archive := filepath.Join(sharedDir(), corpusArchive)
	if _, err := os.Stat(archive); err != nil {
		skips.Skipf(t, "no corpus (%v); set OBJCHECK_SHARED to the folder holding %s", err, corpusArchive)
	}
	if _, err := exec.LookPath("tar"); err != nil {
		skips.Skipf(t, "no tar to unpack %s: %v", archive, err)
	}
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xJf", archive, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("tar -xJf %s: %v\n%s", archive, err, out)
	}
	root := filepath.Join(dir, strings.TrimSuffix(filepath.Base(archive), ".tar.xz"))
	f, err := os.Open(filepath.Join(root, "MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var objs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if path, _, ok := strings.Cut(sc.Text(), "\t"); ok {
			objs = append(objs, path)
		}
	}
	if err := sc.Err(); err != nil || len(objs) == 0 {
		t.Fatalf("%s/MANIFEST: %d objects, %v", root, len(objs), err)
	}
	return root, objs
}

// corpusCounts are the totals of decoding the corpus.
type corpusCounts struct {
	objects, sections, words, insns int
	unknown, zero, truncated        int
	kinds                           [32]int
	ops                             int
	unknownWords                    map[uint32]int
	text                            [][]byte // every section decoded
}

func TestCorpus(t *testing.T) {
	root, objs := extractCorpus(t)
	a := New(binary.LittleEndian)
	c := corpusCounts{unknownWords: map[uint32]int{}}
	for _, obj := range objs {
		if err := c.object(a, filepath.Join(root, obj)); err != nil {
			t.Errorf("%s: %v", obj, err)
		}
	}
	c.log(t)
	allocs := testing.AllocsPerRun(1, func() {
		var in arch.Insn
		for _, code := range c.text {
			for off := 0; off < len(code); off += int(in.Len) {
				_ = a.Decode(code[off:], uint64(off), &in)
			}
		}
	})
	t.Logf("corpus: %.0f allocations decoding it (%.3f a word; errors and x/arch's boxed operands)",
		allocs, allocs/float64(c.words))
	if c.truncated != 0 {
		t.Errorf("%d sections end in the middle of an instruction", c.truncated)
	}

	objdump := "powerpc64le-linux-gnu-objdump"
	if _, err := exec.LookPath(objdump); err != nil {
		skips.Skipf(t, "no %s for the comparison: %v", objdump, err)
	}
	var cmp objdumpCompare
	for i, obj := range objs {
		if *objdumpAll || i%objdumpEvery == 0 || slices.Contains(sampleObjects, obj) {
			cmp.object(t, objdump, root, obj, a)
		}
	}
	cmp.report(t)
}

// object decodes every executable section of the object at path.
func (c *corpusCounts) object(a *arch.Arch, path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	c.objects++
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_EXECINSTR == 0 || s.Type != elf.SHT_PROGBITS {
			continue
		}
		code, err := s.Data()
		if err != nil {
			return fmt.Errorf("%s: %v", s.Name, err)
		}
		c.sections++
		c.text = append(c.text, code)
		if err := c.section(a, code); err != nil {
			return fmt.Errorf("%s: %v", s.Name, err)
		}
	}
	return nil
}

// section decodes code, stepping by Len.
func (c *corpusCounts) section(a *arch.Arch, code []byte) error {
	for off := 0; off < len(code); {
		var in arch.Insn
		err := a.Decode(code[off:], uint64(off), &in)
		switch {
		case errors.Is(err, arch.ErrTruncated):
			c.truncated++
		case errors.Is(err, arch.ErrUnknown):
			word := binary.LittleEndian.Uint32(code[off:])
			c.unknown++
			c.unknownWords[word]++
			if word == 0 {
				c.zero++
			}
		case err != nil:
			return fmt.Errorf("%#x: %v", off, err)
		default:
			c.insns++
			c.kinds[in.Kind]++
			c.ops += int(in.NOps)
		}
		c.words += int(in.Len) / 4
		off += int(max(in.Len, 1))
	}
	return nil
}

// log reports the totals.
func (c *corpusCounts) log(t *testing.T) {
	t.Logf("corpus: %d objects, %d executable sections, %d words", c.objects, c.sections, c.words)
	t.Logf("corpus: %d instructions, %d stack operations", c.insns, c.ops)
	t.Logf("corpus: %d unknown words (%.3f%%): %d zero, %d other",
		c.unknown, 100*float64(c.unknown)/float64(c.words), c.zero, c.unknown-c.zero)
	for k, n := range c.kinds {
		if n != 0 {
			t.Logf("corpus: kind %-18v %d", arch.Kind(k), n)
		}
	}
	words := make([]uint32, 0, len(c.unknownWords))
	for w := range c.unknownWords {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool { return c.unknownWords[words[i]] > c.unknownWords[words[j]] })
	var top []string
	for _, w := range words[:min(len(words), 8)] {
		top = append(top, fmt.Sprintf("%08x×%d", w, c.unknownWords[w]))
	}
	t.Logf("corpus: most frequent unknown words: %s", strings.Join(top, " "))
}
