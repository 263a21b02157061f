# objtool: --stackval
//
// WARN and BUG without CONFIG_DEBUG_BUGVERBOSE: the __bug_table entries are
// 8 bytes, the trap relative to the entry and the flags, with no file or
// line. No warning is expected: the code after the WARN is reached only
// through the trap, and the BUG ends a function without falling through.

	.macro	BUG_TABLE insn, flags
	.pushsection __bug_table, "aw"
	.align	2
	.long	\insn - .
	.short	\flags
	.align	2
	.popsection
	.endm

	.text

	.globl	warn_ok
	.type	warn_ok, %function
warn_ok:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	cbz	x0, 2f
1:	brk	#0x800
	BUG_TABLE 1b, 1
	bl	ext_func
2:	ldp	x29, x30, [sp], #16
	ret
	.size	warn_ok, .-warn_ok

	.globl	bug_end
	.type	bug_end, %function
bug_end:
	cbnz	x0, 1f
	ret
1:	brk	#0x800
	BUG_TABLE 1b, 0
	.size	bug_end, .-bug_end

// WARN_ONCE: BUGFLAG_WARNING | BUGFLAG_ONCE.
	.globl	warn_once
	.type	warn_once, %function
warn_once:
	cbz	x0, 2f
1:	brk	#0x800
	BUG_TABLE 1b, 3
	mov	x0, #0
2:	ret
	.size	warn_once, .-warn_once

	.globl	last
	.type	last, %function
last:
	ret
	.size	last, .-last
