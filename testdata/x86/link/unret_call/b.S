# The helper a.o's entry point calls, and an entry point that is never
# walked.

# include/linux/objtool.h (6.12).
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

.macro VALIDATE_UNRET_BEGIN
.Lhere_\@:
	.pushsection .discard.validate_unret
	.long	.Lhere_\@ - .
	.popsection
.endm

# arch/x86/include/asm/unwind_hints.h, with ORC_REG_SP = 5 and
# UNWIND_HINT_TYPE_END_OF_STACK = 1.
.macro UNWIND_HINT_ENTRY
	VALIDATE_UNRET_BEGIN
	UNWIND_HINT sp_reg=5 type=1
.endm

# arch/x86/include/asm/nospec-branch.h: VALIDATE_UNRET_END is an
# ANNOTATE_RETPOLINE_SAFE nop.
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

	.globl	b_helper
	.type	b_helper, @function
b_helper:
	call	c_nowhere	# want "Unresolved function after linking!?: c_nowhere"
	ret
	.size	b_helper, .-b_helper

# Not reported: the failure above was fatal.
	.globl	b_entry
b_entry:
	UNWIND_HINT_ENTRY
	ret
