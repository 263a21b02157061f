/*
 * Switch statements for arch/arm64's FindSwitch tests, built into
 * switch.o by build-switch.sh. GCC 12 turns a switch of 11 or more cases
 * into a jump table in .rodata (bytes or halfwords, relative to an adr
 * label); the tests list, per function, the case targets read off objdump.
 */

extern int f0(int), f1(int), f2(int), f3(int), f4(int), f5(int), f6(int), f7(int);
extern int f8(int), f9(int), f10(int), f11(int), f12(int), f13(int), f14(int), f15(int);
extern void g(void);

/* Code GCC knows the size of (it counts the lines of an asm). */
#define NOP10 "nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\t"
#define NOP50 NOP10 NOP10 NOP10 NOP10 NOP10
#define PAD200() asm volatile(NOP50 NOP50 NOP50 NOP50)

/* Dense small range: a byte table, cmp + b.hi default falling through. */
int sw_byte(int x)
{
	switch (x) {
	case 0: return f0(x) + 1;
	case 1: return f1(x) + 2;
	case 2: return f2(x) + 3;
	case 3: return f3(x) + 4;
	case 5: return f4(x) + 5;
	case 6: return f5(x) + 6;
	case 7: return f6(x) + 7;
	case 8: return f7(x) + 8;
	case 9: return f8(x) + 9;
	case 10: return f9(x) + 10;
	case 11: return f10(x) + 11;
	case 12: return f11(x) + 12;
	default: return -1;
	}
}

/* Case bodies too far apart for a byte: a halfword table. */
int sw_half(int x)
{
	switch (x) {
	case 1: PAD200(); return f0(x) + 1;
	case 2: PAD200(); return f1(x) + 2;
	case 3: PAD200(); return f2(x) + 3;
	case 4: return f3(x) + 4;
	case 6: return f4(x) + 5;
	case 7: return f5(x) + 6;
	case 8: return f6(x) + 7;
	case 9: return f7(x) + 8;
	case 10: return f8(x) + 9;
	case 11: return f9(x) + 10;
	case 12: return f10(x) + 11;
	case 14: return f11(x) + 12;
	default: return 0;
	}
}

/* Negative cases: GCC rebases the index (add w0, w0, #5). */
int sw_signed(int x)
{
	switch (x) {
	case -5: return f0(x) * 3;
	case -4: return f1(x) * 5;
	case -3: return f2(x) * 7;
	case -1: return f3(x) * 11;
	case 0: return f4(x) * 13;
	case 1: return f5(x) * 17;
	case 2: return f6(x) * 19;
	case 3: return f7(x) * 23;
	case 4: return f8(x) * 29;
	case 5: return f9(x) * 31;
	case 7: return f10(x) * 37;
	default: return 7;
	}
}

/* Unsigned cases far from zero. */
unsigned int sw_unsigned(unsigned int x)
{
	switch (x) {
	case 100: return f0(1) + 10;
	case 101: return f1(2) + 20;
	case 104: return f2(3) + 30;
	case 105: return f3(4) + 40;
	case 106: return f4(5) + 50;
	case 107: return f5(6) + 60;
	case 108: return f6(7) + 70;
	case 110: return f7(8) + 80;
	case 111: return f8(9) + 90;
	case 112: return f9(10) + 100;
	case 113: return f10(11) + 110;
	case 116: return f11(12) + 120;
	default: return 0;
	}
}

/* Every value of x & 15 has a case: no compare, the and bounds it. */
int sw_masked(int x)
{
	switch (x & 15) {
	case 0: return f0(x) + 1;
	case 1: return f1(x) + 2;
	case 2: return f2(x) + 3;
	case 3: return f3(x) + 4;
	case 4: return f4(x) + 5;
	case 5: return f5(x) + 6;
	case 6: return f6(x) + 7;
	case 7: return f7(x) + 8;
	case 8: return f8(x) + 9;
	case 9: return f9(x) + 10;
	case 10: return f10(x) + 11;
	case 11: return f11(x) + 12;
	case 12: return f12(x) + 13;
	case 13: return f13(x) + 14;
	case 14: return f14(x) + 15;
	case 15: return f15(x) + 16;
	}
	return 0;
}

/* A switch and a tail call through a register in one function. */
struct ops {
	int (*fn)(int);
};

int sw_tail(const struct ops *o, int x)
{
	switch (x) {
	case 10: return f0(x) + 1;
	case 11: return f1(x) + 2;
	case 12: return f2(x) + 3;
	case 13: return f3(x) + 4;
	case 15: return f4(x) + 5;
	case 16: return f5(x) + 6;
	case 17: return f6(x) + 7;
	case 18: return f7(x) + 8;
	case 19: return f8(x) + 9;
	case 20: return f9(x) + 10;
	case 21: return f10(x) + 11;
	default: return o->fn(x);
	}
}

/* A switch in a loop with calls: the table address is kept in a
 * callee-saved register, set up before the loop. */
int sw_loop(const char *s)
{
	int n = 0;

	for (; *s; s++) {
		switch (*s) {
		case 'a': n += f0(n); break;
		case 'b': n += f1(n); break;
		case 'c': n += f2(n); break;
		case 'e': n += f3(n); break;
		case 'f': n -= f4(n); break;
		case 'g': n ^= f5(n); break;
		case 'i': n |= f6(n); break;
		case 'j': n &= f7(n); break;
		case 'k': n += f8(n) * 3; break;
		case 'l': n += f9(n) * 5; break;
		case 'm': n += f10(n) * 7; break;
		case 'o': g(); break;
		default: n++; break;
		}
	}
	return n;
}

/* The bound is checked before an earlier test, and the dispatch is
 * reached by a branch (b.ls) from there. */
int sw_early(unsigned int x, int y)
{
	if (x > 40)
		return -1;
	if (y)
		g();
	switch (x) {
	case 0: return f0(y);
	case 3: return f1(y);
	case 9: return f2(y);
	case 12: return f3(y);
	case 17: return f4(y);
	case 20: return f5(y);
	case 23: return f6(y);
	case 28: return f7(y);
	case 30: return f8(y);
	case 33: return f9(y);
	case 36: return f10(y);
	case 40: return f11(y);
	default: return 2;
	}
}
