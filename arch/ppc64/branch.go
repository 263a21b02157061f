package ppc64

import (
	"github.com/objcheck/objcheck/internal/xarch/ppc64asm"

	"github.com/objcheck/objcheck/arch"
)

// Control-flow handlers. The kind of a branch follows from its x/arch
// operation and its BO field:
//
//	b, ba                    Jump (ba: Target is the absolute address)
//	bc, bca                  Jump if BO says "branch always", else JumpCond
//	bl, bla, bcl, bcla       Call; FlagLinkRegCall when the target is .+4
//	bclr (blr, beqlr)        Return, or ReturnCond
//	bcctr, bctar (bctr)      JumpDynamic, or JumpDynamicCond
//	bclrl, bcctrl, bctarl    CallDynamic, conditional or not
//	tw, td, twi, tdi         Bug if TO is 31 (always traps), else TrapCond
//	sc 0, scv                ContextSwitch
//	sc 1, sc 2               Other: hypervisor and ultravisor calls return
//	rfid, hrfid, urfid,      ContextSwitch
//	rfscv, rfebb
//	nop (ori 0,0,0 only)     Nop
//
// A conditional branch-and-link (beql) is a Call: whether or not it
// branches it comes back to the next instruction, unless the callee does
// not return. Every bcl sets LR, taken or not, so a bcl to .+4 reads the
// program counter whatever its condition.
//
// Only BO and TO decide: `bcctr 2,0` (BO=2, an invalid form used by the
// branch-cache flush in switch.S, 279 times in the corpus's switch.o) is
// JumpDynamicCond, and `twi 0,rX,0` (TO=0 never traps; it orders MMIO
// loads) is TrapCond.

// boAlways is the part of a BO field that, when both bits are set, makes a
// conditional branch unconditional: BO0 (ignore the condition) and BO2 (do
// not decrement CTR).
const boAlways = 0x14

// toAlways is the TO field of a trap that traps whatever its operands.
const toAlways = 31

// jumpImm decodes b, ba, bc and bca.
func jumpImm(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	in.Kind = arch.Jump
	if !branchesAlways(&x) {
		in.Kind = arch.JumpCond
	}
	in.Target, in.HasTarget = branchTarget(&x, off)
}

// callImm decodes bl, bla, bcl and bcla.
func callImm(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	in.Kind = arch.Call
	in.Target, in.HasTarget = branchTarget(&x, off)
	if readsPC(&x) {
		in.Flags |= arch.FlagLinkRegCall
	}
}

// returnLR decodes bclr: blr and the conditional returns.
func returnLR(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	in.Kind = arch.Return
	if !branchesAlways(&x) {
		in.Kind = arch.ReturnCond
	}
}

// jumpReg decodes bcctr and bctar.
func jumpReg(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	in.Kind = arch.JumpDynamic
	if !branchesAlways(&x) {
		in.Kind = arch.JumpDynamicCond
	}
}

// callReg decodes bclrl, bcctrl and bctarl.
func callReg(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	in.Kind = arch.CallDynamic
}

// trap decodes tw, td, twi and tdi; Imm is their TO field.
func trap(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	to, _ := x.Args[0].(ppc64asm.Imm)
	in.Imm = int64(to)
	in.Kind = arch.TrapCond
	if to == toAlways {
		in.Kind = arch.Bug
	}
}

// systemCall decodes sc. Only sc 0 enters the operating system; in the
// kernel sc 1 (hypervisor call, plpar_hcall) and sc 2 (ultravisor call)
// come back to the next instruction like x86's vmcall, so they are Other.
func systemCall(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	if lev, _ := x.Args[0].(ppc64asm.Imm); lev == 0 {
		in.Kind = arch.ContextSwitch
	}
}

// contextSwitch decodes scv and the returns from interrupt.
func contextSwitch(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	in.Kind = arch.ContextSwitch
}

// nop decodes the canonical nop, ori 0,0,0. Other no-op forms (xori 0,0,0,
// or 1,1,1 and the other priority hints) stay Other; ori rX,rX,0 is oriNop.
func nop(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	in.Kind = arch.Nop
}

// branchesAlways reports whether x branches whatever the condition register
// and CTR hold. B-form and XL-form branches have BO as first operand; the
// I-form (b, bl) has none and always branches.
func branchesAlways(x *ppc64asm.Inst) bool {
	bo, ok := x.Args[0].(ppc64asm.Imm)
	return !ok || bo&boAlways == boAlways
}

// branchTarget returns the destination of a direct branch: off plus the
// displacement for a relative branch, or for an absolute one (AA=1: ba, bla,
// bca, bcla) the sign-extended address itself, which is not an offset in the
// section; in an object file such a branch carries a relocation
// (R_PPC64_ADDR24 or ADDR14) that says where it really goes.
func branchTarget(x *ppc64asm.Inst, off uint64) (int64, bool) {
	for _, a := range x.Args {
		switch a := a.(type) {
		case ppc64asm.PCRel:
			return int64(off) + int64(a), true
		case ppc64asm.Label:
			return int64(int32(a)), true
		}
	}
	return 0, false
}

// readsPC reports whether the branch-and-link x goes to the next
// instruction (bl .+4, bcl 20,31,.+4): it only loads LR with the address
// of that instruction.
func readsPC(x *ppc64asm.Inst) bool {
	for _, a := range x.Args {
		if rel, ok := a.(ppc64asm.PCRel); ok {
			return rel == 4
		}
	}
	return false
}

// oriNop decodes ori rX,rX,0, which GCC emits as alignment padding (ori
// 2,2,0) and is a nop, as a Nop; any other ori is an ordinary instruction
// (and a write to r1 is reported).
func oriNop(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	if x.Args[0] == x.Args[1] {
		if imm, ok := x.Args[2].(ppc64asm.Imm); ok && imm == 0 {
			in.Kind = arch.Nop
			return
		}
	}
	if writesFirstReg(&x, ppc64asm.R1) {
		clobberSP(in)
	}
}
