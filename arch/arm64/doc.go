// Package arm64 decodes arm64 (AArch64) machine code into arch.Insn values:
// each 4-byte word's kind, direct branch target and stack operations. It
// does not decide what is allowed; the checker does.
//
// # Decoding
//
// arm64asm (golang.org/x/arch/arm64/arm64asm) decides what each word is:
// Decode classifies its Inst by Op through a table (decode.go) that gives
// the kind and the builder of the rest, and reads registers from the
// Inst's operands, whose types say whether field value 31 is SP (RegSP)
// or the zero register (Reg). The immediates and registers arm64asm keeps
// in unexported fields (add and load/store offsets, the Rm of a shifted or
// extended register, structure post-index amounts) are read from Inst.Enc
// by small helpers (enc.go), tested against arm64asm's hidden values; the
// operands it exports (branch targets, brk and hint immediates, logical
// immediates) are read from the operands. Nothing is read from arm64asm's
// printed text.
//
// arm64asm knows only ARMv8.0. The words it rejects go to a fallback of
// bit patterns (forms.go and the forms in branch.go, dp.go, ldst.go,
// ext.go, simd.go): LSE atomics, cas, casp, ldapr, msr to a PSTATE field
// (pan, dit, ssbs, smstart), sb, wfet, hvc, smc, the newer tlbi and dc
// operations, pointer authentication (retaa, braa, pacia x30, ldraa),
// MTE, SVE, SME, and the SIMD and FP encodings arm64asm does not know,
// which are taken whole as instructions of kind Other: arm64asm knows a
// third of the SIMD encodings binutils decodes, none of SVE or SME, and
// none of them has a stack effect beyond the general-register
// destinations listed below. On the Linux 6.12 corpus a quarter of a
// percent of the words take the fallback.
//
// arm64asm also takes two families of reserved encodings as instructions,
// where the ARM ARM, binutils and LLVM do not: add and sub (extended
// register) with a shift above 4, and logical immediates whose element is
// all ones. Decode turns those away before asking arm64asm.
//
// arm64asm boxes its operands in interfaces, which allocates for three
// words in four (every load, store, branch and add immediate); Decode
// itself allocates nothing. arm64asm.Decode writes package state, so
// Decode is not safe for concurrent use (callers hold the Arch's DecodeLock).
//
// A word Decode does not recognise gives arch.ErrUnknown: udf and the rest
// of the reserved group 0000, the unallocated groups, and the reserved
// encodings of the general-register groups. Decode always sets Len to 4,
// on errors too (truncated input included), so a caller steps by it. The
// tests hold Decode to arm64asm and to GNU objdump on random words and to
// objdump on every word of the corpus.
//
// # Registers
//
// x0..x30 are 0..30 and SP is 31. The zero register, also encoded 31, has
// no number: an operand reading it is the constant 0 and a write to it is
// no write. x29 (FP) and x30 (LR) are the only callee-saved registers
// tracked (see New).
//
// # Kinds
//
//	b                          Jump
//	b.cond, cbz, cbnz, tbz, tbnz, bc.cond
//	                           JumpCond (b.al and b.nv: Jump)
//	bl                         Call; bl .+4 also FlagLinkRegCall
//	br, braa, braaz, ...       JumpDynamic
//	blr, blraa, blraaz, ...    CallDynamic
//	ret, retaa, retab          Return (retaa authenticates the return address
//	                           itself; no flag says so)
//	eret, eretaa, drps         ContextSwitch
//	svc                        Other (a system call returns, like hvc and smc)
//	brk #imm                   Bug when imm is 0x800 (BUG, WARN) or 0x3e8 (__builtin_trap), else Trap; Imm = imm
//	hlt #imm                   Trap; Imm = imm
//	nop                        Nop
//	bti, bti c|j|jc            Endbr
//	paciasp, pacibsp, paciaz, pacibz (hint #24-#27), pacia x30, ...
//	                           SignRA
//	autiasp, autibsp, autiaz, autibz (hint #28-#31), autia x30, ...
//	                           AuthRA
//	every other hint           Other: yield, wfe, sev, esb, csdb, clrbhb,
//	                           xpaclri... do something, and the unallocated
//	                           hints are where new features appear
//	everything else            Other (hvc and smc return to the next word)
//
// # Stack operations
//
// Every change of SP, x29 or x30, and every store or load of a whole x
// register to or from SP or x29 plus a known offset, in execution order:
//
//	stp xA, xB, [sp, #-N]!      SP = SP-N; [SP+0] = xA; [SP+8] = xB
//	stp xA, xB, [base, #N]      [base+N] = xA; [base+N+8] = xB (base SP or x29)
//	ldp xA, xB, [sp], #N        xA = [SP+0]; xB = [SP+8]; SP = SP+N
//	ldp (pre-index)             SP = SP+N; then the loads at SP+0, SP+8
//	str, ldr, stur, ldur, ldapur, stlur, ldraa
//	                            the same with one register
//	stgp xA, xB, [sp, #-N]!     as stp
//	ldr x29|x30, [xN, #off]     x29|x30 = [xN+off], whatever the base
//	w, byte, halfword and sign-extending loads, register-offset and
//	literal loads, exclusive, acquire and atomic loads, cas, ld64b, into
//	x29 or x30                  x29|x30 = const
//	stores of w, b, h, s, d, q registers, xzr; loads of s, d, q registers
//	                            none, but a pre- or post-index write-back
//	                            of SP, x29 or x30 is reported (stp d8, d9,
//	                            [sp, #-16]! is SP = SP-16)
//	ld1..ld4, st1..st4 [sp], #N | xM
//	                            SP = SP+N (N from the register list), or
//	                            SP = SP+xM (HasIndex)
//	stg, stzg, st2g, stz2g [sp, #N]! | [sp], #N
//	                            SP = SP+N
//	add|sub Rd, Rn, #N          Rd = Rn±N (a copy when N is 0: mov x29, sp,
//	                            mov sp, x29), reported when Rd is SP, x29 or
//	                            x30 or Rn is SP (values derived from SP)
//	add|sub Rd, Rn, xM          Rd = Rn+xM (HasIndex) when Rd is SP, x29 or
//	                            x30, 64-bit, unshifted, unextended: sub sp,
//	                            sp, x16 loses the sign, as the checker cannot
//	                            know the amount either way; otherwise
//	                            Rd = const
//	mov xD, xS (orr)            xD = xS when either is x29 or x30
//	mov x29|x30, xzr            x29|x30 = const 0
//	and|ands Rd, xN, #imm       Rd = xN & imm (SrcAnd) when Rd is SP (stack
//	                            realignment), x29 or x30
//	movz, movn, orr|eor #imm from xzr
//	                            Rd = const imm (Src.Off holds the value)
//	anything else that writes SP, x29 or x30: 32-bit forms, movk, csel,
//	adr, adrp, mrs, sysl, mul, ldg, addvl, fmov x30, d0, umov, irg, addg,
//	cpy*, set*, ...             Rd = const (SrcConst, Off 0): a value the
//	                            checker cannot follow
//	bl, blr                     none: the checker knows that calls clobber
//	                            x30
//	xpaclri, xpaci x30          none: the signature goes, the address stays
//
// SrcConst thus stands for any value not derived from the stack; Src.Off
// holds it when the instruction makes it known and is 0 otherwise.
package arm64
