# objtool: --stackval
//
// The frame rules objcheck --stackval applies to arm64, one function per
// rule, since only the first instruction warning of a function is printed.
// On arm64 the return address is in x30 at entry and nothing is on the
// stack: the CFA is sp+0. A valid frame for a call is the frame record
// (x29, x30) stored at the CFA-16 and x29 pointing at it. Clean functions
// are mixed in to catch false positives near the faulty ones.

// The kernel's __BUG_ENTRY with CONFIG_DEBUG_BUGVERBOSE (see clean.S).
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
	.string	"stack.c"

	.text

// Clean: the standard frame around a call.
	.globl	fp_ok
	.type	fp_ok, %function
fp_ok:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	ret
	.size	fp_ok, .-fp_ok

// A call with no frame record at all.
	.globl	call_noframe
	.type	call_noframe, %function
call_noframe:
	add	x0, x0, #1
	bl	ext_func	// want "call without frame pointer save/setup"
	ret
	.size	call_noframe, .-call_noframe

// The frame record is pushed but x29 is never pointed at it.
	.globl	call_nofp
	.type	call_nofp, %function
call_nofp:
	stp	x29, x30, [sp, #-16]!
	bl	ext_func	// want "call without frame pointer save/setup"
	ldp	x29, x30, [sp], #16
	ret
	.size	call_nofp, .-call_nofp

// Stack allocated, but the frame record is not stored.
	.globl	call_noframe_sub
	.type	call_noframe_sub, %function
call_noframe_sub:
	sub	sp, sp, #32
	bl	ext_func	// want "call without frame pointer save/setup"
	add	sp, sp, #32
	ret
	.size	call_noframe_sub, .-call_noframe_sub

// A call through a register with no frame.
	.globl	call_dynamic_noframe
	.type	call_dynamic_noframe, %function
call_dynamic_noframe:
	blr	x2	// want "call without frame pointer save/setup"
	ret
	.size	call_dynamic_noframe, .-call_dynamic_noframe

// Only the return address is saved (as with -fomit-frame-pointer): the
// kernel wants a frame record for every call.
	.globl	call_lr_only
	.type	call_lr_only, %function
call_lr_only:
	str	x30, [sp, #-16]!
	bl	ext_func	// want "call without frame pointer save/setup"
	ldr	x30, [sp], #16
	ret
	.size	call_lr_only, .-call_lr_only

// x29 and x30 swapped: a frame record is x29 at the lower address.
	.globl	call_swapped
	.type	call_swapped, %function
call_swapped:
	stp	x30, x29, [sp, #-16]!
	mov	x29, sp
	bl	ext_func	// want "call without frame pointer save/setup"
	ldp	x30, x29, [sp], #16
	ret
	.size	call_swapped, .-call_swapped

// x29, the CFA base, overwritten before the call: the frame is lost.
	.globl	call_fp_clobbered
	.type	call_fp_clobbered, %function
call_fp_clobbered:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mov	x29, x0
	bl	ext_func	// want "call without frame pointer save/setup"
	ldp	x29, x30, [sp], #16
	ret
	.size	call_fp_clobbered, .-call_fp_clobbered

// Return with the frame record still pushed.
	.globl	ret_modified
	.type	ret_modified, %function
ret_modified:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ret	// want "return with modified stack frame"
	.size	ret_modified, .-ret_modified

// Return with stack still allocated, in a leaf.
	.globl	ret_modified_leaf
	.type	ret_modified_leaf, %function
ret_modified_leaf:
	sub	sp, sp, #16
	ret	// want "return with modified stack frame"
	.size	ret_modified_leaf, .-ret_modified_leaf

// The sub/stp/add form, with the stack popped but the frame record never
// reloaded: x29 still says CFA-16 at the return.
	.globl	ret_modified_sub
	.type	ret_modified_sub, %function
ret_modified_sub:
	sub	sp, sp, #32
	stp	x29, x30, [sp, #16]
	add	x29, sp, #16
	bl	ext_func
	ret	// want "return with modified stack frame"
	.size	ret_modified_sub, .-ret_modified_sub

// A tail call with the frame still set up.
	.globl	sibling_modified
	.type	sibling_modified, %function
sibling_modified:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	b	ext_func2	// want "sibling call from callable instruction with modified stack frame"
	.size	sibling_modified, .-sibling_modified

// The same through a register.
	.globl	sibling_dynamic
	.type	sibling_dynamic, %function
sibling_dynamic:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	br	x16	// want "sibling call from callable instruction with modified stack frame"
	.size	sibling_dynamic, .-sibling_dynamic

// Clean: a tail call after the epilogue.
	.globl	sibling_ok
	.type	sibling_ok, %function
sibling_ok:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	b	ext_func2
	.size	sibling_ok, .-sibling_ok

// Two paths reach label 1 with different CFA offsets. The taken branch is
// walked first, so cfa1 is sp+0 (register 31) and the fall-through brings
// sp+16.
	.globl	mismatch_cfa
	.type	mismatch_cfa, %function
mismatch_cfa:
	cbz	x0, 1f
	sub	sp, sp, #16
1:	mov	x0, #0	// want "stack state mismatch: cfa1=31+0 cfa2=31+16"
	ret
	.size	mismatch_cfa, .-mismatch_cfa

// Same CFA on both paths, but only one of them saved x29 (register 29).
	.globl	mismatch_reg
	.type	mismatch_reg, %function
mismatch_reg:
	sub	sp, sp, #16
	cbz	x0, 1f
	stp	x29, x30, [sp]
1:	add	sp, sp, #16	// want "stack state mismatch: reg1[29]=-1+0 reg2[29]=-2-16"
	ret
	.size	mismatch_reg, .-mismatch_reg

// No return at the end: execution runs into the next function.
	.globl	falls
	.type	falls, %function
falls:
	add	x0, x0, #1
	cmp	x0, #4	// want "falls() falls through to next function after_falls()"
	.size	falls, .-falls

	.globl	after_falls
	.type	after_falls, %function
after_falls:
	ret
	.size	after_falls, .-after_falls

// A BUG with no BUGFLAG_WARNING ends the path, but a brk other than
// #0x800 is not a BUG (KASAN and kgdb traps come back), so this falls
// through.
	.globl	falls_brk
	.type	falls_brk, %function
falls_brk:
	brk	#0x100	// want "falls_brk() falls through to next function after_falls_brk()"
	.size	falls_brk, .-falls_brk

	.globl	after_falls_brk
	.type	after_falls_brk, %function
after_falls_brk:
	ret
	.size	after_falls_brk, .-after_falls_brk

// A WARN (BUGFLAG_WARNING) comes back, so one that ends a function falls
// through.
	.globl	falls_warn
	.type	falls_warn, %function
falls_warn:
	cbz	x0, 1f
	ret
1:	brk	#0x800	// want "falls_warn() falls through to next function after_falls_warn()"
	BUG_TABLE 1b, 1
	.size	falls_warn, .-falls_warn

	.globl	after_falls_warn
	.type	after_falls_warn, %function
after_falls_warn:
	ret
	.size	after_falls_warn, .-after_falls_warn

// Pointer authentication: paciasp signs the return address in x30 and
// autiasp authenticates it; they must pair up on every path.

// Signed, never authenticated.
	.globl	pac_ret_signed
	.type	pac_ret_signed, %function
pac_ret_signed:
	paciasp
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	ret	// want "return with signed return address"
	.size	pac_ret_signed, .-pac_ret_signed

// Authenticated, never signed.
	.globl	pac_auth_unsigned
	.type	pac_auth_unsigned, %function
pac_auth_unsigned:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	autiasp	// want "return address authenticated but not signed"
	ret
	.size	pac_auth_unsigned, .-pac_auth_unsigned

// Signed twice.
	.globl	pac_twice
	.type	pac_twice, %function
pac_twice:
	paciasp
	paciasp	// want "return address signed twice"
	autiasp
	ret
	.size	pac_twice, .-pac_twice

// Signed twice on one path only: the two paths join signed.
	.globl	pac_twice_path
	.type	pac_twice_path, %function
pac_twice_path:
	paciasp
	cbz	x0, 1f
	autiasp
1:	paciasp	// want "return address signed twice"
	autiasp
	ret
	.size	pac_twice_path, .-pac_twice_path

// A tail call with the return address still signed.
	.globl	pac_sibling
	.type	pac_sibling, %function
pac_sibling:
	paciasp
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	b	ext_func2	// want "sibling call with signed return address"
	.size	pac_sibling, .-pac_sibling

// Clean: the B key.
	.globl	pac_b_ok
	.type	pac_b_ok, %function
pac_b_ok:
	pacibsp
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	ext_func
	ldp	x29, x30, [sp], #16
	autibsp
	ret
	.size	pac_b_ok, .-pac_b_ok

// Last, so that nothing follows it.
	.globl	last
	.type	last, %function
last:
	ret
	.size	last, .-last
