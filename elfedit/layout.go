package elfedit

import (
	"debug/elf"
	"fmt"
)

// Bytes lays the file out as libelf does when objtool writes it
// (elf_update without ELF_F_LAYOUT), and returns it:
//   - the ELF header (and the program headers, if any), then every section
//     in index order, each at the next
//     offset rounded up to its sh_addralign (0 counts as 1), the gaps
//     zero-filled; an SHT_NOBITS section gets an offset but no bytes;
//   - the section header table last, at the next offset rounded up to 8.
//
// The input's own layout plays no part: whenever objtool writes, every
// offset is computed anew. An alignment that is not a power of two is an
// error, as in libelf, and so is one past maxAlign, which no real object
// has and which would make the file absurdly large.
func (f *File) Bytes() ([]byte, error) {
	off := uint64(ehdrSize + len(f.phdrs))
	for i, s := range f.secs[1:] {
		if a := s.Hdr.Addralign; a&(a-1) != 0 || a > maxAlign {
			return nil, fmt.Errorf("section %d (%s): bad alignment %#x", i+1, s.Name, a)
		}
		off = alignUp(off, s.Hdr.Addralign)
		s.Hdr.Offset = off
		if s.Hdr.Type != elf.SHT_NOBITS {
			off += uint64(len(s.data))
		}
	}
	shoff := alignUp(off, 8)
	out := make([]byte, shoff+uint64(len(f.secs))*shdrSize)
	copy(out, f.ehdr)
	copy(out[ehdrSize:], f.phdrs)
	if len(f.phdrs) > 0 {
		f.order.PutUint64(out[0x20:], ehdrSize)
	}
	for _, s := range f.secs[1:] {
		copy(out[s.Hdr.Offset:], s.data)
	}
	o := f.order
	o.PutUint64(out[0x28:], shoff)
	n := len(f.secs)
	h0 := f.secs[0].Hdr
	if f.extended || n >= int(elf.SHN_LORESERVE) {
		o.PutUint16(out[0x3c:], 0)
		h0.Size = uint64(n)
	} else {
		o.PutUint16(out[0x3c:], uint16(n))
	}
	f.secs[0].Hdr = h0
	for i, s := range f.secs {
		f.putHeader(out[shoff+uint64(i)*shdrSize:], &s.Hdr)
	}
	return out, nil
}

// maxAlign bounds a section's alignment: 1 GiB.
const maxAlign = 1 << 30

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
