# objtool: --stackval --uaccess
#
# Well-formed code that objtool 6.12 accepts without a warning: frames,
# DRAP realignment, a switch jump table, alternatives, static branches,
# exception tables, annotations (reachable, STACK_FRAME_NON_STANDARD, unwind
# hints, intra-function calls), noreturn calls and .cold children.
# The annotation macros below reproduce the 6.12 kernel headers.

# include/linux/objtool.h
.macro UNWIND_HINT type:req sp_reg=0 sp_offset=0 signal=0
.Lhere_\@:
	.pushsection .discard.unwind_hints
		.long .Lhere_\@ - .
		.short \sp_offset
		.byte \sp_reg
		.byte \type
		.byte \signal
		.balign 4
	.popsection
.endm

.macro STACK_FRAME_NON_STANDARD func:req
	.pushsection .discard.func_stack_frame_non_standard, "aw"
	.long \func - .
	.popsection
.endm

.macro REACHABLE
.Lhere_\@:
	.pushsection .discard.reachable
	.long	.Lhere_\@
	.popsection
.endm

.macro ANNOTATE_INTRA_FUNCTION_CALL
.Lhere_\@:
	.pushsection .discard.intra_function_calls
	.long	.Lhere_\@
	.popsection
.endm

# arch/x86/include/asm/unwind_hints.h, with ORC_REG_SP = 5 and the hint
# types of include/linux/objtool_types.h.
.macro UNWIND_HINT_FUNC
	UNWIND_HINT sp_reg=5 sp_offset=8 type=5
.endm

.macro UNWIND_HINT_IRET_REGS
	UNWIND_HINT sp_reg=5 sp_offset=0 type=4 signal=1
.endm

# arch/x86/include/asm/alternative.h: struct alt_instr is 14 bytes.
.macro altinstr_entry orig alt ft_flags orig_len alt_len
	.long \orig - .
	.long \alt - .
	.4byte \ft_flags
	.byte \orig_len
	.byte \alt_len
.endm

.macro ALTERNATIVE oldinstr, newinstr, ft_flags
740:
	\oldinstr
741:
	.skip -(((744f-743f)-(741b-740b)) > 0) * ((744f-743f)-(741b-740b)),0x90
742:
	.pushsection .altinstructions,"a"
	altinstr_entry 740b,743f,\ft_flags,742b-740b,744f-743f
	.popsection
	.pushsection .altinstr_replacement,"ax"
743:
	\newinstr
744:
	.popsection
.endm

# X86_FEATURE_SMAP is 9*32+20.
.macro ASM_STAC
	ALTERNATIVE "", "stac", 308
.endm

.macro ASM_CLAC
	ALTERNATIVE "", "clac", 308
.endm

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

# Frame with locals, torn down by leave.
	.globl	frame_leave
	.type	frame_leave, @function
frame_leave:
	push	%rbp
	mov	%rsp, %rbp
	sub	$16, %rsp
	mov	%rdi, -8(%rbp)
	call	ext_func
	leave
	ret
	.size	frame_leave, .-frame_leave

# Callee-saved registers pushed and popped around calls.
	.globl	frame_saves
	.type	frame_saves, @function
frame_saves:
	push	%rbp
	mov	%rsp, %rbp
	push	%r12
	push	%rbx
	mov	%rdi, %rbx
	call	ext_func
	mov	%rax, %r12
	call	ext_func
	add	%r12, %rax
	pop	%rbx
	pop	%r12
	pop	%rbp
	ret
	.size	frame_saves, .-frame_saves

# Leaf functions need no frame.
	.globl	leaf
	.type	leaf, @function
leaf:
	push	%rbx
	mov	%rdi, %rbx
	lea	1(%rbx), %rax
	pop	%rbx
	ret
	.size	leaf, .-leaf

# GCC's DRAP stack realignment (the pattern in objtool's check.c).
	.globl	drap
	.type	drap, @function
drap:
	lea	0x8(%rsp), %r10
	and	$-64, %rsp
	pushq	-0x8(%r10)
	push	%rbp
	mov	%rsp, %rbp
	push	%r10
	call	ext_func
	pop	%r10
	pop	%rbp
	lea	-0x8(%r10), %rsp
	ret
	.size	drap, .-drap

# A switch through an absolute jump table in .rodata (R_X86_64_32S to the
# table, R_X86_64_64 entries).
	.globl	switch_table
	.type	switch_table, @function
switch_table:
	cmp	$2, %edi
	ja	.Lsw_default
	mov	%edi, %edi
	jmp	*.Lsw_table(,%rdi,8)
.Lsw_0:
	mov	$10, %eax
	ret
.Lsw_1:
	mov	$11, %eax
	ret
.Lsw_2:
	mov	$12, %eax
	ret
.Lsw_default:
	xor	%eax, %eax
	ret
	.size	switch_table, .-switch_table

	.section .rodata
	.align	8
.Lsw_table:
	.quad	.Lsw_0
	.quad	.Lsw_1
	.quad	.Lsw_2
	.text

# Alternatives: both the original and the replacement are walked.
	.globl	alt_call
	.type	alt_call, @function
alt_call:
	push	%rbp
	mov	%rsp, %rbp
	ALTERNATIVE "call ext_func", "call ext_func2", 3*32+17
	pop	%rbp
	ret
	.size	alt_call, .-alt_call

# ASM_STAC/ASM_CLAC: with --uaccess only the replacement path is walked.
	.globl	alt_uaccess
	.type	alt_uaccess, @function
alt_uaccess:
	ASM_STAC
	mov	(%rdi), %eax
	ASM_CLAC
	ret
	.size	alt_uaccess, .-alt_uaccess

# A static branch: the __jump_table entry is the only way to reach .Ljl_yes.
	.globl	static_branch
	.type	static_branch, @function
static_branch:
	STATIC_BRANCH_NOP some_key, .Ljl_yes
	xor	%eax, %eax
	ret
.Ljl_yes:
	mov	$1, %eax
	ret
	.size	static_branch, .-static_branch

# An exception-table fixup: only the __ex_table entry reaches it.
	.globl	extable
	.type	extable, @function
extable:
	stac
.Lex_insn:
	mov	(%rdi), %eax
.Lex_done:
	clac
	ret
.Lex_fixup:
	mov	$-14, %eax
	jmp	.Lex_done
	.size	extable, .-extable
	_ASM_EXTABLE .Lex_insn, .Lex_fixup

# WARN: a ud2 annotated reachable.
	.globl	warn
	.type	warn, @function
warn:
	test	%edi, %edi
	jz	1f
	ud2
	REACHABLE
	mov	$1, %eax
1:	ret
	.size	warn, .-warn

# BUG: a ud2 ends the path.
	.globl	bug
	.type	bug, @function
bug:
	test	%edi, %edi
	jnz	1f
	ret
1:	ud2
	.size	bug, .-bug

# STACK_FRAME_NON_STANDARD: ignored, however odd its stack handling.
	.globl	nonstandard
	.type	nonstandard, @function
nonstandard:
	push	%rbx
	and	$-16, %rsp
	call	ext_func
	ret
	.size	nonstandard, .-nonstandard
	STACK_FRAME_NON_STANDARD nonstandard

# A context switch is allowed in a function when an unwind hint follows it.
	.globl	ctx_hint
	.type	ctx_hint, @function
ctx_hint:
	syscall
	UNWIND_HINT_FUNC
	ret
	.size	ctx_hint, .-ctx_hint

# Entry code outside any STT_FUNC, reached only through its unwind hint.
	.globl	entry_stub
entry_stub:
	UNWIND_HINT_IRET_REGS
	push	$-1
	call	ext_handler
	add	$8, %rsp
	iretq
	.size	entry_stub, .-entry_stub

# An annotated intra-function call (the retpoline-thunk trick): the call
# keeps its push of the return address.
	.globl	intra_call
	.type	intra_call, @function
intra_call:
	ANNOTATE_INTRA_FUNCTION_CALL
	call	1f
	int3
1:	add	$8, %rsp
	ret
	.size	intra_call, .-intra_call

# Calls to noreturn functions end the path: nothing follows them.
	.globl	calls_panic
	.type	calls_panic, @function
calls_panic:
	push	%rbp
	mov	%rsp, %rbp
	test	%edi, %edi
	jnz	1f
	pop	%rbp
	ret
1:	call	panic
	.size	calls_panic, .-calls_panic

	.globl	stack_protector
	.type	stack_protector, @function
stack_protector:
	push	%rbp
	mov	%rsp, %rbp
	call	__stack_chk_fail
	.size	stack_protector, .-stack_protector

# A .cold child in .text.unlikely, entered and left by jumps. It carries the
# parent's frame, so its call is fine.
	.globl	with_cold
	.type	with_cold, @function
with_cold:
	push	%rbp
	mov	%rsp, %rbp
	test	%edi, %edi
	jnz	with_cold.cold
.Lcold_back:
	pop	%rbp
	ret
	.size	with_cold, .-with_cold

	.section .text.unlikely, "ax", @progbits
	.type	with_cold.cold, @function
with_cold.cold:
	call	ext_func
	jmp	.Lcold_back
	.size	with_cold.cold, .-with_cold.cold
