package ppc64

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/arch"
)

// TestRandomWords decodes random words in both byte orders: the contract
// holds and the orders agree.
func TestRandomWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	be, le := New(binary.BigEndian), New(binary.LittleEndian)
	n := 1 << 16
	if testing.Short() {
		n = 1 << 12
	}
	for range n {
		code := binary.BigEndian.AppendUint64(nil, rng.Uint64())
		var got, swapped arch.Insn
		err := be.Decode(code, 0x100, &got)
		checkContract(t, code, got, err)
		swappedErr := le.Decode(swapWords(code), 0x100, &swapped)
		if (err == nil) != (swappedErr == nil) || got != swapped {
			t.Fatalf("% x: big-endian %+v %v, little-endian %+v %v", code, got, err, swapped, swappedErr)
		}
	}
}

// TestControlFlowAlwaysDecodes checks that x/arch decodes every encoding
// of the branch and trap forms, whatever their fields, so that no branch
// or trap can fall through to ErrUnknown (which extraInsns would have to
// cover by bit patterns).
func TestControlFlowAlwaysDecodes(t *testing.T) {
	a := New(binary.BigEndian)
	forms := []struct {
		name        string
		value, free uint32 // fixed bits, and the bits that vary
	}{
		{"b-form bc", 16 << 26, 1<<26 - 1},
		{"i-form b", 18 << 26, 1<<26 - 1},
		{"tdi", 2 << 26, 1<<26 - 1},
		{"twi", 3 << 26, 1<<26 - 1},
		{"bclr", 19<<26 | 16<<1, 0x03ff_f801},
		{"bcctr", 19<<26 | 528<<1, 0x03ff_f801},
		{"bctar", 19<<26 | 560<<1, 0x03ff_f801},
		{"tw", 31<<26 | 4<<1, 0x03ff_f801},
		{"td", 31<<26 | 68<<1, 0x03ff_f801},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, f := range forms {
		for range 1 << 14 {
			word := f.value | rng.Uint32()&f.free
			var in arch.Insn
			if err := a.Decode(binary.BigEndian.AppendUint32(nil, word), 0x100, &in); err != nil {
				t.Errorf("%s %08x: %v", f.name, word, err)
			} else if in.Kind == arch.Other || in.Kind == arch.Nop {
				t.Errorf("%s %08x: kind %v", f.name, word, in.Kind)
			}
		}
	}
}

// TestDecodeIsPure checks that decoding the same bytes twice, with other
// decodes between, gives the same result: Decode keeps no state.
func TestDecodeIsPure(t *testing.T) {
	a := New(binary.LittleEndian)
	first := make([]arch.Insn, len(decodeTests))
	for i, tt := range decodeTests {
		_ = a.Decode(encode(binary.LittleEndian, tt.words), testOff, &first[i])
	}
	for i := len(decodeTests) - 1; i >= 0; i-- {
		var in arch.Insn
		_ = a.Decode(encode(binary.LittleEndian, decodeTests[i].words), testOff, &in)
		if diff := cmp.Diff(first[i], in); diff != "" {
			t.Errorf("%s: second decode differs (-first +second):\n%s", decodeTests[i].asm, diff)
		}
	}
}
