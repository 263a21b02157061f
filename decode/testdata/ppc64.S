# A small ELFv2 object for big- and little-endian ppc64: a call through a
# relocation, a TOC-relative load and a pointer in .data. From decode/:
#	powerpc64-linux-gnu-as -a64 -o testdata/ppc64be.o testdata/ppc64.S
#	powerpc64le-linux-gnu-as -a64 -o testdata/ppc64le.o testdata/ppc64.S
	.abiversion 2
	.text
	.globl	f
	.type	f, @function
f:
0:	addis	2, 12, .TOC.-0b@ha
	addi	2, 2, .TOC.-0b@l
	.localentry f, .-f
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	g
	nop
	addis	9, 2, p@toc@ha
	ld	3, p@toc@l(9)
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
	.size	f, .-f

	.data
	.globl	p
p:	.quad	f
