package ppc64

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/objcheck/objcheck/internal/xarch/ppc64asm"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/arch/backflow"
)

// Switch tables. GCC on 64-bit Power (ELFv2, -mcmodel=medium or small)
// dispatches a switch through a table of 32-bit offsets relative to the
// table's start, which it places in .text right after the bctr:
//
//	cmplwi  crN,rI,M          the range check: rI <= M, else the default
//	bgt     crN,default
//	addis   rX,r2,.LC0@toc@ha .LC0 is a .toc entry (R_PPC64_TOC16_HA,
//	ld      rX,.LC0@toc@l(rX) R_PPC64_TOC16_LO_DS) whose R_PPC64_ADDR64
//	sldi    rI,rI,2           points at the table
//	lwax    rE,rX,rI          (rldic rI,rI,2,MB when rI was masked)
//	add     rT,rE,rX
//	mtctr   rT
//	bctr
//	.long   .Lcase0-.Ltable   the table, M+1 entries
//
// With -mcmodel=small the address comes from one `ld rX,.LC0@toc(r2)`, and
// with -mcpu=power10 (pc-relative code) from `pla rX,.Ltable`, which the
// assembler resolves without a relocation. A computed goto (the BPF
// interpreter's `goto *jumptable[op]`) is a table of 64-bit absolute
// addresses in a data section, each entry relocated (R_PPC64_ADDR64):
//
//	addis   rX,r2,table@toc@ha   (R_PPC64_TOC16_HA, TOC16_LO)
//	addi    rX,rX,table@toc@l
//	lbz     rI,0(rP)
//	sldi    rI,rI,3              (rldic rI,rI,3,53)
//	ldx     rT,rX,rI
//	mtctr   rT
//	bctr
//
// The finder walks back from the bctr through the definitions of the
// registers involved: CTR from mtctr, the target from the add (or ldx),
// the entry from lwax, the table address from ld, addi or pla and their
// relocations, the index from the shift that scales it. It then looks for
// the range check on the paths leading to the jump: an unsigned compare
// (cmplwi, cmpldi, or cmplw against a register loaded with li) of the same
// value, a signed one that shows it is not negative or pins it, or andi.
// with a zero result, and a conditional branch on its field that leaves
// the path when the value is out of range (bgt, or ble to the jump; blt,
// bge and beq the same way), the field perhaps saved to a register and
// put back on the way (mfocrf, mtocrf). "The same value" means that the
// compared register and the index derive, through copies and masks (mr,
// extsw, clrlwi, clrldi, andi.), from the same instruction, or from the
// same register where paths back end; or that both are loaded by the same load instruction
// from the same base values (GCC checks a byte, then loads it again for
// the table).
//
// Paths follow fall-through and direct branches backward from the jump
// up to the function's start, as arch/backflow walks them (the search
// arm64's finder shares): code with no predecessor is alignment padding
// (nop, ori r2,r2,0), which no path crosses unless a known table lists
// it, or code reached through a table: a case that dispatches again, or a
// computed goto's label, whose predecessors are taken to be the bctr from
// the function's start to the jump. Each path follows the register that
// holds the index (through the copies, masks and shifts it came by): a
// path on which that register is written with another value does not
// bring the index to the jump, and one that reaches where the index is
// made with no check on the way leaves it bounded by its own range only.
// When several paths reach the jump, the table is as long as the largest
// bound among them (GCC threads jumps: one path may know the index is
// small). A value whose range is known without a compare (a byte load, a
// mask: lbz, andi., clrlwi, rldic's mask) bounds the table by itself when
// no path checks it; that is how the computed goto and `switch (x & 7)`
// are bounded. Two places still trust GCC rather than the paths: a
// compare counts for any value its register may hold there, and an index
// value that no path checks and whose range is large is left out when
// another one is checked.
//
// Every entry is checked: a relative entry must land 4-aligned inside the
// section and outside the table, and the table must follow a bctr; an
// absolute entry must be relocated. A table that fails is reported as
// unbounded rather than guessed. Entries are returned in table order,
// repeats included.
//
// Like Decode, the finder uses x/arch's decoder, which is not safe for
// concurrent use: call it on the goroutine that decodes the object.

// maxEntries is the largest table the finder returns.
const maxEntries = 1 << 12

// maxSteps bounds the instructions one query visits.
const maxSteps = 1 << 16

// maxDepth bounds chains of copies followed back from a register.
const maxDepth = 8

// maxVals bounds the values one register is known to hold.
const maxVals = 32

// bctrWord is bcctr 20,0,0: bctr.
const bctrWord = 0x4e800420

// sprCTR is the special-purpose register number of CTR.
const sprCTR = 9

// volatileGPRs are the registers a call clobbers: r0 and r3 to r12.
const volatileGPRs uint32 = 1 | (1<<13-1)&^(1<<3-1)

// volatileCRs are the condition-register fields a call clobbers: cr0,
// cr1, cr5, cr6 and cr7.
const volatileCRs uint8 = 1<<0 | 1<<1 | 1<<5 | 1<<6 | 1<<7

// Primary and extended opcodes the finder matches.
const (
	opPrefix = 1
	opCmpli  = 10
	opCmpi   = 11
	opAddi   = 14
	opBc     = 16
	opXL     = 19
	opRlwinm = 21
	opAndi   = 28
	opMD     = 30
	opX      = 31
	opLwz    = 32
	opLwzu   = 33
	opLbz    = 34
	opLbzu   = 35
	opLhz    = 40
	opLhzu   = 41
	opPld    = 57
	opDS     = 58
	opDSSt   = 62 // std, stdu, stq

	xoBcctr = 528
	xoCmpl  = 32
	xoLdx   = 21
	xoLwax  = 341
	xoAdd   = 266 // 9-bit XO-form
	xoOr    = 444
	xoExtsw = 986
	xoSrawi = 824
	xoMtspr = 467
	xoMtcrf = 144 // mtcrf, mtocrf
	xoMfcr  = 19  // mfcr, mfocrf
	xoLbzx  = 87
	xoLbzux = 119
	xoLhzx  = 279
	xoLhzux = 311
	xoLwzx  = 23
	xoLwzux = 55
)

// Raw field extraction from an instruction word.
func opcd(w uint32) uint32 { return w >> 26 }
func rt(w uint32) uint8    { return uint8(w>>21) & 31 } // RT, RS, BO
func ra(w uint32) uint8    { return uint8(w>>16) & 31 } // RA, BI
func rb(w uint32) uint8    { return uint8(w>>11) & 31 } // RB, SH
func xo(w uint32) uint32   { return w >> 1 & 0x3ff }
func uimm(w uint32) uint64 { return uint64(w & 0xffff) }

// mdShift returns the SH and MB (or ME) fields of an MD-form rotate and
// its kind (0 rldicl, 1 rldicr, 2 rldic, 3 rldimi).
func mdShift(w uint32) (sh, mb uint, kind uint32) {
	sh = uint(rb(w)) | uint(w>>1&1)<<5
	mb = uint(w>>6&31) | uint(w>>5&1)<<5
	return sh, mb, w >> 2 & 7
}

// mFields returns the SH, MB and ME fields of an M-form rotate (rlwinm).
func mFields(w uint32) (sh, mb, me uint) {
	return uint(rb(w)), uint(w >> 6 & 31), uint(w >> 1 & 31)
}

// mask32 is the 32-bit mask of IBM bits mb..me (bit 0 the most
// significant), wrapping when mb > me.
func mask32(mb, me uint) uint64 {
	m := uint32(0xffffffff>>mb) & uint32(0xffffffff<<(31-me))
	if mb > me {
		m = uint32(0xffffffff>>mb) | uint32(0xffffffff<<(31-me))
	}
	return uint64(m)
}

// lowBits is the mask of the n low bits.
func lowBits(n uint) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return 1<<n - 1
}

// switchFinder returns the arch.Arch.FindSwitch of the byte order order.
func switchFinder(order binary.ByteOrder) func(*arch.SwitchQuery) (*arch.SwitchTable, error) {
	return func(q *arch.SwitchQuery) (*arch.SwitchTable, error) {
		return findSwitch(order, q)
	}
}

// A word is what the finder knows of the instruction at one offset.
type word struct {
	raw    uint32
	size   uint64 // 4, or 8 for a prefixed instruction
	fall   bool   // execution may go on to the next instruction
	cond   bool   // a conditional branch: bo and bi are valid
	ctr    bool   // writes CTR
	bo, bi uint8
	gprs   uint32 // general registers written
	crs    uint8  // condition-register fields written
	call   bool   // a call (not a read of the PC): may write any memory
}

// A val is one value a register may hold: the bits mask of what
// instruction root produced, which is at most max.
type val struct {
	root int64 // offset of the producing instruction; see endRoot, unknownRoot
	// part tells apart the values of a root that writes several registers
	// (a call clobbers r0 and r3 to r12): 1 + the register; 0 otherwise.
	part uint8
	shr  uint // the value is (root's >> shr) & mask
	mask uint64
	max  uint64 // the largest value root's instruction produces
	// An arithmetic shift (srawi) fills the bits from sext up with copies
	// of bit sign-1 of root's value; sext 0: no such bits.
	sext, sign uint8
}

// unknownRoot stands for a value of unknown origin, equal to no other.
const unknownRoot = -1 << 62

// endRoot stands for the value register r holds at pos, where paths back
// end: at the function's start, or at code only reached in ways the finder
// does not follow. Two registers holding it hold the same value.
func endRoot(pos uint64, r uint8) int64 { return -1 - int64(pos)<<5 - int64(r) }

// limit is the largest value v can take.
func (v val) limit() uint64 {
	if v.sext != 0 {
		return ^uint64(0)
	}
	return min(v.mask, v.max>>v.shr)
}

// sameBits reports whether u holds bits of the same value as v, at the
// same place: the instructions from u to v only mask bits off (and with
// them, maybe, the copies of a sign bit).
func (v val) sameBits(u val) bool { return u.root == v.root && u.part == v.part && u.shr == v.shr }

// and returns v with only the bits of m kept.
func (v val) and(m uint64) val {
	v.mask &= m
	if v.sext != 0 && m>>v.sext == 0 {
		v.sext, v.sign = 0, 0
	}
	return v
}

// A switchTrace records how a table was recognised, for the tests.
type switchTrace struct {
	base   string   // how the table's address is made: toc, addi, pla, pld
	index  string   // how the index is scaled: sldi, rldic, slwi
	bound  string   // what bounds it: cmpli, cmpl, or the value's own range
	checks []uint64 // the bounds of the range checks found, path by path
}

// note records a fact in the trace, unless one is there already.
func note(field *string, s string) {
	if *field == "" {
		*field = s
	}
}

// A finder answers one query.
type finder struct {
	trace *switchTrace // read by the tests
	q     *arch.SwitchQuery
	order binary.ByteOrder
	lo    uint64         // offset of a word's low halfword: 0 little-endian, 2 big-endian
	end   uint64         // end of the section's whole words
	code  *backflow.Code // the ways through the code, walked back
	words map[uint64]*word
	vals  map[regAt][]val
}

// A regAt is a register before the instruction at an offset.
type regAt struct {
	pos uint64
	reg uint8
}

// findSwitch implements arch.Arch.FindSwitch for the byte order order.
func findSwitch(order binary.ByteOrder, q *arch.SwitchQuery) (*arch.SwitchTable, error) {
	return findSwitchTraced(order, q, nil)
}

// newFinder returns a finder over q's code, recording its steps in tr,
// if not nil.
func newFinder(order binary.ByteOrder, q *arch.SwitchQuery, tr *switchTrace) *finder {
	f := &finder{
		q: q, order: order, end: uint64(len(q.Code)) &^ 3,
		words: map[uint64]*word{}, vals: map[regAt][]val{}, trace: tr,
	}
	if tr == nil {
		f.trace = &switchTrace{} // written and dropped
	}
	dec := func(code []byte, off uint64, in *arch.Insn) error { return decode(order, code, off, in) }
	f.code = backflow.New(q, dec, f.isPadding, maxSteps)
	if !isLittleEndian(order) {
		f.lo = 2
	}
	return f
}

// findSwitchTraced is findSwitch recording its steps in tr, if not nil.
func findSwitchTraced(order binary.ByteOrder, q *arch.SwitchQuery, tr *switchTrace) (*arch.SwitchTable, error) {
	if q == nil {
		return nil, fmt.Errorf("ppc64: no switch query")
	}
	f := newFinder(order, q, tr)
	if q.Jump%4 != 0 || f.end < 4 || q.Jump > f.end-4 || q.Start > q.Jump {
		return nil, fmt.Errorf("ppc64: jump at %#x outside its section (%d bytes) or before its function (%#x)",
			q.Jump, len(q.Code), q.Start)
	}
	if w := f.word(q.Jump).raw; opcd(w) != opXL || xo(w) != xoBcctr {
		return nil, fmt.Errorf("ppc64: %#08x at %#x is not a bcctr", w, q.Jump)
	}
	defs := f.defs(q.Jump, func(w *word) bool { return w.ctr })
	var out *arch.SwitchTable
	var firstErr error
	for _, d := range defs {
		w := f.word(d).raw
		if opcd(w) != opX || xo(w) != xoMtspr || sprOf(w) != sprCTR {
			continue // CTR clobbered by a call or a bdnz: no table
		}
		t, err := f.fromTarget(rt(w), d, 0)
		switch {
		case err != nil:
			if firstErr == nil {
				firstErr = err
			}
		case t == nil:
		case out == nil:
			out = t
		default:
			out.Targets = append(out.Targets, t.Targets...)
			out.Data = append(out.Data, t.Data...)
		}
	}
	if out != nil {
		return out, nil
	}
	return nil, firstErr
}

// sprOf returns the SPR number of mtspr or mfspr (its two halves swapped).
func sprOf(w uint32) uint32 { return uint32(ra(w)) | uint32(rb(w))<<5 }

// fromTarget recognises the table behind register r, which the mtctr at
// pos moves into CTR: nil, nil when r does not come from a table.
func (f *finder) fromTarget(r uint8, pos uint64, depth int) (*arch.SwitchTable, error) {
	defs := f.defs(pos, writes(r))
	for _, d := range defs {
		w := f.word(d).raw
		switch {
		case opcd(w) == opX && w>>1&0x1ff == xoAdd:
			if t, err := f.relative(d, ra(w), rb(w)); t != nil || err != nil {
				return t, err
			}
		case opcd(w) == opX && xo(w) == xoLdx:
			if t, err := f.absolute(d, ra(w), rb(w)); t != nil || err != nil {
				return t, err
			}
		case opcd(w) == opDS && w&3 == 0 && w&0xfffc == 0:
			// ld rT,0(rA) with rA = table + index.
			if _, ok := f.reloc(d + f.lo); ok {
				continue
			}
			adds := f.defs(d, writes(ra(w)))
			for _, a := range adds {
				if aw := f.word(a).raw; opcd(aw) == opX && aw>>1&0x1ff == xoAdd {
					if t, err := f.absolute(a, ra(aw), rb(aw)); t != nil || err != nil {
						return t, err
					}
				}
			}
		case isCopy(w) && depth < maxDepth:
			if t, err := f.fromTarget(rt(w), d, depth+1); t != nil || err != nil {
				return t, err
			}
		}
	}
	return nil, nil
}

// isCopy reports whether w is mr rA,rS (or rA,rS,rS).
func isCopy(w uint32) bool { return opcd(w) == opX && xo(w) == xoOr && rt(w) == rb(w) }

// relative recognises `add rT,rA,rB` at pos as the sum of an entry loaded
// by lwax and the table address: nil, nil when neither operand is an lwax.
func (f *finder) relative(pos uint64, a, b uint8) (*arch.SwitchTable, error) {
	for _, pair := range [2][2]uint8{{a, b}, {b, a}} {
		entry, base := pair[0], pair[1]
		defs := f.defs(pos, writes(entry))
		for _, d := range defs {
			w := f.word(d).raw
			if opcd(w) != opX || xo(w) != xoLwax {
				continue
			}
			return f.relativeTable(pos, d, base)
		}
	}
	return nil, nil
}

// relativeTable reads the table of offsets that the lwax at load indexes
// and that the add at add sums with register base.
func (f *finder) relativeTable(add, load uint64, base uint8) (*arch.SwitchTable, error) {
	w := f.word(load).raw
	x, y := ra(w), rb(w)
	idx := y
	switch base {
	case x:
	case y:
		idx = x
	default:
		bt, _, ok := f.tableAddr(base, add, 0)
		if xt, _, xok := f.tableAddr(x, load, 0); ok && xok && bt == xt {
			break
		}
		if yt, _, yok := f.tableAddr(y, load, 0); ok && yok && bt == yt {
			idx = x
			break
		}
		return nil, fmt.Errorf("%w: bctr at %#x: add at %#x does not add the table lwax at %#x reads",
			arch.ErrNoSwitchBound, f.q.Jump, add, load)
	}
	base = x + y - idx
	table, how, ok := f.tableAddr(base, load, 0)
	if !ok {
		return nil, fmt.Errorf("%w: bctr at %#x: no table address for r%d of lwax at %#x",
			arch.ErrNoSwitchBound, f.q.Jump, base, load)
	}
	if table.Sec != f.q.Sec {
		return nil, fmt.Errorf("%w: bctr at %#x: table of relative offsets in section %d, not the jump's",
			arch.ErrNoSwitchBound, f.q.Jump, table.Sec)
	}
	note(&f.trace.base, how)
	n, err := f.bound(idx, load, 2)
	if err != nil {
		return nil, err
	}
	start := table.Off
	if start%4 != 0 || start < 4 || start > f.end || uint64(n)*4 > f.end-start {
		return nil, fmt.Errorf("%w: bctr at %#x: table of %d entries at %#x outside the section",
			arch.ErrNoSwitchBound, f.q.Jump, n, start)
	}
	if f.order.Uint32(f.q.Code[start-4:]) != bctrWord {
		// GCC puts a table right after its bctr; anything else is not
		// data to keep from the checker on a guess.
		return nil, fmt.Errorf("%w: bctr at %#x: table at %#x does not follow a bctr",
			arch.ErrNoSwitchBound, f.q.Jump, start)
	}
	end := start + uint64(n)*4
	t := &arch.SwitchTable{Data: []arch.Range{{Start: start, End: end}}}
	for off := start; off < end; off += 4 {
		if _, ok := f.reloc(off); ok {
			continue // a relocated entry points at another section
		}
		dest := int64(start) + int64(int32(f.order.Uint32(f.q.Code[off:])))
		if dest < 0 || uint64(dest) >= f.end || dest%4 != 0 || uint64(dest) >= start && uint64(dest) < end {
			return nil, fmt.Errorf("%w: bctr at %#x: entry %d of the %d-entry table at %#x goes to %#x",
				arch.ErrNoSwitchBound, f.q.Jump, (off-start)/4, n, start, dest)
		}
		t.Targets = append(t.Targets, uint64(dest))
	}
	return t, nil
}

// absolute recognises `ldx rT,rA,rB` (or the add feeding `ld rT,0(rA)`) at
// pos as the load of a relocated 64-bit address from a table: nil, nil when
// neither operand holds a table address, or the table's first entry is not
// relocated into the jump's function (a call through an array of function
// pointers, not a computed goto).
func (f *finder) absolute(pos uint64, a, b uint8) (*arch.SwitchTable, error) {
	for _, pair := range [2][2]uint8{{a, b}, {b, a}} {
		base, idx := pair[0], pair[1]
		table, how, ok := f.tableAddr(base, pos, 0)
		if !ok {
			continue
		}
		first, ok := f.relocIn(table.Sec, table.Off)
		if !ok || first.Sec != f.q.Sec || first.Off <= f.q.Start {
			continue
		}
		note(&f.trace.base, how)
		n, err := f.bound(idx, pos, 3)
		if err != nil {
			return nil, err
		}
		t := &arch.SwitchTable{}
		for i := range uint64(n) {
			dest, ok := f.relocIn(table.Sec, table.Off+8*i)
			if !ok {
				return nil, fmt.Errorf("%w: bctr at %#x: entry %d of the %d-entry table at %d:%#x is not relocated",
					arch.ErrNoSwitchBound, f.q.Jump, i, n, table.Sec, table.Off)
			}
			if dest.Sec != f.q.Sec {
				continue
			}
			if dest.Off >= f.end || dest.Off%4 != 0 || dest.Off <= f.q.Start {
				return nil, fmt.Errorf("%w: bctr at %#x: entry %d of the %d-entry table at %d:%#x goes to %#x",
					arch.ErrNoSwitchBound, f.q.Jump, i, n, table.Sec, table.Off, dest.Off)
			}
			t.Targets = append(t.Targets, dest.Off)
		}
		if table.Sec == f.q.Sec {
			if table.Off%4 != 0 || table.Off > f.end || 8*uint64(n) > f.end-table.Off {
				return nil, fmt.Errorf("%w: bctr at %#x: table of %d entries at %#x outside the section",
					arch.ErrNoSwitchBound, f.q.Jump, n, table.Off)
			}
			t.Data = []arch.Range{{Start: table.Off, End: table.Off + 8*uint64(n)}}
		}
		return t, nil
	}
	return nil, nil
}

// tableAddr returns the address register r holds before the instruction
// at pos, when every definition that yields one agrees.
func (f *finder) tableAddr(r uint8, pos uint64, depth int) (arch.Target, string, bool) {
	defs := f.defs(pos, writes(r))
	var found arch.Target
	var how string
	n := 0
	for _, d := range defs {
		t, h, ok := f.addrAt(d, r, depth)
		if !ok {
			continue
		}
		if n > 0 && t != found {
			return arch.Target{}, "", false
		}
		found, how = t, h
		n++
	}
	return found, how, n > 0
}

// addrAt returns the address the instruction at d puts in register r.
func (f *finder) addrAt(d uint64, r uint8, depth int) (arch.Target, string, bool) {
	wd := f.word(d)
	w := wd.raw
	switch {
	case wd.size == 8 && opcd(w) == opPrefix:
		if d+8 > f.end {
			return arch.Target{}, "", false
		}
		suffix := f.order.Uint32(f.q.Code[d+4:])
		pcrel := w>>20&1 == 1
		switch {
		case w>>24&3 == 2 && opcd(suffix) == opAddi && rt(suffix) == r:
			// paddi (pla): the address itself.
			if t, ok := f.reloc(d); ok {
				return t, "pla", true
			}
			if !pcrel || ra(suffix) != 0 {
				return arch.Target{}, "", false
			}
			imm := int64(uint64(w&0x3ffff)<<16|uint64(suffix&0xffff)) << 30 >> 30
			if dest := int64(d) + imm; dest >= 0 {
				return arch.Target{Sec: f.q.Sec, Off: uint64(dest)}, "pla", true
			}
		case w>>24&3 == 0 && opcd(suffix) == opPld && rt(suffix) == r:
			// pld: a pointer to the table.
			if t, ok := f.reloc(d); ok {
				p, ok := f.relocIn(t.Sec, t.Off)
				return p, "pld", ok
			}
		}
	case opcd(w) == opDS && w&3 == 0 && rt(w) == r:
		// ld rX,.LC@toc@l(rY): the .toc entry points at the table.
		if t, ok := f.reloc(d + f.lo); ok {
			p, ok := f.relocIn(t.Sec, t.Off)
			return p, "toc", ok
		}
	case opcd(w) == opAddi && rt(w) == r && ra(w) != 0:
		// addi rX,rY,table@toc@l: the table itself.
		t, ok := f.reloc(d + f.lo)
		return t, "addi", ok
	case isCopy(w) && ra(w) == r && depth < maxDepth:
		return f.tableAddr(rt(w), d, depth+1)
	}
	return arch.Target{}, "", false
}

// reloc returns where the relocation at off in the jump's section points.
func (f *finder) reloc(off uint64) (arch.Target, bool) { return f.relocIn(f.q.Sec, off) }

// relocIn returns where the relocation at off in section sec points.
func (f *finder) relocIn(sec int, off uint64) (arch.Target, bool) {
	if f.q.Reloc == nil {
		return arch.Target{}, false
	}
	return f.q.Reloc(sec, off)
}

// bound returns the number of entries of a table indexed by register idx
// before the instruction at load, which scales the index by 1<<scale.
//
// The index may come from several places (paths, definitions). The bound
// is the largest that a range check sets on one of them; only when none is
// checked, the largest range the values have by themselves.
func (f *finder) bound(idx uint8, load uint64, scale uint) (int, error) {
	alts := f.indexVals(idx, load, scale, 0)
	if len(alts) == 0 {
		return 0, fmt.Errorf("%w: bctr at %#x: index r%d at %#x is not a shifted value",
			arch.ErrNoSwitchBound, f.q.Jump, idx, load)
	}
	var checked, ranged uint64
	var isChecked, isRanged bool
	for _, v := range alts {
		b, ok, open := f.rangeCheck(v, load, carrier{reg: idx, scale: uint8(scale), scaled: true})
		if ok {
			if open {
				b = v.limit() // some path has no check: v's own range bounds it
			}
			checked, isChecked = max(checked, min(b, v.limit())), true
		} else if v.root != unknownRoot && v.limit() < maxEntries {
			ranged, isRanged = max(ranged, v.limit()), true
		}
	}
	best := checked
	switch {
	case isChecked:
	case isRanged:
		best = ranged
		note(&f.trace.bound, "range")
	default:
		return 0, fmt.Errorf("%w: bctr at %#x: no range check of index r%d at %#x",
			arch.ErrNoSwitchBound, f.q.Jump, idx, load)
	}
	if best >= maxEntries {
		return 0, fmt.Errorf("%w: bctr at %#x: index r%d at %#x up to %d",
			arch.ErrNoSwitchBound, f.q.Jump, idx, load, best)
	}
	return int(best) + 1, nil
}

// indexVals returns the values whose scaled copy register r holds before
// the instruction at pos.
func (f *finder) indexVals(r uint8, pos uint64, scale uint, depth int) []val {
	var out []val
	for _, d := range f.defs(pos, writes(r)) {
		out = append(out, f.indexDefVals(d, r, scale, depth)...)
	}
	return out[:min(len(out), maxVals)]
}

// indexDefVals returns the values whose scaled copy the instruction at d
// writes into register r.
func (f *finder) indexDefVals(d uint64, r uint8, scale uint, depth int) []val {
	w := f.word(d).raw
	if lim, ok := scaledField(w, r, scale); ok {
		note(&f.trace.index, "rlwinm field")
		return []val{{root: int64(d), mask: ^uint64(0), max: lim}}
	}
	if src, mask, how, ok := scaled(w, r, scale); ok {
		note(&f.trace.index, how)
		var out []val
		for _, v := range f.valsOf(src, d, 0) {
			out = append(out, v.and(mask))
		}
		return out
	}
	if isCopy(w) && ra(w) == r && depth < maxDepth {
		return f.indexVals(rt(w), d, scale, depth+1)
	}
	return nil
}

// scaled recognises w as `rD = rS << scale` into register r (sldi, rldic,
// slwi) and returns rS and the mask of rS's bits that reach rD.
func scaled(w uint32, r uint8, scale uint) (uint8, uint64, string, bool) {
	if ra(w) != r {
		return 0, 0, "", false
	}
	switch opcd(w) {
	case opMD:
		sh, mb, kind := mdShift(w)
		switch {
		case sh != scale:
		case kind == 1 && mb == 63-sh: // rldicr rD,rS,sh,63-sh: sldi
			return rt(w), lowBits(64 - sh), "sldi", true
		case kind == 2 && mb <= 63-sh: // rldic rD,rS,sh,mb
			return rt(w), lowBits(64 - mb - sh), "rldic", true
		}
	case opRlwinm:
		sh, mb, me := mFields(w)
		// slwi and its masked forms: with no bit rotated in from the top
		// (me <= 31-sh), rD = (rS & (M >> sh)) << sh.
		if sh == scale && me <= 31-sh && mb <= me {
			return rt(w), mask32(mb, me) >> sh, "slwi", true
		}
	}
	return 0, 0, "", false
}

// scaledField recognises w as an rlwinm into register r that rotates a
// field of rS by other than the table's scale, keeping no bit below it:
// rD = rotl32(rS, sh) & M with M's lowest bit at scale or above. The entry
// number rD >> scale is then at most M >> scale, whatever rS held (GCC
// indexes a table by a bit field so: rlwinm r9,r9,1,26,29 for the 4-bit
// field at bit 1 of a byte, rlwinm r10,r9,29,27,29 for the 3 bits at 5).
// No compare of rS bounds it, since the index is not rS.
func scaledField(w uint32, r uint8, scale uint) (uint64, bool) {
	if opcd(w) != opRlwinm || ra(w) != r {
		return 0, false
	}
	sh, mb, me := mFields(w)
	if sh == scale || mb > me || me > 31-scale {
		return 0, false
	}
	return mask32(mb, me) >> scale, true
}

// valsOf returns the values register r may hold before the instruction at
// pos, following copies and masks back to the instructions that made them.
func (f *finder) valsOf(r uint8, pos uint64, depth int) []val {
	key := regAt{pos, r}
	if vs, ok := f.vals[key]; ok {
		return vs
	}
	defs, ends, gaveUp := f.search(pos, writes(r))
	var out []val
	if gaveUp {
		out = append(out, val{root: unknownRoot, mask: ^uint64(0), max: ^uint64(0)})
	}
	for _, e := range ends {
		out = append(out, val{root: endRoot(e, r), mask: ^uint64(0), max: ^uint64(0)})
	}
	for _, d := range defs {
		out = append(out, f.defVals(d, r, depth)...)
	}
	out = out[:min(len(out), maxVals)]
	f.vals[key] = out
	return out
}

// defVals returns the values the instruction at d writes into register
// r, its target.
func (f *finder) defVals(d uint64, r uint8, depth int) []val {
	wd := f.word(d)
	w := wd.raw
	var out []val
	if src, mask, ok := maskOf(w); ok && depth < maxDepth {
		for _, v := range f.valsOf(src, d, depth+1) {
			out = append(out, v.and(mask))
		}
		return out
	}
	if src, fl, ok := fieldOf(w); ok && depth < maxDepth {
		for _, v := range f.valsOf(src, d, depth+1) {
			out = append(out, fl.of(v))
		}
		return out
	}
	v := val{root: int64(d), mask: ^uint64(0), max: maxOf(w)}
	if bits.OnesCount32(wd.gprs) > 1 {
		v.part = 1 + r
	}
	return []val{v}
}

// maskOf recognises w as a copy of a register with some of its bits kept
// (mr, extsw, clrlwi and rlwinm without rotation, clrldi, andi.) and
// returns the source register and the mask. extsw keeps the value of a
// small non-negative word, which is all a bounded index can be.
func maskOf(w uint32) (uint8, uint64, bool) {
	switch opcd(w) {
	case opX:
		switch {
		case xo(w) == xoOr && rt(w) == rb(w):
			return rt(w), ^uint64(0), true
		case xo(w) == xoExtsw:
			return rt(w), 0xffffffff, true
		}
	case opRlwinm:
		if sh, mb, me := mFields(w); sh == 0 {
			return rt(w), mask32(mb, me), true
		}
	case opMD:
		if sh, mb, kind := mdShift(w); sh == 0 && kind == 0 {
			return rt(w), lowBits(64 - mb), true
		}
	case opAndi:
		return rt(w), uimm(w), true
	}
	return 0, 0, false
}

// bounds returns the bound on v that c <= b puts, when c and v are fields
// of the same value at the same offset, or c holds all of v's bits,
// shifted up by the d bits v lies further right: then v <= c >> d. (GCC checks a byte and indexes
// with its top bits: cmplwi r9,159; srwi r9,r9,5 gives at most 4.)
func (c val) bounds(v val, b uint64) (uint64, bool) {
	if c.root != v.root || c.part != v.part || c.root == unknownRoot || c.shr > v.shr {
		return 0, false
	}
	if c.sext != 0 && (c.shr != v.shr || c.sext != v.sext || c.sign != v.sign) {
		return 0, false // a compare of a signed field bounds that field alone
	}
	if v.sext != 0 && c.sext == 0 {
		// c <= b clears v's sign bit when c holds it and b is below it.
		bit := uint(v.sign) - 1
		if bit < c.shr || c.mask>>(bit-c.shr)&1 == 0 || b>>(bit-c.shr) != 0 {
			return 0, false
		}
		v.sext, v.sign = 0, 0
	}
	d := v.shr - c.shr
	if d == 0 {
		// The same field: its masks are trusted to agree, as GCC knows
		// the value's type (clrlwi r9,r4,16; cmplwi r9,33 bounds an
		// unsigned short r4 indexed in full).
		return b, true
	}
	if v.mask<<d&^c.mask != 0 || v.mask<<d>>d != v.mask {
		return 0, false
	}
	return b >> d, true
}

// A field is a right shift and a mask: (value >> shr) & mask, of the low
// 32 bits of the value when word is set; with sext, the bits above the
// mask are copies of the word's sign bit (srawi).
type field struct {
	shr  uint
	mask uint64
	word bool
	sext bool
}

// of returns the field of v.
func (fl field) of(v val) val {
	if v.sext != 0 {
		return val{root: unknownRoot, mask: ^uint64(0), max: ^uint64(0)}
	}
	m := v.mask
	if fl.word {
		m &= 0xffffffff
	}
	if fl.sext && m>>31&1 != 0 && v.shr+31 < 64 {
		v.sext, v.sign = uint8(32-fl.shr), uint8(v.shr+32)
	}
	v.mask = m >> fl.shr & fl.mask
	v.shr += fl.shr
	if v.shr >= 64 {
		v.mask, v.shr, v.sext, v.sign = 0, 0, 0, 0
	}
	return v
}

// fieldOf recognises w as a shift right of a register that keeps a field
// of it: srwi and rlwinm rD,rS,sh,mb,31 whose mask takes only bits rotated
// down (mb >= 32-sh), srdi and rldicl likewise. GCC so extracts a byte to
// bound it in one register and the same byte, scaled, for the table in
// another (rlwinm r5,r6,16,24,31; srwi r9,r6,16; cmplwi r5,27; rldic
// r9,r9,2,54): both are the same field of r6's value. srawi keeps the
// word's field too, with copies of its sign above (radeon's
// cmplwi r9,49151; srawi r9,r9,13; rldic r9,r9,2,59: at most 5).
func fieldOf(w uint32) (uint8, field, bool) {
	switch opcd(w) {
	case opRlwinm:
		sh, mb, me := mFields(w)
		if sh != 0 && mb <= me && mb >= 32-sh {
			return rt(w), field{shr: 32 - sh, mask: mask32(mb, me), word: true}, true
		}
	case opMD:
		if sh, mb, kind := mdShift(w); sh != 0 && kind == 0 && mb >= 64-sh {
			return rt(w), field{shr: 64 - sh, mask: lowBits(64 - mb)}, true
		}
	case opX:
		if sh := uint(rb(w)); xo(w) == xoSrawi && sh != 0 {
			return rt(w), field{shr: sh, mask: lowBits(32 - sh), word: true, sext: true}, true
		}
	}
	return 0, field{}, false
}

// maxOf returns the largest value the instruction w can produce: the
// width of a zero-extending load, the mask of a rotate, a constant.
func maxOf(w uint32) uint64 {
	switch opcd(w) {
	case opLbz, opLbzu:
		return 0xff
	case opLhz, opLhzu:
		return 0xffff
	case opLwz, opLwzu:
		return 0xffffffff
	case opX:
		switch xo(w) {
		case xoLbzx, xoLbzux:
			return 0xff
		case xoLhzx, xoLhzux:
			return 0xffff
		case xoLwzx, xoLwzux:
			return 0xffffffff
		}
	case opRlwinm:
		_, mb, me := mFields(w)
		return mask32(mb, me)
	case opMD:
		if sh, mb, kind := mdShift(w); kind == 0 && sh != 0 {
			return lowBits(64 - mb) // srdi and other rotate-and-clear-left
		}
	case opAddi:
		if ra(w) == 0 && int16(w) >= 0 {
			return uimm(w) // li
		}
	}
	return ^uint64(0)
}

// Condition-register facts: for each of the eight fields, which of its
// bits (LT, GT, EQ, SO) a path is known to have set (low nibble) or clear
// (high nibble).
type crFacts uint64

const (
	bitLT = 0
	bitGT = 1
	bitEQ = 2
)

func (c crFacts) field(n uint8) uint8 { return uint8(c >> (8 * n)) }

func (c crFacts) with(bi uint8, set bool) crFacts {
	shift := 8*uint64(bi/4) + uint64(bi%4)
	if !set {
		shift += 4
	}
	return c | 1<<shift
}

func (c crFacts) without(fields uint8) crFacts {
	for n := range uint8(8) {
		if fields&(1<<n) != 0 {
			c &^= 0xff << (8 * n)
		}
	}
	return c
}

// A carrier is the register that holds, on a path back, the value a range
// check is sought for: shifted left by scale when scaled (the table's
// index, before the instruction that scales it).
type carrier struct {
	reg    uint8
	scale  uint8
	scaled bool
}

// heldFacts are the facts of one condition-register field while a path
// back has them in a general register (GCC saves a field and puts it
// back: mfocrf r9,16; rlwinm r9,r9,12,0,3; rotlwi r9,r9,20; mtocrf
// 16,r9): the field's byte of crFacts, held in bits at..at+3 of reg.
// No facts: none held.
type heldFacts struct {
	facts, reg, at uint8
}

// moveFacts carries the facts known after the instruction w to before
// it, where w moves a condition-register field into the register that
// holds its facts, rotates that register, or sets the field from it.
// The caller then clears the facts of the fields w writes.
func moveFacts(w *word, facts crFacts, h heldFacts) (crFacts, heldFacts) {
	raw := w.raw
	if opcd(raw) == opX && xo(raw) == xoMtcrf {
		if n, ok := oneField(raw); ok && facts.field(n) != 0 {
			return facts, heldFacts{facts: facts.field(n), reg: rt(raw), at: 4 * (7 - n)}
		}
	}
	if h.facts == 0 || w.gprs&(1<<h.reg) == 0 {
		return facts, h
	}
	switch {
	case opcd(raw) == opX && xo(raw) == xoMfcr && h.at%4 == 0:
		n := 7 - h.at/4
		if m, ok := oneField(raw); raw&(1<<20) == 0 || ok && m == n { // mfcr, or mfocrf of that field
			return facts.without(1<<n) | crFacts(h.facts)<<(8*n), heldFacts{}
		}
	case opcd(raw) == opRlwinm:
		sh, mb, me := mFields(raw)
		if from := (uint(h.at) - sh) & 31; mask32(mb, me)>>h.at&0xf == 0xf && from <= 28 {
			return facts, heldFacts{facts: h.facts, reg: rt(raw), at: uint8(from)}
		}
	}
	return facts, heldFacts{} // the register is written otherwise
}

// oneField returns the field that the FXM of mtocrf, mtcrf or mfocrf
// names, when it names one only.
func oneField(raw uint32) (uint8, bool) {
	fxm := uint8(raw >> 12)
	if bits.OnesCount8(fxm) != 1 {
		return 0, false
	}
	return uint8(bits.LeadingZeros8(fxm)), true
}

// rangeCheck walks back from the instruction at pos, where c holds v,
// along every path to it, and returns the largest bound that an unsigned
// compare of v followed by a branch on the result establishes on a path
// (checked set when one does). A path stops at its first such check, and
// where v is made: there, or at the function's start with v unchecked,
// open is set, and v's own range bounds it. A path on which c is written
// with another value than v does not carry v to the jump and bounds
// nothing. When v is loaded from memory, GCC checks a value and may load
// it again from the same place for the table, so the path goes on past
// v's load, looking for a check of the same load (see sameLoad).
func (f *finder) rangeCheck(v val, pos uint64, c carrier) (best uint64, checked, open bool) {
	r := &rangeWalk{f: f, v: v, tracked: v.root != unknownRoot}
	if v.root >= 0 && isPlainLoad(f.word(uint64(v.root)).raw) {
		r.vload = f.word(uint64(v.root)).raw
	}
	seen := map[rangeState]bool{}
	work := []rangeState{{pos: pos, c: c}}
	for len(work) > 0 {
		if f.code.Exhausted() {
			return r.best, r.checked, true // paths left unexplored may have no check
		}
		s := work[len(work)-1]
		work = work[:len(work)-1]
		edges, end := f.code.Preds(s.pos)
		if end && r.tracked && (s.reload || !s.c.scaled && v.root == endRoot(s.pos, s.c.reg)) {
			r.open = true
		}
		for _, e := range edges {
			f.code.Spend()
			if next, ok := r.back(s, e); ok && !seen[next] {
				seen[next] = true
				work = append(work, next)
			}
		}
	}
	return r.best, r.checked, r.open
}

// A rangeWalk is one rangeCheck of v, and what its paths found.
type rangeWalk struct {
	f             *finder
	v             val
	vload         uint32 // v's load, if v is loaded from memory (no load is 0)
	tracked       bool   // v's origin is known, and so the register holding it
	best          uint64
	checked, open bool
}

// A rangeState is where a path back stands: before the instruction at
// pos, with what is known there.
type rangeState struct {
	pos    uint64
	facts  crFacts
	held   heldFacts
	reload bool // v's load is behind: look for a check of the same load
	c      carrier
}

// back takes the path at s one instruction back, along e, and returns
// the state before e's instruction; ok is false where the path stops.
func (r *rangeWalk) back(s rangeState, e backflow.Edge) (rangeState, bool) {
	p := e.From
	f, v, w := r.f, r.v, r.f.word(p)
	next := s
	next.pos = p
	isRoot := int64(p) == v.root && (s.reload || !r.tracked || w.gprs&(1<<s.c.reg) != 0)
	if isRoot {
		if r.vload == 0 || s.reload {
			r.open = true
			return next, false
		}
		next.reload = true
	}
	if next.reload && !isRoot && (w.call || storeMayAlias(w.raw, r.vload) || w.gprs&loadBases(r.vload) != 0) {
		r.open = true // what v was loaded from may have changed: no check of it
		return next, false
	}
	if r.tracked && !next.reload && w.gprs&(1<<s.c.reg) != 0 {
		c, ok := f.carried(p, s.c, v)
		if !ok {
			return next, false // another value reaches the jump on this path
		}
		next.c = c
	}
	facts := branchFacts(w, e.Taken, s.facts)
	if w.crs != 0 {
		if b, ok := f.compare(p, w, facts, v, next.reload); ok {
			f.trace.checks = append(f.trace.checks, b)
			r.best, r.checked = max(r.best, b), true
			return next, false
		}
	}
	next.facts, next.held = moveFacts(w, facts, s.held)
	next.facts = next.facts.without(w.crs)
	return next, true
}

// branchFacts adds to facts what the conditional branch w shows of its
// condition bit on the way out of it that is taken, or not.
func branchFacts(w *word, taken bool, facts crFacts) crFacts {
	if !w.cond || w.bo&0x10 != 0 {
		return facts
	}
	ifSet := w.bo&0x08 != 0
	switch {
	case taken:
		return facts.with(w.bi, ifSet)
	case w.bo&0x04 != 0: // falling through a bdnz-style branch says nothing
		return facts.with(w.bi, !ifSet)
	}
	return facts
}

// carried returns the carrier of v before the instruction at p, which
// writes c's register: the register p copies, masks or scales v from. ok
// is false when p writes another value than v there (or is v's root).
func (f *finder) carried(p uint64, c carrier, v val) (carrier, bool) {
	w := f.word(p).raw
	if c.scaled {
		if !slices.ContainsFunc(f.indexDefVals(p, c.reg, uint(c.scale), 0), v.sameBits) {
			return c, false
		}
		if src, _, _, ok := scaled(w, c.reg, uint(c.scale)); ok {
			return carrier{reg: src}, true
		}
		if isCopy(w) {
			return carrier{reg: rt(w), scale: c.scale, scaled: true}, true
		}
		return c, false
	}
	if !slices.ContainsFunc(f.defVals(p, c.reg, 0), v.sameBits) {
		return c, false
	}
	if src, ok := sourceOf(w); ok {
		return carrier{reg: src}, true
	}
	return c, false
}

// sourceOf returns the register that w copies, masks or takes a field of,
// the forms defVals follows.
func sourceOf(w uint32) (uint8, bool) {
	if src, _, ok := maskOf(w); ok {
		return src, true
	}
	src, _, ok := fieldOf(w)
	return src, ok
}

// compare returns the bound the compare w at pos puts on v, given the
// facts known of its field after it; when reload is set, on a value loaded
// from the same place as v.
func (f *finder) compare(pos uint64, w *word, facts crFacts, v val, reload bool) (uint64, bool) {
	reg, bound, how, ok := f.compareBound(pos, w.raw, facts)
	if !ok {
		return 0, false
	}
	for _, c := range f.valsOf(reg, pos, 0) {
		b, ok := bound(c)
		if !ok {
			continue
		}
		// A bound no table could have (cmpwi r3,0; bge: r3 >= 0) is none:
		// a check further back may bound the same path.
		if reload && c.root >= 0 && b < maxEntries &&
			(f.sameLoad(uint64(c.root), uint64(v.root), pos) || c.shr == 0 && f.lowPart(uint64(c.root), v)) {
			note(&f.trace.bound, how+"-reload")
			return b, true
		}
		if bv, ok := c.bounds(v, b); ok && !reload && bv < maxEntries {
			note(&f.trace.bound, how)
			return bv, true
		}
	}
	return 0, false
}

// compareBound returns the register the compare (or andi.) raw at pos
// tests, and the bound that the facts known of its result put on a value
// c that register may hold: unsigned compares with a constant (cmpli,
// cmpl), signed ones that show the value is not negative (cmpi: cmpwi
// r10,0; blt), and andi. rS,M with the result zero, which clears M's
// bits of c (andi. r9,r31,128; bne: a byte below 128).
func (f *finder) compareBound(pos uint64, raw uint32, facts crFacts) (uint8, func(val) (uint64, bool), string, bool) {
	bf := uint8(raw>>23) & 7
	if opcd(raw) == opAndi {
		bf = 0
	}
	known := facts.field(bf)
	set, clear := known&15, known>>4
	fixed := func(b uint64) func(val) (uint64, bool) {
		return func(val) (uint64, bool) { return b, true }
	}
	switch opcd(raw) {
	case opAndi:
		if set&(1<<bitEQ) == 0 {
			break
		}
		m := uimm(raw)
		return rt(raw), func(c val) (uint64, bool) {
			lim := c.limit()
			b := min(lim, lowBits(uint(bits.Len64(lim)))&^m)
			return b, bits.Len64(b) < bits.Len64(lim) // the top bits tested
		}, "andi.", true
	case opCmpi:
		if b, ok := signedBound(int64(int16(raw)), set, clear, raw>>21&1 != 0); ok {
			return ra(raw), fixed(b), "cmpi", true
		}
	case opCmpli:
		if b, ok := unsignedBound(uimm(raw), set, clear, false); ok {
			return ra(raw), fixed(b), "cmpli", true
		}
	case opX:
		if xo(raw) != xoCmpl {
			break
		}
		reg, reversed := ra(raw), false
		k, ok := f.constant(rb(raw), pos)
		if !ok {
			k, ok = f.constant(ra(raw), pos)
			reg, reversed = rb(raw), true
		}
		if !ok {
			break
		}
		if b, ok := unsignedBound(k, set, clear, reversed); ok {
			return reg, fixed(b), "cmpl", true
		}
	}
	return 0, nil, "", false
}

// unsignedBound returns the bound an unsigned compare of a register with
// k (k with the register when reversed) puts on the register, given the
// condition bits known set and clear.
func unsignedBound(k uint64, set, clear uint8, reversed bool) (uint64, bool) {
	switch {
	case !reversed && clear&(1<<bitGT) != 0, reversed && clear&(1<<bitLT) != 0:
		return k, true // reg <= k
	case !reversed && set&(1<<bitLT) != 0 && k > 0, reversed && set&(1<<bitGT) != 0 && k > 0:
		return k - 1, true // reg < k
	case set&(1<<bitEQ) != 0:
		return k, true
	}
	return 0, false
}

// signedBound returns the bound a signed compare of a register with k
// puts on it, read unsigned, when it shows the register is not negative:
// k when it pins the value (cmpwi r25,16; beq), else at most the largest
// positive word (doubleword when long). A pinned value bounds its own
// path only; the table's bound is the largest over all paths, and a path
// with no check leaves it open (rangeCheck).
func signedBound(k int64, set, clear uint8, long bool) (uint64, bool) {
	top := uint64(math.MaxInt32)
	if long {
		top = math.MaxInt64
	}
	if set&(1<<bitEQ) != 0 && k >= 0 {
		return uint64(k), true
	}
	if clear&(1<<bitLT) != 0 && k >= 0 || set&(1<<bitGT) != 0 && k >= -1 {
		return top, true // reg >= 0
	}
	return 0, false
}

// isPlainLoad reports whether w loads a general register from memory
// without updating its base: lbz, lhz, lha, lwz, lwa, ld and their indexed
// forms.
func isPlainLoad(w uint32) bool {
	switch opcd(w) {
	case opLbz, opLhz, opLwz, 42: // 42: lha
		return true
	case opDS:
		return w&3 == 0 || w&3 == 2 // ld, lwa
	case opX:
		switch xo(w) {
		case xoLbzx, xoLhzx, xoLwzx, xoLdx, xoLwax, 343: // 343: lhax
			return true
		}
	}
	return false
}

// sameLoad reports whether the load at a, which a compare at pos checks,
// reads the same place as the load at b: the same instruction but for
// its target, with base registers that hold the same values at a as at
// the compare or as at b. (The path from b back to the compare writes no
// memory the load reads: rangeCheck sees to that.)
func (f *finder) sameLoad(a, b, pos uint64) bool {
	if a == b {
		return true // one load, met again around a loop
	}
	wa, wb := f.word(a).raw, f.word(b).raw
	if f.updatedThen(a, wa, b, wb) || f.indexedAsSum(a, wa, b, wb) || f.indexedAsSum(b, wb, a, wa) {
		return true
	}
	if !isPlainLoad(wa) || wa&^loadRegFields(wa) != wb&^loadRegFields(wb) {
		return false
	}
	if loadBases(wa) != loadBases(wb) {
		return f.sameBases(a, wa, b, wb)
	}
	for r := uint8(0); r < 32; r++ {
		if loadBases(wa)&(1<<r) == 0 {
			continue
		}
		va := f.valsOf(r, a, 0)
		if !allKnown(va) || !slices.Equal(va, f.valsOf(r, pos, 0)) && !slices.Equal(va, f.valsOf(r, b, 0)) {
			return false
		}
	}
	return true
}

// allKnown reports whether there are values and all have a known origin,
// so that two registers holding the same ones hold one value.
func allKnown(vs []val) bool {
	return len(vs) > 0 && !slices.ContainsFunc(vs, func(v val) bool { return v.root == unknownRoot })
}

// indexedForms maps the extended opcode of each indexed plain load to
// its D-form: primary opcode, and the low two bits of a DS-form.
var indexedForms = map[uint32][2]uint32{
	xoLbzx: {opLbz, 0}, xoLhzx: {opLhz, 0}, 343: {42, 0}, // 343: lhax, 42: lha
	xoLwzx: {opLwz, 0}, xoLwax: {opDS, 2}, xoLdx: {opDS, 0},
}

// indexedAsSum reports whether the indexed load wx at x (lwzx r10,r3,r31)
// and the D-form load wd at d (lwz r9,0(r9) after add r9,r3,r31) read the
// same place: the same width at displacement 0 from a base that an add
// made of two registers holding, at the add, what wx's hold at x
// (amdgpu_cs_ioctl, amdgpu.ko).
func (f *finder) indexedAsSum(x uint64, wx uint32, d uint64, wd uint32) bool {
	if opcd(wx) != opX {
		return false
	}
	form, ok := indexedForms[xo(wx)]
	if !ok || opcd(wd) != form[0] || wd&0xffff != form[1] || ra(wx) == 0 || ra(wd) == 0 {
		return false
	}
	base := f.valsOf(ra(wd), d, 0)
	if len(base) != 1 || base[0].root < 0 {
		return false
	}
	sum := uint64(base[0].root)
	ws := f.word(sum).raw
	if opcd(ws) != opX || ws>>1&0x1ff != xoAdd {
		return false
	}
	xa, xb := f.valsOf(ra(wx), x, 0), f.valsOf(rb(wx), x, 0)
	sa, sb := f.valsOf(ra(ws), sum, 0), f.valsOf(rb(ws), sum, 0)
	if !allKnown(xa) || !allKnown(xb) {
		return false
	}
	return slices.Equal(xa, sa) && slices.Equal(xb, sb) || slices.Equal(xa, sb) && slices.Equal(xb, sa)
}

// lowPart reports whether the zero-extending load at a reads the bytes of
// v's load that hold all of v's bits, through the same base: lhz
// r6,152(r1) checked, ld r9,152(r1) masked to 16 bits for the table
// (advansys_pci_probe, advansys.ko), in either byte order. Then v is at
// most what a loads.
func (f *finder) lowPart(a uint64, v val) bool {
	wa, wb := f.word(a).raw, f.word(uint64(v.root)).raw
	if v.shr != 0 || v.sext != 0 || opcd(wa) == opX || opcd(wb) == opX || !zeroExtends(wa) {
		return false
	}
	na, nb := loadWidth(wa), loadWidth(wb)
	if na == 0 || nb < na || v.mask > lowBits(8*uint(na)) {
		return false
	}
	off := dispOf(wb)
	if f.lo != 0 {
		off += nb - na // big-endian: the low bytes are the last
	}
	return dispOf(wa) == off && f.sameBases(a, wa, uint64(v.root), wb)
}

// zeroExtends reports whether the D-form plain load w fills the bits
// above what it reads with zeros: lbz, lhz, lwz (and ld, which reads all).
func zeroExtends(w uint32) bool {
	switch opcd(w) {
	case opLbz, opLhz, opLwz:
		return true
	case opDS:
		return w&3 == 0
	}
	return false
}

// loadRegFields returns the bits of the plain load w that name registers:
// RT, RA and, for an indexed form, RB.
func loadRegFields(w uint32) uint32 {
	m := uint32(31<<21 | 31<<16)
	if opcd(w) == opX {
		m |= 31 << 11
	}
	return m
}

// sameBases reports whether the plain loads wa at a and wb at b, one
// instruction but for their registers, address memory through registers
// that hold the same values: mr r31,r3; lbz r9,40(r3); (check);
// lbz r9,40(r31) (GCC reloads through the callee-saved copy).
func (f *finder) sameBases(a uint64, wa uint32, b uint64, wb uint32) bool {
	pairs := [2][2]uint8{{ra(wa), ra(wb)}, {rb(wa), rb(wb)}}
	for i, p := range pairs {
		if i == 1 && opcd(wa) != opX {
			break
		}
		if i == 0 && (p[0] == 0) != (p[1] == 0) {
			return false // r0 as RA reads as 0
		}
		if i == 0 && p[0] == 0 {
			continue
		}
		va := f.valsOf(p[0], a, 0)
		if !allKnown(va) || !slices.Equal(va, f.valsOf(p[1], b, 0)) {
			return false
		}
	}
	return true
}

// dStores gives, by primary opcode, the width of each D- and DS-form
// store of a general register (stw, stwu, stb, stbu, sth, sthu, std and
// stdu; stmw as the most it can write), 0 for other opcodes; xStores
// marks the extended opcodes of the indexed stores. Arrays, not maps:
// rangeCheck asks of every instruction on its paths.
var (
	dStores = [64]int64{36: 4, 37: 4, 38: 1, 39: 1, 44: 2, 45: 2, 47: 128, opDSSt: 8}
	xStores = [1024]bool{149: true, 151: true, 181: true, 183: true, 215: true, 247: true,
		407: true, 439: true, 662: true, 918: true, 150: true, 214: true, 694: true, 726: true}
)

// dLoads gives, by primary opcode, the width of each D- and DS-form plain
// load.
var dLoads = [64]int64{opLbz: 1, 42: 2, opLhz: 2, opLwz: 4, opDS: 8}

// storeMayAlias reports whether the store w may write what the plain load
// ld reads. A D-form store through the load's base register (unchanged
// in between: the caller sees to it) may when their bytes meet; other
// stores to the stack (relative to r1) never do. Any other store may.
func storeMayAlias(w, ld uint32) bool {
	if opcd(w) == opX {
		return xStores[xo(w)]
	}
	size := dStores[opcd(w)]
	if size == 0 {
		return false
	}
	if opcd(w) == opDSSt && w&3 == 2 {
		size = 16 // stq
	}
	if ra(w) == ra(ld) && ra(ld) != 0 && opcd(ld) != opX {
		so, lo := dispOf(w), dispOf(ld)
		return so < lo+loadWidth(ld) && lo < so+size
	}
	return ra(w) != 1
}

// loadWidth returns how many bytes the D- or DS-form plain load ld reads.
func loadWidth(ld uint32) int64 {
	if opcd(ld) == opDS && ld&3 == 2 {
		return 4 // lwa
	}
	return dLoads[opcd(ld)]
}

// dispOf returns the signed displacement of a D- or DS-form instruction.
func dispOf(w uint32) int64 {
	d := int64(int16(w & 0xffff))
	if opcd(w) == opDS || opcd(w) == opDSSt {
		d &^= 3
	}
	return d
}

// updateLoads maps the D-form loads with update (lbzu, lhzu, lwzu) to
// their plain forms.
var updateLoads = map[uint32]uint32{opLbzu: opLbz, opLhzu: opLhz, opLwzu: opLwz}

// updatedThen reports whether the load with update wa at a (lbzu r9,1(r30):
// r30 += 1, then a byte from r30) and the plain load wb at b read the same
// place: b is the same width at displacement 0 from the base that a alone
// set (GCC's loop over bytes: lbzu, check, lbz 0(r30) for the table).
func (f *finder) updatedThen(a uint64, wa uint32, b uint64, wb uint32) bool {
	plain, ok := updateLoads[opcd(wa)]
	if !ok || opcd(wb) != plain || ra(wa) != ra(wb) || ra(wa) == 0 || wb&0xffff != 0 {
		return false
	}
	vs := f.valsOf(ra(wb), b, 0)
	return len(vs) == 1 && vs[0].root == int64(a)
}

// loadBases returns the registers (a bit each) the plain load w
// addresses memory with: RA unless it is r0 (which reads as 0), and RB
// of an indexed form.
func loadBases(w uint32) uint32 {
	var m uint32
	if ra(w) != 0 {
		m |= 1 << ra(w)
	}
	if opcd(w) == opX {
		m |= 1 << rb(w)
	}
	return m
}

// constant returns the value register r holds before pos when every
// definition reaching it is the same li.
func (f *finder) constant(r uint8, pos uint64) (uint64, bool) {
	defs, ends, gaveUp := f.search(pos, writes(r))
	if gaveUp || len(ends) > 0 || len(defs) == 0 {
		return 0, false
	}
	var k uint64
	for i, d := range defs {
		w := f.word(d).raw
		if opcd(w) != opAddi || ra(w) != 0 || int16(w) < 0 || i > 0 && uimm(w) != k {
			return 0, false
		}
		k = uimm(w)
	}
	return k, true
}

// writes returns the predicate of the instructions that write register r.
func writes(r uint8) func(*word) bool {
	return func(w *word) bool { return w.gprs&(1<<r) != 0 }
}

// defs returns the instructions satisfying def that are the last to do so
// on some path to the instruction at pos, nearest first along
// fall-through.
func (f *finder) defs(pos uint64, def func(*word) bool) []uint64 {
	out, _, _ := f.search(pos, def)
	return out
}

// search walks every path back from the instruction at pos to the last
// instruction satisfying def, and returns those instructions, the points
// where paths without one end (the function's start, code reached in ways
// not followed), and whether it gave up.
func (f *finder) search(pos uint64, def func(*word) bool) (defs, ends []uint64, gaveUp bool) {
	defs, ends, ok := f.code.Defs(pos, func(off uint64) backflow.Effect {
		if def(f.word(off)) {
			return backflow.Def
		}
		return backflow.None
	})
	return defs, ends, !ok
}

// isPadding reports whether the word at p is one GCC aligns code with:
// nop, or ori r2,r2,0.
func (f *finder) isPadding(p uint64) bool {
	if p%4 != 0 || f.end < 4 || p > f.end-4 {
		return false
	}
	w := f.order.Uint32(f.q.Code[p:])
	return w == nopWord || w == tocNopWord
}

// The two padding words GCC aligns code with.
const (
	nopWord    = 0x60000000 // nop
	tocNopWord = 0x60420000 // ori r2,r2,0
)

// word decodes the instruction at p once.
func (f *finder) word(p uint64) *word {
	if w, ok := f.words[p]; ok {
		return w
	}
	w := &word{size: 4}
	f.words[p] = w
	if p%4 != 0 || f.end < 4 || p > f.end-4 {
		return w
	}
	code := f.q.Code[p:f.end]
	w.raw = f.order.Uint32(code)
	st := f.code.Step(p)
	if st == nil {
		return w // an earlier table's entry, or no instruction
	}
	w.size = uint64(st.Len)
	w.fall = f.code.Falls(p)
	if st.Kind.IsCall() && st.Flags&arch.FlagLinkRegCall == 0 {
		w.gprs, w.crs, w.ctr, w.call = volatileGPRs, volatileCRs, true, true
	}
	switch op := opcd(w.raw); {
	case op == opBc || op == opXL && (xo(w.raw) == 16 || xo(w.raw) == xoBcctr || xo(w.raw) == 560):
		w.bo, w.bi = rt(w.raw), ra(w.raw)
		w.cond = st.Kind == arch.JumpCond || st.Kind == arch.JumpDynamicCond || st.Kind == arch.ReturnCond
		if op == opBc && w.bo&0x04 == 0 {
			w.ctr = true // bdnz and friends
		}
	case op == 17: // sc: hypervisor and ultravisor calls return, clobbering
		w.gprs, w.crs = volatileGPRs, volatileCRs
	}
	x, err := ppc64asm.Decode(code, f.order)
	if err != nil || x.Op == 0 {
		w.crs = 0xff // one of extraInsns: transactional memory sets cr0
		return w
	}
	if r, ok := x.Args[0].(ppc64asm.Reg); ok && r >= ppc64asm.R0 && r <= ppc64asm.R31 && writesFirstReg(&x, r) {
		w.gprs |= 1 << (r - ppc64asm.R0)
	}
	name := x.Op.String()
	if (strings.HasPrefix(name, "l") || strings.HasPrefix(name, "st")) &&
		(strings.HasSuffix(name, "u") || strings.HasSuffix(name, "ux")) {
		w.gprs |= 1 << ra(w.raw) // update forms write RA
	}
	switch x.Op {
	case ppc64asm.LMW:
		w.gprs |= ^uint32(0) << rt(w.raw)
	case ppc64asm.LQ:
		w.gprs |= 3 << rt(w.raw)
	case ppc64asm.PLQ:
		w.gprs |= 3 << rt(x.SuffixEnc)
	case ppc64asm.MTCRF, ppc64asm.MTOCRF:
		// FXM names the fields written, cr0 in its top bit.
		w.crs = bits.Reverse8(uint8(w.raw >> 12))
	case ppc64asm.MTSPR:
		if spr, _ := x.Args[0].(ppc64asm.SpReg); spr == sprCTR {
			w.ctr = true
		}
	}
	if c, ok := x.Args[0].(ppc64asm.CondReg); ok {
		switch {
		case c >= ppc64asm.CR0:
			w.crs |= 1 << (c - ppc64asm.CR0)
		case c >= ppc64asm.Cond0LT:
			w.crs |= 1 << ((c - ppc64asm.Cond0LT) / 4)
		}
	}
	if strings.HasSuffix(name, ".") {
		w.crs |= 3 // cr0, or cr1 for floating point
	}
	return w
}
