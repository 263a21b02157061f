package cfg

import (
	"errors"
	"sort"

	"github.com/objcheck/objcheck/arch"
)

// findSwitches asks the arch to recover the switch table of each dynamic
// jump of section s (machines whose tables carry no relocations), drops
// the instructions decoded from inline table data, and remembers each
// table's targets for addJumpTableAlts. Each query knows the inline
// tables found before it: their words are not code its paths run through.
func (p *Program) findSwitches(s *Section) {
	if p.Arch.FindSwitch == nil {
		return
	}
	var data []arch.Range
	var steps []arch.Step
	tables := map[uint64][]uint64{}
	for i := s.First; i < len(p.Insns); i++ {
		in := &p.Insns[i]
		if in.Kind != arch.JumpDynamic {
			continue
		}
		fn := s.FuncContaining(uint64(in.Off))
		if fn == nil {
			continue
		}
		if steps == nil {
			steps = p.switchSteps(s)
		}
		q := p.switchQuery(s, fn.Offset, uint64(in.Off))
		q.InTable = func(off uint64) bool { return inRanges(data, off) }
		q.Steps = steps
		t, err := p.Arch.FindSwitch(q)
		switch {
		case errors.Is(err, arch.ErrNoSwitchBound) || err == nil && t != nil && len(t.Targets) == 0:
			tables[uint64(in.Off)] = nil
		case err != nil || t == nil:
			continue
		default:
			tables[uint64(in.Off)] = t.Targets
			data = append(data, t.Data...)
			sortRanges(data)
		}
	}
	p.dropData(s, data)
	for i := s.First; i < len(p.Insns); i++ {
		in := &p.Insns[i]
		if targets, ok := tables[uint64(in.Off)]; ok && in.Kind == arch.JumpDynamic {
			in.Flags |= SwitchJump
			p.switches[i] = targets
		}
	}
}

// switchSteps returns what a switch finder's search needs of the instructions
// of section s (the last decoded), without the words that are not code.
func (p *Program) switchSteps(s *Section) []arch.Step {
	steps := make([]arch.Step, 0, len(p.Insns)-s.First)
	for i := s.First; i < len(p.Insns); i++ {
		in := &p.Insns[i]
		if in.Flags&NotCode == 0 {
			steps = append(steps, arch.Step{Off: uint64(in.Off), Target: p.Target(in), Len: in.Len,
				Kind: in.Kind, HasTarget: in.HasTarget(), Flags: p.AFlags(in)})
		}
	}
	return steps
}

// switchQuery describes the code around a dynamic jump for FindSwitch.
func (p *Program) switchQuery(s *Section, start, jump uint64) *arch.SwitchQuery {
	return &arch.SwitchQuery{
		Code: s.Data, Sec: s.Index, Start: start, Jump: jump,
		Reloc: func(sec int, off uint64) (arch.Target, bool) {
			if sec < 0 || sec >= len(p.Sections) {
				return arch.Target{}, false
			}
			r := p.Sections[sec].RelocAt(off)
			if r == nil || r.Sym.Section == nil {
				return arch.Target{}, false
			}
			return arch.Target{Sec: r.Sym.Section.Index, Off: r.Sym.Value + uint64(r.Addend)}, true
		},
		Data: func(sec int) []byte {
			if sec < 0 || sec >= len(p.Sections) {
				return nil
			}
			return p.Sections[sec].Data
		},
		Warn:     func(off uint64) bool { return p.bugWarnings()[bugSite{s, off}] },
		NoReturn: func(off uint64) bool { return p.callsNoReturn(s, off) },
	}
}

// callsNoReturn reports whether the relocated call at off of section s
// goes to a function objtool knows never to return by its name. Only
// names count here: switch tables are recovered while the code is
// decoded, before the graph can tell a local function's dead ends.
func (p *Program) callsNoReturn(s *Section, off uint64) bool {
	r := s.RelocAt(off)
	return r != nil && r.Sym != nil && isKnownNoreturn(r.Sym.Name)
}

// dropData removes the instructions of section s (the last decoded) that
// lie in the given data ranges.
func (p *Program) dropData(s *Section, data []arch.Range) {
	if len(data) == 0 {
		return
	}
	sortRanges(data)
	keep := p.Insns[:s.First]
	for len(p.transfers) > 0 && int(p.transfers[len(p.transfers)-1]) >= s.First {
		p.transfers = p.transfers[:len(p.transfers)-1]
	}
	for _, in := range p.Insns[s.First:] {
		if !inRanges(data, uint64(in.Off)) {
			if in.Kind.IsTransfer() {
				p.transfers = append(p.transfers, int32(len(keep)))
			}
			keep = append(keep, in)
		}
	}
	p.Insns = keep
}

// sortRanges orders ranges that do not overlap by where they start, for
// inRanges.
func sortRanges(rs []arch.Range) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].Start < rs[j].Start })
}

// inRanges reports whether off is in one of the sorted ranges.
func inRanges(rs []arch.Range, off uint64) bool {
	i := sort.Search(len(rs), func(i int) bool { return rs[i].End > off })
	return i < len(rs) && rs[i].Start <= off
}

// addSwitchAlts makes the recovered targets of each switch jump its
// alternatives, like the entries of a relocated table; a jump whose
// table could not be bounded is reported.
func (p *Program) addSwitchAlts() *Problem {
	for _, targets := range p.switchOrder() {
		in := &p.Insns[targets.index]
		if targets.offs == nil {
			targets.offs = p.retrySwitch(in)
			p.switches[targets.index] = targets.offs
		}
		if targets.offs == nil {
			p.Problems = append(p.Problems, Problem{At: in, Counted: true, Msg: "can't find switch jump table"})
			continue
		}
		pf := p.Func(in)
		for _, off := range targets.offs {
			dest := p.Find(p.Sec(in), off)
			if dest == nil || pf == nil || p.Func(dest) == nil || p.Func(dest).Pfunc != pf.Pfunc {
				continue
			}
			p.prependAlt(in, Alt{Insn: dest})
		}
	}
	return nil
}

// retrySwitch asks the arch again for the table of a switch jump it could
// not bound while decoding, now that the graph knows which calls never
// return (local functions that end in BUG, not only known names). A table
// that lies in the code itself (ppc64) was decoded as instructions by
// then, so only tables kept elsewhere are taken.
func (p *Program) retrySwitch(in *Insn) []uint64 {
	s := p.Sec(in)
	if s == nil {
		return nil
	}
	fn := s.FuncContaining(uint64(in.Off))
	if fn == nil {
		return nil
	}
	q := p.switchQuery(s, fn.Offset, uint64(in.Off))
	q.NoReturn = func(off uint64) bool {
		c := p.Find(s, off)
		return c != nil && c.Kind.IsCall() && c.Has(DeadEnd) || p.callsNoReturn(s, off)
	}
	q.Cases = p.knownCases(s)
	q.Resolved = func(jump uint64) bool {
		j := p.Find(s, jump)
		return j != nil && p.switches[int(p.IndexOf(j))] != nil
	}
	t, err := p.Arch.FindSwitch(q)
	if err != nil || t == nil || len(t.Targets) == 0 || len(t.Data) > 0 {
		return nil
	}
	return t.Targets
}

// knownCases returns arch.SwitchQuery.Cases for section s: the switch
// jumps of s whose recovered tables list an offset, in instruction order
// (p.switches is a map: its order would make the finder's walk, and its
// budget, differ from run to run).
func (p *Program) knownCases(s *Section) func(off uint64) []uint64 {
	var into map[uint64][]uint64
	return func(off uint64) []uint64 {
		if into == nil {
			into = map[uint64][]uint64{}
			for _, j := range p.switchOrder() {
				if j.index < s.First || j.index >= s.End {
					continue
				}
				for _, t := range j.offs {
					into[t] = append(into[t], uint64(p.Insns[j.index].Off))
				}
			}
		}
		return into[off]
	}
}

// A switchJump is a jump and its recovered targets.
type switchJump struct {
	index int
	offs  []uint64
}

// switchOrder lists the switch jumps in instruction order.
func (p *Program) switchOrder() []switchJump {
	out := make([]switchJump, 0, len(p.switches))
	for i, offs := range p.switches {
		out = append(out, switchJump{i, offs})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}
