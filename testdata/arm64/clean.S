# objtool: --stackval
//
// arm64 code that objcheck --stackval must pass without a word: the frame
// shapes GCC and Clang emit for the kernel (with and without pointer
// authentication), leaf functions, tail calls, WARN and BUG traps told apart
// by their __bug_table entries, and a call that ends a function (a noreturn
// callee, known only by position). There is no warning in
// this file, so objcheck also runs its unreachable-instruction pass here:
// any instruction the walk misses (say the code after a WARN) would be
// reported. Data in .text is in pending/datatext.S: objcheck cannot check
// an object that has any yet.

// The kernel's __BUG_ENTRY (arch/arm64/include/asm/asm-bug.h) with
// CONFIG_DEBUG_BUGVERBOSE: 12-byte entries, the trap and the file relative
// to the entry, then the line and the flags (BUGFLAG_WARNING is 1).
	.macro	BUG_TABLE insn, flags
	.pushsection __bug_table, "aw"
	.align	2
	.long	\insn - .
	.long	.Lbug_file - .
	.short	42
	.short	\flags
	.align	2
	.popsection
	.endm

	.section .rodata.str1.1, "aMS", %progbits, 1
.Lbug_file:
	.string	"clean.c"

	.text

// The usual frame: the return address signed, the frame record pushed with
// pre-index and x29 pointed at it, then the reverse.
	.globl	frame_pac
	.type	frame_pac, %function
frame_pac:
	paciasp
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	str	x19, [sp, #16]
	mov	x19, x0
	bl	ext_func
	add	x0, x0, x19
	ldr	x19, [sp, #16]
	ldp	x29, x30, [sp], #32
	autiasp
	ret
	.size	frame_pac, .-frame_pac

// The same without pointer authentication, callee-saved pairs below the
// frame record, and a call through a register.
	.globl	frame_plain
	.type	frame_plain, %function
frame_plain:
	stp	x29, x30, [sp, #-48]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	mov	x19, x0
	blr	x1
	bl	ext_func
	ldp	x21, x22, [sp, #32]
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #48
	ret
	.size	frame_plain, .-frame_plain

// GCC's form for a large frame: the stack allocated first, the frame record
// stored at its top, x29 pointed at it with an add.
	.globl	frame_sub
	.type	frame_sub, %function
frame_sub:
	sub	sp, sp, #64
	stp	x29, x30, [sp, #48]
	add	x29, sp, #48
	add	x0, sp, #8
	bl	ext_func
	ldp	x29, x30, [sp, #48]
	add	sp, sp, #64
	ret
	.size	frame_sub, .-frame_sub

// A BTI landing pad, then a frame; the epilogue restores sp from x29.
	.globl	frame_bti
	.type	frame_bti, %function
frame_bti:
	bti	c
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	sub	sp, sp, #32
	bl	ext_func
	mov	sp, x29
	ldp	x29, x30, [sp], #16
	ret
	.size	frame_bti, .-frame_bti

// A frame too large for one immediate, and an epilogue that loads the
// frame record before popping it.
	.globl	frame_big
	.type	frame_big, %function
frame_big:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	sub	sp, sp, #0x1000
	sub	sp, sp, #0x10
	bl	ext_func
	add	sp, sp, #0x1000
	add	sp, sp, #0x10
	ldp	x29, x30, [sp]
	add	sp, sp, #16
	ret
	.size	frame_big, .-frame_big

// A variable-sized frame (alloca): sp moved by a register, restored from
// x29.
	.globl	frame_alloca
	.type	frame_alloca, %function
frame_alloca:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	sub	sp, sp, x0
	mov	x0, sp
	bl	ext_func
	mov	sp, x29
	ldp	x29, x30, [sp], #16
	ret
	.size	frame_alloca, .-frame_alloca

// Shrink-wrapping: the frame is set up only on the path that calls, and
// both paths meet at the return.
	.globl	shrink_wrap
	.type	shrink_wrap, %function
shrink_wrap:
	cbz	x0, 1f
	paciasp
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	autiasp
1:	ret
	.size	shrink_wrap, .-shrink_wrap

// The ftrace entry of CONFIG_DYNAMIC_FTRACE_WITH_ARGS
// (-fpatchable-function-entry=2): a landing pad, two nops, then the frame.
	.globl	ftrace_entry
	.type	ftrace_entry, %function
ftrace_entry:
	bti	c
	nop
	nop
	paciasp
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	autiasp
	ret
	.size	ftrace_entry, .-ftrace_entry

// Leaf functions: no frame, no call. One with a conditional branch and a
// loop.
	.globl	leaf
	.type	leaf, %function
leaf:
	add	x0, x0, #1
	ret
	.size	leaf, .-leaf

	.globl	leaf_loop
	.type	leaf_loop, %function
leaf_loop:
	mov	x2, #0
	cbz	x1, 2f
1:	ldr	x3, [x0], #8
	add	x2, x2, x3
	subs	x1, x1, #1
	b.ne	1b
2:	mov	x0, x2
	ret
	.size	leaf_loop, .-leaf_loop

// A leaf that needs stack but no frame record.
	.globl	leaf_stack
	.type	leaf_stack, %function
leaf_stack:
	sub	sp, sp, #16
	str	x0, [sp, #8]
	ldr	x0, [sp, #8]
	add	sp, sp, #16
	ret
	.size	leaf_stack, .-leaf_stack

// Tail calls: after the epilogue, with and without pointer authentication,
// from a leaf, and through a register.
	.globl	tail_frame
	.type	tail_frame, %function
tail_frame:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	b	ext_func2
	.size	tail_frame, .-tail_frame

	.globl	tail_pac
	.type	tail_pac, %function
tail_pac:
	paciasp
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	autiasp
	b	ext_func2
	.size	tail_pac, .-tail_pac

	.globl	tail_leaf
	.type	tail_leaf, %function
tail_leaf:
	add	x0, x0, #8
	b	ext_func
	.size	tail_leaf, .-tail_leaf

// A tail call to a function of this file.
	.globl	tail_local
	.type	tail_local, %function
tail_local:
	mov	x0, #0
	b	leaf
	.size	tail_local, .-tail_local

// WARN(): the trap has a __bug_table entry with BUGFLAG_WARNING and
// execution goes on after it. The add is reached only through the brk.
	.globl	warn_ok
	.type	warn_ok, %function
warn_ok:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	cbz	x0, 2f
1:	brk	#0x800
	BUG_TABLE 1b, 1
	add	x0, x0, #1
	bl	ext_func
2:	ldp	x29, x30, [sp], #16
	ret
	.size	warn_ok, .-warn_ok

// WARN_ON() in a leaf.
	.globl	warn_leaf
	.type	warn_leaf, %function
warn_leaf:
	cbz	x0, 2f
1:	brk	#0x800
	BUG_TABLE 1b, 1
2:	ret
	.size	warn_leaf, .-warn_leaf

// BUG(): flags 0, so the trap ends the path. It is the function's last
// instruction, and does not fall through to the next function.
	.globl	bug_end
	.type	bug_end, %function
bug_end:
	cbnz	x0, 1f
	ret
1:	brk	#0x800
	BUG_TABLE 1b, 0
	.size	bug_end, .-bug_end

// BUG() in the middle of a function, the code after it reached by a branch.
	.globl	bug_mid
	.type	bug_mid, %function
bug_mid:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	cbz	x0, 2f
1:	brk	#0x800
	BUG_TABLE 1b, 0
2:	bl	ext_func
	ldp	x29, x30, [sp], #16
	ret
	.size	bug_mid, .-bug_mid

// A call to a function that does not return: the compiler emits nothing
// after it, so a call that ends its function is a dead end.
	.globl	noreturn_tail
	.type	noreturn_tail, %function
noreturn_tail:
	paciasp
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	cbz	x0, 1f
	ldp	x29, x30, [sp], #16
	autiasp
	ret
1:	bl	ext_noreturn
	.size	noreturn_tail, .-noreturn_tail

// A known noreturn function (panic) called in the middle of a function.
	.globl	panic_mid
	.type	panic_mid, %function
panic_mid:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	cbnz	x0, 1f
	bl	panic
1:	ldp	x29, x30, [sp], #16
	ret
	.size	panic_mid, .-panic_mid

// Last, so that nothing follows it.
	.globl	last
	.type	last, %function
last:
	ret
	.size	last, .-last
