# objtool: --orc --link
#
# Noreturn callees across a link (kbuild's ORC mode). Code after a call to
# a function that never returns is unreachable, and objtool reports it as
# the callee's missing __noreturn annotation. The callees live in b.o:
# only once linked does objtool see that they never return. Unreachable
# code is reported only when nothing else in the file warned, so this
# fixture has no other warning.

# arch/x86/include/asm/asm.h: a 12-byte __ex_table entry.
.macro _ASM_EXTABLE from, to
	.pushsection "__ex_table","a"
	.balign 4
	.long (\from) - .
	.long (\to) - .
	.long 0
	.popsection
.endm

# arch/x86/include/asm/jump_label.h without the jump_label hack: a 5-byte
# NOP and a 16-byte __jump_table entry {code, target, key}.
.macro STATIC_BRANCH_NOP key, label
.Lhere_\@:
	.byte	0x0f, 0x1f, 0x44, 0x00, 0x00
	.pushsection __jump_table, "aw"
	.balign	8
	.long	.Lhere_\@ - .
	.long	\label - .
	.quad	\key - .
	.popsection
.endm

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

# Clean: code that only an __ex_table or a __jump_table entry reaches. The
# entries of b.o follow a.o's in the linked sections.
	.globl	a_extable
	.type	a_extable, @function
a_extable:
.Lex_insn:
	mov	(%rdi), %eax
.Lex_done:
	ret
.Lex_fixup:
	mov	$-14, %eax
	jmp	.Lex_done
	.size	a_extable, .-a_extable
	_ASM_EXTABLE .Lex_insn, .Lex_fixup

	.globl	a_static_branch
	.type	a_static_branch, @function
a_static_branch:
	STATIC_BRANCH_NOP a_key, .Ljl_yes
	xor	%eax, %eax
	ret
.Ljl_yes:
	mov	$1, %eax
	ret
	.size	a_static_branch, .-a_static_branch
