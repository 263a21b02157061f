package ehframe

import (
	"fmt"
	"math"

	"github.com/objcheck/objcheck/decode"
)

// A state is what a CFA program builds: the CFA and the tracked columns.
type state struct {
	cfa, ra, fp Rule
	raSigned    bool
}

// A machine runs the CFA program of one CIE (its initial instructions) or
// one FDE, appending the FDE's rows to p.rows.
type machine struct {
	p     *parser
	ci    *cie
	sec   *decode.Section // the FDE's code; nil while running a CIE's initial instructions
	end   uint64          // the FDE's end
	loc   uint64
	cur   state
	first int    // index in p.rows of the FDE's first row
	at    uint64 // offset of the instruction being run, for messages
	err   *Error // the first error an operand gave
}

// CFA instructions (DW_CFA_*). The three with an operand in the low six
// bits are told by their top two bits.
const (
	opAdvanceLoc  = 0x40
	opOffset      = 0x80
	opRestore     = 0xc0
	opNop         = 0x00
	opSetLoc      = 0x01
	opAdvanceLoc1 = 0x02
	opAdvanceLoc2 = 0x03
	opAdvanceLoc4 = 0x04
	opOffsetExt   = 0x05
	opRestoreExt  = 0x06
	opUndefined   = 0x07
	opSameValue   = 0x08
	opRegister    = 0x09
	opRemember    = 0x0a
	opRestoreSt   = 0x0b
	opDefCFA      = 0x0c
	opDefCFAReg   = 0x0d
	opDefCFAOff   = 0x0e
	opDefCFAExpr  = 0x0f
	opExpression  = 0x10
	opOffsetExtSf = 0x11
	opDefCFASf    = 0x12
	opDefCFAOffSf = 0x13
	opValOffset   = 0x14
	opValOffSf    = 0x15
	opValExpr     = 0x16
	opAdvanceLoc8 = 0x1d // DW_CFA_MIPS_advance_loc8
	opNegateRAPC  = 0x2c // DW_CFA_AARCH64_negate_ra_state_with_pc
	opNegateRA    = 0x2d // DW_CFA_AARCH64_negate_ra_state; GNU_window_save elsewhere
	opArgsSize    = 0x2e // DW_CFA_GNU_args_size
	opNegOffExt   = 0x2f // DW_CFA_GNU_negative_offset_extended
)

// run runs the instructions from c's offset to its end.
func (m *machine) run(c *cursor) error {
	m.p.stack = m.p.stack[:0]
	for c.off < c.end {
		m.at = c.off
		op := c.u8()
		err := m.step(c, op)
		switch {
		case m.err != nil:
			return m.err
		case err != nil:
			return err
		case c.bad:
			return m.errorf("CFA instruction %#x runs past the end of its entry", op)
		}
	}
	return nil
}

// errorf makes an *Error at the instruction being run.
func (m *machine) errorf(format string, args ...any) *Error {
	return m.p.errorf(m.at, format, args...)
}

// step runs one instruction, whose opcode byte is op.
func (m *machine) step(c *cursor, op uint8) error {
	low := uint64(op & 0x3f)
	switch op & 0xc0 {
	case opAdvanceLoc:
		return m.advance(low)
	case opOffset:
		m.set(uint16(low), Rule{Kind: AtCFA, Off: m.factored(c.uleb())})
		return nil
	case opRestore:
		m.restore(uint16(low))
		return nil
	}
	switch op {
	case opNop, opArgsSize:
		if op == opArgsSize {
			c.uleb()
		}
		return nil
	case opSetLoc:
		return m.setLoc(c)
	case opAdvanceLoc1:
		return m.advance(uint64(c.u8()))
	case opAdvanceLoc2:
		return m.advance(uint64(c.u16()))
	case opAdvanceLoc4:
		return m.advance(uint64(c.u32()))
	case opAdvanceLoc8:
		return m.advance(c.u64())
	case opRemember, opRestoreSt:
		return m.stateOp(op)
	case opNegateRA, opNegateRAPC:
		if !m.p.negateRA {
			return m.errorf("CFA instruction %#x is defined only for arm64", op)
		}
		m.cur.raSigned = !m.cur.raSigned
		return nil
	}
	if m.cfaOp(c, op) || m.regOp(c, op) {
		return nil
	}
	return m.errorf("unknown CFA instruction %#x", op)
}

// cfaOp runs op if it defines the CFA, and reports whether it did.
func (m *machine) cfaOp(c *cursor, op uint8) bool {
	cfa := &m.cur.cfa
	switch op {
	case opDefCFA:
		reg := m.reg(c)
		*cfa = Rule{Kind: RegOffset, Reg: reg, Off: int64(c.uleb())}
	case opDefCFASf:
		reg := m.reg(c)
		*cfa = Rule{Kind: RegOffset, Reg: reg, Off: m.factoredS(c.sleb())}
	case opDefCFAReg:
		reg := m.reg(c)
		if cfa.Kind != RegOffset {
			*cfa = Rule{Kind: RegOffset}
		}
		cfa.Reg = reg
	case opDefCFAOff, opDefCFAOffSf:
		var off int64
		if op == opDefCFAOff {
			off = int64(c.uleb())
		} else {
			off = m.factoredS(c.sleb())
		}
		if cfa.Kind == RegOffset {
			cfa.Off = off
		}
	case opDefCFAExpr:
		c.take(c.uleb())
		*cfa = Rule{Kind: Expression}
	default:
		return false
	}
	return true
}

// regOp runs op if it sets a register's rule, and reports whether it did.
func (m *machine) regOp(c *cursor, op uint8) bool {
	var r Rule
	reg := uint16(0)
	switch op {
	case opOffsetExt, opOffsetExtSf, opNegOffExt, opValOffset, opValOffSf:
		reg = m.reg(c)
		r = m.offsetRule(c, op)
	case opRestoreExt:
		m.restore(m.reg(c))
		return true
	case opUndefined, opSameValue:
		reg, r.Kind = m.reg(c), Undefined
		if op == opSameValue {
			r.Kind = SameValue
		}
	case opRegister:
		reg = m.reg(c)
		r = Rule{Kind: InRegister, Reg: m.reg(c)}
	case opExpression, opValExpr:
		reg = m.reg(c)
		c.take(c.uleb())
		r.Kind = Expression
	default:
		return false
	}
	m.set(reg, r)
	return true
}

// offsetRule reads the offset operand of the DW_CFA_*offset* instruction
// op and returns its rule.
func (m *machine) offsetRule(c *cursor, op uint8) Rule {
	r := Rule{Kind: AtCFA}
	if op == opValOffset || op == opValOffSf {
		r.Kind = ValCFA
	}
	switch op {
	case opOffsetExtSf, opValOffSf:
		r.Off = m.factoredS(c.sleb())
	case opNegOffExt:
		r.Off = -m.factored(c.uleb())
	default:
		r.Off = m.factored(c.uleb())
	}
	return r
}

// factored returns an unsigned operand times the data alignment factor.
func (m *machine) factored(v uint64) int64 { return int64(v) * m.ci.dataAlign }

// factoredS returns a signed operand times the data alignment factor.
func (m *machine) factoredS(v int64) int64 { return v * m.ci.dataAlign }

// reg reads a register operand. One past 16 bits, which no machine has,
// is an error.
func (m *machine) reg(c *cursor) uint16 {
	v := c.uleb()
	if v > math.MaxUint16 && m.err == nil {
		m.err = m.errorf("register %d out of range", v)
	}
	return uint16(v)
}

// set gives a register's column rule r, if it is a tracked column.
func (m *machine) set(reg uint16, r Rule) {
	if reg == m.ci.raReg {
		m.cur.ra = r
	}
	if m.p.trackFP && reg == m.p.fpReg {
		m.cur.fp = r
	}
}

// restore gives a register back its rule after the CIE's initial
// instructions.
func (m *machine) restore(reg uint16) {
	if reg == m.ci.raReg {
		m.cur.ra = m.ci.init.ra
	}
	if m.p.trackFP && reg == m.p.fpReg {
		m.cur.fp = m.ci.init.fp
	}
}

// stateOp runs DW_CFA_remember_state or DW_CFA_restore_state. The state
// saved includes the CFA and arm64's return-address signing, as GCC's
// unwinder has it.
func (m *machine) stateOp(op uint8) error {
	st := &m.p.stack
	if op == opRemember {
		if len(*st) >= maxStack {
			return m.errorf("more than %d remembered states", maxStack)
		}
		*st = append(*st, m.cur)
		return nil
	}
	if len(*st) == 0 {
		return m.errorf("DW_CFA_restore_state with no state remembered")
	}
	m.cur = (*st)[len(*st)-1]
	*st = (*st)[:len(*st)-1]
	return nil
}

// advance ends the current row and moves delta code units on.
func (m *machine) advance(delta uint64) error {
	if m.sec == nil {
		return m.errorf("CIE initial instructions advance the location")
	}
	if a := m.ci.codeAlign; a != 0 && delta > (math.MaxUint64-m.loc)/a {
		return m.errorf("location overflows")
	}
	m.emit()
	m.loc += delta * m.ci.codeAlign
	return nil
}

// setLoc ends the current row and moves to DW_CFA_set_loc's address,
// which must lie in the FDE's section and not before the location.
func (m *machine) setLoc(c *cursor) error {
	if m.sec == nil {
		return m.errorf("CIE initial instructions set the location")
	}
	sec, loc, err := m.p.address(c, m.ci, m.at, "DW_CFA_set_loc address")
	switch {
	case err != nil:
		return err
	case sec != m.sec:
		return m.errorf("DW_CFA_set_loc moves to another section, %s", sec.Name)
	case loc < m.loc:
		return m.errorf("DW_CFA_set_loc moves back, from %#x to %#x", m.loc, loc)
	}
	m.emit()
	m.loc = loc
	return nil
}

// emit records the current state as the row at m.loc: it replaces a row
// already there, and is left out when the FDE has ended or the row says
// nothing new.
func (m *machine) emit() {
	if m.loc >= m.end {
		return
	}
	row := Row{Off: m.loc, CFA: m.cur.cfa, RA: m.cur.ra, FP: m.cur.fp, RASigned: m.cur.raSigned}
	rows := m.p.rows
	n := len(rows)
	if n > m.first && rows[n-1].Off == row.Off {
		n--
	}
	if n > m.first && sameRules(&rows[n-1], &row) {
		m.p.rows = rows[:n]
		return
	}
	m.p.rows = append(rows[:n], row)
}

// sameRules reports whether two rows hold the same rules.
func sameRules(a, b *Row) bool {
	return a.CFA == b.CFA && a.RA == b.RA && a.FP == b.FP && a.RASigned == b.RASigned
}

// String returns the row as readelf's frames-interp would: location, CFA,
// return address and frame pointer.
func (r Row) String() string {
	s := fmt.Sprintf("%#x cfa=%v ra=%v fp=%v", r.Off, r.CFA, r.RA, r.FP)
	if r.RASigned {
		s += " ra-signed"
	}
	return s
}
