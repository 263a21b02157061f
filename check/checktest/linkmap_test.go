package checktest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mapText is an ld -r -M map cut down to the shapes the reader meets:
// sections whose names are too long for their column, fill, patterns,
// symbols, an empty input section, and an output section not at 0.
const mapText = `Memory Configuration

Name             Origin             Length             Attributes
*default*        0x0000000000000000 0xffffffffffffffff

Linker script and memory map

LOAD x/a.o
LOAD x/b.o

.rela.text
 *(.rela.text)

.text           0x0000000000000000       0x11
 *(.text .stub)
 .text          0x0000000000000000        0x8 x/a.o
                0x0000000000000000                a
 *fill*         0x0000000000000008        0x8 
 .text          0x0000000000000010        0x1 x/b.o
                0x0000000000000010                b
 *(.gnu.warning)

.a_very_long_section_name_to_wrap_the_map
                0x0000000000000100        0x9
 .a_very_long_section_name_to_wrap_the_map
                0x0000000000000100        0x2 x/a.o
 *fill*         0x0000000000000102        0x6 
 .a_very_long_section_name_to_wrap_the_map
                0x0000000000000108        0x1 x/b.o

.data           0x0000000000000000        0x8
 *(.data)
 .data          0x0000000000000000        0x0 x/a.o
 .data          0x0000000000000000        0x8 x/b.o
OUTPUT(x.o elf64-x86-64)
`

func writeMap(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.map")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadLinkMap(t *testing.T) {
	path := writeMap(t, mapText)
	m, err := readLinkMap(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"x/a.o", "x/b.o"}; !slices.Equal(m.loads, want) {
		t.Errorf("loads %q, want %q", m.loads, want)
	}
	const long = ".a_very_long_section_name_to_wrap_the_map"
	want := map[inputSection]placedAt{
		{"x/a.o", ".text"}: {".text", 0, 8},
		{"x/b.o", ".text"}: {".text", 0x10, 1},
		{"x/a.o", long}:    {long, 0, 2},
		{"x/b.o", long}:    {long, 8, 1},
		{"x/a.o", ".data"}: {".data", 0, 0},
		{"x/b.o", ".data"}: {".data", 0, 8},
	}
	if len(m.placed) != len(want) {
		t.Errorf("placed %v, want %v", m.placed, want)
	}
	for k, w := range want {
		if got := m.placed[k]; got != w {
			t.Errorf("%v placed at %+v, want %+v", k, got, w)
		}
	}

	dir := filepath.Dir(path)
	srcs := []string{filepath.Join(dir, "x/a.S"), filepath.Join(dir, "x/b.S")}
	if err := m.checkLoads(srcs); err != nil {
		t.Error(err)
	}
	if err := m.checkLoads(srcs[:1]); err == nil {
		t.Error("a map linking two objects passed for one source")
	}
	place := m.placer(m.objectOf(srcs[1]))
	if out, base, err := place(".text"); out != ".text" || base != 0x10 || err != nil {
		t.Errorf("b.S .text placed at %s+0x%x, %v", out, base, err)
	}
	if _, _, err := place(".bss"); err == nil {
		t.Error("a section the map does not place was placed")
	}
}

func TestReadLinkMapErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, err string }{
		{"not a map", "hello\n", "not an ld -M map"},
		{"placed twice", "Linker script and memory map\n.text 0x0 0x2\n .text 0x0 0x1 a.o\n .text 0x1 0x1 a.o\n", "placed twice"},
		{"wrapped, no address", "Linker script and memory map\n.text 0x0 0x2\n .text.long\n .text 0x1 0x1 a.o\n", "without its address"},
		{"outside a section", "Linker script and memory map\n .text 0x0 0x1 a.o\n", "outside any output section"},
	} {
		_, err := readLinkMap(writeMap(t, tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
	}
}

// TestFixtureArgs: the first source of a linked fixture gives the
// arguments, and no other may.
func TestFixtureArgs(t *testing.T) {
	src := func(first string) *source { return &source{path: "x/" + first, lines: []string{first}} }
	args, err := fixtureArgs([]*source{src("# objtool: --ibt --link"), src("# b.o")})
	if err != nil || !slices.Equal(args, []string{"--ibt", "--link"}) {
		t.Errorf("args %q, %v", args, err)
	}
	if _, err := fixtureArgs([]*source{src("# a.o"), src("# objtool: --ibt")}); err == nil {
		t.Error("no arguments in the first source accepted")
	}
	if _, err := fixtureArgs([]*source{src("# objtool: --ibt"), src("# objtool: --ibt")}); err == nil {
		t.Error("arguments in a second source accepted")
	}
}
