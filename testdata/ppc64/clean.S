# objtool: --stackval
#
# ppc64 (ELFv2) code that objcheck --stackval must pass without a word:
# the frames GCC emits for the kernel, with the global entry point's TOC
# setup, leaf functions, tail calls, a conditional trap, WARN and BUG traps
# told apart by their __bug_table entries, and a call that ends a function
# (a noreturn callee, known only by position). There is no warning in this
# file, so objcheck also runs its unreachable-instruction pass: any
# instruction the walk misses (say the code after a WARN) would be reported.
#
# At entry the CFA is r1+0 and the return address is in LR. A frame saves
# LR (mflr 0; std 0,16(1)) in the caller's frame and allocates its own with
# stdu, which stores the back chain.

	.abiversion 2

# The kernel's EMIT_BUG_ENTRY (arch/powerpc/include/asm/bug.h) with
# CONFIG_DEBUG_BUGVERBOSE: 12-byte entries, the trap and the file relative
# to the entry, then the line and the flags (BUGFLAG_WARNING is 1).
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
	.string	"clean.c"

	.text

# A global function: the TOC pointer set up at the global entry, then the
# frame around a call, popped with addi.
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

# The frame popped through the back chain (ld 1,0(1)), with callee-saved
# registers below the frame.
	.globl	frame_backchain
	.type	frame_backchain, @function
frame_backchain:
	addis	2, 12, .TOC.-frame_backchain@ha
	addi	2, 2, .TOC.-frame_backchain@l
	.localentry frame_backchain, .-frame_backchain
	mflr	0
	std	30, -16(1)
	std	31, -8(1)
	std	0, 16(1)
	stdu	1, -64(1)
	mr	31, 3
	bl	ext_func
	nop
	add	3, 3, 31
	ld	1, 0(1)
	ld	0, 16(1)
	ld	30, -16(1)
	ld	31, -8(1)
	mtlr	0
	blr
	.size	frame_backchain, .-frame_backchain

# GCC's frame-pointer form: r31 a copy of r1, the frame popped from it.
	.globl	frame_r31
	.type	frame_r31, @function
frame_r31:
	mflr	0
	std	31, -8(1)
	std	0, 16(1)
	stdu	1, -112(1)
	mr	31, 1
	bl	ext_func
	nop
	addi	1, 31, 112
	ld	0, 16(1)
	ld	31, -8(1)
	mtlr	0
	blr
	.size	frame_r31, .-frame_r31

# r31 as frame pointer again, popped through the back chain.
	.globl	frame_r31_backchain
	.type	frame_r31_backchain, @function
frame_r31_backchain:
	mflr	0
	std	31, -8(1)
	std	0, 16(1)
	stdu	1, -112(1)
	mr	31, 1
	bl	ext_func
	nop
	ld	1, 0(1)
	ld	0, 16(1)
	ld	31, -8(1)
	mtlr	0
	blr
	.size	frame_r31_backchain, .-frame_r31_backchain

# A variable-sized frame (alloca): the back chain copied down with stdux,
# the frame popped through it.
	.globl	frame_alloca
	.type	frame_alloca, @function
frame_alloca:
	mflr	0
	std	31, -8(1)
	std	0, 16(1)
	stdu	1, -64(1)
	mr	31, 1
	ld	9, 0(1)
	neg	3, 3
	stdux	9, 1, 3
	addi	3, 1, 32
	bl	ext_func
	nop
	ld	1, 0(1)
	ld	0, 16(1)
	ld	31, -8(1)
	mtlr	0
	blr
	.size	frame_alloca, .-frame_alloca

# Shrink-wrapping: the frame is set up only on the path that calls; the
# other returns early (beqlr), or both meet at the return.
	.globl	shrink_wrap
	.type	shrink_wrap, @function
shrink_wrap:
	cmpdi	3, 0
	beqlr
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	ext_func
	nop
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
	.size	shrink_wrap, .-shrink_wrap

	.globl	shrink_wrap_join
	.type	shrink_wrap_join, @function
shrink_wrap_join:
	cmpdi	3, 0
	beq	1f
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	ext_func
	nop
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
1:	blr
	.size	shrink_wrap_join, .-shrink_wrap_join

# -mprofile-kernel: _mcount is called before the frame is set up.
	.globl	mcount_entry
	.type	mcount_entry, @function
mcount_entry:
	addis	2, 12, .TOC.-mcount_entry@ha
	addi	2, 2, .TOC.-mcount_entry@l
	.localentry mcount_entry, .-mcount_entry
	mflr	0
	bl	_mcount
	addi	3, 3, 1
	blr
	.size	mcount_entry, .-mcount_entry

# A call to, and a tail call to, a local function: the branches go to its
# local entry point.
	.type	local_fn, @function
local_fn:
	addis	2, 12, .TOC.-local_fn@ha
	addi	2, 2, .TOC.-local_fn@l
	.localentry local_fn, .-local_fn
	addi	3, 3, 1
	blr
	.size	local_fn, .-local_fn

	.globl	call_local
	.type	call_local, @function
call_local:
	addis	2, 12, .TOC.-call_local@ha
	addi	2, 2, .TOC.-call_local@l
	.localentry call_local, .-call_local
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	local_fn
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	b	local_fn
	.size	call_local, .-call_local

# LR moved through another register than r0.
	.globl	lr_r11
	.type	lr_r11, @function
lr_r11:
	mflr	11
	std	11, 16(1)
	stdu	1, -32(1)
	bl	ext_func
	nop
	addi	1, 1, 32
	ld	11, 16(1)
	mtlr	11
	blr
	.size	lr_r11, .-lr_r11

# BUG() with no __bug_table entry: trap (tw 31,0,0) is a dead end.
	.globl	bug_notable
	.type	bug_notable, @function
bug_notable:
	cmpdi	3, 0
	bnelr
	trap
	.size	bug_notable, .-bug_notable

# LR saved after the frame is allocated, and a call through CTR.
	.globl	frame_late_lr
	.type	frame_late_lr, @function
frame_late_lr:
	stdu	1, -48(1)
	mflr	0
	std	0, 64(1)
	mtctr	12
	bctrl
	ld	2, 24(1)
	ld	0, 64(1)
	mtlr	0
	addi	1, 1, 48
	blr
	.size	frame_late_lr, .-frame_late_lr

# Leaf functions: no frame, no call; one with a loop and a conditional
# return.
	.globl	leaf
	.type	leaf, @function
leaf:
	addi	3, 3, 1
	blr
	.size	leaf, .-leaf

	.globl	leaf_loop
	.type	leaf_loop, @function
leaf_loop:
	cmpdi	4, 0
	li	5, 0
	beq	2f
	mtctr	4
1:	ld	6, 0(3)
	addi	3, 3, 8
	add	5, 5, 6
	bdnz	1b
2:	mr	3, 5
	blr
	.size	leaf_loop, .-leaf_loop

	.globl	leaf_cond_ret
	.type	leaf_cond_ret, @function
leaf_cond_ret:
	cmpdi	3, 0
	beqlr
	addi	3, 3, -1
	blr
	.size	leaf_cond_ret, .-leaf_cond_ret

# Tail calls: after the epilogue, from a leaf, and through CTR.
	.globl	tail_frame
	.type	tail_frame, @function
tail_frame:
	addis	2, 12, .TOC.-tail_frame@ha
	addi	2, 2, .TOC.-tail_frame@l
	.localentry tail_frame, .-tail_frame
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	ext_func
	nop
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	b	ext_func2
	.size	tail_frame, .-tail_frame

	.globl	tail_leaf
	.type	tail_leaf, @function
tail_leaf:
	addi	3, 3, 8
	b	ext_func
	.size	tail_leaf, .-tail_leaf

	.globl	tail_ctr
	.type	tail_ctr, @function
tail_ctr:
	mr	12, 4
	mtctr	12
	bctr
	.size	tail_ctr, .-tail_ctr

# BUG_ON(x): tdnei traps only if r3 is not 0; execution goes on after it.
	.globl	trap_cond
	.type	trap_cond, @function
trap_cond:
1:	tdnei	3, 0
	BUG_TABLE 1b, 0
	li	3, 1
	blr
	.size	trap_cond, .-trap_cond

# WARN(): an unconditional trap whose __bug_table entry has
# BUGFLAG_WARNING, so execution goes on after it. The li is reached only
# through the trap.
	.globl	warn_ok
	.type	warn_ok, @function
warn_ok:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	cmpdi	3, 0
	beq	2f
1:	twi	31, 0, 0
	BUG_TABLE 1b, 1
	li	3, 0
	bl	ext_func
	nop
2:	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
	.size	warn_ok, .-warn_ok

# BUG(): flags 0, so the trap ends the path. It is the function's last
# instruction and does not fall through to the next function.
	.globl	bug_end
	.type	bug_end, @function
bug_end:
	cmpdi	3, 0
	bnelr
1:	twi	31, 0, 0
	BUG_TABLE 1b, 0
	.size	bug_end, .-bug_end

# BUG() in the middle, the code after it reached by a branch.
	.globl	bug_mid
	.type	bug_mid, @function
bug_mid:
	cmpdi	3, 0
	beq	2f
1:	twi	31, 0, 0
	BUG_TABLE 1b, 0
2:	blr
	.size	bug_mid, .-bug_mid

# A call to a function that does not return ends the function (with the
# TOC-restore nop after it): a dead end by position.
	.globl	noreturn_tail
	.type	noreturn_tail, @function
noreturn_tail:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	cmpdi	3, 0
	beq	1f
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
1:	bl	ext_noreturn
	nop
	.size	noreturn_tail, .-noreturn_tail

# A known noreturn function (panic) in the middle of a function.
	.globl	panic_mid
	.type	panic_mid, @function
panic_mid:
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	cmpdi	3, 0
	bne	1f
	bl	panic
	nop
1:	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
	.size	panic_mid, .-panic_mid

# LR saved and then moved back into LR before the frame is allocated
# (GCC, after the profiling call of -pg: mflr 0; bl _mcount; mflr 0;
# std 0,16(1); mtlr 0; stdu): LR holds the return address again, and
# its saved copy stays valid, so the later call has its frame. The
# epilogue reloads the copy and restores LR from it.
	.globl	lr_moved_back
	.type	lr_moved_back, @function
lr_moved_back:
	addis	2, 12, .TOC.-lr_moved_back@ha
	addi	2, 2, .TOC.-lr_moved_back@l
	.localentry lr_moved_back, .-lr_moved_back
	mflr	0
	std	0, 16(1)
	mtlr	0
	stdu	1, -32(1)
	bl	ext_func
	nop
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
	.size	lr_moved_back, .-lr_moved_back

# The copy of the return address in r0 (mflr 0 before the profiling
# call) overwritten by a load of a stack argument, and r0 then stored in
# the frame: a spill of the argument, not a save of LR, so a return that
# never touched LR returns with its frame intact (bch2_data_job, GCC 12).
	.globl	ra_copy_overwritten
	.type	ra_copy_overwritten, @function
ra_copy_overwritten:
	addis	2, 12, .TOC.-ra_copy_overwritten@ha
	addi	2, 2, .TOC.-ra_copy_overwritten@l
	.localentry ra_copy_overwritten, .-ra_copy_overwritten
	mflr	0
	bl	_mcount
	stdu	1, -64(1)
	ld	0, 100(1)
	std	0, 40(1)
	addi	1, 1, 64
	blr
	.size	ra_copy_overwritten, .-ra_copy_overwritten

# A function whose only return is conditional (beqlr) returns: a call
# to it is no dead end, and the code after the call is reached.
	.globl	retcond_only
	.type	retcond_only, @function
retcond_only:
1:	lwz	9, 0(3)
	cmpwi	9, 0
	beqlr
	b	1b
	.size	retcond_only, .-retcond_only

	.globl	calls_retcond
	.type	calls_retcond, @function
calls_retcond:
	addis	2, 12, .TOC.-calls_retcond@ha
	addi	2, 2, .TOC.-calls_retcond@l
	.localentry calls_retcond, .-calls_retcond
	mflr	0
	std	0, 16(1)
	stdu	1, -32(1)
	bl	retcond_only
	nop
	addi	3, 3, 1
	addi	1, 1, 32
	ld	0, 16(1)
	mtlr	0
	blr
	.size	calls_retcond, .-calls_retcond

# Words that are not instructions after the return (ppc64 has no mapping
# symbols to mark data in .text): nothing runs into them.
	.globl	data_after
	.type	data_after, @function
data_after:
	addi	3, 3, 1
	blr
	.long	0
	.long	0
	.size	data_after, .-data_after

# WARN_ON(x) as powerpc's asm-goto __WARN_FLAGS emits it (Linux 5.17 to
# 6.1, still in Debian's 6.1 kernels): the trap's __bug_table entry says
# WARN, and an __ex_table entry resumes execution at a label of the
# function, not after the trap; the compiler puts nothing after the trap
# (it is followed by unreachable()), here the word before the next
# function's global entry (its .TOC. offset). Nothing may run into it.
	.globl	warn_goto
	.type	warn_goto, @function
warn_goto:
	cmpdi	3, 0
	bne	1f
2:	li	3, 0
	blr
1:	twi	31, 0, 0
	BUG_TABLE 1b, 1
	.pushsection __ex_table, "a"
	.balign	4
	.4byte	1b - .
	.4byte	2b - .
	.popsection
	.size	warn_goto, .-warn_goto
	.quad	0

# Last, so that nothing follows it.
	.globl	last
	.type	last, @function
last:
	blr
	.size	last, .-last
