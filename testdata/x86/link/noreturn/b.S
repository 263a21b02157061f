# The callees of a.o.

	.text

	.globl	b_die
	.type	b_die, @function
b_die:
1:	hlt
	jmp	1b
	.size	b_die, .-b_die

	.globl	b_tail_near
	.type	b_tail_near, @function
b_tail_near:
	jmp	b_die
	.size	b_tail_near, .-b_tail_near

	.globl	b_tail_far
	.type	b_tail_far, @function
b_tail_far:
	jmp	a_die
	.size	b_tail_far, .-b_tail_far

	.weak	b_weak_die
	.type	b_weak_die, @function
b_weak_die:
1:	hlt
	jmp	1b
	.size	b_weak_die, .-b_weak_die

	.globl	w_func
	.type	w_func, @function
w_func:
	ret
	.size	w_func, .-w_func
