# objtool: --stackval
//
// PENDING (see README.md): a call that ends its function is taken as a
// call to a noreturn function (arch.Arch.TrailingCallsEnd), even when the
// callee is a function of this object that visibly returns. Here leaf()
// returns, so tc_local() runs into the next function. Expected:
//	trailing.o: warning: objtool: tc_local() falls through to next function leaf()
// objcheck prints nothing.

	.text

	.globl	tc_local
	.type	tc_local, %function
tc_local:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	leaf	// want "tc_local() falls through to next function leaf()"
	.size	tc_local, .-tc_local

	.globl	leaf
	.type	leaf, %function
leaf:
	ret
	.size	leaf, .-leaf
