/* arm64 CFI by hand: return addresses signed with the B key (augmentation
 * "zRB"), DW_CFA_AARCH64_negate_ra_state around a frame record, and an
 * undefined return address. Built twice: for .eh_frame, and with
 * -DDEBUG_FRAME for .debug_frame. */
#ifdef DEBUG_FRAME
	.cfi_sections .debug_frame
#endif
	.text
	.globl	bkey
	.type	bkey, %function
bkey:
	.cfi_startproc
	.cfi_b_key_frame
	hint	27			// pacibsp
	.cfi_negate_ra_state
	stp	x29, x30, [sp, #-32]!
	.cfi_def_cfa_offset 32
	.cfi_offset 29, -32
	.cfi_offset 30, -24
	mov	x29, sp
	.cfi_def_cfa_register 29
	bl	ext
	.cfi_remember_state
	ldp	x29, x30, [sp], #32
	.cfi_def_cfa 31, 0
	.cfi_restore 30
	.cfi_restore 29
	hint	31			// autibsp
	.cfi_negate_ra_state
	ret
	.cfi_restore_state
	nop
	.cfi_endproc
	.size	bkey, .-bkey

	.globl	start
	.type	start, %function
start:
	.cfi_startproc
	.cfi_undefined x30
	mov	x29, #0
	bl	ext
	b	.
	.cfi_endproc
	.size	start, .-start
	.section .note.GNU-stack,"",%progbits
