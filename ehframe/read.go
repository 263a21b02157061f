package ehframe

import (
	"debug/elf"
	"fmt"
	"strings"

	"github.com/objcheck/objcheck/decode"
)

// Read returns the FDEs of f's .eh_frame, or of its .debug_frame when it
// has no .eh_frame, in the order of the section; nil, nil when it has
// neither, or the section has no contents. Code addresses are resolved
// through the relocations at the FDEs' fields, so f must be a relocatable
// object. A malformed entry gives an *Error naming the section and offset,
// never a panic; rules this package does not evaluate (DWARF expressions)
// come back as Expression.
func Read(f *decode.File) (fdes []FDE, err error) {
	// read itself never panics, and the fuzz tests check it without this
	// guard: the recover is a last defence, so that a bug found in the
	// field costs one object its CFI and not the whole run.
	defer func() {
		if r := recover(); r != nil {
			fdes, err = nil, &Error{Section: "frame section", Msg: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	return read(f)
}

// read is Read without the recover.
func read(f *decode.File) ([]FDE, error) {
	sec := f.SectionByName(".eh_frame")
	if sec == nil {
		sec = f.SectionByName(".debug_frame")
	}
	if sec == nil || sec.Type == elf.SHT_NOBITS || len(sec.Data) == 0 {
		return nil, nil
	}
	p := &parser{
		f:    f,
		sec:  sec,
		eh:   sec.Name == ".eh_frame",
		cies: map[uint64]*cie{},
		rows: make([]Row, 0, len(sec.Data)/8), // GCC's rows average 9 bytes
	}
	if f.Arch != nil {
		p.fpReg, p.trackFP, p.negateRA = f.Arch.DWARF.FP, true, f.Arch.DWARF.NegateRA
	}
	return p.entries()
}

// A parser reads one frame section.
type parser struct {
	f       *decode.File
	sec     *decode.Section // .eh_frame or .debug_frame
	eh      bool            // sec is .eh_frame
	cies    map[uint64]*cie // by offset, as read
	fpReg   uint16
	trackFP bool // a File without an Arch tracks no frame pointer
	// negateRA is set where negate_ra_state is defined.
	negateRA bool
	rows     []Row   // every FDE's rows, one after the other
	stack    []state // remember_state's stack, reused across FDEs
}

// An entry is the frame of one CIE or FDE: where its length field is,
// and what follows it.
type entry struct {
	off     uint64 // of the length field
	idOff   uint64 // of the CIE id or CIE pointer
	id      uint64 // that field's value
	end     uint64 // just past the entry
	dwarf64 bool
}

// maxStack caps remember_state's nesting.
const maxStack = 64

// entries walks the section, reading every FDE and the CIEs they use.
func (p *parser) entries() ([]FDE, error) {
	data := p.sec.Data
	fdes := make([]FDE, 0, len(data)/48+1) // GCC's FDEs average 56 bytes
	for off := uint64(0); off < uint64(len(data)); {
		e, err := p.entry(off)
		if err != nil {
			return nil, err
		}
		off = e.end
		if e.end == e.idOff { // a zero terminator
			continue
		}
		if p.isCIE(e) {
			if _, err := p.cieAt(e.off, e.off); err != nil {
				return nil, err
			}
			continue
		}
		fde, err := p.fde(e)
		if err != nil {
			return nil, err
		}
		fdes = append(fdes, fde)
	}
	// Rows of FDEs read before p.rows last grew are in older arrays:
	// point every FDE into the final one, so the older ones are freed.
	lo := 0
	for i := range fdes {
		hi := lo + len(fdes[i].Rows)
		fdes[i].Rows = p.rows[lo:hi:hi]
		lo = hi
	}
	return fdes, nil
}

// entry reads the length and id fields of the entry at off. A zero length
// (the terminator .eh_frame may hold, even in the middle after ld -r)
// gives an entry that ends at its id.
func (p *parser) entry(off uint64) (entry, error) {
	cur := p.cursor(off, uint64(len(p.sec.Data)))
	c := &cur
	e := entry{off: off}
	n := uint64(c.u32())
	if n == 0xffffffff {
		e.dwarf64 = true
		n = c.u64()
	} else if n >= 0xfffffff0 {
		return e, p.errorf(off, "reserved length %#x", n)
	}
	if c.bad {
		return e, p.errorf(off, "entry header runs past the end of the section")
	}
	e.idOff = c.off
	if n > c.end-c.off {
		return e, p.errorf(off, "entry length %#x runs past the end of the section", n)
	}
	e.end = c.off + n
	if n == 0 {
		return e, nil
	}
	c.end = e.end
	if e.dwarf64 {
		e.id = c.u64()
	} else {
		e.id = uint64(c.u32())
	}
	if c.bad {
		return e, p.errorf(off, "entry too short for its CIE id")
	}
	return e, nil
}

// isCIE reports whether e is a CIE: id 0 in .eh_frame, all ones in
// .debug_frame.
func (p *parser) isCIE(e entry) bool {
	if p.eh {
		return e.id == 0
	}
	if e.dwarf64 {
		return e.id == ^uint64(0)
	}
	return e.id == 0xffffffff
}

// cursor returns a cursor over the section from off to end.
func (p *parser) cursor(off, end uint64) cursor {
	return cursor{data: p.sec.Data, off: off, end: end, order: p.f.ByteOrder}
}

// errorf makes an *Error at offset off of the section.
func (p *parser) errorf(off uint64, format string, args ...any) *Error {
	return &Error{Section: p.sec.Name, Off: off, Msg: fmt.Sprintf(format, args...)}
}

// A cie is what FDEs take from their CIE.
type cie struct {
	off       uint64
	codeAlign uint64
	dataAlign int64
	raReg     uint16
	fdeEnc    uint8 // pointer encoding of the FDE's addresses (.eh_frame)
	addrSize  uint8 // of addresses in .debug_frame
	aug       bool  // augmentation "z": FDEs have augmentation data
	signal    bool
	init      state // the rules after the initial instructions
}

// cieAt returns the CIE at off, reading it the first time.
func (p *parser) cieAt(off uint64, from uint64) (*cie, error) {
	if c := p.cies[off]; c != nil {
		return c, nil
	}
	if off >= uint64(len(p.sec.Data)) {
		return nil, p.errorf(from, "CIE pointer %#x is past the end of the section", off)
	}
	e, err := p.entry(off)
	if err != nil {
		return nil, err
	}
	if e.end == e.idOff || !p.isCIE(e) {
		return nil, p.errorf(from, "CIE pointer %#x does not point to a CIE", off)
	}
	c, err := p.cie(e)
	if err != nil {
		return nil, err
	}
	p.cies[off] = c
	return c, nil
}

// cie reads the CIE e and runs its initial instructions.
func (p *parser) cie(e entry) (*cie, error) {
	cur := p.cursor(e.idOff+idSize(e), e.end)
	c := &cur
	ci := &cie{off: e.off, fdeEnc: encAbsptr, addrSize: 8}
	augmentation, err := p.cieHeader(c, ci)
	if err != nil {
		return nil, err
	}
	if err := p.augmentation(c, ci, augmentation); err != nil {
		return nil, err
	}
	ci.init = state{cfa: Rule{Kind: Undefined}, ra: Rule{Kind: SameValue}, fp: Rule{Kind: SameValue}}
	m := machine{p: p, ci: ci, cur: ci.init}
	if err := m.run(c); err != nil {
		return nil, err
	}
	ci.init = m.cur
	return ci, nil
}

// cieHeader reads a CIE's fields from its version to its return-address
// register into ci, and returns its augmentation string.
func (p *parser) cieHeader(c *cursor, ci *cie) ([]byte, error) {
	version := c.u8()
	if version != 1 && version != 3 && version != 4 && !c.bad {
		return nil, p.errorf(ci.off, "CIE version %d is not 1, 3 or 4", version)
	}
	augmentation := c.cstring()
	if version == 4 {
		ci.addrSize = c.u8()
		if seg := c.u8(); seg != 0 && !c.bad {
			return nil, p.errorf(ci.off, "CIE segment selector size %d is not 0", seg)
		}
		if ci.addrSize != 4 && ci.addrSize != 8 && !c.bad {
			return nil, p.errorf(ci.off, "CIE address size %d is not 4 or 8", ci.addrSize)
		}
	}
	ci.codeAlign = c.uleb()
	ci.dataAlign = c.sleb()
	var ra uint64
	if version == 1 {
		ra = uint64(c.u8())
	} else {
		ra = c.uleb()
	}
	switch {
	case c.bad:
		return nil, p.errorf(c.badAt, "CIE header runs past the end of its entry")
	case ra > 0xffff:
		return nil, p.errorf(ci.off, "return address register %d out of range", ra)
	}
	ci.raReg = uint16(ra)
	return augmentation, nil
}

// Pointer encodings (DW_EH_PE_*): the low nibble is the format, the high
// one how the value applies.
const (
	encAbsptr   = 0x00
	encUleb128  = 0x01
	encUdata2   = 0x02
	encUdata4   = 0x03
	encUdata8   = 0x04
	encSleb128  = 0x09
	encSdata2   = 0x0a
	encSdata4   = 0x0b
	encSdata8   = 0x0c
	encPcrel    = 0x10
	encOmit     = 0xff
	encFormat   = 0x0f
	encApply    = 0x70
	encIndirect = 0x80
)

// augmentation reads the augmentation data of CIE ci, whose string is s,
// leaving c at the initial instructions.
func (p *parser) augmentation(c *cursor, ci *cie, s []byte) error {
	if len(s) == 0 {
		return nil
	}
	if s[0] != 'z' {
		return p.errorf(ci.off, "unsupported augmentation %q", s)
	}
	ci.aug = true
	n := c.uleb()
	if c.bad || n > c.end-c.off {
		return p.errorf(ci.off, "augmentation data runs past the end of the CIE")
	}
	cur := p.cursor(c.off, c.off+n)
	data := &cur
	c.off += n
	for _, ch := range s[1:] {
		switch ch {
		case 'R':
			ci.fdeEnc = data.u8()
		case 'L':
			data.u8() // LSDA encoding: the pointer is skipped with the FDE's data
		case 'P':
			enc := data.u8()
			if _, err := p.pointer(data, enc, ci.addrSize); err != nil {
				return p.errorf(ci.off, "personality: %v", err)
			}
		case 'S':
			ci.signal = true
		case 'B', 'G': // arm64: B key for return addresses; MTE-tagged frame
		default: // the rest is skipped by its length, as unwinders do
			return p.checkData(data, ci)
		}
	}
	return p.checkData(data, ci)
}

// checkData reports an augmentation whose data ran past its length.
func (p *parser) checkData(data *cursor, ci *cie) error {
	if data.bad {
		return p.errorf(data.badAt, "augmentation data of the CIE at %#x is too short", ci.off)
	}
	if strings.IndexByte("\x00\x01\x02\x03\x04\x09\x0a\x0b\x0c", ci.fdeEnc&encFormat) < 0 ||
		ci.fdeEnc&^(encFormat|encPcrel) != 0 {
		return p.errorf(ci.off, "unsupported FDE pointer encoding %#x", ci.fdeEnc)
	}
	return nil
}

// pointer reads a value in encoding enc's format, not applied: the raw
// field, sign-extended when the format is signed.
func (p *parser) pointer(c *cursor, enc, addrSize uint8) (uint64, error) {
	switch enc & encFormat {
	case encAbsptr:
		if addrSize == 4 {
			return uint64(c.u32()), nil
		}
		return c.u64(), nil
	case encUleb128:
		return c.uleb(), nil
	case encUdata2:
		return uint64(c.u16()), nil
	case encUdata4:
		return uint64(c.u32()), nil
	case encUdata8, encSdata8:
		return c.u64(), nil
	case encSleb128:
		return uint64(c.sleb()), nil
	case encSdata2:
		return uint64(int16(c.u16())), nil
	case encSdata4:
		return uint64(int32(c.u32())), nil
	}
	return 0, fmt.Errorf("unsupported pointer encoding %#x", enc)
}
