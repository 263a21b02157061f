# objtool: --ibt --link
#
# IBT over a linked object (kbuild's vmlinux.o run): a function whose
# address is taken, by code or by data, must start with ENDBR64 unless it
# is annotated ANNOTATE_NOENDBR. The address is taken here, in a.o; most
# of the functions live in b.o, linked after it. Direct calls and jumps do
# not count.

# ANNOTATE_NOENDBR as in include/linux/objtool.h (6.12).
.macro ANNOTATE_NOENDBR
.Lhere_\@:
	.pushsection .discard.noendbr
	.long	.Lhere_\@
	.popsection
.endm

# IBT_NOSEAL as in arch/x86/include/asm/ibt.h (6.12): the one .discard
# section whose data relocations validate_ibt() reads.
.macro IBT_NOSEAL fname
	.pushsection .discard.ibt_endbr_noseal
	.quad	\fname
	.popsection
.endm

	.text

# Clean: an ENDBR target, an ANNOTATE_NOENDBR target (annotated in b.o),
# direct calls and jumps, and a reference to the function itself
# (_THIS_IP_). b_after_a, the first function of b.o, is taken for the end
# of a_last, the last function of a.o, which starts with ENDBR: the linker
# put them side by side, and noendbr_range() accepts a code reference to
# the address just past such a function.
	.globl	a_take
	.type	a_take, @function
a_take:
	endbr64
	lea	b_endbr(%rip), %rax
	lea	b_noendbr_ok(%rip), %rax
	lea	b_after_a(%rip), %rax
	lea	a_take(%rip), %rax
	call	b_plain
	jmp	b_plain
	.size	a_take, .-a_take

	.globl	a_bad
	.type	a_bad, @function
a_bad:
	lea	b_plain(%rip), %rax	# want "relocation to !ENDBR: b_plain+0x0"
	ret
	.size	a_bad, .-a_bad

# Past the ENDBR is not at the ENDBR.
	.globl	a_mid
	.type	a_mid, @function
a_mid:
	movq	$b_endbr+4, %rax	# want "relocation to !ENDBR: b_endbr+0x4"
	ret
	.size	a_mid, .-a_mid

# Taken by b.o.
	.globl	a_no_endbr
	.type	a_no_endbr, @function
a_no_endbr:
	ret
	.size	a_no_endbr, .-a_no_endbr

	.globl	a_last
	.type	a_last, @function
a_last:
	endbr64
	ret
	.size	a_last, .-a_last

	.data
# A data reference gets no noendbr_range() exception.
	.globl	a_ptrs
	.type	a_ptrs, @object
a_ptrs:
	.quad	b_endbr
	.quad	b_noendbr_ok
	.quad	b_plain	# want "data relocation to !ENDBR: b_plain+0x0"
	.quad	b_after_a	# want "data relocation to !ENDBR: b_after_a+0x0"
	.size	a_ptrs, .-a_ptrs

	IBT_NOSEAL b_endbr
