# objtool: --stackval
#
# As nonfunc.S, but the STT_NOTYPE target has no size. objtool keeps
# zero-length symbols out of its symbol interval tree, so the call finds no
# destination symbol at all and is taken for an intra-function call.
# Fatal (see jumpdest.S).

	.text
	.globl	call_notype
	.type	call_notype, @function
call_notype:
	push	%rbp
	mov	%rsp, %rbp
	call	notype	# want "unannotated intra-function call"
	pop	%rbp
	ret
	.size	call_notype, .-call_notype

notype:
	ret
