# objtool: --sls
#
# Straight-line-speculation rule (--sls): every ret and every indirect jump
# must be followed by int3 in the same section.

.macro ANNOTATE_RETPOLINE_SAFE
.Lhere_\@:
	.pushsection .discard.retpoline_safe
	.long	.Lhere_\@
	.popsection
.endm

	.text

# Clean.
	.globl	sls_ok
	.type	sls_ok, @function
sls_ok:
	test	%edi, %edi
	jz	1f
	jmp	*%rax
	int3
1:	ret
	int3
	.size	sls_ok, .-sls_ok

	.globl	sls_ret
	.type	sls_ret, @function
sls_ret:
	xor	%eax, %eax
	ret	# want "missing int3 after ret"
	nop
	.size	sls_ret, .-sls_ret

	.globl	sls_jmp
	.type	sls_jmp, @function
sls_jmp:
	jmp	*%rax	# want "missing int3 after indirect jump"
	.size	sls_jmp, .-sls_jmp

# Clean: ANNOTATE_RETPOLINE_SAFE exempts the instruction.
	.globl	sls_safe
	.type	sls_safe, @function
sls_safe:
	ANNOTATE_RETPOLINE_SAFE
	ret
	.size	sls_safe, .-sls_safe

# The last instruction of the section has no next instruction at all.
	.section .text.last, "ax", @progbits
	.globl	sls_last
	.type	sls_last, @function
sls_last:
	ret	# want "missing int3 after ret"
	.size	sls_last, .-sls_last
