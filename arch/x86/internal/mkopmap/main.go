// Command mkopmap writes arch/x86/opmap_tables.go: the instruction
// attribute tables of the kernel's x86 decoder, read from the kernel's
// opcode map (arch/x86/lib/x86-opcode-map.txt of a Linux tree).
//
//	go run ./arch/x86/internal/mkopmap -map $KSRC/arch/x86/lib/x86-opcode-map.txt -o arch/x86/opmap_tables.go
//
// The map's format is described at its top. Each opcode line lists one or
// more alternatives, "mnemonic [operands] [(superscripts)]", separated by
// "|". What an alternative contributes is read the way the kernel reads
// it when it builds its own tables (tools/arch/x86/tools/gen-insn-attr-x86.awk):
//
//   - an operand naming a ModRM field (E, G, M, R, V, W, ... followed by a
//     size letter; NTA and T0-T2 too) gives the slot a ModRM byte; Ib,
//     Jb and Lx a byte immediate, Iw a word, Id a dword, Iq a qword, Iz
//     and Jz one of 16 or 32 bits, Iv one of 16, 32 or 64 bits, Ap a far
//     pointer, Ob and Ov a memory offset; a second immediate is a byte;
//   - GrpN makes the slot a group (the ModRM reg field picks the entry,
//     and the group implies a ModRM byte), ESC (x87) a ModRM byte, "escape"
//     a further opcode byte;
//   - (d64) and (f64) force 64-bit operands; (v), (ev), (es) require a
//     VEX or EVEX prefix; a mnemonic starting with v or k, or (v1),
//     accepts one;
//   - (66), (F3), (F2), (!F3) and (66&F2) place the alternative in the
//     tables for that last prefix, and mark the slot as having variants;
//   - an alternative contributing nothing (no operands, no superscript
//     that counts) leaves no attribute.
//
// On top of that, every table entry carries objcheck's own "defined" bit:
// the slot holds, for that last prefix, an instruction of 64-bit mode (an
// alternative that is not a prefix, not an escape and not marked (i64)).
// The kernel's decoder does not have it: it takes any byte for an opcode.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The attribute bits, as arch/x86/opmap.go defines them.
const (
	immByte    = 1
	immWord    = 2
	immDword   = 3
	immQword   = 4
	immPtr     = 5
	immVword32 = 6
	immVword   = 7

	aModRM     = 1 << 3
	aForce64   = 1 << 4
	aSecondImm = 1 << 5
	aMoffset   = 1 << 6
	aVariant   = 1 << 7
	aVEXOK     = 1 << 8
	aVEXOnly   = 1 << 9
	aEVEXOnly  = 1 << 10
	aScalable  = 1 << 11
	aDefined   = 1 << 12

	escShift = 16
	grpShift = 20
)

var immKinds = map[string]uint32{
	"Ib": immByte, "Jb": immByte, "Lx": immByte, "Iw": immWord, "Id": immDword,
	"Iq": immQword, "Ap": immPtr, "Iz": immVword32, "Jz": immVword32, "Iv": immVword,
}

var (
	opndRE      = regexp.MustCompile(`^[A-Za-z/]`)
	extRE       = regexp.MustCompile(`^\(`)
	immRE       = regexp.MustCompile(`^[IJAOL][a-z]`)
	modrmRE     = regexp.MustCompile(`^([CDEGMNPQRSUVW/][a-z]+|NTA|T[012])`)
	groupRE     = regexp.MustCompile(`^Grp[0-9A-Za-z]+`)
	force64RE   = regexp.MustCompile(`\([df]64\)`)
	rexRE       = regexp.MustCompile(`^((REX(\.[XRWB]+)+)|(REX$))`)
	fpuRE       = regexp.MustCompile(`^ESC`)
	lpfx1RE     = regexp.MustCompile(`\((66|!F3)\)`)
	lpfx2RE     = regexp.MustCompile(`\(F3\)`)
	lpfx3RE     = regexp.MustCompile(`\((F2|!F3|66&F2)\)`)
	lpfxRE      = regexp.MustCompile(`\((66|F2|F3)\)`)
	vexokOpRE   = regexp.MustCompile(`^[vk].*`)
	vexokRE     = regexp.MustCompile(`\(v1\)`)
	vexonlyRE   = regexp.MustCompile(`\(v\)`)
	evexonlyRE  = regexp.MustCompile(`\(ev\)`)
	scalableRE  = regexp.MustCompile(`\(es\)`)
	prefixRE    = regexp.MustCompile(`\(Prefix\)`)
	invalid64RE = regexp.MustCompile(`\(i64\)`)
)

// A table is one opcode or group table of the map, in its four last-prefix
// variants (none, 66, F3, F2).
type table struct {
	name  string // the map's name for it
	size  int    // 256, or 8 for a group
	attrs [4]map[int]uint32
}

func newTable(name string, size int) *table {
	t := &table{name: name, size: size}
	for i := range t.attrs {
		t.attrs[i] = map[int]uint32{}
	}
	return t
}

// A parser reads the map.
type parser struct {
	tables   []*table // in the map's order
	cur      *table
	escapeOf map[string]int // escape name -> escape id
	groupOf  map[string]int // group name -> group id
	escapes  map[int]*table // escape id -> table
	avx      map[int]*table // AVX map number -> table
	groups   map[int]*table // group id -> table
	primary  *table
	// pending Referrer and AVXcode of the table being read
	esc, avxCode int
}

func (p *parser) fail(n int, format string, args ...any) {
	log.Fatalf("line %d: %s", n, fmt.Sprintf(format, args...))
}

func (p *parser) line(n int, l string) {
	f := strings.Fields(l)
	switch {
	case len(f) == 0 || strings.HasPrefix(l, "#"):
	case f[0] == "Table:":
		p.cur = newTable(strings.Join(f[1:], " "), 256)
		p.esc, p.avxCode = -1, -1
	case f[0] == "Referrer:":
		if len(f) > 1 {
			id, ok := p.escapeOf[strings.Join(f[1:], "")]
			if !ok {
				p.fail(n, "unknown escape %q", strings.Join(f[1:], " "))
			}
			p.esc = id
		}
	case f[0] == "AVXcode:":
		if len(f) > 1 {
			v, err := strconv.Atoi(f[1])
			if err != nil {
				p.fail(n, "bad AVXcode %q", f[1])
			}
			p.avxCode = v
		}
		switch {
		case p.esc >= 0:
			p.escapes[p.esc] = p.cur
		case p.avxCode < 0:
			p.primary = p.cur
		}
		if p.avxCode >= 0 {
			p.avx[p.avxCode] = p.cur
		}
		p.tables = append(p.tables, p.cur)
	case f[0] == "GrpTable:":
		id, ok := p.groupOf[f[1]]
		if !ok {
			p.fail(n, "group %s is not referred to", f[1])
		}
		p.cur = newTable(f[1], 8)
		p.groups[id] = p.cur
		p.tables = append(p.tables, p.cur)
	case f[0] == "EndTable":
		p.cur = nil
	case p.cur != nil && strings.HasSuffix(f[0], ":"):
		idx, err := strconv.ParseUint(strings.TrimSuffix(f[0], ":"), 16, 8)
		if err != nil || int(idx) >= p.cur.size {
			p.fail(n, "bad opcode %q", f[0])
		}
		p.opcode(n, int(idx), f[1:])
	}
}

// opcode reads the alternatives of one slot.
func (p *parser) opcode(n, idx int, f []string) {
	t := p.cur
	if len(f) > 0 && f[0] == "escape" {
		if len(f) < 3 || f[1] != "#" {
			p.fail(n, "escape without a name")
		}
		name := strings.Join(f[2:], "")
		id := len(p.escapeOf) + 1
		p.escapeOf[name] = id
		t.attrs[0][idx] |= uint32(id) << escShift
		return
	}
	variant := false
	var defined [4]bool
	for i := 0; i < len(f); {
		mnem := f[i]
		i++
		var flags uint32
		ext := ""
		if i < len(f) && opndRE.MatchString(f[i]) {
			flags = p.operands(n, strings.Split(f[i], ","))
			i++
		}
		if i < len(f) && extRE.MatchString(f[i]) {
			ext = f[i]
			i++
		}
		if i < len(f) && f[i] == "|" {
			i++
		} else if i < len(f) {
			p.fail(n, "%q is not a separator", f[i])
		}
		if groupRE.MatchString(mnem) {
			id, ok := p.groupOf[mnem]
			if !ok {
				id = len(p.groupOf) + 1
				p.groupOf[mnem] = id
			}
			flags |= uint32(id)<<grpShift | aModRM
		}
		if force64RE.MatchString(ext) {
			flags |= aForce64
		}
		if fpuRE.MatchString(mnem) {
			flags |= aModRM
		}
		switch {
		case evexonlyRE.MatchString(ext):
			flags |= aVEXOK | aEVEXOnly
		case scalableRE.MatchString(ext):
			flags |= aVEXOK | aEVEXOnly | aScalable
		case vexonlyRE.MatchString(ext):
			flags |= aVEXOK | aVEXOnly
		case vexokRE.MatchString(ext) || vexokOpRE.MatchString(mnem):
			flags |= aVEXOK
		}
		isPrefix := prefixRE.MatchString(ext) || rexRE.MatchString(mnem)
		// Which last-prefix tables the alternative belongs to.
		var in [4]bool
		in[1] = lpfx1RE.MatchString(ext)
		in[2] = lpfx2RE.MatchString(ext)
		in[3] = lpfx3RE.MatchString(ext)
		in[0] = !lpfxRE.MatchString(ext)
		if !isPrefix && !invalid64RE.MatchString(ext) {
			for j := range in {
				defined[j] = defined[j] || in[j]
			}
		}
		if isPrefix {
			// A prefix byte is no instruction: its attribute is the
			// kind of prefix, which objcheck reads from the byte.
			continue
		}
		if flags == 0 {
			continue
		}
		for j := 1; j < 4; j++ {
			if in[j] {
				t.attrs[j][idx] |= flags
				variant = true
			}
		}
		if in[0] {
			t.attrs[0][idx] |= flags
		}
	}
	if variant {
		t.attrs[0][idx] |= aVariant
	}
	if !variant || t == p.primary {
		// The decoder reads one entry for every last prefix here: it is
		// defined if any alternative is.
		any := defined[0] || defined[1] || defined[2] || defined[3]
		defined = [4]bool{any}
	}
	for j, d := range defined {
		if d {
			t.attrs[j][idx] |= aDefined
		}
	}
}

// operands returns the attributes of an alternative's operands.
func (p *parser) operands(n int, opnds []string) uint32 {
	var flags uint32
	haveImm := false
	for _, o := range opnds {
		switch {
		case immRE.MatchString(o):
			k, ok := immKinds[o]
			if o == "Ob" || o == "Ov" {
				k, ok = aMoffset, true
			}
			if !ok {
				p.fail(n, "unknown immediate operand %q", o)
			}
			if haveImm {
				if o != "Ib" {
					p.fail(n, "second immediate %q", o)
				}
				flags |= aSecondImm
				continue
			}
			flags |= k
			haveImm = true
		case modrmRE.MatchString(o):
			flags |= aModRM
		}
	}
	return flags
}

// The Go names of the tables.
var tableNames = map[string]string{
	"one byte opcode":             "opmapOneByte",
	"2-byte opcode (0x0f)":        "opmap0F",
	"3-byte opcode 1 (0x0f 0x38)": "opmap0F38",
	"3-byte opcode 2 (0x0f 0x3a)": "opmap0F3A",
	"EVEX map 4":                  "opmapMap4",
	"EVEX map 5":                  "opmapMap5",
	"EVEX map 6":                  "opmapMap6",
	"VEX map 7":                   "opmapMap7",
}

var variantSuffix = [4]string{"", "_66", "_F3", "_F2"}

func goName(t *table, j int) string {
	base, ok := tableNames[t.name]
	if !ok {
		base = "opmap" + t.name // a group: opmapGrp1, opmapGrpPDLK, ...
	}
	return base + variantSuffix[j]
}

// attrExpr writes an attribute as an expression of the opmap.go names.
func attrExpr(a uint32) string {
	var parts []string
	if k := a & 7; k != 0 {
		parts = append(parts, [...]string{"", "immByte", "immWord", "immDword", "immQword",
			"immPtr", "immVword32", "immVword"}[k])
	}
	for _, b := range []struct {
		bit  uint32
		name string
	}{
		{aModRM, "aModRM"}, {aForce64, "aForce64"}, {aSecondImm, "aSecondImm"},
		{aMoffset, "aMoffset"}, {aVariant, "aVariant"}, {aVEXOK, "aVEXOK"},
		{aVEXOnly, "aVEXOnly"}, {aEVEXOnly, "aEVEXOnly"}, {aScalable, "aScalable"},
		{aDefined, "aDefined"},
	} {
		if a&b.bit != 0 {
			parts = append(parts, b.name)
		}
	}
	if e := a >> escShift & 0xf; e != 0 {
		parts = append(parts, fmt.Sprintf("%d<<escShift", e))
	}
	if g := a >> grpShift & 0x3f; g != 0 {
		parts = append(parts, fmt.Sprintf("%d<<grpShift", g))
	}
	return strings.Join(parts, " | ")
}

func (p *parser) write(src string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by mkopmap from %s; DO NOT EDIT.\n\n", src)
	b.WriteString("package x86\n\n")
	for _, t := range p.tables {
		for j := range t.attrs {
			if len(t.attrs[j]) == 0 {
				continue
			}
			fmt.Fprintf(&b, "// %s: the map's %q", goName(t, j), t.name)
			if j > 0 {
				fmt.Fprintf(&b, ", last prefix %s", strings.TrimPrefix(variantSuffix[j], "_"))
			}
			fmt.Fprintf(&b, ".\nvar %s = [%d]opAttr{\n", goName(t, j), t.size)
			idxs := make([]int, 0, len(t.attrs[j]))
			for i := range t.attrs[j] {
				idxs = append(idxs, i)
			}
			sort.Ints(idxs)
			for _, i := range idxs {
				fmt.Fprintf(&b, "\t%#02x: %s,\n", i, attrExpr(t.attrs[j][i]))
			}
			b.WriteString("}\n\n")
		}
	}
	ref := func(t *table) string {
		var parts []string
		for j := range t.attrs {
			if len(t.attrs[j]) == 0 {
				parts = append(parts, "nil")
			} else {
				parts = append(parts, "&"+goName(t, j))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	fmt.Fprintf(&b, "// opmapPrimary is the one-byte opcode table.\nvar opmapPrimary = &%s\n\n", goName(p.primary, 0))
	b.WriteString("// opmapEscapes are the tables an escape byte leads to, by escape id.\n")
	fmt.Fprintf(&b, "var opmapEscapes = [%d][4]*[256]opAttr{\n", len(p.escapeOf)+1)
	for id := 1; id <= len(p.escapeOf); id++ {
		fmt.Fprintf(&b, "\t%d: %s,\n", id, ref(p.escapes[id]))
	}
	b.WriteString("}\n\n")
	b.WriteString("// opmapGroups are the group tables, by group id.\n")
	fmt.Fprintf(&b, "var opmapGroups = [%d][4]*[8]opAttr{\n", len(p.groupOf)+1)
	for id := 1; id <= len(p.groupOf); id++ {
		if t := p.groups[id]; t != nil {
			fmt.Fprintf(&b, "\t%d: %s,\n", id, ref(t))
		}
	}
	b.WriteString("}\n\n")
	maxAVX := 0
	for m := range p.avx {
		maxAVX = max(maxAVX, m)
	}
	b.WriteString("// opmapVEX are the tables of the VEX and EVEX maps, by map number.\n")
	fmt.Fprintf(&b, "var opmapVEX = [%d][4]*[256]opAttr{\n", maxAVX+1)
	for m := 0; m <= maxAVX; m++ {
		if t := p.avx[m]; t != nil {
			fmt.Fprintf(&b, "\t%d: %s,\n", m, ref(t))
		}
	}
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatalf("formatting: %v", err)
	}
	return out
}

// Generate returns the Go source of the tables for the map in data; src
// names the map in the generated file's header.
func Generate(data []byte, src string) []byte {
	p := &parser{
		escapeOf: map[string]int{}, groupOf: map[string]int{},
		escapes: map[int]*table{}, avx: map[int]*table{}, groups: map[int]*table{},
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		p.line(n, sc.Text())
	}
	if p.primary == nil {
		log.Fatal("no one-byte opcode table")
	}
	for name, id := range p.groupOf {
		if p.groups[id] == nil {
			log.Fatalf("group %s has no table", name)
		}
	}
	return p.write(src)
}

func main() {
	mapPath := flag.String("map", "", "the kernel's x86-opcode-map.txt")
	out := flag.String("o", "opmap_tables.go", "output file")
	flag.Parse()
	if *mapPath == "" {
		log.Fatal("usage: mkopmap -map x86-opcode-map.txt [-o file]")
	}
	data, err := os.ReadFile(*mapPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, Generate(data, "Linux 6.12's arch/x86/lib/x86-opcode-map.txt"), 0o644); err != nil {
		log.Fatal(err)
	}
}
