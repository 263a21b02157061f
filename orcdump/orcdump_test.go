package orcdump

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A result is what one --dump run gave.
type result struct {
	Stdout, Stderr string
	Status         int
}

// dumpResult runs Dump on path.
func dumpResult(path string) result {
	var stdout, stderr bytes.Buffer
	status := Dump(path, &stdout, &stderr)
	return result{stdout.String(), stderr.String(), status}
}

// TestFixtures compares Dump with what the real objtool printed for each
// case in testdata (X.dump, X.ref and X.rc, written by build.sh), run from
// testdata on the bare file name as build.sh ran objtool.
func TestFixtures(t *testing.T) {
	t.Chdir("testdata")
	rcs, err := filepath.Glob("*.rc")
	if err != nil || len(rcs) < 3 {
		t.Fatalf("no fixtures in testdata: %v", err)
	}
	for _, rc := range rcs {
		name := strings.TrimSuffix(rc, ".rc")
		t.Run(name, func(t *testing.T) {
			status, err := strconv.Atoi(strings.TrimSpace(readFile(t, rc)))
			if err != nil {
				t.Fatal(err)
			}
			want := result{readFile(t, name+".dump"), readFile(t, name+".ref"), status}
			if diff := cmp.Diff(want, dumpResult(name)); diff != "" {
				t.Errorf("Dump(%q) differs from objtool --dump=orc (-objtool +Dump):\n%s", name, diff)
			}
		})
	}
}

// TestCases checks cases that need no objtool to state, with the texts
// objtool 6.12 prints for them.
func TestCases(t *testing.T) {
	dir := t.TempDir()
	orc, err := os.ReadFile("testdata/orc.o")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	elf32 := append([]byte(nil), orc...)
	elf32[4] = 1 // ELFCLASS32
	badVersion := append([]byte(nil), orc...)
	badVersion[6] = 2
	// orc.o's section header table is at its end: cut there, libelf sees
	// no sections at all.
	cut := orc[:len(orc)-64]

	tests := []struct {
		name string
		path string
		want result
	}{
		{"directory", dir, result{
			Stderr: dir + ": warning: objtool: elf_begin: invalid file descriptor\n", Status: 255}},
		{"empty", write("empty.o", nil), result{
			Stderr: filepath.Join(dir, "empty.o") + ": warning: objtool: elf64_getehdr: invalid `Elf' handle\n", Status: 255}},
		{"short header", write("short.o", orc[:40]), result{
			Stderr: filepath.Join(dir, "short.o") + ": warning: objtool: elf64_getehdr: invalid `Elf' handle\n", Status: 255}},
		{"archive", write("lib.a", []byte("!<arch>\n")), result{
			Stderr: filepath.Join(dir, "lib.a") + ": warning: objtool: elf64_getehdr: invalid `Elf' handle\n", Status: 255}},
		{"elf32", write("elf32.o", elf32), result{
			Stderr: filepath.Join(dir, "elf32.o") + ": warning: objtool: elf64_getehdr: invalid binary class\n", Status: 255}},
		{"EI_VERSION", write("version.o", badVersion), result{
			Stderr: filepath.Join(dir, "version.o") + ": warning: objtool: elf64_getehdr: invalid `Elf' handle\n", Status: 255}},
		{"section headers cut off", write("cut.o", cut), result{}},
		{"no such file", filepath.Join(dir, "missing.o"), result{
			Stderr: "open: No such file or directory\n", Status: 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, dumpResult(tt.path)); diff != "" {
				t.Errorf("Dump(%q) (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

// TestPrint checks orc_print_dump's texts for every register and type,
// including those objtool never writes.
func TestPrint(t *testing.T) {
	tests := []struct {
		order binary.ByteOrder
		entry [6]byte
		want  string
	}{
		{binary.LittleEndian, [6]byte{8, 0, 0, 0, 0x05, 0x02}, "type:call sp:sp+8 bp:(und) signal:0\n"},
		// A big-endian file: objtool swaps the offsets, not the bit fields.
		{binary.BigEndian, [6]byte{0, 8, 0xff, 0xf0, 0x45, 0x02}, "type:call sp:sp+8 bp:bp-16 signal:0\n"},
		{binary.LittleEndian, [6]byte{0xf0, 0xff, 0x10, 0, 0x41, 0x0b}, "type:regs sp:prevsp-16 bp:bp+16 signal:1\n"},
		{binary.LittleEndian, [6]byte{0, 0, 0, 0, 0x00, 0x01}, "type:end sp:(und) bp:(und) signal:0\n"},
		{binary.LittleEndian, [6]byte{0, 0, 0xf8, 0xff, 0x89, 0x04}, "type:regs (partial) sp:(sp)+0 bp:(bp-8) signal:0\n"},
		{binary.LittleEndian, [6]byte{1, 0, 2, 0, 0x32, 0x05}, "type:? sp:dx+1 bp:di+2 signal:0\n"},
		{binary.LittleEndian, [6]byte{0xff, 0x7f, 0x00, 0x80, 0x76, 0x07}, "type:? sp:r10+32767 bp:r13-32768 signal:0\n"},
		{binary.LittleEndian, [6]byte{0, 0, 0, 0, 0xfa, 0xf6}, "type:? sp:?+0 bp:?+0 signal:0\n"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		d := &dumper{order: tt.order, out: bufio.NewWriter(&out)}
		d.entry(tt.entry[:])
		d.out.Flush()
		if got := out.String(); got != tt.want {
			t.Errorf("entry % x: got %q, want %q", tt.entry, got, tt.want)
		}
	}
}

// FuzzDump checks that no file makes Dump panic, and that it returns one
// of objtool's two statuses. The seeds are the fixtures.
func FuzzDump(f *testing.F) {
	for _, name := range []string{"orc.o", "entry_64_compat.o", "linked.elf", "noreloc.o", "badsize.o", "shortrela.o", "plain.o"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	path := filepath.Join(f.TempDir(), "fuzz.o")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if status := Dump(path, io.Discard, io.Discard); status != 0 && status != 255 {
			t.Errorf("status %d", status)
		}
	})
}

// readFile returns the contents of name.
func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
