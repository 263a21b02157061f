# objtool: --stackval
#
# A jump into the middle of an instruction. add_jump_destinations() fails,
# which is fatal: decode stops and nothing else in the file is checked (the
# exit status is still 0 in 6.12).

	.text
	.globl	bad_jump
	.type	bad_jump, @function
bad_jump:
	jmp	1f+1	# want "can't find jump dest instruction at .text+0x3"
1:	mov	$1, %eax
	ret
	.size	bad_jump, .-bad_jump

# Not reported: decoding already failed.
	.globl	not_checked
	.type	not_checked, @function
not_checked:
	push	%rbx
	ret
	.size	not_checked, .-not_checked
