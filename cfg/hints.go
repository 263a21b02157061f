package cfg

import (
	"debug/elf"
	"fmt"

	"github.com/objcheck/objcheck/arch"
)

// hintSize is the size of struct unwind_hint, padding included.
const hintSize = 12

// A Hint is an unwind hint attached to an instruction.
type Hint struct {
	At     *Insn
	Type   uint8
	Base   int // the CFA base register or pseudo base, from sp_reg
	SPOff  int16
	Signal uint8
}

// readUnwindHints reads .discard.unwind_hints into p.HintList and marks
// the instructions (objtool's read_unwind_hints, but the stack states are
// built by the checker).
func (p *Program) readUnwindHints() *Problem {
	sec := p.sectionByName(".discard.unwind_hints")
	if sec == nil {
		return nil
	}
	if sec.Rela == nil {
		return &Problem{Plain: true, Fatal: true, Msg: "missing .rela.discard.unwind_hints section"}
	}
	if sec.Size%hintSize != 0 || uint64(len(sec.Data)) < sec.Size {
		return &Problem{Plain: true, Fatal: true, Msg: "struct unwind_hint size mismatch"}
	}
	p.Hints = true
	for i := 0; uint64(i)*hintSize < sec.Size; i++ {
		if prob := p.readHint(sec, i); prob != nil {
			return prob
		}
	}
	return nil
}

// readHint reads hint i.
func (p *Program) readHint(sec *Section, i int) *Problem {
	off := uint64(i) * hintSize
	r := p.relocAt(sec, off)
	if r == nil {
		return &Problem{Plain: true, Fatal: true, Msg: fmt.Sprintf("can't find reloc for unwind_hints[%d]", i)}
	}
	var at uint64
	switch {
	case r.Sym.Type == elf.STT_SECTION:
		at = uint64(r.Addend)
	case r.Sym.Has(SymLocalLabel):
		at = r.Sym.Value
	default:
		return &Problem{Plain: true, Fatal: true, Msg: "unexpected relocation symbol type in " + sec.Rela.Name}
	}
	in := p.Find(r.Sym.Sec, at)
	if in == nil {
		return &Problem{Plain: true, Fatal: true, Msg: fmt.Sprintf("can't find insn for unwind_hints[%d]", i)}
	}
	d := sec.Data[off : off+hintSize]
	h := &Hint{At: in, SPOff: int16(p.File.ByteOrder.Uint16(d[4:])), Type: d[7], Signal: d[8]}
	spReg := d[6]
	in.Flags |= HasHint
	switch h.Type {
	case HintSave:
		in.Flags = in.Flags&^HasHint | Save
		return nil
	case HintRestore:
		in.Flags |= Restore
		return nil
	case HintRegsPartial:
		p.checkIretEndbr(in)
	}
	if h.Type != HintUndefined && h.Type != HintFunc {
		base, ok := p.Arch.HintBase[spReg]
		if !ok {
			return &Problem{At: in, Fatal: true, Msg: fmt.Sprintf("unsupported unwind_hint sp base reg %d", spReg)}
		}
		h.Base = base
	}
	p.HintList = append(p.HintList, h)
	return nil
}

// checkIretEndbr warns about a global IRET_REGS hint without an ENDBR.
func (p *Program) checkIretEndbr(in *Insn) {
	sym := p.Sec(in).SymbolAt(uint64(in.Off))
	if sym != nil && sym.Bind == elf.STB_GLOBAL && p.Opts.IBT && in.Kind != arch.Endbr && !in.Has(Noendbr) {
		p.Problems = append(p.Problems, Problem{At: in, Msg: "UNWIND_HINT_IRET_REGS without ENDBR"})
	}
}
