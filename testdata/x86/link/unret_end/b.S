# The code a.o's last entry point runs into, and an entry point that runs
# off the end of the linked section.

# include/linux/objtool.h, arch/x86/include/asm/unwind_hints.h and
# arch/x86/include/asm/nospec-branch.h (6.12).
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

# ORC_REG_SP = 5, UNWIND_HINT_TYPE_END_OF_STACK = 1.
.macro UNWIND_HINT_ENTRY
	VALIDATE_UNRET_BEGIN
	UNWIND_HINT sp_reg=5 type=1
.endm

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

	VALIDATE_UNRET_END
	ret

	.globl	b_entry_end
b_entry_end:
	UNWIND_HINT_ENTRY
	xor	%eax, %eax	# want "teh end!" "Failed UNRET validation"

# Not reported: the failure above was fatal, and this section comes after
# .entry.text in the linked object.
	.section .noinstr.text, "ax", @progbits

	.globl	b_not_walked
b_not_walked:
	UNWIND_HINT_ENTRY
	ret
