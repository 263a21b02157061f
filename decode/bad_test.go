package decode

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badDir holds the malformed objects made by testdata/bad/gen.go.
const badDir = "../testdata/bad"

// TestBadObjects parses each malformed object and compares the error with
// the line in its .err file, less the "<file>: error: objtool: " the
// command line adds.
func TestBadObjects(t *testing.T) {
	objs, err := filepath.Glob(filepath.Join(badDir, "*.o"))
	if err != nil || len(objs) < 2 {
		t.Fatalf("no objects in %s: %v", badDir, err)
	}
	for _, obj := range objs {
		name := filepath.Base(obj)
		if name == "base.o" {
			continue
		}
		t.Run(strings.TrimSuffix(name, ".o"), func(t *testing.T) {
			want := wantError(t, obj)
			data, err := os.ReadFile(obj)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse("testdata/bad/"+name, data)
			var derr *Error
			switch {
			case err == nil:
				t.Fatalf("Parse succeeded (%d sections), want error %q", len(f.Sections), want)
			case f != nil:
				t.Errorf("Parse returned a File with its error")
			case !errors.As(err, &derr):
				t.Errorf("error is a %T, want *decode.Error", err)
			}
			if got := err.Error(); got != want {
				t.Errorf("error:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// wantError returns the message in obj's .err file.
func wantError(t *testing.T, obj string) string {
	t.Helper()
	line, err := os.ReadFile(obj + ".err")
	if err != nil {
		t.Fatal(err)
	}
	prefix := "testdata/bad/" + filepath.Base(obj) + ": error: objtool: "
	msg, ok := strings.CutPrefix(strings.TrimSuffix(string(line), "\n"), prefix)
	if !ok || strings.Contains(msg, "\n") {
		t.Fatalf("%s.err: want one line starting %q, have %q", obj, prefix, line)
	}
	return msg
}

// TestBaseObject parses the valid object the malformed ones come from.
func TestBaseObject(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(badDir, "base.o"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("base.o", data)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkFile(f, data); err != nil {
		t.Fatal(err)
	}
}
