package ppc64

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/objcheck/objcheck/internal/xarch/ppc64asm"

	"github.com/objcheck/objcheck/arch"
)

// primaryPrefix is the primary opcode of a Power10 prefix word: the
// instruction is 8 bytes long, prefix word first.
const primaryPrefix = 1

// ppc64asmLock serializes the process's calls of ppc64asm.Decode, which
// writes package state on first use: the one mutable package variable,
// for a dependency's own.
var ppc64asmLock sync.Mutex

// decode implements arch.Arch.Decode for the byte order order.
//
// A word x/arch rejects is looked up in extraInsns (real instructions x/arch
// does not know); anything else is arch.ErrUnknown with Len 4, so that the
// caller steps to the next word. The all-zero word, which x/arch returns as
// an instruction with no operation, is unknown too: primary opcode 0 is not
// an instruction and in kernel .text it is always data or padding.
func decode(order binary.ByteOrder, code []byte, off uint64, in *arch.Insn) error {
	*in = arch.Insn{}
	if len(code) < 4 {
		in.Len = uint8(max(len(code), 1))
		return fmt.Errorf("%w: %d bytes at %#x", arch.ErrTruncated, len(code), off)
	}
	word := order.Uint32(code)
	in.Len = 4
	if word>>26 == primaryPrefix && len(code) < 8 {
		return fmt.Errorf("%w: prefix %#08x with %d bytes at %#x", arch.ErrTruncated, word, len(code), off)
	}
	x, err := ppc64asm.Decode(code, order)
	if err != nil || x.Op == 0 {
		if kind, ok := lookupExtra(word); ok {
			in.Kind = kind
			return nil
		}
		return fmt.Errorf("%w: %#08x at %#x", arch.ErrUnknown, word, off)
	}
	in.Len = uint8(x.Len)
	if h := handlerOf(x.Op); h != nil {
		h(x, off, in)
	} else if writesFirstReg(&x, ppc64asm.R1) {
		clobberSP(in)
	}
	if writesFirstReg(&x, ppc64asm.R0) && !writesReg(in, 0) {
		// r0 is where GCC carries the return address between mflr and its
		// save slot: the checker must see every other write to it.
		addOp(in, arch.Src{Type: arch.SrcConst}, 0)
	}
	return nil
}

// writesReg reports whether in already has an operation writing r.
func writesReg(in *arch.Insn, r arch.Reg) bool {
	for _, op := range in.StackOps() {
		if op.Dst.Type == arch.DstReg && op.Dst.Reg == r {
			return true
		}
	}
	return false
}

// A handler fills in the kind, target and stack operations of one
// instruction x at section offset off. in arrives with Len set and the rest
// zero.
type handler func(x ppc64asm.Inst, off uint64, in *arch.Insn)

// handlers holds the operations that matter for control flow or the stack
// state, indexed by x/arch's Op. An operation without a handler is Other
// with no stack operation, unless it writes r1 (see writesFirstReg).
var handlers = [...]handler{
	// Branches: the I-form (b, ba, bl, bla), the B-form (bc...), and the
	// XL-form through LR, CTR or TAR.
	ppc64asm.B:      jumpImm,
	ppc64asm.BA:     jumpImm,
	ppc64asm.BC:     jumpImm,
	ppc64asm.BCA:    jumpImm,
	ppc64asm.BL:     callImm,
	ppc64asm.BLA:    callImm,
	ppc64asm.BCL:    callImm,
	ppc64asm.BCLA:   callImm,
	ppc64asm.BCLR:   returnLR,
	ppc64asm.BCCTR:  jumpReg,
	ppc64asm.BCTAR:  jumpReg,
	ppc64asm.BCLRL:  callReg,
	ppc64asm.BCCTRL: callReg,
	ppc64asm.BCTARL: callReg,

	// Traps: trap, twi 31,0,0 (BUG) and tdnei/twnei (BUG_ON, WARN_ON).
	ppc64asm.TW:  trap,
	ppc64asm.TD:  trap,
	ppc64asm.TWI: trap,
	ppc64asm.TDI: trap,

	// System calls and returns from interrupts.
	ppc64asm.SC:    systemCall,
	ppc64asm.SCV:   contextSwitch,
	ppc64asm.RFID:  contextSwitch,
	ppc64asm.HRFID: contextSwitch,
	ppc64asm.URFID: contextSwitch,
	ppc64asm.RFSCV: contextSwitch,
	ppc64asm.RFEBB: contextSwitch,

	ppc64asm.NOP: nop,
	ppc64asm.ORI: oriNop,

	// Stack state: see stack.go.
	ppc64asm.MFSPR:    moveFromSPR,
	ppc64asm.MTSPR:    moveToSPR,
	ppc64asm.OR:       or,
	ppc64asm.ORCC:     or,
	ppc64asm.ADDI:     addImm,
	ppc64asm.PADDI:    addImm,
	ppc64asm.ADDIS:    addImmShifted,
	ppc64asm.LI:       loadImm,
	ppc64asm.LIS:      loadImmShifted,
	ppc64asm.ADD:      addReg,
	ppc64asm.ADDCC:    addReg,
	ppc64asm.RLDICR:   rotateMask,
	ppc64asm.RLDICRCC: rotateMask,
	ppc64asm.RLDICL:   rotateMask,
	ppc64asm.RLDICLCC: rotateMask,
	ppc64asm.LD:       loadDouble,
	ppc64asm.PLD:      loadDouble,
	ppc64asm.LDU:      loadDouble,
	ppc64asm.STD:      storeDouble,
	ppc64asm.PSTD:     storeDouble,
	ppc64asm.STDU:     storeDouble,
	ppc64asm.LBZU:     updateDisp,
	ppc64asm.LHZU:     updateDisp,
	ppc64asm.LHAU:     updateDisp,
	ppc64asm.LWZU:     updateDisp,
	ppc64asm.STBU:     updateDisp,
	ppc64asm.STHU:     updateDisp,
	ppc64asm.STWU:     updateDisp,
	ppc64asm.LFSU:     updateDisp,
	ppc64asm.LFDU:     updateDisp,
	ppc64asm.STFSU:    updateDisp,
	ppc64asm.STFDU:    updateDisp,
	ppc64asm.LBZUX:    updateIndex,
	ppc64asm.LHZUX:    updateIndex,
	ppc64asm.LHAUX:    updateIndex,
	ppc64asm.LWZUX:    updateIndex,
	ppc64asm.LWAUX:    updateIndex,
	ppc64asm.LDUX:     updateIndex,
	ppc64asm.STBUX:    updateIndex,
	ppc64asm.STHUX:    updateIndex,
	ppc64asm.STWUX:    updateIndex,
	ppc64asm.STDUX:    updateIndex,
	ppc64asm.LFSUX:    updateIndex,
	ppc64asm.LFDUX:    updateIndex,
	ppc64asm.STFSUX:   updateIndex,
	ppc64asm.STFDUX:   updateIndex,
	ppc64asm.LMW:      loadMultiple,
	ppc64asm.LQ:       loadMultiple,
	ppc64asm.PLQ:      loadMultiple,
}

// handlerOf returns the handler of op, or nil.
func handlerOf(op ppc64asm.Op) handler {
	if int(op) < len(handlers) {
		return handlers[op]
	}
	return nil
}
