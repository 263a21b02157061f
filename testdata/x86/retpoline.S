# objtool: --retpoline --rethunk
#
# Speculation-mitigation rules: every indirect jump or call must go through
# a __x86_indirect_thunk_* retpoline (--retpoline), and every return through
# __x86_return_thunk (--rethunk), unless annotated ANNOTATE_RETPOLINE_SAFE or
# placed in .init.text. These checks run before (and without) the stack walk.

# ANNOTATE_RETPOLINE_SAFE as in arch/x86/include/asm/nospec-branch.h (6.12):
# an absolute reference to the annotated instruction.
.macro ANNOTATE_RETPOLINE_SAFE
.Lhere_\@:
	.pushsection .discard.retpoline_safe
	.long	.Lhere_\@
	.popsection
.endm

	.text

# Clean: indirect call through the retpoline thunk, return through the
# return thunk.
	.globl	rp_ok
	.type	rp_ok, @function
rp_ok:
	call	__x86_indirect_thunk_rax
	jmp	__x86_return_thunk
	.size	rp_ok, .-rp_ok

# Clean: a tail call through the retpoline thunk.
	.globl	rp_tail_ok
	.type	rp_tail_ok, @function
rp_tail_ok:
	jmp	__x86_indirect_thunk_r11
	.size	rp_tail_ok, .-rp_tail_ok

# Clean: annotated indirect call and return.
	.globl	rp_safe
	.type	rp_safe, @function
rp_safe:
	ANNOTATE_RETPOLINE_SAFE
	call	*%rax
	ANNOTATE_RETPOLINE_SAFE
	ret
	.size	rp_safe, .-rp_safe

	.globl	rp_jmp
	.type	rp_jmp, @function
rp_jmp:
	jmp	*%rax	# want "indirect jump found in MITIGATION_RETPOLINE build"
	.size	rp_jmp, .-rp_jmp

# The call is reported; the naked ret after it is not, since the function
# already has a warning.
	.globl	rp_call
	.type	rp_call, @function
rp_call:
	call	*(%rdi)	# want "indirect call found in MITIGATION_RETPOLINE build"
	ret
	.size	rp_call, .-rp_call

	.globl	rp_ret
	.type	rp_ret, @function
rp_ret:
	xor	%eax, %eax
	ret	# want "'naked' return found in MITIGATION_RETHUNK build"
	.size	rp_ret, .-rp_ret

# A switch jump table is still an indirect jump.
	.globl	rp_switch
	.type	rp_switch, @function
rp_switch:
	cmp	$1, %edi
	ja	1f
	mov	%edi, %edi
	jmp	*.Lrp_table(,%rdi,8)	# want "indirect jump found in MITIGATION_RETPOLINE build"
1:	mov	$1, %eax
	jmp	__x86_return_thunk
2:	mov	$2, %eax
	jmp	__x86_return_thunk
	.size	rp_switch, .-rp_switch

	.section .rodata
	.align	8
.Lrp_table:
	.quad	1b
	.quad	2b

# Clean: .init.text is exempt (outside --module).
	.section .init.text, "ax", @progbits
	.globl	rp_init
	.type	rp_init, @function
rp_init:
	call	*%rax
	ret
	.size	rp_init, .-rp_init
