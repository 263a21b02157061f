package main

import (
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"slices"
	"sort"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/decode"
)

// The source places of diagnostics, from the object's .debug_line.
//
// In an object file the addresses of the line table are relocations
// against the sections the code is in, and every section starts at 0: the
// standard library's ELF reader, which applies them with the section
// symbols' value 0, would leave .text+0x10 and .init.text+0x10 the same
// address. So the DWARF sections are relocated here, each code section
// at a base of its own (its index above secShift), and a line row's
// address says both the section and the offset.

// secShift places section i's code at (i+1) << secShift.
const secShift = 40

// A srcPos is a place in a source file.
type srcPos struct {
	file         string
	line, column int
}

// A lineRow is one row of a line table: from its address on, the code is
// that of pos, up to the next row; a row that ends a sequence maps nothing.
type lineRow struct {
	addr uint64
	pos  srcPos
	end  bool
}

// A lineTable maps section offsets to source places; nil maps nothing.
type lineTable struct {
	rows []lineRow // sorted by address
}

// find returns the source place of offset off of section sec, or nil.
func (t *lineTable) find(sec int, off uint64) *srcPos {
	if t == nil || off >= 1<<secShift {
		return nil
	}
	addr := uint64(sec+1)<<secShift | off
	i := sort.Search(len(t.rows), func(i int) bool { return t.rows[i].addr > addr }) - 1
	if i < 0 || t.rows[i].end || t.rows[i].addr>>secShift != addr>>secShift {
		return nil
	}
	p := t.rows[i].pos
	return &p
}

// The DWARF sections read, by the name dwarf.Data.AddSection knows
// them by; the first ones go to dwarf.New.
var dwarfSections = []string{".debug_abbrev", ".debug_info", ".debug_line", ".debug_str", ".debug_ranges",
	".debug_line_str", ".debug_addr", ".debug_str_offsets", ".debug_rnglists"}

// readLines reads the line table of f; nil when it has none or it cannot
// be read. It never panics: a malformed table maps nothing.
func readLines(f *decode.File) (t *lineTable) {
	defer func() {
		if recover() != nil {
			t = nil
		}
	}()
	if f.SectionByName(".debug_line") == nil || f.SectionByName(".debug_info") == nil {
		return nil
	}
	data := map[string][]byte{}
	for _, name := range dwarfSections {
		if s := f.SectionByName(name); s != nil && s.Data != nil {
			data[name] = relocated(f, s)
		}
	}
	d, err := dwarf.New(data[".debug_abbrev"], nil, nil, data[".debug_info"], data[".debug_line"], nil,
		data[".debug_ranges"], data[".debug_str"])
	if err != nil {
		return nil
	}
	for _, name := range dwarfSections[5:] {
		if b, ok := data[name]; ok {
			if d.AddSection(name, b) != nil {
				return nil
			}
		}
	}
	return &lineTable{rows: lineRows(d)}
}

// lineRows reads the rows of every compilation unit's line table.
func lineRows(d *dwarf.Data) []lineRow {
	var rows []lineRow
	r := d.Reader()
	for {
		cu, err := r.Next()
		if err != nil || cu == nil {
			break
		}
		if cu.Tag != dwarf.TagCompileUnit {
			r.SkipChildren()
			continue
		}
		r.SkipChildren()
		lr, err := d.LineReader(cu)
		if err != nil || lr == nil {
			continue
		}
		var e dwarf.LineEntry
		for lr.Next(&e) == nil {
			row := lineRow{addr: e.Address, end: e.EndSequence, pos: srcPos{line: e.Line, column: e.Column}}
			if e.File != nil {
				row.pos.file = e.File.Name
			}
			rows = append(rows, row)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].addr < rows[j].addr })
	return rows
}

// relocated returns a copy of s's contents with its relocations applied:
// S + A, where a symbol in a section with code counts from that section's
// base.
func relocated(f *decode.File, s *decode.Section) []byte {
	b := append([]byte(nil), s.Data...)
	for _, r := range s.Relocs {
		w := absWidth(f.Arch, r.Type)
		if w == 0 || r.Sym == nil || r.Offset+uint64(w) > uint64(len(b)) {
			continue
		}
		v := r.Sym.Value + uint64(r.Addend)
		if sec := r.Sym.Section; sec != nil && sec.Flags&elf.SHF_EXECINSTR != 0 {
			v += uint64(sec.Index+1) << secShift
		}
		put(f.ByteOrder, b[r.Offset:], w, v)
	}
	return b
}

// absWidth returns the bytes an absolute relocation of type t writes, the
// kind DWARF sections use, or 0 for a relocation of another kind.
func absWidth(a *arch.Arch, t uint32) int {
	if a == nil || a.Relocs.Width == nil || !slices.Contains(a.Relocs.Abs, t) {
		return 0
	}
	return int(a.Relocs.Width(t))
}

func put(o binary.ByteOrder, b []byte, width int, v uint64) {
	if width == 8 {
		o.PutUint64(b, v)
		return
	}
	o.PutUint32(b, uint32(v))
}
