package ehframe

import (
	"bufio"
	"debug/elf"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/objcheck/objcheck/decode"
)

// A table is one CIE's or FDE's rows as readelf's frames-interp prints
// them: the column names of its LOC/CFA header line, and per row the
// location and the columns' texts.
type table struct {
	cie        uint64 // an FDE's CIE
	start, end uint64 // an FDE's pc range
	cols       []string
	rows       []tableRow
}

type tableRow struct {
	loc    uint64
	fields []string // CFA, then one per column
}

// parseReadelf reads the output of readelf --debug-dump=frames-interp
// into tables by entry offset.
func parseReadelf(out string) (map[uint64]*table, error) {
	tables := map[uint64]*table{}
	var cur *table
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 4 && (f[3] == "CIE" || f[3] == "FDE"):
			off, err := strconv.ParseUint(f[0], 16, 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", sc.Text(), err)
			}
			cur = &table{}
			tables[off] = cur
			if f[3] == "FDE" {
				if err := cur.parseFDE(f[4:]); err != nil {
					return nil, fmt.Errorf("%q: %v", sc.Text(), err)
				}
			}
		case len(f) >= 2 && f[0] == "LOC" && f[1] == "CFA" && cur != nil:
			cur.cols = f[2:]
		case len(f) >= 2 && cur != nil && cur.cols != nil:
			loc, err := strconv.ParseUint(f[0], 16, 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", sc.Text(), err)
			}
			if len(f) != len(cur.cols)+2 {
				return nil, fmt.Errorf("%q: %d fields for %d columns", sc.Text(), len(f)-2, len(cur.cols))
			}
			cur.rows = append(cur.rows, tableRow{loc: loc, fields: f[1:]})
		}
	}
	return tables, sc.Err()
}

// parseFDE reads "cie=X pc=A..B".
func (t *table) parseFDE(f []string) error {
	if len(f) < 2 || !strings.HasPrefix(f[0], "cie=") || !strings.HasPrefix(f[1], "pc=") {
		return fmt.Errorf("no cie= and pc=")
	}
	a, b, _ := strings.Cut(f[1][3:], "..")
	var err [3]error
	t.cie, err[0] = strconv.ParseUint(f[0][4:], 16, 64)
	t.start, err[1] = strconv.ParseUint(a, 16, 64)
	t.end, err[2] = strconv.ParseUint(b, 16, 64)
	for _, e := range err {
		if e != nil {
			return e
		}
	}
	return nil
}

// x86RegNames are readelf's names of the x86-64 DWARF registers that are
// not "rN".
var x86RegNames = map[string]uint16{"rax": 0, "rdx": 1, "rcx": 2, "rbx": 3, "rsi": 4, "rdi": 5, "rbp": 6, "rsp": 7, "rip": 16}

// regNumber returns the DWARF register readelf calls name on machine m.
func regNumber(m elf.Machine, name string) (uint16, bool) {
	if n, ok := x86RegNames[name]; ok && m == elf.EM_X86_64 {
		return n, true
	}
	if m == elf.EM_AARCH64 && name == "sp" {
		return 31, true
	}
	if len(name) > 1 && (name[0] == 'r' || m == elf.EM_AARCH64 && name[0] == 'x') {
		n, err := strconv.ParseUint(name[1:], 10, 16)
		return uint16(n), err == nil
	}
	return 0, false
}

// matchCFA reports whether readelf's CFA text s says what rule r does.
func matchCFA(m elf.Machine, s string, r Rule) bool {
	if s == "exp" {
		return r.Kind == Expression
	}
	i := strings.LastIndexAny(s, "+-")
	if i < 0 {
		return false
	}
	reg, ok := regNumber(m, s[:i])
	off, err := strconv.ParseInt(s[i:], 10, 64)
	return ok && err == nil && r == Rule{Kind: RegOffset, Reg: reg, Off: off}
}

// matchColumn reports whether readelf's column text s says what rule r
// does. readelf prints "u" both for a register the CFI left unspecified
// (SameValue here) and for DW_CFA_undefined.
func matchColumn(m elf.Machine, s string, r Rule) bool {
	switch s {
	case "u":
		return r.Kind == Undefined || r.Kind == SameValue
	case "s":
		return r.Kind == SameValue
	case "exp", "vexp":
		return r.Kind == Expression
	}
	if s[0] == 'c' || s[0] == 'v' {
		off, err := strconv.ParseInt(s[1:], 10, 64)
		kind := AtCFA
		if s[0] == 'v' {
			kind = ValCFA
		}
		return err == nil && r == Rule{Kind: kind, Off: off}
	}
	reg, ok := regNumber(m, s)
	return ok && r == Rule{Kind: InRegister, Reg: reg}
}

// compareReadelf compares every FDE's rows with readelf's tables at every
// location where either has a row, and returns a description of each
// difference.
func compareReadelf(f *decode.File, fdes []FDE, tables map[uint64]*table) []string {
	var diffs []string
	fdeTables := 0
	for _, t := range tables {
		if t.end != 0 {
			fdeTables++
		}
	}
	if fdeTables != len(fdes) {
		diffs = append(diffs, fmt.Sprintf("%d FDEs, readelf has %d", len(fdes), fdeTables))
	}
	for i := range fdes {
		fde := &fdes[i]
		t := tables[fde.Offset]
		if t == nil || t.end == 0 {
			diffs = append(diffs, fmt.Sprintf("FDE %#x: readelf has no FDE there", fde.Offset))
			continue
		}
		if t.start != fde.Start || t.end != fde.End {
			diffs = append(diffs, fmt.Sprintf("FDE %#x: %#x..%#x, readelf %#x..%#x", fde.Offset, fde.Start, fde.End, t.start, t.end))
			continue
		}
		diffs = append(diffs, compareTable(f, fde, t, tables[t.cie])...)
	}
	return diffs
}

// compareTable compares one FDE with readelf's table, or its CIE's when
// readelf printed no rows (an FDE of nops only).
func compareTable(f *decode.File, fde *FDE, t, cieTable *table) []string {
	rows := t.rows
	if len(rows) == 0 && cieTable != nil && len(cieTable.rows) == 1 {
		t = &table{cols: cieTable.cols, rows: []tableRow{{loc: fde.Start, fields: cieTable.rows[0].fields}}}
		rows = t.rows
	}
	if len(rows) == 0 {
		return []string{fmt.Sprintf("FDE %#x: readelf printed no rows", fde.Offset)}
	}
	locs := []uint64{}
	for _, r := range rows {
		locs = append(locs, r.loc)
	}
	for _, r := range fde.Rows {
		locs = append(locs, r.Off)
	}
	slices.Sort(locs)
	var diffs []string
	for _, loc := range slices.Compact(locs) {
		if loc < fde.Start || loc >= fde.End {
			continue
		}
		i, _ := slices.BinarySearchFunc(rows, loc, func(r tableRow, loc uint64) int {
			return cmpUint(r.loc, loc+1)
		})
		if i == 0 {
			diffs = append(diffs, fmt.Sprintf("FDE %#x: readelf has no row at %#x", fde.Offset, loc))
			continue
		}
		if d := compareRow(f, fde, t.cols, rows[i-1].fields, fde.At(loc)); d != "" {
			diffs = append(diffs, fmt.Sprintf("FDE %#x at %#x: %s", fde.Offset, loc, d))
		}
	}
	return diffs
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareRow compares one row with readelf's fields (CFA, then cols).
func compareRow(f *decode.File, fde *FDE, cols, fields []string, r *Row) string {
	if r == nil {
		return "no row"
	}
	ra, fp := "u", "u" // columns readelf leaves out are unreferenced
	fpReg := f.Arch.DWARF.FP
	for i, c := range cols {
		if c == "ra" {
			ra = fields[i+1]
		} else if n, ok := regNumber(f.Machine, c); ok && n == fpReg {
			fp = fields[i+1]
		}
	}
	switch {
	case !matchCFA(f.Machine, fields[0], r.CFA):
		return fmt.Sprintf("CFA %v, readelf %s", r.CFA, fields[0])
	case !matchColumn(f.Machine, ra, r.RA):
		return fmt.Sprintf("RA %v, readelf %s", r.RA, ra)
	case !matchColumn(f.Machine, fp, r.FP):
		return fmt.Sprintf("FP %v, readelf %s", r.FP, fp)
	}
	return ""
}
