package cfg

import (
	"path/filepath"
	"testing"

	"github.com/objcheck/objcheck/decode"
)

// TestTransfers builds the graph of every test object, of every machine
// (arm64's and ppc64's drop their data words after decoding), and wants
// Transfers to yield, in order and once each, every instruction that is
// a jump, call or return once the graph is built.
func TestTransfers(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/*/*.o")
	more, _ := filepath.Glob("../testdata/*/*/*.o")
	for _, path := range append(paths, more...) {
		f, err := decode.Open(path)
		if err != nil || f.Arch.Decode == nil {
			continue // testdata/bad, or a machine without a decoder
		}
		p := Build(f, Options{Specials: true})
		yielded := map[*Insn]bool{}
		last := int32(-1)
		for in := range p.Transfers {
			i := p.IndexOf(in)
			if i <= last {
				t.Errorf("%s: Transfers yields %d after %d", path, i, last)
			}
			last = i
			yielded[in] = true
		}
		for i := range p.Insns {
			if in := &p.Insns[i]; in.Kind.IsTransfer() && !yielded[in] {
				t.Errorf("%s: %s at %s+%#x is not among the transfers", path, in.Kind, p.Sec(in).Name, in.Off)
			}
		}
	}
}
