# objtool: --rethunk --unret --link
#
# --unret over a linked object: every path from an entry point
# (UNWIND_HINT_ENTRY, which adds VALIDATE_UNRET_BEGIN) must pass a
# VALIDATE_UNRET_END (UNTRAIN_RET's annotated nop) before any return, and
# make no indirect call or jump first. objtool follows jumps and calls into
# the callee, wherever it was linked from; a call that comes back without
# a warning counts as having untrained. The entry points are here, the
# helpers in b.o. --unret needs --rethunk; neither walks the stack.

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

# Clean: untrained inline before the return.
	.globl	a_entry_inline
a_entry_inline:
	UNWIND_HINT_ENTRY
	xor	%eax, %eax
	VALIDATE_UNRET_END
	ret

# Clean: the helper of b.o untrains, and its return ends the path.
	.globl	a_entry_call
a_entry_call:
	UNWIND_HINT_ENTRY
	call	b_untrain
	ret

# The helper of b.o returns without untraining: the RET there is reported.
	.globl	a_entry_bad_call
a_entry_bad_call:
	UNWIND_HINT_ENTRY
	call	b_no_untrain
	ret

# Not reported: the walk of b_no_untrain already visited it, and a walk
# that meets a visited instruction ends without a warning.
	.globl	a_entry_again
a_entry_again:
	UNWIND_HINT_ENTRY
	call	b_no_untrain
	ret

# A tail call from an entry function is followed into b.o.
	.globl	a_entry_func
	.type	a_entry_func, @function
a_entry_func:
	UNWIND_HINT_ENTRY
	jmp	b_tail
	.size	a_entry_func, .-a_entry_func

# A jump from entry code (no function) to a label of b.o is a jump, not a
# sibling call: followed too, into code that untrains.
	.globl	a_entry_jump
a_entry_jump:
	UNWIND_HINT_ENTRY
	jmp	b_entry_rest

	.globl	a_entry_indirect
a_entry_indirect:
	UNWIND_HINT_ENTRY
	call	*%rax	# want "early indirect call"
	VALIDATE_UNRET_END
	ret

# The return thunk is a return.
	.globl	a_entry_thunk
a_entry_thunk:
	UNWIND_HINT_ENTRY
	jmp	__x86_return_thunk	# want "RET before UNTRAIN"

# Both ways of a conditional jump are walked, the taken one first.
	.globl	a_entry_cond
a_entry_cond:
	UNWIND_HINT_ENTRY
	test	%eax, %eax
	jz	1f
	VALIDATE_UNRET_END
	ret
1:	ret	# want "RET before UNTRAIN"
