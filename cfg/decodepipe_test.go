package cfg

import (
	"errors"
	"math/rand/v2"
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
// of its own gives the instructions, in order, that decoding it inline
// gives: across batches, with words that are no instruction (kept on a
// fixed-width machine, the end of the section on x86), and with data
// ranges stepped over.
func TestDecodeEachPipelined(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 5*decodeBatch*4+3)
	for i := range data[:len(data)-5] {
		data[i] = byte(rng.IntN(255))
	}
	// data ends in one-byte instructions: the last is never truncated.
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
		var got [2][]decodedInsn
		var probs [2]*Problem
		for i, pipelined := range []bool{false, true} {
			a := &arch.Arch{Decode: toyDecode(tt.fixed)}
			r := &sectionReader{a: a, data: tt.data, fixed: tt.fixed, ranges: tt.ranges}
			probs[i] = decodeEach(r, pipelined, func(d *decodedInsn) *Problem {
				got[i] = append(got[i], decodedInsn{off: d.off, bad: d.bad, insn: arch.Insn{Len: d.insn.Len, Kind: d.insn.Kind}})
				if d.bad && !tt.fixed {
					return &Problem{Msg: "bad"}
				}
				return nil
			})
		}
		if n := len(got[0]); n < 2*decodeBatch || !tt.fixed && got[0][n-1].bad != (probs[0] != nil) {
			t.Fatalf("%s: %d instructions, the last bad %v: the test crosses no batch, or goes on after a bad word",
				tt.name, n, got[0][n-1].bad)
		}
		if tt.stops != (probs[0] != nil) {
			t.Errorf("%s: problem %v, want one %v", tt.name, probs[0], tt.stops)
		}
		if diff := cmp.Diff(got[0], got[1], cmp.AllowUnexported(decodedInsn{})); diff != "" {
			t.Errorf("%s: inline (-) and pipelined (+) differ:\n%s", tt.name, diff)
		}
		if (probs[0] == nil) != (probs[1] == nil) {
			t.Errorf("%s: problems %v inline, %v pipelined", tt.name, probs[0], probs[1])
		}
	}
}
