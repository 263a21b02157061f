# Source lines for --format: two sections, each with a warning.
	.abiversion 2
	.text
	.globl	f_ret
	.type	f_ret, @function
f_ret:
	stdu	1, -32(1)
	blr
	.size	f_ret, .-f_ret

	.section .text.other, "ax", @progbits
	.globl	g_ret
	.type	g_ret, @function
g_ret:
	stdu	1, -48(1)
	blr
	.size	g_ret, .-g_ret
