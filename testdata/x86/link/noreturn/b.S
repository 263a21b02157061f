# The callees of a.o, and code of b.o's own.

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

# Clean: code that only an __ex_table or a __jump_table entry reaches. The
# entries of b.o follow a.o's in the linked sections.
	.globl	b_extable
	.type	b_extable, @function
b_extable:
.Lex_insn:
	mov	(%rdi), %eax
.Lex_done:
	ret
.Lex_fixup:
	mov	$-14, %eax
	jmp	.Lex_done
	.size	b_extable, .-b_extable
	_ASM_EXTABLE .Lex_insn, .Lex_fixup

	.globl	b_static_branch
	.type	b_static_branch, @function
b_static_branch:
	STATIC_BRANCH_NOP b_key, .Ljl_yes
	xor	%eax, %eax
	ret
.Ljl_yes:
	mov	$1, %eax
	ret
	.size	b_static_branch, .-b_static_branch
