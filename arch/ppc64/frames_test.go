package ppc64

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/arch"
)

// framesWant is what testdata/frames.S decodes to, instruction by
// instruction, at consecutive offsets from 0. A zero Len marks a word that
// must be arch.ErrUnknown.
var framesWant = []struct {
	asm  string
	want arch.Insn
}{
	// framed
	{"mflr r0", other(toReg(0, reg(32)))},
	{"std r31,-8(r1)", other(toMem(1, -8, 31))},
	{"std r0,16(r1)", other(toMem(1, 16, 0))},
	{"stdu r1,-112(r1)", other(toMem(1, -112, 1), toReg(1, add(1, -112)))},
	{"mr r31,r1", other(toReg(31, reg(1)))},
	{"cmpdi r3,0", other()},
	{"beq 28", branch(arch.JumpCond, 0x28)},
	{"bl callee", branch(arch.Call, 0x1c)},
	{"nop", insn(arch.Nop)},
	{"twui r0,0", trapInsn(arch.Bug, 31)},
	{"tdnei r3,0", trapInsn(arch.TrapCond, 24)},
	{"cmpldi r3,2", other()},
	{"bgt 4c", branch(arch.JumpCond, 0x4c)},
	{"addis r9,r2,0", other()},
	{"ld r9,0(r9)", other()},
	{"mtctr r9", other()},
	{"bctr", insn(arch.JumpDynamic)},
	{".long 0x694", arch.Insn{}},
	{".long 0xfffffd70 (fre f31,f31 to x/arch)", other()},
	{"addi r1,r31,112", other(toReg(1, add(31, 112)))},
	{"ld r0,16(r1)", other(toReg(0, mem(1, 16)))},
	{"ld r31,-8(r1)", other(toReg(31, mem(1, -8)))},
	{"mtlr r0", other(toReg(32, reg(0)))},
	{"blr", insn(arch.Return)},

	// leaf
	{"cmpdi r3,0", other()},
	{"beqlr", insn(arch.ReturnCond)},
	{"addi r3,r3,1", other()},
	{"b callee", branch(arch.Jump, 0x6c)},

	// switcher
	{"mflr r0", other(toReg(0, reg(32)))},
	{"std r31,-8(r1)", other(toMem(1, -8, 31))},
	{"std r0,16(r1)", other(toMem(1, 16, 0))},
	{"ld r31,16384(r9)", other()},
	{"stdu r1,32736(r31)", other(toMem(31, 32736, 1), toReg(31, add(31, 32736)))},
	{"mr r1,r31", other(toReg(1, reg(31)))},
	{"bl callee", branch(arch.Call, 0x88)},
	{"ld r1,0(r1)", other(toReg(1, mem(1, 0)))},
	{"ld r0,16(r1)", other(toReg(0, mem(1, 16)))},
	{"ld r31,-8(r1)", other(toReg(31, mem(1, -8)))},
	{"mtlr r0", other(toReg(32, reg(0)))},
	{"blr", insn(arch.Return)},

	// misc
	{"bcl 20,31,.+4", pcRead(0xa4)},
	{"mflr r11", other(toReg(11, reg(32)))},
	{"bl .+4", pcRead(0xac)},
	{"bctrl", insn(arch.CallDynamic)},
	{"blrl", insn(arch.CallDynamic)},
	{"ld r10,0(r1)", other(toReg(10, mem(1, 0)))},
	{"neg r9,r9", other()},
	{"stdux r10,r1,r9", other(toReg(1, addIndex(1, 9)))},
	{"clrrdi r1,r1,4", other(toReg(1, and(1, -16)))},
	{"beqctr", insn(arch.JumpDynamicCond)},
	{"sc 1", other()},
	{"nap", other()},
	{"tabort. r9", other()},
	{"trap", trapInsn(arch.Bug, 31)},
	{"rfid", insn(arch.ContextSwitch)},
	{"b 100 (alignment)", branch(arch.Jump, 0x100)},
	{"nop", insn(arch.Nop)},
	{"nop", insn(arch.Nop)},
	{"nop", insn(arch.Nop)},
	{"nop", insn(arch.Nop)},
	{"nop", insn(arch.Nop)},
	{"nop", insn(arch.Nop)},
	{"nop", insn(arch.Nop)},
	{"nop", insn(arch.Nop)},

	// prefixed
	{"pstd r0,16(r1)", prefixed(toMem(1, 16, 0))},
	{"paddi r1,r1,-4096", prefixed(toReg(1, add(1, -4096)))},
	{"pld r31,-8(r1)", prefixed(toReg(31, mem(1, -8)))},
	{"pla r9,0", prefixed()},
	{"blr", insn(arch.Return)},
}

// frameObjects are the objects gen.sh builds from frames.S, with the
// objdump that reads each.
var frameObjects = []struct {
	path, objdump string
	order         binary.ByteOrder
}{
	{"testdata/frames-be.o", "powerpc64-linux-gnu-objdump", binary.BigEndian},
	{"testdata/frames-le.o", "powerpc64le-linux-gnu-objdump", binary.LittleEndian},
}

func TestFrames(t *testing.T) {
	for _, obj := range frameObjects {
		a, code := loadText(t, obj.path, obj.order)
		off := 0
		for i, tt := range framesWant {
			if off >= len(code) {
				t.Fatalf("%s: text ends at %#x before %s (entry %d)", obj.path, off, tt.asm, i)
			}
			var got arch.Insn
			err := a.Decode(code[off:], uint64(off), &got)
			if tt.want.Len == 0 {
				if !errors.Is(err, arch.ErrUnknown) || got.Len != 4 {
					t.Errorf("%s+%#x: %s: got %+v, %v; want unknown, Len 4", obj.path, off, tt.asm, got, err)
				}
				off += 4
				continue
			}
			if err != nil {
				t.Errorf("%s+%#x: %s: %v", obj.path, off, tt.asm, err)
			} else if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s+%#x: %s mismatch (-want +got):\n%s", obj.path, off, tt.asm, diff)
			}
			off += int(max(got.Len, 1))
		}
		if off != len(code) {
			t.Errorf("%s: decoded %#x of %#x bytes of text", obj.path, off, len(code))
		}
	}
}

// TestFramesObjdump checks the testdata objects against objdump, as the
// corpus test does for kernel objects.
func TestFramesObjdump(t *testing.T) {
	for _, obj := range frameObjects {
		if _, err := exec.LookPath(obj.objdump); err != nil {
			skips.Skipf(t, "no %s: %v", obj.objdump, err)
		}
		var c objdumpCompare
		c.object(t, obj.objdump, ".", obj.path, New(obj.order))
		c.report(t)
		if c.checked == 0 {
			t.Errorf("%s: objdump compared nothing", obj.path)
		}
	}
}

// TestTestdataFresh rebuilds the testdata objects and compares them with
// the committed ones, so a .S edited without running gen.sh fails.
func TestTestdataFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	want, err := os.ReadFile("testdata/TOOLCHAIN")
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"powerpc64-linux-gnu-as", "powerpc64le-linux-gnu-as",
		"powerpc64-linux-gnu-cpp", "powerpc64le-linux-gnu-cpp"} {
		if _, err := exec.LookPath(tool); err != nil {
			skips.Skipf(t, "no %s: %v", tool, err)
		}
	}
	dir := t.TempDir()
	files, _ := filepath.Glob("testdata/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("sh", filepath.Join(dir, "gen.sh")).CombinedOutput(); err != nil {
		t.Fatalf("gen.sh: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "TOOLCHAIN")); !bytes.Equal(got, want) {
		t.Skipf("toolchain differs from testdata/TOOLCHAIN:\n%s", got)
	}
	for _, f := range files {
		if filepath.Ext(f) != ".o" {
			continue
		}
		old, _ := os.ReadFile(f)
		fresh, _ := os.ReadFile(filepath.Join(dir, filepath.Base(f)))
		if !bytes.Equal(old, fresh) {
			t.Errorf("%s is stale: run testdata/gen.sh", f)
		}
	}
}

// loadText returns the Arch for order and the .text of the object at
// path, checking that the object's byte order is order.
func loadText(t testing.TB, path string, order binary.ByteOrder) (*arch.Arch, []byte) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.ByteOrder != order || f.Machine != elf.EM_PPC64 {
		t.Fatalf("%s: %v %v, want EM_PPC64 %v", path, f.Machine, f.ByteOrder, order)
	}
	text := f.Section(".text")
	if text == nil {
		t.Fatalf("%s: no .text", path)
	}
	code, err := text.Data()
	if err != nil {
		t.Fatal(err)
	}
	return New(order), code
}
