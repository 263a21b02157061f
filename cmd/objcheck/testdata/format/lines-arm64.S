// Source lines for --format: two sections, each with a warning.
	.text
	.globl	f_ret
	.type	f_ret, %function
f_ret:
	sub	sp, sp, #16
	ret
	.size	f_ret, .-f_ret

	.section .text.other, "ax", %progbits
	.globl	g_ret
	.type	g_ret, %function
g_ret:
	sub	sp, sp, #32
	ret
	.size	g_ret, .-g_ret
