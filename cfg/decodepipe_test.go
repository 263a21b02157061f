package cfg

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/arch"
)

// toyDecode reads a made-up encoding: 0xff is no instruction (one byte),
// any other byte b starts an instruction of 1+b%5 bytes; with fixed set,
// every instruction is 4 bytes.
func toyDecode(fixed bool) func(code []byte, off uint64, in *arch.Insn) error {
	return func(code []byte, off uint64, in *arch.Insn) error {
		*in = arch.Insn{Len: 1 + code[0]%5}
		if fixed {
			in.Len = 4
		}
		if code[0] == 0xff || int(in.Len) > len(code) {
			in.Len = min(in.Len, uint8(len(code)))
			return errors.New("toy: no instruction")
		}
		in.Kind = arch.Kind(code[0] % 3)
		return nil
	}
}

// TestDecodeEachPipelined checks that decoding a section on a goroutine
// of its own, or in chunks on several, gives the instructions, in order,
// that decoding it inline gives: across batches and chunks, with words
// that are no instruction (kept on a fixed-width machine, the end of the
// section on x86), and with data ranges stepped over.
func TestDecodeEachPipelined(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 5*decodeBatch*4+3)
	for i := range data[:len(data)-5] {
		data[i] = byte(rng.IntN(255))
	}
	// data ends in one-byte instructions: the last is never truncated.
	// Before them, on an instruction boundary, sits an instruction of five
	// bytes whose last four are no instruction on their own: a chunk that
	// begins inside it stops at once (see decodeModes).
	clear(data[len(data)-20:])
	copy(data[len(data)-10:], []byte{4, 0xff, 0xff, 0xff, 0xff})
	withBad := append([]byte(nil), data...)
	for i := range 5 { // one of five in a row starts an instruction
		withBad[len(withBad)*2/3+i] = 0xff
	}
	fixedBad := append([]byte(nil), data...)
	for i := 0; i < len(fixedBad); i += 4 * 97 {
		fixedBad[i] = 0xff
	}
	tests := []struct {
		name   string
		data   []byte
		fixed  bool
		ranges dataMap
		stops  bool // at a bad word
	}{
		{"variable length", data, false, nil, false},
		{"variable length, stopping at a bad word", withBad, false, nil, true},
		{"fixed width, bad words and data ranges", fixedBad, true,
			dataMap{{start: 400, end: 800}, {start: 3 * decodeBatch * 4, end: 3*decodeBatch*4 + 12}}, false},
	}
	for _, tt := range tests {
		inline, prob := decodeWith(tt.data, tt.fixed, tt.ranges, false, nil)
		if n := len(inline); n < 2*decodeBatch || !tt.fixed && inline[n-1].bad != (prob != nil) {
			t.Fatalf("%s: %d instructions, the last bad %v: the test crosses no batch, or goes on after a bad word",
				tt.name, n, inline[n-1].bad)
		}
		if tt.stops != (prob != nil) {
			t.Errorf("%s: problem %v, want one %v", tt.name, prob, tt.stops)
		}
		for _, m := range decodeModes(inline, len(tt.data)) {
			got, p := decodeWith(tt.data, tt.fixed, tt.ranges, true, m.starts)
			// Compared whole first: cmp.Diff takes seconds over so many.
			if !slices.Equal(inline, got) {
				t.Errorf("%s, %s: inline (-) and pipelined (+) differ:\n%s", tt.name, m.name,
					cmp.Diff(inline, got, cmp.AllowUnexported(decodedInsn{})))
			}
			if (prob == nil) != (p == nil) {
				t.Errorf("%s, %s: problems %v inline, %v pipelined", tt.name, m.name, prob, p)
			}
		}
	}
}

// decodeWith decodes data with the toy decoder as decodeSection would,
// stopping at a bad word on a machine of variable length.
func decodeWith(data []byte, fixed bool, ranges dataMap, pipelined bool, starts []uint64) ([]decodedInsn, *Problem) {
	a := &arch.Arch{Decode: toyDecode(fixed)}
	r := &sectionReader{a: a, data: data, fixed: fixed, ranges: ranges}
	var got []decodedInsn
	prob := decodeEach(r, pipelined, starts, func(d *decodedInsn) *Problem {
		got = append(got, decodedInsn{off: d.off, bad: d.bad, insn: arch.Insn{Len: d.insn.Len, Kind: d.insn.Kind}})
		if d.bad && !fixed {
			return &Problem{Msg: "bad"}
		}
		return nil
	})
	return got, prob
}

// A decodeMode is one way of decoding a section on other goroutines: in
// one pipeline, or in chunks beginning at starts.
type decodeMode struct {
	name   string
	starts []uint64
}

// decodeModes lists the pipelines to compare with the inline decoding:
// one decoder; chunks on instruction boundaries (as function starts are);
// chunks beginning anywhere, inside instructions too; chunks of a few
// bytes, most of them inside an instruction of another chunk's; and one
// chunk from near the end.
func decodeModes(inline []decodedInsn, size int) []decodeMode {
	var onInsn, anywhere, tiny []uint64
	for i := 1000; i < len(inline); i += 1777 {
		onInsn = append(onInsn, inline[i].off)
	}
	for off := 997; off < size; off += 3001 {
		anywhere = append(anywhere, uint64(off))
	}
	for off := 1; off < size/8; off += 3 {
		tiny = append(tiny, uint64(off))
	}
	return []decodeMode{
		{"one decoder", nil},
		{"chunks on instructions", onInsn},
		{"chunks anywhere", anywhere},
		{"chunks of three bytes", tiny},
		{"one chunk at the end", []uint64{uint64(size - 2)}},
		{"a last chunk beginning on a word that is no instruction", []uint64{uint64(size - 9)}},
	}
}
