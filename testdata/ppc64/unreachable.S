# objtool: --stackval
#
# Code that no path from a function's entry reaches. objcheck reports it
# only when nothing else in the object warned, so this file has no other
# warning. Clean cases are mixed in: a WARN (whose next instruction is
# reached), a BUG right after a noreturn call.

	.abiversion 2

	.macro	BUG_TABLE insn, flags
	.pushsection __bug_table, "aw"
	.align	2
	.4byte	\insn - .
	.4byte	.Lbug_file - .
	.short	42, \flags
	.popsection
	.endm

	.section .rodata.str1.1, "aMS", @progbits, 1
.Lbug_file:
	.string	"unreachable.c"

	.text

# An instruction after the return.
	.globl	after_ret
	.type	after_ret, @function
after_ret:
	blr
	addi	3, 3, 1	# want "unreachable instruction"
	blr
	.size	after_ret, .-after_ret

# An instruction after a BUG (flags 0: the trap does not come back).
	.globl	after_bug
	.type	after_bug, @function
after_bug:
	cmpdi	3, 0
	bne	2f
1:	twi	31, 0, 0
	BUG_TABLE 1b, 0
	li	3, 1	# want "unreachable instruction"
2:	blr
	.size	after_bug, .-after_bug

# Clean: the same with BUGFLAG_WARNING, so the li is reached.
	.globl	after_warn
	.type	after_warn, @function
after_warn:
	cmpdi	3, 0
	bne	2f
1:	twi	31, 0, 0
	BUG_TABLE 1b, 1
	li	3, 1
2:	blr
	.size	after_warn, .-after_warn

# A call to panic(), which does not return, followed by code: the
# compiler did not know, so the declaration lacks __noreturn. (A call with
# no TOC-restore nop after it, as to a function sharing the TOC; the case
# with the nop is in pending/.)
	.globl	after_panic
	.type	after_panic, @function
after_panic:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	panic
	addi	1, 1, 32	# want "panic() is missing a __noreturn annotation"
	ld	0, 16(1)
	mtlr	0
	blr
	.size	after_panic, .-after_panic

# Clean: a BUG right after a noreturn call.
	.globl	panic_bug
	.type	panic_bug, @function
panic_bug:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	cmpdi	3, 0
	beq	2f
	bl	panic
1:	twi	31, 0, 0
	BUG_TABLE 1b, 0
2:	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
	.size	panic_bug, .-panic_bug

# Code outside any function, reached by nothing: it is named by its
# section offset. With no symbol there is no one-warning limit: each such
# instruction is reported.
	li	3, 2	# want "unreachable instruction"
	blr	# want "unreachable instruction"

	.globl	last
	.type	last, @function
last:
	blr
	.size	last, .-last
