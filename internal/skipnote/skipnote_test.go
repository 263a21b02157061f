package skipnote

import (
	"bytes"
	"io"
	"testing"
)

type bufCloser struct{ *bytes.Buffer }

func (bufCloser) Close() error { return nil }

// TestNoteOnce prints one note, whatever the number of skips.
func TestNoteOnce(t *testing.T) {
	var buf bytes.Buffer
	n := &Noter{open: func() (io.WriteCloser, error) { return bufCloser{&buf}, nil }}
	for _, r := range []string{"no corpus", "no objtool", "no corpus"} {
		n.note("pkg", r)
	}
	want := "pkg: skipping tests: no corpus (go test -v lists every skip)\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

// TestSkip skips with the reason.
func TestSkip(t *testing.T) {
	var buf bytes.Buffer
	n := &Noter{open: func() (io.WriteCloser, error) { return bufCloser{&buf}, nil }}
	t.Run("sub", func(t *testing.T) {
		n.Skip(t, "nothing to test")
		t.Error("Skip returned")
	})
	if buf.String() == "" {
		t.Error("no note")
	}
}
