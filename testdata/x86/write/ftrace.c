/* Functions as a kernel with CONFIG_FUNCTION_TRACER compiles them (-pg
 * -mfentry, no -mrecord-mcount): each starts with a call to __fentry__,
 * which objtool --mcount lists in __mcount_loc and --mnop turns into a
 * nop. noinstr code calling a sanitizer hook is what --hacks=noinstr
 * rewrites. */
extern void __sanitizer_cov_trace_pc(void);
extern int ext(int);

int traced(int x) { return ext(x) + 1; }

static int __attribute__((noinline)) helper(int x) { return ext(x * 3); }

int traced_twice(int x) { return helper(x) + helper(x + 1); }

__attribute__((section(".noinstr.text"))) int quiet(int x)
{
	__sanitizer_cov_trace_pc();
	return x + 2;
}

__attribute__((section(".noinstr.text"))) void quiet_tail(void)
{
	__sanitizer_cov_trace_pc();
}
