package x86

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/x86/x86asm"
)

// The oracle is objtool's own decoder behind a driver (testdata/oracle),
// which needs a kernel tree to build, so TestOracle runs only when
// $OBJCHECK_X86_ORACLE names the built program.

// objtoolType is objtool's enum insn_type value for each kind.
var objtoolType = [...]int{
	arch.JumpCond: 0, arch.Jump: 1, arch.JumpDynamic: 2, arch.JumpDynamicCond: 3,
	arch.Call: 4, arch.CallDynamic: 5, arch.Return: 6, arch.ContextSwitch: 7,
	arch.Bug: 8, arch.Nop: 9, arch.Stac: 10, arch.Clac: 11, arch.Std: 12,
	arch.Cld: 13, arch.Trap: 14, arch.Endbr: 15, arch.Other: 16,
}

// appendOracleLine appends Decode's result for code, formatted as the
// oracle prints objtool's, and a newline. The immediate is printed for
// direct branches only, the one place objtool reads it.
func appendOracleLine(b, code []byte) []byte {
	var in arch.Insn
	if err := Decode(code, 0, &in); err != nil {
		return append(b, "0 ERR\n"...)
	}
	var imm int64
	if in.HasTarget {
		imm = in.Target - int64(in.Len)
	}
	warn := byte('-')
	switch {
	case in.Flags&FlagInvalidLEA != 0:
		warn = 'i'
	case in.Flags&FlagENQCMD != 0:
		warn = 'E'
	case in.Flags&arch.FlagNotrack != 0:
		warn = 'n'
	}
	b = append(b, "0 "...)
	for _, v := range [...]int64{int64(in.Len), int64(objtoolType[in.Kind]), imm} {
		b = append(strconv.AppendInt(b, v, 10), ' ')
	}
	b = append(b, warn, ' ')
	b = strconv.AppendInt(b, int64(in.NOps), 10)
	for _, op := range in.StackOps() {
		// objtool holds registers in unsigned char and offsets in int.
		sep := byte(' ')
		for _, v := range [...]int64{int64(op.Dst.Type), int64(op.Dst.Reg), int64(int32(op.Dst.Off)),
			int64(op.Src.Type), int64(op.Src.Reg), int64(int32(op.Src.Off))} {
			b = strconv.AppendInt(append(b, sep), v, 10)
			sep = ','
		}
	}
	return append(b, '\n')
}

// normalizeOracle drops the immediate the oracle prints for instructions
// other than direct branches.
func normalizeOracle(line string) string {
	f := strings.Fields(line)
	if len(f) < 4 {
		return line
	}
	switch f[2] {
	case "0", "1", "4":
	default:
		f[3] = "0"
	}
	return strings.Join(f, " ")
}

// An inputSet yields instruction bytes, the same ones each time it is
// ranged over; a yielded slice is valid until the next one.
type inputSet struct {
	name string
	gen  iter.Seq[[]byte]
	// tables says the set checks the opcode tables alone (opmap.go): an
	// answer is the length decodeTable finds, or an error, for any bytes.
	tables bool
}

// appendLine appends the answer to code that the set compares.
func (s *inputSet) appendLine(b, code []byte) []byte {
	if s.tables {
		return appendTableLine(b, code)
	}
	return appendOracleLine(b, code)
}

// normalize turns the oracle's answer into the form the set compares.
func (s *inputSet) normalize(line string) string {
	if s.tables {
		if f := strings.Fields(line); len(f) >= 2 {
			return f[0] + " " + f[1]
		}
		return line
	}
	return normalizeOracle(line)
}

// appendTableLine appends the length that the opcode tables alone give
// the instruction at the start of code, as the oracle prints it, defined
// opcode or not: "0 LEN", or "0 ERR".
func appendTableLine(b, code []byte) []byte {
	code = code[:min(len(code), maxInsnLen)]
	emulate := emulatePrefixLen(code)
	var f fields
	if f.decodeTable(code[emulate:]) != errNone {
		return append(b, "0 ERR\n"...)
	}
	b = strconv.AppendInt(append(b, "0 "...), int64(emulate+f.length), 10)
	return append(b, '\n')
}

// oracleInputs are the sets TestOracle compares and TestOracleDigest
// checks against the recorded digests of objtool's answers. The
// systematic and random sets keep only valid encodings (see
// validEncoding); "fallback" keeps those Decode decodes with the opcode
// tables, x86asm having rejected them; the "tables" sets keep everything
// but REX2 and check the lengths of the opcode tables alone.
var oracleInputs = []inputSet{
	{name: "cases", gen: caseInputs},
	{name: "systematic", gen: validOnly(systematicInputs)},
	{name: "random", gen: validOnly(randomInputs)},
	{name: "fallback", gen: fallbackOnly(concat(systematicInputs, randomInputs))},
	{name: "tables-systematic", gen: noREX2(systematicInputs), tables: true},
	{name: "tables-random", gen: noREX2(randomInputs), tables: true},
}

// concat yields the inputs of each of gens in turn.
func concat(gens ...iter.Seq[[]byte]) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for _, gen := range gens {
			for code := range gen {
				if !yield(code) {
					return
				}
			}
		}
	}
}

// fallbackOnly keeps the inputs of gen that Decode decodes although
// x86asm rejects them (or gets their length wrong): those only the opcode
// tables decode. (Decode now tries the tables first, for all; the set is
// still the one objtool's recorded answers are for.)
func fallbackOnly(gen iter.Seq[[]byte]) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for code := range gen {
			var f fields
			if f.decode(code) == errNone && !x86asmTakes(code) && !yield(code) {
				return
			}
		}
	}
}

// x86asmTakes reports whether x86asm decodes the instruction at the start
// of code with the length the kernel's decoder gives it (fromInst).
func x86asmTakes(code []byte) bool {
	code = code[:min(len(code), maxInsnLen)]
	code = code[emulatePrefixLen(code):]
	inst, err := x86asm.Decode(code, 64)
	var f fields
	return err == nil && inst.Op != 0 && f.fromInst(&inst, code)
}

// noREX2 drops the inputs of gen with a REX2 prefix (0xd5 after the
// legacy prefixes), which the opcode tables do not decode.
func noREX2(gen iter.Seq[[]byte]) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for code := range gen {
			i := 0
			for i < len(code) && i < maxInsnLen && isLegacyPrefix(code[i]) {
				i++
			}
			if i < len(code) && code[i] == 0xd5 {
				continue
			}
			if !yield(code) {
				return
			}
		}
	}
}

// validOnly keeps the inputs of gen that start with a valid encoding.
func validOnly(gen iter.Seq[[]byte]) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for code := range gen {
			if validEncoding(code) && !yield(code) {
				return
			}
		}
	}
}

// validEncoding reports whether code starts with a valid encoding of an
// instruction objtool's decoder knows, judged without it: one x86asm
// decodes, less the encodings on which x86asm and objtool's decoder
// legitimately differ, none of which an assembler emits for the kernel:
//
//   - a lock prefix on an instruction that takes none, an F2 or F3 prefix
//     on one that ignores it, or more than four distinct legacy prefixes
//     (objtool's decoder keeps four);
//   - in the 0f maps, a mandatory prefix (66, F2, F3) that is not the last
//     legacy prefix, as assemblers place it (objtool's decoder reads only
//     the last; x86asm lets F2 and F3 win over 66), or a 66 the
//     instruction does not take (x86asm ignores it where the SDM makes
//     sha1msg1 or rcpps invalid);
//   - the test-register moves (0f 24, 0f 26), which 64-bit mode does not
//     have, and AMD's SSE4a movntss and movntsd, which the kernel's
//     opcode map lacks;
//   - EVEX maps 4 to 7, which x86asm misreads, and the AVX10.2
//     instructions, newer than the kernel 6.12 opcode map.
func validEncoding(code []byte) bool {
	code = code[:min(len(code), maxInsnLen)]
	inst, err := x86asm.Decode(code, 64)
	if err != nil || inst.Op == 0 {
		return false
	}
	var seen [256]bool
	distinct, n := 0, 0
	var last byte
	has66, hasRep, took66 := false, false, false
	for _, p := range inst.Prefix {
		if p == 0 || p.IsREX() {
			break
		}
		if p.IsVEX() || p.IsEVEX() {
			return code[0] != 0x62 || vexMap(code) < 4 && !avx10v2[inst.Op]
		}
		b := byte(p)
		switch {
		case p&x86asm.PrefixInvalid != 0:
			return false
		case b == 0xf2 || b == 0xf3:
			if p&x86asm.PrefixIgnored != 0 {
				return false
			}
			hasRep = true
		case b == 0x66:
			has66, took66 = true, p&x86asm.PrefixImplicit != 0
		}
		if !seen[b] {
			seen[b] = true
			distinct++
		}
		last = b
		n++
	}
	if distinct > 4 {
		return false
	}
	if code[n]&0xf0 == 0x40 {
		n++ // REX
	}
	if code[n] == 0x0f {
		switch {
		case hasRep && last != 0xf2 && last != 0xf3:
			return false
		case !hasRep && has66 && (last != 0x66 || !took66):
			return false
		}
	}
	if inst.Op == x86asm.MOVNTSS || inst.Op == x86asm.MOVNTSD {
		return false
	}
	for _, a := range inst.Args {
		if r, ok := a.(x86asm.Reg); ok && r >= x86asm.TR0 && r <= x86asm.TR7 {
			return false
		}
	}
	return true
}

// avx10v2 holds the AVX10.2 instructions, all EVEX-encoded, that x86asm
// decodes among the generated inputs.
var avx10v2 = map[x86asm.Op]bool{
	x86asm.VCMPBF16: true, x86asm.VCVT2PH2BF8: true, x86asm.VCVT2PS2PHX: true,
	x86asm.VCVTBIASPH2BF8: true, x86asm.VCVTPH2BF8: true, x86asm.VDPPHPS: true,
	x86asm.VFPCLASSBF16: true, x86asm.VGETMANTBF16: true, x86asm.VMINMAXBF16: true,
	x86asm.VMINMAXPD: true, x86asm.VMINMAXPH: true, x86asm.VMINMAXPS: true,
	x86asm.VREDUCEBF16: true, x86asm.VRNDSCALEBF16: true,
	x86asm.VMPSADBW: true, // the EVEX form; the VEX one is AVX2
}

// oracleDigest is what the digest file says of each input set: the
// number of inputs and the SHA-256 of objtool's answers.
type oracleDigest struct {
	n   int
	sum string
}

const digestFile = "testdata/oracle.digest"

// readDigests reads testdata/oracle.digest: lines of "name count sha256".
func readDigests(t *testing.T) map[string]oracleDigest {
	data, err := os.ReadFile(digestFile)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]oracleDigest{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || strings.HasPrefix(line, "#") {
			continue
		}
		n, _ := strconv.Atoi(f[1])
		m[f[0]] = oracleDigest{n, f[2]}
	}
	return m
}

// TestOracleDigest checks Decode against objtool's recorded answers for
// the oracle's input sets, so that neither the classification nor
// x86asm's lengths can drift where the oracle itself is not at hand.
func TestOracleDigest(t *testing.T) {
	digests := readDigests(t)
	for _, set := range oracleInputs {
		h := sha256.New()
		n := 0
		var line []byte
		for code := range set.gen {
			line = set.appendLine(line[:0], code)
			h.Write(line)
			n++
		}
		got := oracleDigest{n, hex.EncodeToString(h.Sum(nil))}
		if want := digests[set.name]; got != want {
			t.Errorf("%s: Decode's answers to %d inputs hash to %s; objtool's to %d inputs hash to %s (TestOracle shows the differences)",
				set.name, got.n, got.sum, want.n, want.sum)
		}
	}
}

// compareOracle decodes every input and compares with the oracle's
// answers, checking the recorded digest of those answers on the way.
func compareOracle(t *testing.T, set inputSet, where func(i int) string, digest *oracleDigest) {
	t.Helper()
	cmd := exec.Command(os.Getenv("OBJCHECK_X86_ORACLE"))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		w := bufio.NewWriter(stdin)
		buf := make([]byte, 2*maxInsnLen+1)
		for code := range set.gen {
			n := hex.Encode(buf, code[:min(len(code), maxInsnLen)])
			buf[n] = '\n'
			w.Write(buf[:n+1])
		}
		w.Flush()
		stdin.Close()
	}()
	sc := bufio.NewScanner(stdout)
	h := sha256.New()
	n, bad := 0, 0
	var line []byte
	for code := range set.gen {
		if !sc.Scan() {
			t.Fatalf("the oracle stopped answering after %d inputs", n)
		}
		want := set.normalize(sc.Text()) + "\n"
		h.Write([]byte(want))
		line = set.appendLine(line[:0], code)
		if got := string(line); got != want && bad < 20 {
			t.Errorf("%s% x:\n got %s want %s", where(n), code[:min(len(code), maxInsnLen)], got, want)
		}
		if string(line) != want {
			bad++
		}
		n++
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d inputs, %d differ", n, bad)
	if got := (oracleDigest{n, hex.EncodeToString(h.Sum(nil))}); digest != nil && got != *digest {
		t.Errorf("objtool's answers to %d inputs hash to %s, not %s as %s says: update it", got.n, got.sum, digest.sum, digestFile)
	}
}

func oracleOrSkip(t *testing.T) {
	if os.Getenv("OBJCHECK_X86_ORACLE") == "" {
		t.Skip("OBJCHECK_X86_ORACLE is not set (see testdata/oracle/build.sh)")
	}
}

// TestOracle compares Decode with objtool's decoder on the oracle input
// sets and on every instruction of the corpus.
func TestOracle(t *testing.T) {
	oracleOrSkip(t)
	digests := readDigests(t)
	for _, set := range oracleInputs {
		t.Run(set.name, func(t *testing.T) {
			where := func(int) string { return "" }
			if set.name == "cases" {
				where = func(i int) string { return decodeTests[i].name + ": " }
			}
			d := digests[set.name]
			compareOracle(t, set, where, &d)
		})
	}
	for _, name := range corpusArchives {
		t.Run(name, func(t *testing.T) {
			var insns [][]byte
			var where []string
			for _, obj := range corpusObjects(t, name) {
				secs, err := execSections(obj)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range secs {
					err := decodeLinear(s.data, func(off int, in *arch.Insn) {
						insns = append(insns, s.data[off:min(len(s.data), off+maxInsnLen)])
						where = append(where, fmt.Sprintf("%s:%s+%#x: ", filepath.Base(obj), s.name, off))
					})
					if err != nil {
						t.Errorf("%s: %s: %v", obj, s.name, err)
					}
				}
			}
			compareOracle(t, inputSet{name: name, gen: slices.Values(insns)}, func(i int) string { return where[i] }, nil)
		})
	}
}

// caseInputs yields the bytes of decodeTests.
func caseInputs(yield func([]byte) bool) {
	for _, tt := range decodeTests {
		code, _ := hex.DecodeString(tt.hex)
		if !yield(code) {
			return
		}
	}
}

// Bytes that may precede an opcode or follow a ModRM byte, for the
// systematic inputs.
var (
	sysPrefixes = [][]byte{{}, {0x66}, {0xf2}, {0xf3}, {0x3e}, {0x67}, {0xf0}, {0x2e, 0x3e},
		{0x66, 0xf3}, {0xf3, 0x66}, {0xf2, 0xf3}, {0x3e, 0x3e}, {0xf3, 0xf3},
		{0x26, 0x36, 0x64, 0x65, 0x3e}, {0x66, 0x67}, {0x3e, 0x2e, 0x3e}}
	sysREX   = []byte{0, 0x41, 0x42, 0x44, 0x48, 0x4c, 0x4f}
	sysModRM = []byte{0x00, 0x04, 0x05, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x44, 0x64,
		0x84, 0xa4, 0xc0, 0xc4, 0xca, 0xcb, 0xe5, 0xfa, 0xfb}
	sysFiller = [][]byte{
		{0x25, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x00, 0xaa, 0xbb, 0xcc},
		{0x24, 0xf8, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0xff, 0xee, 0xdd},
	}
	sysMaps = [][]byte{{}, {0x0f}, {0x0f, 0x38}, {0x0f, 0x3a}}
)

// systematicInputs yields encodings that together reach every opcode:
// each opcode of every legacy map under several prefixes and REX bytes,
// every ModRM byte under the prefixes that select variants, REX2, and
// every VEX and EVEX map.
func systematicInputs(yield func([]byte) bool) {
	buf := make([]byte, 0, 64)
	emit := func(parts ...[]byte) bool {
		buf = buf[:0]
		for _, p := range parts {
			buf = append(buf, p...)
		}
		return yield(buf)
	}
	for _, p := range sysPrefixes {
		for _, rex := range sysREX {
			r := []byte{rex}[:min(int(rex), 1)]
			for _, m := range sysMaps {
				for op := range 256 {
					for _, modrm := range sysModRM {
						if !emit(p, r, m, []byte{byte(op), modrm}, sysFiller[0]) {
							return
						}
					}
				}
			}
		}
	}
	for _, pre := range [][]byte{{}, {0x48}, {0xf3}, {0x66}, {0xf2}} {
		for _, m := range sysMaps {
			for op := range 256 {
				for modrm := range 256 {
					for _, fill := range sysFiller {
						if !emit(pre, m, []byte{byte(op), byte(modrm)}, fill) {
							return
						}
					}
				}
			}
		}
	}
	for _, rex2 := range []byte{0x00, 0x80, 0xff, 0x08, 0x88} {
		for op := range 256 {
			for _, modrm := range sysModRM {
				if !emit([]byte{0xd5, rex2, byte(op), modrm}, sysFiller[0]) {
					return
				}
			}
		}
	}
	for _, v := range vexPrefixes() {
		for op := range 256 {
			for _, modrm := range sysModRM {
				if !emit(v, []byte{byte(op), modrm}, sysFiller[1]) {
					return
				}
			}
		}
	}
}

// vexPrefixes lists VEX2, VEX3 and EVEX prefixes for every map, pp and W.
func vexPrefixes() [][]byte {
	var vs [][]byte
	for pp := range byte(4) {
		vs = append(vs, []byte{0xc5, 0xf8 | pp}, []byte{0x48, 0xc5, 0x78 | pp})
		for m := range byte(9) {
			for _, w := range []byte{0, 0x80} {
				vs = append(vs, []byte{0xc4, 0xe0 | m, 0x78 | w | pp})
				vs = append(vs, []byte{0x62, 0xf0 | m, 0x7c | w | pp, 0x48})
			}
		}
	}
	return vs
}

// randomInputs yields a million pseudo-random byte strings shaped like
// instructions: some prefixes, perhaps a REX, VEX or REX2 byte, an opcode
// in a random map, then noise, cut at a random length. The generator is
// this file's own, so the inputs never change.
func randomInputs(yield func([]byte) bool) {
	r := xorshift(0x9e3779b97f4a7c15)
	prefixes := []byte{0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3}
	buf := make([]byte, 0, 64)
	for range 1_000_000 {
		b := buf[:0]
		for r.intn(3) == 0 {
			b = append(b, prefixes[r.intn(len(prefixes))])
		}
		switch r.intn(6) {
		case 0:
			b = append(b, byte(0x40+r.intn(16)))
		case 1:
			b = append(b, []byte{0xc4, 0xc5, 0x62, 0xd5}[r.intn(4)])
		}
		switch r.intn(4) {
		case 0:
			b = append(b, 0x0f)
		case 1:
			b = append(b, 0x0f, []byte{0x38, 0x3a}[r.intn(2)])
		}
		for len(b) < maxInsnLen+2 {
			b = append(b, byte(r.next()))
		}
		if !yield(b[:r.intn(len(b))+1]) {
			return
		}
	}
}

// xorshift is a xorshift64* generator.
type xorshift uint64

func (x *xorshift) next() uint64 {
	*x ^= *x >> 12
	*x ^= *x << 25
	*x ^= *x >> 27
	return uint64(*x) * 0x2545f4914f6cdd1d
}

func (x *xorshift) intn(n int) int { return int(x.next() >> 33 % uint64(n)) }
