# The thunks a.o goes through, some code of b.o's own, which follows a.o's
# in the linked .text and .init.text, and a thunk that lacks its
# annotation.

.macro ANNOTATE_RETPOLINE_SAFE
.Lhere_\@:
	.pushsection .discard.retpoline_safe
	.long	.Lhere_\@
	.popsection
.endm

	.text

	.globl	b_rp_call
	.type	b_rp_call, @function
b_rp_call:
	call	*%rdi	# want "indirect call found in MITIGATION_RETPOLINE build"
	jmp	__x86_return_thunk
	.size	b_rp_call, .-b_rp_call

	.globl	b_rp_ret
	.type	b_rp_ret, @function
b_rp_ret:
	call	__x86_indirect_thunk_rax
	ret	# want "'naked' return found in MITIGATION_RETHUNK build"
	.size	b_rp_ret, .-b_rp_ret

# Clean: annotated. The annotations' relocations are against the section,
# with addends the link moved past a.o's part of .text.
	.globl	b_rp_safe
	.type	b_rp_safe, @function
b_rp_safe:
	ANNOTATE_RETPOLINE_SAFE
	jmp	*%rax
	ANNOTATE_RETPOLINE_SAFE
	ret
	.size	b_rp_safe, .-b_rp_safe

# The lfence form of the retpoline thunks (the kernel's
# MITIGATION_RETPOLINE_LFENCE alternative), annotated.
	.section .text..__x86.indirect_thunk, "ax", @progbits

	.globl	__x86_indirect_thunk_rax
	.type	__x86_indirect_thunk_rax, @function
__x86_indirect_thunk_rax:
	lfence
	ANNOTATE_RETPOLINE_SAFE
	jmp	*%rax
	int3
	.size	__x86_indirect_thunk_rax, .-__x86_indirect_thunk_rax

	.globl	__x86_indirect_thunk_r11
	.type	__x86_indirect_thunk_r11, @function
__x86_indirect_thunk_r11:
	lfence
	ANNOTATE_RETPOLINE_SAFE
	jmp	*%r11
	int3
	.size	__x86_indirect_thunk_r11, .-__x86_indirect_thunk_r11

# A thunk is checked like any code: this one has no annotation.
	.globl	__x86_indirect_thunk_rcx
	.type	__x86_indirect_thunk_rcx, @function
__x86_indirect_thunk_rcx:
	lfence
	jmp	*%rcx	# want "indirect jump found in MITIGATION_RETPOLINE build"
	int3
	.size	__x86_indirect_thunk_rcx, .-__x86_indirect_thunk_rcx

	.section .text..__x86.return_thunk, "ax", @progbits

# Its ret is ANNOTATE_UNRET_SAFE, which is ANNOTATE_RETPOLINE_SAFE.
	.globl	__x86_return_thunk
	.type	__x86_return_thunk, @function
__x86_return_thunk:
	ANNOTATE_RETPOLINE_SAFE
	ret
	int3
	.size	__x86_return_thunk, .-__x86_return_thunk

	.section .init.text, "ax", @progbits
	.globl	b_init
	.type	b_init, @function
b_init:
	jmp	*%rax
	.size	b_init, .-b_init
