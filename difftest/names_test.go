package difftest

import (
	"bytes"
	"strings"
	"testing"
)

// batched is what an objcheck call over several objects prints for the
// object at path that printed out when checked alone: objcheck then puts
// the object's path before each of objtool's lines that name no object
// ("error: objtool: Linked object detected, forcing --link", the
// option errors, the backup and --dump messages). The checker's lines
// already start with the path, and "objtool: Can't open 'path'" names it.
func batched(path string, out []byte) []byte {
	prefix := path + ": "
	if len(out) == 0 {
		return out
	}
	var b bytes.Buffer
	for line := range strings.Lines(string(out)) {
		if !strings.HasPrefix(line, prefix) && !strings.HasPrefix(line, "objtool: Can't open '") {
			b.WriteString(prefix)
		}
		b.WriteString(line)
	}
	return b.Bytes()
}

func TestBatched(t *testing.T) {
	for _, tt := range []struct{ out, want string }{
		{"", ""},
		{"a.o: warning: objtool: f+0x0: x\n", "a.o: warning: objtool: f+0x0: x\n"},
		{"error: objtool: Linked object detected, forcing --link\na.o: warning: objtool: y\n",
			"a.o: error: objtool: Linked object detected, forcing --link\na.o: warning: objtool: y\n"},
		{"objtool: Can't open 'a.o': No such file or directory\n", "objtool: Can't open 'a.o': No such file or directory\n"},
	} {
		if got := string(batched("a.o", []byte(tt.out))); got != tt.want {
			t.Errorf("batched(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}
