package decode

import (
	"bufio"
	"bytes"
	stdcmp "cmp"
	"debug/elf"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// corpusArchives are the archives under $SHARED/corpus/linux-6.12.
var corpusArchives = []string{"x86-orc", "x86-fp", "arm64", "ppc64le"}

// sharedDir returns the project's shared material: $OBJCHECK_SHARED, or
// ../shared beside the repository (../../shared from this package).
func sharedDir() string {
	if d := os.Getenv("OBJCHECK_SHARED"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared")
}

// extractCorpus unpacks corpus archive name (only the given members, if
// any) into a temporary folder and returns the archive's own folder in it.
// It skips the test when the archive is absent.
func extractCorpus(tb testing.TB, name string, members ...string) string {
	tb.Helper()
	archive := filepath.Join(sharedDir(), "corpus", "linux-6.12", name+".tar.xz")
	if _, err := os.Stat(archive); err != nil {
		skips.Skipf(tb, "corpus archive %s not found (set OBJCHECK_SHARED to the shared folder): %v", archive, err)
	}
	dir := tb.TempDir()
	args := append([]string{"-xJf", archive, "-C", dir}, members...)
	if out, err := exec.Command("tar", args...).CombinedOutput(); err != nil {
		tb.Fatalf("tar %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return filepath.Join(dir, name)
}

// corpusObjects returns the objects listed in dir's MANIFEST, relative to dir.
func corpusObjects(tb testing.TB, dir string) []string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "MANIFEST"))
	if err != nil {
		tb.Fatal(err)
	}
	var objs []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if path, _, _ := strings.Cut(sc.Text(), "\t"); path != "" {
			objs = append(objs, path)
		}
	}
	if len(objs) == 0 {
		tb.Fatalf("%s/MANIFEST lists no objects", dir)
	}
	return objs
}

// TestCorpus parses every object of every corpus archive and compares
// what it read with debug/elf, a good oracle for valid input. With -short
// it takes the first few objects of each archive.
func TestCorpus(t *testing.T) {
	for _, name := range corpusArchives {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := extractCorpus(t, name)
			objs := corpusObjects(t, dir)
			if testing.Short() {
				objs = objs[:min(len(objs), 25)]
			}
			for _, obj := range objs {
				data, err := os.ReadFile(filepath.Join(dir, obj))
				if err != nil {
					t.Fatal(err)
				}
				f, err := Parse(obj, data)
				if err != nil {
					t.Errorf("%s: %v", obj, err)
					continue
				}
				if err := checkFile(f, data); err != nil {
					t.Errorf("%s: %v", obj, err)
				}
				compareWithDebugELF(t, obj, f, data)
			}
		})
	}
}

// secView is the part of a section that debug/elf also reads.
type secView struct {
	Name               string
	Type               elf.SectionType
	Flags              elf.SectionFlag
	Addr, Offset, Size uint64
	Link, Info         uint32
	Addralign, Entsize uint64
}

// symView is the part of a symbol that debug/elf also reads.
type symView struct {
	Name        string
	Type        elf.SymType
	Bind        elf.SymBind
	Other       uint8
	Shndx       uint32
	Value, Size uint64
}

// relocView is a relocation with its symbol as an index.
type relocView struct {
	Offset uint64
	Type   uint32
	Sym    uint32
	Addend int64
}

// compareWithDebugELF checks f against debug/elf's reading of data.
func compareWithDebugELF(t *testing.T, name string, f *File, data []byte) {
	t.Helper()
	ef, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s: debug/elf: %v", name, err)
		return
	}
	if f.Machine != ef.Machine || f.ByteOrder != ef.ByteOrder {
		t.Errorf("%s: machine %v %v, debug/elf %v %v", name, f.Machine, f.ByteOrder, ef.Machine, ef.ByteOrder)
	}
	if diff := cmp.Diff(debugELFSections(ef), sectionViews(f)); diff != "" {
		t.Errorf("%s: sections differ from debug/elf (-debug/elf +ours):\n%s", name, diff)
	}
	if diff := cmp.Diff(debugELFSymbols(t, ef), symbolViews(f)); diff != "" {
		t.Errorf("%s: symbols differ from debug/elf (-debug/elf +ours):\n%s", name, diff)
	}
	for _, es := range ef.Sections {
		if es.Type != elf.SHT_RELA {
			continue
		}
		target := f.Sections[es.Info]
		if target.Rela == nil || target.Rela.Index != sectionIndex(ef, es) {
			t.Errorf("%s: section %s: Rela is not %s", name, target.Name, es.Name)
			continue
		}
		if diff := cmp.Diff(debugELFRelocs(t, ef, es), relocViews(target)); diff != "" {
			t.Errorf("%s: relocations of %s differ from debug/elf (-debug/elf +ours):\n%s", name, es.Name, diff)
		}
	}
}

func sectionViews(f *File) []secView {
	var v []secView
	for _, s := range f.Sections {
		v = append(v, secView{s.Name, s.Type, s.Flags, s.Addr, s.Offset, s.Size, s.Link, s.Info, s.Addralign, s.Entsize})
	}
	return v
}

func debugELFSections(ef *elf.File) []secView {
	var v []secView
	for _, s := range ef.Sections {
		v = append(v, secView{s.Name, s.Type, s.Flags, s.Addr, s.Offset, s.FileSize, s.Link, s.Info, s.Addralign, s.Entsize})
	}
	return v
}

func symbolViews(f *File) []symView {
	var v []symView
	for _, s := range f.Symbols[min(1, len(f.Symbols)):] { // debug/elf leaves out the null symbol
		v = append(v, symView{s.Name, s.Type, s.Bind, s.Other, s.Shndx, s.Value, s.Size})
	}
	return v
}

// debugELFSymbols returns debug/elf's symbols. It does not resolve
// SHN_XINDEX, so the corpus must not need it.
func debugELFSymbols(t *testing.T, ef *elf.File) []symView {
	syms, err := ef.Symbols()
	if err != nil && err != elf.ErrNoSymbols {
		t.Fatal(err)
	}
	var v []symView
	for _, s := range syms {
		if s.Section == elf.SHN_XINDEX {
			t.Fatalf("symbol %s uses SHN_XINDEX, which debug/elf does not resolve", s.Name)
		}
		v = append(v, symView{s.Name, elf.ST_TYPE(s.Info), elf.ST_BIND(s.Info), s.Other, uint32(s.Section), s.Value, s.Size})
	}
	return v
}

func relocViews(s *Section) []relocView {
	var v []relocView
	for _, r := range s.Relocs {
		v = append(v, relocView{r.Offset, r.Type, uint32(r.Sym.Index), r.Addend})
	}
	return v
}

// debugELFRelocs reads relocation section es with encoding/binary and
// sorts it by offset, keeping file order for equal offsets.
func debugELFRelocs(t *testing.T, ef *elf.File, es *elf.Section) []relocView {
	data, err := es.Data()
	if err != nil {
		t.Fatal(err)
	}
	rels := make([]elf.Rela64, len(data)/24)
	if err := binary.Read(bytes.NewReader(data), ef.ByteOrder, rels); err != nil {
		t.Fatal(err)
	}
	var v []relocView
	for _, r := range rels {
		v = append(v, relocView{r.Off, elf.R_TYPE64(r.Info), elf.R_SYM64(r.Info), r.Addend})
	}
	slices.SortStableFunc(v, func(a, b relocView) int { return stdcmp.Compare(a.Offset, b.Offset) })
	return v
}

func sectionIndex(ef *elf.File, s *elf.Section) int {
	return slices.Index(ef.Sections, s)
}
