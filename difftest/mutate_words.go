package difftest

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// A wordOp recognises one kind of instruction of a fixed-width machine
// that a mutant may replace: the bits of mask in a word must equal value.
type wordOp struct {
	kind        SiteKind
	text        string
	mask, value uint32
}

// A wordArch is a fixed-width machine the mutants cover: its nop, the
// instructions they replace with it, and the names of its relocations.
type wordArch struct {
	nop   uint32
	ops   []wordOp
	reloc func(uint32) string
}

// wordArches hold the arm64 and ppc64 mutation sites: the instructions
// that build and tear down frames, branches, and returns.
var wordArches = map[elf.Machine]wordArch{
	elf.EM_AARCH64: {0xd503201f, []wordOp{
		{StackSite, "stp x29, x30, [sp, #-N]!", 0xffc07fff, 0xa9807bfd},
		{StackSite, "ldp x29, x30, [sp], #N", 0xffc07fff, 0xa8c07bfd},
		{StackSite, "sub sp, sp, #N", 0xff8003ff, 0xd10003ff},
		{StackSite, "add sp, sp, #N", 0xff8003ff, 0x910003ff},
		{StackSite, "mov x29, sp", 0xffffffff, 0x910003fd},
		{JumpSite, "b", 0xfc000000, 0x14000000},
		{JumpSite, "b.cond", 0xff000010, 0x54000000},
		{JumpSite, "cbz/cbnz", 0x7e000000, 0x34000000},
		{JumpSite, "tbz/tbnz", 0x7e000000, 0x36000000},
		{JumpSite, "br", 0xfffffc1f, 0xd61f0000},
		{ReturnSite, "ret", 0xfffffc1f, 0xd65f0000},
	}, func(t uint32) string { return elf.R_AARCH64(t).String() }},
	elf.EM_PPC64: {0x60000000, []wordOp{
		{StackSite, "stdu r1, N(r1)", 0xffff0003, 0xf8210001},
		{StackSite, "addi r1, r1, N", 0xffff0000, 0x38210000},
		{StackSite, "std r0, 16(r1)", 0xffffffff, 0xf8010010},
		{StackSite, "ld r0, 16(r1)", 0xffffffff, 0xe8010010},
		{StackSite, "mflr r0", 0xffffffff, 0x7c0802a6},
		{StackSite, "mtlr r0", 0xffffffff, 0x7c0803a6},
		{JumpSite, "b", 0xfc000003, 0x48000000},
		{JumpSite, "bc", 0xfc000003, 0x40000000},
		{JumpSite, "bctr", 0xffffffff, 0x4e800420},
		{ReturnSite, "blr", 0xffffffff, 0x4e800020},
	}, func(t uint32) string { return elf.R_PPC64(t).String() }},
}

// classify returns the op w is, if any.
func (a *wordArch) classify(w uint32) (wordOp, bool) {
	for _, op := range a.ops {
		if w&op.mask == op.value {
			return op, true
		}
	}
	return wordOp{}, false
}

// nopBytes returns the arch's nop in the object's byte order.
func (a *wordArch) nopBytes(order binary.ByteOrder) []byte {
	b := make([]byte, 4)
	order.PutUint32(b, a.nop)
	return b
}

// wordSites lists the sites in code, the bytes of function sym of
// section sec (index idx) of a fixed-width machine, each to be replaced
// by nop.
func wordSites(a *wordArch, f *elf.File, code []byte, sec *elf.Section, idx int, sym elf.Symbol, relocs relocTable, nop []byte) []Site {
	var sites []Site
	for off := 0; off+4 <= len(code); off += 4 {
		w := f.ByteOrder.Uint32(code[off:])
		op, ok := a.classify(w)
		if !ok {
			continue
		}
		sites = append(sites, Site{
			Kind:       op.kind,
			Section:    sec.Name,
			Offset:     sym.Value + uint64(off),
			FileOffset: sec.Offset + sym.Value + uint64(off),
			Len:        4,
			Func:       sym.Name,
			FuncOffset: uint64(off),
			Insn:       fmt.Sprintf("%s (%#08x)", op.text, w),
			Reloc:      relocs.within(idx, sym.Value+uint64(off), 4),
			Nop:        nop,
		})
	}
	return sites
}
