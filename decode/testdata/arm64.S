# A small arm64 object: a frame, a call through a relocation and a pointer
# in .data. From decode/:
#	aarch64-linux-gnu-as -o testdata/arm64.o testdata/arm64.S
	.text
	.globl	f
	.type	f, %function
f:
	paciasp
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	g
	adrp	x0, p
	ldr	x0, [x0, :lo12:p]
	ldp	x29, x30, [sp], #16
	autiasp
	ret
	.size	f, .-f

	.data
	.globl	p
p:	.quad	f
