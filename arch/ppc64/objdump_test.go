package ppc64

import (
	"bufio"
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
)

// This file compares the decoder with GNU objdump, instruction by
// instruction: where objdump sees data (.long) and where it sees code, the
// length of each instruction, and for branches, traps and system
// instructions the kind and target that objdump's mnemonic implies. The
// mnemonic parsing here is a test oracle only; the decoder never looks at
// text.

// A decoded is the decoder's result at one offset.
type decoded struct {
	insn arch.Insn
	err  error
}

// decodeSection decodes code from its start, stepping by Len, and returns
// the result at every offset where an instruction starts.
func decodeSection(a *arch.Arch, code []byte) map[uint64]decoded {
	m := make(map[uint64]decoded, len(code)/4)
	for off := 0; off < len(code); {
		var in arch.Insn
		err := a.Decode(code[off:], uint64(off), &in)
		m[uint64(off)] = decoded{in, err}
		off += int(max(in.Len, 1))
	}
	return m
}

// An objdumpCompare accumulates the comparison of several objects.
type objdumpCompare struct {
	checked  int               // instructions compared
	targets  int               // direct branch targets compared
	kinds    int               // kinds compared
	allowed  map[string]int    // known, accepted differences by reason
	example  map[string]string // an example of each reason
	failures []string
}

// objdumpLine matches an instruction line of `objdump -d -w`: address, the
// bytes in file order, and the text.
var objdumpLine = regexp.MustCompile(`^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\t?(.*)$`)

// object runs objdump on the object dir/name and compares every
// instruction it lists with a.
func (c *objdumpCompare) object(t testing.TB, objdump, dir, name string, a *arch.Arch) {
	t.Helper()
	path := filepath.Join(dir, name)
	secs, err := execSections(path, a)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(objdump, "-d", "-w", path).Output()
	if err != nil {
		t.Fatalf("%s -d %s: %v", objdump, path, err)
	}
	var sec map[uint64]decoded
	var secName string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "Disassembly of section "); ok {
			secName = strings.TrimSuffix(name, ":")
			sec = secs[secName]
			continue
		}
		m := objdumpLine.FindStringSubmatch(line)
		if m == nil || sec == nil {
			continue
		}
		addr, _ := strconv.ParseUint(m[1], 16, 64)
		where := fmt.Sprintf("%s:%s+%#x", name, secName, addr)
		c.insn(where, addr, len(strings.Fields(m[2])), strings.TrimSpace(m[3]), sec)
	}
}

// execSections decodes the executable sections of the object at path,
// by name; a name used twice is left out.
func execSections(path string, a *arch.Arch) (map[string]map[uint64]decoded, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	secs := map[string]map[uint64]decoded{}
	seen := map[string]bool{}
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_EXECINSTR == 0 || s.Type != elf.SHT_PROGBITS {
			continue
		}
		code, err := s.Data()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", path, s.Name, err)
		}
		if seen[s.Name] {
			delete(secs, s.Name)
			continue
		}
		seen[s.Name] = true
		secs[s.Name] = decodeSection(a, code)
	}
	return secs, nil
}

// insn compares objdump's instruction at addr (size bytes, text) with ours.
func (c *objdumpCompare) insn(where string, addr uint64, size int, text string, sec map[uint64]decoded) {
	mnem, operands, _ := strings.Cut(text, " ")
	operands = strings.TrimSpace(operands)
	data := mnem == ".long" || strings.HasPrefix(mnem, "(bad)")
	d, ok := sec[addr]
	switch {
	case !ok:
		c.fail("%s: objdump starts %q where no instruction starts", where, text)
		return
	case data && errors.Is(d.err, arch.ErrUnknown):
		c.checked++
		return
	case data:
		c.dataDecoded(where, text, d)
		return
	case errors.Is(d.err, arch.ErrUnknown):
		c.codeUnknown(where, mnem, text)
		return
	case d.err != nil:
		c.fail("%s: %s: %v", where, text, d.err)
		return
	}
	c.checked++
	if int(d.insn.Len) != size {
		c.fail("%s: %s: Len %d, objdump %d bytes", where, text, d.insn.Len, size)
	}
	c.kind(where, addr, mnem, operands, text, d.insn)
}

// dataDecoded handles a word objdump calls data and the decoder decodes.
// x/arch ignores reserved fields that objdump checks (fre f31,f30 with a
// non-zero FRA; lhzu with RA=0), so switch-table entries in .text can
// decode; that is harmless while they decode to plain instructions.
func (c *objdumpCompare) dataDecoded(where, text string, d decoded) {
	if d.insn.Kind == arch.Other && d.insn.NOps == 0 {
		c.allow("objdump data, decoded as a plain instruction", where+": "+text)
		return
	}
	c.fail("%s: objdump %q, decoded as %v with %d stack ops", where, text, d.insn.Kind, d.insn.NOps)
}

// codeUnknown handles a word objdump decodes and the decoder does not.
// objdump's attn (0x00000200) and dozi (rfid in the other byte order, in
// FIXUP_ENDIAN) are data in kernel objects.
func (c *objdumpCompare) codeUnknown(where, mnem, text string) {
	if mnem == "attn" || mnem == "dozi" {
		c.allow("objdump "+mnem+", unknown to the decoder", where+": "+text)
		return
	}
	c.fail("%s: objdump %q, decoder says unknown", where, text)
}

// kind checks the kind (and target) of branches, traps, system calls and
// nops against what objdump's mnemonic says.
func (c *objdumpCompare) kind(where string, addr uint64, mnem, operands, text string, in arch.Insn) {
	want, hasTarget, ok := oracleKind(mnem, operands)
	if !ok {
		if in.Kind == arch.Nop && (mnem == "ori" && isSelfOriZero(operands) || mnem == "exser") {
			return // ori rX,rX,0 (GCC's padding; exser is ori 31,31,0) is a nop
		}
		if in.Kind != arch.Other {
			c.fail("%s: %s: kind %v, objdump says other", where, text, in.Kind)
		}
		return
	}
	c.kinds++
	if in.Kind != want {
		c.fail("%s: %s: kind %v, want %v", where, text, in.Kind, want)
	}
	if !hasTarget {
		return
	}
	target, ok := oracleTarget(operands)
	if !ok {
		c.fail("%s: %s: cannot read objdump's target", where, text)
		return
	}
	c.targets++
	got := uint64(in.Target)
	if strings.HasSuffix(strings.TrimRight(mnem, "+-"), "a") {
		got, target = uint64(uint32(got)), uint64(uint32(target)) // absolute
	}
	if !in.HasTarget || got != target {
		c.fail("%s: %s: target %#x (%v), want %#x", where, text, in.Target, in.HasTarget, target)
	}
	wantPC := in.Kind == arch.Call && target == addr+4 && !strings.HasSuffix(strings.TrimRight(mnem, "+-"), "a")
	if got := in.Flags&arch.FlagLinkRegCall != 0; got != wantPC {
		c.fail("%s: %s: FlagLinkRegCall %v, want %v", where, text, got, wantPC)
	}
}

// branchMnemonic parses objdump's branch mnemonics: b, a condition (or c
// for the raw bc forms), a register (lr, ctr, tar), l for link and a for
// absolute, with an optional +/- hint.
var branchMnemonic = regexp.MustCompile(`^b(lt|le|eq|ge|gt|nl|ne|ng|so|ns|un|nu|dnzt|dnzf|dnz|dzt|dzf|dz|t|f|c)?(lr|ctr|tar)?(l)?(a)?[+-]?$`)

// systemKinds are the kinds of objdump's mnemonics for nops, traps and
// system instructions; "sc" alone is sc 0.
var systemKinds = map[string]arch.Kind{
	"nop": arch.Nop, "sc": arch.ContextSwitch, "scv": arch.ContextSwitch,
	"rfid": arch.ContextSwitch, "hrfid": arch.ContextSwitch, "urfid": arch.ContextSwitch,
	"rfscv": arch.ContextSwitch, "rfebb": arch.ContextSwitch, "rfi": arch.ContextSwitch,
	"trap": arch.Bug, "twu": arch.Bug, "tdu": arch.Bug, "twui": arch.Bug, "tdui": arch.Bug,
}

// oracleKind returns the kind objdump's text implies, whether the operands
// end with a direct target, and false for an instruction of no interest.
func oracleKind(mnem, operands string) (kind arch.Kind, hasTarget, ok bool) {
	if k, ok := systemKinds[mnem]; ok {
		if mnem == "sc" && operands != "" && operands != "0" {
			return arch.Other, false, true // sc 1, sc 2
		}
		return k, false, true
	}
	if strings.HasPrefix(mnem, "tw") || strings.HasPrefix(mnem, "td") {
		if mnem == "tw" || mnem == "td" || mnem == "twi" || mnem == "tdi" {
			if strings.HasPrefix(operands, "31,") {
				return arch.Bug, false, true
			}
		}
		return arch.TrapCond, false, true
	}
	m := branchMnemonic.FindStringSubmatch(mnem)
	if m == nil {
		return 0, false, false
	}
	cond, via, link := m[1], m[2], m[3] != ""
	always := cond == ""
	if cond == "c" { // bc, bcl, bclr, bcctr...: read BO
		bo, _, _ := strings.Cut(operands, ",")
		n, err := strconv.Atoi(bo)
		always = err == nil && n&boAlways == boAlways
	}
	return branchKind(via, link, always), via == "", true
}

// branchKind is the kind of a branch through via ("" for a direct one).
func branchKind(via string, link, always bool) arch.Kind {
	pick := func(uncond, condKind arch.Kind) arch.Kind {
		if always {
			return uncond
		}
		return condKind
	}
	switch {
	case link && via == "":
		return arch.Call
	case link:
		return arch.CallDynamic
	case via == "":
		return pick(arch.Jump, arch.JumpCond)
	case via == "lr":
		return pick(arch.Return, arch.ReturnCond)
	default:
		return pick(arch.JumpDynamic, arch.JumpDynamicCond)
	}
}

// oracleTarget reads the address that ends objdump's operands, as in
// "cr7,3060 <f+0x20>" or "0x1000".
func oracleTarget(operands string) (uint64, bool) {
	s, _, _ := strings.Cut(operands, " <")
	s, _, _ = strings.Cut(s, "\t")
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		s = s[i+1:]
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(s), "0x"), 16, 64)
	return n, err == nil
}

func (c *objdumpCompare) allow(reason, example string) {
	if c.allowed == nil {
		c.allowed, c.example = map[string]int{}, map[string]string{}
	}
	if c.allowed[reason] == 0 {
		c.example[reason] = example
	}
	c.allowed[reason]++
}

func (c *objdumpCompare) fail(format string, args ...any) {
	c.failures = append(c.failures, fmt.Sprintf(format, args...))
}

// report logs the counts and fails the test with the first failures.
func (c *objdumpCompare) report(t testing.TB) {
	t.Helper()
	t.Logf("objdump: %d instructions compared, %d kinds, %d branch targets", c.checked, c.kinds, c.targets)
	reasons := make([]string, 0, len(c.allowed))
	for r := range c.allowed {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		t.Logf("objdump: allowed: %s: %d (e.g. %s)", r, c.allowed[r], c.example[r])
	}
	for i, f := range c.failures {
		if i == 20 {
			t.Errorf("... and %d more", len(c.failures)-i)
			break
		}
		t.Error(f)
	}
}

// isSelfOriZero reports objdump operands "rX,rX,0".
func isSelfOriZero(operands string) bool {
	f := strings.Split(strings.ReplaceAll(operands, " ", ""), ",")
	return len(f) == 3 && f[0] == f[1] && f[2] == "0"
}
