package elfedit

import (
	"bufio"
	"bytes"
	"cmp"
	"debug/elf"
	"fmt"
	"io"
	"slices"
)

// maxAlign bounds a section's alignment: 1 GiB.
const maxAlign = 1 << 30

// layout places the file as libelf does when objtool writes it
// (elf_update without ELF_F_LAYOUT):
//   - the ELF header (and the program headers, if any), then every section
//     in index order, each at the next offset rounded up to its
//     sh_addralign (0 counts as 1), the gaps zero-filled; an SHT_NOBITS
//     section gets an offset but no bytes;
//   - the section header table last, at the next offset rounded up to 8.
//
// It sets every section's offset and returns the header table's. The
// input's own layout plays no part: whenever objtool writes, every offset
// is computed anew. An alignment that is not a power of two is an error,
// as in libelf, and so is one past maxAlign, which no real object has and
// which would make the file absurdly large.
func (f *File) layout() (uint64, error) {
	off := uint64(ehdrSize + len(f.phdrs))
	for i, s := range f.secs[1:] {
		if a := s.Hdr.Addralign; a&(a-1) != 0 || a > maxAlign {
			return 0, fmt.Errorf("section %d (%s): bad alignment %#x", i+1, s.Name, a)
		}
		off = alignUp(off, s.Hdr.Addralign)
		s.Hdr.Offset = off
		if s.Hdr.Type != elf.SHT_NOBITS {
			off += uint64(len(s.data))
		}
	}
	return alignUp(off, 8), nil
}

// WriteTo writes the laid-out file to w, streaming each section's
// contents rather than assembling the file in memory.
func (f *File) WriteTo(w io.Writer) (int64, error) {
	shoff, err := f.layout()
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := &countWriter{w: bw}
	cw.Write(f.header(shoff))
	cw.Write(f.phdrs)
	for _, s := range f.secs[1:] {
		cw.pad(s.Hdr.Offset)
		if s.Hdr.Type != elf.SHT_NOBITS {
			f.writeContents(cw, s)
			f.done(s)
		}
	}
	cw.pad(shoff)
	h := make([]byte, shdrSize)
	for _, s := range f.secs {
		f.putHeader(h, &s.Hdr)
		cw.Write(h)
	}
	if cw.err == nil {
		cw.err = bw.Flush()
	}
	return cw.n, cw.err
}

// writeContents writes section s's contents: its patches, if any, over
// the input's bytes as they go by, unless two of them overlap, when the
// section is copied out first to apply them in the order made.
func (f *File) writeContents(cw *countWriter, s *Section) {
	ps := sortedPatches(s.patches)
	if ps == nil && len(s.patches) > 0 {
		f.copyOut(s, 0)
	}
	pos := uint64(0)
	for _, p := range ps {
		cw.Write(s.data[pos:p.off])
		cw.Write(p.b)
		pos = p.off + uint64(len(p.b))
	}
	cw.Write(s.data[pos:])
}

// sortedPatches returns the patches by offset, nil if there are none or
// two of them overlap.
func sortedPatches(patches []patch) []patch {
	if len(patches) == 0 {
		return nil
	}
	ps := slices.Clone(patches)
	slices.SortFunc(ps, func(a, b patch) int { return cmp.Compare(a.off, b.off) })
	for i := 1; i < len(ps); i++ {
		if ps[i-1].off+uint64(len(ps[i-1].b)) > ps[i].off {
			return nil
		}
	}
	return ps
}

// Bytes returns the laid-out file (see WriteTo).
func (f *File) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// header returns the ELF header for a section header table at shoff.
func (f *File) header(shoff uint64) []byte {
	out := append([]byte(nil), f.ehdr...)
	o := f.order
	if len(f.phdrs) > 0 {
		o.PutUint64(out[0x20:], ehdrSize)
	}
	o.PutUint64(out[0x28:], shoff)
	n := len(f.secs)
	if f.extended || n >= int(elf.SHN_LORESERVE) {
		o.PutUint16(out[0x3c:], 0)
		f.secs[0].Hdr.Size = uint64(n)
	} else {
		o.PutUint16(out[0x3c:], uint16(n))
	}
	return out
}

// A countWriter counts what it writes and keeps the first error.
type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
	return n, err
}

// zeros is the padding written between sections.
var zeros [4096]byte

// pad writes zero bytes up to offset off.
func (c *countWriter) pad(off uint64) {
	for c.err == nil && uint64(c.n) < off {
		c.Write(zeros[:min(off-uint64(c.n), uint64(len(zeros)))])
	}
}

// putHeader encodes one section header.
func (f *File) putHeader(b []byte, h *Header) {
	o := f.order
	o.PutUint32(b, h.Name)
	o.PutUint32(b[4:], uint32(h.Type))
	o.PutUint64(b[8:], uint64(h.Flags))
	o.PutUint64(b[0x10:], h.Addr)
	o.PutUint64(b[0x18:], h.Offset)
	o.PutUint64(b[0x20:], h.Size)
	o.PutUint32(b[0x28:], h.Link)
	o.PutUint32(b[0x2c:], h.Info)
	o.PutUint64(b[0x30:], h.Addralign)
	o.PutUint64(b[0x38:], h.Entsize)
}

// alignUp rounds off up to a multiple of align; 0 and 1 leave it.
func alignUp(off, align uint64) uint64 {
	if align <= 1 {
		return off
	}
	return (off + align - 1) / align * align
}
