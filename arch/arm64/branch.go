package arm64

import (
	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/arm64/arm64asm"
)

// bugImm is the brk immediate of BUG() and WARN() (BUG_BRK_IMM); trapImm
// is what GCC emits for __builtin_trap(), which never returns either.
const (
	bugImm  = 0x800
	trapImm = 0x3e8
)

// setTarget records the direct branch target off + disp.
func setTarget(in *arch.Insn, off uint64, disp int64) {
	in.HasTarget = true
	in.Target = int64(off) + disp
}

// pcRel returns the PC-relative operand of inst at index i.
func pcRel(inst *arm64asm.Inst, i int) int64 {
	r, _ := inst.Args[i].(arm64asm.PCRel)
	return int64(r)
}

// decodeB reads b and b.cond. Conditions al (1110) and nv (1111) both mean
// always, so those are unconditional jumps.
func decodeB(inst *arm64asm.Inst, off uint64, in *arch.Insn) {
	in.Kind = arch.Jump
	if c, ok := inst.Args[0].(arm64asm.Cond); ok {
		if c.Value < 0xe {
			in.Kind = arch.JumpCond
		}
		setTarget(in, off, pcRel(inst, 1))
		return
	}
	setTarget(in, off, pcRel(inst, 0))
}

// decodeBL reads bl. A bl to the next instruction reads the PC rather than
// calling anything.
func decodeBL(inst *arm64asm.Inst, off uint64, in *arch.Insn) {
	setTarget(in, off, pcRel(inst, 0))
	if in.Target == int64(off)+4 {
		in.Flags |= arch.FlagLinkRegCall
	}
}

// immArg returns the immediate of brk and hlt (a halting debug event: it
// does not return here in normal operation).
func immArg(inst *arm64asm.Inst) int64 {
	i, _ := inst.Args[0].(arm64asm.Imm)
	return int64(i.Imm)
}

// decodeBrk reads brk #imm: BUG() and WARN() use brk #0x800 (the checker
// tells them apart by __bug_table) and __builtin_trap() brk #1000, both
// dead ends unless tabled as a warning; kprobes, kgdb, KASAN, UBSAN and
// kCFI use other immediates, after which execution may go on.
func decodeBrk(inst *arm64asm.Inst, in *arch.Insn) {
	in.Imm = immArg(inst)
	in.Kind = arch.Trap
	if in.Imm == bugImm || in.Imm == trapImm {
		in.Kind = arch.Bug
	}
}

// hintKinds gives the kind of each hint instruction (hint #0..#127, CRm:op2).
// Only nop itself is a Nop: every other allocated hint does something (wfe,
// yield, sev, esb, csdb, clrbhb, xpaclri, pacia1716, ...), and the
// unallocated ones, which execute as nops, are where new features appear,
// so they are Other too. The zero-modifier pointer authentication hints
// (paciaz, autiaz, ...) sign and authenticate x30 like the SP-modifier ones
// (paciasp, autiasp), so they get the same kinds. xpaclri strips the
// signature from x30 without changing the address it holds: no operation.
var hintKinds = [128]arch.Kind{
	0:  arch.Nop,
	24: arch.SignRA, 25: arch.SignRA, 26: arch.SignRA, 27: arch.SignRA, // paciaz, paciasp, pacibz, pacibsp
	28: arch.AuthRA, 29: arch.AuthRA, 30: arch.AuthRA, 31: arch.AuthRA, // autiaz, autiasp, autibz, autibsp
	32: arch.Endbr, 34: arch.Endbr, 36: arch.Endbr, 38: arch.Endbr, // bti, bti c, bti j, bti jc
}

// decodeHint reads the hints arm64asm has no name for.
func decodeHint(inst *arm64asm.Inst, in *arch.Insn) {
	h, _ := inst.Args[0].(arm64asm.Imm_hint)
	in.Kind = hintKinds[h&0x7f]
}

// branchForms are the fallback forms of the branch, exception-generating
// and system encoding groups (101x): the encodings of extensions arm64asm
// (ARMv8.0) does not decode, and hvc and smc, which it does not decode
// either.
var branchForms = []form{
	{name: "bc.cond", mask: 0xff000010, value: 0x54000010, decode: decodeBCond},

	// The authenticating branches to a register (FEAT_PAuth) are the
	// kinds of their plain forms: arch.Insn has no flag for "the return
	// address is authenticated by the return itself", so retaa/retab are
	// plain returns and a checker that wants autiasp before ret cannot see
	// that retaa does both.
	{name: "braaz", mask: 0xfffff81f, value: 0xd61f081f, decode: kind(arch.JumpDynamic)},
	{name: "braa", mask: 0xfffff800, value: 0xd71f0800, decode: kind(arch.JumpDynamic)},
	{name: "blraaz", mask: 0xfffff81f, value: 0xd63f081f, decode: kind(arch.CallDynamic)},
	{name: "blraa", mask: 0xfffff800, value: 0xd73f0800, decode: kind(arch.CallDynamic)},
	{name: "retaa", mask: 0xfffffbff, value: 0xd65f0bff, decode: kind(arch.Return)},
	{name: "eretaa", mask: 0xfffffbff, value: 0xd69f0bff, decode: kind(arch.ContextSwitch)},

	// Exception generation: opc (23:21) and LL (1:0) select, op2 (4:2) is
	// 0. hvc and smc return to the next instruction.
	{name: "hvc", mask: 0xffe0001f, value: 0xd4000002, decode: other},
	{name: "smc", mask: 0xffe0001f, value: 0xd4000003, decode: other},
	{name: "tcancel", mask: 0xffe0001f, value: 0xd4600000, decode: other},

	// System instructions.
	{name: "sb", mask: 0xffffffff, value: 0xd50330ff, decode: other},
	{name: "dsb-nxs", mask: 0xfffff3ff, value: 0xd503323f, decode: other},
	{name: "wfet", mask: 0xffffffc0, value: 0xd5031000, decode: other},
	// msr to a PSTATE field: pan, uao, ssbs, dit, tco, svcr (smstart,
	// smstop), ... The immediate forms write no general register.
	{name: "msr-imm", mask: 0xfff8f01f, value: 0xd500401f, decode: other},
	// The rest of the system space (op0 0x) that arm64asm does not know:
	// sys (the newer tlbi, dc, at operations) and tcommit read Rt or
	// nothing; sysl, tstart and ttest write it. binutils prints its
	// unallocated words as msr or mrs of generic system registers, so they
	// are taken as the same.
	{name: "sys", mask: 0xffe00000, value: 0xd5000000, decode: other},
	{name: "sysl", mask: 0xffe00000, value: 0xd5200000, decode: writesRd},
}

// kind returns the decode function of a form that only sets the kind.
func kind(k arch.Kind) func(uint32, uint64, *arch.Insn) {
	return func(_ uint32, _ uint64, in *arch.Insn) { in.Kind = k }
}

// decodeBCond decodes bc.cond (FEAT_HBC), which branches as b.cond does.
func decodeBCond(w uint32, off uint64, in *arch.Insn) {
	in.Kind = arch.JumpCond
	if field(w, 0, 4) >= 0xe {
		in.Kind = arch.Jump
	}
	setTarget(in, off, sfield(w, 5, 19)*4)
}
