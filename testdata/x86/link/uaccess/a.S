# objtool: --uaccess --link
#
# UACCESS (SMAP, EFLAGS.AC) and direction-flag rules over a linked object:
# with AC set, a function may call only the uaccess-safe functions of
# objtool's list, and must not return; with DF set, it may neither call
# nor return. The callees live in b.o, among them safe functions, which
# objtool walks from their entry with AC already set.

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

# ASM_STAC and ASM_CLAC: alternatives on X86_FEATURE_SMAP (9*32+20), whose
# original path --uaccess skips.
.macro ASM_STAC
	ALTERNATIVE "", "stac", 308
.endm

.macro ASM_CLAC
	ALTERNATIVE "", "clac", 308
.endm

	.text

	.globl	a_helper
	.type	a_helper, @function
a_helper:
	ret
	.size	a_helper, .-a_helper

# Clean: b.o's rep_movs_alternative is on the safe list.
	.globl	a_ua_safe
	.type	a_ua_safe, @function
a_ua_safe:
	ASM_STAC
	call	rep_movs_alternative
	ASM_CLAC
	ret
	.size	a_ua_safe, .-a_ua_safe

	.globl	a_ua_call
	.type	a_ua_call, @function
a_ua_call:
	ASM_STAC
	call	b_func	# want "call to b_func() with UACCESS enabled"
	ASM_CLAC
	ret
	.size	a_ua_call, .-a_ua_call

# A tail call is checked as a call.
	.globl	a_ua_tail
	.type	a_ua_tail, @function
a_ua_tail:
	stac
	jmp	b_func	# want "call to b_func() with UACCESS enabled"
	.size	a_ua_tail, .-a_ua_tail

	.globl	a_ua_ret
	.type	a_ua_ret, @function
a_ua_ret:
	ASM_STAC
	ret	# want "return with UACCESS enabled"
	.size	a_ua_ret, .-a_ua_ret

	.globl	a_df_call
	.type	a_df_call, @function
a_df_call:
	std
	call	b_func	# want "call to b_func() with DF set"
	cld
	ret
	.size	a_df_call, .-a_df_call

	.globl	a_df_ret
	.type	a_df_ret, @function
a_df_ret:
	std
	ret	# want "return with DF set"
	.size	a_df_ret, .-a_df_ret

# Both objects define a static __kasan_check_write, a name on the safe list.
# objtool marks the symbol its name lookup finds, one per name: the later
# in the linked symbol table, b.o's. a.o's is an ordinary function.
	.type	__kasan_check_write, @function
__kasan_check_write:
	clac	# want "redundant UACCESS disable"
	ret
	.size	__kasan_check_write, .-__kasan_check_write

	.globl	a_kasan_call
	.type	a_kasan_call, @function
a_kasan_call:
	stac
	call	__kasan_check_write	# want "call to __kasan_check_write() with UACCESS enabled"
	clac
	ret
	.size	a_kasan_call, .-a_kasan_call
