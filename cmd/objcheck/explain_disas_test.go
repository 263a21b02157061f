package main

import (
	"bufio"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
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

// disasSample is about how many objects of each corpus the test takes.
const disasSample = 24

// TestDisasObjdump compares the instruction boundaries of --disas with
// those of the GNU objdump of each machine (objdump -dwz), for every
// function of a sample of each shared corpus (x86-orc, x86-fp, arm64,
// ppc64le): every disasSample-th part of the sorted object list, some 24
// objects a corpus, so that it stays fast in CI. Every instruction
// --disas lists must start where one of objdump's does, and objdump's
// lines that --disas does not list must be data (arm64 and ppc64 words
// that mapping symbols or switch tables mark as data, which objdump prints
// as .word or .long). For every third object the same run traces and
// graphs every function, which must not fail. Sections whose name two sections of the object
// share are left out (objdump's output does not tell them apart), and so
// are functions with bytes objdump cannot decode (see undecodable).
func TestDisasObjdump(t *testing.T) {
	for _, s := range disasSets {
		t.Run(s.set, func(t *testing.T) {
			tool, err := exec.LookPath(s.objdump)
			if err != nil {
				skips.Skipf(t, "%s not installed", s.objdump)
			}
			objs := sampleObjects(t, corpusSet(t, s.set))
			var c disasCount
			for i, obj := range objs {
				compareDisas(t, tool, obj, i%3 == 0, &c)
			}
			t.Logf("%s: %d objects, %d functions, %d instructions: --disas = %s (%d functions left out)",
				s.set, len(objs), c.funcs, c.insns, s.objdump, c.left)
		})
	}
}

// sampleObjects returns about disasSample objects of dir, evenly spread.
func sampleObjects(t *testing.T, dir string) []string {
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
	step := max(1, len(all)/disasSample)
	var out []string
	for i := 0; i < len(all); i += step {
		out = append(out, all[i])
	}
	return out
}

// A disasFunc is one function of --disas: its section, range and the
// offsets of its instructions.
type disasFunc struct {
	name, sec  string
	start, end uint64
	offs       []uint64
}

// A disasCount counts what the comparison compared and left out.
type disasCount struct{ funcs, insns, left int }

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
		t.Fatalf("%s: %s", obj, errOut[strings.Index(errOut, "internal error"):])
	}
	funcs := parseDisas(out)
	if len(funcs) == 0 && strings.Contains(errOut, "no function matches") {
		return
	}
	dump, err := exec.Command(tool, "-dwz", obj).Output()
	if err != nil {
		t.Fatalf("%s -dwz %s: %v", tool, obj, err)
	}
	lines, dup := parseObjdumpLines(string(dump))
	for _, fn := range funcs {
		if dup[fn.sec] || undecodable(fn, lines[fn.sec]) {
			c.left++
			continue
		}
		if msg := compareFunc(fn, lines[fn.sec]); msg != "" {
			t.Errorf("%s: %s: %s", obj, fn.name, msg)
			continue
		}
		c.funcs++
		c.insns += len(fn.offs)
	}
}

// compareFunc compares one function's offsets with objdump's lines of its
// section, and says how they differ.
func compareFunc(fn *disasFunc, dump map[uint64]string) string {
	mine := map[uint64]bool{}
	for _, off := range fn.offs {
		mine[off] = true
		if _, ok := dump[off]; !ok {
			return fmt.Sprintf("--disas has an instruction at %#x, objdump none", off)
		}
	}
	for off, text := range dump {
		if off < fn.start || off >= fn.end || mine[off] || isDataLine(text) {
			continue
		}
		return fmt.Sprintf("objdump has an instruction at %#x (%s), --disas none", off, text)
	}
	return ""
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

// dataDirectives are what objdump prints for data in code.
var dataDirectives = []string{".word", ".long", ".short", ".byte", ".inst"}

// isDataLine reports an objdump line that shows data, not an instruction.
func isDataLine(text string) bool {
	for _, d := range dataDirectives {
		if strings.HasPrefix(text, d) {
			return true
		}
	}
	return false
}

var (
	disasHeadRe = regexp.MustCompile(`^(\S+): (\S+)\+0x([0-9a-f]+), (\d+) bytes$`)
	disasLineRe = regexp.MustCompile(`^\s*([0-9a-f]+):  `)
	dumpSecRe   = regexp.MustCompile(`^Disassembly of section (\S+):$`)
	dumpLineRe  = regexp.MustCompile(`^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} ?)+\s*\t?(.*)$`)
)

// parseDisas reads the functions of --disas output.
func parseDisas(out string) []*disasFunc {
	var funcs []*disasFunc
	var cur *disasFunc
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if m := disasHeadRe.FindStringSubmatch(line); m != nil {
			start, _ := strconv.ParseUint(m[3], 16, 64)
			size, _ := strconv.ParseUint(m[4], 10, 64)
			cur = &disasFunc{name: m[1], sec: m[2], start: start, end: start + size}
			funcs = append(funcs, cur)
			continue
		}
		if m := disasLineRe.FindStringSubmatch(line); m != nil && cur != nil {
			off, _ := strconv.ParseUint(m[1], 16, 64)
			if off >= cur.start && off < cur.end { // not the .cold part
				cur.offs = append(cur.offs, off)
			}
		}
	}
	return funcs
}

// parseObjdumpLines reads objdump -dw output: each section's lines by
// offset, with the text after the bytes, and the section names that occur
// more than once.
func parseObjdumpLines(out string) (map[string]map[uint64]string, map[string]bool) {
	lines := map[string]map[uint64]string{}
	dup := map[string]bool{}
	var cur map[uint64]string
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := dumpSecRe.FindStringSubmatch(line); m != nil {
			if lines[m[1]] != nil {
				dup[m[1]] = true
			}
			cur = map[uint64]string{}
			lines[m[1]] = cur
			continue
		}
		if m := dumpLineRe.FindStringSubmatch(line); m != nil && cur != nil {
			off, _ := strconv.ParseUint(m[1], 16, 64)
			cur[off] = strings.TrimSpace(m[2])
		}
	}
	return lines, dup
}
