# objtool: --stackval
#
# Stack-frame rules checked by validate_branch() in a frame-pointer build
# (--stackval). objtool prints at most one instruction warning per function
# symbol, so every rule has a function of its own. Clean functions are mixed
# in to catch false positives.

	.text

# Clean: the standard frame-pointer prologue and epilogue around a call.
	.globl	fp_ok
	.type	fp_ok, @function
fp_ok:
	push	%rbp
	mov	%rsp, %rbp
	call	ext_func
	pop	%rbp
	ret
	.size	fp_ok, .-fp_ok

# %rbx is still on the stack at the return.
	.globl	ret_modified
	.type	ret_modified, @function
ret_modified:
	push	%rbx
	ret	# want "return with modified stack frame"
	.size	ret_modified, .-ret_modified

# A tail call (jmp to another function's symbol) with the frame still set up.
	.globl	sibling_modified
	.type	sibling_modified, @function
sibling_modified:
	push	%rbp
	mov	%rsp, %rbp
	jmp	ext_func	# want "sibling call from callable instruction with modified stack frame"
	.size	sibling_modified, .-sibling_modified

# An indirect jump with no jump table is a sibling call too.
	.globl	sibling_dynamic
	.type	sibling_dynamic, @function
sibling_dynamic:
	push	%rbx
	jmp	*%rax	# want "sibling call from callable instruction with modified stack frame"
	.size	sibling_dynamic, .-sibling_dynamic

# Clean: a tail call with the frame torn down first.
	.globl	sibling_ok
	.type	sibling_ok, @function
sibling_ok:
	push	%rbp
	mov	%rsp, %rbp
	pop	%rbp
	jmp	ext_func
	.size	sibling_ok, .-sibling_ok

# Two paths reach label 1 with different CFA offsets. The taken branch is
# walked first, so cfa1 is SP+8 and the fall-through brings SP+16.
	.globl	mismatch_cfa
	.type	mismatch_cfa, @function
mismatch_cfa:
	test	%edi, %edi
	jz	1f
	push	%rax
1:	xor	%eax, %eax	# want "stack state mismatch: cfa1=4+8 cfa2=4+16"
	ret
	.size	mismatch_cfa, .-mismatch_cfa

# Same CFA on both paths, but only one of them saved %rbx (CFI reg 3).
	.globl	mismatch_reg
	.type	mismatch_reg, @function
mismatch_reg:
	test	%edi, %edi
	jz	1f
	push	%rbx
	jmp	2f
1:	sub	$8, %rsp
2:	add	$8, %rsp	# want "stack state mismatch: reg1[3]=-1+0 reg2[3]=-2-16"
	ret
	.size	mismatch_reg, .-mismatch_reg

# Loading %rsp from an unknown register makes the CFA undefined; the next
# stack operation cannot be tracked.
	.globl	undefined_state
	.type	undefined_state, @function
undefined_state:
	mov	%rdi, %rsp
	push	%rbx	# want "undefined stack state"
	pop	%rbx
	ret
	.size	undefined_state, .-undefined_state

# Realigning %rsp without a frame pointer or a DRAP register.
	.globl	realign
	.type	realign, @function
realign:
	and	$-16, %rsp	# want "unsupported stack pointer realignment"
	ret
	.size	realign, .-realign

# Adding a register to %rsp (the CFA base) cannot be tracked.
	.globl	stackreg_mod
	.type	stackreg_mod, @function
stackreg_mod:
	add	%rax, %rsp	# want "unsupported stack register modification"
	ret
	.size	stackreg_mod, .-stackreg_mod

# A call with no frame pointer set up (frame-pointer builds only).
	.globl	call_nofp
	.type	call_nofp, @function
call_nofp:
	call	ext_func	# want "call without frame pointer save/setup"
	ret
	.size	call_nofp, .-call_nofp

# %rbp is saved and used for data, not as a frame pointer. Reported at the
# return.
	.globl	bp_scratch
	.type	bp_scratch, @function
bp_scratch:
	push	%rbp
	mov	$1, %ebp
	pop	%rbp
	ret	# want "BP used as a scratch register"
	.size	bp_scratch, .-bp_scratch

# syscall (a context switch) inside a callable function.
	.globl	ctx_switch
	.type	ctx_switch, @function
ctx_switch:
	syscall	# want "unsupported instruction in callable function"
	ret
	.size	ctx_switch, .-ctx_switch

# The last instruction does not end the function. This message has no
# location prefix; it sits on the function's last instruction.
	.globl	falls
	.type	falls, @function
falls:
	xor	%eax, %eax	# want "falls() falls through to next function after_falls()"
	.size	falls, .-falls

	.globl	after_falls
	.type	after_falls, @function
after_falls:
	ret
	.size	after_falls, .-after_falls

# No .size: the function symbol has length zero.
	.globl	nosize
	.type	nosize, @function
nosize:
	ret	# want "nosize() is missing an ELF size annotation"

# Walking off the end of a section with a defined CFA.
	.section .text.eos, "ax", @progbits
	.globl	eos
	.type	eos, @function
eos:
	xor	%eax, %eax	# want ".text.eos: unexpected end of section"
	.size	eos, .-eos

# The same after an alternative's replacement, the walk going on past the
# original group: objtool names the section the walk of the replacement
# started in, not the one it ran off.
.macro altinstr_entry orig alt ft_flags orig_len alt_len
	.long \orig - .
	.long \alt - .
	.4byte \ft_flags
	.byte \orig_len
	.byte \alt_len
.endm

.macro ALTERNATIVE oldinstr, newinstr, ft_flags
740:
	\oldinstr
741:
	.skip -(((744f-743f)-(741b-740b)) > 0) * ((744f-743f)-(741b-740b)),0x90
742:
	.pushsection .altinstructions,"a"
	altinstr_entry 740b,743f,\ft_flags,742b-740b,744f-743f
	.popsection
	.pushsection .altinstr_replacement,"ax"
743:
	\newinstr
744:
	.popsection
.endm

	.section .text.eosalt, "ax", @progbits
	.globl	eos_alt
	.type	eos_alt, @function
eos_alt:
	ALTERNATIVE "nop", "xor %eax, %eax", 123
	xor	%ecx, %ecx	# want ".altinstr_replacement: unexpected end of section"
	.size	eos_alt, .-eos_alt
