# objtool: --stackval
#
# PENDING (see README.md): "bcl 20,31,.+4" (or "bl .+4") only loads LR
# with the address of the next instruction: it reads the program counter,
# it calls nothing. The decoder flags it (arch.FlagLinkRegCall) and cfg
# gives it no callee, but the checker still applies the frame rule for
# calls to it. Here LR is kept in r0 around it, as in the kernel's
# relocate() (arch/powerpc/kernel/reloc_64.S). Expected: no warning.
# objcheck:
#	pcread.o: warning: objtool: pc_read+0x4: call without frame pointer save/setup

	.abiversion 2
	.text

	.globl	pc_read
	.type	pc_read, @function
pc_read:
	mflr	0
	bcl	20, 31, 1f
1:	mflr	11
	mtlr	0
	addi	3, 11, 16
	blr
	.size	pc_read, .-pc_read
