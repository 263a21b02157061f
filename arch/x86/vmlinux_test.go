package x86

import (
	"bufio"
	"debug/elf"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
)

// vmlinuxObject unpacks the shared corpus's linked kernel and returns the
// path of its vmlinux.o; it skips the test when the archive is absent.
func vmlinuxObject(t *testing.T) string {
	t.Helper()
	for _, obj := range corpusObjects(t, "x86-vmlinux") {
		if strings.HasSuffix(obj, "/vmlinux.o") {
			return obj
		}
	}
	t.Fatal("no vmlinux.o in x86-vmlinux.tar.xz")
	return ""
}

// A dumpLine is one instruction line of objdump -d -w output.
type dumpLine struct {
	off  int
	n    int    // bytes
	text string // mnemonic and operands
}

// parseDumpLine parses "  1a2b:\t48 89 e5             \tmov %rsp,%rbp".
func parseDumpLine(line string) (dumpLine, bool) {
	colon := strings.IndexByte(line, ':')
	if colon < 0 || colon+1 >= len(line) || line[colon+1] != '\t' {
		return dumpLine{}, false
	}
	off, err := strconv.ParseUint(strings.TrimLeft(line[:colon], " "), 16, 64)
	if err != nil {
		return dumpLine{}, false
	}
	rest := line[colon+2:]
	code, text, _ := strings.Cut(rest, "\t")
	n := 0
	for _, f := range strings.Fields(code) {
		if len(f) != 2 {
			return dumpLine{}, false
		}
		n++
	}
	return dumpLine{off: int(off), n: n, text: strings.TrimSpace(text)}, n > 0
}

// The reasons objdump (binutils 2.40) may show another length than the
// kernel's decoder, which objtool uses, and so Decode.
const (
	mismatchBad    = "objdump cannot decode it" // (bad), .byte: lkgs (f2 0f 00 /6) among them
	mismatchSymbol = "it runs into the next symbol, where objdump starts afresh"
	mismatchUD0    = "ud0: the kernel's map gives it no ModRM"
	mismatchFwait  = "fwait: objdump joins it to the x87 instruction after it"
)

// objdumpMismatch returns why objdump may show the instruction ours (the
// bytes Decode took) at d with another length, or "".
func objdumpMismatch(d dumpLine, ours []byte, symInside bool) string {
	switch {
	case symInside:
		return mismatchSymbol
	case strings.Contains(d.text, "(bad)") || strings.HasPrefix(d.text, ".byte"):
		return mismatchBad
	case len(ours) >= 2 && ours[0] == 0x0f && ours[1] == 0xff:
		return mismatchUD0
	case len(ours) == 1 && ours[0] == 0x9b && d.n > 1 && d.text[0] == 'f':
		return mismatchFwait
	}
	return ""
}

// A mismatch is an allowed difference met, for the log.
type mismatch struct {
	sec    string
	off    int
	code   []byte
	dump   dumpLine
	reason string
}

// TestObjdumpVmlinux decodes every executable section of the shared
// corpus's vmlinux.o linearly, as objtool does, and compares each
// instruction with objdump's disassembly, streamed: Decode must decode
// every instruction, and give the length objdump gives, except where
// objdump is known to differ from the kernel's decoder (objdumpMismatch,
// each case logged). With $OBJCHECK_X86_ORACLE set, every instruction is
// also compared with objtool's own decoder.
func TestObjdumpVmlinux(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the vmlinux.o objdump comparison in short mode")
	}
	objdump, err := exec.LookPath("objdump")
	if err != nil {
		skips.Skip(t, "objdump not found")
	}
	obj := vmlinuxObject(t)
	secs, err := execSections(obj)
	if err != nil {
		t.Fatal(err)
	}
	starts := symbolStarts(t, obj)
	byName := map[string]*textSection{}
	for i := range secs {
		byName[secs[i].name] = &secs[i]
	}

	cmd := exec.Command(objdump, "-d", "-w", "-z", obj)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()

	var (
		dumped, ours, agree int
		mismatches          []mismatch
		bad                 int
		sec                 *textSection
		cur, curLen         int // our instruction at cur, curLen bytes
		in                  arch.Insn
	)
	// advance decodes our instructions up to offset o of sec.
	advance := func(o int) bool {
		for cur+curLen <= o && cur+curLen < len(sec.data) {
			cur += curLen
			if err := Decode(sec.data[cur:], uint64(cur), &in); err != nil {
				t.Errorf("%s+%#x: %v", sec.name, cur, err)
				return false
			}
			curLen = int(in.Len)
			ours++
		}
		return true
	}
	finish := func() {
		if sec != nil && advance(len(sec.data)) && cur+curLen != len(sec.data) {
			t.Errorf("%s: the last instruction ends at %#x, the section at %#x", sec.name, cur+curLen, len(sec.data))
		}
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "Disassembly of section "); ok {
			finish()
			sec = byName[strings.TrimSuffix(name, ":")]
			if sec == nil {
				t.Fatalf("objdump disassembles %s, which is not an executable section with bytes", name)
			}
			cur, curLen = 0, 0
			delete(byName, sec.name)
			continue
		}
		if sec == nil {
			continue
		}
		d, ok := parseDumpLine(line)
		if !ok {
			continue
		}
		dumped++
		if !advance(d.off) {
			t.FailNow()
		}
		if cur != d.off {
			continue // inside our instruction, after an allowed mismatch
		}
		if curLen == d.n {
			agree++
			continue
		}
		code := sec.data[cur : cur+curLen]
		reason := objdumpMismatch(d, code, inside(starts[sec.name], cur, cur+curLen))
		if reason == "" {
			bad++
			if bad <= 20 {
				t.Errorf("%s+%#x: length %d (% x), objdump %d (%s)", sec.name, cur, curLen, code, d.n, d.text)
			}
			continue
		}
		mismatches = append(mismatches, mismatch{sec.name, cur, code, d, reason})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	finish()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("objdump: %v", err)
	}
	for name := range byName {
		t.Errorf("objdump does not disassemble %s", name)
	}

	reasons := map[string]int{}
	for _, m := range mismatches {
		reasons[m.reason]++
	}
	keys := make([]string, 0, len(reasons))
	for r := range reasons {
		keys = append(keys, r)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, r := range keys {
		fmt.Fprintf(&b, "\n  %d: %s", reasons[r], r)
		n := 0
		for _, m := range mismatches {
			if m.reason == r && n < 3 {
				fmt.Fprintf(&b, "\n      %s+%#x: % x (objdump %d bytes: %s)", m.sec, m.off, m.code, m.dump.n, m.dump.text)
				n++
			}
		}
	}
	t.Logf("vmlinux.o: %d sections, objdump %d instructions, Decode %d; %d agree, %d allowed differences:%s; %d disagree",
		len(secs), dumped, ours, agree, len(mismatches), b.String(), bad)

	if os.Getenv("OBJCHECK_X86_ORACLE") != "" {
		gen := func(yield func([]byte) bool) {
			var in arch.Insn
			for _, s := range secs {
				for off := 0; off < len(s.data); off += int(in.Len) {
					if Decode(s.data[off:], uint64(off), &in) != nil || !yield(s.data[off:min(len(s.data), off+maxInsnLen)]) {
						return
					}
				}
			}
		}
		compareOracle(t, inputSet{name: "x86-vmlinux", gen: iter.Seq[[]byte](gen)},
			func(i int) string { return fmt.Sprintf("instruction %d: ", i) }, nil)
	}
}

// symbolStarts returns, for each section of the object, the sorted
// offsets where its symbols start.
func symbolStarts(t *testing.T, path string) map[string][]int {
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	starts := map[string][]int{}
	for _, s := range syms {
		if int(s.Section) > 0 && int(s.Section) < len(f.Sections) {
			name := f.Sections[s.Section].Name
			starts[name] = append(starts[name], int(s.Value))
		}
	}
	for _, offs := range starts {
		sort.Ints(offs)
	}
	return starts
}

// inside reports whether one of the sorted offs lies strictly between
// from and to.
func inside(offs []int, from, to int) bool {
	i := sort.SearchInts(offs, from+1)
	return i < len(offs) && offs[i] < to
}
