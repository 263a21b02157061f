/* Functions whose call-frame information exercises the CFA instructions
 * GCC emits: frames set up and torn down, saved registers, shrink-wrapped
 * early returns (remember/restore state), a frame-pointer CFA (alloca),
 * large frames, cold parts in .text.unlikely, another text section. */
#include <stdarg.h>

extern int ext(int);
extern int ext2(int, int);
extern void ext_buf(char *, long);
extern void fail(const char *) __attribute__((noreturn));

int leaf(int a, int b) { return a * b + 3; }

int saves(int a, int b, int c)
{
	int x = ext(a);
	int y = ext(b + x);
	int z = ext(c + y);
	return x + y + z + ext2(a, c);
}

int early(int a)
{
	if (a < 0)
		return -1;
	int r = ext(a);
	r += ext(r);
	if (r == 7)
		return ext2(r, a);
	return r * 3;
}

int dynamic(long n)
{
	char *buf = __builtin_alloca(n);
	ext_buf(buf, n);
	return buf[0] + ext((int)buf[n - 1]);
}

int big(int a)
{
	char buf[70000];
	ext_buf(buf, sizeof(buf));
	return buf[a] + ext(buf[a + 1]);
}

int cold(int a)
{
	if (__builtin_expect(a == 42, 0)) {
		ext(1);
		ext(2);
		fail("forty-two");
	}
	return ext(a) + 1;
}

__attribute__((section(".text.other"), noinline)) int other(int a)
{
	return ext(a) + ext(a + 1);
}

int sum(int n, ...)
{
	va_list ap;
	int s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, int);
	va_end(ap);
	return s + ext(s);
}

int many(int a, int b, int c, int d, int e, int f)
{
	int r = 0;
	for (int i = 0; i < a; i++)
		r += ext2(ext(b + i), ext(c * i)) + ext2(d, e) * f;
	return r + other(r);
}

__attribute__((cold, noinline)) int unlikely(int a)
{
	return ext(a) * ext(a + 2);
}
