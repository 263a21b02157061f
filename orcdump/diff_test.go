package orcdump

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/decode"
)

// objtool returns the real objtool 6.12 ($OBJTOOL, or Debian's
// linux-kbuild-6.12 one), or skips the test.
func objtool(t *testing.T) string {
	t.Helper()
	path := os.Getenv("OBJTOOL")
	if path == "" {
		matches, _ := filepath.Glob("/usr/lib/linux-kbuild-6.12*/tools/objtool/objtool.real-x86")
		if len(matches) > 0 {
			path = matches[len(matches)-1]
		}
	}
	if path == "" {
		skips.Skip(t, "no real objtool: install Debian's linux-kbuild-6.12 or set OBJTOOL")
	}
	if _, err := os.Stat(path); err != nil {
		skips.Skipf(t, "no real objtool: %v", err)
	}
	return path
}

// corpusArchive returns the path of archive name in the shared corpus
// ($OBJCHECK_SHARED, or ../shared beside the module root), or skips the test.
func corpusArchive(t *testing.T, name string) string {
	t.Helper()
	shared := os.Getenv("OBJCHECK_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "shared")
	}
	path := filepath.Join(shared, "corpus", "linux-6.12", name)
	if _, err := os.Stat(path); err != nil {
		skips.Skipf(t, "no corpus archive (set OBJCHECK_SHARED): %v", err)
	}
	return path
}

// unpack unpacks archive into a new temporary directory and returns it.
func unpack(t *testing.T, archive string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xJf", archive, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("tar -xJf %s: %v\n%s", archive, err, out)
	}
	return dir
}

// objtoolDump runs the real objtool's --dump=orc on path. ok is false when
// objtool did not exit but was killed (reading past a buffer, say).
func objtoolDump(t *testing.T, objtool, path string) (r result, ok bool) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(objtool, "--dump=orc", path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && !exit.Exited():
		return result{}, false
	case err != nil && !errors.As(err, &exit):
		t.Fatalf("%s: %v", objtool, err)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}, true
}

// writeORC runs the real objtool with kbuild's arguments args on path,
// which it rewrites with ORC sections.
func writeORC(t *testing.T, objtool string, args []string, path string) {
	t.Helper()
	out, err := exec.Command(objtool, append(args, path)...).CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s: %v\n%s", objtool, err, out)
	}
}

// readArgs reads an X.o.args file: kbuild's objtool arguments, one a line.
func readArgs(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

// TestCorpus writes ORC into every 10th object of the x86-orc corpus with
// the real objtool and kbuild's arguments, and compares Dump with objtool
// --dump=orc on it, byte for byte.
func TestCorpus(t *testing.T) {
	t.Parallel()
	objtool := objtool(t)
	root := filepath.Join(unpack(t, corpusArchive(t, "x86-orc.tar.xz")), "x86-orc")
	manifest, err := os.ReadFile(filepath.Join(root, "MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(manifest)), "\n")
	var n, entries int
	for i, line := range lines {
		if i%10 != 0 {
			continue
		}
		path := filepath.Join(root, strings.Fields(line)[0])
		writeORC(t, objtool, readArgs(t, path+".args"), path)
		want, ok := objtoolDump(t, objtool, path)
		if !ok {
			t.Errorf("%s: objtool --dump=orc was killed", path)
			continue
		}
		if diff := cmp.Diff(want, dumpResult(path)); diff != "" {
			t.Errorf("Dump(%q) differs from objtool --dump=orc (-objtool +Dump):\n%s", path, diff)
		}
		n++
		entries += strings.Count(want.Stdout, "\n")
	}
	if n == 0 {
		t.Fatal("no objects in MANIFEST")
	}
	t.Logf("%d objects, %d ORC entries: as objtool", n, entries)
}

// TestVmlinux does the same for the corpus's vmlinux.o, the whole kernel
// in one object, with ORC written as kbuild writes it for an IBT kernel.
func TestVmlinux(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: vmlinux.o takes objtool ten seconds")
	}
	t.Parallel()
	objtool := objtool(t)
	path := filepath.Join(unpack(t, corpusArchive(t, "x86-vmlinux.tar.xz")), "x86-vmlinux", "vmlinux.o")
	writeORC(t, objtool, readArgs(t, path+".args"), path)
	want, ok := objtoolDump(t, objtool, path)
	if !ok {
		t.Fatalf("%s: objtool --dump=orc was killed", path)
	}
	got := dumpResult(path)
	if want.Status != got.Status || want.Stderr != got.Stderr {
		t.Errorf("status %d, stderr %q; objtool: %d, %q", got.Status, got.Stderr, want.Status, want.Stderr)
	}
	if want.Stdout != got.Stdout {
		t.Errorf("stdout differs from objtool's first at line %d", firstDiffLine(want.Stdout, got.Stdout))
	}
	t.Logf("%d ORC entries: as objtool", strings.Count(want.Stdout, "\n"))
}

// firstDiffLine returns the number of the first line where a and b differ.
func firstDiffLine(a, b string) int {
	as, bs := bufio.NewScanner(strings.NewReader(a)), bufio.NewScanner(strings.NewReader(b))
	for n := 1; ; n++ {
		amore, bmore := as.Scan(), bs.Scan()
		if !amore && !bmore || amore != bmore || as.Text() != bs.Text() {
			return n
		}
	}
}

// TestMutants compares Dump with objtool on fixtures with one field of a
// header, or one byte of the sections orc_dump reads, changed: the checks
// libelf makes on what orc_dump reads, and their order. A mutant decode
// refuses for a reason libelf ignores gets decode's message (": error:
// objtool: "), not objtool's; those are counted, not failed
// (ORCDUMP_SHOW_REFUSED=1 logs them).
func TestMutants(t *testing.T) {
	t.Parallel()
	objtool := objtool(t)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var same, refused, killed, past, failures int
	for _, fixture := range []string{"orc.o", "entry_64_compat.o", "linked.elf", "noreloc.o"} {
		data, err := os.ReadFile(filepath.Join("testdata", fixture))
		if err != nil {
			t.Fatal(err)
		}
		m := newMutator(t, data)
		for i := range 300 {
			mutant, what := m.mutate(rng)
			path := filepath.Join(dir, fmt.Sprintf("%s.%d", fixture, i))
			if err := os.WriteFile(path, mutant, 0o644); err != nil {
				t.Fatal(err)
			}
			want, ok := objtoolDump(t, objtool, path)
			got := dumpResult(path)
			switch {
			case !ok:
				killed++
			case got == want:
				same++
			case readsPastIP(mutant):
				past++
			case strings.Contains(got.Stderr, ": error: objtool: "):
				refused++
				if os.Getenv("ORCDUMP_SHOW_REFUSED") != "" {
					t.Logf("refused: %s with %s: %s; objtool: %q %d", fixture, what, got.Stderr, want.Stderr, want.Status)
				}
			default:
				failures++
				if failures <= 10 {
					t.Errorf("%s with %s: differs from objtool (-objtool +Dump):\n%s", fixture, what, cmp.Diff(want, got))
				}
			}
			os.Remove(path)
		}
	}
	t.Logf("mutants: %d as objtool, %d refused by decode, %d where objtool reads past .orc_unwind_ip, %d killed objtool, %d differ",
		same, refused, past, killed, failures)
}

// readsPastIP reports whether objtool --dump reads past the end of the
// mutant's .orc_unwind_ip, as it does, reading whatever follows the buffer
// in its heap, when there is no .rela.orc_unwind_ip and fewer offsets than
// .orc_unwind has entries.
func readsPastIP(mutant []byte) bool {
	rel := append([]byte(nil), mutant...)
	binary.LittleEndian.PutUint16(rel[16:], 1)
	f, err := decode.Parse("mutant", rel)
	if err != nil {
		return false
	}
	byName := map[string]*decode.Section{}
	for _, s := range f.Sections {
		byName[s.Name] = s
	}
	orc, ip := byName[".orc_unwind"], byName[".orc_unwind_ip"]
	return byName[".rela.orc_unwind_ip"] == nil && orc != nil && ip != nil &&
		ip.Size < orc.Size/orcEntrySize*orcIPSize
}

// A mutator makes one-change variants of an ELF64 little-endian file.
type mutator struct {
	data  []byte
	shoff uint64
	secs  []*decode.Section // those orc_dump reads, and the string tables
	shnum int
}

// newMutator reads the section table of data, a fixture.
func newMutator(t *testing.T, data []byte) *mutator {
	t.Helper()
	rel := append([]byte(nil), data...)
	binary.LittleEndian.PutUint16(rel[16:], 1) // decode reads ET_REL only
	f, err := decode.Parse("fixture", rel)
	if err != nil {
		t.Fatal(err)
	}
	m := &mutator{data: data, shoff: binary.LittleEndian.Uint64(data[40:]), shnum: len(f.Sections)}
	for _, s := range f.Sections {
		switch s.Name {
		case ".symtab", ".strtab", ".shstrtab", ".orc_unwind", ".orc_unwind_ip", ".rela.orc_unwind_ip":
			m.secs = append(m.secs, s)
		}
	}
	return m
}

// Section header fields: offset in the header and size.
var shdrFields = []struct {
	name      string
	off, size int
}{
	{"sh_name", 0, 4}, {"sh_type", 4, 4}, {"sh_flags", 8, 8}, {"sh_addr", 16, 8},
	{"sh_offset", 24, 8}, {"sh_size", 32, 8}, {"sh_link", 40, 4}, {"sh_info", 44, 4},
	{"sh_entsize", 56, 8},
}

// ELF header fields that locate the sections.
var ehdrFields = []struct {
	name      string
	off, size int
}{
	{"e_shoff", 40, 8}, {"e_shnum", 60, 2}, {"e_shstrndx", 62, 2}, {"e_shentsize", 58, 2},
	{"e_type", 16, 2}, {"e_machine", 18, 2},
}

// mutate returns a copy of the file with one change, and what it is.
func (m *mutator) mutate(rng *rand.Rand) ([]byte, string) {
	d := append([]byte(nil), m.data...)
	s := m.secs[rng.IntN(len(m.secs))]
	switch k := rng.IntN(10); {
	case k < 5: // a field of the header of a section orc_dump reads
		fd := shdrFields[rng.IntN(len(shdrFields))]
		at := int(m.shoff) + 64*s.Index + fd.off
		old := getField(d[at:], fd.size)
		v := newValue(rng, old, uint64(m.shnum))
		putField(d[at:], fd.size, v)
		return d, fmt.Sprintf("%s %s %#x -> %#x", s.Name, fd.name, old, v)
	case k < 9: // a byte of such a section
		if s.Size == 0 {
			return d, "nothing"
		}
		at := s.Offset + rng.Uint64N(s.Size)
		old := d[at]
		d[at] = byte(rng.UintN(256))
		return d, fmt.Sprintf("%s byte %#x %#x -> %#x", s.Name, at-s.Offset, old, d[at])
	default: // a field of the ELF header
		fd := ehdrFields[rng.IntN(len(ehdrFields))]
		old := getField(d[fd.off:], fd.size)
		v := newValue(rng, old, uint64(m.shnum))
		putField(d[fd.off:], fd.size, v)
		return d, fmt.Sprintf("%s %#x -> %#x", fd.name, old, v)
	}
}

// newValue returns a value to put in place of old: near it, a section
// index, or anything.
func newValue(rng *rand.Rand, old, shnum uint64) uint64 {
	switch rng.IntN(6) {
	case 0:
		return 0
	case 1:
		return rng.Uint64N(shnum + 2)
	case 2:
		deltas := []int64{-1, 1, -4, 4, -6, 6, -24, 24, 0x1000}
		return old + uint64(deltas[rng.IntN(len(deltas))])
	case 3:
		return rng.Uint64N(0x10000)
	case 4:
		types := []uint64{0, 1, 2, 3, 4, 8, 9, 11, 0x800} // also SHF_COMPRESSED as a flag
		return types[rng.IntN(len(types))]
	}
	return rng.Uint64()
}

// getField reads a little-endian field of size bytes.
func getField(b []byte, size int) uint64 {
	switch size {
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

// putField writes v as a little-endian field of size bytes.
func putField(b []byte, size int, v uint64) {
	switch size {
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	default:
		binary.LittleEndian.PutUint64(b, v)
	}
}
