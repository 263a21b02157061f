# objtool: --stackval
#
# PENDING (see README.md): a call that ends its function is taken as a
# call to a noreturn function (arch.Arch.TrailingCallsEnd), even when the
# callee is a function of this object that visibly returns. Here leaf()
# returns, so tc_local() runs into the next function. Expected:
#	trailing.o: warning: objtool: tc_local() falls through to next function leaf()
# objcheck prints nothing.

	.abiversion 2
	.text

	.globl	tc_local
	.type	tc_local, @function
tc_local:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	leaf	# want "tc_local() falls through to next function leaf()"
	.size	tc_local, .-tc_local

	.globl	leaf
	.type	leaf, @function
leaf:
	blr
	.size	leaf, .-leaf
