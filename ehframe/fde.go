package ehframe

import (
	"debug/elf"

	"github.com/objcheck/objcheck/decode"
)

// fde reads the FDE e and runs its program, appending its rows to p.rows.
// The FDE's Rows are those of the array p.rows has at the time.
func (p *parser) fde(e entry) (FDE, error) {
	ci, err := p.cieOf(e)
	if err != nil {
		return FDE{}, err
	}
	cur := p.cursor(e.idOff+idSize(e), e.end)
	c := &cur
	sec, start, err := p.address(c, ci, e.off, "start address")
	if err != nil {
		return FDE{}, err
	}
	enc := ci.fdeEnc & encFormat
	if !p.eh {
		enc = encAbsptr
	}
	length, _ := p.pointer(c, enc, ci.addrSize)
	if ci.aug {
		c.take(c.uleb()) // the LSDA pointer and the like
	}
	if c.bad {
		return FDE{}, p.errorf(e.off, "FDE header runs past the end of its entry")
	}
	if start > sec.Size || length > sec.Size-start {
		return FDE{}, p.errorf(e.off, "FDE range %#x+%#x is outside %s (%#x bytes)", start, length, sec.Name, sec.Size)
	}
	m := machine{p: p, ci: ci, sec: sec, end: start + length, loc: start, cur: ci.init, first: len(p.rows)}
	if err := m.run(c); err != nil {
		return FDE{}, err
	}
	m.emit()
	return FDE{
		Section: sec, Start: start, End: start + length, RAReg: ci.raReg, Signal: ci.signal, Offset: e.off,
		Rows: p.rows[m.first:len(p.rows):len(p.rows)], // moved to the final array by entries
	}, nil
}

// idSize is the size of e's CIE id or pointer field.
func idSize(e entry) uint64 {
	if e.dwarf64 {
		return 8
	}
	return 4
}

// cieOf returns the CIE of FDE e. In .eh_frame the pointer counts back
// from its own field; in .debug_frame it is an offset in the section,
// which in a relocatable object a relocation against the section holds.
func (p *parser) cieOf(e entry) (*cie, error) {
	if p.eh {
		if e.id > e.idOff {
			return nil, p.errorf(e.off, "CIE pointer %#x points before the section", e.id)
		}
		return p.cieAt(e.idOff-e.id, e.off)
	}
	off := e.id
	if r := p.sec.RelocAt(e.idOff); r != nil && r.Type != 0 {
		if r.Sym == nil || r.Sym.Section != p.sec {
			return nil, p.errorf(e.off, "CIE pointer is relocated against a symbol outside %s", p.sec.Name)
		}
		off = r.Sym.Value + uint64(r.Addend)
		if p.implicitAddends() {
			off += e.id
		}
	}
	return p.cieAt(off, e.off)
}

// implicitAddends reports whether the frame section's relocations are
// SHT_REL, whose addends are the fields' own contents.
func (p *parser) implicitAddends() bool {
	return p.sec.Rela != nil && p.sec.Rela.Type == elf.SHT_REL
}

// address reads an FDE's code address (what names it in messages) and
// resolves it through the relocation at its field: the relocation's symbol
// gives the section, its value plus the addend the offset. For a
// pc-relative field the relocation computes S+A-P, and decoding adds P
// back, so the target is S+A all the same.
func (p *parser) address(c *cursor, ci *cie, entryOff uint64, what string) (*decode.Section, uint64, error) {
	at := c.off
	enc := ci.fdeEnc
	if !p.eh {
		enc = encAbsptr
	}
	raw, _ := p.pointer(c, enc, ci.addrSize)
	if c.bad {
		return nil, 0, p.errorf(entryOff, "FDE %s runs past the end of its entry", what)
	}
	r := p.sec.RelocAt(at)
	if r == nil || r.Type == 0 {
		return nil, 0, p.errorf(at, "FDE %s has no relocation to tie it to code", what)
	}
	if r.Sym == nil || r.Sym.Section == nil {
		return nil, 0, p.errorf(at, "FDE %s is relocated against a symbol defined in no section", what)
	}
	v := r.Sym.Value + uint64(r.Addend)
	if p.implicitAddends() {
		v += raw
	}
	return r.Sym.Section, v, nil
}
