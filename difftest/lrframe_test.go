package difftest

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A frameSite is one frame-building instruction of a corpus function.
type frameSite struct {
	obj, fn string
	off     uint64 // file offset of the instruction
	text    string // what it is, for messages
}

// A frameOp recognises one kind of frame-building instruction.
type frameOp struct {
	text  string
	match func(w uint32) bool
}

// frameOps list, per corpus, the frame-building instructions a mutant
// removes, and the nop that replaces them.
var frameOps = map[string]struct {
	ops []frameOp
	nop uint32
}{
	"arm64": {[]frameOp{
		// The frame record push, which also saves the return address.
		{"stp x29, x30, [sp, #-N]!", func(w uint32) bool { return w&0xffc07fff == 0xa9807bfd }},
	}, 0xd503201f},
	"ppc64le": {[]frameOp{
		// The frame allocation with its back chain.
		{"stdu r1, -N(r1)", func(w uint32) bool {
			return w>>26 == 62 && w&3 == 1 && (w>>21)&31 == 1 && (w>>16)&31 == 1 && int16(w&0xfffc) < 0
		}},
		// The save of the return address in the caller's frame.
		{"std r0, 16(r1)", func(w uint32) bool { return w == 0xf8010010 }},
	}, 0x60000000},
}

// TestFrameMutants removes one frame allocation (ppc64: or LR save) from a corpus function
// compiled from C and requires objcheck to flag that function twice: by
// the frame rules (--stackval) and by the DWARF cross-check (--dwarf),
// whose CFI still describes the frame.
func TestFrameMutants(t *testing.T) {
	for _, name := range []string{"arm64", "ppc64le"} {
		t.Run(name, func(t *testing.T) { frameMutants(t, name) })
	}
}

// frameMutants runs the mutants of one corpus.
func frameMutants(t *testing.T, name string) {
	bin := objcheckBin(t)
	dir := corpusDir(t, name)
	sites := frameSites(t, dir, name)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(sites), func(i, j int) { sites[i], sites[j] = sites[j], sites[i] })
	n := min(envInt(t, "OBJCHECK_LR_MUTANTS", 120), len(sites))
	tmp := t.TempDir()
	var frame, dwarf int
	kinds := map[string]int{}
	for i, s := range sites[:n] {
		path := filepath.Join(tmp, fmt.Sprintf("m%d", i), s.obj)
		writeMutant(t, filepath.Join(dir, s.obj), path, s.off, frameOps[name].nop)
		out, err := Run(t.Context(), bin, filepath.Dir(path), []string{"--stackval", "--dwarf", "--dry-run", filepath.Base(path)})
		if err != nil {
			t.Fatal(err)
		}
		kinds[s.text]++
		f, d := flags(out.Stderr, s.fn)
		if f {
			frame++
		}
		if d {
			dwarf++
		}
		if !f || !d {
			t.Errorf("%s: %s without its %s: frame rules %v, DWARF %v:\n%s", s.obj, s.fn, s.text, f, d, out.Stderr)
		}
	}
	t.Logf("%s: %d mutants %v (of %d sites): %d flagged by the frame rules, %d by the DWARF cross-check", name, n, kinds, len(sites), frame, dwarf)
}

// flags reports whether out has a frame-rule warning and a DWARF warning
// about function fn (or a part of it, such as fn.cold).
func flags(out []byte, fn string) (frame, dwarf bool) {
	for _, l := range lines(out) {
		if !strings.Contains(l, ": "+fn+"+") && !strings.Contains(l, ": "+fn+".") && !strings.Contains(l, " "+fn+"()") {
			continue
		}
		if strings.Contains(l, ": DWARF ") {
			dwarf = true
		} else {
			frame = true
		}
	}
	return frame, dwarf
}

// frameSites lists the frame allocations of the corpus's compiled objects.
func frameSites(t *testing.T, dir, name string) []frameSite {
	entries, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var sites []frameSite
	for _, e := range entries {
		if e.Kind != "c" {
			continue
		}
		sites = append(sites, objFrameSites(t, dir, e.Path, name)...)
	}
	if len(sites) == 0 {
		t.Fatalf("%s: no frame allocations found", name)
	}
	return sites
}

// objFrameSites lists, for each function of one object whose code is
// covered by .eh_frame, its first frame-building instruction of one kind.
func objFrameSites(t *testing.T, dir, obj, name string) []frameSite {
	f, err := elf.Open(filepath.Join(dir, obj))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Section(".eh_frame") == nil {
		return nil
	}
	syms, _ := f.Symbols()
	var out []frameSite
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || int(s.Section) >= len(f.Sections) || s.Size < 8 {
			continue
		}
		sec := f.Sections[s.Section]
		if sec.Name != ".text" || s.Value+s.Size > sec.Size {
			continue
		}
		if site, ok := firstFrameOp(sec, s, name); ok {
			site.obj, site.fn = obj, s.Name
			out = append(out, site)
		}
	}
	return out
}

// firstFrameOp finds the frame allocation among a function's first words.
func firstFrameOp(sec *elf.Section, s elf.Symbol, name string) (frameSite, bool) {
	data := make([]byte, s.Size)
	if _, err := sec.ReadAt(data, int64(s.Value)); err != nil {
		return frameSite{}, false
	}
	ops := frameOps[name].ops
	kind := int(s.Value/4) % len(ops) // spread the sites over the kinds
	for off := 0; off+4 <= len(data) && off < 64; off += 4 {
		if ops[kind].match(binary.LittleEndian.Uint32(data[off:])) {
			return frameSite{off: sec.Offset + s.Value + uint64(off), text: ops[kind].text}, true
		}
	}
	return frameSite{}, false
}

// writeMutant copies src to dst with the word at off replaced.
func writeMutant(t *testing.T, src, dst string, off uint64, word uint32) {
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	binary.LittleEndian.PutUint32(data[off:], word)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
