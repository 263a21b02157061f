package ehframe

import (
	"path/filepath"
	"testing"

	"github.com/objcheck/objcheck/decode"
)

// BenchmarkRead reads the CFI of every testdata object once per iteration.
func BenchmarkRead(b *testing.B) {
	paths, err := filepath.Glob("testdata/*.o")
	if err != nil || len(paths) == 0 {
		b.Fatalf("no test objects: %v", err)
	}
	var files []*decode.File
	for _, p := range paths {
		f, err := decode.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, f)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if _, err := Read(f); err != nil {
				b.Fatal(err)
			}
		}
	}
}
