package arm64

import (
	"encoding/binary"
	"math/rand/v2"
	"reflect"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

// The helpers that read from the encoding what arm64asm keeps in
// unexported fields are held here to known words (as objdump prints them)
// and to those hidden fields themselves, which reflect reads.

// hidden returns the unexported field name of arm64asm operand a.
func hidden(a arm64asm.Arg, name string) int64 {
	v := reflect.ValueOf(a).FieldByName(name)
	if v.CanInt() {
		return v.Int()
	}
	return int64(v.Uint())
}

// word returns the little-endian bytes of w.
func word(w uint32) []byte { return binary.LittleEndian.AppendUint32(nil, w) }

func TestMemImm(t *testing.T) {
	tests := []struct {
		w    uint32
		asm  string
		f    ldstFlags
		mode addrMode
		want int64
	}{
		{0xf9400ff3, "ldr x19, [sp, #24]", load, offsetMode, 24},
		{0xb9400ffd, "ldr w29, [sp, #12]", load, offsetMode, 12},
		{0x3940003e, "ldrb w30, [x1]", load, offsetMode, 0},
		{0x3dc00be0, "ldr q0, [sp, #32]", load, offsetMode, 32},
		{0xf81f0ffe, "str x30, [sp, #-16]!", 0, preMode, -16},
		{0xf84107fe, "ldr x30, [sp], #16", load, postMode, 16},
		{0xf85f83a0, "ldur x0, [x29, #-8]", load | unscaled, offsetMode, -8},
		{0xa9bf7bfd, "stp x29, x30, [sp, #-16]!", pair, preMode, -16},
		{0xa8c17bfd, "ldp x29, x30, [sp], #16", load | pair, postMode, 16},
		{0x6dbc27e8, "stp d8, d9, [sp, #-64]!", pair, preMode, -64},
		{0xadbf07e0, "stp q0, q1, [sp, #-32]!", pair, preMode, -32},
		{0x29017fff, "stp wzr, wzr, [sp, #8]", pair, offsetMode, 8},
		{0x69c107e0, "ldpsw x0, x1, [sp, #8]!", load | pair | signExt, preMode, 8},
	}
	for _, tt := range tests {
		if got := memImm(tt.w, tt.f, tt.mode); got != tt.want {
			t.Errorf("memImm(%#08x %s) = %d, want %d", tt.w, tt.asm, got, tt.want)
		}
	}
}

func TestEncHelpers(t *testing.T) {
	tests := []struct {
		w    uint32
		asm  string
		f    func(uint32) int64
		want int64
	}{
		{0xd10083ff, "sub sp, sp, #32", addSubImm, 32},
		{0x914043ff, "add sp, sp, #0x10, lsl #12", addSubImm, 0x10000},
		{0x8b010c1d, "add x29, x0, x1, lsl #3", func(w uint32) int64 { return int64(shiftAmount(w)) }, 3},
		{0xcb3073ff, "sub sp, sp, x16, lsl #4", func(w uint32) int64 { return int64(shiftAmount(w) & 7) }, 4},
		{0xcb3043ff, "sub sp, sp, w16, uxtw", func(w uint32) int64 { return int64(extendOption(w)) }, 2},
		{0xcb3063ff, "sub sp, sp, x16", func(w uint32) int64 { return int64(extendOption(w)) }, 3},
		{0xd282001e, "mov x30, #0x1000", func(w uint32) int64 { return int64(wideImm(w)) }, 0x1000},
		{0x9280001d, "mov x29, #-1", func(w uint32) int64 { return int64(wideImm(w)) }, -1},
		{0x12800000, "mov w0, #-1", func(w uint32) int64 { return int64(wideImm(w)) }, 0xffffffff},
		{0xd2a00020, "mov x0, #0x10000", func(w uint32) int64 { return int64(wideImm(w)) }, 0x10000},
		{0x4cdfa3e0, "ld1 {v0.16b, v1.16b}, [sp], #32", structBytes, 32},
		{0x4ddfcbe0, "ld1r {v0.4s}, [sp], #4", structBytes, 4},
		{0x0ddf9000, "ld1 {v0.s}[1], [x0], #4", structBytes, 4},
		{0x4c9f0fe0, "st4 {v0.2d, v1.2d, v2.2d, v3.2d}, [sp], #64", structBytes, 64},
	}
	for _, tt := range tests {
		if got := tt.f(tt.w); got != tt.want {
			t.Errorf("%#08x %s: got %#x, want %#x", tt.w, tt.asm, got, tt.want)
		}
	}
}

// TestEncHelpersAgainstArm64asm compares, on random words arm64asm
// decodes, every value Decode reads from the encoding with the unexported
// field arm64asm holds it in.
func TestEncHelpersAgainstArm64asm(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 1 << 21
	if testing.Short() {
		n = 1 << 17
	}
	// Bias the words to the load/store (x1x0) and data-processing groups.
	masks := []struct{ mask, value uint32 }{
		{0x0a000000, 0x08000000}, // loads and stores
		{0x1c000000, 0x10000000}, // data processing, immediate
		{0x0e000000, 0x0a000000}, // data processing, register
	}
	checked := map[string]int{}
	for i := range n {
		m := masks[i%len(masks)]
		w := m.value | r.Uint32()&^m.mask
		inst, err := arm64asm.Decode(word(w))
		if err != nil {
			continue
		}
		info := opFor(inst.Op)
		for _, a := range inst.Args {
			switch a := a.(type) {
			case arm64asm.MemImmediate:
				want := hidden(a, "imm")
				var got int64
				switch {
				case a.Mode == arm64asm.AddrPostReg:
					got = int64(rm(w))
				case info.build == buildStruct && a.Mode == arm64asm.AddrPostIndex:
					got = structBytes(w)
				case info.build == buildStruct:
					continue // no write-back
				case info.build == loadStore:
					mode := offsetMode
					switch a.Mode {
					case arm64asm.AddrPreIndex:
						mode = preMode
					case arm64asm.AddrPostIndex:
						mode = postMode
					}
					got = memImm(w, info.ldst, mode)
				default:
					continue // ldxr, ldar, ...: no offset
				}
				checked["mem"]++
				if got != want {
					t.Errorf("%#08x %v: offset %d, arm64asm holds %d", w, inst, got, want)
				}
			case arm64asm.ImmShift:
				imm, shift := hidden(a, "imm"), hidden(a, "shift")
				var got, want int64
				switch inst.Op {
				case arm64asm.ADD, arm64asm.ADDS, arm64asm.SUB, arm64asm.SUBS, arm64asm.CMP, arm64asm.CMN:
					got, want = addSubImm(w), imm<<shift
				case arm64asm.MOVZ:
					got, want = int64(wideImm(w)), imm<<shift
				case arm64asm.MOVN:
					got, want = int64(wideImm(w)), ^(imm << shift)
					if !bit(w, 31) {
						want = int64(uint32(want))
					}
				default:
					continue
				}
				checked["imm "+inst.Op.String()]++
				if got != want {
					t.Errorf("%#08x %v: immediate %#x, arm64asm holds %#x", w, inst, got, want)
				}
			case arm64asm.Imm64, arm64asm.Imm:
				// The mov aliases of movz and movn: arm64asm exports the
				// value, which Decode reads from the encoding all the same.
				if _, ok := inst.Args[0].(arm64asm.Reg); !ok || inst.Op != arm64asm.MOV {
					continue
				}
				want := hidden(a, "Imm")
				if _, ok := a.(arm64asm.Imm64); !ok {
					want = int64(uint32(want))
				}
				checked["imm MOV"]++
				if got := int64(wideImm(w)); got != want {
					t.Errorf("%#08x %v: value %#x, arm64asm holds %#x", w, inst, got, want)
				}
			case arm64asm.RegExtshiftAmount:
				reg, amount := hidden(a, "reg"), hidden(a, "amount")
				n := arm64asm.Reg(reg)
				if n >= arm64asm.X0 {
					n -= arm64asm.X0
				}
				if int64(n) != int64(rm(w)) {
					t.Errorf("%#08x %v: Rm %d, arm64asm holds %v", w, inst, rm(w), arm64asm.Reg(reg))
				}
				if w&0x1f200000 == 0x0b200000 { // extended register
					if int64(shiftAmount(w)&7) != amount {
						t.Errorf("%#08x %v: extension shift %d, arm64asm holds %d", w, inst, shiftAmount(w)&7, amount)
					}
					if x := extendOption(w)&3 == 3; bit(w, 31) && x != (arm64asm.Reg(reg) >= arm64asm.X0) {
						t.Errorf("%#08x %v: 64-bit extension %v, arm64asm holds %v", w, inst, x, arm64asm.Reg(reg))
					}
				} else if int64(shiftAmount(w)) != amount {
					t.Errorf("%#08x %v: shift amount %d, arm64asm holds %d", w, inst, shiftAmount(w), amount)
				}
				checked["reg"]++
			}
		}
	}
	for _, k := range []string{"mem", "imm ADD", "imm SUBS", "imm MOV", "reg"} {
		if checked[k] < 100 {
			t.Errorf("only %d words checked for %s", checked[k], k)
		}
	}
}
