# Source lines for --format: two sections, each with a warning at offset 1.
	.text
	.globl	f_ret
	.type	f_ret, @function
f_ret:
	push	%rbx
	ret
	.size	f_ret, .-f_ret

	.section .text.other, "ax", @progbits
	.globl	g_ret
	.type	g_ret, @function
g_ret:
	push	%rbp
	ret
	.size	g_ret, .-g_ret
