# objtool: --retpoline --rethunk --link
#
# Speculation mitigations over a linked object: every indirect jump or call
# must go through a __x86_indirect_thunk_* retpoline (--retpoline), every
# return through __x86_return_thunk (--rethunk), unless annotated
# ANNOTATE_RETPOLINE_SAFE or in .init.text. The thunks are linked in from
# b.o, where objtool checks them too: their own indirect jumps and returns
# need the annotation. These checks run without the stack walk.

# ANNOTATE_RETPOLINE_SAFE as in arch/x86/include/asm/nospec-branch.h (6.12).
.macro ANNOTATE_RETPOLINE_SAFE
.Lhere_\@:
	.pushsection .discard.retpoline_safe
	.long	.Lhere_\@
	.popsection
.endm

	.text

# Clean: through b.o's thunks.
	.globl	a_rp_ok
	.type	a_rp_ok, @function
a_rp_ok:
	call	__x86_indirect_thunk_rax
	jmp	__x86_return_thunk
	.size	a_rp_ok, .-a_rp_ok

	.globl	a_rp_tail_ok
	.type	a_rp_tail_ok, @function
a_rp_tail_ok:
	jmp	__x86_indirect_thunk_r11
	.size	a_rp_tail_ok, .-a_rp_tail_ok

# Clean: annotated.
	.globl	a_rp_safe
	.type	a_rp_safe, @function
a_rp_safe:
	ANNOTATE_RETPOLINE_SAFE
	call	*%rax
	ANNOTATE_RETPOLINE_SAFE
	ret
	.size	a_rp_safe, .-a_rp_safe

	.globl	a_rp_call
	.type	a_rp_call, @function
a_rp_call:
	call	*%rax	# want "indirect call found in MITIGATION_RETPOLINE build"
	jmp	__x86_return_thunk
	.size	a_rp_call, .-a_rp_call

	.globl	a_rp_jump
	.type	a_rp_jump, @function
a_rp_jump:
	jmp	*8(%rdi)	# want "indirect jump found in MITIGATION_RETPOLINE build"
	.size	a_rp_jump, .-a_rp_jump

	.globl	a_rp_ret
	.type	a_rp_ret, @function
a_rp_ret:
	xor	%eax, %eax
	ret	# want "'naked' return found in MITIGATION_RETHUNK build"
	.size	a_rp_ret, .-a_rp_ret

# Clean: .init.text is exempt (outside --module), a.o's part and b.o's.
	.section .init.text, "ax", @progbits
	.globl	a_init
	.type	a_init, @function
a_init:
	call	*%rax
	ret
	.size	a_init, .-a_init
