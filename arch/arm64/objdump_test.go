package arm64

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The GNU tools the tests compare with.
const (
	gnuAs      = "aarch64-linux-gnu-as"
	gnuObjdump = "aarch64-linux-gnu-objdump"
)

// needTool skips the test when a tool is not installed, and returns its path.
func needTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		skips.Skipf(t, "%s not installed: %v", name, err)
	}
	return path
}

// An objdumpLine is one instruction line of objdump -d.
type objdumpLine struct {
	off  uint64
	word uint32
	op   string // mnemonic; "" when objdump calls the word undefined (udf, .inst)
	args string
}

// parseObjdump parses the instruction lines of objdump -d output, by
// section: the key is the section name.
func parseObjdump(out []byte) map[string][]objdumpLine {
	secs := map[string][]objdumpLine{}
	sec := ""
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "Disassembly of section "); ok {
			sec = strings.TrimSuffix(name, ":")
			continue
		}
		f := strings.SplitN(line, "\t", 4)
		if len(f) < 3 || !strings.HasSuffix(f[0], ":") {
			continue
		}
		off, err1 := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(f[0], ":")), 16, 64)
		word, err2 := strconv.ParseUint(strings.TrimSpace(f[1]), 16, 32)
		if err1 != nil || err2 != nil || len(strings.TrimSpace(f[1])) != 8 {
			continue
		}
		l := objdumpLine{off: off, word: uint32(word), op: strings.TrimSpace(f[2])}
		if len(f) == 4 {
			l.args = strings.TrimSpace(f[3])
		}
		if l.op == "udf" || l.op == ".inst" || l.op == ".word" {
			l.op = ""
		}
		secs[sec] = append(secs[sec], l)
	}
	return secs
}

// objdumpWords disassembles words with GNU objdump and returns, for each,
// its mnemonic ("" if objdump calls it undefined).
func objdumpWords(t testing.TB, ws []uint32) map[uint32]string {
	t.Helper()
	m := map[uint32]string{}
	for w, l := range objdumpLines(t, ws) {
		m[w] = l.op
	}
	return m
}

// objdumpLines disassembles words with GNU objdump and returns the line of
// each.
func objdumpLines(t testing.TB, ws []uint32) map[uint32]objdumpLine {
	t.Helper()
	as, objdump := needTool(t, gnuAs), needTool(t, gnuObjdump)
	dir := t.TempDir()
	var src bytes.Buffer
	for _, w := range ws {
		fmt.Fprintf(&src, ".inst 0x%08x\n", w)
	}
	s, o := filepath.Join(dir, "w.s"), filepath.Join(dir, "w.o")
	if err := os.WriteFile(s, src.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(as, "-o", o, s).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", gnuAs, err, out)
	}
	out, err := exec.Command(objdump, "-d", o).Output()
	if err != nil {
		t.Fatalf("%s: %v", gnuObjdump, err)
	}
	m := map[uint32]objdumpLine{}
	for _, lines := range parseObjdump(out) {
		for _, l := range lines {
			m[l.word] = l
		}
	}
	return m
}

// splitOperands splits objdump operands at the commas outside brackets.
func splitOperands(args string) []string {
	var ops []string
	depth, start := 0, 0
	for i, c := range args {
		switch c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case ',':
			if depth == 0 {
				ops = append(ops, strings.TrimSpace(args[start:i]))
				start = i + 1
			}
		}
	}
	return append(ops, strings.TrimSpace(args[start:]))
}
