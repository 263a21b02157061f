package ehframe

import "encoding/binary"

// A cursor reads a frame section from off up to end, never past it. A
// read that would cross end returns zero and marks the cursor failed at
// the offset where the read began; later reads return zero too, so a
// parser checks failed once after a group of reads.
type cursor struct {
	data  []byte
	off   uint64 // next byte to read
	end   uint64 // the limit: the current entry's end, at most len(data)
	order binary.ByteOrder
	bad   bool
	badAt uint64 // where the first failed read began
}

// fail marks the cursor failed at the current offset.
func (c *cursor) fail() {
	if !c.bad {
		c.bad, c.badAt = true, c.off
	}
}

// take returns the next n bytes, or nil after marking the cursor failed.
func (c *cursor) take(n uint64) []byte {
	if c.bad || n > c.end-c.off {
		c.fail()
		return nil
	}
	b := c.data[c.off : c.off+n]
	c.off += n
	return b
}

// u8 reads a byte.
func (c *cursor) u8() uint8 {
	if b := c.take(1); b != nil {
		return b[0]
	}
	return 0
}

// u16 reads a 16-bit word in the file's byte order.
func (c *cursor) u16() uint16 {
	if b := c.take(2); b != nil {
		return c.order.Uint16(b)
	}
	return 0
}

// u32 reads a 32-bit word in the file's byte order.
func (c *cursor) u32() uint32 {
	if b := c.take(4); b != nil {
		return c.order.Uint32(b)
	}
	return 0
}

// u64 reads a 64-bit word in the file's byte order.
func (c *cursor) u64() uint64 {
	if b := c.take(8); b != nil {
		return c.order.Uint64(b)
	}
	return 0
}

// uleb reads an unsigned LEB128 number. One that does not fit in 64 bits
// fails the cursor.
func (c *cursor) uleb() uint64 {
	start := c.off
	var v uint64
	for shift := uint(0); ; shift += 7 {
		b, ok := c.lebByte(start)
		if !ok {
			return 0
		}
		if shift == 63 && b&0x7e != 0 || shift > 63 {
			c.off = start
			c.fail()
			return 0
		}
		v |= uint64(b&0x7f) << shift
		if b&0x80 == 0 {
			return v
		}
	}
}

// sleb reads a signed LEB128 number. One that does not fit in 64 bits
// fails the cursor.
func (c *cursor) sleb() int64 {
	start := c.off
	var v int64
	for shift := uint(0); ; shift += 7 {
		b, ok := c.lebByte(start)
		if !ok {
			return 0
		}
		if shift > 63 || shift == 63 && b&0x7f != 0 && b&0x7f != 0x7f {
			c.off = start
			c.fail()
			return 0
		}
		v |= int64(b&0x7f) << shift
		if b&0x80 == 0 {
			if shift < 57 && b&0x40 != 0 {
				v |= -1 << (shift + 7)
			}
			return v
		}
	}
}

// lebByte reads the next byte of a LEB128 number that began at start; at
// the end it fails the cursor there.
func (c *cursor) lebByte(start uint64) (uint8, bool) {
	if c.bad || c.off >= c.end {
		if !c.bad {
			c.off = start
		}
		c.fail()
		return 0, false
	}
	c.off++
	return c.data[c.off-1], true
}

// cstring reads a NUL-terminated string, without the NUL. It aliases
// the section's bytes.
func (c *cursor) cstring() []byte {
	if c.bad {
		return nil
	}
	for i := c.off; i < c.end; i++ {
		if c.data[i] == 0 {
			s := c.data[c.off:i]
			c.off = i + 1
			return s
		}
	}
	c.fail()
	return nil
}
