# objtool: --noinstr --link
#
# Paravirt calls from noinstr code (--noinstr, with --link as for
# vmlinux.o). A call through pv_ops (call *pv_ops+N(%rip)) is allowed when
# every function that objtool finds for the slot is in a noinstr section.
# It finds them in the initialisers of pv_ops and of Xen's xen_cpu_ops,
# xen_irq_ops, xen_mmu_ops (a relocation at byte 8*K of any of them is
# slot K), and in the "movq $func, pv_ops+N(%rip)" of .init.text.
# _paravirt_nop and _paravirt_ident_64 never count; a function joins the
# first slot it is found for and no other; a slot lists its functions the
# last found first. Each call through a slot that is not clean prints
# "pv_ops[K]: func" for each of its functions that is not noinstr (expected
# on the function's ret), then the call's own warning,
# which names no pv_ops slot ({dynamic}).

	.section .noinstr.text, "ax"

	.globl	noinstr_op
	.type	noinstr_op, @function
noinstr_op:
	ret
	.size	noinstr_op, .-noinstr_op

# Slot 0: noinstr_op, in .noinstr.text: clean.
	.globl	call_clean
	.type	call_clean, @function
call_clean:
	call	*pv_ops+0(%rip)
	ret
	.size	call_clean, .-call_clean

# Slot 1: instr_op (pv_ops) and xen_op (xen_cpu_ops), listed xen_op first.
	.globl	call_instr
	.type	call_instr, @function
call_instr:
	call	*pv_ops+8(%rip)	# want "call to {dynamic}() leaves .noinstr.text section"
	ret	# want "pv_ops[1]: xen_op" "pv_ops[1]: instr_op"
	.size	call_instr, .-call_instr

# A slot that is not clean is checked again at each call.
	.globl	call_instr_again
	.type	call_instr_again, @function
call_instr_again:
	call	*pv_ops+8(%rip)	# want "call to {dynamic}() leaves .noinstr.text section"
	ret	# want "pv_ops[1]: xen_op" "pv_ops[1]: instr_op"
	.size	call_instr_again, .-call_instr_again

# Slot 2: _paravirt_nop does not count.
	.globl	call_nop
	.type	call_nop, @function
call_nop:
	call	*pv_ops+16(%rip)
	ret
	.size	call_nop, .-call_nop

# Slot 3: instr_op again, but it is already in slot 1: slot 3 is clean.
	.globl	call_taken
	.type	call_taken, @function
call_taken:
	call	*pv_ops+24(%rip)
	ret
	.size	call_taken, .-call_taken

# Slot 4: a static function, relocated against its section.
	.globl	call_static
	.type	call_static, @function
call_static:
	call	*pv_ops+32(%rip)	# want "call to {dynamic}() leaves .noinstr.text section"
	ret	# want "pv_ops[4]: static_op"
	.size	call_static, .-call_static

# Slot 5: empty in the initialiser, installed by .init.text code.
	.globl	call_installed
	.type	call_installed, @function
call_installed:
	call	*pv_ops+40(%rip)	# want "call to {dynamic}() leaves .noinstr.text section"
	ret	# want "pv_ops[5]: init_op"
	.size	call_installed, .-call_installed

# Slot 6: nothing found: clean.
	.globl	call_empty
	.type	call_empty, @function
call_empty:
	call	*pv_ops+48(%rip)
	ret
	.size	call_empty, .-call_empty

# A dynamic call that is not through pv_ops.
	.globl	call_other
	.type	call_other, @function
call_other:
	call	*%rax	# want "call to {dynamic}() leaves .noinstr.text section"
	ret
	.size	call_other, .-call_other

	.text

	.globl	instr_op
	.type	instr_op, @function
instr_op:
	ret
	.size	instr_op, .-instr_op

	.globl	xen_op
	.type	xen_op, @function
xen_op:
	ret
	.size	xen_op, .-xen_op

	.type	static_op, @function
static_op:
	ret
	.size	static_op, .-static_op

	.globl	init_op
	.type	init_op, @function
init_op:
	ret
	.size	init_op, .-init_op

	.globl	_paravirt_nop
	.type	_paravirt_nop, @function
_paravirt_nop:
	ret
	.size	_paravirt_nop, .-_paravirt_nop

	.section .init.text, "ax"

	.globl	install
	.type	install, @function
install:
	movq	$init_op, pv_ops+40(%rip)
	ret
	.size	install, .-install

	.data

	.globl	pv_ops
	.type	pv_ops, @object
pv_ops:
	.quad	noinstr_op
	.quad	instr_op
	.quad	_paravirt_nop
	.quad	instr_op
	.quad	static_op
	.quad	0
	.quad	0
	.size	pv_ops, .-pv_ops

	.globl	xen_cpu_ops
	.type	xen_cpu_ops, @object
xen_cpu_ops:
	.quad	0
	.quad	xen_op
	.size	xen_cpu_ops, .-xen_cpu_ops
