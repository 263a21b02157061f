package check_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
)

// FuzzCheck runs the whole pipeline, parsing and checking, on mutated
// objects: whatever the bytes, Parse either refuses them or the checker
// runs to the end without panicking, with every validating option on.
func FuzzCheck(f *testing.F) {
	for _, glob := range []string{"../testdata/x86/*.o", "../testdata/arm64/*.o", "../testdata/ppc64/*.o"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	opts := &check.Options{Stackval: true, Uaccess: true, Retpoline: true, Rethunk: true,
		SLS: true, IBT: true, DWARF: true, DryRun: true, Backtrace: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, err := decode.Parse("fuzz.o", data)
		if err != nil {
			return
		}
		check.Run(obj, opts)
	})
}
