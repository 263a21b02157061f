# objtool: --stackval --retpoline
# Linux 6.14 moved objtool's instruction annotations into one section,
# .discard.annotate_insn: entries { .long label - . ; .long type }. objcheck
# reads both encodings; objtool 6.12 knows only the per-type sections, so
# these expectations are objcheck's (no .ref).

	.text

# An indirect call annotated RETPOLINE_SAFE (type 2): not reported.
	.globl	safe_call
	.type	safe_call, @function
safe_call:
	pushq	%rbp
	movq	%rsp, %rbp
2:	call	*%rax
	.pushsection .discard.annotate_insn, "M", @progbits, 8
	.long	2b - .
	.long	2
	.popsection
	popq	%rbp
	ret
	.size	safe_call, .-safe_call

# The same call without the annotation is reported.
	.globl	unsafe_call
	.type	unsafe_call, @function
unsafe_call:
	pushq	%rbp
	movq	%rsp, %rbp
	call	*%rax	# want "indirect call found in MITIGATION_RETPOLINE build"
	popq	%rbp
	ret
	.size	unsafe_call, .-unsafe_call

# An annotated intra-function call (type 7): a jump that keeps its push.
	.globl	intra_call
	.type	intra_call, @function
intra_call:
3:	call	4f
	.pushsection .discard.annotate_insn, "M", @progbits, 8
	.long	3b - .
	.long	7
	.popsection
	int3
4:	addq	$8, %rsp
	ret
	.size	intra_call, .-intra_call
