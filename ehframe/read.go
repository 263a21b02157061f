package ehframe

import (
	"encoding/binary"

	"github.com/objcheck/objcheck/decode"
)

// maxRows bounds the rows of one FDE, and maxStates the remembered states,
// so a hostile section cannot make Read allocate without limit.
const (
	maxRows   = 1 << 16
	maxStates = 64
)

// Read returns the frame tables of f: from .eh_frame, else from
// .debug_frame; nil, nil when it has neither. FDEs whose start address has
// no relocation (nothing to tie them to code) are left out.
func Read(f *decode.File) ([]FDE, error) {
	sec := f.SectionByName(".eh_frame")
	eh := true
	if sec == nil {
		sec, eh = f.SectionByName(".debug_frame"), false
	}
	if sec == nil || sec.Data == nil {
		return nil, nil
	}
	r := &reader{f: f, sec: sec, eh: eh, order: f.ByteOrder, cies: map[uint64]*cie{}}
	return r.readAll()
}

// A reader walks one frame section.
type reader struct {
	f     *decode.File
	sec   *decode.Section
	eh    bool // .eh_frame rather than .debug_frame
	order binary.ByteOrder
	cies  map[uint64]*cie
}

// A cie holds what an FDE takes from its CIE.
type cie struct {
	codeAlign uint64
	dataAlign int64
	raReg     uint16
	fdeEnc    uint8
	hasAug    bool
	signal    bool
	initial   []byte
}

// errAt makes an Error at off.
func (r *reader) errAt(off uint64, msg string) error {
	return &Error{Section: r.sec.Name, Off: off, Msg: msg}
}

// readAll reads every entry of the section.
func (r *reader) readAll() ([]FDE, error) {
	var fdes []FDE
	data := r.sec.Data
	for off := uint64(0); off < uint64(len(data)); {
		c := &cursor{data: data, off: off, end: uint64(len(data)), order: r.order}
		length := uint64(c.u32())
		if c.bad {
			return nil, r.errAt(off, "truncated entry length")
		}
		if length == 0 {
			if r.eh {
				break // the .eh_frame terminator
			}
			off = c.off
			continue
		}
		if length == 0xffffffff {
			return nil, r.errAt(off, "64-bit DWARF frame entries are not supported")
		}
		if length > c.end-c.off {
			return nil, r.errAt(off, "entry past the end of the section")
		}
		c.end = c.off + length
		fde, err := r.readEntry(c, off)
		if err != nil {
			return nil, err
		}
		if fde != nil {
			fdes = append(fdes, *fde)
		}
		off = c.end
	}
	return fdes, nil
}

// readEntry reads the CIE or FDE whose length field is at off.
func (r *reader) readEntry(c *cursor, off uint64) (*FDE, error) {
	idOff := c.off
	id := uint64(c.u32())
	isCIE := r.eh && id == 0 || !r.eh && id == 0xffffffff
	if isCIE {
		ci, err := r.readCIE(c, off)
		if err != nil {
			return nil, err
		}
		r.cies[off] = ci
		return nil, nil
	}
	cieOff := id
	if r.eh {
		if id > idOff {
			return nil, r.errAt(off, "CIE pointer before the section")
		}
		cieOff = idOff - id
	}
	ci, ok := r.cies[cieOff]
	if !ok {
		return nil, r.errAt(off, "FDE names no CIE read before it")
	}
	return r.readFDE(c, off, ci)
}

// readCIE reads a CIE's fields and augmentation.
func (r *reader) readCIE(c *cursor, off uint64) (*cie, error) {
	ci := &cie{fdeEnc: 0}
	version := c.u8()
	aug := c.cstring()
	if !r.eh && version >= 4 {
		c.u8() // address size
		c.u8() // segment selector size
	}
	ci.codeAlign = c.uleb()
	ci.dataAlign = c.sleb()
	if version == 1 {
		ci.raReg = uint16(c.u8())
	} else {
		ci.raReg = uint16(c.uleb())
	}
	if c.bad {
		return nil, r.errAt(off, "truncated CIE")
	}
	if err := r.readAugmentation(c, off, aug, ci); err != nil {
		return nil, err
	}
	ci.initial = c.data[c.off:c.end]
	return ci, nil
}

// readAugmentation reads the "z" augmentation data of a CIE.
func (r *reader) readAugmentation(c *cursor, off uint64, aug string, ci *cie) error {
	if len(aug) == 0 {
		return nil
	}
	if aug[0] != 'z' {
		return r.errAt(off, "unsupported CIE augmentation "+aug)
	}
	ci.hasAug = true
	n := c.uleb()
	end := c.off + n
	if c.bad || n > c.end-c.off {
		return r.errAt(off, "truncated CIE augmentation")
	}
	for _, a := range aug[1:] {
		switch a {
		case 'R':
			ci.fdeEnc = c.u8()
		case 'L':
			c.u8()
		case 'P':
			enc := c.u8()
			c.take(encSize(enc))
		case 'S':
			ci.signal = true
		}
	}
	c.off = end
	return nil
}

// encSize is the size of a pointer in DWARF encoding enc.
func encSize(enc uint8) uint64 {
	switch enc & 0x0f {
	case 0x02, 0x0a:
		return 2
	case 0x03, 0x0b:
		return 4
	default:
		return 8
	}
}

// readFDE reads an FDE and runs its CFA program.
func (r *reader) readFDE(c *cursor, off uint64, ci *cie) (*FDE, error) {
	startField := c.off
	size := uint64(8)
	if r.eh {
		size = encSize(ci.fdeEnc)
	}
	c.take(size)
	rng := c.take(size)
	if ci.hasAug {
		n := c.uleb()
		c.take(n)
	}
	if c.bad {
		return nil, r.errAt(off, "truncated FDE")
	}
	rel := r.sec.RelocAt(startField)
	if rel == nil || rel.Sym == nil || rel.Sym.Section == nil {
		return nil, nil
	}
	fde := &FDE{Section: rel.Sym.Section, RAReg: ci.raReg, Signal: ci.signal, Offset: off}
	fde.Start = rel.Sym.Value + uint64(rel.Addend)
	fde.End = fde.Start + readUint(r.order, rng)
	m := &machine{ci: ci, order: r.order, fp: fpRegOf(r.f), loc: fde.Start}
	m.init()
	if err := m.run(ci.initial); err != nil {
		return nil, r.errAt(off, "CIE program: "+err.Error())
	}
	m.initState = m.cur
	if err := m.run(c.data[c.off:c.end]); err != nil {
		return nil, r.errAt(off, err.Error())
	}
	m.flush()
	fde.Rows = trimRows(m.rows, fde.End)
	if len(fde.Rows) == 0 {
		return nil, nil
	}
	return fde, nil
}

// readUint reads a 2-, 4- or 8-byte unsigned value.
func readUint(order binary.ByteOrder, b []byte) uint64 {
	switch len(b) {
	case 2:
		return uint64(order.Uint16(b))
	case 4:
		return uint64(order.Uint32(b))
	case 8:
		return order.Uint64(b)
	}
	return 0
}

// fpRegOf returns the frame-pointer column tracked for f's machine.
func fpRegOf(f *decode.File) uint16 {
	fp, _ := FPReg(f.Machine)
	return fp
}

// trimRows drops rows at or past end.
func trimRows(rows []Row, end uint64) []Row {
	n := 0
	for _, row := range rows {
		if row.Off < end {
			rows[n] = row
			n++
		}
	}
	return rows[:n]
}
