package ppc64

import (
	"github.com/objcheck/objcheck/internal/xarch/ppc64asm"

	"github.com/objcheck/objcheck/arch"
)

// Stack-state handlers. They report, in execution order, what an instruction
// does to r1 (SP), r31 (FP) and LR, in objtool's stack_op model; the checker
// replays the operations. "FR" below is r1 or r31, "X" any general register.
//
//	mflr X                  SrcReg LR          -> DstReg X
//	mtlr X                  SrcReg X           -> DstReg LR
//	mr A,S (or A,S,S)       SrcReg S           -> DstReg A           if A or S is FR
//	mr X,X (or 1,1,1...)    nothing: a no-op or an SMT priority hint
//	addi A,S,N (paddi)      SrcAdd S+N         -> DstReg A           if A or S is FR
//	                        (SrcReg S when N is 0, as objtool's lea)
//	addis A,S,N             SrcAdd S+N<<16     -> DstReg A           if A or S is FR
//	add r1,A,B              SrcAdd A+index B   -> DstReg 1           (r1 first if used)
//	clrrdi/rldicr r1,S,0,ME SrcAnd S&mask      -> DstReg 1           (stack realignment)
//	clrldi/rldicl r1,S,0,MB SrcAnd S&mask      -> DstReg 1
//	std S,d(A) (pstd)       SrcReg S           -> DstRegIndirect A+d if A is FR or S is r1
//	stdu S,d(A)             as std, then SrcAdd A+d -> DstReg A      if A is FR
//	ld D,d(A) (pld)         SrcRegIndirect A+d -> DstReg D           if A is FR or D is r1
//	ldu D,d(A)              as ld, then SrcAdd A+d -> DstReg A       if A is FR
//	other update forms      SrcAdd A+d -> DstReg A, or for the indexed (…ux)
//	(lwzu, stwu, stdux...)  forms SrcAdd A+index B -> DstReg A       if A is FR
//	li/lis r1,N             SrcConst N         -> DstReg 1
//	any other write to r1   SrcConst 0         -> DstReg 1
//
// So `stdu r1,-N(r1)` is the store of the back chain at r1-N then r1 -= N;
// `stdu r1,N(r31)` (do_softirq_own_stack's switch to the softirq stack)
// stores r1 at r31+N and moves r31, leaving r1 alone; `ld r1,0(r1)` pops
// the frame through the back chain. `stdux r1,r1,rX` (a frame of variable
// size) only reports the r1 update: the back chain is stored at the new r1,
// which no operation on the old one can name.
//
// SrcConst -> DstReg 1 means r1 now holds a value not derived from the
// stack state (a constant, a load through another register, an or, a
// rotate); the checker cannot follow it. A load of r1 from any base
// (ld r1,2320(r13), the paca) is reported as SrcRegIndirect so the checker
// sees where it came from. PC-relative and absolute (base 0) addresses are
// never a frame register.
//
// Only the doubleword forms are saves and restores: a word store (stw,
// stmw) cannot hold a 64-bit register, so 32-bit and multiple-word forms
// report nothing but their effect on r1 (an update, or lmw/lq loading r1).
// Indexed stores and loads (stdx, ldx) have no constant offset and report
// nothing unless they load r1. Vector and floating-point saves are not
// tracked. Calls clobber LR; that is the checker's to know, not an
// operation.

// sprLR is the special-purpose register number of LR in mfspr and mtspr.
const sprLR = 8

// moveFromSPR decodes mfspr, and so mflr.
func moveFromSPR(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	rt, _ := gpr(x.Args[0])
	if spr, _ := x.Args[1].(ppc64asm.SpReg); spr == sprLR {
		addOp(in, arch.Src{Type: arch.SrcReg, Reg: regLR}, rt)
	} else if rt == regSP {
		clobberSP(in)
	}
}

// moveToSPR decodes mtspr, and so mtlr.
func moveToSPR(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	if spr, _ := x.Args[0].(ppc64asm.SpReg); spr == sprLR {
		rs, _ := gpr(x.Args[1])
		addOp(in, arch.Src{Type: arch.SrcReg, Reg: rs}, regLR)
	}
}

// or decodes or and or., and so mr and mr.
func or(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	ra, _ := gpr(x.Args[0])
	rs, _ := gpr(x.Args[1])
	rb, _ := gpr(x.Args[2])
	switch {
	case rs != rb:
		if ra == regSP {
			clobberSP(in)
		}
	case ra == rs:
		// or X,X,X: a no-op, or an SMT priority hint (or 1,1,1 is HMT_LOW).
	case isFrameReg(ra) || isFrameReg(rs):
		addOp(in, arch.Src{Type: arch.SrcReg, Reg: rs}, ra)
	}
}

// addImm decodes addi and paddi.
func addImm(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	n, _ := x.Args[2].(ppc64asm.Imm)
	addConst(&x, in, int64(n))
}

// addImmShifted decodes addis.
func addImmShifted(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	n, _ := x.Args[2].(ppc64asm.Imm)
	addConst(&x, in, int64(n)<<16)
}

// addConst reports "A = S + n" for addi, addis and paddi, whose operands
// are A, S, n. A source of r0 means the constant 0 (li, lis); with R=1
// (pla) the value depends on the program counter.
func addConst(x *ppc64asm.Inst, in *arch.Insn, n int64) {
	ra, _ := gpr(x.Args[0])
	rs, _ := gpr(x.Args[1])
	switch {
	case isPCRelative(x):
		if ra == regSP {
			clobberSP(in)
		}
	case rs == 0:
		loadConst(x, in, n)
	case isFrameReg(ra) || isFrameReg(rs):
		addOp(in, addSrc(rs, n), ra)
	}
}

// loadImm decodes li.
func loadImm(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	n, _ := x.Args[1].(ppc64asm.Imm)
	loadConst(&x, in, int64(n))
}

// loadImmShifted decodes lis.
func loadImmShifted(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	n, _ := x.Args[1].(ppc64asm.Imm)
	loadConst(&x, in, int64(n)<<16)
}

// loadConst reports "A = n" when A is r1.
func loadConst(x *ppc64asm.Inst, in *arch.Insn, n int64) {
	if rt, _ := gpr(x.Args[0]); rt == regSP {
		addOp(in, arch.Src{Type: arch.SrcConst, Off: int32(n)}, regSP)
	}
}

// addReg decodes add and add. when they write r1: r1 = A + B. If one of A
// and B is r1 it becomes the base, as in x86's add %reg,%rsp.
func addReg(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	rt, _ := gpr(x.Args[0])
	if rt != regSP {
		return
	}
	ra, _ := gpr(x.Args[1])
	rb, _ := gpr(x.Args[2])
	if rb == regSP {
		ra, rb = rb, ra
	}
	addOp(in, arch.Src{Type: arch.SrcAdd, Reg: ra, Index: rb, HasIndex: true}, regSP)
}

// rotateMask decodes rldicr and rldicl (and their dot forms) when they
// write r1. With no rotation they are an and with a mask of high bits
// (clrrdi, the stack realignment) or of low bits (clrldi); anything else
// is a value the checker cannot follow.
func rotateMask(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	ra, _ := gpr(x.Args[0])
	if ra != regSP {
		return
	}
	rs, _ := gpr(x.Args[1])
	sh, _ := x.Args[2].(ppc64asm.Imm)
	m, _ := x.Args[3].(ppc64asm.Imm)
	if sh != 0 || m < 0 || m > 63 {
		clobberSP(in)
		return
	}
	mask := ^uint64(0) >> m // rldicl: bits MB..63
	if x.Op == ppc64asm.RLDICR || x.Op == ppc64asm.RLDICRCC {
		mask = ^uint64(0) << (63 - m) // rldicr: bits 0..ME
	}
	addOp(in, arch.Src{Type: arch.SrcAnd, Reg: rs, Off: int32(mask)}, regSP)
}

// loadDouble decodes ld, ldu and pld: D = mem[A+d], then A += d for ldu.
func loadDouble(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	rt, _ := gpr(x.Args[0])
	d, _ := x.Args[1].(ppc64asm.Offset)
	ra, _ := gpr(x.Args[2])
	switch {
	case ra == 0 || isPCRelative(&x):
		if rt == regSP {
			clobberSP(in)
		}
	case isFrameReg(ra) || rt == regSP:
		addOp(in, arch.Src{Type: arch.SrcRegIndirect, Reg: ra, Off: int32(d)}, rt)
	}
	if x.Op == ppc64asm.LDU {
		updateDisp(x, off, in)
	}
}

// storeDouble decodes std, stdu and pstd: mem[A+d] = S, then A += d for
// stdu.
func storeDouble(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	rs, _ := gpr(x.Args[0])
	d, _ := x.Args[1].(ppc64asm.Offset)
	ra, _ := gpr(x.Args[2])
	if ra != 0 && !isPCRelative(&x) && (isFrameReg(ra) || rs == regSP) {
		in.AddOp(arch.StackOp{
			Src: arch.Src{Type: arch.SrcReg, Reg: rs},
			Dst: arch.Dst{Type: arch.DstRegIndirect, Reg: ra, Off: int32(d)},
		})
	}
	if x.Op == ppc64asm.STDU {
		updateDisp(x, off, in)
	}
}

// updateDisp decodes the A += d of a D-form or DS-form load or store with
// update, whose operands are T, d, A. A load into r1 is not followed.
func updateDisp(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	if x.Op != ppc64asm.LDU && writesFirstReg(&x, ppc64asm.R1) {
		clobberSP(in)
	}
	d, _ := x.Args[1].(ppc64asm.Offset)
	if ra, _ := gpr(x.Args[2]); isFrameReg(ra) {
		addOp(in, addSrc(ra, int64(d)), ra)
	}
}

// updateIndex decodes the A += B of an X-form load or store with update,
// whose operands are T, A, B. A load into r1 is not followed.
func updateIndex(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	if writesFirstReg(&x, ppc64asm.R1) {
		clobberSP(in)
	}
	ra, _ := gpr(x.Args[1])
	rb, _ := gpr(x.Args[2])
	if isFrameReg(ra) {
		addOp(in, arch.Src{Type: arch.SrcAdd, Reg: ra, Index: rb, HasIndex: true}, ra)
	}
}

// loadMultiple decodes lmw (which loads T..r31) and lq, plq (which load
// T and T+1): r1 is written when T is r0 or r1.
func loadMultiple(x ppc64asm.Inst, off uint64, in *arch.Insn) {
	if rt, ok := gpr(x.Args[0]); ok && rt <= regSP {
		clobberSP(in)
	}
}

// clobberSP reports that r1 receives a value the checker cannot follow.
func clobberSP(in *arch.Insn) {
	addOp(in, arch.Src{Type: arch.SrcConst}, regSP)
}

// addOp appends the operation "register dst = src".
func addOp(in *arch.Insn, src arch.Src, dst arch.Reg) {
	in.AddOp(arch.StackOp{Src: src, Dst: arch.Dst{Type: arch.DstReg, Reg: dst}})
}

// addSrc returns the source "r + n": SrcReg when n is 0, as objtool's x86
// decoder does for lea (%src),%dst, else SrcAdd.
func addSrc(r arch.Reg, n int64) arch.Src {
	if n == 0 {
		return arch.Src{Type: arch.SrcReg, Reg: r}
	}
	return arch.Src{Type: arch.SrcAdd, Reg: r, Off: int32(n)}
}

// isFrameReg reports whether r is the stack or the frame pointer.
func isFrameReg(r arch.Reg) bool { return r == regSP || r == regFP }

// isPCRelative reports whether x is a prefixed instruction with R=1, whose
// address is relative to the program counter rather than to its base
// register (which is then r0).
func isPCRelative(x *ppc64asm.Inst) bool {
	r, ok := x.Args[3].(ppc64asm.Imm)
	return x.Len == 8 && ok && r == 1
}

// gpr returns the number of the general register a, and false if a is not
// one.
func gpr(a ppc64asm.Arg) (arch.Reg, bool) {
	r, ok := a.(ppc64asm.Reg)
	if !ok || r < ppc64asm.R0 || r > ppc64asm.R31 {
		return 0, false
	}
	return arch.Reg(r - ppc64asm.R0), true
}

// writesFirstReg reports whether x writes register r as its first operand:
// whether its first operand is r and x is not one of the operations that
// only read their first register (readsFirst).
func writesFirstReg(x *ppc64asm.Inst, r ppc64asm.Reg) bool {
	if x.Args[0] != r {
		return false
	}
	return int(x.Op) >= len(readsFirst) || !readsFirst[x.Op]
}
