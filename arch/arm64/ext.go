package arm64

// The extension spaces arm64asm (ARMv8.0) does not decode: SVE and SME,
// and (in simd.go) the newer SIMD instructions. Kernel code uses them only in
// FP/SIMD state save and restore and in a few library routines; none of
// them moves SP or writes x29 or x30 except the few SVE instructions that
// write a general register, which have forms of their own. Within these
// spaces every word is taken as an instruction: telling SVE's reserved
// encodings apart is not worth a decoder of its own.

// sveForms are the SVE instructions (encoding group 0010).
var sveForms = []form{
	// addvl, addpl (and SME's addsvl, addspl): Xd|SP = Xn|SP + imm * VL.
	{name: "addvl", mask: 0xffa0f000, value: 0x04205000, decode: writesRdSP},
	// rdvl, rdsvl.
	{name: "rdvl", mask: 0xfffff000, value: 0x04bf5000, decode: writesRd},
	// cntb, cnth, cntw, cntd.
	{name: "cntb", mask: 0xff30fc00, value: 0x0420e000, decode: writesRd},
	// incb, decb, ... (scalar).
	{name: "incb", mask: 0xff30f800, value: 0x0430e000, decode: writesRd},
	// sqincb, uqdecd, ... (scalar).
	{name: "sqincb", mask: 0xff20f000, value: 0x0420f000, decode: writesRd},
	// cntp.
	{name: "cntp", mask: 0xff3fc200, value: 0x25208000, decode: writesRd},
	// incp, decp, sqincp, ... (scalar).
	{name: "incp", mask: 0xff38fa00, value: 0x25288800, valid: incpValid, decode: writesRd},
	// lasta, lastb, clasta, clastb to a general register.
	{name: "lasta", mask: 0xff2ee000, value: 0x0520a000, decode: writesRd},
	{name: "sve", mask: 0x1e000000, value: 0x04000000, decode: other},
}

// smeForms are the SME instructions (encoding group 0000 with bit 31 set;
// with bit 31 clear the group is reserved, udf among it).
var smeForms = []form{
	{name: "sme", mask: 0x9e000000, value: 0x80000000, decode: other},
}

// incpValid accepts incp and decp (bit 18 set, bits 17 and 10 clear) and
// the saturating sqincp, uqincp, sqdecp, uqdecp (bit 18 clear).
func incpValid(w uint32) bool { return !bit(w, 18) || !bit(w, 17) && !bit(w, 10) }
