package x86

import "encoding/binary"

// The fallback decodes what x86asm rejects but the kernel assembles and
// objtool's decoder takes: system instructions x86asm does not know,
// and lea with a register operand, which objtool warns about. Everything
// here follows the Intel SDM (volume 2, appendices A and B); none of it
// comes from the kernel's opcode map.

// A sysInsn is a fixed encoding from the opcode on: opcode bytes, with the
// ModRM byte (or for VEX, the VEX prefix too) that makes it this
// instruction. pfx is the mandatory prefix, 0 when there is none.
type sysInsn struct {
	name string
	pfx  byte
	code string
}

// sysInsns are the system instructions the kernel uses that x86asm does
// not decode (swapgs, wbnoinvd, rdtscp, verw and the like it does). The
// ones with a ModRM operand (lkgs f2 0f 00 /6, tpause 66 0f ae /6, enqcmd
// f2 0f 38 f8 /r, enqcmds, movdir64b, movdiri) need no entry: the generic
// rule below decodes them.
var sysInsns = [...]sysInsn{
	{"enclv", 0, "\x0f\x01\xc0"},
	{"vmcall", 0, "\x0f\x01\xc1"},
	{"vmlaunch", 0, "\x0f\x01\xc2"},
	{"vmresume", 0, "\x0f\x01\xc3"},
	{"vmxoff", 0, "\x0f\x01\xc4"},
	{"pconfig", 0, "\x0f\x01\xc5"},
	{"wrmsrns", 0, "\x0f\x01\xc6"},
	{"clac", 0, "\x0f\x01\xca"},
	{"eretu", 0xf3, "\x0f\x01\xca"},
	{"erets", 0xf2, "\x0f\x01\xca"},
	{"stac", 0, "\x0f\x01\xcb"},
	{"tdcall", 0x66, "\x0f\x01\xcc"},
	{"seamret", 0x66, "\x0f\x01\xcd"},
	{"seamops", 0x66, "\x0f\x01\xce"},
	{"seamcall", 0x66, "\x0f\x01\xcf"},
	{"encls", 0, "\x0f\x01\xcf"},
	{"enclu", 0, "\x0f\x01\xd7"},
	{"vmrun", 0, "\x0f\x01\xd8"},
	{"vmmcall", 0, "\x0f\x01\xd9"},
	{"vmload", 0, "\x0f\x01\xda"},
	{"vmsave", 0, "\x0f\x01\xdb"},
	{"stgi", 0, "\x0f\x01\xdc"},
	{"clgi", 0, "\x0f\x01\xdd"},
	{"skinit", 0, "\x0f\x01\xde"},
	{"invlpga", 0, "\x0f\x01\xdf"},
	{"serialize", 0, "\x0f\x01\xe8"},
	{"setssbsy", 0xf3, "\x0f\x01\xe8"},
	{"xsusldtrk", 0xf2, "\x0f\x01\xe8"},
	{"xresldtrk", 0xf2, "\x0f\x01\xe9"},
	{"saveprevssp", 0xf3, "\x0f\x01\xea"},
	{"rdpkru", 0, "\x0f\x01\xee"},
	{"wrpkru", 0, "\x0f\x01\xef"},
	{"monitorx", 0, "\x0f\x01\xfa"},
	{"mwaitx", 0, "\x0f\x01\xfb"},
	{"clzero", 0, "\x0f\x01\xfc"},
	{"rdpru", 0, "\x0f\x01\xfd"},
	{"endbr64", 0xf3, "\x0f\x1e\xfa"},
	{"endbr32", 0xf3, "\x0f\x1e\xfb"},
	// AMX: VEX.128.F2.0F38.W0 49 C0.
	{"tilerelease", 0, "\xc4\xe2\x78\x49\xc0"},
}

// lookupSys returns the entry whose encoding starts code, given the last
// legacy prefix: an entry for that mandatory prefix first, else one without
// a mandatory prefix, which other prefixes do not change. prefixOf reports
// that code is the start of an entry's encoding.
func lookupSys(code []byte, last byte) (e *sysInsn, prefixOf bool) {
	for pass := range 2 {
		for i := range sysInsns {
			s := &sysInsns[i]
			if pass == 0 && (s.pfx == 0 || s.pfx != last) || pass == 1 && s.pfx != 0 {
				continue
			}
			if len(code) >= len(s.code) && string(code[:len(s.code)]) == s.code {
				return s, false
			}
			prefixOf = prefixOf || len(code) < len(s.code) && s.code[:len(code)] == string(code)
		}
	}
	return nil, prefixOf
}

// noModRM0F holds the 0f-map opcodes defined without a ModRM byte (SDM
// table A-3): syscall, clts, sysret, invd, wbinvd, ud2, femms, wrmsr,
// rdtsc, rdmsr, rdpmc, sysenter, sysexit, getsec, emms, jcc rel32, push
// and pop fs and gs, cpuid, rsm and bswap. x86asm decodes those the kernel
// uses; the generic rule takes none of them.
var noModRM0F = opcodes(
	0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0e,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x37,
	0x77,
	0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
	0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
	0xa0, 0xa1, 0xa2, 0xa8, 0xa9, 0xaa,
	0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
)

// undefined0F holds the 0f-map opcodes 64-bit mode leaves undefined (the
// test-register moves 0f 24 and 0f 26 among them), and 3DNow!'s 0f 0f,
// which ends in an opcode byte and which the kernel does not use.
var undefined0F = opcodes(0x04, 0x0a, 0x0c, 0x0f, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39,
	0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x7a, 0x7b, 0xa6, 0xa7)

// imm8Of0F holds the 0f-map opcodes with a ModRM byte and a one-byte
// immediate: the pshuf family, the shift groups 12 to 14, shld, shrd, the
// bt group 8, cmpps, pinsrw, pextrw and shufps. Every 0f 3a opcode has one
// too; no 0f 38 opcode has any.
var imm8Of0F = opcodes(0x70, 0x71, 0x72, 0x73, 0xa4, 0xac, 0xba, 0xc2, 0xc4, 0xc5, 0xc6)

// An opcodeSet is a set of opcode bytes.
type opcodeSet [4]uint64

func opcodes(ops ...byte) (s opcodeSet) {
	for _, op := range ops {
		s[op/64] |= 1 << (op % 64)
	}
	return s
}

func (s *opcodeSet) has(op byte) bool { return s[op/64]&(1<<(op%64)) != 0 }

// vexSize returns the size of the VEX (c5, c4) or EVEX (62) prefix that
// starts with b: in 64-bit mode those bytes always start one.
func vexSize(b byte) int {
	switch b {
	case 0xc5:
		return 2
	case 0xc4:
		return 3
	}
	return 4
}

// isLegacyPrefix reports whether b is one of the eleven legacy prefixes.
func isLegacyPrefix(b byte) bool {
	switch b {
	case 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3:
		return true
	}
	return false
}

// decodeFallback decodes code, which x86asm rejected, into f: an entry of
// sysInsns, or by the generic rule for the 0f, 0f 38 and 0f 3a maps: the
// prefixes, a REX prefix, the opcode, a ModRM byte, the SIB byte and
// displacement the ModRM byte asks for, and the immediate the opcode has.
// Lea (8d) with a register operand, which x86asm rejects and objtool
// warns about, takes the same rule.
func (f *fields) decodeFallback(code []byte) decodeError {
	pos := 0
	for pos < len(code) && isLegacyPrefix(code[pos]) {
		pos++
	}
	f.setPrefixes(code[:pos])
	if pos < len(code) && code[pos]&0xf0 == 0x40 {
		f.rex = code[pos]
		pos++
	}
	rest := code[pos:]
	if len(rest) == 0 {
		return errTruncated
	}
	s, prefixOf := lookupSys(rest, f.pfx[3])
	if s != nil {
		f.sys = s
		f.length = pos + len(s.code)
		if s.code[0] == 0xc4 {
			f.vex = true
			return errNone
		}
		f.nop = 2
		copy(f.op[:], s.code[:2])
		f.modrm = s.code[2]
		return errNone
	}
	if prefixOf {
		return errTruncated
	}
	imm := 0
	switch {
	case rest[0] == 0xc5 || rest[0] == 0xc4 || rest[0] == 0x62:
		return f.vexFallback(rest, pos)
	case rest[0] == 0x8d:
		f.nop = 1
	case rest[0] != 0x0f:
		return errInvalid
	case len(rest) < 2:
		return errTruncated
	case rest[1] == 0xff:
		// ud0: objtool 6.12's decoder reads no ModRM after it, where
		// x86asm (and the SDM) reads one.
		f.nop = 2
		copy(f.op[:], rest[:2])
		f.length = pos + 2
		return errNone
	case rest[1] == 0x38 || rest[1] == 0x3a:
		f.nop = 3
		if rest[1] == 0x3a {
			imm = 1
		}
	case noModRM0F.has(rest[1]) || undefined0F.has(rest[1]):
		return errInvalid
	default:
		f.nop = 2
		if imm8Of0F.has(rest[1]) {
			imm = 1
		}
	}
	if len(rest) < f.nop {
		return errTruncated
	}
	copy(f.op[:], rest[:f.nop])
	pos += f.nop
	return f.modRMOperand(code, pos, imm)
}

// vexFallback decodes the VEX or EVEX instruction at rest, which x86asm
// rejected or misread. Only vzeroupper and vzeroall (VEX 0f 77) are
// decoded: x86asm reads a ModRM after them, which they do not have.
// Anything else x86asm rejects once its opcode byte is there.
func (f *fields) vexFallback(rest []byte, pos int) decodeError {
	n := vexSize(rest[0])
	if len(rest) <= n {
		return errTruncated
	}
	if rest[0] != 0x62 && vexMap(rest) == 1 && rest[n] == 0x77 {
		f.vex = true
		f.length = pos + n + 1
		return errNone
	}
	return errInvalid
}

// vexMap returns the opcode map that the VEX or EVEX prefix at the start of
// code selects: 1 for 0f, 2 for 0f 38, 3 for 0f 3a, and so on.
func vexMap(code []byte) int {
	switch code[0] {
	case 0xc5:
		return 1
	case 0xc4:
		return int(code[1] & 0x1f)
	}
	return int(code[1] & 7)
}

// modRMOperand reads the ModRM byte at code[pos], the SIB byte and
// displacement it asks for, and an immediate of imm bytes, and sets the
// length.
func (f *fields) modRMOperand(code []byte, pos, imm int) decodeError {
	size, e := modRMSize(code, pos)
	if e != errNone {
		return e
	}
	f.modrm = code[pos]
	mod, rm := f.modrm>>6, f.modrm&7
	if f.op[0] == 0x8d && mod != 3 {
		return errInvalid // lea with a memory operand: x86asm takes it
	}
	if mod != 3 && rm == 4 {
		f.sib = code[pos+1]
	}
	switch d := code[pos+size-dispSize(f.modrm, f.sib) : pos+size]; len(d) {
	case 1:
		f.disp = int32(int8(d[0]))
	case 4:
		f.disp = int32(binary.LittleEndian.Uint32(d))
	}
	if pos+size+imm > len(code) {
		return errTruncated
	}
	f.length = pos + size + imm
	return errNone
}

// modRMSize returns the size of the ModRM byte at code[pos] with the SIB
// byte and displacement it asks for, or errTruncated when code ends first.
func modRMSize(code []byte, pos int) (int, decodeError) {
	if pos >= len(code) {
		return 0, errTruncated
	}
	modrm := code[pos]
	size := 1
	var sib byte
	if modrm>>6 != 3 && modrm&7 == 4 {
		if pos+1 >= len(code) {
			return 0, errTruncated
		}
		sib = code[pos+1]
		size++
	}
	size += dispSize(modrm, sib)
	if pos+size > len(code) {
		return 0, errTruncated
	}
	return size, errNone
}

// dispSize returns the size of the displacement that a ModRM byte (and
// its SIB byte, if it has one) asks for. With 32- and 64-bit addressing,
// which are all 64-bit mode has, it is 8 bits with mod 1, and 32 bits with
// mod 2, with mod 0 and r/m 5 (RIP-relative), and with mod 0 and a SIB
// without base.
func dispSize(modrm, sib byte) int {
	mod, rm := modrm>>6, modrm&7
	switch {
	case mod == 1:
		return 1
	case mod == 2, mod == 0 && rm == 5, mod == 0 && rm == 4 && sib&7 == 5:
		return 4
	}
	return 0
}
