# The jumps' destinations.

	.text

	.globl	b_func
	.type	b_func, @function
b_func:
	mov	$1, %eax
	ret
	.size	b_func, .-b_func

	.globl	b_code
b_code:
	mov	$2, %eax
	ret
