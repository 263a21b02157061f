# The callees of a.o. b.o's .text follows a.o's, and its last function
# runs off the end of the linked section.

	.text

	.globl	b_first
	.type	b_first, @function
b_first:
	ret
	.size	b_first, .-b_first

	.globl	b_func
	.type	b_func, @function
b_func:
	ret
	.size	b_func, .-b_func

	.globl	b_die
	.type	b_die, @function
b_die:
1:	hlt
	jmp	1b
	.size	b_die, .-b_die

	.globl	b_tail_far
	.type	b_tail_far, @function
b_tail_far:
	jmp	a_die
	.size	b_tail_far, .-b_tail_far

	.globl	b_eos
	.type	b_eos, @function
b_eos:
	xor	%eax, %eax	# want ".text: unexpected end of section"
	.size	b_eos, .-b_eos
