package ppc64

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/arch"
)

// FuzzDecode checks that Decode never panics and keeps its contract for
// any bytes, and that both byte orders decode the same words alike.
func FuzzDecode(f *testing.F) {
	for _, tt := range decodeTests {
		f.Add(encode(binary.BigEndian, tt.words))
	}
	for _, tt := range errorTests {
		f.Add(tt.code(binary.BigEndian))
	}
	_, text := loadText(f, "testdata/frames-be.o", binary.BigEndian)
	for off := 0; off+8 <= len(text); off += 8 {
		f.Add(text[off : off+8])
	}
	be, le := New(binary.BigEndian), New(binary.LittleEndian)
	f.Fuzz(func(t *testing.T, code []byte) {
		var got, swapped arch.Insn
		err := be.Decode(code, 0x100, &got)
		checkContract(t, code, got, err)
		swappedErr := le.Decode(swapWords(code), 0x100, &swapped)
		if (err == nil) != (swappedErr == nil) {
			t.Fatalf("% x: big-endian error %v, little-endian error %v", code, err, swappedErr)
		}
		if diff := cmp.Diff(got, swapped); diff != "" {
			t.Fatalf("% x: byte orders differ (-big +little):\n%s", code, diff)
		}
	})
}

// checkContract checks the arch.Arch.Decode contract on one result.
func checkContract(t *testing.T, code []byte, in arch.Insn, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, arch.ErrTruncated) && !errors.Is(err, arch.ErrUnknown) {
			t.Fatalf("% x: error %v wraps neither ErrTruncated nor ErrUnknown", code, err)
		}
		want := max(min(len(code), 4), 1)
		if in != (arch.Insn{Len: uint8(want)}) {
			t.Fatalf("% x: on error %v got %+v, want only Len %d", code, err, in, want)
		}
		return
	}
	if in.Len != 4 && in.Len != 8 || int(in.Len) > len(code) {
		t.Fatalf("% x: Len %d", code, in.Len)
	}
	if in.NOps > arch.MaxOps {
		t.Fatalf("% x: NOps %d", code, in.NOps)
	}
	if strings.HasPrefix(in.Kind.String(), "Kind(") {
		t.Fatalf("% x: kind %v", code, in.Kind)
	}
	if in.HasTarget && !in.Kind.IsStaticJump() && in.Kind != arch.Call {
		t.Fatalf("% x: %v with a target", code, in.Kind)
	}
	for _, op := range in.StackOps() {
		if int(op.Src.Reg) >= numRegs || int(op.Dst.Reg) >= numRegs || int(op.Src.Index) >= numRegs {
			t.Fatalf("% x: register out of range in %+v", code, op)
		}
	}
}

// swapWords returns code with the bytes of each of its first two 4-byte
// words reversed, so that a little-endian decoder sees the words a
// big-endian one sees in code.
func swapWords(code []byte) []byte {
	s := append([]byte(nil), code...)
	for i := 0; i+4 <= len(s) && i < 8; i += 4 {
		binary.LittleEndian.PutUint32(s[i:], binary.BigEndian.Uint32(s[i:]))
	}
	return s
}
