# objtool: --stackval
//
// PENDING (see README.md): data in .text. A careful reading says no
// warning: the words after a $d mapping symbol are data, not code. objcheck
// instead stops at the first $d symbol in .text with
//	datatext.o: warning: objtool: $d(): can't find starting instruction
// and checks nothing else in the object.

	.text

// Data in .text: a literal pool inside the function, after its return.
// The words would decode as "mov x29, sp"; the $d mapping symbol says they
// are data.
	.globl	lit_inside
	.type	lit_inside, %function
lit_inside:
	ldr	x0, .Llit
	ret
.Llit:
	.quad	0x910003fd910003fd
	.size	lit_inside, .-lit_inside

// A literal pool after the function, outside any symbol (ldr =imm and
// .ltorg), and a .word between functions.
	.globl	lit_after
	.type	lit_after, %function
lit_after:
	ldr	x0, =0x910003fd910003fd
	ret
	.size	lit_after, .-lit_after
	.ltorg
	.word	0xa9bf7bfd

// Last, so that nothing follows it.
	.globl	last
	.type	last, %function
last:
	ret
	.size	last, .-last
