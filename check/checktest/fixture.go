package checktest

import (
	"bufio"
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A Fixture is one X.S file with everything built from it.
type Fixture struct {
	Name string   // base name without extension, "stack" for stack.S
	Src  string   // path of X.S
	Obj  string   // path of X.o, as given to the checker
	Args []string // objtool arguments from the first line

	Wants []Want

	// Ref holds the real objtool's stderr lines (X.o.ref) and RC its exit
	// status (X.o.rc), recorded by build.sh --verify. RefName is the
	// object path those lines carry: the object's path relative to the
	// module root, as build.sh runs objtool from there.
	Ref     []string
	RC      int
	RefName string
}

// A Want is one expected message, from a want comment.
type Want struct {
	Line int    // line of X.S holding the comment
	Msg  string // message text after the location
	// Loc is the location objtool prints before Msg ("sym+0x4" or
	// ".text+0x44"); it is empty for the whole-line messages that have
	// none (see wholeLine).
	Loc string
}

// Text renders the warning as objtool prints it for an object named objname.
func (w Want) Text(objname string) string {
	if w.Loc == "" {
		return objname + ": warning: objtool: " + w.Msg
	}
	return objname + ": warning: objtool: " + w.Loc + ": " + w.Msg
}

// Expected returns the lines the fixture's want comments call for, in
// source order, for an object named objname.
func (f *Fixture) Expected(objname string) []string {
	lines := make([]string, len(f.Wants))
	for i, w := range f.Wants {
		lines[i] = w.Text(objname)
	}
	return lines
}

// wholeLine matches the messages objtool prints with WARN() rather than
// WARN_INSN(): they carry no "<sym>+0x<off>: " location of their own.
var wholeLine = []*regexp.Regexp{
	regexp.MustCompile(`^\S+\(\) falls through to next function \S+\(\)$`),
	regexp.MustCompile(`^\S+\(\) is missing an ELF size annotation$`),
	regexp.MustCompile(`^\S+\(\): `), // STT_FUNC at end of section, etc.
	regexp.MustCompile(`^\S+: unexpected end of section$`),
	regexp.MustCompile(`^pv_ops\[\d+\]: \S+$`), // a paravirt target that is not noinstr
	regexp.MustCompile(`^no func for pv_ops\[\]$`),
	// the decoder's notes
	regexp.MustCompile(`^(notrack prefix found|invalid LEA encoding|ENQCMD instruction) at \S+$`),
}

func isWholeLine(msg string) bool {
	for _, re := range wholeLine {
		if re.MatchString(msg) {
			return true
		}
	}
	return false
}

var (
	argsLine = regexp.MustCompile(`^# objtool: (.+)$`)
	wantRe   = regexp.MustCompile(`(?:#|//)\s*want\s+(.*)$`)
)

// Load reads every fixture X.S in dir with its X.o, X.lst, X.o.ref and
// X.o.rc, and resolves each want comment to its location.
func Load(dir string) ([]*Fixture, error) { return LoadWith(dir, Options{}) }

// LoadWith is Load with options: with opts.NoRef, X.o.ref and X.o.rc are
// not read, Ref is empty and RC is 0.
func LoadWith(dir string, opts Options) ([]*Fixture, error) {
	srcs, err := filepath.Glob(filepath.Join(dir, "*.S"))
	if err != nil {
		return nil, err
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("no fixtures (*.S) in %s", dir)
	}
	sort.Strings(srcs)
	root, err := moduleRoot(dir)
	if err != nil {
		return nil, err
	}
	var fs []*Fixture
	for _, src := range srcs {
		f, err := load(src, root, !opts.NoRef)
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	return fs, nil
}

func load(src, root string, withRef bool) (*Fixture, error) {
	base := strings.TrimSuffix(src, ".S")
	f := &Fixture{
		Name: filepath.Base(base),
		Src:  src,
		Obj:  base + ".o",
	}
	abs, err := filepath.Abs(f.Obj)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return nil, err
	}
	f.RefName = filepath.ToSlash(rel)

	text, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(text), "\n")
	m := argsLine.FindStringSubmatch(lines[0])
	if m == nil {
		return nil, fmt.Errorf("%s:1: the first line must be \"# objtool: ARGS\"", src)
	}
	f.Args = strings.Fields(m[1])

	lst, err := readListing(base + ".lst")
	if err != nil {
		return nil, err
	}
	obj, err := readObject(f.Obj)
	if err != nil {
		return nil, err
	}
	sections := sectionsByLine(lines)
	for i, line := range lines {
		msgs, err := parseWant(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", src, i+1, err)
		}
		for _, msg := range msgs {
			w := Want{Line: i + 1, Msg: msg}
			if !isWholeLine(msg) {
				addr, ok := lst.addr[i+1]
				if !ok {
					return nil, fmt.Errorf("%s:%d: no address for this line in %s.lst (not an instruction?)", src, i+1, base)
				}
				w.Loc, err = obj.location(sections[i], addr)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %v", src, i+1, err)
				}
			}
			f.Wants = append(f.Wants, w)
		}
	}

	if !withRef {
		return f, nil
	}
	ref, err := os.ReadFile(base + ".o.ref")
	if err != nil {
		return nil, err
	}
	f.Ref = splitLines(string(ref))
	rc, err := os.ReadFile(base + ".o.rc")
	if err != nil {
		return nil, err
	}
	f.RC, err = strconv.Atoi(strings.TrimSpace(string(rc)))
	if err != nil {
		return nil, fmt.Errorf("%s.o.rc: %v", base, err)
	}
	return f, nil
}

// parseWant returns the messages of a line's want comment: one or more
// Go-quoted strings after "# want".
func parseWant(line string) ([]string, error) {
	m := wantRe.FindStringSubmatch(line)
	if m == nil {
		return nil, nil
	}
	rest := strings.TrimSpace(m[1])
	var msgs []string
	for rest != "" {
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return nil, fmt.Errorf("bad want comment: %v", err)
		}
		s, _ := strconv.Unquote(q)
		msgs = append(msgs, s)
		rest = strings.TrimSpace(rest[len(q):])
	}
	if len(msgs) == 0 {
		return nil, errors.New("want comment without a message")
	}
	return msgs, nil
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// moduleRoot finds the directory holding go.mod at or above dir.
func moduleRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod at or above %s", dir)
		}
		d = parent
	}
}

// A listing is what the harness needs from an "as -alnd" listing: the
// address of each source line that emitted bytes, those bytes, and the
// source text echoed.
type listing struct {
	addr  map[int]uint64
	bytes map[int][]byte
	text  map[int]string
}

var (
	// "  17 0000 55       \t\tpush %rbp": line, address, bytes, source.
	lstFirst = regexp.MustCompile(`^ *(\d+) ([0-9A-Fa-f]{4,16}) ([0-9A-Fa-f]*) *$`)
	// "  20      00": more bytes of line 20.
	lstMore = regexp.MustCompile(`^ *(\d+) +([0-9A-Fa-f]+) *$`)
	// "   1              \t# objtool: ...": a line that emitted nothing.
	lstNone = regexp.MustCompile(`^ *(\d+) *$`)
)

func readListing(path string) (*listing, error) {
	fd, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	l := &listing{addr: map[int]uint64{}, bytes: map[int][]byte{}, text: map[int]string{}}
	sc := bufio.NewScanner(fd)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" {
			continue
		}
		head, src, hasSrc := strings.Cut(line, "\t")
		if m := lstFirst.FindStringSubmatch(head); m != nil && hasSrc {
			num, _ := strconv.Atoi(m[1])
			addr, _ := strconv.ParseUint(m[2], 16, 64)
			if _, dup := l.addr[num]; !dup {
				l.addr[num] = addr
			}
			l.bytes[num] = appendHex(l.bytes[num], m[3])
			l.text[num] = src
			continue
		}
		if m := lstMore.FindStringSubmatch(head); m != nil && !hasSrc {
			num, _ := strconv.Atoi(m[1])
			l.bytes[num] = appendHex(l.bytes[num], m[2])
			continue
		}
		if m := lstNone.FindStringSubmatch(head); m != nil && hasSrc {
			num, _ := strconv.Atoi(m[1])
			l.text[num] = src
			continue
		}
		return nil, fmt.Errorf("%s:%d: unexpected listing line %q", path, n, line)
	}
	return l, sc.Err()
}

func appendHex(b []byte, s string) []byte {
	for i := 0; i+1 < len(s); i += 2 {
		v, _ := strconv.ParseUint(s[i:i+2], 16, 8)
		b = append(b, byte(v))
	}
	return b
}

// sectionsByLine returns, for each source line, the section the assembler
// is in there. It follows .text, .data, .bss, .section, .pushsection,
// .popsection and .previous written directly in the file. Macro bodies are
// skipped: a macro must leave the section as it found it.
func sectionsByLine(lines []string) []string {
	type state struct{ cur, prev string }
	st := state{cur: ".text", prev: ".text"}
	var stack []state
	set := func(name string) { st = state{cur: name, prev: st.cur} }
	inMacro := 0
	out := make([]string, len(lines))
	for i, line := range lines {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		if j := strings.Index(line, "//"); j >= 0 {
			line = line[:j] // arm64's comment
		}
		line = strings.TrimSpace(line)
		// Drop a leading label ("1:	ret").
		if j := strings.IndexByte(line, ':'); j > 0 && !strings.ContainsAny(line[:j], " \t\"") {
			line = strings.TrimSpace(line[j+1:])
		}
		dir, arg := line, ""
		if j := strings.IndexAny(line, " \t"); j >= 0 {
			dir, arg = line[:j], strings.TrimSpace(line[j:])
		}
		switch {
		case dir == ".macro":
			inMacro++
		case dir == ".endm":
			inMacro--
		case inMacro > 0:
		case dir == ".text" || dir == ".data" || dir == ".bss":
			set(dir)
		case dir == ".section":
			set(sectionName(arg))
		case dir == ".pushsection":
			stack = append(stack, st)
			set(sectionName(arg))
		case dir == ".popsection":
			if n := len(stack); n > 0 {
				st = stack[n-1]
				stack = stack[:n-1]
			}
		case dir == ".previous":
			st.cur, st.prev = st.prev, st.cur
		}
		out[i] = st.cur
	}
	return out
}

func sectionName(arg string) string {
	name, _, _ := strings.Cut(arg, ",")
	return strings.Trim(strings.TrimSpace(name), `"`)
}

// An object is the part of X.o the harness reads.
type object struct {
	path     string
	sections map[string]*elf.Section
	index    map[*elf.Section]elf.SectionIndex
	syms     []elf.Symbol
}

func readObject(path string) (*object, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ef, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	o := &object{
		path:     path,
		sections: map[string]*elf.Section{},
		index:    map[*elf.Section]elf.SectionIndex{},
	}
	for i, s := range ef.Sections {
		o.sections[s.Name] = s
		o.index[s] = elf.SectionIndex(i)
	}
	o.syms, err = ef.Symbols()
	if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return o, nil
}

// location renders section offset off the way objtool's offstr() does: in
// an executable section, the STT_FUNC symbol containing it; elsewhere, any
// sized non-section symbol containing it; else the section name.
func (o *object) location(secName string, off uint64) (string, error) {
	sec, ok := o.sections[secName]
	if !ok {
		return "", fmt.Errorf("%s has no section %s", o.path, secName)
	}
	idx := o.index[sec]
	exec := sec.Flags&elf.SHF_EXECINSTR != 0
	for _, s := range o.syms {
		if s.Section != idx || s.Size == 0 || off < s.Value || off >= s.Value+s.Size {
			continue
		}
		t := elf.ST_TYPE(s.Info)
		if exec && t != elf.STT_FUNC || !exec && t == elf.STT_SECTION {
			continue
		}
		return fmt.Sprintf("%s+0x%x", s.Name, off-s.Value), nil
	}
	return fmt.Sprintf("%s+0x%x", secName, off), nil
}

// bytesAt returns n bytes of section secName at off.
func (o *object) bytesAt(secName string, off uint64, n int) ([]byte, error) {
	sec, ok := o.sections[secName]
	if !ok {
		return nil, fmt.Errorf("no section %s", secName)
	}
	data, err := sec.Data()
	if err != nil {
		return nil, err
	}
	if off+uint64(n) > uint64(len(data)) {
		return nil, fmt.Errorf("%s+0x%x: past the end of the section", secName, off)
	}
	return data[off : off+uint64(n)], nil
}
