/* Hand-written CFI for the instructions compilers rarely emit: undefined,
 * same_value, register, val_offset, expressions, GNU_args_size,
 * GNU_negative_offset_extended, def_cfa_sf, a signal frame, personality
 * and LSDA (augmentation zPLR), advance_loc2. */
	.text
	.globl	outermost
	.type	outermost, @function
outermost:
	.cfi_startproc
	.cfi_undefined rip
	xorl	%ebp, %ebp
	call	ext
	hlt
	.cfi_endproc
	.size	outermost, .-outermost

	.globl	odd
	.type	odd, @function
odd:
	.cfi_startproc
	.cfi_personality 0x9b, DW.ref.personality
	.cfi_lsda 0x1b, .Llsda
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbp, 0
	movq	%rsp, %rbp
	.cfi_def_cfa_register rbp
	.cfi_escape 0x2e, 0x10		/* DW_CFA_GNU_args_size 16 */
	pushq	%rbx
	.cfi_register rbx, r11
	.cfi_val_offset rbx, -8
	.cfi_same_value rbx
	.cfi_escape 0x2f, 0x06, 0x03	/* DW_CFA_GNU_negative_offset_extended rbp, 3 (cfa+24) */
	nop
	.cfi_escape 0x05, 0x06, 0x02	/* DW_CFA_offset_extended rbp, 2 (cfa-16) */
	.cfi_remember_state
	.cfi_escape 0x12, 0x07, 0x7e	/* DW_CFA_def_cfa_sf rsp, -2 (+16) */
	nop
	.cfi_escape 0x13, 0x7d		/* DW_CFA_def_cfa_offset_sf -3 (+24) */
	nop
	.cfi_escape 0x10, 0x06, 0x02, 0x77, 0x00	/* DW_CFA_expression rbp, {breg7 0} */
	nop
	.cfi_escape 0x0f, 0x03, 0x77, 0x08, 0x06	/* DW_CFA_def_cfa_expression {breg7 8; deref} */
	nop
	.cfi_restore_state
	.fill	300, 1, 0x90
	popq	%rbx
	popq	%rbp
	.cfi_def_cfa rsp, 8
	.cfi_restore rbp
	ret
	.cfi_endproc
	.size	odd, .-odd

	.globl	trampoline
	.type	trampoline, @function
	nop
trampoline:
	.cfi_startproc simple
	.cfi_signal_frame
	.cfi_def_cfa rsp, 160
	.cfi_offset rip, -8
	.cfi_escape 0x16, 0x10, 0x01, 0x30	/* DW_CFA_val_expression rip, {lit0} */
	movq	%rsp, %rdi
	call	ext
	.cfi_escape 0x14, 0x10, 0x01	/* DW_CFA_val_offset rip, 1 (cfa-8) */
	ret
	.cfi_endproc
	.size	trampoline, .-trampoline

	.section .rodata
.Llsda:	.byte	0xff
	.hidden	DW.ref.personality
	.weak	DW.ref.personality
	.section .data.rel.local.DW.ref.personality,"awG",@progbits,DW.ref.personality,comdat
	.type	DW.ref.personality, @object
	.size	DW.ref.personality, 8
DW.ref.personality:
	.quad	personality
	.section .note.GNU-stack,"",@progbits
