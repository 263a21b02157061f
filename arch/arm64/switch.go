package arm64

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/arch/backflow"
)

// FindSwitch recovers the switch table behind the dynamic jump at q.Jump
// from the code of its function (arch.Arch's FindSwitch). arm64 jump tables
// carry no relocations: GCC loads an entry, relative to a label taken by
// adr, from a table in .rodata and adds it to the label:
//
//	cmp   wI, #N                 the bound: b.hi default falling through,
//	b.hi  default                or b.ls/b.lo branching to the dispatch
//	adrp  xA, .rodata+k          R_AARCH64_ADR_PREL_PG_HI21
//	add   xA, xA, #0             R_AARCH64_ADD_ABS_LO12_NC: the table
//	ldrb  wE, [xA, wI, uxtw]     or ldrh ... uxtw #1, ldr ... uxtw #2, ldrs*
//	adr   xB, base
//	add   xT, xB, wE, sxtb #2    or sxth, sxtw, uxtb, ...; or add xT, xB,
//	br    xT                     xE, lsl #2 (the form Clang emits)
//
// Nothing is taken from the order or the distance of these instructions:
// each register is followed back from its use through the function's
// control flow (fall-through and direct branches, from q.Start), and a
// value is taken only when every path agrees on it. So the table address
// may be set up long before (in a callee-saved register, across calls) or
// spilled to a stack slot and reloaded. The bound must hold on every path
// to the load: an unsigned compare of the index (eq, lo, ls on the way
// taken) whose flags reach the conditional branch on a straight line, a
// cbz of the index, or an instruction that bounds the index by itself
// (ldrb, ldrh, and with a mask, ubfx, movz); the table has the largest
// bound + 1 entries. Targets are base + extend(entry) << shift,
// deduplicated, in table order. The tables live in .rodata, so no range of
// the code is data.
//
// A computed goto (the BPF interpreter's goto *jumptable[op]) loads a
// relocated 64-bit address instead: see computedGoto.
//
// FindSwitch returns nil, nil when the jump is not fed by either pattern
// down to the register-offset load of the entry (a tail call through a
// register, a computed jump without a table); an error wrapping
// arch.ErrNoSwitchBound when the pattern is there but the table's address
// or its bound cannot be proven (no guessing); and another error when the
// table runs past the end of its section or an entry points outside the
// code or between instructions. It never panics.
//
// The paths are walked by arch/backflow, the search ppc64's finder
// shares: direct branches from q.Start to the end of the section, and
// code no branch or fall-through reaches taken to be reached from the br
// instructions between q.Start and the jump. Branches from other sections
// (relocated) and exception fixups are not seen as ways into the code.
func FindSwitch(q *arch.SwitchQuery) (*arch.SwitchTable, error) {
	d, err := swFind(q)
	if d == nil || err != nil {
		return nil, err
	}
	return &arch.SwitchTable{Targets: d.targets}, nil
}

// A swDispatch is a switch table recovered from the code.
type swDispatch struct {
	table   arch.Target // where its entries are
	entries uint64      // how many
	stride  uint64      // bytes from one entry to the next
	width   uint64      // bytes in an entry
	targets []uint64    // the distinct destinations, in table order
}

// swFind is FindSwitch, telling where the table is.
func swFind(q *arch.SwitchQuery) (*swDispatch, error) {
	if q == nil || q.Jump%4 != 0 || q.Start%4 != 0 || q.Start > q.Jump ||
		q.Jump > uint64(len(q.Code)) || uint64(len(q.Code))-q.Jump < 4 {
		return nil, nil
	}
	a := newAnalysis(q)
	w := a.word(q.Jump)
	if w&0xfffffc1f != 0xd61f0000 { // br xT
		return nil, nil
	}
	regT := uint8(swField(w, 5, 5))
	if regT == 31 {
		return nil, nil
	}

	// What sets xT: the load of a computed goto, or the add of a switch
	// dispatch, xT = xB + extend(xE) << shift with xB from adr.
	addPos, ok := a.uniqueDef(q.Jump, swReg(regT))
	if !ok {
		return nil, nil
	}
	if ld, ok := swDecodeTableLoad(a.word(addPos)); ok {
		return a.computedGoto(addPos, ld)
	}
	add, ok := swDecodeAddIndex(a.word(addPos))
	if !ok || add.rn == 31 {
		return nil, nil
	}
	basePos, ok := a.uniqueDef(addPos, swReg(add.rn))
	if !ok {
		return nil, nil
	}
	bw := a.word(basePos)
	if bw&0x9f000000 != 0x10000000 { // adr
		return nil, nil
	}
	base := basePos + uint64(swAdrImm(bw))

	// xE is loaded from the table: [xA, xI, ext #s]. Without such a load
	// the jump is computed, not tabled.
	if add.rm == 31 {
		return nil, nil
	}
	loadPos, ok := a.uniqueDef(addPos, swReg(add.rm))
	if !ok {
		return nil, nil
	}
	ld, ok := swDecodeTableLoad(a.word(loadPos))
	if !ok || ld.rn == 31 || ld.rt != add.rm {
		return nil, nil
	}

	// From here on it is a switch table: what cannot be proven is said.
	fail := func(format string, args ...any) error {
		return &swError{jump: q.Jump, msg: fmt.Sprintf(format, args...)}
	}
	tab, ok := a.evalReg(loadPos, ld.rn, 0)
	if !ok || tab.kind != swAddr {
		return nil, fail("the table address of the load at %#x is not a relocated adrp/add", loadPos)
	}
	var maxIdx uint64
	if ld.rm != 31 { // index xzr: one entry
		maxIdx, ok = a.bound(loadPos, ld.rm, ld.option)
		if !ok {
			return nil, fail("no compare bounds the index x%d of the load at %#x", ld.rm, loadPos)
		}
	}

	// Read the entries.
	var data []byte
	if q.Data != nil {
		data = q.Data(tab.t.Sec)
	}
	stride := uint64(1) << ld.shift
	width := uint64(1) << ld.size
	n := maxIdx + 1
	if data == nil || n == 0 || maxIdx > uint64(len(data))/stride ||
		tab.t.Off > uint64(len(data)) || maxIdx*stride > uint64(len(data))-tab.t.Off ||
		uint64(len(data))-tab.t.Off-maxIdx*stride < width {
		return nil, fmt.Errorf("arm64 switch at %#x: table of %d entries at section %d offset %#x is past the end of the section (%d bytes)",
			q.Jump, n, tab.t.Sec, tab.t.Off, len(data))
	}
	seen := make(map[uint64]bool)
	targets := make([]uint64, 0, min(n, 256))
	for i := uint64(0); i < n; i++ {
		off := tab.t.Off + i*stride
		raw := swReadLE(data[off : off+width])
		t := base + add.extend(ld.value(raw))
		if t >= uint64(len(q.Code)) || t%4 != 0 {
			return nil, fmt.Errorf("arm64 switch at %#x: entry %d of the table at section %d offset %#x points to %#x, outside the code or misaligned",
				q.Jump, i, tab.t.Sec, tab.t.Off, t)
		}
		if !seen[t] {
			seen[t] = true
			targets = append(targets, t)
		}
	}
	return &swDispatch{table: tab.t, entries: n, stride: stride, width: width, targets: targets}, nil
}

// computedGoto recovers the table of a computed goto (the BPF
// interpreter's goto *jumptable[op]): br xT fed by ldr xT, [xA, xI, #3]
// from a table of 64-bit addresses, each relocated (R_AARCH64_ABS64) to a
// label of the function:
//
//	adrp  x21, jumptable         (in .rodata, with its own symbol)
//	add   x21, x21, :lo12:jumptable
//	ldrb  w1, [x19]              the bound: 256 entries
//	ldr   x2, [x21, w1, sxtw #3]
//	br    x2
//
// It is nil, nil when the table's address is not a relocated one, or the
// first entry is not relocated into the code after the function's start:
// an array of function pointers, a tail call.
func (a *swAnalysis) computedGoto(loadPos uint64, ld swTableLoad) (*swDispatch, error) {
	q := a.q
	if ld.size != 3 || ld.opc != 1 || ld.shift != 3 || ld.rn == 31 || q.Reloc == nil {
		return nil, nil
	}
	tab, ok := a.evalReg(loadPos, ld.rn, 0)
	if !ok || tab.kind != swAddr {
		return nil, nil
	}
	first, ok := q.Reloc(tab.t.Sec, tab.t.Off)
	if !ok || first.Sec != q.Sec || first.Off <= q.Start {
		return nil, nil
	}
	var maxIdx uint64
	if ld.rm != 31 {
		if maxIdx, ok = a.bound(loadPos, ld.rm, ld.option); !ok {
			return nil, &swError{jump: q.Jump, msg: fmt.Sprintf(
				"no compare bounds the index x%d of the computed goto's load at %#x", ld.rm, loadPos)}
		}
	}
	var data []byte
	if q.Data != nil {
		data = q.Data(tab.t.Sec)
	}
	n := maxIdx + 1
	if n == 0 || maxIdx >= uint64(len(data))/8 || tab.t.Off > uint64(len(data))-8*n {
		return nil, fmt.Errorf("arm64 computed goto at %#x: table of %d entries at section %d offset %#x is past the end of the section (%d bytes)",
			q.Jump, n, tab.t.Sec, tab.t.Off, len(data))
	}
	seen := make(map[uint64]bool)
	var targets []uint64
	for i := uint64(0); i < n; i++ {
		t, ok := q.Reloc(tab.t.Sec, tab.t.Off+8*i)
		if !ok || t.Sec != q.Sec || t.Off <= q.Start || t.Off >= uint64(len(q.Code)) || t.Off%4 != 0 {
			return nil, fmt.Errorf("arm64 computed goto at %#x: entry %d of the table at section %d offset %#x is not relocated into the code after the function's start",
				q.Jump, i, tab.t.Sec, tab.t.Off)
		}
		if !seen[t.Off] {
			seen[t.Off] = true
			targets = append(targets, t.Off)
		}
	}
	return &swDispatch{table: tab.t, entries: n, stride: 8, width: 8, targets: targets}, nil
}

// A swError is a switch table FindSwitch recognised but could not recover.
type swError struct {
	jump uint64
	msg  string
}

func (e *swError) Error() string {
	return fmt.Sprintf("arm64 switch at %#x: %s", e.jump, e.msg)
}

func (e *swError) Unwrap() error { return arch.ErrNoSwitchBound }

// swBudget caps the instructions one query examines, so that a huge
// function costs a failure, not minutes.
const swBudget = 1 << 17

// swAnalysis follows values back through one function's code.
type swAnalysis struct {
	q    *arch.SwitchQuery
	end  uint64         // end of the whole words of the section
	code *backflow.Code // the ways through the code, walked back
}

// newAnalysis returns the analysis of q's code.
func newAnalysis(q *arch.SwitchQuery) *swAnalysis {
	a := &swAnalysis{q: q, end: uint64(len(q.Code)) &^ 3}
	// No word is taken for padding: the corpus has not needed it, and a
	// case may begin with a nop (a static key's).
	a.code = backflow.New(q, Decode, nil, swBudget)
	return a
}

func (a *swAnalysis) word(pos uint64) uint32 {
	return binary.LittleEndian.Uint32(a.q.Code[pos:])
}

// A swLoc is what a value lives in: a register x0..x30, a stack slot
// [sp, #off] of size bytes, or the condition flags.
type swLoc struct {
	kind uint8
	reg  uint8
	off  int64
	size int64
}

const (
	swLocReg = iota
	swLocSlot
	swLocFlags
)

func swReg(r uint8) swLoc { return swLoc{kind: swLocReg, reg: r} }

// effect says what the instruction at pos does to loc.
func (a *swAnalysis) effect(pos uint64, loc swLoc) backflow.Effect {
	w := a.word(pos)
	switch loc.kind {
	case swLocFlags:
		if swSetsFlags(w) {
			return backflow.Def
		}
		return backflow.None
	case swLocReg:
		regs, _, all := swWrites(w)
		if all {
			return backflow.Clobber
		}
		if regs&(1<<loc.reg) != 0 {
			return backflow.Def
		}
		return backflow.None
	}
	_, sp, all := swWrites(w)
	if all || sp {
		return backflow.Clobber
	}
	st, ok := swStoreSP(w)
	if !ok {
		return backflow.None
	}
	if st.unknown {
		return backflow.Clobber
	}
	for i, off := range [2]int64{st.off, st.off + st.size} {
		if i == 1 && !st.pair {
			break
		}
		if off == loc.off && st.size == loc.size {
			return backflow.Def
		}
		if off < loc.off+loc.size && loc.off < off+st.size {
			return backflow.Clobber
		}
	}
	return backflow.None
}

// reachingDefs returns the instructions that set loc on the paths into
// the point before p, or false when a path reaches the function's entry or
// something that changes loc beyond following.
func (a *swAnalysis) reachingDefs(p uint64, loc swLoc) ([]uint64, bool) {
	defs, ends, ok := a.code.Defs(p, func(off uint64) backflow.Effect { return a.effect(off, loc) })
	return defs, ok && len(ends) == 0 && len(defs) > 0
}

// walkBack walks every path back from the point before p (backflow's
// Walk): false when visit fails, when a path reaches the function's
// entry, or when the budget runs out.
func (a *swAnalysis) walkBack(p uint64, visit func(e backflow.Edge) backflow.Action) bool {
	ends, ok := a.code.Walk(p, visit)
	return ok && len(ends) == 0
}

// uniqueDef returns the one instruction that sets loc on every path into
// the point before p.
func (a *swAnalysis) uniqueDef(p uint64, loc swLoc) (uint64, bool) {
	defs, ok := a.reachingDefs(p, loc)
	if !ok {
		return 0, false
	}
	for _, d := range defs[1:] {
		if d != defs[0] {
			return 0, false
		}
	}
	return defs[0], true
}

// A swVal is a value the evaluator knows: the page of a relocated address
// (adrp), a relocated address, or a constant.
type swVal struct {
	kind uint8
	t    arch.Target
	c    uint64
}

const (
	swPage = iota + 1
	swAddr
	swConst
)

// swMaxDepth bounds the chain of definitions evalReg follows.
const swMaxDepth = 8

// evalReg returns the value register r holds at the point before p, when
// every path agrees on it.
func (a *swAnalysis) evalReg(p uint64, r uint8, depth int) (swVal, bool) {
	if r == 31 || depth > swMaxDepth {
		return swVal{}, false
	}
	defs, ok := a.reachingDefs(p, swReg(r))
	if !ok {
		return swVal{}, false
	}
	var v swVal
	for i, d := range defs {
		dv, ok := a.evalDef(d, r, depth+1)
		if !ok || i > 0 && dv != v {
			return swVal{}, false
		}
		v = dv
	}
	return v, true
}

// evalDef returns the value the instruction at d leaves in register r.
func (a *swAnalysis) evalDef(d uint64, r uint8, depth int) (swVal, bool) {
	w := a.word(d)
	if swField(w, 0, 5) != uint32(r) {
		return swVal{}, false // a pair load, a call, a clobber
	}
	reloc := func() (arch.Target, bool) {
		if a.q.Reloc == nil {
			return arch.Target{}, false
		}
		return a.q.Reloc(a.q.Sec, d)
	}
	switch {
	case w&0x9f000000 == 0x90000000: // adrp
		if t, ok := reloc(); ok {
			return swVal{kind: swPage, t: t}, true
		}
	case w&0x9f000000 == 0x10000000: // adr
		return swVal{kind: swConst, c: d + uint64(swAdrImm(w))}, true
	case w&0xff800000 == 0x91000000: // add xd, xn, #imm
		imm := uint64(swField(w, 10, 12)) << (12 * swField(w, 22, 1))
		src, ok := a.evalReg(d, uint8(swField(w, 5, 5)), depth)
		if !ok {
			return swVal{}, false
		}
		if t, ok := reloc(); ok { // :lo12: of the adrp's target
			if src.kind == swPage && src.t == t {
				return swVal{kind: swAddr, t: t}, true
			}
			return swVal{}, false
		}
		switch src.kind {
		case swAddr:
			src.t.Off += imm
			return src, true
		case swConst:
			src.c += imm
			return src, true
		}
	case w&0xffe0ffe0 == 0xaa0003e0: // mov xd, xm
		return a.evalReg(d, uint8(swField(w, 16, 5)), depth)
	case w&0xffc003e0 == 0xf94003e0: // ldr xd, [sp, #imm]
		return a.evalSlot(d, int64(swField(w, 10, 12))*8, depth)
	case w&0xffe00fe0 == 0xf84003e0: // ldur xd, [sp, #simm]
		return a.evalSlot(d, swSext(uint64(swField(w, 12, 9)), 9), depth)
	}
	return swVal{}, false
}

// evalSlot returns the value of the 8-byte stack slot [sp, #off] at the
// point before p: what the stores reaching it stored.
func (a *swAnalysis) evalSlot(p uint64, off int64, depth int) (swVal, bool) {
	defs, ok := a.reachingDefs(p, swLoc{kind: swLocSlot, off: off, size: 8})
	if !ok {
		return swVal{}, false
	}
	var v swVal
	for i, d := range defs {
		st, ok := swStoreSP(a.word(d))
		if !ok || st.unknown || st.fp || st.size != 8 {
			return swVal{}, false
		}
		src := st.rt
		if st.pair && st.off+8 == off {
			src = st.rt2
		}
		dv, ok := a.evalReg(d, src, depth+1)
		if !ok || i > 0 && dv != v {
			return swVal{}, false
		}
		v = dv
	}
	return v, true
}

// bound returns the largest value the index register idx can hold at the
// load at p, as the load's extend option reads it, on every path.
func (a *swAnalysis) bound(p uint64, idx uint8, option uint32) (uint64, bool) {
	// uxtw reads the low 32 bits; sxtw too when they are below 2^31;
	// lsl (uxtx) and sxtx read all 64.
	need64 := option&3 == 3
	signed := option == 6
	found := false
	var max uint64
	if !a.walkBack(p, func(e backflow.Edge) backflow.Action {
		b, kind := a.edgeBound(e, idx, need64)
		if kind == swInfeasible {
			return backflow.Stop
		}
		if kind == swNoInfo {
			switch a.effect(e.From, swReg(idx)) {
			case backflow.Clobber:
				return backflow.Fail
			case backflow.Def:
				b, kind = swDefBound(a.word(e.From), idx)
				if kind == swNoInfo {
					return backflow.Fail
				}
			default:
				return backflow.Follow
			}
		}
		if signed && b >= 1<<31 {
			return backflow.Fail
		}
		if !found || b > max {
			max = b
		}
		found = true
		return backflow.Stop
	}) {
		return 0, false
	}
	return max, found
}

// What a way into a point says of the index.
const (
	swNoInfo     = iota // nothing
	swBounded           // it is at most the bound
	swInfeasible        // no value of the index takes this way
)

// edgeBound returns the bound a conditional branch puts on idx along e,
// from the unsigned compare of idx that sets its flags.
func (a *swAnalysis) edgeBound(e backflow.Edge, idx uint8, need64 bool) (uint64, int) {
	w := a.word(e.From)
	if w&0x7e000000 == 0x34000000 { // cbz, cbnz
		zero := swField(w, 24, 1) == 0 == e.Taken
		if !zero || swField(w, 0, 5) != uint32(idx) || need64 && w>>31 == 0 {
			return 0, swNoInfo
		}
		return 0, swBounded
	}
	if w&0xff000000 != 0x54000000 { // b.cond, bc.cond
		return 0, swNoInfo
	}
	cond := swField(w, 0, 4)
	if !e.Taken {
		cond ^= 1
	}
	switch cond {
	case 0, 2, 3, 9: // eq, hs (after adds), lo, ls
	default:
		return 0, swNoInfo
	}
	// The compare: the one instruction that sets the flags on every path
	// into the branch (other conditional branches may lie between: they
	// leave the flags alone), with idx unchanged since on all of them.
	pos, ok := a.uniqueDef(e.From, swLoc{kind: swLocFlags})
	if !ok || !a.unchangedSince(e.From, pos, swReg(idx)) {
		return 0, swNoInfo
	}
	cw := a.word(pos)
	if cw&0x7f800000 == 0x31000000 {
		return swCarryBound(cw, cond, idx)
	}
	// cmp wI, #imm / cmp xI, #imm (subs zr, I, #imm), of the index or of
	// a register that holds a copy of it.
	if cond == 2 || cw&0x7f80001f != 0x7100001f || !a.comparesIndex(pos, cw, idx, need64) {
		return 0, swNoInfo
	}
	n := uint64(swField(cw, 10, 12)) << (12 * swField(cw, 22, 1))
	switch cond {
	case 3: // lo: idx < n
		if n == 0 {
			return 0, swInfeasible
		}
		return n - 1, swBounded
	default: // eq, ls: idx <= n
		return n, swBounded
	}
}

// unchangedSince reports whether no instruction on a path from def to the
// point before p changes loc; every path into p is known to pass def.
func (a *swAnalysis) unchangedSince(p, def uint64, loc swLoc) bool {
	return a.walkBack(p, func(e backflow.Edge) backflow.Action {
		switch {
		case e.From == def:
			return backflow.Stop
		case a.effect(e.From, loc) != backflow.None:
			return backflow.Fail
		}
		return backflow.Follow
	})
}

// swCarryBound returns the bound that adds wI, wN, #imm (or xI) followed
// by a branch taken on carry set (cond hs) puts on the sum wI: the add
// wrapped, so wI < imm. GCC bounds switch (-errno) so, the index being
// err + N for the largest errno N.
// The adds writes all of the register (a 32-bit one zero-extends it), so
// the bound holds whatever width the load reads.
func swCarryBound(cw, cond uint32, idx uint8) (uint64, int) {
	if cond != 2 || swField(cw, 0, 5) != uint32(idx) {
		return 0, swNoInfo
	}
	n := uint64(swField(cw, 10, 12)) << (12 * swField(cw, 22, 1))
	if n == 0 {
		return 0, swInfeasible // adding 0 never carries
	}
	return n - 1, swBounded
}

// comparesIndex says whether the compare cw at pos bounds the index idx
// as the load reads it: a compare of idx itself, or of a register R that
// a move between R and idx on every path into it made equal to idx,
// neither changed since (GCC bounds the original and indexes with
// the copy: mov w1, w0; cmp w0, #N; b.hi; ...; ldrb w0, [x0, w1, uxtw]).
func (a *swAnalysis) comparesIndex(pos uint64, cw uint32, idx uint8, need64 bool) bool {
	r := uint8(swField(cw, 5, 5))
	cmp64 := cw>>31 != 0
	if r == idx {
		return cmp64 || !need64
	}
	mov64, ok := a.copyBefore(pos, r, idx)
	// A 32-bit move zero-extends: a compare of either width bounds all
	// of the copy. After a 64-bit one, a 32-bit compare bounds the low
	// half only.
	return ok && (!mov64 || cmp64 || !need64)
}

// copyBefore looks back from pos, on every path into it, for a move
// between registers r and idx (mov wD, wS / mov xD, xS, either way) with
// neither written after it, and says whether the moves are 64-bit (all
// of one width, or no answer).
func (a *swAnalysis) copyBefore(pos uint64, r, idx uint8) (is64, ok bool) {
	widths := 0 // bit 0: a 32-bit move seen; bit 1: a 64-bit one
	if !a.walkBack(pos, func(e backflow.Edge) backflow.Action {
		w := a.word(e.From)
		if w&0x7fe0ffe0 == 0x2a0003e0 { // orr D, zr, S: mov D, S
			d, src := uint8(swField(w, 0, 5)), uint8(swField(w, 16, 5))
			if d == idx && src == r || d == r && src == idx {
				widths |= 1 << (w >> 31)
				return backflow.Stop
			}
		}
		if a.effect(e.From, swReg(r)) != backflow.None || a.effect(e.From, swReg(idx)) != backflow.None {
			return backflow.Fail
		}
		return backflow.Follow
	}) {
		return false, false
	}
	return widths == 2, widths == 1 || widths == 2
}

// swDefBound returns the bound an instruction that sets the index puts on
// it by itself: a zero-extending byte or halfword load, an and with a
// mask, an unsigned bitfield extract or shift, a move of a constant.
func swDefBound(w uint32, idx uint8) (uint64, int) {
	if swField(w, 0, 5) != uint32(idx) {
		return 0, swNoInfo // a base written back, a pair, a call
	}
	switch {
	case w&0x3fc00000 == 0x38400000 || w&0x3fc00000 == 0x39400000: // ldrb, ldrh (zero-extending)
		if w&(1<<26) == 0 && w>>31 == 0 {
			return 1<<(8<<(w>>30)) - 1, swBounded
		}
	case w&0x1f800000 == 0x12000000: // and, ands (immediate)
		if m, ok := swLogicalImm(w); ok && swField(w, 29, 2)&1 == 0 {
			return m, swBounded
		}
	case w&0x7f800000 == 0x53000000: // ubfm
		sf := w >> 31
		if swField(w, 22, 1) != sf {
			break
		}
		size := uint32(32) << sf
		immr, imms := swField(w, 16, 6), swField(w, 10, 6)
		if immr >= size || imms >= size {
			break
		}
		if imms >= immr {
			return 1<<(imms-immr+1) - 1, swBounded
		}
		return (1<<(imms+1) - 1) << (size - immr), swBounded
	case w&0x7f800000 == 0x52800000: // movz
		return uint64(swField(w, 5, 16)) << (16 * swField(w, 21, 2)), swBounded
	}
	return 0, swNoInfo
}

// A swAddIndex is add xT, xB, xE/wE, ext #shift: the jump's destination.
type swAddIndex struct {
	rn, rm uint8
	option uint32 // extend option, or 3 (lsl) for the shifted form
	shift  uint32
}

// swDecodeAddIndex decodes add (extended register), 64-bit, or add
// (shifted register) with lsl, 64-bit.
func swDecodeAddIndex(w uint32) (swAddIndex, bool) {
	d := swAddIndex{rn: uint8(swField(w, 5, 5)), rm: uint8(swField(w, 16, 5))}
	switch {
	case w&0xffe00000 == 0x8b200000:
		d.option, d.shift = swField(w, 13, 3), swField(w, 10, 3)
		return d, d.shift <= 4
	case w&0xffe00000 == 0x8b000000:
		d.option, d.shift = 3, swField(w, 10, 6)
		return d, d.rn != 31
	}
	return d, false
}

// extend applies the add's extension and shift to the entry register.
func (d swAddIndex) extend(v uint64) uint64 {
	n := uint(8) << (d.option & 3)
	if n < 64 {
		if d.option&4 != 0 {
			v = uint64(swSext(v, n))
		} else {
			v &= 1<<n - 1
		}
	}
	return v << d.shift
}

// A swTableLoad is ldr(b|h|sb|sh|sw) wE/xE, [xA, xI, option #shift].
type swTableLoad struct {
	rt, rn, rm uint8
	size       uint32 // log2 of the entry's bytes
	opc        uint32 // 1 zero-extends, 2 sign-extends to 64, 3 to 32 bits
	option     uint32
	shift      uint32 // log2 of the stride between entries
}

// swDecodeTableLoad decodes a general-register load, register offset.
func swDecodeTableLoad(w uint32) (swTableLoad, bool) {
	if w&0x3f200c00 != 0x38200800 {
		return swTableLoad{}, false
	}
	ld := swTableLoad{
		rt: uint8(swField(w, 0, 5)), rn: uint8(swField(w, 5, 5)), rm: uint8(swField(w, 16, 5)),
		size: w >> 30, opc: swField(w, 22, 2), option: swField(w, 13, 3),
	}
	if swField(w, 12, 1) != 0 {
		ld.shift = ld.size
	}
	switch {
	case ld.option&2 == 0: // reserved extend options
		return ld, false
	case ld.opc == 0, ld.opc == 2 && ld.size == 3, ld.opc == 3 && ld.size >= 2:
		return ld, false // stores, prfm, unallocated
	}
	return ld, true
}

// value returns what the load leaves in its register for the raw entry.
func (ld swTableLoad) value(raw uint64) uint64 {
	n := uint(8) << ld.size
	switch ld.opc {
	case 2:
		return uint64(swSext(raw, n))
	case 3:
		return uint64(uint32(swSext(raw, n)))
	}
	return raw
}

// swField returns n bits of w from bit lo.
func swField(w uint32, lo, n uint) uint32 { return w >> lo & (1<<n - 1) }

// swSext sign-extends the low n bits of v.
func swSext(v uint64, n uint) int64 { return int64(v<<(64-n)) >> (64 - n) }

// swAdrImm returns adr's offset from its own address.
func swAdrImm(w uint32) int64 {
	return swSext(uint64(swField(w, 5, 19)<<2|swField(w, 29, 2)), 21)
}

// swReadLE reads a little-endian value of 1, 2, 4 or 8 bytes.
func swReadLE(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// swCallClobbers are the registers a call may change: x0..x18 and x30.
const swCallClobbers = 1<<19 - 1 | 1<<30

// swHintWrites gives, by a hint's CRm, the registers it changes: the
// PAC and AUT of x17 (CRm 1: pacia1716 ... autib1716) and of x30 (CRm 3:
// paciaz, paciasp ... autibsp); nop, yield, bti, esb and the others
// change none. xpaclri (CRm 0, op2 7) strips x30's signature.
var swHintWrites = [16]uint32{1: 1 << 17, 3: 1 << 30}

// swWrites returns the general registers x0..x30 the instruction may
// write (a bit each), whether it may write sp, and whether it may write
// anything at all (an encoding not modelled here). It errs on the side of
// writing: a SIMD instruction is taken to write the general register its
// Rd field names.
func swWrites(w uint32) (regs uint32, sp bool, all bool) {
	rd := swField(w, 0, 5)
	reg := func(r uint32, spIs31 bool) {
		if r != 31 {
			regs |= 1 << r
		} else if spIs31 {
			sp = true
		}
	}
	switch op0 := swField(w, 25, 4); {
	case op0&0xe == 0x8: // data processing, immediate
		switch swField(w, 23, 6) {
		case 0x22, 0x23: // add/sub (immediate, with tags): Rd is sp unless S
			reg(rd, swField(w, 29, 1) == 0)
		case 0x24: // logical (immediate): Rd is sp unless ands
			reg(rd, swField(w, 29, 2) != 3)
		default:
			reg(rd, false)
		}
	case op0&0xe == 0xa: // branches, exception generation, system
		switch {
		case w&0x7c000000 == 0x14000000: // b, bl
			if w>>31 != 0 {
				regs = swCallClobbers
			}
		case w&0xfe000000 == 0x54000000, w&0x7c000000 == 0x34000000:
			// b.cond, cbz, cbnz, tbz, tbnz
		case w&0xfe000000 == 0xd6000000:
			if opc := swField(w, 21, 4); opc == 1 || opc == 9 {
				regs = swCallClobbers
			}
		case w&0xff000000 == 0xd4000000: // exception generation
			if opc := swField(w, 21, 3); opc != 1 && opc != 2 { // not brk, hlt
				all = true
			}
		case w&0xffc00000 == 0xd5000000: // system
			switch {
			case swField(w, 21, 1) == 1: // mrs, sysl
				reg(rd, false)
			case w&0xfffff01f == 0xd503201f: // hints
				regs = swHintWrites[swField(w, 8, 4)]
				if swField(w, 5, 7) == 0x07 { // xpaclri
					regs = 1 << 30
				}
			}
		default:
			all = true
		}
	case op0&0x5 == 0x4: // loads and stores
		regs, sp, all = swLoadStoreWrites(w)
	case op0&0x7 == 0x5: // data processing, register
		switch {
		case swField(w, 21, 8) == 0xd2: // ccmp, ccmn
		case w&0x1f200000 == 0x0b200000: // add/sub (extended): Rd is sp unless S
			reg(rd, swField(w, 29, 1) == 0)
		default:
			reg(rd, false)
		}
	case op0&0x7 == 0x7: // SIMD and floating point
		reg(rd, false)
	default:
		all = true
	}
	return regs, sp, all
}

// swLoadStoreWrites is swWrites for the loads and stores: the single and
// pair forms and the literal loads are modelled; the others (exclusives,
// atomics, SIMD structures, tags, memory copies) may write anything.
func swLoadStoreWrites(w uint32) (regs uint32, sp bool, all bool) {
	rt, rn, rt2 := swField(w, 0, 5), swField(w, 5, 5), swField(w, 10, 5)
	simd := swField(w, 26, 1) == 1
	writeback := func() {
		if rn == 31 {
			sp = true
		} else {
			regs |= 1 << rn
		}
	}
	load := func(r uint32) {
		if !simd && r != 31 {
			regs |= 1 << r
		}
	}
	switch swField(w, 27, 3) {
	case 7: // single register
		if swField(w, 24, 1) == 0 {
			switch {
			case swField(w, 21, 1) == 1 && swField(w, 10, 2) == 2: // register offset
			case swField(w, 21, 1) == 1 && swField(w, 10, 2) == 0: // atomics
				if simd || swField(w, 15, 1) == 1 && swField(w, 12, 3) != 4 {
					return 0, false, true // ld64b, st64bv: not modelled
				}
				load(rt) // ldadd, swp, ldapr...; st* aliases: rt is zr
				return regs, sp, all
			case swField(w, 21, 1) == 1: // ldraa, ldrab
				if swField(w, 11, 1) == 1 {
					writeback()
				}
				load(rt)
				return regs, sp, all
			case swField(w, 10, 1) == 1: // pre-, post-index
				writeback()
			}
		}
		opc, size := swField(w, 22, 2), w>>30
		switch {
		case simd: // loads SIMD registers only
		case opc == 0: // store
		case opc == 2 && size == 3: // prfm
		default:
			load(rt)
		}
	case 5: // pair
		if swField(w, 23, 2)&1 == 1 { // pre-, post-index
			writeback()
		}
		if swField(w, 22, 1) == 1 {
			load(rt)
			load(rt2)
		}
	case 3: // literal
		if swField(w, 24, 2) != 0 {
			return 0, false, true
		}
		if swField(w, 30, 2) != 3 {
			load(rt)
		}
	case 1: // exclusives, load-acquire and store-release, cas, casp
		if swField(w, 24, 3) != 0 {
			return 0, false, true // SIMD structures and the rest
		}
		// ldxr/ldar write Rt, ldxp Rt and Rt2, stxr Ws, cas Rs, casp Rs
		// and Rs+1: take them all.
		rs := swField(w, 16, 5)
		for _, r := range [...]uint32{rt, rt2, rs, rs + 1} {
			if r < 31 {
				regs |= 1 << r
			}
		}
	default:
		return 0, false, true
	}
	return regs, sp, all
}

// A swStore is a store whose base is sp or x29, for stack slots.
type swStore struct {
	off, size int64 // [sp, #off], size bytes (each, for a pair)
	pair      bool
	rt, rt2   uint8
	fp        bool // the base is x29: the offset is not sp's
	unknown   bool // where it stores is not known
}

// swStoreSP decodes a store based on sp or x29 (ok), for the stack slots
// it may write. Stores through other registers do not reach a spill slot,
// whose address the compiler never gives away.
func swStoreSP(w uint32) (swStore, bool) {
	rn := swField(w, 5, 5)
	if w&0x0a000000 != 0x08000000 || rn != 31 && rn != 29 {
		return swStore{}, false // not a load or store, or another base
	}
	st := swStore{rt: uint8(swField(w, 0, 5)), rt2: uint8(swField(w, 10, 5)), fp: rn == 29}
	simd := swField(w, 26, 1) == 1
	switch swField(w, 27, 3) {
	case 7:
		opc, size := swField(w, 22, 2), w>>30
		if opc&1 == 1 || !simd && opc != 0 {
			return swStore{}, false // a load
		}
		st.size = 1 << size
		if simd && opc == 2 {
			st.size = 16
		}
		switch {
		case swField(w, 24, 1) == 1:
			st.off = int64(swField(w, 10, 12)) * st.size
		case swField(w, 21, 1) == 0 && swField(w, 10, 1) == 0: // stur, sttr
			st.off = swSext(uint64(swField(w, 12, 9)), 9)
		default:
			st.unknown = true // register offset, or writeback
		}
	case 5:
		if swField(w, 22, 1) == 1 {
			return swStore{}, false // a load
		}
		opc := w >> 30
		st.pair, st.size = true, 4<<opc
		if !simd {
			st.size = 4 << (opc >> 1)
			if opc == 1 {
				st.unknown = true // stgp: the offset counts granules
			}
		}
		st.off = swSext(uint64(swField(w, 15, 7)), 7) * st.size
		if swField(w, 23, 2)&1 == 1 {
			st.unknown = true
		}
	case 3:
		return swStore{}, false // literal loads
	default:
		st.unknown = true
	}
	if st.fp {
		st.unknown = true
	}
	return st, true
}

// swSetsFlags reports whether the instruction may write the condition
// flags: the S forms, conditional compares, calls, system instructions
// other than hints, floating point compares (any SIMD or floating point
// instruction, here) and anything not modelled.
func swSetsFlags(w uint32) bool {
	switch op0 := swField(w, 25, 4); {
	case op0&0xe == 0x8:
		switch swField(w, 23, 6) {
		case 0x22:
			return swField(w, 29, 1) == 1
		case 0x24:
			return swField(w, 29, 2) == 3
		}
		return false
	case op0&0xe == 0xa:
		switch {
		case w&0xfc000000 == 0x14000000, w&0xfe000000 == 0x54000000, w&0x7c000000 == 0x34000000:
			return false
		case w&0xfe000000 == 0xd6000000:
			opc := swField(w, 21, 4)
			return opc == 1 || opc == 9
		case w&0xff000000 == 0xd4000000:
			opc := swField(w, 21, 3)
			return opc != 1 && opc != 2
		case w&0xffc00000 == 0xd5000000:
			return swField(w, 21, 1) == 0 && w&0xfffff000 != 0xd5032000
		}
		return true
	case op0&0x5 == 0x4:
		_, _, all := swLoadStoreWrites(w)
		return all
	case op0&0x7 == 0x5:
		if swField(w, 24, 5) == 0x0a { // logical (shifted register)
			return swField(w, 29, 2) == 3
		}
		return swField(w, 29, 1) == 1
	}
	return true
}

// swLogicalImm decodes the bitmask immediate of a logical (immediate)
// instruction (the ARM ARM's DecodeBitMasks).
func swLogicalImm(w uint32) (uint64, bool) {
	sf, n := w>>31, swField(w, 22, 1)
	immr, imms := swField(w, 16, 6), swField(w, 10, 6)
	if sf == 0 && n == 1 {
		return 0, false
	}
	l := bits.Len32(n<<6|^imms&0x3f) - 1
	if l < 1 {
		return 0, false
	}
	size := uint32(1) << l
	levels := size - 1
	s, r := imms&levels, immr&levels
	if s == levels {
		return 0, false
	}
	elem := uint64(1)<<(s+1) - 1
	if r != 0 { // rotate right by r within size bits
		elem = (elem>>r | elem<<(size-r)) & (uint64(1)<<size - 1)
	}
	regSize := uint32(32) << sf
	var m uint64
	for i := uint32(0); i < regSize; i += size {
		m |= elem << i
	}
	return m, true
}
