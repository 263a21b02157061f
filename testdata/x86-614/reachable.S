# objtool: --stackval
# Linux 6.14's REACHABLE annotation (type 8 in .discard.annotate_insn)
# names the ud2 itself. In a file of its own, since objtool prints
# "unreachable instruction" only when nothing else warned: without the
# annotation the ret below would be reported.

	.text

# A WARN: ud2 annotated REACHABLE (type 8, on the ud2 itself in 6.14).
	.globl	warn_reachable
	.type	warn_reachable, @function
warn_reachable:
	testq	%rdi, %rdi
	je	1f
1:	ud2
	.pushsection .discard.annotate_insn, "M", @progbits, 8
	.long	1b - .
	.long	8
	.popsection
	ret
	.size	warn_reachable, .-warn_reachable

