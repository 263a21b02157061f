# The helpers a.o's entry points call and jump to.

.macro ANNOTATE_RETPOLINE_SAFE
.Lhere_\@:
	.pushsection .discard.retpoline_safe
	.long	.Lhere_\@
	.popsection
.endm

.macro VALIDATE_UNRET_END
	ANNOTATE_RETPOLINE_SAFE
	nop
.endm

	.section .entry.text, "ax", @progbits

	.globl	b_untrain
	.type	b_untrain, @function
b_untrain:
	VALIDATE_UNRET_END
	ret
	.size	b_untrain, .-b_untrain

	.globl	b_no_untrain
	.type	b_no_untrain, @function
b_no_untrain:
	xor	%eax, %eax
	ret	# want "RET before UNTRAIN"
	.size	b_no_untrain, .-b_no_untrain

	.globl	b_tail
	.type	b_tail, @function
b_tail:
	xor	%eax, %eax
	ret	# want "RET before UNTRAIN"
	.size	b_tail, .-b_tail

	.globl	b_entry_rest
b_entry_rest:
	VALIDATE_UNRET_END
	ret

	.text

# The return thunk: its own ret is safe (ANNOTATE_UNRET_SAFE).
	.globl	__x86_return_thunk
	.type	__x86_return_thunk, @function
__x86_return_thunk:
	ANNOTATE_RETPOLINE_SAFE
	ret
	int3
	.size	__x86_return_thunk, .-__x86_return_thunk
