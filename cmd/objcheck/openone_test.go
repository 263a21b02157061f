package main

import (
	"sync/atomic"
	"testing"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
)

// TestOpenOne: a call that checks one file opens it with openOne (main
// maps it, for as long as the process lasts), and a call with several
// opens each with open.
func TestOpenOne(t *testing.T) {
	for _, tt := range []struct {
		files         []string
		wantOne, want int32
	}{
		{[]string{"a.o"}, 1, 0},
		{[]string{"a.o", "b.o", "c.o"}, 0, 3},
	} {
		var one, many atomic.Int32
		c := &cli{
			open:    func(string) (*decode.File, error) { many.Add(1); return &decode.File{}, nil },
			openOne: func(string) (*decode.File, error) { one.Add(1); return &decode.File{}, nil },
			check:   func(*decode.File, *check.Options) *check.Result { return &check.Result{} },
		}
		rc, _, stderr := runWith(c, nil, append([]string{"--orc", "--dry-run"}, tt.files...)...)
		if rc != 0 {
			t.Fatalf("%d files: exit %d:\n%s", len(tt.files), rc, stderr)
		}
		if one.Load() != tt.wantOne || many.Load() != tt.want {
			t.Errorf("%d files: openOne called %d times, open %d; want %d and %d",
				len(tt.files), one.Load(), many.Load(), tt.wantOne, tt.want)
		}
	}
}
