package ehframe

import (
	"encoding/binary"
	"testing"
)

// TestLEB128 decodes LEB128 numbers, the largest that fit and the first
// that do not.
func TestLEB128(t *testing.T) {
	max10 := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}
	for _, tt := range []struct {
		in     []byte
		signed bool
		want   uint64
		bad    bool
	}{
		{in: []byte{0x02}, want: 2},
		{in: []byte{0xe5, 0x8e, 0x26}, want: 624485},
		{in: max10, want: 1<<64 - 1},
		{in: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, bad: true},
		{in: []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, bad: true},
		{in: []byte{0x80}, bad: true},
		{in: []byte{0x7e}, signed: true, want: uint64(1<<64 - 2)},
		{in: []byte{0xc0, 0xbb, 0x78}, signed: true, want: uint64(1<<64 - 123456)},
		{in: []byte{0x3f}, signed: true, want: 63},
		{in: []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, signed: true, want: 1 << 63},
		{in: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, signed: true, want: 1<<63 - 1},
		{in: []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, signed: true, bad: true},
	} {
		c := &cursor{data: tt.in, end: uint64(len(tt.in)), order: binary.LittleEndian}
		var got uint64
		if tt.signed {
			got = uint64(c.sleb())
		} else {
			got = c.uleb()
		}
		if c.bad != tt.bad || !tt.bad && (got != tt.want || c.off != c.end) {
			t.Errorf("%x (signed %v) = %#x, bad %v; want %#x, bad %v", tt.in, tt.signed, got, c.bad, tt.want, tt.bad)
		}
		if c.bad && c.badAt != 0 {
			t.Errorf("%x: failed at %d, want 0", tt.in, c.badAt)
		}
	}
}

// TestPointer reads a pointer of every format, and fails on a short field
// and an unknown format.
func TestPointer(t *testing.T) {
	p := &parser{}
	for _, tt := range []struct {
		enc      uint8
		addrSize uint8
		in       []byte
		want     uint64
	}{
		{encAbsptr, 8, []byte{1, 2, 3, 4, 5, 6, 7, 8}, 0x0807060504030201},
		{encAbsptr, 4, []byte{1, 2, 3, 4}, 0x04030201},
		{encUleb128, 8, []byte{0x81, 0x01}, 129},
		{encUdata2, 8, []byte{0xfe, 0xff}, 0xfffe},
		{encUdata4 | encPcrel, 8, []byte{0xfe, 0xff, 0xff, 0xff}, 0xfffffffe},
		{encUdata8, 8, []byte{1, 0, 0, 0, 0, 0, 0, 0x80}, 1<<63 + 1},
		{encSleb128, 8, []byte{0x7f}, 1<<64 - 1},
		{encSdata2, 8, []byte{0xfe, 0xff}, 1<<64 - 2},
		{encSdata4 | encPcrel, 8, []byte{0xfe, 0xff, 0xff, 0xff}, 1<<64 - 2},
		{encSdata8, 8, []byte{0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 1<<64 - 2},
	} {
		c := &cursor{data: tt.in, end: uint64(len(tt.in)), order: binary.LittleEndian}
		got, err := p.pointer(c, tt.enc, tt.addrSize)
		if err != nil || c.bad || got != tt.want || c.off != c.end {
			t.Errorf("encoding %#x of %x = %#x, %v (bad %v); want %#x", tt.enc, tt.in, got, err, c.bad, tt.want)
		}
		c = &cursor{data: tt.in[:len(tt.in)-1], end: uint64(len(tt.in) - 1), order: binary.LittleEndian}
		if p.pointer(c, tt.enc, tt.addrSize); !c.bad {
			t.Errorf("encoding %#x of %x cut short: no failure", tt.enc, tt.in)
		}
	}
	c := &cursor{data: []byte{0, 0, 0, 0}, end: 4, order: binary.LittleEndian}
	if _, err := p.pointer(c, 0x05, 8); err == nil {
		t.Error("format 5: no error")
	}
}
