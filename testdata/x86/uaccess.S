# objtool: --uaccess
#
# UACCESS (SMAP, EFLAGS.AC) rules, checked with --uaccess. stac and clac are
# decoded directly; ASM_STAC/ASM_CLAC wrap them in an alternative on
# X86_FEATURE_SMAP (9*32+20), whose original path --uaccess skips.

# altinstr_entry and ALTERNATIVE as in arch/x86/include/asm/alternative.h
# (6.12): struct alt_instr is 14 bytes.
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

.macro ASM_STAC
	ALTERNATIVE "", "stac", 308
.endm

.macro ASM_CLAC
	ALTERNATIVE "", "clac", 308
.endm

	.text

# Clean: a user access bracketed by stac/clac.
	.globl	ua_ok
	.type	ua_ok, @function
ua_ok:
	stac
	mov	(%rdi), %eax
	clac
	ret
	.size	ua_ok, .-ua_ok

# Clean: the same with the kernel's ASM_STAC/ASM_CLAC alternatives.
	.globl	ua_alt_ok
	.type	ua_alt_ok, @function
ua_alt_ok:
	ASM_STAC
	mov	(%rdi), %eax
	ASM_CLAC
	ret
	.size	ua_alt_ok, .-ua_alt_ok

# Clean: calls to functions on objtool's uaccess-safe list are allowed.
	.globl	ua_safe_call
	.type	ua_safe_call, @function
ua_safe_call:
	stac
	call	__asan_load8_noabort
	clac
	ret
	.size	ua_safe_call, .-ua_safe_call

	.globl	ua_ret
	.type	ua_ret, @function
ua_ret:
	stac
	ret	# want "return with UACCESS enabled"
	.size	ua_ret, .-ua_ret

# The warning is at the ret, not inside the alternative.
	.globl	ua_alt_ret
	.type	ua_alt_ret, @function
ua_alt_ret:
	ASM_STAC
	ret	# want "return with UACCESS enabled"
	.size	ua_alt_ret, .-ua_alt_ret

	.globl	ua_call
	.type	ua_call, @function
ua_call:
	stac
	call	ext_func	# want "call to ext_func() with UACCESS enabled"
	clac
	ret
	.size	ua_call, .-ua_call

	.globl	ua_dyncall
	.type	ua_dyncall, @function
ua_dyncall:
	stac
	call	*%rax	# want "call to {dynamic}() with UACCESS enabled"
	clac
	ret
	.size	ua_dyncall, .-ua_dyncall

	.globl	ua_recursive
	.type	ua_recursive, @function
ua_recursive:
	stac
	stac	# want "recursive UACCESS enable"
	clac
	ret
	.size	ua_recursive, .-ua_recursive

	.globl	ua_redundant
	.type	ua_redundant, @function
ua_redundant:
	clac	# want "redundant UACCESS disable"
	ret
	.size	ua_redundant, .-ua_redundant

# A function on the uaccess-safe list starts with UACCESS enabled and may
# return that way...
	.globl	csum_partial_copy_generic
	.type	csum_partial_copy_generic, @function
csum_partial_copy_generic:
	mov	(%rdi), %eax
	ret
	.size	csum_partial_copy_generic, .-csum_partial_copy_generic

# ...but must not disable it.
	.globl	copy_mc_fragile
	.type	copy_mc_fragile, @function
copy_mc_fragile:
	clac	# want "UACCESS-safe disables UACCESS"
	ret
	.size	copy_mc_fragile, .-copy_mc_fragile
