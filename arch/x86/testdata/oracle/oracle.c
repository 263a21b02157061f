/*
 * The decode oracle for objcheck's arch/x86 tests: a driver around Linux
 * 6.12 objtool's own x86 decoder (see build.sh).
 *
 * Reads lines of hex, one instruction's bytes each (at most 15 are used),
 * and prints for each, as objtool's arch_decode_instruction sees it at
 * offset 0 of a section that ends with the bytes:
 *
 *   0 LEN TYPE IMMEDIATE WARN NOPS [DTYPE,DREG,DOFF,STYPE,SREG,SOFF]...
 *
 * or "0 ERR" where objtool would fail. TYPE is enum insn_type, the ops are
 * struct stack_op in list order, WARN is '-' or the first letter of the
 * warning decode.c printed. With ORACLE_FUNC set, every offset lies in an
 * STT_FUNC symbol (which only changes iret).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <objtool/check.h>
#include <objtool/elf.h>
#include <objtool/arch.h>
#include <objtool/builtin.h>

struct opts opts;
const char *objname = "x.o";
static char warnbuf[512];
int oracle_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap; va_start(ap, fmt);
	vsnprintf(warnbuf, sizeof warnbuf, fmt, ap); va_end(ap);
	return 0;
}
static int func_mode;
static struct symbol fsym;
struct symbol *find_symbol_containing(const struct section *sec, unsigned long offset)
{ if (!func_mode) return NULL; fsym.type = STT_FUNC; return &fsym; }
struct reloc *find_reloc_by_dest(const struct elf *elf, struct section *sec, unsigned long offset) { return NULL; }
struct symbol *find_symbol_by_offset(struct section *sec, unsigned long offset) { return NULL; }
void objtool_pv_add(struct objtool_file *file, int idx, struct symbol *func) { }

static struct elf elf;
static struct objtool_file file;
static struct section sec;
static Elf_Data data;

static int dec(unsigned char *buf, unsigned long off, unsigned int max, struct instruction *insn)
{
	memset(insn, 0, sizeof(*insn));
	warnbuf[0] = 0;
	data.d_buf = buf;
	return arch_decode_instruction(&file, &sec, off, max, insn);
}

static void pr(unsigned long off, struct instruction *in)
{
	struct stack_op *op; int n = 0;
	char w = '-';
	if (warnbuf[0]) { char *p = strstr(warnbuf, "objtool: "); w = p ? p[9] : '?'; }
	for (op = in->stack_ops; op; op = op->next) n++;
	printf("%lx %d %d %ld %c %d", off, in->len, in->type, (long)in->immediate, w, n);
	for (op = in->stack_ops; op; op = op->next)
		printf(" %d,%d,%d,%d,%d,%d", op->dest.type, op->dest.reg, op->dest.offset,
		       op->src.type, op->src.reg, op->src.offset);
	printf("\n");
}

static int unhex(int c){ return c<='9'? c-'0' : (c|32)-'a'+10; }

int main(void)
{
	struct instruction in;
	elf.ehdr.e_machine = EM_X86_64;
	file.elf = &elf;
	sec.data = &data; sec.name = ".text";
	if (getenv("ORACLE_FUNC")) func_mode = 1;
	char line[256];
	while (fgets(line, sizeof line, stdin)) {
		unsigned char b[128]; int n = 0, i;
		for (i = 0; line[i] && line[i+1] && line[i] != '\n'; i += 2) b[n++] = unhex(line[i])*16 + unhex(line[i+1]);
		if (dec(b, 0, n, &in) < 0) printf("0 ERR\n"); else pr(0, &in);
		fflush(stdout);
	}
	return 0;
}
