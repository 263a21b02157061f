# objtool: --noinstr --link
#
# noinstr over a linked object: code in .noinstr.text, .entry.text and
# .cpuidle.text may call only functions in noinstr sections, unless between
# instrumentation_begin() and instrumentation_end(). objtool 6.12 checks
# this only with --link, where it knows the section of every callee: here
# the callees mostly live in b.o. Without --stackval, --orc or --uaccess,
# only these three sections are walked.

# instrumentation_begin() as in include/linux/instrumentation.h (6.12): a
# nop, and a PC-relative reference to it in .discard.instr_begin.
.macro instrumentation_begin
.Lhere_\@:
	nop
	.pushsection .discard.instr_begin
	.long	.Lhere_\@ - .
	.popsection
.endm

	.text

# Instrumented: neither noinstr code nor b.o may call it.
	.globl	a_instr
	.type	a_instr, @function
a_instr:
	ret
	.size	a_instr, .-a_instr

	.section .noinstr.text, "ax", @progbits

# Clean: calls to functions of b.o in each noinstr section (.text..__x86.*
# counts as one for the callee, though it is not walked), to a static-call
# trampoline, and to a __ubsan_handle_*() function.
	.globl	a_ni_ok
	.type	a_ni_ok, @function
a_ni_ok:
	call	b_ni
	call	b_entry
	call	b_idle
	call	b_thunk
	call	__SCT__a_call
	call	__ubsan_handle_a_bug
	ret
	.size	a_ni_ok, .-a_ni_ok

	.globl	a_ni_call
	.type	a_ni_call, @function
a_ni_call:
	call	b_instr	# want "call to b_instr() leaves .noinstr.text section"
	ret
	.size	a_ni_call, .-a_ni_call

# A tail call is checked as a call.
	.globl	a_ni_tail
	.type	a_ni_tail, @function
a_ni_tail:
	jmp	b_instr	# want "call to b_instr() leaves .noinstr.text section"
	.size	a_ni_tail, .-a_ni_tail

	.globl	a_ni_dynamic
	.type	a_ni_dynamic, @function
a_ni_dynamic:
	call	*%rax	# want "call to {dynamic}() leaves .noinstr.text section"
	ret
	.size	a_ni_dynamic, .-a_ni_dynamic

# An undefined function is in no section, so not in a noinstr one.
	.globl	a_ni_undef
	.type	a_ni_undef, @function
a_ni_undef:
	call	a_undefined	# want "call to a_undefined() leaves .noinstr.text section"
	ret
	.size	a_ni_undef, .-a_ni_undef

# a.o has instrumentation_begin() annotations but no instrumentation_end():
# objtool 6.12 reads .discard.instr_begin only when .discard.instr_end
# exists, which here b.o gives. So the begin counts: the call is allowed,
# and the return with it still open is not.
	.globl	a_ni_begin
	.type	a_ni_begin, @function
a_ni_begin:
	instrumentation_begin
	call	b_instr
	ret	# want "return with instrumentation enabled"
	.size	a_ni_begin, .-a_ni_begin

	.section .entry.text, "ax", @progbits

	.globl	a_entry_ok
	.type	a_entry_ok, @function
a_entry_ok:
	call	b_ni
	ret
	.size	a_entry_ok, .-a_entry_ok
