package x86

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
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

// oracleLine formats Decode's result as the oracle prints objtool's. The
// immediate is printed for direct branches only, the one place objtool
// reads it.
func oracleLine(code []byte) string {
	var in arch.Insn
	if err := Decode(code, 0, &in); err != nil {
		return "0 ERR"
	}
	var imm int64
	if in.HasTarget {
		imm = in.Target - int64(in.Len)
	}
	warn := "-"
	switch {
	case in.Flags&FlagInvalidLEA != 0:
		warn = "i"
	case in.Flags&FlagENQCMD != 0:
		warn = "E"
	case in.Flags&arch.FlagNotrack != 0:
		warn = "n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "0 %d %d %d %s %d", in.Len, objtoolType[in.Kind], imm, warn, in.NOps)
	for _, op := range in.StackOps() {
		// objtool holds registers in unsigned char and offsets in int.
		fmt.Fprintf(&b, " %d,%d,%d,%d,%d,%d", op.Dst.Type, op.Dst.Reg, int32(op.Dst.Off),
			op.Src.Type, op.Src.Reg, int32(op.Src.Off))
	}
	return b.String()
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

// runOracle runs the oracle on the inputs (at most 15 bytes each) and
// returns its lines.
func runOracle(t *testing.T, inputs [][]byte) []string {
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
		for _, in := range inputs {
			w.WriteString(hex.EncodeToString(in[:min(len(in), maxInsnLen)]))
			w.WriteByte('\n')
		}
		w.Flush()
		stdin.Close()
	}()
	out := make([]string, 0, len(inputs))
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		out = append(out, normalizeOracle(sc.Text()))
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(inputs) {
		t.Fatalf("oracle answered %d of %d inputs", len(out), len(inputs))
	}
	return out
}

// compareOracle decodes every input and compares with the oracle.
func compareOracle(t *testing.T, inputs [][]byte, where func(i int) string) {
	t.Helper()
	want := runOracle(t, inputs)
	bad := 0
	for i, in := range inputs {
		if got := oracleLine(in); got != want[i] {
			if bad++; bad <= 20 {
				t.Errorf("%s% x:\n got %s\nwant %s", where(i), in[:min(len(in), maxInsnLen)], got, want[i])
			}
		}
	}
	t.Logf("%d inputs, %d differ", len(inputs), bad)
}

func oracleOrSkip(t *testing.T) {
	if os.Getenv("OBJCHECK_X86_ORACLE") == "" {
		t.Skip("OBJCHECK_X86_ORACLE is not set (see testdata/oracle/build.sh)")
	}
}

// TestOracle compares Decode with objtool's decoder on systematic and
// random encodings and on every instruction of the corpus.
func TestOracle(t *testing.T) {
	oracleOrSkip(t)
	t.Run("cases", func(t *testing.T) {
		inputs := make([][]byte, len(decodeTests))
		for i, tt := range decodeTests {
			inputs[i], _ = hex.DecodeString(tt.hex)
		}
		compareOracle(t, inputs, func(i int) string { return decodeTests[i].name + ": " })
	})
	t.Run("systematic", func(t *testing.T) {
		inputs := systematicInputs()
		compareOracle(t, inputs, func(int) string { return "" })
	})
	t.Run("random", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		inputs := make([][]byte, 1_000_000)
		for i := range inputs {
			inputs[i] = randomInsn(r)
		}
		compareOracle(t, inputs, func(int) string { return "" })
	})
	for _, name := range corpusArchives {
		t.Run(name, func(t *testing.T) {
			var inputs [][]byte
			var where []string
			for _, obj := range corpusObjects(t, name) {
				secs, err := execSections(obj)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range secs {
					err := decodeLinear(s.data, func(off int, in *arch.Insn) {
						inputs = append(inputs, s.data[off:min(len(s.data), off+maxInsnLen)])
						where = append(where, fmt.Sprintf("%s:%s+%#x: ", obj[strings.LastIndex(obj, "/")+1:], s.name, off))
					})
					if err != nil {
						t.Errorf("%s: %s: %v", obj, s.name, err)
					}
				}
			}
			compareOracle(t, inputs, func(i int) string { return where[i] })
		})
	}
}

// Bytes that may precede an opcode, for the systematic inputs.
var (
	sysPrefixes = []string{"", "66", "f2", "f3", "3e", "67", "f0", "2e3e", "66f3", "f366",
		"f2f3", "3e3e", "f3f3", "263664653e", "6667", "3e2e3e"}
	sysREX    = []string{"", "41", "42", "44", "48", "4c", "4f"}
	sysModRM  = []byte{0x00, 0x04, 0x05, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x44, 0x64, 0x84, 0xa4, 0xc0, 0xc4, 0xca, 0xcb, 0xe5, 0xfa, 0xfb}
	sysFiller = []string{"2511223344556677889900aabbcc", "24f8ffffff80000000ffeedd"}
)

// systematicInputs lists encodings that together reach every table entry:
// each opcode of every legacy map under several prefixes and REX bytes,
// every ModRM byte without prefixes, and every VEX and EVEX map.
func systematicInputs() [][]byte {
	var inputs [][]byte
	add := func(parts ...string) {
		b, err := hex.DecodeString(strings.Join(parts, ""))
		if err != nil {
			panic(err)
		}
		inputs = append(inputs, b)
	}
	var opcodes []string
	for _, m := range []string{"", "0f", "0f38", "0f3a"} {
		for op := range 256 {
			opcodes = append(opcodes, fmt.Sprintf("%s%02x", m, op))
		}
	}
	for _, p := range sysPrefixes {
		for _, rex := range sysREX {
			for _, op := range opcodes {
				for _, m := range sysModRM {
					add(p, rex, op, fmt.Sprintf("%02x", m), sysFiller[0])
				}
			}
		}
	}
	for _, pre := range []string{"", "48", "f3", "66", "f2"} {
		for _, op := range opcodes {
			for m := range 256 {
				for _, fill := range sysFiller {
					add(pre, op, fmt.Sprintf("%02x", m), fill)
				}
			}
		}
	}
	for _, rex2 := range []string{"d500", "d580", "d5ff", "d508", "d588"} {
		for op := range 256 {
			for _, m := range sysModRM {
				add(rex2, fmt.Sprintf("%02x%02x", op, m), sysFiller[0])
			}
		}
	}
	for _, v := range vexPrefixes() {
		for op := range 256 {
			for _, m := range sysModRM {
				add(v, fmt.Sprintf("%02x%02x", op, m), sysFiller[1])
			}
		}
	}
	return inputs
}

// vexPrefixes lists VEX2, VEX3 and EVEX prefixes for every map, pp and W.
func vexPrefixes() []string {
	var vs []string
	for pp := range 4 {
		vs = append(vs, fmt.Sprintf("c5%02x", 0xf8|pp), fmt.Sprintf("48c5%02x", 0x78|pp))
		for m := range 9 {
			for _, w := range []int{0, 0x80} {
				vs = append(vs, fmt.Sprintf("c4%02x%02x", 0xe0|m, 0x78|w|pp))
				vs = append(vs, fmt.Sprintf("62%02x%02x48", 0xf0|m, 0x7c|w|pp))
			}
		}
	}
	return vs
}

// randomInsn returns random bytes shaped like an instruction: some
// prefixes, perhaps a REX, an opcode in a random map, then noise.
func randomInsn(r *rand.Rand) []byte {
	var b []byte
	prefixes := []byte{0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3}
	for r.IntN(3) == 0 {
		b = append(b, prefixes[r.IntN(len(prefixes))])
	}
	switch r.IntN(6) {
	case 0:
		b = append(b, byte(0x40+r.IntN(16)))
	case 1:
		b = append(b, []byte{0xc4, 0xc5, 0x62, 0xd5}[r.IntN(4)])
	}
	switch r.IntN(4) {
	case 0:
		b = append(b, 0x0f)
	case 1:
		b = append(b, 0x0f, []byte{0x38, 0x3a}[r.IntN(2)])
	}
	for len(b) < maxInsnLen+2 {
		b = append(b, byte(r.Uint32()))
	}
	return b[:r.IntN(len(b))+1]
}
