package ehframe

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The rule state a CFA program builds: the CFA and the two tracked
// columns.
type state struct {
	cfa, ra, fp Rule
	raSigned    bool
}

// A machine runs CFA programs into rows.
type machine struct {
	ci        *cie
	order     binary.ByteOrder
	fp        uint16
	loc       uint64
	cur       state
	initState state
	saved     []state
	rows      []Row
}

// init gives every tracked column its default: the caller's value.
func (m *machine) init() {
	m.cur = state{ra: Rule{Kind: SameValue}, fp: Rule{Kind: SameValue}}
}

// flush records the state in force from m.loc on.
func (m *machine) flush() {
	row := Row{Off: m.loc, CFA: m.cur.cfa, RA: m.cur.ra, FP: m.cur.fp, RASigned: m.cur.raSigned}
	if n := len(m.rows); n > 0 {
		last := &m.rows[n-1]
		if last.CFA == row.CFA && last.RA == row.RA && last.FP == row.FP && last.RASigned == row.RASigned {
			return
		}
		if last.Off == row.Off {
			*last = row
			return
		}
	}
	if len(m.rows) < maxRows {
		m.rows = append(m.rows, row)
	}
}

// advance moves the location on by delta code units.
func (m *machine) advance(delta uint64) {
	m.flush()
	m.loc += delta * m.ci.codeAlign
}

// setReg sets the rule of a register if it is a tracked column.
func (m *machine) setReg(reg uint64, r Rule) {
	switch uint16(reg) {
	case m.ci.raReg:
		m.cur.ra = r
	case m.fp:
		m.cur.fp = r
	}
}

// restoreReg gives a register back its rule from the CIE.
func (m *machine) restoreReg(reg uint64) {
	switch uint16(reg) {
	case m.ci.raReg:
		m.cur.ra = m.initState.ra
	case m.fp:
		m.cur.fp = m.initState.fp
	}
}

var errProgram = errors.New("truncated CFA instruction")

// run interprets a CFA program.
func (m *machine) run(prog []byte) error {
	c := &cursor{data: prog, end: uint64(len(prog)), order: m.order}
	for c.off < c.end && !c.bad {
		op := c.u8()
		if err := m.step(c, op); err != nil {
			return err
		}
	}
	if c.bad {
		return errProgram
	}
	return nil
}

// step runs one instruction.
func (m *machine) step(c *cursor, op uint8) error {
	da := m.ci.dataAlign
	switch op >> 6 {
	case 1:
		m.advance(uint64(op & 0x3f))
		return nil
	case 2:
		m.setReg(uint64(op&0x3f), Rule{Kind: AtCFA, Off: int64(c.uleb()) * da})
		return nil
	case 3:
		m.restoreReg(uint64(op & 0x3f))
		return nil
	}
	return m.extended(c, op, da)
}

// extended runs the instructions with a full opcode byte.
func (m *machine) extended(c *cursor, op uint8, da int64) error {
	switch op {
	case 0x00: // nop
	case 0x02:
		m.advance(uint64(c.u8()))
	case 0x03:
		m.advance(uint64(c.u16()))
	case 0x04:
		m.advance(uint64(c.u32()))
	case 0x05:
		reg := c.uleb()
		m.setReg(reg, Rule{Kind: AtCFA, Off: int64(c.uleb()) * da})
	case 0x06:
		m.restoreReg(c.uleb())
	case 0x07:
		m.setReg(c.uleb(), Rule{Kind: Undefined})
	case 0x08:
		m.setReg(c.uleb(), Rule{Kind: SameValue})
	case 0x09:
		reg := c.uleb()
		m.setReg(reg, Rule{Kind: InRegister, Reg: uint16(c.uleb())})
	case 0x0a:
		if len(m.saved) >= maxStates {
			return errors.New("too many remembered states")
		}
		m.saved = append(m.saved, m.cur)
	case 0x0b:
		if len(m.saved) == 0 {
			return errors.New("restore_state without remember_state")
		}
		m.cur, m.saved = m.saved[len(m.saved)-1], m.saved[:len(m.saved)-1]
	default:
		return m.cfaOps(c, op, da)
	}
	return nil
}

// cfaOps runs the CFA-defining and the remaining instructions.
func (m *machine) cfaOps(c *cursor, op uint8, da int64) error {
	switch op {
	case 0x0c:
		reg := c.uleb()
		m.cur.cfa = Rule{Kind: RegOffset, Reg: uint16(reg), Off: int64(c.uleb())}
	case 0x0d:
		m.cur.cfa = Rule{Kind: RegOffset, Reg: uint16(c.uleb()), Off: m.cur.cfa.Off}
	case 0x0e:
		m.cur.cfa.Off = int64(c.uleb())
	case 0x0f:
		c.take(c.uleb())
		m.cur.cfa = Rule{Kind: Expression}
	case 0x10, 0x16:
		reg := c.uleb()
		c.take(c.uleb())
		m.setReg(reg, Rule{Kind: Expression})
	case 0x11:
		reg := c.uleb()
		m.setReg(reg, Rule{Kind: AtCFA, Off: c.sleb() * da})
	case 0x12:
		reg := c.uleb()
		m.cur.cfa = Rule{Kind: RegOffset, Reg: uint16(reg), Off: c.sleb() * da}
	case 0x13:
		m.cur.cfa.Off = c.sleb() * da
	case 0x14:
		reg := c.uleb()
		m.setReg(reg, Rule{Kind: ValCFA, Off: int64(c.uleb()) * da})
	case 0x15:
		reg := c.uleb()
		m.setReg(reg, Rule{Kind: ValCFA, Off: c.sleb() * da})
	case 0x2d: // DW_CFA_AARCH64_negate_ra_state (GNU_window_save elsewhere)
		m.cur.raSigned = !m.cur.raSigned
	case 0x2e:
		c.uleb() // GNU_args_size
	case 0x2f:
		reg := c.uleb()
		m.setReg(reg, Rule{Kind: AtCFA, Off: -int64(c.uleb()) * da})
	default:
		return fmt.Errorf("unsupported CFA instruction %#x", op)
	}
	return nil
}
