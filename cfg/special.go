package cfg

import (
	"fmt"

	"github.com/objcheck/objcheck/arch"
)

// A specialAlt is one entry of a special section (objtool's special_alt).
type specialAlt struct {
	spec              *arch.SpecialSection
	origSec, newSec   *Section
	origOff, newOff   uint64
	origLen, newLen   int
	skipOrig, skipAlt bool
	keyAddend         int64
}

// readSpecials reads every entry of the arch's special sections.
func (p *Program) readSpecials() ([]*specialAlt, *Problem) {
	var alts []*specialAlt
	for i := range p.Arch.Specials {
		spec := &p.Arch.Specials[i]
		sec := p.sectionByName(spec.Name)
		if sec == nil {
			continue
		}
		if uint64(len(sec.Data)) < sec.Size {
			continue // no contents (SHT_NOBITS): nothing to read
		}
		if sec.Size%uint64(spec.EntrySize) != 0 {
			return nil, &Problem{Plain: true, Fatal: true,
				Msg: fmt.Sprintf("%s size not a multiple of %d", sec.Name, spec.EntrySize)}
		}
		var group groupTracker
		for off := uint64(0); off < sec.Size; off += uint64(spec.EntrySize) {
			a, prob := p.readSpecialEntry(spec, sec, off)
			if prob != nil {
				return nil, prob
			}
			if spec.Feature >= 0 {
				group.add(alts, a)
				p.applyFeature(spec, sec, off, a)
			}
			alts = append(alts, a)
		}
	}
	return alts, nil
}

// groupTracker unifies the original lengths of nested alternatives that
// share an original address (objtool's arch_handle_alternative).
type groupTracker struct{ start int }

// add widens a and the entries before it at the same original address to
// their longest original length.
func (g *groupTracker) add(alts []*specialAlt, a *specialAlt) {
	n := len(alts)
	if n > 0 && g.start < n && alts[g.start].origSec == a.origSec && alts[g.start].origOff == a.origOff {
		for _, it := range alts[g.start:] {
			l := max(it.origLen, a.origLen)
			it.origLen, a.origLen = l, l
		}
		return
	}
	g.start = n
}

// applyFeature applies the arch's policy for an entry's CPU feature.
func (p *Program) applyFeature(spec *arch.SpecialSection, sec *Section, off uint64, a *specialAlt) {
	feat := int(p.File.ByteOrder.Uint16(sec.Data[off+uint64(spec.Feature):]))
	switch feat {
	case p.Arch.Alts.UaccessFeature:
		if p.Opts.Uaccess {
			a.skipOrig = true
		} else {
			a.skipAlt = true
		}
	case p.Arch.Alts.SkipOrigFeature:
		a.skipOrig = true
	}
}

// readSpecialEntry reads one entry at off of a special section.
func (p *Program) readSpecialEntry(spec *arch.SpecialSection, sec *Section, off uint64) (*specialAlt, *Problem) {
	a := &specialAlt{spec: spec}
	if spec.Kind == arch.SpecialRange {
		return p.readRangeEntry(spec, sec, off)
	}
	if spec.Kind == arch.SpecialGroup {
		a.origLen = int(sec.Data[off+uint64(spec.OrigLen)])
		a.newLen = int(sec.Data[off+uint64(spec.NewLen)])
	}
	r := p.relocAt(sec, off+uint64(spec.Orig))
	if r == nil {
		return nil, p.funcProblem(sec, off+uint64(spec.Orig), "can't find orig reloc")
	}
	a.origSec, a.origOff = r.Sym.Sec, r.Sym.Value+uint64(r.Addend)
	if spec.Kind != arch.SpecialGroup || a.newLen != 0 {
		r := p.relocAt(sec, off+uint64(spec.New))
		if r == nil {
			return nil, p.funcProblem(sec, off+uint64(spec.New), "can't find new reloc")
		}
		a.newSec, a.newOff = r.Sym.Sec, r.Sym.Value+uint64(r.Addend)
		if a.newOff >= 0x7ffffff0 { // _ASM_EXTABLE_EX
			a.newOff -= 0x7ffffff0
		}
	}
	if spec.Key >= 0 {
		r := p.relocAt(sec, off+uint64(spec.Key))
		if r == nil {
			return nil, p.funcProblem(sec, off+uint64(spec.Key), "can't find key reloc")
		}
		a.keyAddend = r.Addend
	}
	return a, nil
}

// relocAt returns the relocation at exactly off in sec.
func (p *Program) relocAt(sec *Section, off uint64) *Rel {
	r := sec.RelocAt(off)
	if r == nil {
		return nil
	}
	return &Rel{Reloc: r, Sym: p.Syms[r.Sym.Index]}
}

// funcProblem is a fatal problem located at a section offset.
func (p *Program) funcProblem(sec *Section, off uint64, msg string) *Problem {
	return &Problem{Sec: sec, Off: off, Fatal: true, Msg: msg}
}

// sectionByName returns the first section of that name, or nil.
func (p *Program) sectionByName(name string) *Section {
	for _, s := range p.Sections {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// addSpecialAlts turns special section entries into alternative
// successors (objtool's add_special_section_alts).
func (p *Program) addSpecialAlts() *Problem {
	alts, prob := p.readSpecials()
	if prob != nil {
		return prob
	}
	for _, a := range alts {
		if prob := p.addSpecialAlt(a); prob != nil {
			return prob
		}
	}
	return nil
}

// addSpecialAlt attaches one entry's alternative to its original insn.
func (p *Program) addSpecialAlt(a *specialAlt) *Problem {
	orig := p.Find(a.origSec, a.origOff)
	if orig == nil {
		return p.funcProblem(a.origSec, a.origOff, "special: can't find orig instruction")
	}
	var repl *Insn
	group := isGroup(a.spec.Kind)
	if !group || a.newLen != 0 {
		repl = p.Find(a.newSec, a.newOff)
		if repl == nil {
			return p.funcProblem(a.newSec, a.newOff, "special: can't find new instruction")
		}
	}
	switch a.spec.Kind {
	case arch.SpecialGroup, arch.SpecialRange:
		if a.origLen == 0 {
			p.Problems = append(p.Problems, Problem{At: orig, Msg: "empty alternative entry"})
			return nil
		}
		var prob *Problem
		if repl, prob = p.handleGroupAlt(a, orig, repl); prob != nil {
			return prob
		}
	case arch.SpecialJumpLabel:
		var prob *Problem
		if repl, prob = p.handleJumpAlt(a, orig, repl); prob != nil {
			return prob
		}
	}
	p.prependAlt(orig, Alt{Insn: repl, SkipOrig: a.skipOrig})
	if a.skipAlt {
		orig.Flags |= IgnoreAlts
	}
	if a.spec.Kind == arch.SpecialExTable && orig.Kind == arch.Bug {
		if p.resumedTraps == nil {
			p.resumedTraps = map[*Insn]bool{}
		}
		p.resumedTraps[orig] = true
	}
	return nil
}

// handleJumpAlt makes a jump label's other state the alternative: the
// target of a nop, or the fall-through of a jump.
func (p *Program) handleJumpAlt(a *specialAlt, orig, repl *Insn) (*Insn, *Problem) {
	if orig.Kind != arch.Jump && orig.Kind != arch.Nop {
		return nil, &Problem{At: orig, Fatal: true, Msg: "unsupported instruction at jump label"}
	}
	if p.Opts.JumpLabel && a.keyAddend&2 != 0 {
		p.Patches = append(p.Patches, Patch{At: orig, Rel: p.Reloc(orig)})
		orig.Kind = arch.Nop
	}
	p.countJumpLabel(orig)
	if orig.Kind == arch.Nop {
		return repl, nil
	}
	return p.Next(orig), nil
}

// handleGroupAlt sets up the original and replacement groups of an
// alternative (objtool's handle_group_alt) and returns the replacement's
// first instruction (or the padding nop of an empty replacement).
func (p *Program) handleGroupAlt(a *specialAlt, orig, repl *Insn) (*Insn, *Problem) {
	og := p.Group(orig)
	if og == nil {
		og = p.newOrigGroup(a, orig)
	} else if span := uint64(og.Last.Off) + uint64(og.Last.Len) - uint64(og.First.Off); span != uint64(a.origLen) {
		return nil, &Problem{At: orig, Fatal: true,
			Msg: fmt.Sprintf("weirdly overlapping alternative! %d != %d", span, a.origLen)}
	}
	ng := &AltGroup{Orig: og, Shared: og.Shared}
	if a.newLen < a.origLen {
		ng.Nop = p.newNop(a, orig, ng)
	}
	if a.newLen == 0 {
		ng.First = ng.Nop
		return ng.Nop, nil
	}
	var last *Insn
	for in := repl; in != nil && uint64(in.Off) < a.newOff+uint64(a.newLen); in = p.Next(in) {
		last = in
		if orig.Has(IgnoreAlts) {
			in.Flags |= Ignore
		}
		p.placeIn(in, p.Sym(orig))
		p.setGroup(in, ng)
		in.Flags = in.Flags&^inFunc | orig.Flags&inFunc
		if !in.Kind.IsStaticJump() || p.Target(in) == int64(in.Off)+int64(in.Len) {
			continue
		}
		if uint64(p.Target(in)) == a.newOff+uint64(a.newLen) {
			p.setJumpDest(in, p.Next(og.Last))
			if !in.hasJumpDest() {
				return nil, &Problem{At: in, Fatal: true, Msg: "can't find alternative jump destination"}
			}
		}
	}
	if last == nil {
		return nil, p.funcProblem(a.newSec, a.newOff, "can't find last new alternative instruction")
	}
	ng.First, ng.Last = repl, last
	return repl, nil
}

// newOrigGroup makes the group of an alternative's original instructions.
func (p *Program) newOrigGroup(a *specialAlt, orig *Insn) *AltGroup {
	g := &AltGroup{First: orig, Shared: &AltShared{ID: p.numAlts, Len: a.origLen}}
	p.numAlts++
	for in := orig; in != nil && uint64(in.Off) < a.origOff+uint64(a.origLen); in = p.Next(in) {
		p.setGroup(in, g)
		g.Last = in
	}
	return g
}

// newNop makes the nop that pads a replacement shorter than the original.
func (p *Program) newNop(a *specialAlt, orig *Insn, g *AltGroup) *Insn {
	nop := &Insn{
		meta:  uint32(p.newLoc(a.newSec, p.Sym(orig))), // a.newSec is nil for an empty replacement
		Off:   uint32(a.newOff + uint64(a.newLen)),
		Len:   uint8(a.origLen - a.newLen),
		Kind:  arch.Nop,
		Flags: orig.Flags & inFunc,
	}
	p.setGroup(nop, g)
	if orig.Has(IgnoreAlts) {
		nop.Flags |= Ignore
	}
	if p.extraIndex == nil {
		p.extraIndex = map[*Insn]int32{}
	}
	p.extraIndex[nop] = int32(len(p.Insns) + len(p.Extra))
	p.Extra = append(p.Extra, nop)
	return nop
}

// isGroup reports kinds whose entries replace a range of instructions.
func isGroup(k arch.SpecialKind) bool { return k == arch.SpecialGroup || k == arch.SpecialRange }

// readRangeEntry reads a feature-fixup entry: original and replacement
// ranges as addresses relative to the entry (ppc64 FTR_ENTRY_OFFSET).
func (p *Program) readRangeEntry(spec *arch.SpecialSection, sec *Section, off uint64) (*specialAlt, *Problem) {
	a := &specialAlt{spec: spec}
	var ends [4]uint64
	var secs [4]*Section
	for i, field := range []int{spec.Orig, spec.OrigEnd, spec.New, spec.NewEnd} {
		at := off + uint64(field)
		r := p.relocAt(sec, at)
		if r == nil {
			msg := "can't find orig reloc"
			if i >= 2 {
				msg = "can't find new reloc"
			}
			return nil, p.funcProblem(sec, at, msg)
		}
		secs[i], ends[i] = r.Sym.Sec, r.Sym.Value+uint64(r.Addend)-uint64(field)
	}
	a.origSec, a.origOff, a.origLen = secs[0], ends[0], int(ends[1]-ends[0])
	a.newSec, a.newOff, a.newLen = secs[2], ends[2], int(ends[3]-ends[2])
	if secs[1] != secs[0] || secs[3] != secs[2] || ends[1] < ends[0] || ends[3] < ends[2] {
		return nil, p.funcProblem(sec, off, "bad feature fixup entry")
	}
	return a, nil
}
