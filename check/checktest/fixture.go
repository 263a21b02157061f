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

// A Fixture is one X.S file with everything built from it, or a linked
// fixture: the sources X/*.S, assembled one by one and linked into X.o.
type Fixture struct {
	Name string   // base name without extension, "stack" for stack.S
	Src  string   // path of X.S, or of the directory X of a linked fixture
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

	srcs []*source // the sources, in link order
}

// A Want is one expected message, from a want comment.
type Want struct {
	Src  string // the source holding the comment
	Line int    // line of Src holding the comment
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
	regexp.MustCompile(`^Unresolved function after linking!\?: \S+$`), // --unret
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
// not read, Ref is empty and RC is 0; with opts.Linked, the fixtures are
// dir's linked ones.
func LoadWith(dir string, opts Options) ([]*Fixture, error) {
	pattern, kind := "*.S", "fixtures (*.S)"
	if opts.Linked {
		pattern, kind = "*/*.S", "linked fixtures (*/*.S)"
	}
	srcs, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return nil, err
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("no %s in %s", kind, dir)
	}
	sort.Strings(srcs)
	root, err := moduleRoot(dir)
	if err != nil {
		return nil, err
	}
	var fs []*Fixture
	for _, group := range groupSources(srcs, opts.Linked) {
		f, err := load(group, root, opts)
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	return fs, nil
}

// groupSources splits the sorted sources into fixtures: one each, or, for
// linked fixtures, those of one directory.
func groupSources(srcs []string, linked bool) [][]string {
	var groups [][]string
	for i, src := range srcs {
		if linked && i > 0 && filepath.Dir(src) == filepath.Dir(srcs[i-1]) {
			groups[len(groups)-1] = append(groups[len(groups)-1], src)
			continue
		}
		groups = append(groups, []string{src})
	}
	return groups
}

// load reads the fixture made of srcs: X.S alone, or a linked fixture's
// X/*.S in link order.
func load(srcs []string, root string, opts Options) (*Fixture, error) {
	src, base := srcs[0], strings.TrimSuffix(srcs[0], ".S")
	if opts.Linked {
		base = filepath.Dir(srcs[0])
		src = base
	}
	f := &Fixture{Name: filepath.Base(base), Src: src, Obj: base + ".o"}
	var err error
	if f.RefName, err = refName(f.Obj, root); err != nil {
		return nil, err
	}
	if f.srcs, err = readSources(srcs, base, opts.Linked); err != nil {
		return nil, err
	}
	if f.Args, err = fixtureArgs(f.srcs); err != nil {
		return nil, err
	}
	obj, err := readObject(f.Obj)
	if err != nil {
		return nil, err
	}
	for _, s := range f.srcs {
		wants, err := s.wants(obj)
		if err != nil {
			return nil, err
		}
		f.Wants = append(f.Wants, wants...)
	}
	if opts.NoRef {
		return f, nil
	}
	return f, f.readRef()
}

// refName returns the object's path relative to the module root, the
// name objtool was given when build.sh ran it.
func refName(obj, root string) (string, error) {
	abs, err := filepath.Abs(obj)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}

// readSources reads the sources with their listings. Those of a linked
// fixture are placed by the linker's map, base.map.
func readSources(paths []string, base string, linked bool) ([]*source, error) {
	var m *linkMap
	if linked {
		var err error
		if m, err = readLinkMap(base + ".map"); err != nil {
			return nil, err
		}
		if err := m.checkLoads(paths); err != nil {
			return nil, err
		}
	}
	var srcs []*source
	for _, path := range paths {
		s, err := readSource(path)
		if err != nil {
			return nil, err
		}
		if m != nil {
			s.place = m.placer(m.objectOf(path))
		}
		srcs = append(srcs, s)
	}
	return srcs, nil
}

// fixtureArgs returns the objtool arguments, the first line of the first
// source. Only that source may give them.
func fixtureArgs(srcs []*source) ([]string, error) {
	m := argsLine.FindStringSubmatch(srcs[0].lines[0])
	if m == nil {
		return nil, fmt.Errorf("%s:1: the first line must be \"# objtool: ARGS\"", srcs[0].path)
	}
	for _, s := range srcs[1:] {
		if argsLine.MatchString(s.lines[0]) {
			return nil, fmt.Errorf("%s:1: only the first source, %s, gives the objtool arguments", s.path, srcs[0].path)
		}
	}
	return strings.Fields(m[1]), nil
}

// readRef reads X.o.ref and X.o.rc.
func (f *Fixture) readRef() error {
	ref, err := os.ReadFile(f.Obj + ".ref")
	if err != nil {
		return err
	}
	f.Ref = splitLines(string(ref))
	rc, err := os.ReadFile(f.Obj + ".rc")
	if err != nil {
		return err
	}
	f.RC, err = strconv.Atoi(strings.TrimSpace(string(rc)))
	if err != nil {
		return fmt.Errorf("%s.rc: %v", f.Obj, err)
	}
	return nil
}

// A source is one assembly file of a fixture, with its listing.
type source struct {
	path  string
	lines []string
	lst   *listing
	secs  []string // the section at each line, from sectionsByLine
	place placement
}

// A placement tells where a section of a source's own object landed in the
// fixture's object: in section out, base bytes from its start.
type placement func(sec string) (out string, base uint64, err error)

// inPlace is the placement of a fixture assembled from one source.
func inPlace(sec string) (string, uint64, error) { return sec, 0, nil }

// readSource reads X.S and its listing X.lst.
func readSource(path string) (*source, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lst, err := readListing(strings.TrimSuffix(path, ".S") + ".lst")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(text), "\n")
	return &source{path: path, lines: lines, lst: lst, secs: sectionsByLine(lines), place: inPlace}, nil
}

// at returns where the bytes of source line n (from 1) are in the
// fixture's object: the section and the offset.
func (s *source) at(n int) (string, uint64, error) {
	addr, ok := s.lst.addr[n]
	if !ok {
		return "", 0, fmt.Errorf("%s:%d: no address for this line in %s (not an instruction?)",
			s.path, n, strings.TrimSuffix(s.path, ".S")+".lst")
	}
	out, base, err := s.place(s.secs[n-1])
	if err != nil {
		return "", 0, fmt.Errorf("%s:%d: %v", s.path, n, err)
	}
	return out, base + addr, nil
}

// wants returns the source's want comments, located in obj.
func (s *source) wants(obj *object) ([]Want, error) {
	var wants []Want
	for i, line := range s.lines {
		msgs, err := parseWant(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", s.path, i+1, err)
		}
		for _, msg := range msgs {
			w := Want{Src: s.path, Line: i + 1, Msg: msg}
			if !isWholeLine(msg) {
				sec, off, err := s.at(i + 1)
				if err != nil {
					return nil, err
				}
				if w.Loc, err = obj.location(sec, off); err != nil {
					return nil, fmt.Errorf("%s:%d: %v", s.path, i+1, err)
				}
			}
			wants = append(wants, w)
		}
	}
	return wants, nil
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
// an executable section, the STT_FUNC symbol containing it, failing that
// (and elsewhere) any sized non-section symbol containing it, else the
// section name.
func (o *object) location(secName string, off uint64) (string, error) {
	sec, ok := o.sections[secName]
	if !ok {
		return "", fmt.Errorf("%s has no section %s", o.path, secName)
	}
	idx := o.index[sec]
	if sec.Flags&elf.SHF_EXECINSTR != 0 {
		if s, ok := o.containing(idx, off, isFunc); ok {
			return fmt.Sprintf("%s+0x%x", s.Name, off-s.Value), nil
		}
	}
	if s, ok := o.containing(idx, off, notSection); ok {
		return fmt.Sprintf("%s+0x%x", s.Name, off-s.Value), nil
	}
	return fmt.Sprintf("%s+0x%x", secName, off), nil
}

func isFunc(t elf.SymType) bool     { return t == elf.STT_FUNC }
func notSection(t elf.SymType) bool { return t != elf.STT_SECTION }

// containing returns the first sized symbol of section idx that contains
// off and whose type is one that ok accepts.
func (o *object) containing(idx elf.SectionIndex, off uint64, ok func(elf.SymType) bool) (elf.Symbol, bool) {
	for _, s := range o.syms {
		if s.Section == idx && s.Size != 0 && off >= s.Value && off < s.Value+s.Size && ok(elf.ST_TYPE(s.Info)) {
			return s, true
		}
	}
	return elf.Symbol{}, false
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
