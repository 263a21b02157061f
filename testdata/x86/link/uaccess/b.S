# The callees of a.o: an ordinary function, and functions on objtool's
# uaccess-safe list, defined here.

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

	.text

	.globl	b_func
	.type	b_func, @function
b_func:
	ret
	.size	b_func, .-b_func

# Clean: a safe function starts with AC set and may return so.
	.globl	rep_movs_alternative
	.type	rep_movs_alternative, @function
rep_movs_alternative:
	movb	(%rsi), %al
	movb	%al, (%rdi)
	ret
	.size	rep_movs_alternative, .-rep_movs_alternative

# With AC set from its entry, a safe function may not call an unsafe one,
# here a.o's.
	.globl	rep_stos_alternative
	.type	rep_stos_alternative, @function
rep_stos_alternative:
	call	a_helper	# want "call to a_helper() with UACCESS enabled"
	ret
	.size	rep_stos_alternative, .-rep_stos_alternative

	.globl	copy_mc_enhanced_fast_string
	.type	copy_mc_enhanced_fast_string, @function
copy_mc_enhanced_fast_string:
	clac	# want "UACCESS-safe disables UACCESS"
	ret
	.size	copy_mc_enhanced_fast_string, .-copy_mc_enhanced_fast_string

# A pushf in an alternative saves the AC state, so the clac after it is
# allowed; the return before the popf is not.
	.globl	copy_to_nontemporal
	.type	copy_to_nontemporal, @function
copy_to_nontemporal:
	ALTERNATIVE "pushf", "pushf", 0
	clac
	ret	# want "return with UACCESS disabled from a UACCESS-safe function"
	.size	copy_to_nontemporal, .-copy_to_nontemporal

# Clean: the same, with the popf.
	.globl	copy_mc_fragile_handle_tail
	.type	copy_mc_fragile_handle_tail, @function
copy_mc_fragile_handle_tail:
	ALTERNATIVE "pushf", "pushf", 0
	clac
	ALTERNATIVE "popf", "popf", 0
	ret
	.size	copy_mc_fragile_handle_tail, .-copy_mc_fragile_handle_tail

# b.o's static __kasan_check_write is the one on the safe list (see a.S):
# the call is clean, the clac is not.
	.type	__kasan_check_write, @function
__kasan_check_write:
	clac	# want "UACCESS-safe disables UACCESS"
	ret
	.size	__kasan_check_write, .-__kasan_check_write

	.globl	b_kasan_call
	.type	b_kasan_call, @function
b_kasan_call:
	stac
	call	__kasan_check_write
	clac
	ret
	.size	b_kasan_call, .-b_kasan_call
