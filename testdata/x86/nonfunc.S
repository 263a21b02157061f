# objtool: --stackval
#
# A relocation-less call from a function to a symbol that is not STT_FUNC.
# Fatal (see jumpdest.S).

	.text
	.globl	call_notype
	.type	call_notype, @function
call_notype:
	push	%rbp
	mov	%rsp, %rbp
	call	notype	# want "unsupported call to non-function"
	pop	%rbp
	ret
	.size	call_notype, .-call_notype

notype:
	ret
	.size	notype, .-notype
