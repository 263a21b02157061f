package objwrite

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"testing"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/elfedit"
)

// writeAll are the options of every writing action at once.
var writeAll = check.Options{
	HacksJumpLabel: true, HacksNoinstr: true, HacksSkylake: true, IBT: true, Link: true, Mcount: true,
	Mnop: true, ORC: true, Retpoline: true, Rethunk: true, StaticCall: true, Uaccess: true, CFI: true,
	Prefix: 16, Noinstr: true,
}

// FuzzWrite: for any object the reader accepts, checking and writing never
// panic, and the written file always reads back, with objcheck's reader
// and with debug/elf.
func FuzzWrite(f *testing.F) {
	for _, glob := range []string{"../testdata/x86/*.o", "../testdata/ppc64/*.o", "../testdata/arm64/*.o"} {
		files, _ := filepath.Glob(glob)
		for _, name := range files {
			if data, err := os.ReadFile(name); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := decode.Parse("fuzz.o", data)
		if err != nil {
			return
		}
		opts := writeAll
		res := check.Run(in, &opts)
		if !res.Plan.Changes() {
			return
		}
		ef, err := elfedit.Open(data)
		if err != nil {
			return // an object elfedit cannot lay out (program headers) is an error, never a panic
		}
		if err := Apply(ef, in.Arch, res.Plan); err != nil {
			return // reported as an error, never a panic
		}
		out, err := ef.Bytes()
		if err != nil {
			return
		}
		if _, err := decode.Parse("written.o", out); err != nil {
			t.Fatalf("written file does not re-read: %v", err)
		}
		if _, err := elf.NewFile(bytes.NewReader(out)); err != nil {
			t.Fatalf("debug/elf refuses the written file: %v", err)
		}
	})
}
