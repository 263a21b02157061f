/*
 * Switch statements for arch/ppc64's switch-table finder (switch_test.go).
 * build-switch.sh compiles this file with kernel-like flags into
 * switch-le.o, switch-be.o, switch-small.o and switch-p10.o; the test lists
 * each function's expected table targets as objdump shows them. The
 * functions are noinline and take their operands as arguments so that GCC
 * keeps one table per switch.
 */

#define noinline __attribute__((noinline))

typedef int (*handler_t)(int);

extern int ext0(int), ext1(int), ext2(int), ext3(int), ext4(int), ext5(int);
extern int ext6(int), ext7(int), ext8(int), ext9(int);

/* A small dense range: cmplwi rX,5 + bgt, sldi, 6 entries. */
noinline int dense(unsigned int x, int y)
{
	switch (x) {
	case 0: return ext0(y);
	case 1: return ext1(y + 1);
	case 2: return ext2(y * 3);
	case 3: return ext3(y - 7);
	case 4: return ext4(y ^ 5);
	case 5: return ext5(y << 2);
	}
	return -1;
}

/* A range that starts above zero and has holes: addi + cmplwi. */
noinline int offset_range(int x, int y)
{
	switch (x) {
	case 100: return ext0(y);
	case 101: return ext1(y);
	case 103: return ext2(y);
	case 104: return ext3(y);
	case 107: return ext4(y);
	case 110: return ext5(y);
	case 111: return ext6(y);
	case 115: return ext7(y);
	case 120: return ext8(y);
	}
	return 0;
}

/* A character class: the byte is masked (clrlwi) before the compare and
 * the index is shifted with rldic, as in vsprintf's format_decode. */
noinline int classify(const char *p, int y)
{
	switch (*p - 'a') {
	case 'a' - 'a': return ext0(y);
	case 'c' - 'a': return ext1(y);
	case 'd' - 'a': return ext2(y);
	case 'i' - 'a': return ext3(y);
	case 'o' - 'a': return ext4(y);
	case 's' - 'a': return ext5(y);
	case 'u' - 'a': return ext6(y);
	case 'x' - 'a': return ext7(y);
	}
	return 0;
}

/* A 64-bit index: cmpldi. */
noinline long wide(unsigned long x, long y)
{
	switch (x) {
	case 0: return y;
	case 1: return y + 11;
	case 2: return y * 13;
	case 3: return y - 17;
	case 4: return y ^ 19;
	case 5: return y | 23;
	case 6: return y & 29;
	}
	return 0;
}

/* Every value of a mask has a case: no compare, the mask bounds it. */
noinline int masked(unsigned int x, int y)
{
	switch (x & 7) {
	case 0: return ext0(y);
	case 1: return ext1(y);
	case 2: return ext2(y);
	case 3: return ext3(y);
	case 4: return ext4(y);
	case 5: return ext5(y);
	case 6: return ext6(y);
	case 7: return ext7(y);
	}
	return 0;
}

/* A switch in a loop, reached from the loop's head. */
noinline int parse(const unsigned char *s)
{
	int n = 0;

	for (;;) {
		switch (*s++) {
		case 0: return n;
		case '+': n += 1; break;
		case '-': n -= 1; break;
		case '*': n *= 2; break;
		case '/': n /= 2; break;
		case '<': n <<= 1; break;
		case '>': n >>= 1; break;
		case '0' ... '9': n = n * 10 + s[-1] - '0'; break;
		default: n ^= 0x55; break;
		}
	}
}

/* Two switches in one function, and a tail call through a pointer. */
noinline int two(int a, int b, handler_t h)
{
	int r;

	switch (a) {
	case 1: r = ext1(b); break;
	case 2: r = ext2(b); break;
	case 3: r = ext3(b); break;
	case 4: r = ext4(b); break;
	case 5: r = ext5(b); break;
	case 6: r = ext6(b); break;
	default: r = 0; break;
	}
	switch (b) {
	case 10: r += ext0(a); break;
	case 11: r += ext1(a); break;
	case 12: r += ext2(a); break;
	case 13: r += ext3(a); break;
	case 14: r += ext4(a); break;
	case 15: r += ext5(a); break;
	default: break;
	}
	return h(r);
}

/* Only a tail call through a function pointer. */
noinline int call_through(handler_t h, int x)
{
	return h(x + 1);
}

/* Calls through a table of function pointers: a table, but not a switch. */
static const handler_t handlers[] = { ext0, ext1, ext2, ext3 };

noinline int dispatch(unsigned int i, int x)
{
	return handlers[i & 3](x);
}

/* A computed goto through a table of label addresses in a data section,
 * as in the BPF interpreter: 64-bit absolute entries, each relocated. */
noinline int interp(const unsigned char *pc, int acc)
{
	static const void *const jumptable[256] = {
		[0 ... 255] = &&out,
		[1] = &&op_add, [2] = &&op_dbl, [3] = &&op_sub, [4] = &&op_neg,
	};
#define NEXT goto *jumptable[*pc++]
	NEXT;
op_add:
	acc += pc[0];
	pc++;
	NEXT;
op_dbl:
	acc *= 2;
	NEXT;
op_sub:
	acc -= pc[0];
	pc++;
	NEXT;
op_neg:
	acc = -acc;
	NEXT;
out:
	return acc;
}
