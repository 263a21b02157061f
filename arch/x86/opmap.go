package x86

import "encoding/binary"

//go:generate go run ./internal/mkopmap -map $KSRC/arch/x86/lib/x86-opcode-map.txt -o opmap_tables.go

// The kernel's x86 decoder (arch/x86/lib/insn.c) finds where an
// instruction ends from attribute tables that it generates from its
// opcode map, arch/x86/lib/x86-opcode-map.txt. opmap_tables.go holds the
// same tables, generated from Linux 6.12's map by internal/mkopmap, and
// decodeTable below reads an instruction with them, step by step as the
// kernel's decoder does: legacy prefixes (at most four distinct ones), a
// REX prefix, a VEX or EVEX prefix, the opcode with its escape bytes, the
// ModRM byte (whose reg field picks a group's entry), the SIB byte, the
// displacement and the immediates. Decode tries it first, and x86asm for
// what it leaves (VEX and EVEX, undefined opcodes).
//
// The kernel's decoder takes any byte for an opcode, defined or not. The
// tables add a bit of objcheck's own, aDefined, which says the opcode (for
// the last prefix) is an instruction of 64-bit mode; decodeTable decodes
// the others as the kernel does but marks them undefined, and Decode
// rejects them.

// An opAttr is what the tables say of one opcode: bits 0-2 the kind of
// its immediate, then flags, the escape id of an escape byte and the
// group id of a group.
type opAttr uint32

// The immediate kinds: a byte, word, dword, qword; a far pointer; a
// 16- or 32-bit value by operand size (Iz), a 16-, 32- or 64-bit one (Iv).
const (
	immNone opAttr = iota
	immByte
	immWord
	immDword
	immQword
	immPtr
	immVword32
	immVword
	immMask opAttr = 7
)

// The attribute flags.
const (
	aModRM     opAttr = 1 << (3 + iota) // a ModRM byte follows the opcode
	aForce64                            // operands are 64-bit in 64-bit mode
	aSecondImm                          // a second, one-byte immediate follows
	aMoffset                            // a memory offset of the address size follows
	aVariant                            // the last prefix selects the entry
	aVEXOK                              // may have a VEX or EVEX prefix
	aVEXOnly                            // must have a VEX prefix
	aEVEXOnly                           // must have an EVEX prefix
	aScalable                           // EVEX pp and W give the operand size
	aDefined                            // objcheck's: an instruction of 64-bit mode
)

const (
	escShift        = 16
	escMask  opAttr = 0xf << escShift
	grpShift        = 20
	grpMask  opAttr = 0x3f << grpShift
)

// tableEscape returns the table of an escape attribute, for a last prefix.
func tableEscape(op byte, lpfx int, esc opAttr) opAttr {
	tabs := &opmapEscapes[esc&escMask>>escShift]
	t := tabs[0]
	if t == nil {
		return 0
	}
	if t[op]&aVariant != 0 && lpfx != pfxNone {
		if t = tabs[lpfx]; t == nil {
			return 0
		}
	}
	return t[op]
}

// tableGroup returns a group member's attribute: the group's entry for
// the ModRM reg field (and the last prefix, where it has variants) with
// the group's own attributes.
func tableGroup(modrm byte, lpfx int, grp opAttr) opAttr {
	tabs := &opmapGroups[grp&grpMask>>grpShift]
	common := grp &^ grpMask
	reg := modrm >> 3 & 7
	t := tabs[0]
	if t == nil {
		return common
	}
	if t[reg]&aVariant != 0 && lpfx != pfxNone {
		if t = tabs[lpfx]; t == nil {
			return common
		}
	}
	return t[reg] | common
}

// tableVEX returns the attribute of a VEX or EVEX opcode in map m with
// the pp field p.
func tableVEX(op byte, m, p int) opAttr {
	if m >= len(opmapVEX) {
		return 0
	}
	tabs := &opmapVEX[m]
	t := tabs[0]
	if t == nil {
		return 0
	}
	if t[op]&grpMask == 0 && p != 0 {
		if t = tabs[p]; t == nil {
			return 0
		}
	}
	return t[op]
}

// A tableDecoder reads one instruction.
type tableDecoder struct {
	code []byte
	pos  int
	e    decodeError
}

// next returns the next n bytes, or nil (recording errTruncated) when
// code ends first.
func (d *tableDecoder) next(n int) []byte {
	if d.e != errNone || d.pos+n > len(d.code) {
		if d.e == errNone {
			d.e = errTruncated
		}
		return nil
	}
	b := d.code[d.pos : d.pos+n]
	d.pos += n
	return b
}

// peek returns the byte n bytes ahead, recording errTruncated when there
// is none.
func (d *tableDecoder) peek(n int) byte {
	if d.e != errNone || d.pos+n >= len(d.code) {
		if d.e == errNone {
			d.e = errTruncated
		}
		return 0
	}
	return d.code[d.pos+n]
}

// decodeTable decodes the 64-bit mode instruction at the start of code
// into f with the opcode map's tables, as the kernel's decoder does, and
// sets f.undefined for an opcode that is no instruction of 64-bit mode.
func (f *fields) decodeTable(code []byte) decodeError {
	d := tableDecoder{code: code}
	opnd, addr := 4, 8

	// Legacy prefixes: repeats count, a fifth distinct one is the opcode.
	nb := 0
	var seen [4]byte
	for d.pos < len(code) && isLegacyPrefix(code[d.pos]) {
		b := code[d.pos]
		dup := false
		for _, s := range seen[:nb] {
			dup = dup || s == b
		}
		if !dup {
			if nb == len(seen) {
				break
			}
			seen[nb] = b
			nb++
			switch b {
			case 0x67:
				addr ^= 12
			case 0x66:
				opnd ^= 6
			}
		}
		d.pos++
	}
	f.setPrefixes(code[:d.pos])
	lpfx := f.lastPrefix()

	b := d.peek(0)
	switch {
	case b&0xf0 == 0x40:
		f.rex = b
		if b&8 != 0 {
			opnd = 8
		}
		d.pos++
		b = d.peek(0)
	case b == 0xd5:
		// REX2 (APX), which Linux 6.12 code does not use and x86asm does
		// not know either.
		return errInvalid
	}
	if d.e != errNone {
		return d.e
	}

	var attr opAttr
	if b == 0xc4 || b == 0xc5 || b == 0x62 {
		var m, p int
		var w bool
		b1 := d.peek(1)
		switch b {
		case 0xc5:
			m, p = 1, int(b1&3)
			d.next(2)
		case 0xc4:
			b2 := d.peek(2)
			m, p, w = int(b1&0x1f), int(b2&3), b2&0x80 != 0
			if w {
				opnd = 8
			}
			d.next(3)
		default:
			b2, b3 := d.peek(2), d.peek(3)
			m, p, w = int(b1&7), int(b2&3), b2&0x80 != 0
			if b3&0x80 != 0 {
				// The kernel's decoder takes EVEX.W from the fourth
				// byte (EVEX.z) when it sizes the operands.
				opnd = 8
			}
			d.next(4)
		}
		op := d.next(1)
		if d.e != errNone {
			return d.e
		}
		f.vex = true
		f.op[0], f.nop = op[0], 1
		lpfx = p
		attr = tableVEX(op[0], m, p)
		if attr&aScalable != 0 && !w && p == pfx66 {
			opnd = 2
		}
		if attr&aEVEXOnly != 0 && b != 0x62 || attr&aVEXOK == 0 && attr&grpMask == 0 {
			return errInvalid
		}
	} else {
		op := d.next(1)
		if d.e != errNone {
			return d.e
		}
		f.op[0], f.nop = op[0], 1
		attr = opmapPrimary[op[0]]
		for attr&escMask != 0 {
			op := d.next(1)
			if d.e != errNone {
				return d.e
			}
			if f.nop == len(f.op) {
				return errInvalid
			}
			f.op[f.nop] = op[0]
			f.nop++
			attr = tableEscape(op[0], lpfx, attr)
		}
		if attr&(aVEXOnly|aEVEXOnly) != 0 {
			return errInvalid
		}
		f.undefined = attr&aDefined == 0
	}

	var sib byte
	if attr&aModRM != 0 {
		modrm := d.next(1)
		if d.e != errNone {
			return d.e
		}
		f.modrm = modrm[0]
		if attr&grpMask != 0 {
			attr = tableGroup(f.modrm, lpfx, attr)
			if f.vex && attr&aVEXOK == 0 {
				return errInvalid
			}
		}
	}
	if attr&aForce64 != 0 {
		opnd = 8
	}
	mod, rm := f.modrm>>6, f.modrm&7
	if attr&aModRM != 0 && mod != 3 {
		if rm == 4 {
			s := d.next(1)
			if d.e != errNone {
				return d.e
			}
			sib = s[0]
			f.sib = sib
		}
		switch {
		case mod == 1:
			if v := d.next(1); v != nil {
				f.disp = int32(int8(v[0]))
			}
		case mod == 2, mod == 0 && rm == 5, mod == 0 && sib&7 == 5:
			if v := d.next(4); v != nil {
				f.disp = int32(binary.LittleEndian.Uint32(v))
			}
		}
	}

	first := true
	imm := func(n int) {
		v := d.next(n)
		if v == nil || !first {
			return
		}
		first = false
		switch n {
		case 1:
			f.imm = int32(int8(v[0]))
		case 2:
			f.imm = int32(int16(binary.LittleEndian.Uint16(v)))
		default:
			f.imm = int32(binary.LittleEndian.Uint32(v))
		}
	}
	switch k := attr & immMask; {
	case attr&aMoffset != 0:
		d.next(addr)
	case k == immByte:
		imm(1)
	case k == immWord:
		imm(2)
	case k == immDword:
		imm(4)
	case k == immQword:
		imm(4)
		imm(4)
	case k == immPtr:
		if opnd == 8 {
			return errInvalid // no 16:64 far pointer
		}
		imm(opnd)
		imm(2)
	case k == immVword32:
		imm(min(opnd, 4))
	case k == immVword:
		if opnd == 8 {
			imm(4)
			imm(4)
		} else {
			imm(opnd)
		}
	}
	if k := attr & immMask; k != immNone && attr&aMoffset == 0 && attr&aSecondImm != 0 {
		imm(1)
	}
	if d.e != errNone {
		return d.e
	}
	f.length = d.pos
	return errNone
}
