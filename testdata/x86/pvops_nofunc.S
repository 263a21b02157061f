# objtool: --noinstr --link
#
# With --noinstr, objtool reads the functions that .init.text code stores
# into pv_ops ("movq $func, pv_ops+N(%rip)") while it decodes. When the
# stored address is relocated against a section, at an offset where no
# symbol starts, it stops: "no func for pv_ops[]" (fatal), and decodes
# nothing more: the notrack note of an earlier section is printed, the
# one of a later section is not.

	.section .noinstr.text, "ax"

	.globl	noinstr_call
	.type	noinstr_call, @function
noinstr_call:
	notrack call	*%rax	# want "notrack prefix found at .noinstr.text:0x0"
	ret
	.size	noinstr_call, .-noinstr_call

	.text

	.type	static_op, @function
static_op:
	nop
	ret
	.size	static_op, .-static_op

	.section .init.text, "ax"

	.globl	install
	.type	install, @function
install:
	movq	$static_op+1, pv_ops+8(%rip)
	ret	# want "no func for pv_ops[]"
	.size	install, .-install

	.section .text.later, "ax"

	.globl	later
	.type	later, @function
later:
	notrack jmp	*%rax
	.size	later, .-later

	.data

	.globl	pv_ops
	.type	pv_ops, @object
pv_ops:
	.quad	0
	.quad	0
	.size	pv_ops, .-pv_ops
