# objtool: --stackval
//
// Code that no path from a function's entry reaches. objcheck reports it
// only when nothing else in the object warned, so this file has no other
// warning. Clean cases are mixed in: nop padding, a WARN (whose next
// instruction is reached), a BUG right after a noreturn call.

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
	.string	"unreachable.c"

	.text

// An instruction after the return.
	.globl	after_ret
	.type	after_ret, %function
after_ret:
	ret
	add	x0, x0, #1	// want "unreachable instruction"
	ret
	.size	after_ret, .-after_ret

// An instruction after a BUG (flags 0: the trap does not come back).
	.globl	after_bug
	.type	after_bug, %function
after_bug:
	cbnz	x0, 2f
1:	brk	#0x800
	BUG_TABLE 1b, 0
	mov	x0, #1	// want "unreachable instruction"
2:	ret
	.size	after_bug, .-after_bug

// Clean: the same with BUGFLAG_WARNING, so the mov is reached.
	.globl	after_warn
	.type	after_warn, %function
after_warn:
	cbnz	x0, 2f
1:	brk	#0x800
	BUG_TABLE 1b, 1
	mov	x0, #1
2:	ret
	.size	after_warn, .-after_warn

// A call to panic(), which does not return, followed by code: the
// compiler did not know, so the declaration lacks __noreturn.
	.globl	after_panic
	.type	after_panic, %function
after_panic:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	panic
	ldp	x29, x30, [sp], #16	// want "panic() is missing a __noreturn annotation"
	ret
	.size	after_panic, .-after_panic

// Clean: a BUG after a noreturn call, and nop padding after a return.
	.globl	panic_bug
	.type	panic_bug, %function
panic_bug:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	cbz	x0, 2f
	bl	panic
1:	brk	#0x800
	BUG_TABLE 1b, 0
2:	ldp	x29, x30, [sp], #16
	ret
	nop
	nop
	.size	panic_bug, .-panic_bug

// A fixup reached only from KVM's own exception table (__kvm_at in
// arch/arm64/kvm/at.c and the hyp's __get_fault_info): clean.
	.globl	kvm_at_probe
	.type	kvm_at_probe, %function
kvm_at_probe:
	mov	w0, #0
1:	at	s1e1r, x1
	isb
	b	3f
2:	mov	w0, #-14
3:	ret
	.pushsection __kvm_ex_table, "a"
	.align	3
	.long	1b - .
	.long	2b - .
	.popsection
	.size	kvm_at_probe, .-kvm_at_probe

// Code outside any function, reached by nothing: it is named by its
// section offset. With no symbol there is no one-warning limit: each such
// instruction is reported.
	mov	x0, #2	// want "unreachable instruction"
	ret	// want "unreachable instruction"

	.globl	last
	.type	last, %function
last:
	ret
	.size	last, .-last
