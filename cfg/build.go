package cfg

import (
	"math"

	"github.com/objcheck/objcheck/decode"
)

// Build makes the instruction graph of a parsed object, in the order of
// objtool's decode_sections. Problems found on the way are in
// Program.Problems; after a fatal one the graph is incomplete and must
// not be walked.
func Build(f *decode.File, opts Options) *Program {
	return build(f, opts, earlyDecodeMin)
}

// earlyDecodeMin is the size of the first code section from which Build
// decodes it while the symbols are built: below it, the goroutine costs
// more than the overlap saves.
const earlyDecodeMin = 64 << 10

// build is Build, decoding the first code section beside the symbols
// when it has at least earlyMin bytes (see decodeBesideSymbols). Should
// the symbols fail, the graph is built again serially: a failed build
// is as it would be without the overlap, problems and all.
func build(f *decode.File, opts Options, earlyMin int) *Program {
	p := &Program{File: f, Arch: f.Arch, Opts: opts, switches: map[int][]uint64{}}
	p.wrapSections()
	steps := p.steps()
	if s := p.earlySection(earlyMin); s != nil {
		if prob := p.decodeBesideSymbols(s); prob != nil {
			return build(f, opts, math.MaxInt)
		}
		steps = steps[1:]
	}
	for _, step := range steps {
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
