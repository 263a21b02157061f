package arm64

import "github.com/objcheck/objcheck/arch"

// bugImm is the brk immediate of BUG() and WARN() (BUG_BRK_IMM).
const bugImm = 0x800

// branchForms are the branches, exception-generating and system
// instructions (encoding groups 101x).
var branchForms = []form{
	{name: "b", mask: 0x7c000000, value: 0x14000000, decode: decodeB},
	{name: "cbz", mask: 0x7e000000, value: 0x34000000, decode: condBranch(5, 19)},
	{name: "tbz", mask: 0x7e000000, value: 0x36000000, decode: condBranch(5, 14)},
	{name: "b.cond", mask: 0xff000010, value: 0x54000000, decode: decodeBCond},
	{name: "bc.cond", mask: 0xff000010, value: 0x54000010, ext: true, decode: decodeBCond},

	// Branches to a register. The authenticating forms (FEAT_PAuth) are
	// the same kinds: arch.Insn has no flag for "the return address is
	// authenticated by the return itself", so retaa/retab are plain
	// returns and a checker that wants autiasp before ret cannot see that
	// retaa does both.
	{name: "br", mask: 0xfffffc1f, value: 0xd61f0000, decode: kind(arch.JumpDynamic)},
	{name: "braaz", mask: 0xfffff81f, value: 0xd61f081f, ext: true, decode: kind(arch.JumpDynamic)},
	{name: "braa", mask: 0xfffff800, value: 0xd71f0800, ext: true, decode: kind(arch.JumpDynamic)},
	{name: "blr", mask: 0xfffffc1f, value: 0xd63f0000, decode: kind(arch.CallDynamic)},
	{name: "blraaz", mask: 0xfffff81f, value: 0xd63f081f, ext: true, decode: kind(arch.CallDynamic)},
	{name: "blraa", mask: 0xfffff800, value: 0xd73f0800, ext: true, decode: kind(arch.CallDynamic)},
	{name: "ret", mask: 0xfffffc1f, value: 0xd65f0000, decode: kind(arch.Return)},
	{name: "retaa", mask: 0xfffffbff, value: 0xd65f0bff, ext: true, decode: kind(arch.Return)},
	{name: "eret", mask: 0xffffffff, value: 0xd69f03e0, decode: kind(arch.ContextSwitch)},
	{name: "eretaa", mask: 0xfffffbff, value: 0xd69f0bff, ext: true, decode: kind(arch.ContextSwitch)},
	{name: "drps", mask: 0xffffffff, value: 0xd6bf03e0, decode: kind(arch.ContextSwitch)},

	// Exception generation: opc (23:21) and LL (1:0) select, op2 (4:2) is 0.
	{name: "svc", mask: 0xffe0001f, value: 0xd4000001, decode: kind(arch.ContextSwitch)},
	{name: "hvc", mask: 0xffe0001f, value: 0xd4000002, ext: true, decode: other},
	{name: "smc", mask: 0xffe0001f, value: 0xd4000003, ext: true, decode: other},
	{name: "brk", mask: 0xffe0001f, value: 0xd4200000, decode: decodeBrk},
	{name: "hlt", mask: 0xffe0001f, value: 0xd4400000, decode: decodeHlt},
	{name: "tcancel", mask: 0xffe0001f, value: 0xd4600000, ext: true, decode: other},
	{name: "dcps", mask: 0xffe0001c, value: 0xd4a00000, valid: func(w uint32) bool { return w&3 != 0 }, decode: other},

	// System instructions.
	{name: "hint", mask: 0xfffff01f, value: 0xd503201f, decode: decodeHint},
	{name: "barrier", mask: 0xfffff01f, value: 0xd503301f, valid: barrierValid, decode: other},
	{name: "sb", mask: 0xffffffff, value: 0xd50330ff, ext: true, decode: other},
	{name: "dsb-nxs", mask: 0xfffff3ff, value: 0xd503323f, ext: true, decode: other},
	{name: "wfet", mask: 0xffffffc0, value: 0xd5031000, ext: true, decode: other},
	// msr to a PSTATE field: pan, uao, ssbs, dit, tco, daifset, ... The
	// immediate forms write no general register.
	{name: "msr-imm", mask: 0xfff8f01f, value: 0xd500401f, ext: true, decode: other},
	// msr (register) reads Rt, mrs writes it.
	{name: "msr", mask: 0xfff00000, value: 0xd5100000, decode: other},
	{name: "mrs", mask: 0xfff00000, value: 0xd5300000, decode: writesRd},
	// The rest of the system space (op0 0x): sys (ic, dc, at, tlbi) and
	// tcommit read Rt or nothing; sysl, tstart and ttest write it. binutils
	// prints its unallocated words as msr or mrs of generic system
	// registers, so they are taken as the same.
	{name: "sys", mask: 0xffe00000, value: 0xd5000000, ext: true, decode: other},
	{name: "sysl", mask: 0xffe00000, value: 0xd5200000, ext: true, decode: writesRd},
}

// kind returns the decode function of a form that only sets the kind.
func kind(k arch.Kind) func(uint32, uint64, *arch.Insn) {
	return func(_ uint32, _ uint64, in *arch.Insn) { in.Kind = k }
}

// setTarget records the direct branch target off + disp.
func setTarget(in *arch.Insn, off uint64, disp int64) {
	in.HasTarget = true
	in.Target = int64(off) + disp
}

// decodeB decodes b and bl (imm26). A bl to the next instruction reads the
// PC rather than calling anything.
func decodeB(w uint32, off uint64, in *arch.Insn) {
	setTarget(in, off, sfield(w, 0, 26)*4)
	in.Kind = arch.Jump
	if bit(w, 31) {
		in.Kind = arch.Call
		if in.Target == int64(off)+4 {
			in.Flags |= arch.FlagLinkRegCall
		}
	}
}

// condBranch returns the decode function of a conditional branch whose
// word offset is the n-bit field at lo (cbz, cbnz: imm19; tbz, tbnz: imm14).
func condBranch(lo, n uint) func(uint32, uint64, *arch.Insn) {
	return func(w uint32, off uint64, in *arch.Insn) {
		in.Kind = arch.JumpCond
		setTarget(in, off, sfield(w, lo, n)*4)
	}
}

// decodeBCond decodes b.cond and bc.cond. Conditions al (1110) and nv
// (1111) both mean always, so those are unconditional jumps.
func decodeBCond(w uint32, off uint64, in *arch.Insn) {
	in.Kind = arch.JumpCond
	if field(w, 0, 4) >= 0xe {
		in.Kind = arch.Jump
	}
	setTarget(in, off, sfield(w, 5, 19)*4)
}

// decodeBrk decodes brk #imm: BUG() and WARN() use brk #0x800 (the
// checker tells them apart by __bug_table); kprobes, kgdb, KASAN, UBSAN
// and kCFI use other immediates.
func decodeBrk(w uint32, _ uint64, in *arch.Insn) {
	in.Imm = int64(field(w, 5, 16))
	in.Kind = arch.Trap
	if in.Imm == bugImm {
		in.Kind = arch.Bug
	}
}

// decodeHlt decodes hlt #imm, a halting debug event: it does not return
// here in normal operation.
func decodeHlt(w uint32, _ uint64, in *arch.Insn) {
	in.Imm = int64(field(w, 5, 16))
	in.Kind = arch.Trap
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

// decodeHint decodes the hint space.
func decodeHint(w uint32, _ uint64, in *arch.Insn) { in.Kind = hintKinds[field(w, 5, 7)] }

// barrierValid accepts clrex, dsb, dmb and isb (op2 = 2, 4, 5, 6).
func barrierValid(w uint32) bool {
	op2 := field(w, 5, 3)
	return op2 == 2 || op2 == 4 || op2 == 5 || op2 == 6
}
