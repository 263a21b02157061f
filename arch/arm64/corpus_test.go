package arm64

import (
	"bufio"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/arm64/arm64asm"
)

// sharedDir returns the project's shared material: $OBJCHECK_SHARED, or
// the folder "shared" beside the repository.
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

// corpusObjects unpacks the arm64 corpus into a temporary folder and
// returns the paths of its objects, sorted. It skips the test when the
// archive is not there.
func corpusObjects(t testing.TB) []string {
	t.Helper()
	tarball := filepath.Join(sharedDir(t), "corpus", "linux-6.12", "arm64.tar.xz")
	if _, err := os.Stat(tarball); err != nil {
		skips.Skipf(t, "arm64 corpus not found (%v); set OBJCHECK_SHARED to the shared folder", err)
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

// A textSection is an executable section with the ranges its mapping
// symbols ($d, $x) mark as data.
type textSection struct {
	name string
	data []byte
	// marks holds, sorted, the offsets where data ($d) or code ($x)
	// starts; isData says which.
	marks  []uint64
	isData []bool
	// relocated holds the offsets that relocations patch.
	relocated map[uint64]bool
}

// inData reports whether offset off lies in a $d range.
func (s *textSection) inData(off uint64) bool {
	i, found := slices.BinarySearch(s.marks, off)
	if !found {
		i--
	}
	return i >= 0 && s.isData[i]
}

// readObject returns the object's executable sections with their mapping
// symbols.
func readObject(path string) ([]*textSection, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return nil, err
	}
	secs := map[elf.SectionIndex]*textSection{}
	var out []*textSection
	for i, s := range f.Sections {
		if s.Flags&elf.SHF_EXECINSTR == 0 || s.Type == elf.SHT_NOBITS {
			continue
		}
		data, err := s.Data()
		if err != nil {
			return nil, err
		}
		ts := &textSection{name: s.Name, data: data}
		secs[elf.SectionIndex(i)] = ts
		out = append(out, ts)
	}
	for _, s := range f.Sections {
		ts := secs[elf.SectionIndex(s.Info)]
		if s.Type != elf.SHT_RELA || ts == nil {
			continue
		}
		data, err := s.Data()
		if err != nil {
			return nil, err
		}
		ts.relocated = map[uint64]bool{}
		for i := 0; i+24 <= len(data); i += 24 { // 24 is the size of Rela64
			ts.relocated[f.ByteOrder.Uint64(data[i:])] = true
		}
	}
	type mark struct {
		off  uint64
		data bool
	}
	marks := map[*textSection][]mark{}
	for _, sym := range syms {
		ts := secs[sym.Section]
		if ts == nil || len(sym.Name) < 2 || sym.Name[0] != '$' || len(sym.Name) > 2 && sym.Name[2] != '.' {
			continue
		}
		switch sym.Name[1] {
		case 'd':
			marks[ts] = append(marks[ts], mark{sym.Value, true})
		case 'x':
			marks[ts] = append(marks[ts], mark{sym.Value, false})
		}
	}
	for ts, ms := range marks {
		sort.SliceStable(ms, func(i, j int) bool { return ms[i].off < ms[j].off })
		for _, m := range ms {
			ts.marks = append(ts.marks, m.off)
			ts.isData = append(ts.isData, m.data)
		}
	}
	return out, nil
}

// decodedBy returns what decodes w: "asm OP" when arm64asm does, with the
// op it names, or "fallback NAME" with the name of the fallback form, or ""
// when w is not an instruction.
func decodedBy(w uint32) string {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], w)
	switch inst, err := arm64asm.Decode(b[:]); {
	case reservedForAsm(w):
	case err == nil:
		return "asm " + inst.Op.String()
	case lookupFallback(w) != nil:
		return "fallback " + lookupFallback(w).name
	}
	return ""
}

// TestCorpus decodes every word of every executable section of the arm64
// corpus and counts what arm64asm and Decode make of them. Outside $d
// data, Decode must take every word arm64asm takes (in the corpus,
// arm64asm takes none of the reserved encodings it wrongly accepts).
func TestCorpus(t *testing.T) {
	var words, unknown, zero, inData, asmRejects, fallback int
	kinds := map[arch.Kind]int{}
	forms := map[string]int{}
	for _, path := range corpusObjects(t) {
		secs, err := readObject(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, s := range secs {
			var in arch.Insn
			for off := 0; off+4 <= len(s.data); off += 4 {
				words++
				code := s.data[off : off+4]
				w := binary.LittleEndian.Uint32(code)
				err := Decode(code, uint64(off), &in)
				_, asmErr := arm64asm.Decode(code)
				if asmErr != nil {
					asmRejects++
				}
				switch {
				case err == nil:
					kinds[in.Kind]++
					if asmErr != nil {
						fallback++
						forms[decodedBy(w)]++
					}
				case !errors.Is(err, arch.ErrUnknown) || in.Len != 4:
					t.Errorf("%s: %s+%#x: Decode(%08x) = Len %d, %v", path, s.name, off, w, in.Len, err)
				default:
					unknown++
					switch {
					case w == 0:
						zero++
					case s.inData(uint64(off)):
						inData++
					case asmErr == nil:
						t.Errorf("%s: %s+%#x: arm64asm decodes %08x but Decode says %v", path, s.name, off, w, err)
					}
				}
			}
		}
	}
	t.Logf("%d words: arm64asm rejects %d, of which the fallback forms take %d (%.3f%%) as instructions; Decode rejects %d (%d zero, %d other words in $d ranges)",
		words, asmRejects, fallback, 100*float64(fallback)/float64(words), unknown, zero, inData)
	for k := arch.Kind(0); k < 32; k++ {
		if kinds[k] > 0 {
			t.Logf("kind %-16s %d", k, kinds[k])
		}
	}
	var names []string
	for n := range forms {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return forms[names[i]] > forms[names[j]] })
	var b strings.Builder
	for _, n := range names {
		b.WriteString(" " + strings.TrimPrefix(n, "fallback ") + ":" + strconv.Itoa(forms[n]))
	}
	t.Logf("fallback forms:%s", b.String())
}

// TestCorpusObjdump compares Decode with GNU objdump on the corpus (every
// 16th object with -short): a word objdump decodes is an instruction to
// Decode too, branches have objdump's kinds and targets, and the frame
// loads, stores and SP arithmetic have the stack operations objdump's
// text implies.
func TestCorpusObjdump(t *testing.T) {
	objdump := needTool(t, gnuObjdump)
	objs := corpusObjects(t)
	var compared, branches, stackOps, dataInsns int
	for i, path := range objs {
		if testing.Short() && i%16 != 0 {
			continue
		}
		out, err := exec.Command(objdump, "-d", path).Output()
		if err != nil {
			t.Fatalf("%s %s: %v", gnuObjdump, path, err)
		}
		gnu := parseObjdump(out)
		secs, err := readObject(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		seen := map[string]int{}
		for _, s := range secs {
			seen[s.name]++
		}
		rel := filepath.Base(path)
		for _, s := range secs {
			if seen[s.name] > 1 {
				continue // objdump's output does not tell them apart
			}
			for _, l := range gnu[s.name] {
				if l.off+4 > uint64(len(s.data)) {
					t.Errorf("%s: %s+%#x: objdump line beyond the section", rel, s.name, l.off)
					continue
				}
				compared++
				var in arch.Insn
				err := Decode(s.data[l.off:], l.off, &in)
				where := rel + ": " + s.name + "+0x" + strconv.FormatUint(l.off, 16) + ": " + l.op + " " + l.args
				switch {
				case l.op == "" && err == nil:
					dataInsns++
					t.Logf("%s: objdump: undefined; Decode: %v", where, in.Kind)
					continue
				case l.op == "":
					continue
				case err != nil:
					t.Errorf("%s: Decode: %v", where, err)
					continue
				}
				if checkBranch(t, where, l, &in, s.relocated[l.off]) {
					branches++
				}
				if want, ok := objdumpStackOps(l.op, l.args); ok {
					stackOps++
					if got := in.StackOps(); !slices.Equal(got, want) {
						t.Errorf("%s: stack ops\n got %v\nwant %v", where, got, want)
					}
				}
			}
		}
	}
	t.Logf("%d words compared with objdump: %d branch kinds and targets, %d stack operation lists; %d words objdump calls undefined Decode takes as instructions",
		compared, branches, stackOps, dataInsns)
}

// objdumpKinds gives the kind of the mnemonics whose kind does not depend
// on their operands; b.<cond> and brk are handled apart.
var objdumpKinds = map[string]arch.Kind{
	"b": arch.Jump, "bl": arch.Call,
	"cbz": arch.JumpCond, "cbnz": arch.JumpCond, "tbz": arch.JumpCond, "tbnz": arch.JumpCond,
	"br": arch.JumpDynamic, "blr": arch.CallDynamic,
	"ret": arch.Return, "retaa": arch.Return, "retab": arch.Return, "eret": arch.ContextSwitch,
	"nop": arch.Nop, "bti": arch.Endbr,
	"paciasp": arch.SignRA, "pacibsp": arch.SignRA, "autiasp": arch.AuthRA, "autibsp": arch.AuthRA,
}

// checkBranch compares the kind and target of a control-flow instruction
// with objdump's line, and reports whether it was one. objdump prints the
// relocation's symbol as the target of a relocated branch: its target is
// not compared.
func checkBranch(t *testing.T, where string, l objdumpLine, in *arch.Insn, relocated bool) bool {
	t.Helper()
	want, ok := objdumpKinds[l.op]
	switch {
	case strings.HasPrefix(l.op, "b."):
		want, ok = arch.JumpCond, true
		if l.op == "b.al" || l.op == "b.nv" {
			want = arch.Jump
		}
	case l.op == "brk":
		imm, err := strconv.ParseInt(strings.TrimPrefix(l.args, "#"), 0, 64)
		if err != nil {
			t.Errorf("%s: bad brk immediate", where)
		}
		want, ok = arch.Trap, true
		if imm == bugImm || imm == trapImm {
			want = arch.Bug
		}
		if in.Imm != imm {
			t.Errorf("%s: Imm = %#x, want %#x", where, in.Imm, imm)
		}
	}
	if !ok {
		if in.Kind != arch.Other && in.Kind != arch.ContextSwitch && in.Kind != arch.Trap {
			t.Errorf("%s: kind %v, objdump has no control flow here", where, in.Kind)
		}
		return false
	}
	if in.Kind != want {
		t.Errorf("%s: kind %v, want %v", where, in.Kind, want)
	}
	if !in.Kind.IsStaticJump() && in.Kind != arch.Call || relocated {
		return true
	}
	// The target is the last operand: "x2, #63, 4c <f+0x10>".
	args := l.args
	if i := strings.Index(args, " <"); i >= 0 {
		args = args[:i]
	}
	args = args[strings.LastIndex(args, " ")+1:]
	target, err := strconv.ParseUint(args, 16, 64)
	if err != nil {
		t.Errorf("%s: cannot read the target: %v", where, err)
		return true
	}
	if !in.HasTarget || in.Target != int64(target) {
		t.Errorf("%s: target %#x (HasTarget %v), want %#x", where, in.Target, in.HasTarget, target)
	}
	return true
}

// objdumpStackOps returns the stack operations that objdump's text of an
// instruction implies, for the loads, stores and arithmetic on x
// registers that make frames: ldp, stp, ldr, str, ldur, stur; add, sub,
// mov. It reports false for anything else.
func objdumpStackOps(op, args string) ([]arch.StackOp, bool) {
	if i := strings.Index(args, "//"); i >= 0 {
		args = args[:i]
	}
	ops := splitOperands(args)
	switch op {
	case "stp", "ldp":
		if len(ops) < 3 {
			return nil, false
		}
		return memOps(op == "ldp", ops[:2], ops[2:])
	case "str", "ldr", "stur", "ldur":
		if len(ops) < 2 {
			return nil, false
		}
		return memOps(op[0] == 'l', ops[:1], ops[1:])
	case "add", "sub":
		return arithOps(op == "sub", ops)
	case "mov":
		if len(ops) != 2 {
			return nil, false
		}
		return arithOps(false, []string{ops[0], ops[1], "#0"})
	}
	return nil, false
}

// xreg returns the number of an x register operand ("x3", "sp"; 32 for
// "xzr").
func xreg(s string) (arch.Reg, bool) {
	switch s {
	case "sp":
		return SP, true
	case "xzr":
		return 32, true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(s, "x"))
	if !strings.HasPrefix(s, "x") || err != nil || n > 30 {
		return 0, false
	}
	return arch.Reg(n), true
}

// imm parses "#-16" or "#0x20".
func imm(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 0, 64)
	return n, err == nil && strings.HasPrefix(s, "#")
}

// memOps implements the load and store rules on objdump's operands: regs
// are the transfer registers, mem the address and any post-index amount.
func memOps(load bool, regs, mem []string) ([]arch.StackOp, bool) {
	var rs []arch.Reg
	for _, s := range regs {
		r, ok := xreg(s)
		if !ok || r == SP {
			return nil, false
		}
		rs = append(rs, r)
	}
	addr := mem[0]
	pre := strings.HasSuffix(addr, "!")
	addr = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(addr, "["), "!"), "]")
	parts := splitOperands(addr)
	base, ok := xreg(parts[0])
	if !ok || base == 32 {
		return nil, false
	}
	var off, post int64
	if len(parts) == 2 {
		if off, ok = imm(parts[1]); !ok {
			return nil, false
		}
	} else if len(parts) > 2 {
		return nil, false
	}
	if len(mem) == 2 {
		if post, ok = imm(mem[1]); !ok {
			return nil, false
		}
	}
	var ops []arch.StackOp
	if pre && tracked(base) {
		ops = append(ops, addOp(base, off, base))
		off = 0
	}
	for i, r := range rs {
		o := off + 8*int64(i)
		switch {
		case r == 32:
		case !load && frameBase(base):
			ops = append(ops, storeOp(r, base, o))
		case load && (frameBase(base) || tracked(r)):
			ops = append(ops, loadOp(base, o, r))
		}
	}
	if len(mem) == 2 && tracked(base) {
		ops = append(ops, addOp(base, post, base))
	}
	return ops, true
}

// arithOps implements the add and sub rules on objdump's operands "xD, xN,
// #imm[, lsl #12]" and "xD, xM" (mov, with "#0" appended): a copy or an
// addition reported when it writes SP, x29 or x30 or reads SP; a mov
// between x registers also when it reads x29 or x30.
func arithOps(sub bool, ops []string) ([]arch.StackOp, bool) {
	if len(ops) != 3 && len(ops) != 4 {
		return nil, false
	}
	d, ok1 := xreg(ops[0])
	n, ok2 := xreg(ops[1])
	v, ok3 := imm(ops[2])
	if !ok1 || !ok2 || !ok3 || d == 32 || n == 32 {
		return nil, false
	}
	if len(ops) == 4 {
		if ops[3] != "lsl #12" {
			return nil, false
		}
		v <<= 12
	}
	if sub {
		v = -v
	}
	isMovReg := len(ops) == 3 && ops[2] == "#0" && d != SP && n != SP // orr alias
	switch {
	case !tracked(d) && n != SP && !(isMovReg && tracked(n)):
		return nil, true
	case v == 0:
		return []arch.StackOp{copyOp(n, d)}, true
	}
	return []arch.StackOp{addOp(n, v, d)}, true
}

// TestCorpusDump writes Decode's answer for every word of every executable
// section of the corpus to the file $OBJCHECK_ARM64_DUMP: one line per word
// with its object, section, offset and word, and everything Decode reports
// (or its error). Dumps made before and after a change to the decoder must
// be identical.
func TestCorpusDump(t *testing.T) {
	path := os.Getenv("OBJCHECK_ARM64_DUMP")
	if path == "" {
		t.Skip("OBJCHECK_ARM64_DUMP is not set")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	objs := corpusObjects(t)
	root := filepath.Dir(objs[0])
	for _, o := range objs {
		for !strings.HasPrefix(o, root+string(filepath.Separator)) {
			root = filepath.Dir(root)
		}
	}
	for _, obj := range objs {
		rel, _ := filepath.Rel(root, obj)
		secs, err := readObject(obj)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secs {
			var in arch.Insn
			for off := 0; off+4 <= len(s.data); off += 4 {
				fmt.Fprintf(w, "%s %s %#x %08x:", rel, s.name, off, binary.LittleEndian.Uint32(s.data[off:]))
				if err := Decode(s.data[off:], uint64(off), &in); err != nil {
					fmt.Fprintf(w, " len %d error %v\n", in.Len, err)
					continue
				}
				fmt.Fprintf(w, " len %d %v flags %#x imm %#x", in.Len, in.Kind, in.Flags, in.Imm)
				if in.HasTarget {
					fmt.Fprintf(w, " target %#x", in.Target)
				}
				for _, op := range in.StackOps() {
					fmt.Fprintf(w, " %+v", op)
				}
				w.WriteString("\n")
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

// BenchmarkDecodeCorpus decodes every word of every executable section of
// the corpus and reports the time and allocations per word.
func BenchmarkDecodeCorpus(b *testing.B) {
	var secs []*textSection
	for _, obj := range corpusObjects(b) {
		s, err := readObject(obj)
		if err != nil {
			b.Fatal(err)
		}
		secs = append(secs, s...)
	}
	var in arch.Insn
	count := func() (n int) {
		for _, s := range secs {
			for off := 0; off+4 <= len(s.data); off += 4 {
				Decode(s.data[off:], uint64(off), &in)
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
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/word")
	b.ReportMetric(allocs/float64(n), "allocs/word")
}
