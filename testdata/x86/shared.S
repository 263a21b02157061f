# objtool: --stackval
#
# Two functions jump into one stretch of code outside every function, with
# different stack states: the walk that reaches it second warns. Walked
# one after another, objtool's order, the first function's walk is the
# first there; objcheck's walks of a large object on two goroutines claim
# such code, and walk again in order when both reach it (check/parallel.go).

	.text
	.globl	first
	.type	first, @function
first:
	push	%rbp
	mov	%rsp, %rbp
	pop	%rbp
	jmp	.Lshared
	.size	first, .-first

	.globl	second
	.type	second, @function
second:
	push	%rbp
	jmp	.Lshared
	.size	second, .-second

	.section .text.shared, "ax"
.Lshared:
	ret	# want "stack state mismatch: cfa1=4+8 cfa2=4+16"
