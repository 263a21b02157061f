package cfg

import (
	"github.com/objcheck/objcheck/decode"
)

// Build makes the instruction graph of a parsed object, in the order of
// objtool's decode_sections. Problems found on the way are in
// Program.Problems; after a fatal one the graph is incomplete and must
// not be walked.
func Build(f *decode.File, opts Options) *Program {
	p := &Program{File: f, Arch: f.Arch, Opts: opts, switches: map[int][]uint64{}}
	p.wrapSections()
	for _, step := range p.steps() {
		if prob := step(); prob != nil {
			p.Problems = append(p.Problems, *prob)
			if prob.Fatal {
				break
			}
		}
	}
	return p
}

// Fatal reports whether building stopped at a fatal problem.
func (p *Program) Fatal() bool {
	n := len(p.Problems)
	return n > 0 && p.Problems[n-1].Fatal
}

// steps lists the building passes in objtool's order.
func (p *Program) steps() []func() *Problem {
	return []func() *Problem{
		p.buildSymbols,
		p.decodeCounted,
		func() *Problem { p.addIgnores(); p.addUaccessSafe(); return nil },
		p.addIgnoreAlts,
		p.readNoendbrHints,
		func() *Problem {
			if p.Opts.Specials {
				return p.specialsCounted()
			}
			return nil
		},
		p.addJumpDestinations,
		p.readIntraFunctionCalls,
		p.addCallDestinations,
		p.markTrailingCalls,
		p.addDeadEnds,
		p.addWarnings,
		p.addJumpTableAlts,
		p.addSwitchAlts,
		p.readUnwindHints,
		p.readRetpolineHints,
		p.readInstrHints,
		p.readUnretHints,
	}
}
