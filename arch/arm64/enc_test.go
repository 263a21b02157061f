package arm64

import (
	"encoding/binary"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

func TestSfield(t *testing.T) {
	tests := []struct {
		w      uint32
		lo, n  uint
		want   int64
		reason string
	}{
		{0x17fffffe, 0, 26, -2, "b .-8"},
		{0x14000010, 0, 26, 16, "b .+0x40"},
		{0x54ffff81, 5, 19, -4, "b.ne .-0x10"},
		{0xa9bf7bfd, 15, 7, -2, "stp x29, x30, [sp, #-16]!"},
		{0xf85f83a0, 12, 9, -8, "ldur x0, [x29, #-8]"},
		{0xffffffff, 0, 32, -1, "a whole word"},
		{0x7fffffff, 0, 32, 1<<31 - 1, "a whole positive word"},
	}
	for _, tt := range tests {
		if got := sfield(tt.w, tt.lo, tt.n); got != tt.want {
			t.Errorf("sfield(%#08x, %d, %d) = %d, want %d (%s)", tt.w, tt.lo, tt.n, got, tt.want, tt.reason)
		}
	}
}

func TestBitmask(t *testing.T) {
	tests := []struct {
		n, immr, imms uint32
		width         uint
		want          uint64
		ok            bool
	}{
		{1, 60, 59, 64, 0xfffffffffffffff0, true}, // and sp, x0, #~15
		{0, 0, 0, 32, 0x00000001, true},
		{0, 0, 0, 64, 0x0000000100000001, true},
		{0, 0, 0x3c, 64, 0x5555555555555555, true},
		{0, 4, 3, 32, 0xf0000000, true},
		{1, 0, 62, 64, 0x7fffffffffffffff, true},
		{1, 0, 63, 64, 0, false}, // all ones
		{0, 0, 0x3d, 64, 0, false},
		{0, 0, 0x3e, 64, 0, false},
		{0, 0, 0x1f, 32, 0, false},
		{1, 0, 0, 32, 0, false}, // N set in a 32-bit form
	}
	for _, tt := range tests {
		got, ok := bitmask(tt.n, tt.immr, tt.imms, tt.width)
		if got != tt.want || ok != tt.ok {
			t.Errorf("bitmask(%d, %d, %#x, %d) = %#x, %v; want %#x, %v", tt.n, tt.immr, tt.imms, tt.width, got, ok, tt.want, tt.ok)
		}
	}
}

// TestBitmaskAgainstArm64asm compares every valid logical immediate with
// the value arm64asm gives and x0, x1, #imm.
func TestBitmaskAgainstArm64asm(t *testing.T) {
	var b [4]byte
	for sf := uint32(0); sf < 2; sf++ {
		for n := uint32(0); n <= sf; n++ {
			for immr := uint32(0); immr < 64; immr++ {
				for imms := uint32(0); imms < 64; imms++ {
					w := sf<<31 | 0x12000020 | n<<22 | immr<<16 | imms<<10
					width := uint(32 << sf)
					want, ok := bitmask(n, immr, imms, width)
					if !ok {
						continue
					}
					binary.LittleEndian.PutUint32(b[:], w)
					inst, err := arm64asm.Decode(b[:])
					if err != nil {
						if sf == 1 || immr < 32 {
							t.Errorf("arm64asm rejects %#08x, a valid and", w)
						}
						continue
					}
					var got uint64
					switch a := inst.Args[2].(type) {
					case arm64asm.Imm64:
						got = a.Imm
					case arm64asm.Imm:
						got = uint64(a.Imm)
					default:
						t.Fatalf("%#08x: arm64asm gives a %T", w, a)
					}
					if got != want {
						t.Errorf("bitmask(%d, %d, %d, %d) = %#x, arm64asm says %#x", n, immr, imms, width, want, got)
					}
				}
			}
		}
	}
}

// TestBranchTargetsAgainstArm64asm compares the targets of random direct
// branches with arm64asm's PC-relative argument.
func TestBranchTargetsAgainstArm64asm(t *testing.T) {
	var b [4]byte
	for _, w := range oracleWords(1<<16, 0) {
		for _, w := range []uint32{w&^0x7c000000 | 0x14000000, w&^0x7e000000 | 0x34000000, w&^0x7e000000 | 0x36000000, w&^0xff000010 | 0x54000000} {
			binary.LittleEndian.PutUint32(b[:], w)
			inst, err := arm64asm.Decode(b[:])
			if err != nil {
				t.Fatalf("arm64asm rejects branch %#08x: %v", w, err)
			}
			var rel arm64asm.PCRel
			for _, a := range inst.Args {
				if r, ok := a.(arm64asm.PCRel); ok {
					rel = r
				}
			}
			for _, in := range []uint64{0, testOff} {
				var got = decodeOK(t, w, in)
				if !got.HasTarget || got.Target != int64(in)+int64(rel) {
					t.Errorf("Decode(%#08x) at %#x: target %#x, arm64asm says %+d", w, in, got.Target, rel)
				}
			}
		}
	}
}

// TestStructBytesAgainstObjdump compares the write-back amount of random
// post-index SIMD structure loads and stores on SP with objdump's.
func TestStructBytesAgainstObjdump(t *testing.T) {
	var ws []uint32
	for _, w := range oracleWords(1<<14, 0) {
		w |= 0x1f<<16 | 0x1f<<5 // immediate form, base SP
		ws = append(ws, w&^0xbfa00000|0x0c800000, w&^0xbf800000|0x0d800000)
	}
	lines := objdumpLines(t, ws)
	checked := 0
	for _, w := range ws {
		l := lines[w]
		if l.op == "" {
			continue
		}
		ops := splitOperands(l.args)
		want, err := strconv.ParseInt(strings.TrimPrefix(ops[len(ops)-1], "#"), 0, 64)
		if err != nil {
			t.Fatalf("%#08x: %s %s: no post-index amount", w, l.op, l.args)
		}
		got := decodeOK(t, w, 0)
		if got.NOps != 1 || got.Ops[0] != addOp(SP, want, SP) {
			t.Errorf("Decode(%#08x %s %s): ops %v, want SP += %d", w, l.op, l.args, got.StackOps(), want)
		}
		checked++
	}
	if checked < len(ws)/4 {
		t.Errorf("only %d of %d words were structure loads or stores", checked, len(ws))
	}
}
