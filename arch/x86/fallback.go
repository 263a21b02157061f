package x86

// What x86asm rejects, or is known to read with another length than the
// kernel's decoder, is decoded with the kernel's own opcode tables
// (opmap.go). The helpers here serve both.

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
