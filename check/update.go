package check

import (
	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// The pseudo bases, as int32 for loc.
const (
	baseUndef  = arch.BaseUndefined
	baseCFA    = arch.BaseCFA
	baseSPInd  = arch.BaseSPIndirect
	baseBPInd  = arch.BaseBPIndirect
	pushSize   = 8
	hintRegs   = 3
	hintRegsPt = 4
	// baseRA marks, in vals, a register holding the return address: its
	// offset says whether it was copied from the link register (ppc64
	// mflr r0, arm64 mov x10, x30) or reloaded from the slot the link
	// register was saved in (ppc64 ld r0, 16(r1)).
	baseRA = -5
)

// How a register came to hold the return address (the off of a baseRA
// value).
const (
	raCopied   = 0
	raReloaded = 1
)

// A frame applies stack operations to a state for one architecture
// (objtool's update_cfi_state). Its methods return a warning text, or ""
// when the operation was understood.
type frame struct {
	a        *arch.Arch
	prog     *cfg.Program // for the symbols instructions are in
	sp, bp   int32
	lr       int32 // the link register, or -1
	initial  *cfiState
	stackval bool
}

// saveReg records where a callee-saved register was saved, once.
func (f *frame) saveReg(c *cfiState, reg uint8, base, off int32) {
	if f.a.IsCalleeSaved(arch.Reg(reg)) && c.regs.at(int32(reg)).base == baseUndef {
		c.regs.set(int32(reg), loc{base, off})
	}
}

// restoreReg marks a register as back in place.
func (f *frame) restoreReg(c *cfiState, reg uint8) {
	c.regs.set(int32(reg), f.initial.regs.at(int32(reg)))
}

// update applies one stack operation of in (whose successor is next).
func (f *frame) update(in *cfg.Insn, next *cfg.Insn, c *cfiState, op *arch.StackOp) string {
	if c.forceUndef {
		return ""
	}
	if c.cfa.base == baseUndef {
		if f.prog.Func(in) != nil {
			return "undefined stack state"
		}
		return ""
	}
	if c.typ == hintRegs || c.typ == hintRegsPt {
		f.updateRegsHint(c, op)
		return ""
	}
	switch op.Dst.Type {
	case arch.DstReg:
		return f.toReg(in, next, c, op)
	case arch.DstPush, arch.DstPushF:
		f.push(in, c, op)
	case arch.DstRegIndirect:
		f.toMem(c, op)
	case arch.DstMem:
		if op.Src.Type != arch.SrcPop && op.Src.Type != arch.SrcPopF {
			return "unknown stack-related memory operation"
		}
		c.stackSize -= pushSize
		if c.cfa.base == f.sp {
			c.cfa.off -= pushSize
		}
	default:
		return "unknown stack-related instruction"
	}
	return ""
}

// updateRegsHint tracks only the CFA offset inside a pt_regs frame.
func (f *frame) updateRegsHint(c *cfiState, op *arch.StackOp) {
	if c.cfa.base != f.sp && c.cfa.base != baseSPInd {
		return
	}
	if op.Dst.Type == arch.DstPush || op.Dst.Type == arch.DstPushF {
		c.cfa.off += pushSize
	}
	if op.Src.Type == arch.SrcPop || op.Src.Type == arch.SrcPopF {
		c.cfa.off -= pushSize
	}
	if op.Dst.Type == arch.DstReg && op.Src.Type == arch.SrcAdd &&
		int32(op.Dst.Reg) == f.sp && int32(op.Src.Reg) == f.sp {
		c.cfa.off -= int32(op.Src.Off)
	}
}

// toReg applies an operation whose destination is a register.
func (f *frame) toReg(in, next *cfg.Insn, c *cfiState, op *arch.StackOp) string {
	switch op.Src.Type {
	case arch.SrcReg:
		f.regToReg(c, int32(op.Src.Reg), int32(op.Dst.Reg))
	case arch.SrcAdd:
		return f.addToReg(next, c, op)
	case arch.SrcAnd:
		return f.andToReg(c, op)
	case arch.SrcPop, arch.SrcPopF:
		f.pop(c, int32(op.Dst.Reg))
	case arch.SrcRegIndirect:
		f.loadReg(c, op)
	case arch.SrcConst:
		return f.clobber(c, int32(op.Dst.Reg))
	default:
		return "unknown stack-related instruction"
	}
	return ""
}

// clobber applies a write of a value the checker cannot follow (the
// link-register machines' decoders report these; objtool's x86 decoder
// never does). Losing the CFA base is an error; any other register just
// stops holding a stack-derived value.
func (f *frame) clobber(c *cfiState, dst int32) string {
	if dst == c.cfa.base {
		return "unsupported stack register modification"
	}
	c.vals.set(dst, undefined)
	return ""
}

// regToReg applies mov %src,%dst.
func (f *frame) regToReg(c *cfiState, src, dst int32) {
	if f.lr >= 0 && f.linkMove(c, src, dst) {
		return
	}
	cfa := &c.cfa
	switch {
	case src == f.sp && dst == f.bp && cfa.base == f.sp && c.regs.at(f.bp) == (loc{baseCFA, -cfa.off}):
		cfa.base = dst // mov %rsp, %rbp: the frame is set up
		c.bpScratch = false
	case src == f.sp && dst == f.bp && c.drap:
		c.regs.set(f.bp, loc{f.bp, -c.stackSize})
		c.bpScratch = false
	case src == f.sp && cfa.base == f.sp:
		c.vals.set(dst, loc{baseCFA, -c.stackSize})
	case src == f.bp && dst == f.sp && (cfa.base == f.bp || cfa.base == c.drapReg):
		c.stackSize = -c.regs.at(f.bp).off // mov %rbp, %rsp (Clang)
	case dst == cfa.base:
		f.movToCFABase(c, src)
	case dst == f.sp && c.vals.at(src).base == baseSPInd && c.vals.at(src).off == cfa.off:
		c.stackSize += pushSize // stack swizzle seen from a non-SP CFA
	case c.vals.at(src).base == baseCFA:
		c.vals.set(dst, loc{baseCFA, c.vals.at(src).off})
	}
}

// movToCFABase applies mov %src,%reg where reg is the CFA base.
func (f *frame) movToCFABase(c *cfiState, src int32) {
	cfa := &c.cfa
	switch {
	case cfa.base == f.sp && c.vals.at(src).base == baseCFA:
		cfa.off = -c.vals.at(src).off
		c.stackSize = cfa.off
	case cfa.base == f.sp && c.vals.at(src).base == baseSPInd && c.vals.at(src).off == cfa.off:
		cfa.base = baseSPInd // stack swizzle
	default:
		*cfa = loc{baseUndef, 0}
	}
}

// addToReg applies add/lea forms: %dst = %src + off.
func (f *frame) addToReg(next *cfg.Insn, c *cfiState, op *arch.StackOp) string {
	src, dst, off := int32(op.Src.Reg), int32(op.Dst.Reg), int32(op.Src.Off)
	cfa := &c.cfa
	switch {
	case dst == f.sp && src == f.sp:
		c.stackSize -= off
		if cfa.base == f.sp {
			cfa.off -= off
		}
	case dst == f.bp && src == f.sp && f.addFrameRecord(c, off):
	case f.lr >= 0 && dst == f.sp && c.vals.at(src).base == baseCFA && cfa.base == f.sp:
		c.stackSize = -(c.vals.at(src).off + off) // addi r1, r31, n with r31 a copy of r1
		cfa.off = c.stackSize
	case dst == f.sp && src == f.bp:
		if !(cfa.base == f.bp && cfa.off == 0) {
			c.stackSize = -(off + c.regs.at(f.bp).off) // lea disp(%rbp), %rsp
		}
	case src == f.sp && cfa.base == f.sp:
		c.drapReg = dst
		c.vals.set(dst, loc{baseCFA, -c.stackSize + off})
	case c.drap && dst == f.sp && src == c.drapReg:
		cfa.base = f.sp
		c.stackSize = -off
		cfa.off = c.stackSize
		c.drapReg = baseUndef
		c.drap = false
	case dst == cfa.base && (next == nil || !next.Has(cfg.HasHint)):
		return "unsupported stack register modification"
	}
	return ""
}

// andToReg applies and $imm,%rsp (stack realignment).
func (f *frame) andToReg(c *cfiState, op *arch.StackOp) string {
	if dst := int32(op.Dst.Reg); f.lr >= 0 && dst != f.sp && dst != c.cfa.base {
		return f.clobber(c, dst)
	}
	if int32(op.Dst.Reg) != f.sp ||
		(c.drapReg != baseUndef && c.cfa.base != f.sp) ||
		(c.drapReg == baseUndef && c.cfa.base != f.bp) {
		return "unsupported stack pointer realignment"
	}
	if c.drapReg != baseUndef {
		c.cfa = loc{c.drapReg, 0}
		c.stackSize = 0
		c.drap = true
	}
	return ""
}

// pop applies pop %dst.
func (f *frame) pop(c *cfiState, dst int32) {
	cfa := &c.cfa
	if dst == f.sp && cfa.base == baseSPInd {
		cfa.base = f.sp // pop %rsp: back from a stack swizzle
		return
	}
	if !c.drap && dst == cfa.base {
		cfa.base = f.sp // pop %rbp
	}
	if c.drap && cfa.base == baseBPInd && dst == c.drapReg && c.drapOff == -c.stackSize {
		*cfa = loc{c.drapReg, 0}
		c.drapOff = -1
	} else if c.stackSize == -c.regs.at(dst).off {
		f.restoreReg(c, uint8(dst))
	}
	c.stackSize -= pushSize
	if cfa.base == f.sp {
		cfa.off -= pushSize
	}
}

// loadReg applies mov disp(%base),%dst.
func (f *frame) loadReg(c *cfiState, op *arch.StackOp) {
	src, dst, off := int32(op.Src.Reg), int32(op.Dst.Reg), int32(op.Src.Off)
	cfa := &c.cfa
	if f.lr >= 0 {
		if f.linkLoad(c, src, dst, off) {
			return
		}
		if c.vals.at(dst).base == baseRA {
			c.vals.set(dst, undefined) // a copy of the return address overwritten
		}
	}
	if !c.drap && dst == cfa.base && dst == f.bp {
		*cfa = loc{f.sp, c.stackSize}
	}
	if c.drap && src == f.bp && off == c.drapOff {
		*cfa = loc{c.drapReg, 0}
		c.drapOff = -1
	}
	switch {
	case c.drap && src == f.bp && off == c.regs.at(dst).off:
		f.restoreReg(c, uint8(dst))
	case src == cfa.base && off == c.regs.at(dst).off+cfa.off:
		f.restoreReg(c, uint8(dst))
	case src == f.sp && off == c.regs.at(dst).off+c.stackSize:
		f.restoreReg(c, uint8(dst))
	}
}

// push applies push %src (or pushf, push imm).
func (f *frame) push(in *cfg.Insn, c *cfiState, op *arch.StackOp) {
	cfa := &c.cfa
	c.stackSize += pushSize
	if cfa.base == f.sp {
		cfa.off += pushSize
	}
	if op.Src.Type != arch.SrcReg {
		return
	}
	src := int32(op.Src.Reg)
	switch {
	case c.drap && src == cfa.base && src == c.drapReg:
		*cfa = loc{baseBPInd, -c.stackSize}
		c.drapOff = -c.stackSize
	case c.drap && src == f.bp && cfa.base == c.drapReg:
		c.stackSize = 0
	case c.drap:
		f.saveReg(c, uint8(src), f.bp, -c.stackSize)
	default:
		f.saveReg(c, uint8(src), baseCFA, -c.stackSize)
	}
	if f.stackval && f.prog.Func(in) != nil && src == f.bp && cfa.base != f.bp {
		c.bpScratch = true
	}
}

// toMem applies mov %src,disp(%base).
func (f *frame) toMem(c *cfiState, op *arch.StackOp) {
	src, dst, off := int32(op.Src.Reg), int32(op.Dst.Reg), int32(op.Dst.Off)
	cfa := &c.cfa
	if f.lr >= 0 {
		if c.vals.at(src).base == baseRA {
			src = f.lr // the return address, saved through a register
		}
		if src == f.sp && dst == f.sp && cfa.base == f.sp && c.stackSize == f.initial.stackSize {
			c.chain = loc{baseCFA, off - c.stackSize} // the back chain
			return
		}
	}
	switch {
	case c.drap && src == cfa.base && src == c.drapReg:
		*cfa = loc{baseBPInd, off}
		c.drapOff = off
	case c.drap:
		f.saveReg(c, uint8(src), f.bp, off)
	case dst == cfa.base:
		f.saveReg(c, uint8(src), baseCFA, off-cfa.off)
	case dst == f.sp:
		f.saveReg(c, uint8(src), baseCFA, off-c.stackSize)
	case src == f.sp && off == 0:
		c.vals.set(dst, loc{baseSPInd, cfa.off})
	}
}

// linkMove follows the return address between the link register and a
// general register (ppc64 mflr/mtlr, arm64 mov x0, x30) and reports
// whether the move was one of those.
func (f *frame) linkMove(c *cfiState, src, dst int32) bool {
	switch {
	case src == f.lr && c.regs.at(f.lr) == f.initial.regs.at(f.lr):
		c.vals.set(dst, loc{baseRA, raCopied})
		return true
	case dst == f.lr && c.vals.at(src) == loc{baseRA, raCopied} && c.regs.at(f.lr).base == baseCFA:
		// The link register gets back the value it has had since
		// entry, and its saved copy stays valid (ppc64 mflr r0;
		// std r0, 16(r1); mtlr r0, arm64 mov x10, x30; ...;
		// mov x30, x10): a move, not the epilogue's restore.
		return true
	case dst == f.lr && c.vals.at(src).base == baseRA:
		f.restoreReg(c, uint8(f.lr))
		return true
	case dst == f.lr:
		return true
	}
	if c.vals.at(dst).base == baseRA {
		c.vals.set(dst, undefined)
	}
	return false
}

// addFrameRecord applies add %fp, %sp, imm on a link-register machine
// (arm64): the frame pointer now points at the frame record, so the CFA
// is based on it.
func (f *frame) addFrameRecord(c *cfiState, off int32) bool {
	if f.lr < 0 || c.cfa.base != f.sp || c.regs.at(f.bp) != (loc{baseCFA, -(c.cfa.off - off)}) {
		return false
	}
	c.cfa = loc{f.bp, c.cfa.off - off}
	c.bpScratch = false
	return true
}

// linkLoad follows loads on link-register machines: the stack pointer
// from the back chain (ppc64 ld r1,0(r1)), and the saved return address
// into a general register on its way back to the link register.
func (f *frame) linkLoad(c *cfiState, src, dst, off int32) bool {
	cfa := &c.cfa
	if src != f.sp || cfa.base != f.sp {
		return false
	}
	slot := off - c.stackSize
	switch {
	case dst == f.sp && c.chain.base == baseCFA && slot == c.chain.off:
		*cfa = f.initial.cfa
		c.stackSize = f.initial.stackSize
		c.chain = undefined
		return true
	case dst != f.lr && c.regs.at(f.lr) == (loc{baseCFA, slot}):
		c.vals.set(dst, loc{baseRA, raReloaded})
		return true
	}
	return false
}
