package main

import (
	"bufio"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
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
// words a mapping symbol marks as data). Two differences are objdump's
// and allowed, each counted: it folds x86's fwait into the x87
// instruction after it (finit for fwait; fninit), where the kernel's
// decoder, which objcheck follows, sees two; and it restarts decoding at
// every symbol, so a function with a symbol inside one of its
// instructions (retpoline's srso_untrain_ret, which hides srso_safe_ret
// in a mov's immediate) is left out. So are functions in sections whose
// name two sections of the object share (objdump's output does not tell
// them apart), and functions with bytes objdump cannot decode (see
// undecodable). Every third object is traced and graphed too, in the same
// run, which must not fail.
func TestDisasObjdump(t *testing.T) {
	for _, s := range disasSets {
		t.Run(s.set, func(t *testing.T) {
			tool, err := exec.LookPath(s.objdump)
			if err != nil {
				skips.Skipf(t, "%s not installed", s.objdump)
			}
			objs := corpusObjects(t, corpusSet(t, s.set))
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
			t.Logf("%s: %d objects, %d functions, %d instructions, %d data words: --disas = %s "+
				"(%d fwait folded by objdump; left out: %d with a symbol inside an instruction, %d in a section sharing its name, %d objdump cannot decode)",
				s.set, len(objs), c.funcs, c.insns, c.data, s.objdump, c.fwait, c.overlap, c.dup, c.bad)
			if c.funcs == 0 {
				t.Error("no function compared")
			}
		})
	}
}

// corpusObjects returns the objects under dir, sorted.
func corpusObjects(t *testing.T, dir string) []string {
	t.Helper()
	var all []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".o") {
			all = append(all, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(all)
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
type disasCount struct{ funcs, insns, data, fwait, overlap, dup, bad int }

func (c *disasCount) add(n disasCount) {
	c.funcs += n.funcs
	c.insns += n.insns
	c.data += n.data
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
		case undecodable(fn, sec.lines):
			c.bad++
		case symbolInside(fn, sec.syms):
			c.overlap++
		default:
			if msg := compareFunc(fn, sec.lines, c); msg != "" {
				t.Errorf("%s: %s: %s", obj, fn.name, msg)
				continue
			}
			c.funcs++
		}
	}
}

// compareFunc compares one function's lines with objdump's lines of its
// section, counting in c, and says how they differ.
func compareFunc(fn *disasFunc, dump map[uint64]string, c *disasCount) string {
	var n disasCount
	for off, l := range fn.lines {
		if l.data {
			n.data++
			continue
		}
		n.insns++
		if _, ok := dump[off]; ok {
			continue
		}
		if !fwaitFolded(fn, dump, off) {
			return fmt.Sprintf("--disas has an instruction at %#x, objdump none", off)
		}
		n.fwait++
	}
	for off, text := range dump {
		if off < fn.start || off >= fn.end {
			continue
		}
		if _, ok := fn.lines[off]; !ok {
			return fmt.Sprintf("objdump has a line at %#x (%s), --disas none", off, text)
		}
	}
	c.insns += n.insns
	c.data += n.data
	c.fwait += n.fwait
	return ""
}

// fwaitFolded reports the instruction at off of fn following an fwait
// that objdump prints with it as one x87 instruction (9b db e3: finit).
func fwaitFolded(fn *disasFunc, dump map[uint64]string, off uint64) bool {
	prev, ok := fn.lines[off-1]
	merged, folded := dump[off-1]
	return ok && strings.HasPrefix(prev.text, "fwait") && folded && strings.HasPrefix(merged, "f")
}

// symbolInside reports a symbol of the section that starts inside one of
// fn's instructions: objdump restarts decoding there.
func symbolInside(fn *disasFunc, syms []uint64) bool {
	for _, s := range syms {
		if _, ok := fn.lines[s]; s > fn.start && s < fn.end && !ok {
			return true
		}
	}
	return false
}

// undecodable reports a function where objdump finds bytes it cannot
// decode ("(bad)"): the kernel's x86 decoder, which objcheck's follows,
// decodes some of those, and the two then disagree on what follows.
func undecodable(fn *disasFunc, dump map[uint64]string) bool {
	for off, text := range dump {
		if off >= fn.start && off < fn.end && strings.Contains(text, "(bad)") {
			return true
		}
	}
	return false
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
