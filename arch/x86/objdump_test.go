package x86

import (
	"bufio"
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/x86/x86asm"
)

// An objdumpInsn is one line of objdump -d output.
type objdumpInsn struct {
	off  int
	code []byte
	text string // mnemonic and operands
}

var objdumpLine = regexp.MustCompile(`^ *([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$`)

// objdumpSections disassembles an object with objdump and returns its
// instructions by section.
func objdumpSections(t *testing.T, objdump, path string) map[string][]objdumpInsn {
	t.Helper()
	// -z shows runs of zero bytes, which objdump otherwise elides.
	out, err := exec.Command(objdump, "-d", "-w", "-z", path).Output()
	if err != nil {
		t.Fatalf("objdump %s: %v", path, err)
	}
	secs := map[string][]objdumpInsn{}
	var sec string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "Disassembly of section "); ok {
			sec = strings.TrimSuffix(name, ":")
			continue
		}
		m := objdumpLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		off, _ := strconv.ParseUint(m[1], 16, 64)
		var code []byte
		for _, b := range strings.Fields(m[2]) {
			v, _ := strconv.ParseUint(b, 16, 8)
			code = append(code, byte(v))
		}
		secs[sec] = append(secs[sec], objdumpInsn{int(off), code, strings.TrimSpace(m[3])})
	}
	return secs
}

// allowedObjdumpMismatch reports whether objdump may disagree with Decode
// (and so with objtool) about the length of the instruction ours, which
// objdump shows as d.
func allowedObjdumpMismatch(d objdumpInsn, ours []byte) bool {
	switch {
	case strings.Contains(d.text, "(bad)") || strings.HasPrefix(d.text, ".byte"):
		// objdump 2.40 cannot decode it (lkgs, f2 0f 00 /6, among them);
		// the kernel's decoder can.
		return true
	case strings.HasPrefix(d.text, "rex") && !strings.Contains(d.text, " "):
		// objdump starts afresh at each symbol, so an instruction that
		// runs into the next symbol (srso_untrain_ret's movabs, which
		// embeds srso_safe_ret) shows as a lone prefix.
		return true
	case len(ours) >= 2 && ours[0] == 0x0f && ours[1] == 0xff:
		// ud0: the kernel's opcode map gives it no ModRM.
		return true
	}
	return false
}

// objdumpTarget returns the branch target objdump prints for a direct
// jump or call ("call 1a <foo+0x5>"), if there is one.
func objdumpTarget(text string) (int64, bool) {
	f := strings.Fields(text)
	if len(f) < 2 || !(strings.HasPrefix(f[0], "j") || strings.HasPrefix(f[0], "call") || strings.HasPrefix(f[0], "loop")) {
		return 0, false
	}
	v, err := strconv.ParseInt(f[1], 16, 64)
	return v, err == nil
}

// TestObjdump compares lengths and direct-branch targets with objdump on a
// sample of corpus objects.
func TestObjdump(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping objdump comparison in short mode")
	}
	objdump, err := exec.LookPath("objdump")
	if err != nil {
		skips.Skip(t, "objdump not found")
	}
	for _, name := range corpusArchives {
		t.Run(name, func(t *testing.T) {
			objs := corpusObjects(t, name)
			var insns, targets, allowed int
			for i, obj := range objs {
				if i%8 != 0 {
					continue
				}
				a, b, c := compareObjdump(t, objdump, obj)
				insns, targets, allowed = insns+a, targets+b, allowed+c
			}
			t.Logf("%d instructions, %d branch targets agree; %d allowed mismatches", insns, targets, allowed)
		})
	}
}

// compareObjdump compares one object's sections with objdump's view.
func compareObjdump(t *testing.T, objdump, obj string) (insns, targets, allowed int) {
	secs, err := execSections(obj)
	if err != nil {
		t.Fatal(err)
	}
	dump := objdumpSections(t, objdump, obj)
	for _, s := range secs {
		ours := map[int]arch.Insn{}
		if err := decodeLinear(s.data, func(off int, in *arch.Insn) { ours[off] = *in }); err != nil {
			t.Fatalf("%s: %s: %v", obj, s.name, err)
		}
		for _, d := range dump[s.name] {
			in, ok := ours[d.off]
			if !ok {
				continue // inside an instruction after an allowed mismatch
			}
			if int(in.Len) != len(d.code) {
				if allowedObjdumpMismatch(d, s.data[d.off:d.off+int(in.Len)]) {
					allowed++
					continue
				}
				t.Errorf("%s: %s+%#x: length %d, objdump %d (% x\t%s)",
					filepath.Base(obj), s.name, d.off, in.Len, len(d.code), d.code, d.text)
				continue
			}
			insns++
			if want, ok := objdumpTarget(d.text); ok && in.HasTarget {
				if in.Target != want {
					t.Errorf("%s: %s+%#x: target %#x, objdump %#x (%s)",
						filepath.Base(obj), s.name, d.off, in.Target, want, d.text)
				}
				targets++
			}
		}
	}
	return insns, targets, allowed
}

// BenchmarkX86asm decodes benchCode with x86asm, for comparison; where
// x86asm fails (endbr64) it steps one byte.
func BenchmarkX86asm(b *testing.B) {
	b.SetBytes(int64(len(benchCode)))
	for b.Loop() {
		for off := 0; off < len(benchCode); {
			inst, err := x86asm.Decode(benchCode[off:], 64)
			if err != nil {
				inst.Len = 1
			}
			off += inst.Len
		}
	}
}
