# objtool: --orc
#
# Direction-flag rules. validate_branch() tracks DF in every mode that walks
# functions; this file uses an ORC build (--orc: no frame-pointer rule, so
# calls need no frame).

	.text

# Clean: DF set and cleared around a string operation.
	.globl	df_ok
	.type	df_ok, @function
df_ok:
	std
	rep movsb
	cld
	call	ext_func
	ret
	.size	df_ok, .-df_ok

	.globl	df_recursive
	.type	df_recursive, @function
df_recursive:
	std
	std	# want "recursive STD"
	cld
	ret
	.size	df_recursive, .-df_recursive

	.globl	df_redundant
	.type	df_redundant, @function
df_redundant:
	cld	# want "redundant CLD"
	ret
	.size	df_redundant, .-df_redundant

	.globl	df_call
	.type	df_call, @function
df_call:
	std
	call	ext_func	# want "call to ext_func() with DF set"
	cld
	ret
	.size	df_call, .-df_call

	.globl	df_dyncall
	.type	df_dyncall, @function
df_dyncall:
	std
	call	*%rax	# want "call to {dynamic}() with DF set"
	cld
	ret
	.size	df_dyncall, .-df_dyncall

	.globl	df_ret
	.type	df_ret, @function
df_ret:
	std
	ret	# want "return with DF set"
	.size	df_ret, .-df_ret

# A tail call is checked like a call.
	.globl	df_sibling
	.type	df_sibling, @function
df_sibling:
	std
	jmp	ext_func	# want "call to ext_func() with DF set"
	.size	df_sibling, .-df_sibling
