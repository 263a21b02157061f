# objtool: --orc --retpoline --rethunk --sls --uaccess
#
# An ORC build with the x86 mitigations, as kbuild runs objtool for a
# typical x86_64 config (less the section-writing --static-call, --prefix and
# --hacks). The frame-pointer rules are off: calls need no frame and %rbp
# may be a scratch register. Returns go through __x86_return_thunk (a jump
# to it counts as a return), indirect branches through retpoline thunks.

	.text

# Clean: no frame needed for a call in an ORC build.
	.globl	orc_call
	.type	orc_call, @function
orc_call:
	push	%rbx
	mov	%rdi, %rbx
	call	ext_func
	add	%rbx, %rax
	pop	%rbx
	jmp	__x86_return_thunk
	.size	orc_call, .-orc_call

# Clean: %rbp as a scratch register.
	.globl	orc_bp_scratch
	.type	orc_bp_scratch, @function
orc_bp_scratch:
	push	%rbp
	mov	%rdi, %rbp
	call	ext_func
	add	%rbp, %rax
	pop	%rbp
	jmp	__x86_return_thunk
	.size	orc_bp_scratch, .-orc_bp_scratch

# Clean: indirect call and tail call through retpoline thunks.
	.globl	orc_indirect
	.type	orc_indirect, @function
orc_indirect:
	push	%rbx
	call	__x86_indirect_thunk_rax
	pop	%rbx
	jmp	__x86_indirect_thunk_r11
	.size	orc_indirect, .-orc_indirect

# A return through the thunk still needs a clean frame.
	.globl	orc_ret_modified
	.type	orc_ret_modified, @function
orc_ret_modified:
	push	%rbx
	jmp	__x86_return_thunk	# want "return with modified stack frame"
	.size	orc_ret_modified, .-orc_ret_modified

# The retpoline pass runs first and takes this function's one warning:
# "missing int3 after ret" (--sls) is not printed for it. It is also printed
# before the stack-walk warnings of functions earlier in the file.
	.globl	orc_naked_ret
	.type	orc_naked_ret, @function
orc_naked_ret:
	ret	# want "'naked' return found in MITIGATION_RETHUNK build"
	.size	orc_naked_ret, .-orc_naked_ret

	.globl	orc_ua
	.type	orc_ua, @function
orc_ua:
	stac
	call	ext_func	# want "call to ext_func() with UACCESS enabled"
	clac
	jmp	__x86_return_thunk
	.size	orc_ua, .-orc_ua
