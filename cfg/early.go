package cfg

// The first code section of a large object is decoded while its symbols
// are built: the decoding reads only the section's bytes and
// relocations, and writes only what buildSymbols does not touch (the
// instructions, their stack operations and rare fields, the transfer
// list, and the decoder's notes, which it keeps apart). On vmlinux.o the
// symbols take a seventh of a second on one core while the other waits.

// An earlyDecode is the outcome of decoding a section beside the
// symbols, for decodeInsns to take in its turn.
type earlyDecode struct {
	sec   *Section
	prob  *Problem  // decodeSection's problem
	notes []Problem // the decoder's notes, in order
}

// earlySection returns the section decodeBesideSymbols may decode: the
// first code section, of at least min bytes, on a machine whose decoder
// may run beside other work and needs no symbols to step over data
// (variable-width: fixed-width machines skip the ranges their mapping
// symbols mark). Nil where the decoding would stop at once on a section
// too large.
func (p *Program) earlySection(min int) *Section {
	if p.Arch.DecodeLock != nil || p.Arch.InsnAlign > 1 || p.Arch.Decode == nil {
		return nil
	}
	if _, prob := p.codeBytes(); prob != nil {
		return nil
	}
	for _, s := range p.Sections {
		if s.Code {
			if len(s.Data) < min {
				return nil
			}
			return s
		}
	}
	return nil
}

// decodeBesideSymbols builds the symbols, as buildSymbols, while s, the
// first code section, is decoded on another goroutine, and returns the
// symbols' problem. The decoding's outcome waits in p.early.
func (p *Program) decodeBesideSymbols(s *Section) *Problem {
	total, _ := p.codeBytes()
	p.reserve(total)
	e := &earlyDecode{sec: s}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Build has found no problem yet: what the decoder adds to
		// p.Problems are its notes, taken out for decodeInsns.
		e.prob = p.decodeSection(s)
		e.notes, p.Problems = p.Problems, nil
	}()
	prob := p.buildSymbols()
	<-done
	p.early = e
	return prob
}

// decodeOrTakeEarly decodes s, or takes what decodeBesideSymbols decoded
// of it, with its notes in their place among the problems.
func (p *Program) decodeOrTakeEarly(s *Section) *Problem {
	e := p.early
	if e == nil || e.sec != s {
		return p.decodeSection(s)
	}
	p.early = nil
	p.Problems = append(p.Problems, e.notes...)
	return e.prob
}
