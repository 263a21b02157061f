# objtool: --ibt --link
#
# IBT (--ibt, which needs --link in 6.12): a function whose address is
# taken, by code or by data, must start with ENDBR64 unless it is annotated
# ANNOTATE_NOENDBR. Direct calls and jumps do not count.

# ANNOTATE_NOENDBR as in include/linux/objtool.h (6.12).
.macro ANNOTATE_NOENDBR
.Lhere_\@:
	.pushsection .discard.noendbr
	.long	.Lhere_\@
	.popsection
.endm

	.text

	.globl	no_endbr
	.type	no_endbr, @function
no_endbr:
	ret
	.size	no_endbr, .-no_endbr

	.globl	with_endbr
	.type	with_endbr, @function
with_endbr:
	endbr64
	ret
	.size	with_endbr, .-with_endbr

# Clean in code references only: objtool takes the address of the byte
# just after a function that starts with ENDBR for a code-range end
# (noendbr_range()), so a code reference to this function passes.
	.globl	after_endbr
	.type	after_endbr, @function
after_endbr:
	ret
	.size	after_endbr, .-after_endbr

	.globl	noendbr_ok
	.type	noendbr_ok, @function
noendbr_ok:
	ANNOTATE_NOENDBR
	ret
	.size	noendbr_ok, .-noendbr_ok

	.globl	take_addr
	.type	take_addr, @function
take_addr:
	lea	with_endbr(%rip), %rax
	lea	noendbr_ok(%rip), %rax
	lea	after_endbr(%rip), %rax
	call	no_endbr
	lea	no_endbr(%rip), %rax	# want "relocation to !ENDBR: no_endbr+0x0"
	ret
	.size	take_addr, .-take_addr

	.data
	.globl	fptrs
	.type	fptrs, @object
fptrs:
	.quad	with_endbr
	.quad	noendbr_ok
	.quad	no_endbr	# want "data relocation to !ENDBR: no_endbr+0x0"
	.quad	after_endbr	# want "data relocation to !ENDBR: after_endbr+0x0"
	.size	fptrs, .-fptrs
