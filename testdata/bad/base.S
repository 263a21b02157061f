# The valid object that gen.go breaks in many ways: two functions, a call
# to an undefined symbol, a pointer in .data and a .bss buffer.
# Built with: as --64 -o testdata/bad/base.o testdata/bad/base.S

	.text
	.globl	f
	.type	f, @function
f:
	push	%rbp
	mov	%rsp, %rbp
	call	g
	pop	%rbp
	ret
	.size	f, .-f

	.type	h, @function
h:
	jmp	f
	.size	h, .-h

	.data
	.globl	ptr
ptr:	.quad	h

	.bss
buf:	.zero	16
