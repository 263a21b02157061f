# objtool: --stackval --link
#
# A jump into the middle of an instruction of another object. From code
# outside any function, objtool resolves the jump's relocation to the
# symbol's address plus the addend, finds no instruction there, and fails:
# fatal, nothing else is checked (the exit status is still 0 in 6.12).

	.text

# Not reported: inside a function, a jump through a relocation to a
# function symbol is a sibling call to that function, whatever the addend.
# This jump comes first, so were it reported it would be before the fatal
# error.
	.globl	a_func
	.type	a_func, @function
a_func:
	jmp	b_func+1
	.size	a_func, .-a_func

# Entry code, no function: named by its offset in the linked .text. The
# destination, b_code+1, is in b.o's part of it: b_code is at 0x12.
	.globl	a_code
a_code:
	jmp	b_code+1	# want "can't find jump dest instruction at .text+0x13"

# Not reported: decoding already failed.
	.globl	a_not_checked
	.type	a_not_checked, @function
a_not_checked:
	push	%rbx
	ret
	.size	a_not_checked, .-a_not_checked
