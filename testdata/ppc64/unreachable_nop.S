# objtool: --stackval
#
# PENDING (see README.md): on ppc64 a call is "bl f; nop", the nop being
# the slot the linker turns into a TOC restore. The code after a call to
# panic() should earn "panic() is missing a __noreturn annotation", as it
# does when the call has no nop (../unreachable.S, after_panic). With the
# nop, objcheck looks only at the instruction just before the unreached
# one, finds the nop, and prints
#	unreachable.o: warning: objtool: after_panic+0x14: unreachable instruction
# (markTrailingCalls already steps over that nop.)

	.abiversion 2
	.text

# A call to panic(), which does not return, followed by code: the
# compiler did not know, so the declaration lacks __noreturn. The nop
# after the call (the TOC restore slot) is not reported.
	.globl	after_panic
	.type	after_panic, @function
after_panic:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	panic
	nop
	addi	1, 1, 32	# want "panic() is missing a __noreturn annotation"
	ld	0, 16(1)
	mtlr	0
	blr
	.size	after_panic, .-after_panic

	.globl	last
	.type	last, @function
last:
	blr
	.size	last, .-last
