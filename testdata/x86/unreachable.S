# objtool: --stackval
#
# Reachability. validate_reachable_instructions() runs only when nothing
# else in the file warned, so this file must have no other warning. An
# unreachable instruction right after a call to a dead-end function gets the
# "missing a __noreturn annotation" message instead.

# REACHABLE as in include/linux/objtool.h (6.12): the label after the ud2.
.macro REACHABLE
.Lhere_\@:
	.pushsection .discard.reachable
	.long	.Lhere_\@
	.popsection
.endm

	.text

	.globl	after_ret
	.type	after_ret, @function
after_ret:
	xor	%eax, %eax
	ret
	mov	$1, %eax	# want "unreachable instruction"
	ret
	.size	after_ret, .-after_ret

# panic() is on objtool's noreturn list: code after the call is dead.
	.globl	after_panic
	.type	after_panic, @function
after_panic:
	push	%rbp
	mov	%rsp, %rbp
	call	panic
	pop	%rbp	# want "panic() is missing a __noreturn annotation"
	ret
	.size	after_panic, .-after_panic

# A local function with no return instruction is a dead end too.
	.type	local_die, @function
local_die:
	hlt
	jmp	local_die
	.size	local_die, .-local_die

	.globl	after_local_die
	.type	after_local_die, @function
after_local_die:
	push	%rbp
	mov	%rsp, %rbp
	call	local_die
	pop	%rbp	# want "local_die() is missing a __noreturn annotation"
	ret
	.size	after_local_die, .-after_local_die

# A ud2 (BUG) is a dead end; what follows it is unreachable.
	.globl	after_bug
	.type	after_bug, @function
after_bug:
	test	%edi, %edi
	jz	1f
	ud2
	xor	%eax, %eax	# want "unreachable instruction"
1:	ret
	.size	after_bug, .-after_bug

# Clean: a ud2 annotated REACHABLE (the kernel's WARN) falls through.
	.globl	warn_ok
	.type	warn_ok, @function
warn_ok:
	test	%edi, %edi
	jz	1f
	ud2
	REACHABLE
	xor	%eax, %eax
1:	ret
	.size	warn_ok, .-warn_ok

# Clean: nop and int3 padding is never reported, and neither is a ud2 right
# after a noreturn call (UBSAN_TRAP).
	.globl	padding_ok
	.type	padding_ok, @function
padding_ok:
	push	%rbp
	mov	%rsp, %rbp
	call	__stack_chk_fail
	ud2
	int3
	nop
	nopl	0(%rax)
	.size	padding_ok, .-padding_ok

# Code that no symbol covers is reported by section offset; every such
# instruction is reported, so there is just one.
	xor	%eax, %eax	# want "unreachable instruction"
