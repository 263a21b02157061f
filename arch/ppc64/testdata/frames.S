// Functions in the shapes GCC and the kernel's assembly give ppc64 code,
// assembled for both byte orders by gen.sh. frames_test.go lists what each
// instruction decodes to, in order; keep the two in step.

	.text

// A function with a frame, a frame pointer, a call and a switch.
	.globl	framed
	.type	framed, @function
framed:
	mflr	0
	std	31, -8(1)
	std	0, 16(1)
	stdu	1, -112(1)
	mr	31, 1
	cmpdi	3, 0
	beq	1f
	bl	callee
	nop
	twi	31, 0, 0		// BUG()
1:	tdnei	3, 0			// BUG_ON(r3)
	cmpldi	3, 2
	bgt	2f
	addis	9, 2, 0
	ld	9, 0(9)
	mtctr	9
	bctr
	.long	0x00000694		// switch-table entries in .text
	.long	0xfffffd70
2:	addi	1, 31, 112
	ld	0, 16(1)
	ld	31, -8(1)
	mtlr	0
	blr
	.size	framed, .-framed

// A leaf with a conditional return and a tail call.
	.globl	leaf
	.type	leaf, @function
leaf:
	cmpdi	3, 0
	beqlr
	addi	3, 3, 1
	b	callee
	.size	leaf, .-leaf

// do_softirq_own_stack's switch to another stack.
	.globl	switcher
	.type	switcher, @function
switcher:
	mflr	0
	std	31, -8(1)
	std	0, 16(1)
	ld	31, 16384(9)
	stdu	1, 32736(31)
	mr	1, 31
	bl	callee
	ld	1, 0(1)
	ld	0, 16(1)
	ld	31, -8(1)
	mtlr	0
	blr
	.size	switcher, .-switcher

// Reading the program counter, calls through registers, a variable
// frame, a return from interrupt.
	.globl	misc
	.type	misc, @function
misc:
	bcl	20, 31, .+4
	mflr	11
	bl	.+4
	bctrl
	blrl
	ld	10, 0(1)
	neg	9, 9
	stdux	10, 1, 9
	clrrdi	1, 1, 4
	beqctr
	sc	1
	nap
	tabort.	9
	trap
	rfid
	.size	misc, .-misc

// Power10 prefixed instructions (8 bytes).
	.globl	prefixed
	.type	prefixed, @function
	.p2align 6
prefixed:
	pstd	0, 16(1)
	paddi	1, 1, -4096
	pld	31, -8(1)
	pla	9, 0
	blr
	.size	prefixed, .-prefixed
