package filemap

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestMap: a regular file maps to its contents, which Forget leaves as
// they were; what cannot be mapped says so, for the caller to read.
func TestMap(t *testing.T) {
	dir := t.TempDir()
	want := bytes.Repeat([]byte("objcheck"), 3*pageSize)
	for _, tt := range []struct {
		name    string
		content []byte // nil: a directory
		absent  bool   // no file at all
		ok      bool
	}{
		{name: "file", content: want, ok: true},
		{name: "empty", content: []byte{}, ok: false},
		{name: "dir", content: nil, ok: false},
		{name: "absent", absent: true, ok: false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			switch {
			case tt.absent:
			case tt.content == nil:
				if err := os.Mkdir(path, 0o755); err != nil {
					t.Fatal(err)
				}
			default:
				if err := os.WriteFile(path, tt.content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, ok := Map(path)
			if ok != tt.ok {
				t.Fatalf("Map ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if !bytes.Equal(data, tt.content) {
				t.Fatalf("mapped contents differ from the file's")
			}
			Forget(data[100 : 2*pageSize+100])
			Forget(data[:0])
			if !bytes.Equal(data, tt.content) {
				t.Errorf("contents changed after Forget")
			}
		})
	}
}

// TestInterior: only pages wholly inside a span are forgotten.
func TestInterior(t *testing.T) {
	for _, tt := range []struct {
		start, n, lo, hi uintptr
	}{
		{0, pageSize, 0, pageSize},
		{1, pageSize, pageSize, pageSize},
		{100, 3 * pageSize, pageSize, 3 * pageSize},
		{pageSize, 2*pageSize + 5, pageSize, 3 * pageSize},
		{10, 20, pageSize, pageSize},
	} {
		lo, hi := interior(tt.start, tt.n)
		if lo != tt.lo || hi != tt.hi {
			t.Errorf("interior(%d, %d) = %d, %d, want %d, %d", tt.start, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
}
