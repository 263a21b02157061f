# A ppc64 ELFv1 object: its symbol f names a function descriptor in .opd,
# which objcheck does not support. From decode/:
#	powerpc64-linux-gnu-as -a64 -o testdata/ppc64-elfv1.o testdata/ppc64-elfv1.S
	.abiversion 1
	.section ".opd", "aw"
	.align	3
	.globl	f
f:	.quad	.L.f, .TOC.@tocbase, 0
	.text
.L.f:	blr
