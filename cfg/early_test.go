package cfg

import (
	"debug/elf"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/objcheck/objcheck/decode"
)

// fingerprint renders what a build made, each instruction with its place
// and stack operations, then the problems, symbols, sites and counts, so
// that two builds of one object can be compared line by line.
func fingerprint(p *Program) []string {
	var out []string
	index := func(in *Insn) int32 {
		if in == nil {
			return -1
		}
		return p.IndexOf(in)
	}
	for i := range p.NumInsns() {
		in := p.InsnAt(int32(i))
		sym := "-"
		if s := p.Sym(in); s != nil {
			sym = s.Name
		}
		out = append(out, fmt.Sprintf("insn %d %+v %s %s dest=%d ops=%+v flags=%#x",
			i, *in, p.Sec(in).Name, sym, index(p.JumpDest(in)), p.StackOps(in), p.AFlags(in)))
	}
	for _, pr := range p.Problems {
		out = append(out, fmt.Sprintf("problem at=%d off=%#x plain=%v counted=%v fatal=%v %s",
			index(pr.At), pr.Off, pr.Plain, pr.Counted, pr.Fatal, pr.Msg))
	}
	for _, s := range p.Syms {
		out = append(out, fmt.Sprintf("sym %s off=%#x len=%d flags=%#x pfunc=%s cfunc=%s alias=%s",
			s.Name, s.Offset, s.Len, s.Flags, nameOf(s.Pfunc), nameOf(s.Cfunc), nameOf(s.Alias)))
	}
	for _, list := range [][]*Insn{p.Sites.StaticCalls, p.Sites.Retpolines, p.Sites.ReturnThunks,
		p.Sites.Mcount, p.Sites.Calls, p.Sites.Endbrs} {
		line := "sites"
		for _, in := range list {
			line += fmt.Sprintf(" %d", index(in))
		}
		out = append(out, line)
	}
	return append(out, fmt.Sprintf("stats %+v patches %d hints %d", p.Stats, len(p.Patches), len(p.HintList)))
}

// nameOf is a symbol's name, "-" for none.
func nameOf(s *Symbol) string {
	if s == nil {
		return "-"
	}
	return s.Name
}

// TestEarlyDecode builds every test object twice, once decoding its first
// code section beside the symbols (whatever its size) and once not, and
// wants the same graph; the same with a .cold symbol whose parent is
// missing, where the symbols fail and the early build must be the serial
// one: that problem alone.
func TestEarlyDecode(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/*/*.o")
	more, _ := filepath.Glob("../testdata/*/*/*.o")
	all := Options{Specials: true, Uaccess: true, JumpLabel: true, HackNoinstr: true,
		IBT: true, Noinstr: true, Mcount: true}
	tests := []struct {
		name   string
		opts   Options
		mutate func(f *decode.File) bool // the change made to the object first, if any
		want   string                    // the last problem's message, if any
	}{
		{"plain", Options{}, nil, ""},
		{"all", all, nil, ""},
		{"orphan", all, orphan, "x.cold(): can't find parent function"},
		// notrack jmp *%rax: the decoder's note, kept for its turn.
		{"note", all, x86Code([]byte{0x3e, 0xff, 0xe0}), ""},
		// push %es, no instruction in 64-bit code: decoding stops.
		{"undecodable", all, x86Code([]byte{0x06}), "can't decode instruction at .text:0x0"},
	}
	early, notes := 0, 0
	for _, path := range append(paths, more...) {
		for _, tt := range tests {
			open := func() *decode.File {
				f, err := decode.Open(path)
				if err != nil || f.Arch.Decode == nil {
					return nil
				}
				if tt.mutate != nil && !tt.mutate(f) {
					return nil
				}
				return f
			}
			f, g := open(), open()
			if f == nil || g == nil {
				continue // testdata/bad, a machine without a decoder, or no function to rename
			}
			p := build(f, tt.opts, 0)
			if p.early != nil {
				t.Errorf("%s %s: the early decoding was never taken in", path, tt.name)
			}
			if (&Program{File: f, Arch: f.Arch, Sections: p.Sections}).earlySection(0) != nil {
				early++
			}
			q := build(g, tt.opts, math.MaxInt)
			if tt.name == "note" && len(q.Problems) > 0 && q.Problems[0].Msg == "notrack prefix found at .text:0x0" {
				notes++
			}
			if diff := cmp.Diff(fingerprint(q), fingerprint(p)); diff != "" {
				t.Errorf("%s %s: early build differs from serial (-serial +early):\n%s", path, tt.name, diff)
			}
			if n := len(p.Problems); tt.want != "" && (n == 0 || p.Problems[n-1].Msg != tt.want) {
				t.Errorf("%s %s: problems %+v, want the last to be %q", path, tt.name, p.Problems, tt.want)
			}
			if tt.name == "orphan" && len(p.Problems) != 1 {
				t.Errorf("%s: problems %+v, want the orphan's alone", path, p.Problems)
			}
		}
	}
	if notes == 0 {
		t.Error("no test object had a decoder's note")
	}
	if early == 0 {
		t.Error("no test object was decoded beside its symbols")
	}
}

// orphan renames f's first function to a .cold child of a function that
// does not exist, and reports whether it found one.
func orphan(f *decode.File) bool {
	for _, s := range f.Symbols {
		if s.Type == elf.STT_FUNC && s.Section != nil {
			s.Name = "x.cold"
			return true
		}
	}
	return false
}

// x86Code returns a change that writes code over the start of an x86_64
// object's .text, if it has one as long.
func x86Code(code []byte) func(f *decode.File) bool {
	return func(f *decode.File) bool {
		for _, s := range f.Sections {
			if f.Arch.Name == "x86_64" && s.Name == ".text" && len(s.Data) >= len(code) {
				copy(s.Data, code) // the test's own copy of the file
				return true
			}
		}
		return false
	}
}
