# objtool: --stackval
#
# A call to a label inside the same function with no
# ANNOTATE_INTRA_FUNCTION_CALL. Fatal (see jumpdest.S).

	.text
	.globl	bad_call
	.type	bad_call, @function
bad_call:
	call	1f	# want "unannotated intra-function call"
1:	pop	%rax
	ret
	.size	bad_call, .-bad_call
