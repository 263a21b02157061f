package ppc64

import "github.com/objcheck/objcheck/arch"

// extraInsns lists real instructions that x/arch v0.33.0 does not decode,
// by their exact encoding (reserved fields zero) or, for the transactional
// memory ones, by opcode, extended opcode and Rc. None of them branches,
// traps or writes r1 or LR, except the returns from interrupt, which are
// context switches.
//
// Found in the ppc64le corpus: nap, sleep and rvwinkle (POWER7/8 idle, in
// idle_book3s.S; they never fall through in practice: the kernel follows
// them with `b .` and wakes up at the system reset vector) and tabort.,
// treclaim., trechkpt. (transactional memory, tm.S and syscall.c). The
// others complete their families. Found in Debian's modules: icswx.
var extraInsns = [...]struct {
	mask, value uint32
	kind        arch.Kind
}{
	{0xffffffff, 0x4c000324, arch.Other}, // doze
	{0xffffffff, 0x4c000364, arch.Other}, // nap
	{0xffffffff, 0x4c0003a4, arch.Other}, // sleep
	{0xffffffff, 0x4c0003e4, arch.Other}, // rvwinkle

	{0xffffffff, 0x4c000064, arch.ContextSwitch}, // rfi (32-bit)
	{0xffffffff, 0x4c000066, arch.ContextSwitch}, // rfci (BookE)
	{0xffffffff, 0x4c00004c, arch.ContextSwitch}, // rfmci (BookE)
	{0xffffffff, 0x4c00004e, arch.ContextSwitch}, // rfdi (BookE)

	{0xfc0007ff, 0x7c00051d, arch.Other}, // tbegin.
	{0xfc0007ff, 0x7c00055d, arch.Other}, // tend.
	{0xfc0007ff, 0x7c00059c, arch.Other}, // tcheck
	{0xfc0007ff, 0x7c0005dd, arch.Other}, // tsr.
	{0xfc0007ff, 0x7c00061d, arch.Other}, // tabortwc.
	{0xfc0007ff, 0x7c00065d, arch.Other}, // tabortdc.
	{0xfc0007ff, 0x7c00069d, arch.Other}, // tabortwci.
	{0xfc0007ff, 0x7c0006dd, arch.Other}, // tabortdci.
	{0xfc0007ff, 0x7c00071d, arch.Other}, // tabort.
	{0xfc0007ff, 0x7c00075d, arch.Other}, // treclaim.
	{0xfc0007ff, 0x7c0007dd, arch.Other}, // trechkpt.

	// Coprocessor requests (POWER7+ NX), which set cr0: icswx. in
	// drivers/crypto/nx/nx-compress-powernv.c (nx842_exec_icswx), seen in
	// Debian's 64k-page ppc64le kernel.
	{0xfc0007ff, 0x7c00032d, arch.Other}, // icswx.
	{0xfc0007ff, 0x7c00076d, arch.Other}, // icswepx.
}

// lookupExtra returns the kind of word if it is in extraInsns.
func lookupExtra(word uint32) (arch.Kind, bool) {
	for _, e := range extraInsns {
		if word&e.mask == e.value {
			return e.kind, true
		}
	}
	return 0, false
}
