package arm64

import (
	"encoding/binary"
	"sync"

	"github.com/objcheck/objcheck/arch"
	"golang.org/x/arch/arm64/arm64asm"
)

// decodeWord decodes w into in, which holds a zero Insn with Len set. It
// reports false, leaving in as it is, when w is not an instruction.
//
// arm64asm decides what the instruction is; a word it rejects goes to the
// fallback forms, and the few reserved encodings it accepts are turned
// away first.
func decodeWord(w uint32, off uint64, in *arch.Insn) bool {
	if reservedForAsm(w) {
		return false
	}
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], w)
	inst, err := arm64asm.Decode(b[:])
	if err != nil {
		f := lookupFallback(w)
		if f == nil {
			return false
		}
		f.decode(w, off, in)
		return true
	}
	opFor(inst.Op).decode(&inst, off, in)
	return true
}

// reservedForAsm reports whether w is one of the reserved encodings that
// arm64asm takes as an instruction where the ARM ARM, binutils and LLVM do
// not: add, adds, sub, subs (extended register) with a left shift above 4,
// and the logical immediates whose element would be all ones (and x28,
// x1, #-1 does not exist; orr with that pattern is not mov #-1).
func reservedForAsm(w uint32) bool {
	switch {
	case w&0x1f200000 == 0x0b200000: // add/sub (extended register)
		return field(w, 10, 3) > 4
	case w&0x1f800000 == 0x12000000: // logical (immediate)
		_, ok := logImm(w)
		return !ok
	}
	return false
}

// An opInfo says how Decode reads an instruction arm64asm decoded as one
// op: its kind, and the builder that adds the rest (target, immediate,
// stack operations).
type opInfo struct {
	kind  arch.Kind
	build builder
	ldst  ldstFlags // for loadStore
}

// A builder reads what an instruction adds to its kind. Decode calls the
// builders directly (not through function values), so that arm64asm's
// Inst stays on the stack.
type builder uint8

const (
	writesFirst builder = iota // the first operand is a destination: see opFor
	kindOnly                   // nothing beyond the kind
	buildB
	buildBL
	target1 // a branch whose target is operand 1 (cbz, cbnz)
	target2 // a branch whose target is operand 2 (tbz, tbnz)
	buildBrk
	buildImm
	buildHint
	buildAddSub
	buildLogical
	buildMov
	buildMoveWide
	loadStore
	clobberTwo
	buildStruct
)

// decode fills in from inst.
func (o *opInfo) decode(inst *arm64asm.Inst, off uint64, in *arch.Insn) {
	in.Kind = o.kind
	switch o.build {
	case writesFirst:
		clobberArg(in, inst.Args[0])
	case buildB:
		decodeB(inst, off, in)
	case buildBL:
		decodeBL(inst, off, in)
	case target1:
		setTarget(in, off, pcRel(inst, 1))
	case target2:
		setTarget(in, off, pcRel(inst, 2))
	case buildBrk:
		decodeBrk(inst, in)
	case buildImm:
		in.Imm = immArg(inst)
	case buildHint:
		decodeHint(inst, in)
	case buildAddSub:
		decodeAddSub(inst, in)
	case buildLogical:
		decodeLogical(inst, in)
	case buildMov:
		decodeMov(inst, in)
	case buildMoveWide:
		decodeMoveWide(inst, in)
	case loadStore:
		decodeLoadStore(inst, o.ldst, in)
	case clobberTwo:
		clobberArg(in, inst.Args[0])
		clobberArg(in, inst.Args[1])
	case buildStruct:
		decodeStruct(inst, in)
	}
}

// opTable holds the opInfo of each arm64asm op, indexed by op, built from
// opInfos. The ops not there are writesFirst: every other arm64asm op is a
// data-processing, move or conversion instruction (or the same in SIMD
// and floating point) whose first operand is its destination. A general
// register there is clobbered; a SIMD or FP one is not tracked. The
// exclusive and ordered loads (ldxr, ldar, ...) write Rt, their first
// operand, and the stores exclusive their status to Ws, theirs; mrs and
// sysl write Xt. It is built on first use, not at start-up, so that a
// process that reads no arm64 object never builds it.
var opTable = sync.OnceValue(func() []opInfo {
	var max arm64asm.Op
	infos := opInfos()
	for op := range infos {
		max = maxOp(max, op)
	}
	t := make([]opInfo, max+1)
	for op, info := range infos {
		t[op] = info
	}
	return t
})

func maxOp(a, b arm64asm.Op) arm64asm.Op {
	if a > b {
		return a
	}
	return b
}

// opFor returns the opInfo of op.
func opFor(op arm64asm.Op) *opInfo {
	if t := opTable(); int(op) < len(t) {
		return &t[op]
	}
	return &defaultOp
}

// defaultOp is the opInfo of the ops beyond opTable.
var defaultOp opInfo

// only is the opInfo of an op that has kind k and no other effect: it
// reads its operands, or writes only memory, flags or system state.
func only(k arch.Kind) opInfo { return opInfo{kind: k, build: kindOnly} }

// ls is the opInfo of a load or store op with flags f.
func ls(f ldstFlags) opInfo { return opInfo{build: loadStore, ldst: f} }

// opInfos gives the opInfo of every arm64asm op that is not writesFirst.
func opInfos() map[arm64asm.Op]opInfo {
	return map[arm64asm.Op]opInfo{
		// Branches, exceptions, system.
		arm64asm.B:    {build: buildB},
		arm64asm.BL:   {kind: arch.Call, build: buildBL},
		arm64asm.CBZ:  {kind: arch.JumpCond, build: target1},
		arm64asm.CBNZ: {kind: arch.JumpCond, build: target1},
		arm64asm.TBZ:  {kind: arch.JumpCond, build: target2},
		arm64asm.TBNZ: {kind: arch.JumpCond, build: target2},
		arm64asm.BR:   only(arch.JumpDynamic),
		arm64asm.BLR:  only(arch.CallDynamic),
		arm64asm.RET:  only(arch.Return),
		arm64asm.ERET: only(arch.ContextSwitch),
		arm64asm.DRPS: only(arch.ContextSwitch),
		// svc is a system call from user space (the vDSO's fallbacks): it
		// returns to the next instruction, like hvc and smc.
		arm64asm.SVC:   only(arch.Other),
		arm64asm.HVC:   only(arch.Other),
		arm64asm.SMC:   only(arch.Other),
		arm64asm.BRK:   {build: buildBrk},
		arm64asm.HLT:   {kind: arch.Trap, build: buildImm},
		arm64asm.DCPS1: only(arch.Other),
		arm64asm.DCPS2: only(arch.Other),
		arm64asm.DCPS3: only(arch.Other),
		arm64asm.NOP:   only(arch.Nop),
		arm64asm.HINT:  {build: buildHint},
		arm64asm.YIELD: only(arch.Other),
		arm64asm.WFE:   only(arch.Other),
		arm64asm.WFI:   only(arch.Other),
		arm64asm.SEV:   only(arch.Other),
		arm64asm.SEVL:  only(arch.Other),
		arm64asm.CLREX: only(arch.Other),
		arm64asm.DMB:   only(arch.Other),
		arm64asm.DSB:   only(arch.Other),
		arm64asm.ISB:   only(arch.Other),
		arm64asm.MSR:   only(arch.Other),
		arm64asm.SYS:   only(arch.Other),
		arm64asm.AT:    only(arch.Other),
		arm64asm.DC:    only(arch.Other),
		arm64asm.IC:    only(arch.Other),
		arm64asm.TLBI:  only(arch.Other),

		// Data processing with an effect of its own on SP, x29, x30; the
		// comparisons, which write only the flags.
		arm64asm.ADD:  {build: buildAddSub},
		arm64asm.ADDS: {build: buildAddSub},
		arm64asm.SUB:  {build: buildAddSub},
		arm64asm.SUBS: {build: buildAddSub},
		arm64asm.AND:  {build: buildLogical},
		arm64asm.ANDS: {build: buildLogical},
		arm64asm.ORR:  {build: buildLogical},
		arm64asm.EOR:  {build: buildLogical},
		arm64asm.MOV:  {build: buildMov},
		arm64asm.MOVZ: {build: buildMoveWide},
		arm64asm.MOVN: {build: buildMoveWide},
		arm64asm.CMP:  only(arch.Other),
		arm64asm.CMN:  only(arch.Other),
		arm64asm.TST:  only(arch.Other),
		arm64asm.CCMP: only(arch.Other),
		arm64asm.CCMN: only(arch.Other),

		// Loads and stores.
		arm64asm.LDR:    ls(load),
		arm64asm.LDRB:   ls(load),
		arm64asm.LDRH:   ls(load),
		arm64asm.LDRSB:  ls(load | signExt),
		arm64asm.LDRSH:  ls(load | signExt),
		arm64asm.LDRSW:  ls(load | signExt),
		arm64asm.LDUR:   ls(load | unscaled),
		arm64asm.LDURB:  ls(load | unscaled),
		arm64asm.LDURH:  ls(load | unscaled),
		arm64asm.LDURSB: ls(load | unscaled | signExt),
		arm64asm.LDURSH: ls(load | unscaled | signExt),
		arm64asm.LDURSW: ls(load | unscaled | signExt),
		arm64asm.LDTR:   ls(load | unscaled),
		arm64asm.LDTRB:  ls(load | unscaled),
		arm64asm.LDTRH:  ls(load | unscaled),
		arm64asm.LDTRSB: ls(load | unscaled | signExt),
		arm64asm.LDTRSH: ls(load | unscaled | signExt),
		arm64asm.LDTRSW: ls(load | unscaled | signExt),
		arm64asm.STR:    ls(0),
		arm64asm.STRB:   ls(0),
		arm64asm.STRH:   ls(0),
		arm64asm.STUR:   ls(unscaled),
		arm64asm.STURB:  ls(unscaled),
		arm64asm.STURH:  ls(unscaled),
		arm64asm.STTR:   ls(unscaled),
		arm64asm.STTRB:  ls(unscaled),
		arm64asm.STTRH:  ls(unscaled),
		arm64asm.LDP:    ls(load | pair),
		arm64asm.LDNP:   ls(load | pair),
		arm64asm.LDPSW:  ls(load | pair | signExt),
		arm64asm.STP:    ls(pair),
		arm64asm.STNP:   ls(pair),
		arm64asm.PRFM:   only(arch.Other),
		arm64asm.PRFUM:  only(arch.Other),
		// ldxp and ldaxp write two registers.
		arm64asm.LDXP:  {build: clobberTwo},
		arm64asm.LDAXP: {build: clobberTwo},
		arm64asm.STLR:  only(arch.Other),
		arm64asm.STLRB: only(arch.Other),
		arm64asm.STLRH: only(arch.Other),
		// SIMD structure loads and stores may write their base back.
		arm64asm.LD1:  {build: buildStruct},
		arm64asm.LD2:  {build: buildStruct},
		arm64asm.LD3:  {build: buildStruct},
		arm64asm.LD4:  {build: buildStruct},
		arm64asm.LD1R: {build: buildStruct},
		arm64asm.LD2R: {build: buildStruct},
		arm64asm.LD3R: {build: buildStruct},
		arm64asm.LD4R: {build: buildStruct},
		arm64asm.ST1:  {build: buildStruct},
		arm64asm.ST2:  {build: buildStruct},
		arm64asm.ST3:  {build: buildStruct},
		arm64asm.ST4:  {build: buildStruct},
	}
}
