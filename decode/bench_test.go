package decode

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParse parses corpus objects with many relocations: the largest
// x86-64 one and one of 31,000 relocations from arm64. The objects are
// unpacked once; the sub-benchmarks time Parse alone.
func BenchmarkParse(b *testing.B) {
	for _, obj := range []struct{ archive, path string }{
		{"x86-orc", "kernel/sched/core.o"},
		{"arm64", "lib/zstd/zstd_compress.o"},
	} {
		dir := extractCorpus(b, obj.archive, obj.archive+"/"+obj.path)
		data, err := os.ReadFile(filepath.Join(dir, obj.path))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(obj.archive+"/"+obj.path, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse(obj.path, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
