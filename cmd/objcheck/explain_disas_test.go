package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/objcheck/objcheck/difftest"
)

// disasSets are the corpora --disas is compared on, with the objdump of
// their machine.
var disasSets = []struct{ set, objdump string }{
	{"x86-orc", "objdump"},
	{"x86-fp", "objdump"},
	{"arm64", "aarch64-linux-gnu-objdump"},
	{"ppc64le", "powerpc64le-linux-gnu-objdump"},
}

// TestDisasObjdump compares the instruction boundaries of --disas with
// those of the GNU objdump of each machine (objdump -dwz), for every
// function of every object of each shared corpus (x86-orc, x86-fp, arm64,
// ppc64le). Every instruction --disas lists must start where one of
// objdump's lines does, and every line objdump prints inside the function
// must start where a line of --disas does: an instruction, or data (a
// switch table's words, which objdump may decode as instructions, and
// words a mapping symbol marks as data). Where both name a direct
// branch's destination, it must be the same section offset, printed the
// same (see compareDest). Two differences are objdump's
// and allowed, each counted: it folds x86's fwait into the x87
// instruction after it (finit for fwait; fninit), where the kernel's
// decoder, which objcheck follows, sees two; and it restarts decoding at
// every symbol, so around a symbol inside an instruction the two differ
// until they start a line at the same offset again (see symbolRegions).
// Functions are left out in sections whose
// name two sections of the object share (objdump's output does not tell
// them apart). Where objdump cannot decode bytes ("(bad)") the two may
// differ until they start a line at the same offset again (see
// badRegions). Every third object is traced and graphed too, in the same
// run, which must not fail. Under -race one object in raceSample is
// compared.
func TestDisasObjdump(t *testing.T) {
	for _, s := range disasSets {
		t.Run(s.set, func(t *testing.T) {
			tool, err := exec.LookPath(s.objdump)
			if err != nil {
				skips.Skipf(t, "%s not installed", s.objdump)
			}
			objs := corpusObjects(t, corpusSet(t, s.set))
			if raceDetector {
				objs = sample(objs, raceSample)
				t.Logf("-race: every %dth object", raceSample)
			}
			counts := make([]disasCount, len(objs))
			work := make(chan int)
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range work {
						compareDisas(t, tool, objs[i], i%3 == 0, &counts[i])
					}
				}()
			}
			for i := range objs {
				work <- i
			}
			close(work)
			wg.Wait()
			var c disasCount
			for _, n := range counts {
				c.add(n)
			}
			t.Logf("%s: %d objects, %d functions, %d instructions (%d with a direct destination), %d data words: --disas = %s "+
				"(allowed: %d fwait folded by objdump, resynchronised after %d (bad) lines of objdump and %d symbols inside an instruction; left out: %d in a section sharing its name)",
				s.set, len(objs), c.funcs, c.insns, c.dests, c.data, s.objdump, c.fwait, c.bad, c.overlap, c.dup)
			if c.funcs == 0 {
				t.Error("no function compared")
			}
		})
	}
}

// raceSample is the share of a corpus compared under -race: one object
// in raceSample.
const raceSample = 10

// sample returns every nth of paths.
func sample(paths []string, n int) []string {
	var some []string
	for i := 0; i < len(paths); i += n {
		some = append(some, paths[i])
	}
	return some
}

// corpusObjects returns the paths of the objects of the corpus in dir, as
// its MANIFEST lists them.
func corpusObjects(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := difftest.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, e := range entries {
		all = append(all, filepath.Join(dir, e.Path))
	}
	return all
}

// A disasFunc is one function of --disas: its section, range and lines
// by offset.
type disasFunc struct {
	name, sec  string
	start, end uint64
	lines      map[uint64]disasLine
	offs       []uint64 // of the instructions, in order
}

// A disasLine is one line of --disas: its text and whether it is data.
type disasLine struct {
	text string
	data bool
}

// A disasCount counts what the comparison compared, allowed and left out.
type disasCount struct{ funcs, insns, data, dests, fwait, overlap, dup, bad int }

func (c *disasCount) add(n disasCount) {
	c.funcs += n.funcs
	c.insns += n.insns
	c.data += n.data
	c.dests += n.dests
	c.fwait += n.fwait
	c.overlap += n.overlap
	c.dup += n.dup
	c.bad += n.bad
}

// compareDisas compares one object, counting in c; with explain, the
// same run traces and graphs every function too.
func compareDisas(t *testing.T, tool, obj string, explain bool, c *disasCount) {
	t.Helper()
	args := []string{"--stackval", "--dry-run", "--disas=*", obj}
	if explain {
		args = append([]string{"--trace=*", "--graph=*"}, args...)
	}
	out, errOut, _ := runArgs(args)
	if strings.Contains(errOut, "internal error") {
		t.Errorf("%s: %s", obj, errOut[strings.Index(errOut, "internal error"):])
		return
	}
	funcs := parseDisas(out)
	if len(funcs) == 0 && strings.Contains(errOut, "no function matches") {
		return
	}
	dump, err := exec.Command(tool, "-dwz", obj).Output()
	if err != nil {
		t.Errorf("%s -dwz %s: %v", tool, obj, err)
		return
	}
	d := parseObjdump(string(dump))
	for _, fn := range funcs {
		sec := d.secs[fn.sec]
		switch {
		case d.dup[fn.sec]:
			c.dup++
		default:
			if msg := compareFunc(fn, sec, c); msg != "" {
				t.Errorf("%s: %s: %s", obj, fn.name, msg)
				continue
			}
			c.funcs++
		}
	}
}

// compareFunc compares one function's lines with objdump's lines of its
// section, counting in c, and says how they differ.
func compareFunc(fn *disasFunc, sec *objdumpSection, c *disasCount) string {
	var n disasCount
	dump := sec.lines
	bad := badRegions(fn, dump)
	overlap := symbolRegions(fn, sec)
	for off, l := range fn.lines {
		if l.data {
			n.data++
			continue
		}
		n.insns++
		if theirs, ok := dump[off]; ok {
			if msg := compareDest(l.text, theirs, &n); msg != "" {
				return fmt.Sprintf("at %#x: %s", off, msg)
			}
			continue
		}
		switch {
		case fwaitFolded(fn, dump, off):
			n.fwait++
		case bad.within(off), overlap.within(off):
		default:
			return fmt.Sprintf("--disas has an instruction at %#x, objdump none", off)
		}
	}
	for off, text := range dump {
		if off < fn.start || off >= fn.end {
			continue
		}
		if _, ok := fn.lines[off]; !ok && !bad.within(off) && !overlap.within(off) {
			return fmt.Sprintf("objdump has a line at %#x (%s), --disas none", off, text)
		}
	}
	c.insns += n.insns
	c.data += n.data
	c.fwait += n.fwait
	c.dests += n.dests
	c.bad += len(bad)
	c.overlap += len(overlap)
	return ""
}

var (
	// destRe finds the destination --disas prints last in a direct
	// branch, before the place it names. Where it prints a relocation
	// instead, the number is the encoded field, which objdump shows on
	// x86 and replaces by the relocation's symbol on arm64.
	destRe = regexp.MustCompile(`[ ,]([0-9a-f]+) <[^>]*>$`)
	// dumpDestRe finds the destination objdump prints last.
	dumpDestRe = regexp.MustCompile(`[ ,\t]([0-9a-f]+) <[^>]*>$`)
)

// compareDest compares the direct destination of one line of --disas
// with objdump's at the same offset, counting in n, and says how they
// differ: the same section offset, in the same bare hex.
func compareDest(mine, theirs string, n *disasCount) string {
	m, d := destRe.FindStringSubmatch(mine), dumpDestRe.FindStringSubmatch(theirs)
	if m == nil || d == nil {
		return ""
	}
	n.dests++
	if m[1] != d[1] {
		return fmt.Sprintf("--disas says %q, objdump %q", mine, theirs)
	}
	return ""
}

// A region is a range of offsets [start, end).
type region struct{ start, end uint64 }

// regions are ranges where the disassemblies may differ.
type regions []region

func (rs regions) within(off uint64) bool {
	for _, r := range rs {
		if off >= r.start && off < r.end {
			return true
		}
	}
	return false
}

// badRegions returns, for each line of fn where objdump cannot decode the
// bytes ("(bad)"), the range from it to the next offset where both
// disassemblies start a line again. The kernel's x86 decoder, which
// objcheck follows, knows instructions binutils 2.40 does not (LKGS, f2 0f
// 00 /6, in load_gs_index's alternative), and the two resynchronise after.
func badRegions(fn *disasFunc, dump map[uint64]string) regions {
	var rs regions
	for off, text := range dump {
		if off < fn.start || off >= fn.end || !strings.Contains(text, "(bad)") {
			continue
		}
		rs = append(rs, region{off, resync(fn, dump, off)})
	}
	return rs
}

// fwaitFolded reports the instruction at off of fn following an fwait
// that objdump prints with it as one x87 instruction (9b db e3: finit).
func fwaitFolded(fn *disasFunc, dump map[uint64]string, off uint64) bool {
	prev, ok := fn.lines[off-1]
	merged, folded := dump[off-1]
	return ok && strings.HasPrefix(prev.text, "fwait") && folded && strings.HasPrefix(merged, "f")
}

// symbolRegions returns, for each symbol of the section that starts
// inside one of fn's instructions, the range from that instruction to the
// next offset where both disassemblies start a line again: objdump
// restarts decoding at every symbol (retpoline's srso_untrain_ret hides
// srso_safe_ret in a mov's immediate).
func symbolRegions(fn *disasFunc, sec *objdumpSection) regions {
	var rs regions
	for _, sym := range sec.syms {
		if _, ok := fn.lines[sym]; sym <= fn.start || sym >= fn.end || ok {
			continue
		}
		start := fn.start
		for _, off := range fn.offs {
			if off < sym {
				start = max(start, off)
			}
		}
		rs = append(rs, region{start, resync(fn, sec.lines, sym)})
	}
	return rs
}

// resync returns the first offset after off where both disassemblies
// start a line, or the end of fn.
func resync(fn *disasFunc, dump map[uint64]string, off uint64) uint64 {
	for o := off + 1; o < fn.end; o++ {
		_, mine := fn.lines[o]
		if _, theirs := dump[o]; mine && theirs {
			return o
		}
	}
	return fn.end
}

// dataDirectives are what --disas prints for data in code; x86 code has
// no data words, and its .byte lines are instructions x86asm cannot print.
var dataDirectives = []string{".word", ".long"}

// isDataLine reports a --disas line that shows data, not an instruction.
func isDataLine(text string) bool {
	for _, d := range dataDirectives {
		if strings.HasPrefix(text, d+" ") {
			return true
		}
	}
	return false
}

var (
	disasHeadRe = regexp.MustCompile(`^(\S+): (\S+)\+0x([0-9a-f]+), (\d+) bytes$`)
	disasLineRe = regexp.MustCompile(`^\s*([0-9a-f]+):  \S+\+0x[0-9a-f]+ (?:[0-9a-f]{2} ?)*\s+(.*)$`)
	dumpSymRe   = regexp.MustCompile(`^([0-9a-f]+) <.*>:$`)
	dumpSecRe   = regexp.MustCompile(`^Disassembly of section (\S+):$`)
	dumpLineRe  = regexp.MustCompile(`^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} ?)+\s*\t?(.*)$`)
)

// parseDisas reads the functions of --disas output, a function's .cold
// part as one of its own.
func parseDisas(out string) []*disasFunc {
	var funcs []*disasFunc
	var cur *disasFunc
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := disasHeadRe.FindStringSubmatch(line); m != nil {
			start, _ := strconv.ParseUint(m[3], 16, 64)
			size, _ := strconv.ParseUint(m[4], 10, 64)
			cur = &disasFunc{name: m[1], sec: m[2], start: start, end: start + size, lines: map[uint64]disasLine{}}
			funcs = append(funcs, cur)
			continue
		}
		m := disasLineRe.FindStringSubmatch(line)
		if m == nil || cur == nil {
			continue
		}
		off, _ := strconv.ParseUint(m[1], 16, 64)
		text := strings.TrimSpace(m[2])
		cur.lines[off] = disasLine{text: text, data: isDataLine(text)}
		if !isDataLine(text) {
			cur.offs = append(cur.offs, off)
		}
	}
	return funcs
}

// An objdumpSection is what objdump -dw prints of one section: its lines
// by offset, with the text after the bytes, and where its symbols start.
type objdumpSection struct {
	lines map[uint64]string
	syms  []uint64
}

// An objdump is objdump -dw's output: its sections by name, and the names
// that occur more than once.
type objdump struct {
	secs map[string]*objdumpSection
	dup  map[string]bool
}

// parseObjdump reads objdump -dw output.
func parseObjdump(out string) objdump {
	d := objdump{secs: map[string]*objdumpSection{}, dup: map[string]bool{}}
	var cur *objdumpSection
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := dumpSecRe.FindStringSubmatch(line); m != nil {
			if d.secs[m[1]] != nil {
				d.dup[m[1]] = true
			}
			cur = &objdumpSection{lines: map[uint64]string{}}
			d.secs[m[1]] = cur
			continue
		}
		if cur == nil {
			continue
		}
		if m := dumpSymRe.FindStringSubmatch(line); m != nil {
			off, _ := strconv.ParseUint(m[1], 16, 64)
			cur.syms = append(cur.syms, off)
		} else if m := dumpLineRe.FindStringSubmatch(line); m != nil {
			off, _ := strconv.ParseUint(m[1], 16, 64)
			cur.lines[off] = strings.TrimSpace(m[2])
		}
	}
	return d
}
