# The functions whose addresses a.o takes, and references of b.o's own:
# to a.o's functions, and to b.o's local ones, whose relocations are
# against the section symbol, with an addend the link moved by the size of
# a.o's part of the section.

.macro ANNOTATE_NOENDBR
.Lhere_\@:
	.pushsection .discard.noendbr
	.long	.Lhere_\@
	.popsection
.endm

# include/linux/objtool.h and arch/x86/include/asm/unwind_hints.h (6.12),
# with ORC_REG_SP = 5 and UNWIND_HINT_TYPE_REGS_PARTIAL = 4.
.macro UNWIND_HINT type:req sp_reg=0 sp_offset=0 signal=0
.Lhere_\@:
	.pushsection .discard.unwind_hints
		.long .Lhere_\@ - .
		.short \sp_offset
		.byte \sp_reg
		.byte \type
		.byte \signal
		.balign 4
	.popsection
.endm

.macro UNWIND_HINT_IRET_REGS
	UNWIND_HINT sp_reg=5 sp_offset=0 type=4 signal=1
.endm

	.text

	.globl	b_after_a
	.type	b_after_a, @function
b_after_a:
	ret
	.size	b_after_a, .-b_after_a

	.globl	b_endbr
	.type	b_endbr, @function
b_endbr:
	endbr64
	nop
	ret
	.size	b_endbr, .-b_endbr

	.globl	b_noendbr_ok
	.type	b_noendbr_ok, @function
b_noendbr_ok:
	ANNOTATE_NOENDBR
	ret
	.size	b_noendbr_ok, .-b_noendbr_ok

# Follows a function that does not start with ENDBR, so that no
# noendbr_range() exception applies to it.
	.type	b_gap, @function
b_gap:
	ret
	.size	b_gap, .-b_gap

	.globl	b_plain
	.type	b_plain, @function
b_plain:
	ret
	.size	b_plain, .-b_plain

	.type	b_static, @function
b_static:
	ret
	.size	b_static, .-b_static

	.globl	b_take_local
	.type	b_take_local, @function
b_take_local:
	movq	$b_static, %rax	# want "relocation to !ENDBR: b_static+0x0"
	ret
	.size	b_take_local, .-b_take_local

	.globl	b_take_a
	.type	b_take_a, @function
b_take_a:
	lea	a_last(%rip), %rax
	lea	a_no_endbr(%rip), %rax	# want "relocation to !ENDBR: a_no_endbr+0x0"
	ret
	.size	b_take_a, .-b_take_a

# Entry code reached by an IRET frame must start with ENDBR when a global
# symbol marks it (a sized one: objtool looks it up in its symbol tree).
# The symbol is not a function, so the warning (printed while the hints
# are read, before any other) names the section offset in the linked
# .text.
	.globl	b_iret_entry
b_iret_entry:
	UNWIND_HINT_IRET_REGS
	nop	# want "UNWIND_HINT_IRET_REGS without ENDBR"
	ret
	.size	b_iret_entry, .-b_iret_entry

	.globl	b_iret_ok
b_iret_ok:
	UNWIND_HINT_IRET_REGS
	endbr64
	ret
	.size	b_iret_ok, .-b_iret_ok

	.data
	.globl	b_ptrs
	.type	b_ptrs, @object
b_ptrs:
	.quad	a_take
	.quad	b_static	# want "data relocation to !ENDBR: b_static+0x0"
	.size	b_ptrs, .-b_ptrs
# No symbol covers this one: objtool names the offset in the linked .data.
	.quad	a_no_endbr	# want "data relocation to !ENDBR: a_no_endbr+0x0"

# IBT_NOSEAL(a_no_endbr), written out so that the want comment sits in the
# section: the entry follows a.o's in the linked section.
	.pushsection .discard.ibt_endbr_noseal
	.quad	a_no_endbr	# want "data relocation to !ENDBR: a_no_endbr+0x0"
	.popsection
