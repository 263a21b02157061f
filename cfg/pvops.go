package cfg

import (
	"debug/elf"
	"fmt"
	"strings"
)

// Paravirt calls under --noinstr.
//
// A paravirt call (call *pv_ops+N(%rip)) from noinstr code is allowed when
// every function the pv_ops slot may hold is noinstr. objtool learns the
// functions from the initialisers of pv_ops and of Xen's xen_cpu_ops,
// xen_irq_ops and xen_mmu_ops (each relocation in the table is the slot
// at its offset in that table), and from the "movq $func, pv_ops+N(%rip)"
// that .init.text code uses to install other ones. _paravirt_nop and
// _paravirt_ident_64 never count (they are patched into native code). A
// function joins the first slot it is found for and no other, and a slot
// lists its functions the last found first. The first call through a slot
// checks its functions, warning "pv_ops[N]: func" for each that is not
// noinstr; a slot found clean stays clean, one that is not is checked
// again at every call.

// PvOps is objtool's view of the pv_ops table: nil in Program unless the
// object has a pv_ops symbol and --noinstr is given.
type PvOps struct {
	// Slots has one entry per pointer of the pv_ops symbol.
	Slots []PvSlot
	added map[*Symbol]bool
}

// A PvSlot is one pointer of pv_ops.
type PvSlot struct {
	// Targets are the functions the slot may hold, the last found first.
	Targets []*Symbol
	clean   bool
}

// pvOpsTables are the tables whose initialisers objtool reads, in order.
var pvOpsTables = []string{"pv_ops", "xen_cpu_ops", "xen_irq_ops", "xen_mmu_ops"}

// The functions that paravirt patching replaces by native code.
var pvPatched = map[string]bool{"_paravirt_nop": true, "_paravirt_ident_64": true}

// decodeInsnsPvOps reads the pv_ops initialisers, decodes the
// instructions, and records the functions .init.text installs in pv_ops,
// in objtool's order (init_pv_ops, then decode_instructions).
func (p *Program) decodeInsnsPvOps() *Problem {
	if p.Opts.Noinstr {
		p.readPvOps()
	}
	start := len(p.Problems)
	prob := p.decodeInsns()
	if p.PvOps == nil || !p.Arch.PvOpsStores {
		return prob
	}
	if at, ok := p.readPvOpsStores(); !ok {
		// objtool stops decoding there: the notes of later instructions
		// and any later problem are never printed.
		p.Problems = p.Problems[:start+p.notesBefore(at)]
		return &Problem{Plain: true, Fatal: true, Msg: "no func for pv_ops[]"}
	}
	return prob
}

// readPvOps sets up p.PvOps from the initialisers of the pv_ops tables.
func (p *Program) readPvOps() {
	sym := p.SymbolByName("pv_ops")
	if sym == nil {
		return
	}
	p.PvOps = &PvOps{Slots: make([]PvSlot, sym.Len/8), added: map[*Symbol]bool{}}
	for _, name := range pvOpsTables {
		t := p.SymbolByName(name)
		if t == nil || t.Sec == nil {
			continue
		}
		for off, end := t.Offset, t.Offset+t.Len; off < end; {
			r := t.Sec.RelocInRange(off, end-off)
			if r == nil {
				break
			}
			fn := p.Syms[r.Sym.Index]
			if fn.Type == elf.STT_SECTION {
				fn = nil
				if s := p.Syms[r.Sym.Index].Sec; s != nil {
					fn = s.SymbolAt(uint64(r.Addend))
				}
			}
			p.PvOps.add(int64((r.Offset-t.Offset)/8), fn)
			off = r.Offset + 1
		}
	}
}

// add records fn as a possible target of slot idx (objtool_pv_add).
func (pv *PvOps) add(idx int64, fn *Symbol) {
	// objtool would crash without a function, and write out of its table
	// with a slot it does not have.
	if fn == nil || idx < 0 || idx >= int64(len(pv.Slots)) || pvPatched[fn.Name] || pv.added[fn] {
		return
	}
	pv.added[fn] = true
	s := &pv.Slots[idx]
	s.Targets = append([]*Symbol{fn}, s.Targets...)
	s.clean = false
}

// readPvOpsStores records the functions stored into pv_ops by the 11-byte
// "movq $func, pv_ops+N(%rip)" (REX.W c7 05, the displacement relocated
// against pv_ops, the immediate against the function) of the sections
// named .init.text*. It returns false, with the instruction, where the
// immediate's section holds no symbol at its offset: objtool's decoding
// fails there.
func (p *Program) readPvOpsStores() (*Insn, bool) {
	for _, s := range p.Sections {
		if !s.Code || !strings.HasPrefix(s.Name, ".init.text") {
			continue
		}
		for i := s.First; i < s.End; i++ {
			in := &p.Insns[i]
			if in.Len != 3+4+4 || opcodeByte(s.Data[in.Off:uint64(in.Off)+uint64(in.Len)]) != 0xc7 {
				continue
			}
			dr := s.RelocAt(uint64(in.Off) + 3)
			if dr == nil || p.Syms[dr.Sym.Index].Name != "pv_ops" {
				continue
			}
			ir := s.RelocAt(uint64(in.Off) + 7)
			if ir == nil {
				continue // objtool would crash
			}
			fn := p.Syms[ir.Sym.Index]
			if fn.Type == elf.STT_SECTION {
				fn = nil
				if sec := p.Syms[ir.Sym.Index].Sec; sec != nil {
					fn = sec.SymbolAt(uint64(ir.Addend))
				}
				if fn == nil {
					return in, false
				}
			}
			p.PvOps.add(int64(int32(uint64(dr.Addend+8)/8)), fn)
		}
	}
	return nil, true
}

// opcodeByte returns the first opcode byte of a legacy-encoded x86
// instruction: after an emulation prefix, the legacy prefixes and a REX
// prefix; 0 for a VEX or EVEX one, which objtool does not classify.
func opcodeByte(code []byte) byte {
	if len(code) >= 5 && code[0] == 0x0f && code[1] == 0x0b &&
		(string(code[2:5]) == "xen" || string(code[2:5]) == "kvm") {
		code = code[5:]
	}
	for len(code) > 0 {
		switch code[0] {
		case 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3:
			code = code[1:]
			continue
		}
		break
	}
	if len(code) > 0 && code[0]&0xf0 == 0x40 {
		code = code[1:]
	}
	if len(code) == 0 || code[0] == 0xc4 || code[0] == 0xc5 || code[0] == 0x62 {
		return 0
	}
	return code[0]
}

// notesBefore counts the decoder's notes (Arch.Notes) on the instructions
// decoded before at.
func (p *Program) notesBefore(at *Insn) int {
	n := 0
	for i := range p.Insns[:p.IndexOf(at)] {
		flags := p.AFlags(&p.Insns[i])
		for _, note := range p.Arch.Notes {
			if flags&note.Flag != 0 {
				n++
			}
		}
	}
	return n
}

// PvCallDest reports whether the dynamic call in may run from noinstr
// code because it goes through a pv_ops slot whose functions are all
// noinstr (objtool's pv_call_dest). It prints through warn, as objtool
// does, each function of the slot that is not, whenever the slot is not
// known to be clean.
func (p *Program) PvCallDest(in *Insn, warn func(string)) bool {
	r := p.Reloc(in)
	if p.PvOps == nil || r == nil || r.Sym.Name != "pv_ops" {
		return false
	}
	// objtool's index: the addend as an int, plus 4, divided unsigned.
	idx := int64(int32(uint64(int64(int32(r.Addend)+4)) / 8))
	if idx < 0 || idx >= int64(len(p.PvOps.Slots)) {
		return false // objtool reads outside its table
	}
	s := &p.PvOps.Slots[idx]
	if s.clean {
		return true
	}
	s.clean = true
	for _, t := range s.Targets {
		if t.Sec == nil || !t.Sec.Noinstr {
			warn(fmt.Sprintf("pv_ops[%d]: %s", idx, t.Name))
			s.clean = false
		}
	}
	return s.clean
}
