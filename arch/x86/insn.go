package x86

import "encoding/binary"

// maxInsnLen is the longest x86 instruction; longer ones are invalid even
// when more bytes follow.
const maxInsnLen = 15

// The emulation prefixes: ud2 followed by "xen" or "kvm" marks an
// instruction a hypervisor emulates, and the kernel's decoder takes the
// five bytes as part of the instruction that follows them.
var emulatePrefixes = [...][5]byte{
	{0x0f, 0x0b, 'x', 'e', 'n'},
	{0x0f, 0x0b, 'k', 'v', 'm'},
}

// fields is an instruction split into its parts, the way the kernel's
// decoder (insn.c) splits it, quirks included, because objtool's
// classification reads these parts.
type fields struct {
	// pfx holds the distinct legacy prefixes in order, at most four, except
	// that pfx[3] is always the last prefix byte read (swapped in from its
	// earlier slot when there were four distinct ones). npfx counts every
	// prefix byte, repeats included.
	pfx  [4]byte
	npfx int

	rex  [2]byte // REX byte, or REX2's 0xd5 and its payload
	nrex int
	vex  [4]byte // VEX or EVEX prefix (a VEX2's byte 2 is synthesized)
	nvex int

	op  [3]byte // opcode bytes, escapes included
	nop int

	modrm, sib     byte
	hasModRM       bool
	hasSIB         bool
	disp           int32 // displacement, sign-extended
	imm            int32 // first immediate (or low half), sign-extended
	hasImm         bool
	length         int
	attr           attr
	opSize, adSize int // operand and address size in bytes
}

// A decodeError is why fields.decode failed.
type decodeError uint8

const (
	errNone      decodeError = iota
	errTruncated             // the bytes ran out before the instruction did
	errTooLong               // the instruction would pass 15 bytes
	errInvalid               // the encoding is one the kernel's decoder rejects
)

// reader walks the bytes of one instruction.
type reader struct {
	code []byte // at most maxInsnLen bytes
	pos  int
	full bool // code holds maxInsnLen bytes, so running out means too long
}

func (r *reader) fail() decodeError {
	if r.full {
		return errTooLong
	}
	return errTruncated
}

// peek returns the byte n places ahead without consuming it.
func (r *reader) peek(n int) (byte, bool) {
	if r.pos+n >= len(r.code) {
		return 0, false
	}
	return r.code[r.pos+n], true
}

// next consumes n bytes (1, 2 or 4) and returns them as a sign-extended
// little-endian value.
func (r *reader) next(n int) (int32, bool) {
	if r.pos+n > len(r.code) {
		return 0, false
	}
	b := r.code[r.pos : r.pos+n]
	r.pos += n
	switch n {
	case 1:
		return int32(int8(b[0])), true
	case 2:
		return int32(int16(binary.LittleEndian.Uint16(b))), true
	}
	return int32(binary.LittleEndian.Uint32(b)), true
}

func (r *reader) nextByte() (byte, bool) {
	v, ok := r.next(1)
	return byte(v), ok
}

// isLegacyPrefix reports whether b is one of the eleven legacy prefixes.
func isLegacyPrefix(b byte) bool {
	switch b {
	case 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3:
		return true
	}
	return false
}

// decode splits the 64-bit mode instruction at the start of code into f.
func (f *fields) decode(code []byte) decodeError {
	*f = fields{opSize: 4, adSize: 8}
	r := reader{code: code}
	if len(code) >= maxInsnLen {
		r.code, r.full = code[:maxInsnLen], true
	}
	err := f.prefixes(&r)
	if err == errNone {
		err = f.opcode(&r)
	}
	if err == errNone {
		err = f.modRM(&r)
	}
	if err == errNone {
		err = f.displacement(&r)
	}
	if err == errNone {
		err = f.immediate(&r)
	}
	f.length = r.pos
	return err
}

// prefixes reads the emulation, legacy, REX/REX2 and VEX/EVEX prefixes.
func (f *fields) prefixes(r *reader) decodeError {
	if len(r.code) >= 5 && r.code[0] == 0x0f && r.code[1] == 0x0b {
		for _, p := range &emulatePrefixes {
			if [5]byte(r.code) == p {
				r.pos = len(p)
				break
			}
		}
	}
	if err := f.legacyPrefixes(r); err != errNone {
		return err
	}
	b, ok := r.peek(0)
	if !ok {
		return r.fail()
	}
	switch {
	case b&0xf0 == 0x40:
		f.rex[0], f.nrex = b, 1
		r.pos++
		if b&8 != 0 {
			f.opSize = 8
		}
	case b == 0xd5:
		// REX2 (APX): no VEX may follow.
		p, ok := r.peek(1)
		if !ok {
			return r.fail()
		}
		f.rex, f.nrex = [2]byte{b, p}, 2
		r.pos += 2
		if p&8 != 0 {
			f.opSize = 8
		}
		return errNone
	}
	return f.vexPrefix(r)
}

// legacyPrefixes reads the legacy prefixes. Like insn.c it keeps four
// distinct ones at most: a fifth distinct prefix byte ends the prefixes
// and is then read as the opcode.
func (f *fields) legacyPrefixes(r *reader) decodeError {
	var last byte
	nb := 0
	for {
		b, ok := r.peek(0)
		if !ok {
			return r.fail()
		}
		if !isLegacyPrefix(b) {
			break
		}
		seen := false
		for _, p := range f.pfx[:nb] {
			seen = seen || p == b
		}
		if !seen {
			if nb == len(f.pfx) {
				break
			}
			f.pfx[nb] = b
			nb++
			switch b {
			case 0x67:
				f.adSize ^= 12 // 8 <-> 4
			case 0x66:
				f.opSize ^= 6 // 4 <-> 2
			}
		}
		f.npfx++
		r.pos++
		last = b
	}
	if last != 0 && last != f.pfx[3] {
		if old := f.pfx[3]; old != 0 {
			for i, p := range f.pfx[:nb] {
				if p == last {
					f.pfx[i] = old
				}
			}
		}
		f.pfx[3] = last
	}
	return errNone
}

// vexPrefix reads a VEX (c4, c5) or EVEX (62) prefix, which in 64-bit
// mode those bytes always are.
func (f *fields) vexPrefix(r *reader) decodeError {
	b, ok := r.peek(0)
	if !ok {
		return r.fail()
	}
	var size int
	switch b {
	case 0xc5:
		size = 2
	case 0xc4:
		size = 3
	case 0x62:
		size = 4
	default:
		return errNone
	}
	for i := 1; i < size; i++ {
		if _, ok := r.peek(i); !ok {
			return r.fail()
		}
	}
	copy(f.vex[:], r.code[r.pos:r.pos+size])
	f.nvex = size
	r.pos += size
	if size == 2 {
		f.vex[2] = f.vex[1] & 0x7f // as a VEX3 byte 2: W=0, vvvv, L, pp
	} else if f.vex[2]&0x80 != 0 {
		f.opSize = 8
	}
	return errNone
}

// isVEX reports whether the instruction has a VEX or EVEX prefix.
func (f *fields) isVEX() bool { return f.nvex != 0 }

// vexMap returns the opcode map a VEX or EVEX prefix selects.
func (f *fields) vexMap() int {
	switch f.nvex {
	case 2:
		return 1
	case 3:
		return int(f.vex[1] & 0x1f)
	}
	return int(f.vex[1] & 0x07)
}

// lastPrefix returns the prefix identifier that selects table variants:
// VEX's pp field, or else the last legacy prefix.
func (f *fields) lastPrefix() int {
	if f.isVEX() {
		return int(f.vex[2] & 3)
	}
	return lastPrefixID(f.pfx[3])
}

// opcode reads the opcode bytes and looks up their attribute.
func (f *fields) opcode(r *reader) decodeError {
	op, ok := r.nextByte()
	if !ok {
		return r.fail()
	}
	f.op[0], f.nop = op, 1
	switch {
	case f.isVEX():
		p := f.lastPrefix()
		f.attr = vexAttr(op, f.vexMap(), p)
		w := f.nvex > 2 && f.vex[2]&0x80 != 0
		if f.attr&es != 0 && !w && p == pfx66 {
			f.opSize = 2
		}
		evex := f.nvex == 4
		if f.attr&eo != 0 && !evex || f.attr&vx == 0 && f.attr.group() == 0 {
			return errInvalid
		}
		return errNone
	case f.nrex == 2:
		// REX2 says in its M0 bit whether the opcode is in the 0f map.
		if f.rex[1]&0x80 != 0 {
			f.attr = escapeAttr(op, f.lastPrefix(), esc(1))
		} else {
			f.attr = oneByte[op]
		}
		return errNone
	}
	f.attr = oneByte[op]
	for f.attr.escape() != 0 {
		if op, ok = r.nextByte(); !ok {
			return r.fail()
		}
		f.op[f.nop] = op
		f.nop++
		f.attr = escapeAttr(op, f.lastPrefix(), f.attr)
	}
	if f.attr&(vo|eo) != 0 {
		return errInvalid
	}
	return errNone
}

// modRM reads the ModRM and SIB bytes, resolving a group by ModRM.reg.
func (f *fields) modRM(r *reader) decodeError {
	if f.attr&mr != 0 {
		m, ok := r.nextByte()
		if !ok {
			return r.fail()
		}
		f.modrm, f.hasModRM = m, true
		if f.attr.group() != 0 {
			f.attr = groupAttr(m, f.lastPrefix(), f.attr)
			if f.isVEX() && f.attr&vx == 0 {
				return errInvalid
			}
		}
	}
	if f.attr&f64 != 0 {
		f.opSize = 8
	}
	if f.hasModRM && f.modrm>>6 != 3 && f.modrm&7 == 4 {
		s, ok := r.nextByte()
		if !ok {
			return r.fail()
		}
		f.sib, f.hasSIB = s, true
	}
	return errNone
}

// displacement reads the displacement a memory ModRM asks for: 8 bits with
// mod 1; 32 bits with mod 2, RIP-relative, or a SIB without base.
func (f *fields) displacement(r *reader) decodeError {
	if !f.hasModRM {
		return errNone
	}
	mod, rm := f.modrm>>6, f.modrm&7
	n := 0
	switch {
	case mod == 1:
		n = 1
	case mod == 2, mod == 0 && rm == 5, mod == 0 && f.sib&7 == 5:
		n = 4
	}
	if n == 0 {
		return errNone
	}
	d, ok := r.next(n)
	if !ok {
		return r.fail()
	}
	f.disp = d
	return errNone
}

// immediate reads the immediates (or memory offset) the attribute asks for.
// Only the first part is kept: it is what objtool reads as the immediate.
func (f *fields) immediate(r *reader) decodeError {
	var first, rest int
	switch {
	case f.attr&mo != 0:
		first = 4
		if f.adSize == 8 {
			rest = 4
		}
	case f.attr.imm() == 0:
		return errNone
	default:
		var ok bool
		if first, rest, ok = f.immSizes(); !ok {
			return errInvalid
		}
	}
	if f.attr&i2 != 0 {
		rest++
	}
	v, ok := r.next(first)
	if !ok {
		return r.fail()
	}
	f.imm, f.hasImm = v, true
	if r.pos+rest > len(r.code) {
		return r.fail()
	}
	r.pos += rest
	return errNone
}

// immSizes returns the sizes of the two parts of an immediate: the first,
// which is kept, and what follows it.
func (f *fields) immSizes() (first, rest int, ok bool) {
	v := 4 // the size of a word-or-doubleword immediate
	if f.opSize == 2 {
		v = 2
	}
	switch f.attr.imm() {
	case ib:
		return 1, 0, true
	case iw:
		return 2, 0, true
	case id:
		return 4, 0, true
	case iq:
		return 4, 4, true
	case ip:
		// A far pointer has no 64-bit form.
		return v, 2, f.opSize != 8
	case iz:
		return v, 0, true
	}
	if f.opSize == 8 { // iv
		return 4, 4, true
	}
	return v, 0, true
}
