package cfg

import "github.com/objcheck/objcheck/arch"

// BuildStats are the counts objtool 6.12 prints with --stats while it
// builds the graph, and which of its printing points the build reached.
type BuildStats struct {
	// Decoded is set when decoding finished without a fatal problem:
	// objtool then prints nr_insns.
	Decoded bool
	// Insns is the number of instructions decoded (nr_insns).
	Insns int
	// Specials is set when the special sections were read and attached
	// without a fatal problem: objtool then prints the jump-label table.
	Specials bool
	// JumpLabelNops and JumpLabelJumps count the jump labels that are nops
	// and jumps, short (two bytes) at [0] and long at [1].
	JumpLabelNops, JumpLabelJumps [2]int
}

// decodeCounted decodes as decodeInsnsPvOps and records for --stats
// whether it got through.
func (p *Program) decodeCounted() *Problem {
	prob := p.decodeInsnsPvOps()
	if prob == nil || !prob.Fatal {
		p.Stats.Decoded = true
		p.Stats.Insns = len(p.Insns)
	}
	return prob
}

// specialsCounted attaches the special sections' alternatives and records
// for --stats whether it got through.
func (p *Program) specialsCounted() *Problem {
	prob := p.addSpecialAlts()
	p.Stats.Specials = prob == nil || !prob.Fatal
	return prob
}

// countJumpLabel counts a jump label for --stats by what orig is now.
func (p *Program) countJumpLabel(orig *Insn) {
	long := 0
	if orig.Len != 2 {
		long = 1
	}
	if orig.Kind == arch.Nop {
		p.Stats.JumpLabelNops[long]++
	} else {
		p.Stats.JumpLabelJumps[long]++
	}
}
