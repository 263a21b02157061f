/* Source lines for --format: GCC's own line table (DWARF 5). */
void ext(int);

void twice(int x)
{
	ext(x);
	ext(x + 1);
}
