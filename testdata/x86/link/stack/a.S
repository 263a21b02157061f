# objtool: --stackval --link
#
# The stack walk over a linked object (frame-pointer rules, --stackval):
# calls and tail calls into another object, and what the link changes: a
# callee of another object that never returns ends its caller's walk, and
# the last function of one object falls through into the first of the
# next, not off the end of its section.

	.text

	.globl	a_sibling_modified
	.type	a_sibling_modified, @function
a_sibling_modified:
	push	%rbp
	mov	%rsp, %rbp
	jmp	b_func	# want "sibling call from callable instruction with modified stack frame"
	.size	a_sibling_modified, .-a_sibling_modified

# Clean: the frame torn down before the tail call.
	.globl	a_sibling_ok
	.type	a_sibling_ok, @function
a_sibling_ok:
	push	%rbp
	mov	%rsp, %rbp
	pop	%rbp
	jmp	b_func
	.size	a_sibling_ok, .-a_sibling_ok

	.globl	a_call_nofp
	.type	a_call_nofp, @function
a_call_nofp:
	call	b_func	# want "call without frame pointer save/setup"
	ret
	.size	a_call_nofp, .-a_call_nofp

# Clean: b_die, in b.o, never returns, so the walk ends at the call. Alone,
# a.o would fall through to the next function here.
	.globl	a_dead_end
	.type	a_dead_end, @function
a_dead_end:
	push	%rbp
	mov	%rsp, %rbp
	call	b_die
	.size	a_dead_end, .-a_dead_end

# b_tail_far only tail-calls a_die, which never returns; but objtool 6.12
# takes a function ending in a sibling call for one that returns.
	.globl	a_returns
	.type	a_returns, @function
a_returns:
	push	%rbp
	mov	%rsp, %rbp
	call	b_tail_far	# want "a_returns() falls through to next function a_die()"
	.size	a_returns, .-a_returns

	.globl	a_die
	.type	a_die, @function
a_die:
1:	hlt
	jmp	1b
	.size	a_die, .-a_die

# The last function of a.o: the link puts b.o's first function after it.
	.globl	a_last
	.type	a_last, @function
a_last:
	xor	%eax, %eax	# want "a_last() falls through to next function b_first()"
	.size	a_last, .-a_last
