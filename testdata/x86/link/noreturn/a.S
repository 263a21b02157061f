# objtool: --orc --link
#
# Noreturn callees across a link (kbuild's ORC mode). Code after a call to
# a function that never returns is unreachable, and objtool reports it as
# the callee's missing __noreturn annotation. The callees live in b.o:
# only once linked does objtool see that they never return. Unreachable
# code is reported only when nothing else in the file warned, so this
# fixture has no other warning.

	.text

	.globl	a_after_die
	.type	a_after_die, @function
a_after_die:
	push	%rbp
	mov	%rsp, %rbp
	call	b_die
	pop	%rbp	# want "b_die() is missing a __noreturn annotation"
	ret
	.size	a_after_die, .-a_after_die

# Clean: b_tail_near only tail-calls b_die, in its own object, and
# b_tail_far a_die, in another; objtool takes both for functions that
# return. A function with a sibling call is a dead end only if the callee
# it reaches through the jump's destination is, and 6.12 gives sibling
# calls a call destination, never a jump destination.
	.globl	a_after_tail_near
	.type	a_after_tail_near, @function
a_after_tail_near:
	push	%rbp
	mov	%rsp, %rbp
	call	b_tail_near
	pop	%rbp
	ret
	.size	a_after_tail_near, .-a_after_tail_near

	.globl	a_after_tail_far
	.type	a_after_tail_far, @function
a_after_tail_far:
	push	%rbp
	mov	%rsp, %rbp
	call	b_tail_far
	pop	%rbp
	ret
	.size	a_after_tail_far, .-a_after_tail_far

# Clean: a weak function is never a dead end.
	.globl	a_after_weak
	.type	a_after_weak, @function
a_after_weak:
	push	%rbp
	mov	%rsp, %rbp
	call	b_weak_die
	pop	%rbp
	ret
	.size	a_after_weak, .-a_after_weak

	.globl	a_die
	.type	a_die, @function
a_die:
1:	hlt
	jmp	1b
	.size	a_die, .-a_die

# Clean: b.o defines w_func too, and the link keeps that one. This code
# stays in a.o's .text with no symbol over it, and with --link objtool
# does not report such a hole as unreachable (without --link it reports
# both instructions).
	.weak	w_func
	.type	w_func, @function
w_func:
	xor	%eax, %eax
	ret
	.size	w_func, .-w_func

	.globl	a_last
	.type	a_last, @function
a_last:
	call	w_func
	ret
	.size	a_last, .-a_last
