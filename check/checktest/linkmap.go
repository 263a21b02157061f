package checktest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A linkMap is what the harness needs from the map "ld -r -M" prints:
// the input objects in link order, and where each input section went.
type linkMap struct {
	path   string
	loads  []string // LOAD lines, relative to the map's directory
	placed map[inputSection]placedAt
}

// An inputSection is one section of one input object.
type inputSection struct{ file, sec string }

// A placedAt is where the linker put an input section: in output section
// out, off bytes from its start, size bytes long.
type placedAt struct {
	out       string
	off, size uint64
}

// readLinkMap reads a GNU ld map. Only the part after "Linker script and
// memory map" is read: LOAD lines, output section lines (".text 0x0 0x69",
// or the name alone with its address and size on the next line), and
// input section lines, indented by one space (" .text 0x40 0x29 ibt/b.o",
// or the name alone with the rest on the next line). Fill, pattern and
// symbol lines are skipped.
func readLinkMap(path string) (*linkMap, error) {
	fd, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	p := mapParser{m: &linkMap{path: path, placed: map[inputSection]placedAt{}}}
	sc := bufio.NewScanner(fd)
	sc.Buffer(nil, 1<<20)
	started := false
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if !started {
			started = line == "Linker script and memory map"
			continue
		}
		if err := p.line(line); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !started {
		return nil, fmt.Errorf("%s: no \"Linker script and memory map\" (not an ld -M map?)", path)
	}
	return p.m, nil
}

// A mapParser holds the state between the lines of a map.
type mapParser struct {
	m *linkMap
	// out and outAddr are the output section being listed.
	out     string
	outAddr uint64
	// pendingOut and pendingIn are an output or input section name
	// printed alone, its address and size to come on the next line.
	pendingOut, pendingIn string
}

func (p *mapParser) line(line string) error {
	f := strings.Fields(line)
	pendingOut, pendingIn := p.pendingOut, p.pendingIn
	p.pendingOut, p.pendingIn = "", ""
	switch {
	case len(f) == 0:
		return nil
	case strings.HasPrefix(line, "LOAD "):
		p.m.loads = append(p.m.loads, strings.TrimSpace(line[len("LOAD "):]))
	case line[0] != ' ':
		return p.output(f)
	case pendingOut != "":
		return p.output(append([]string{pendingOut}, f...))
	case pendingIn != "":
		if len(f) != 3 {
			return fmt.Errorf("input section %s without its address and size", pendingIn)
		}
		return p.input(append([]string{pendingIn}, f...))
	case line[1] != ' ' && !strings.HasPrefix(f[0], "*"):
		if len(f) == 1 {
			p.pendingIn = f[0]
			return nil
		}
		if len(f) == 4 {
			return p.input(f)
		}
	}
	return nil
}

// output starts output section f[0] at address f[1]. A lone name waits for
// its address; lines such as OUTPUT(x.o elf64-x86-64) are not sections.
func (p *mapParser) output(f []string) error {
	if len(f) == 1 && strings.HasPrefix(f[0], ".") {
		p.pendingOut = f[0]
		return nil
	}
	if len(f) < 2 {
		return nil
	}
	addr, err := parseMapHex(f[1])
	if err != nil {
		return nil
	}
	p.out, p.outAddr = f[0], addr
	return nil
}

// input records input section f[0] of file f[3] at address f[1], f[2]
// bytes long.
func (p *mapParser) input(f []string) error {
	addr, err1 := parseMapHex(f[1])
	size, err2 := parseMapHex(f[2])
	if err1 != nil || err2 != nil {
		return fmt.Errorf("bad input section line %q", strings.Join(f, " "))
	}
	if p.out == "" || addr < p.outAddr {
		return fmt.Errorf("input section %s of %s outside any output section", f[0], f[3])
	}
	key := inputSection{filepath.Clean(f[3]), f[0]}
	if _, dup := p.m.placed[key]; dup {
		return fmt.Errorf("section %s of %s placed twice", f[0], f[3])
	}
	p.m.placed[key] = placedAt{out: p.out, off: addr - p.outAddr, size: size}
	return nil
}

func parseMapHex(s string) (uint64, error) {
	h, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return 0, fmt.Errorf("not a 0x number: %q", s)
	}
	return strconv.ParseUint(h, 16, 64)
}

// placer returns the placement of the sections of input object file (a
// path relative to the map's directory).
func (m *linkMap) placer(file string) placement {
	file = filepath.Clean(file)
	return func(sec string) (string, uint64, error) {
		p, ok := m.placed[inputSection{file, sec}]
		if !ok {
			return "", 0, fmt.Errorf("%s places no section %s of %s", m.path, sec, file)
		}
		return p.out, p.off, nil
	}
}

// objectOf returns the object ld was given for source src, relative to
// the map's directory, as the map names it: X/a.o for X/a.S.
func (m *linkMap) objectOf(src string) string {
	rel, err := filepath.Rel(filepath.Dir(m.path), strings.TrimSuffix(src, ".S")+".o")
	if err != nil {
		return src
	}
	return rel
}

// checkLoads checks that the map links the objects of srcs, in that order.
func (m *linkMap) checkLoads(srcs []string) error {
	want := make([]string, len(srcs))
	for i, src := range srcs {
		want[i] = m.objectOf(src)
	}
	got := make([]string, len(m.loads))
	for i, l := range m.loads {
		got[i] = filepath.Clean(l)
	}
	if !slices.Equal(got, want) {
		return fmt.Errorf("%s links %q, not the sources' objects %q in name order: rerun build.sh", m.path, got, want)
	}
	return nil
}
