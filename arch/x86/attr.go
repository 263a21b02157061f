package x86

// An attr says what follows an opcode byte: a ModRM byte, an immediate, and
// where to look next when the opcode is an escape or a group. The values and
// their lookup rules are those of the kernel's instruction decoder
// (tools/arch/x86/lib/insn.c with its opcode map), which objtool uses: the
// length of every instruction, even one the CPU would reject, must be the
// length objtool sees, since objtool decodes sections linearly.
type attr uint32

// The attribute flags.
const (
	mr  attr = 1 << iota // a ModRM byte follows the opcode
	f64                  // operand size is 64 bits in long mode
	i2                   // a second, one-byte immediate follows the first
	mo                   // a memory offset of address size follows (mov moffs)
	vr                   // a 66, F3 or F2 prefix selects a variant table
	vx                   // may be VEX or EVEX encoded
	vo                   // must be VEX encoded
	eo                   // must be EVEX encoded
	es                   // EVEX with pp=66 and W0 makes the operand 16 bits
)

// The fields above the flags: a 3-bit immediate kind, a 5-bit group
// number and a 2-bit escape number.
const (
	immShift = 9
	grpShift = 12
	escShift = 17
)

// The immediate kinds. Tables combine a group's attribute with its
// opcode's by OR, so the numbering is part of the data, as in insn.c.
const (
	ib   attr = 1 << immShift // 1 byte
	iw   attr = 2 << immShift // 2 bytes
	id   attr = 3 << immShift // 4 bytes
	iq   attr = 4 << immShift // 8 bytes
	ip   attr = 5 << immShift // far pointer: 2 or 4 bytes, then 2
	iz   attr = 6 << immShift // 2 bytes with a 16-bit operand, else 4
	iv   attr = 7 << immShift // 2, 4 or 8 bytes: the operand size
	immM attr = 7 << immShift
)

func (a attr) imm() attr   { return a & immM }
func (a attr) group() int  { return int(a>>grpShift) & 31 }
func (a attr) escape() int { return int(a>>escShift) & 3 }

// grp and esc name a group table and an escape map in the tables below.
func grp(n int) attr { return attr(n) << grpShift }
func esc(n int) attr { return attr(n) << escShift }

// A prefix identifier selects a variant table: 0 none, then 66, F3, F2,
// as a last legacy prefix or as a VEX pp field.
const (
	pfxNone = iota
	pfx66
	pfxF3
	pfxF2
)

// lastPrefixID is the table variant a legacy prefix byte selects.
func lastPrefixID(b byte) int {
	switch b {
	case 0x66:
		return pfx66
	case 0xf3:
		return pfxF3
	case 0xf2:
		return pfxF2
	}
	return pfxNone
}

// escapeTables holds the escape maps 0f, 0f 38 and 0f 3a, indexed by escape
// number and prefix identifier; VEX maps 1 to 3 are the same tables.
var escapeTables = [4][4]*[256]attr{
	1: {&twoByte, &twoByteP66, &twoBytePF3, &twoBytePF2},
	2: {&map38, &map38P66, &map38PF3, &map38PF2},
	3: {&map3A, &map3AP66, &map3APF3, &map3APF2},
}

// vexTables holds the maps a VEX or EVEX prefix may select, by map number
// and pp field.
var vexTables = [8][4]*[256]attr{
	1: escapeTables[1], 2: escapeTables[2], 3: escapeTables[3],
	4: {&map4, &map4P66, &map4PF3, &map4PF2},
	5: {&map5, &map5P66, &map5PF3, &map5PF2},
	6: {&map6, &map6P66, &map6PF3, &map6PF2},
	7: {&map7, nil, &map7PF3, &map7PF2},
}

// groupTables holds the ModRM.reg-selected groups by group number and
// prefix identifier. Groups without a table (1, 2, 3, ...) take their
// opcode's attribute unchanged.
var groupTables = [32][4]*[8]attr{
	4:  {&grp4},
	5:  {&grp5},
	6:  {&grp6},
	7:  {&grp7},
	8:  {&grp8},
	9:  {&grp9},
	10: {&grp10, nil, nil, &grp10PF2},
	11: {&grp11, nil, &grp11PF3},
	13: {&grp13},
	14: {&grp14},
	15: {&grp15, nil, &grp15PF3},
	16: {&grp16, &grp16P66},
	17: {&grp17, &grp17P66},
	18: {&grp18, &grp18P66},
	21: {&grp21, &grp21P66, &grp21PF3, &grp21PF2},
	24: {&grp24, &grp24P66, &grp24PF3},
	25: {&grp25, &grp25P66},
	26: {&grp26, &grp26P66},
	27: {&grp27},
}

// escapeAttr looks op up in the map that escape attribute e leads to. An
// entry marked vr is replaced by the prefix's variant, or by nothing when
// the map has no such variant.
func escapeAttr(op byte, pfx int, e attr) attr {
	tabs := &escapeTables[e.escape()]
	a := tabs[pfxNone][op]
	if a&vr == 0 || pfx == pfxNone {
		return a
	}
	if tabs[pfx] == nil {
		return 0
	}
	return tabs[pfx][op]
}

// vexAttr looks op up in VEX or EVEX map m with pp field p. Unlike the
// legacy maps, any non-group opcode takes the pp variant.
func vexAttr(op byte, m, p int) attr {
	if m >= len(vexTables) || vexTables[m][pfxNone] == nil {
		return 0
	}
	t := vexTables[m][pfxNone]
	if t[op].group() == 0 && p != pfxNone {
		if t = vexTables[m][p]; t == nil {
			return 0
		}
	}
	return t[op]
}

// groupAttr resolves group attribute g by the reg field of ModRM byte
// modrm; the group's own flags are kept.
func groupAttr(modrm byte, pfx int, g attr) attr {
	common := g &^ (31 << grpShift)
	tabs := &groupTables[g.group()]
	if tabs[pfxNone] == nil {
		return common
	}
	reg := modrm >> 3 & 7
	a := tabs[pfxNone][reg]
	if a&vr != 0 && pfx != pfxNone {
		if tabs[pfx] == nil {
			return common
		}
		a = tabs[pfx][reg]
	}
	return a | common
}
