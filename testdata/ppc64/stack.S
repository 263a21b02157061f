# objtool: --stackval
#
# The frame rules objcheck --stackval applies to ppc64, one function per
# rule, since only the first instruction warning of a function is printed.
# At entry the CFA is r1+0 and the return address is in LR. A frame fit
# for a call has LR saved (mflr 0; std 0,16(1)) and a frame allocated with
# its back chain (stdu 1,-N(1)). Clean functions are mixed in to catch
# false positives near the faulty ones.

	.abiversion 2

	.macro	BUG_TABLE insn, flags
	.pushsection __bug_table, "aw"
	.align	2
	.4byte	\insn - .
	.4byte	.Lbug_file - .
	.short	42, \flags
	.popsection
	.endm

	.section .rodata.str1.1, "aMS", @progbits, 1
.Lbug_file:
	.string	"stack.c"

	.text

# Clean: the standard frame around a call.
	.globl	frame_ok
	.type	frame_ok, @function
frame_ok:
	addis	2, 12, .TOC.-frame_ok@ha
	addi	2, 2, .TOC.-frame_ok@l
	.localentry frame_ok, .-frame_ok
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	ext_func
	nop
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
	.size	frame_ok, .-frame_ok

# A call with neither LR saved nor a frame.
	.globl	call_noframe
	.type	call_noframe, @function
call_noframe:
	addis	2, 12, .TOC.-call_noframe@ha
	addi	2, 2, .TOC.-call_noframe@l
	.localentry call_noframe, .-call_noframe
	addi	3, 3, 1
	bl	ext_func	# want "call without frame pointer save/setup"
	nop
	blr
	.size	call_noframe, .-call_noframe

# LR moved back from its copy in r0 without ever being saved: the move
# is no restore of a saved copy, and the call has no frame.
	.globl	lr_moved_unsaved
	.type	lr_moved_unsaved, @function
lr_moved_unsaved:
	mflr	0
	mtlr	0
	stdu	1, -32(1)
	bl	ext_func	# want "call without frame pointer save/setup"
	nop
	addi	1, 1, 32
	blr
	.size	lr_moved_unsaved, .-lr_moved_unsaved

# LR saved, but no frame allocated: the callee would write over the
# caller's frame.
	.globl	call_lr_only
	.type	call_lr_only, @function
call_lr_only:
	mflr	0
	std	0, 16(1)
	bl	ext_func	# want "call without frame pointer save/setup"
	nop
	ld	0, 16(1)
	mtlr	0
	blr
	.size	call_lr_only, .-call_lr_only

# A frame allocated, but LR not saved.
	.globl	call_no_lr
	.type	call_no_lr, @function
call_no_lr:
	stdu	1, -32(1)
	bl	ext_func	# want "call without frame pointer save/setup"
	nop
	addi	1, 1, 32
	blr
	.size	call_no_lr, .-call_no_lr

# A call through CTR with no frame.
	.globl	call_dynamic_noframe
	.type	call_dynamic_noframe, @function
call_dynamic_noframe:
	mtctr	3
	bctrl	# want "call without frame pointer save/setup"
	blr
	.size	call_dynamic_noframe, .-call_dynamic_noframe

# Return with the frame still allocated.
	.globl	ret_modified
	.type	ret_modified, @function
ret_modified:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	ext_func
	nop
	ld	0, 16(1)
	mtlr	0
	blr	# want "return with modified stack frame"
	.size	ret_modified, .-ret_modified

# The frame popped, but LR never reloaded: it still holds the address the
# call returned to.
	.globl	ret_lr_not_restored
	.type	ret_lr_not_restored, @function
ret_lr_not_restored:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	ext_func
	nop
	addi	1, 1, 32
	blr	# want "return with modified stack frame"
	.size	ret_lr_not_restored, .-ret_lr_not_restored

# A leaf returning with stack still allocated.
	.globl	ret_modified_leaf
	.type	ret_modified_leaf, @function
ret_modified_leaf:
	stdu	1, -32(1)
	blr	# want "return with modified stack frame"
	.size	ret_modified_leaf, .-ret_modified_leaf

# A conditional return with the frame allocated.
	.globl	ret_cond_modified
	.type	ret_cond_modified, @function
ret_cond_modified:
	stdu	1, -32(1)
	cmpdi	3, 0
	beqlr	# want "return with modified stack frame"
	addi	1, 1, 32
	blr
	.size	ret_cond_modified, .-ret_cond_modified

# A tail call with the frame still allocated.
	.globl	sibling_modified
	.type	sibling_modified, @function
sibling_modified:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	ext_func
	nop
	ld	0, 16(1)
	mtlr	0
	b	ext_func2	# want "sibling call from callable instruction with modified stack frame"
	.size	sibling_modified, .-sibling_modified

# The same through CTR.
	.globl	sibling_dynamic
	.type	sibling_dynamic, @function
sibling_dynamic:
	stdu	1, -32(1)
	mtctr	3
	bctr	# want "sibling call from callable instruction with modified stack frame"
	.size	sibling_dynamic, .-sibling_dynamic

# Clean: a tail call after the epilogue.
	.globl	sibling_ok
	.type	sibling_ok, @function
sibling_ok:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	ext_func
	nop
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	b	ext_func2
	.size	sibling_ok, .-sibling_ok

# Two paths reach label 1 with different CFA offsets. The taken branch is
# walked first, so cfa1 is r1+0 and the fall-through brings r1+32.
	.globl	mismatch_cfa
	.type	mismatch_cfa, @function
mismatch_cfa:
	cmpdi	3, 0
	beq	1f
	stdu	1, -32(1)
1:	li	3, 0	# want "stack state mismatch: cfa1=1+0 cfa2=1+32"
	blr
	.size	mismatch_cfa, .-mismatch_cfa

# Same CFA on both paths, but only one of them saved r30.
	.globl	mismatch_reg
	.type	mismatch_reg, @function
mismatch_reg:
	stdu	1, -32(1)
	cmpdi	3, 0
	beq	1f
	std	30, 16(1)
1:	addi	1, 1, 32	# want "stack state mismatch: reg1[30]=-1+0 reg2[30]=-2-16"
	blr
	.size	mismatch_reg, .-mismatch_reg

# No return at the end: execution runs into the next function.
	.globl	falls
	.type	falls, @function
falls:
	addi	3, 3, 1
	cmpdi	3, 4	# want "falls() falls through to next function after_falls()"
	.size	falls, .-falls

	.globl	after_falls
	.type	after_falls, @function
after_falls:
	blr
	.size	after_falls, .-after_falls

# A conditional trap comes back when it does not trap, so one that ends a
# function falls through.
	.globl	falls_trap
	.type	falls_trap, @function
falls_trap:
	tdnei	3, 0	# want "falls_trap() falls through to next function after_falls_trap()"
	.size	falls_trap, .-falls_trap

	.globl	after_falls_trap
	.type	after_falls_trap, @function
after_falls_trap:
	blr
	.size	after_falls_trap, .-after_falls_trap

# A WARN (BUGFLAG_WARNING) comes back too.
	.globl	falls_warn
	.type	falls_warn, @function
falls_warn:
	cmpdi	3, 0
	beqlr
1:	twi	31, 0, 0	# want "falls_warn() falls through to next function after_falls_warn()"
	BUG_TABLE 1b, 1
	.size	falls_warn, .-falls_warn

	.globl	after_falls_warn
	.type	after_falls_warn, @function
after_falls_warn:
	blr
	.size	after_falls_warn, .-after_falls_warn

# ppc64 has no mapping symbols, so data in .text is known only by not
# decoding. A path that runs into such a word is reported.
	.globl	runs_into_data
	.type	runs_into_data, @function
runs_into_data:
	cmpdi	3, 0
	beqlr
	.long	0	# want "can't decode instruction"
	.size	runs_into_data, .-runs_into_data

# Last, so that nothing follows it.
	.globl	last
	.type	last, @function
last:
	blr
	.size	last, .-last
