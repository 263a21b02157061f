package arm64

// simdForms are the SIMD and floating point data-processing instructions.
// The only ones that write a general register are the conversions to
// integer or fixed point (fcvtzs, fmov x, d, fjcvtzs, ...) and the moves
// from a vector element (umov, smov); every other word of these groups is
// taken as an instruction: arm64asm does not know a third of the
// encodings binutils decodes here (half precision, dot products, bf16,
// complex arithmetic, sqrdmlah, ...), and they have no stack effect.
var simdForms = []form{
	// fcvt[nmpza][su], fmov to a general register, fjcvtzs: opcode (18:16)
	// 000, 001, 100, 101, 110; scvtf, ucvtf, fmov from one: 010, 011, 111.
	{name: "fcvtzs", mask: 0x5f20fc00, value: 0x1e200000, valid: toGeneral, decode: writesRd},
	// fcvtzs, fcvtzu to fixed point: opcode 000, 001.
	{name: "fcvtzs-fixed", mask: 0x5f260000, value: 0x1e000000, decode: writesRd},
	// smov (imm4 0101), umov (0111).
	{name: "umov", mask: 0xbfe0ec00, value: 0x0e002c00, decode: writesRd},
	{name: "simd", mask: 0x0e000000, value: 0x0e000000, decode: other},
}

// toGeneral accepts the conversions whose destination is a general register.
func toGeneral(w uint32) bool {
	op := field(w, 16, 3)
	return op != 2 && op != 3 && op != 7
}
