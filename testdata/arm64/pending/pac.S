# objtool: --stackval
//
// PENDING (see README.md): pointer-authentication cases objcheck gets
// wrong. Assemble with -march=armv8.3-a (retaa); build.sh --pending does.

	.arch	armv8.3-a
	.text

// retaa authenticates the return address and returns: with the paciasp
// before it, the pairing is complete. Expected: no warning. objcheck:
//	pac.o: warning: objtool: retaa_ok+0x14: return with signed return address
	.globl	retaa_ok
	.type	retaa_ok, %function
retaa_ok:
	paciasp
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	retaa
	.size	retaa_ok, .-retaa_ok

// Two paths join at 1 with the return address signed on one (the taken
// branch, walked first) and already authenticated on the other, which then
// authenticates it a second time. The join at label 1 sees the return
// address signed on one path and not on the other.
	.globl	pac_join
	.type	pac_join, %function
pac_join:
	paciasp
	cbz	x0, 1f
	autiasp
1:	mov	x0, #0	// want "stack state mismatch: ra_signed1=1 ra_signed2=0"
	autiasp
	ret
	.size	pac_join, .-pac_join

	.globl	last
	.type	last, %function
last:
	ret
	.size	last, .-last
