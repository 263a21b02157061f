package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
)

// copyObject copies a shipped object into a fresh folder with mode perm and
// returns its path.
func copyObject(t *testing.T, src string, perm os.FileMode) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.WriteFile(path, data, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWrite: writing replaces the object, keeps its mode, leaves no
// temporary file behind, and --backup keeps the input as file.o.orig
// (with --dry-run too, as objtool).
func TestWrite(t *testing.T) {
	const src = "../../testdata/x86/orc.o"
	in, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		args    []string
		changed bool
		backup  bool
	}{
		{"write", []string{"--orc", "--retpoline"}, true, false},
		{"dry run", []string{"--orc", "--dry-run"}, false, false},
		{"nothing to write", []string{"--stackval"}, false, false},
		{"backup", []string{"--orc", "--backup"}, true, true},
		{"backup with dry run", []string{"--orc", "--backup", "--dry-run"}, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := copyObject(t, src, 0o640)
			rc, _, stderr := runWith(realCLI(), nil, append(tt.args, path)...)
			if rc != 0 {
				t.Fatalf("exit %d:\n%s", rc, stderr)
			}
			out, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if changed := !bytes.Equal(out, in); changed != tt.changed {
				t.Errorf("file changed: %v, want %v", changed, tt.changed)
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
				t.Errorf("mode after writing: %v, %v; want -rw-r-----", fi.Mode(), err)
			}
			orig, err := os.ReadFile(path + ".orig")
			if tt.backup != (err == nil) || tt.backup && !bytes.Equal(orig, in) {
				t.Errorf("backup: %v (err %v), want one identical to the input: %v", orig != nil, err, tt.backup)
			}
			names, _ := os.ReadDir(filepath.Dir(path))
			for _, e := range names {
				if strings.Contains(e.Name(), ".objcheck-") {
					t.Errorf("temporary file left: %s", e.Name())
				}
			}
		})
	}
}

// TestWriteFailure: when the object cannot be written, one line says so,
// the status is objtool's for a failed write (255), and the input is left
// as it was.
func TestWriteFailure(t *testing.T) {
	path := copyObject(t, "../../testdata/x86/orc.o", 0o644)
	in, _ := os.ReadFile(path)
	// A section alignment that is not a power of two: libelf refuses to
	// lay such a file out, and so does objcheck.
	bad := append([]byte(nil), in...)
	le := binary.LittleEndian
	shoff := le.Uint64(bad[0x28:])
	le.PutUint64(bad[shoff+64+0x30:], 3) // section 1's sh_addralign
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	rc, _, stderr := runWith(realCLI(), nil, "--orc", path)
	if rc != exitWrite {
		t.Errorf("exit %d, want %d", rc, exitWrite)
	}
	if want := path + ": error: objcheck: can't write the object: section 1 (.text): bad alignment 0x3\n"; !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr %q, want it to end in %q", stderr, want)
	}
	if out, _ := os.ReadFile(path); !bytes.Equal(out, bad) {
		t.Error("the input was changed")
	}
}

// realCLI is the command with its real steps.
func realCLI() *cli { return &cli{open: decode.Open, check: check.Run} }
