package main

import (
	"debug/elf"
	"testing"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
)

// TestLinesNameObject: with several objects every line names its object;
// with one, the lines are objtool's, some of which name none.
func TestLinesNameObject(t *testing.T) {
	linked := &decode.File{Symbols: []*decode.Symbol{{}, {Type: elf.STT_FILE}, {Type: elf.STT_FILE}}}
	c := &cli{
		open:  func(string) (*decode.File, error) { return linked, nil },
		check: func(*decode.File, *check.Options) *check.Result { return &check.Result{} },
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--stackval", "a.o"}, "error: objtool: Linked object detected, forcing --link\n"},
		{[]string{"--stackval", "a.o", "b.o"},
			"a.o: error: objtool: Linked object detected, forcing --link\nb.o: error: objtool: Linked object detected, forcing --link\n"},
		{[]string{"--stackval", "--mnop", "a.o"}, "error: objtool: --mnop requires --mcount\n"},
		{[]string{"--stackval", "--mnop", "a.o", "b.o"},
			"a.o: error: objtool: --mnop requires --mcount\nb.o: error: objtool: --mnop requires --mcount\n"},
	} {
		_, _, stderr := runWith(c, nil, tt.args...)
		if stderr != tt.want {
			t.Errorf("%q: stderr\n%s\nwant\n%s", tt.args, stderr, tt.want)
		}
	}
}
