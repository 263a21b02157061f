# The callees of a.o, and noinstr code of b.o's own, which follows a.o's in
# each linked section.

.macro instrumentation_begin
.Lhere_\@:
	nop
	.pushsection .discard.instr_begin
	.long	.Lhere_\@ - .
	.popsection
.endm

.macro instrumentation_end
.Lhere_\@:
	nop
	.pushsection .discard.instr_end
	.long	.Lhere_\@ - .
	.popsection
.endm

# include/linux/objtool.h and arch/x86/include/asm/unwind_hints.h (6.12),
# with ORC_REG_SP = 5 and UNWIND_HINT_TYPE_END_OF_STACK = 1.
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

.macro UNWIND_HINT_END_OF_STACK
	UNWIND_HINT sp_reg=5 type=1
.endm

	.text

	.globl	b_instr
	.type	b_instr, @function
b_instr:
	ret
	.size	b_instr, .-b_instr

	.section .noinstr.text, "ax", @progbits

	.globl	b_ni
	.type	b_ni, @function
b_ni:
	ret
	.size	b_ni, .-b_ni

# Clean: an instrumented call between instrumentation_begin() and
# instrumentation_end().
	.globl	b_ni_instr
	.type	b_ni_instr, @function
b_ni_instr:
	instrumentation_begin
	call	a_instr
	instrumentation_end
	ret
	.size	b_ni_instr, .-b_ni_instr

# The call after the end is not allowed.
	.globl	b_ni_after
	.type	b_ni_after, @function
b_ni_after:
	instrumentation_begin
	call	a_instr
	instrumentation_end
	call	a_instr	# want "call to a_instr() leaves .noinstr.text section"
	ret
	.size	b_ni_after, .-b_ni_after

	.section .entry.text, "ax", @progbits

	.globl	b_entry
	.type	b_entry, @function
b_entry:
	ret
	.size	b_entry, .-b_entry

# .entry.text is noinstr too; objtool names .noinstr.text all the same.
	.globl	b_entry_call
	.type	b_entry_call, @function
b_entry_call:
	call	a_instr	# want "call to a_instr() leaves .noinstr.text section"
	ret
	.size	b_entry_call, .-b_entry_call

# Entry code outside any function, walked from its unwind hint. No symbol
# covers it: the warning names the offset in the linked .entry.text.
	.globl	b_entry_code
b_entry_code:
	UNWIND_HINT_END_OF_STACK
	call	b_instr	# want "call to b_instr() leaves .noinstr.text section"
	ud2

	.section .cpuidle.text, "ax", @progbits

	.globl	b_idle
	.type	b_idle, @function
b_idle:
	call	a_instr	# want "call to a_instr() leaves .noinstr.text section"
	ret
	.size	b_idle, .-b_idle

# Clean: .text..__x86.* is noinstr for its callers, but not walked.
	.section .text..__x86.indirect_thunk, "ax", @progbits

	.globl	b_thunk
	.type	b_thunk, @function
b_thunk:
	call	a_instr
	ret
	.size	b_thunk, .-b_thunk
