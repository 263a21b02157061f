package ppc64

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/objcheck/objcheck/arch"
)

// switchDir holds switch.c and the objects build-switch.sh makes of it.
const switchDir = "../../testdata/ppc64"

// An elfObject is an object file read for switch queries: its sections'
// contents and relocations, and its function symbols.
type elfObject struct {
	file   *elf.File
	order  binary.ByteOrder
	data   [][]byte
	relocs []map[uint64]arch.Target // by section, then offset
	funcs  []elf.Symbol
}

// openObject reads the object at path.
func openObject(t testing.TB, path string) *elfObject {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	o, err := readObject(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return o
}

// readObject reads f's sections, relocations and function symbols.
func readObject(f *elf.File) (*elfObject, error) {
	o := &elfObject{file: f, order: f.ByteOrder}
	o.data = make([][]byte, len(f.Sections))
	o.relocs = make([]map[uint64]arch.Target, len(f.Sections))
	for i, s := range f.Sections {
		if s.Type != elf.SHT_NOBITS && s.Type != elf.SHT_NULL {
			d, err := s.Data()
			if err != nil {
				return nil, fmt.Errorf("%s: %v", s.Name, err)
			}
			o.data[i] = d
		}
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, err
	}
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Section != elf.SHN_UNDEF && int(s.Section) < len(f.Sections) {
			o.funcs = append(o.funcs, s)
		}
	}
	sort.Slice(o.funcs, func(i, j int) bool {
		a, b := o.funcs[i], o.funcs[j]
		return a.Section < b.Section || a.Section == b.Section && a.Value < b.Value
	})
	for _, s := range f.Sections {
		if s.Type != elf.SHT_RELA || int(s.Info) >= len(f.Sections) {
			continue
		}
		d, err := s.Data()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.Name, err)
		}
		m := map[uint64]arch.Target{}
		for off := 0; off+24 <= len(d); off += 24 {
			var r elf.Rela64
			r.Off = f.ByteOrder.Uint64(d[off:])
			r.Info = f.ByteOrder.Uint64(d[off+8:])
			r.Addend = int64(f.ByteOrder.Uint64(d[off+16:]))
			si := elf.R_SYM64(r.Info)
			if si == 0 || int(si) > len(syms) {
				continue
			}
			sym := syms[si-1]
			if sym.Section == elf.SHN_UNDEF || sym.Section >= elf.SHN_LORESERVE {
				continue
			}
			m[r.Off] = arch.Target{Sec: int(sym.Section), Off: sym.Value + uint64(r.Addend)}
		}
		o.relocs[s.Info] = m
	}
	return o, nil
}

// query builds the switch query of the dynamic jump at jump in section sec,
// in the function starting at start.
func (o *elfObject) query(sec int, start, jump uint64) *arch.SwitchQuery {
	return &arch.SwitchQuery{
		Code: o.data[sec], Sec: sec, Start: start, Jump: jump,
		Reloc: func(s int, off uint64) (arch.Target, bool) {
			if s < 0 || s >= len(o.relocs) || o.relocs[s] == nil {
				return arch.Target{}, false
			}
			t, ok := o.relocs[s][off]
			return t, ok
		},
		Data: func(s int) []byte {
			if s < 0 || s >= len(o.data) {
				return nil
			}
			return o.data[s]
		},
	}
}

// A bctrSite is one bctr of a function.
type bctrSite struct {
	fn   elf.Symbol
	sec  int
	jump uint64
}

// bctrs lists the bctr words of every function of the object.
func (o *elfObject) bctrs() []bctrSite {
	var out []bctrSite
	for _, fn := range o.funcs {
		sec := int(fn.Section)
		code := o.data[sec]
		if o.file.Sections[sec].Flags&elf.SHF_EXECINSTR == 0 {
			continue
		}
		for off := fn.Value &^ 3; off+4 <= fn.Value+fn.Size && off+4 <= uint64(len(code)); off += 4 {
			if o.order.Uint32(code[off:]) == bctrWord {
				out = append(out, bctrSite{fn, sec, off})
			}
		}
	}
	return out
}

// A switchCase is what FindSwitch must answer for one bctr of a test
// object.
type switchCase struct {
	fn      string
	jump    uint64   // offset of the bctr in .text
	targets []uint64 // nil for a tail call
	data    []arch.Range
}

// tail is the answer for a bctr that is not a switch.
func tail(fn string, jump uint64) switchCase { return switchCase{fn: fn, jump: jump} }

// inline is the answer for a table of relative offsets right after the
// bctr at jump.
func inline(fn string, jump uint64, targets []uint64) switchCase {
	start := jump + 4
	return switchCase{fn: fn, jump: jump, targets: targets,
		data: []arch.Range{{Start: start, End: start + 4*uint64(len(targets))}}}
}

// computed is the answer for interp's computed goto at jump: 256 entries,
// all going to out but for ops 1 to 4.
func computed(jump, out, add, dbl, sub, neg uint64) switchCase {
	targets := fill(out, 256)
	targets[1], targets[2], targets[3], targets[4] = add, dbl, sub, neg
	return switchCase{fn: "interp", jump: jump, targets: targets}
}

func to(targets ...uint64) []uint64      { return targets }
func fill(target uint64, n int) []uint64 { return slices.Repeat([]uint64{target}, n) }
func cat(parts ...[]uint64) []uint64     { return slices.Concat(parts...) }

// switchObjects lists, per object build-switch.sh makes of switch.c,
// every bctr and its table, read off objdump -d: the table start (the
// bctr's offset + 4) plus each .long after the bctr, as many as switch.c's
// cases span (dense 6, offset_range 21, classify 24, wide 7, masked 8,
// parse 63, two 7 and 6), or for interp the R_PPC64_ADDR64 relocations of
// .data.rel.ro.local (readelf -r).
var switchObjects = map[string][]switchCase{
	"switch-le.o": {
		inline("dense", 0x3c, to(0xc0, 0xe0, 0x110, 0x140, 0x60, 0x90)),
		inline("offset_range", 0x1b4, cat(to(0x250, 0x270, 0x210, 0x290, 0x2b0, 0x210, 0x210, 0x2d0, 0x210, 0x210, 0x2f0, 0x310), fill(0x210, 3), to(0x330), fill(0x210, 4), to(0x230))),
		inline("classify", 0x394, cat(to(0x440, 0x400, 0x460, 0x480), fill(0x400, 4), to(0x4a0), fill(0x400, 5), to(0x4c0), fill(0x400, 3), to(0x4e0, 0x400, 0x4f0, 0x400, 0x400, 0x420))),
		inline("wide", 0x540, to(0x560, 0x570, 0x580, 0x590, 0x5a0, 0x5b0, 0x5c0)),
		inline("masked", 0x608, to(0x70c, 0x650, 0x670, 0x690, 0x6b0, 0x6d0, 0x6f0, 0x630)),
		inline("parse", 0x770, cat(to(0x8e0), fill(0x870, 41), to(0x890, 0x8c0, 0x870, 0x8b0, 0x870, 0x8a0), fill(0x880, 10), to(0x870, 0x870, 0x890, 0x870, 0x8d0))),
		inline("two", 0x94c, to(0xbe4, 0xa50, 0xb70, 0xb90, 0xbb0, 0xbd0, 0x970)),
		inline("two", 0x9a8, to(0xb30, 0xaf0, 0xab0, 0xa70, 0x9d0, 0xa10)),
		computed(0xcc4, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
		computed(0xcfc, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
		computed(0xd20, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
		computed(0xd4c, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
		computed(0xd70, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
	},
	"switch-be.o": {
		inline("dense", 0x3c, to(0xc0, 0xe0, 0x110, 0x140, 0x60, 0x90)),
		inline("offset_range", 0x1b4, cat(to(0x250, 0x270, 0x210, 0x290, 0x2b0, 0x210, 0x210, 0x2d0, 0x210, 0x210, 0x2f0, 0x310), fill(0x210, 3), to(0x330), fill(0x210, 4), to(0x230))),
		inline("classify", 0x394, cat(to(0x440, 0x400, 0x460, 0x480), fill(0x400, 4), to(0x4a0), fill(0x400, 5), to(0x4c0), fill(0x400, 3), to(0x4e0, 0x400, 0x4f0, 0x400, 0x400, 0x420))),
		inline("wide", 0x540, to(0x560, 0x570, 0x580, 0x590, 0x5a0, 0x5b0, 0x5c0)),
		inline("masked", 0x608, to(0x70c, 0x650, 0x670, 0x690, 0x6b0, 0x6d0, 0x6f0, 0x630)),
		inline("parse", 0x770, cat(to(0x8e0), fill(0x870, 41), to(0x890, 0x8c0, 0x870, 0x8b0, 0x870, 0x8a0), fill(0x880, 10), to(0x870, 0x870, 0x890, 0x870, 0x8d0))),
		inline("two", 0x94c, to(0xbe4, 0xa50, 0xb70, 0xb90, 0xbb0, 0xbd0, 0x970)),
		inline("two", 0x9a8, to(0xb30, 0xaf0, 0xab0, 0xa70, 0x9d0, 0xa10)),
		computed(0xcc4, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
		computed(0xcfc, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
		computed(0xd20, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
		computed(0xd4c, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
		computed(0xd70, 0xcd0, 0xd50, 0xd30, 0xd00, 0xce0),
	},
	"switch-small.o": {
		inline("dense", 0x38, to(0xc0, 0xe0, 0x110, 0x140, 0x60, 0x90)),
		inline("offset_range", 0x1b0, cat(to(0x250, 0x270, 0x210, 0x290, 0x2b0, 0x210, 0x210, 0x2d0, 0x210, 0x210, 0x2f0, 0x310), fill(0x210, 3), to(0x330), fill(0x210, 4), to(0x230))),
		inline("classify", 0x390, cat(to(0x440, 0x400, 0x460, 0x480), fill(0x400, 4), to(0x4a0), fill(0x400, 5), to(0x4c0), fill(0x400, 3), to(0x4e0, 0x400, 0x4f0, 0x400, 0x400, 0x420))),
		inline("wide", 0x53c, to(0x560, 0x570, 0x580, 0x590, 0x5a0, 0x5b0, 0x5c0)),
		inline("masked", 0x604, to(0x70c, 0x650, 0x670, 0x690, 0x6b0, 0x6d0, 0x6f0, 0x630)),
		inline("parse", 0x770, cat(to(0x8e0), fill(0x870, 41), to(0x890, 0x8c0, 0x870, 0x8b0, 0x870, 0x8a0), fill(0x880, 10), to(0x870, 0x870, 0x890, 0x870, 0x8d0))),
		inline("two", 0x948, to(0xbd4, 0xa40, 0xb60, 0xb80, 0xba0, 0xbc0, 0x970)),
		inline("two", 0x9a4, to(0xb20, 0xae0, 0xaa0, 0xa60, 0x9c0, 0xa00)),
		computed(0xcb0, 0xcc0, 0xd40, 0xd20, 0xcf0, 0xcd0),
		computed(0xcec, 0xcc0, 0xd40, 0xd20, 0xcf0, 0xcd0),
		computed(0xd10, 0xcc0, 0xd40, 0xd20, 0xcf0, 0xcd0),
		computed(0xd3c, 0xcc0, 0xd40, 0xd20, 0xcf0, 0xcd0),
		computed(0xd60, 0xcc0, 0xd40, 0xd20, 0xcf0, 0xcd0),
	},
	"switch-p10.o": {
		inline("dense", 0x28, to(0x70, 0x80, 0x90, 0xa0, 0x50, 0x60)),
		inline("offset_range", 0xf0, cat(to(0x160, 0x170, 0x150, 0x180, 0x190, 0x150, 0x150, 0x1a0, 0x150, 0x150, 0x1b0, 0x1c0), fill(0x150, 3), to(0x1d0), fill(0x150, 4), to(0x1e0))),
		inline("classify", 0x224, cat(to(0x2a0, 0x290, 0x2b0, 0x2c0), fill(0x290, 4), to(0x2d0), fill(0x290, 5), to(0x2e0), fill(0x290, 3), to(0x2f0, 0x290, 0x300, 0x290, 0x290, 0x310))),
		inline("wide", 0x348, to(0x370, 0x380, 0x390, 0x3a0, 0x3b0, 0x3c0, 0x3d0)),
		inline("masked", 0x404, to(0x494, 0x440, 0x450, 0x460, 0x470, 0x480, 0x490, 0x430)),
		inline("parse", 0x4e0, cat(to(0x650), fill(0x5e0, 41), to(0x600, 0x630, 0x5e0, 0x620, 0x5e0, 0x610), fill(0x5f0, 10), to(0x5e0, 0x5e0, 0x600, 0x5e0, 0x640))),
		inline("two", 0x6b0, to(0x900, 0x7b0, 0x8c0, 0x8d0, 0x8e0, 0x8f0, 0x6d0)),
		inline("two", 0x708, to(0x880, 0x840, 0x800, 0x7c0, 0x730, 0x770)),
		tail("two", 0x760),
		tail("two", 0x7a0),
		tail("two", 0x7f0),
		tail("two", 0x830),
		tail("two", 0x870),
		tail("two", 0x8b0),
		tail("call_through", 0x928),
		tail("dispatch", 0x954),
		computed(0x98c, 0x990, 0xa10, 0x9f0, 0x9c0, 0x9a0),
		computed(0x9bc, 0x990, 0xa10, 0x9f0, 0x9c0, 0x9a0),
		computed(0x9e0, 0x990, 0xa10, 0x9f0, 0x9c0, 0x9a0),
		computed(0xa0c, 0x990, 0xa10, 0x9f0, 0x9c0, 0x9a0),
		computed(0xa30, 0x990, 0xa10, 0x9f0, 0x9c0, 0x9a0),
	},
}

func TestFindSwitchObjects(t *testing.T) {
	for name, cases := range switchObjects {
		t.Run(name, func(t *testing.T) {
			o := openObject(t, filepath.Join(switchDir, name))
			find := switchFinder(o.order)
			want := map[uint64]switchCase{}
			for _, c := range cases {
				want[c.jump] = c
			}
			for _, s := range o.bctrs() {
				got, err := find(o.query(s.sec, s.fn.Value, s.jump))
				w, ok := want[s.jump]
				delete(want, s.jump)
				desc := fmt.Sprintf("%s bctr at %#x", s.fn.Name, s.jump)
				switch {
				case !ok:
					t.Errorf("%s: not listed; FindSwitch says %s", desc, describe(got, err))
				case w.fn != s.fn.Name:
					t.Errorf("%s: listed in %s", desc, w.fn)
				case err != nil:
					t.Errorf("%s: %v", desc, err)
				case w.targets == nil:
					if got != nil {
						t.Errorf("%s: %s, want a tail call", desc, describe(got, nil))
					}
				case got == nil:
					t.Errorf("%s: a tail call, want %d targets", desc, len(w.targets))
				default:
					if diff := cmp.Diff(w.targets, got.Targets); diff != "" {
						t.Errorf("%s: targets (-want +got):\n%s", desc, diff)
					}
					if diff := cmp.Diff(w.data, got.Data); diff != "" {
						t.Errorf("%s: data (-want +got):\n%s", desc, diff)
					}
				}
			}
			for _, w := range want {
				t.Errorf("%s bctr at %#x: listed but not in the object", w.fn, w.jump)
			}
		})
	}
}

// describe prints a FindSwitch answer.
func describe(t *arch.SwitchTable, err error) string {
	switch {
	case err != nil:
		return "error " + err.Error()
	case t == nil:
		return "tail call"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d targets", len(t.Targets))
	for i, x := range t.Targets {
		if i == 16 {
			b.WriteString(" ...")
			break
		}
		fmt.Fprintf(&b, " %#x", x)
	}
	for _, r := range t.Data {
		fmt.Fprintf(&b, " data [%#x,%#x)", r.Start, r.End)
	}
	return b.String()
}

// TestFindSwitchForms checks how each form of switch.c is recognised: the
// table address, the index scaling and the bound.
func TestFindSwitchForms(t *testing.T) {
	want := map[string]map[string]string{
		"switch-le.o": {"dense": "toc/sldi/cmpli", "offset_range": "toc/rldic/cmpli",
			"classify": "toc/rldic/cmpli", "wide": "toc/sldi/cmpli", "masked": "toc/rldic/range",
			"parse": "toc/rldic/cmpli", "two": "toc/sldi/cmpli", "interp": "addi/sldi/range"},
		"switch-small.o": {"dense": "toc/sldi/cmpli", "masked": "toc/rldic/range", "interp": "toc/sldi/range"},
		"switch-p10.o":   {"dense": "pla/sldi/cmpli", "masked": "pla/rldic/range", "interp": "pla/sldi/range"},
	}
	for name, forms := range want {
		o := openObject(t, filepath.Join(switchDir, name))
		seen := map[string]bool{}
		for _, s := range o.bctrs() {
			form, ok := forms[s.fn.Name]
			if !ok || seen[s.fn.Name] {
				continue
			}
			seen[s.fn.Name] = true
			var tr switchTrace
			if _, err := findSwitchTraced(o.order, o.query(s.sec, s.fn.Value, s.jump), &tr); err != nil {
				t.Errorf("%s %s: %v", name, s.fn.Name, err)
			}
			if got := tr.base + "/" + tr.index + "/" + tr.bound; got != form {
				t.Errorf("%s %s: form %s, want %s", name, s.fn.Name, got, form)
			}
		}
		for fn := range forms {
			if !seen[fn] {
				t.Errorf("%s: no bctr in %s", name, fn)
			}
		}
	}
}

// TestFindSwitchBadQueries checks the answers to queries that do not
// describe a bctr in its section, and to tables without relocations.
func TestFindSwitchBadQueries(t *testing.T) {
	le := switchFinder(binary.LittleEndian)
	bctr := binary.LittleEndian.AppendUint32(nil, bctrWord)
	for _, tt := range []struct {
		name string
		q    *arch.SwitchQuery
	}{
		{"nil query", nil},
		{"no code", &arch.SwitchQuery{}},
		{"jump past the end", &arch.SwitchQuery{Code: bctr, Jump: 4}},
		{"jump in a partial word", &arch.SwitchQuery{Code: bctr[:3], Jump: 0}},
		{"misaligned jump", &arch.SwitchQuery{Code: slices.Concat(bctr, bctr), Jump: 2}},
		{"function after the jump", &arch.SwitchQuery{Code: slices.Concat(bctr, bctr), Start: 4, Jump: 0}},
		{"not a bctr", &arch.SwitchQuery{Code: []byte{0, 0, 0, 0x60}}},
		{"huge jump", &arch.SwitchQuery{Code: bctr, Jump: ^uint64(0) - 3}},
	} {
		got, err := le(tt.q)
		if got != nil || err == nil || errors.Is(err, arch.ErrNoSwitchBound) {
			t.Errorf("%s: %s, want an error that is not ErrNoSwitchBound", tt.name, describe(got, err))
		}
	}
	// A bare bctr, with nothing loading CTR: not a table.
	if got, err := le(&arch.SwitchQuery{Code: bctr}); got != nil || err != nil {
		t.Errorf("bare bctr: %s, want a tail call", describe(got, err))
	}
	// Without relocations the .toc entries point nowhere: the tables are
	// recognised, and not bounded; the computed goto's table is not seen.
	o := openObject(t, filepath.Join(switchDir, "switch-le.o"))
	for _, s := range o.bctrs() {
		q := o.query(s.sec, s.fn.Value, s.jump)
		q.Reloc, q.Data = nil, nil
		got, err := le(q)
		if s.fn.Name == "interp" {
			if got != nil || err != nil {
				t.Errorf("%s at %#x without relocations: %s, want no table", s.fn.Name, s.jump, describe(got, err))
			}
		} else if !errors.Is(err, arch.ErrNoSwitchBound) {
			t.Errorf("%s at %#x without relocations: %s, want no bound", s.fn.Name, s.jump, describe(got, err))
		}
	}
}

// TestFindSwitchTruncated cuts each test object's .text after every bctr
// of an inline table, at every halfword up to the end of its table: a
// table that runs off the section has no bound.
func TestFindSwitchTruncated(t *testing.T) {
	for name, cases := range switchObjects {
		o := openObject(t, filepath.Join(switchDir, name))
		find := switchFinder(o.order)
		byJump := map[uint64]switchCase{}
		for _, c := range cases {
			byJump[c.jump] = c
		}
		for _, s := range o.bctrs() {
			c := byJump[s.jump]
			if len(c.data) == 0 {
				continue
			}
			for end := s.jump + 4; end < c.data[0].End; end += 2 {
				q := o.query(s.sec, s.fn.Value, s.jump)
				q.Code = q.Code[:end]
				got, err := find(q)
				if !errors.Is(err, arch.ErrNoSwitchBound) {
					t.Errorf("%s %s at %#x, .text cut at %#x: %s, want no bound",
						name, s.fn.Name, s.jump, end, describe(got, err))
				}
			}
		}
	}
}

// TestFindSwitchGarbage runs FindSwitch on corrupted copies of the test
// objects (random words before the jump and in its table, relocations
// pointing anywhere) and checks that it never panics and that what it
// returns lies in the section.
func TestFindSwitchGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rounds := 100
	if testing.Short() {
		rounds = 10
	}
	for name := range switchObjects {
		o := openObject(t, filepath.Join(switchDir, name))
		find := switchFinder(o.order)
		for _, s := range o.bctrs() {
			for range rounds {
				q := o.query(s.sec, s.fn.Value, s.jump)
				code := slices.Clone(q.Code)
				for range 1 + rng.IntN(8) {
					off := (s.fn.Value + uint64(rng.IntN(int(s.jump-s.fn.Value+64)))) &^ 3
					if off+4 <= uint64(len(code)) && off != s.jump {
						o.order.PutUint32(code[off:], rng.Uint32())
					}
				}
				q.Code = code
				if rng.IntN(4) == 0 {
					q.Reloc = func(sec int, off uint64) (arch.Target, bool) {
						return arch.Target{Sec: rng.IntN(len(o.data)+2) - 1, Off: rng.Uint64() >> rng.IntN(64)}, rng.IntN(2) == 0
					}
				}
				got, err := find(q)
				checkSwitchAnswer(t, q, got, err)
			}
		}
	}
}

// checkSwitchAnswer checks that a FindSwitch answer lies in the section.
func checkSwitchAnswer(t *testing.T, q *arch.SwitchQuery, got *arch.SwitchTable, err error) {
	t.Helper()
	if err != nil && got != nil {
		t.Fatalf("jump at %#x: both a table and %v", q.Jump, err)
	}
	if got == nil {
		return
	}
	for _, x := range got.Targets {
		if x >= uint64(len(q.Code)) || x%4 != 0 {
			t.Fatalf("jump at %#x: target %#x outside the %d-byte section or misaligned", q.Jump, x, len(q.Code))
		}
	}
	for _, r := range got.Data {
		if r.Start >= r.End || r.End > uint64(len(q.Code)) {
			t.Fatalf("jump at %#x: data [%#x,%#x) outside the %d-byte section", q.Jump, r.Start, r.End, len(q.Code))
		}
	}
}

// FuzzFindSwitch runs FindSwitch on any code, in both byte orders, with
// relocations and earlier tables made up from the offsets.
func FuzzFindSwitch(f *testing.F) {
	o := openObject(f, filepath.Join(switchDir, "switch-le.o"))
	for _, s := range o.bctrs() {
		code := o.data[s.sec]
		f.Add(code[s.fn.Value:min(s.jump+0x100, uint64(len(code)))], uint16(s.jump-s.fn.Value))
	}
	f.Fuzz(func(t *testing.T, code []byte, jump uint16) {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			q := &arch.SwitchQuery{
				Code: code, Sec: 1, Jump: uint64(jump) &^ 3,
				Reloc: func(sec int, off uint64) (arch.Target, bool) {
					return arch.Target{Sec: sec ^ int(off>>3&1), Off: off * 7 % 4099}, off%3 != 0
				},
				Data:    func(sec int) []byte { return code },
				InTable: func(off uint64) bool { return off%(uint64(jump)|7) == 5 },
			}
			got, err := switchFinder(order)(q)
			checkSwitchAnswer(t, q, got, err)
		}
	})
}

// switchCounts are the totals of the corpus test.
type switchCounts struct {
	objects, bctrs           int
	inline, dataTable        int
	tails, noBound, errs     int
	targets, tableWords      int
	forms                    map[string]int
	undecoded, covered       int // words Decode rejects, and those in a table
	decodable                int // table words Decode takes for instructions
	nextLooksLikeEntry       int // tables followed by a word that could be one more entry
	multiPath                int // tables bounded on more than one path
	noBoundSample, errSample []string
	tailSample               []string
	zeroLeft                 int
	otherLeft                map[uint32]int
}

// TestFindSwitchCorpus runs FindSwitch on every bctr of every function of
// the C objects of the ppc64le corpus, checks that every target lies in
// the jump's function and is 4-aligned, and reports how many tables it
// found and how many of the words x/arch cannot decode their data covers.
func TestFindSwitchCorpus(t *testing.T) {
	root, _ := extractCorpus(t)
	manifest, err := os.ReadFile(filepath.Join(root, "MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	c := switchCounts{forms: map[string]int{}, otherLeft: map[uint32]int{}}
	a := New(binary.LittleEndian)
	var asm []string
	for _, line := range strings.Split(string(manifest), "\n") {
		fields := strings.Split(line, "\t")
		if len(fields) < 2 || fields[1] != "c" {
			if len(fields) >= 2 {
				asm = append(asm, fields[0])
			}
			continue
		}
		f, err := elf.Open(filepath.Join(root, fields[0]))
		if err != nil {
			t.Errorf("%s: %v", fields[0], err)
			continue
		}
		o, err := readObject(f)
		if err != nil {
			t.Errorf("%s: %v", fields[0], err)
		} else {
			c.object(t, fields[0], o, a)
		}
		f.Close()
	}
	// Hand-written assembly has no switch tables: what FindSwitch says of
	// its bctr is only logged.
	asmCounts := map[string]int{}
	for _, name := range asm {
		f, err := elf.Open(filepath.Join(root, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if o, err := readObject(f); err == nil {
			for _, s := range o.bctrs() {
				got, err := findSwitch(o.order, o.query(s.sec, s.fn.Value, s.jump))
				switch {
				case err != nil:
					asmCounts["error"]++
					t.Logf("%s %s+%#x: %v", name, s.fn.Name, s.jump-s.fn.Value, err)
				case got == nil:
					asmCounts["not a table"]++
				default:
					asmCounts["table"]++
					t.Logf("%s %s+%#x: %s", name, s.fn.Name, s.jump-s.fn.Value, describe(got, nil))
				}
			}
		}
		f.Close()
	}
	t.Logf("corpus: %d assembly objects: %d bctr in functions said to be tables, %d not, %d errors",
		len(asm), asmCounts["table"], asmCounts["not a table"], asmCounts["error"])
	t.Logf("corpus: %d C objects, %d bctr in functions", c.objects, c.bctrs)
	t.Logf("corpus: %d tables inline in .text, %d in data sections (computed goto), %d targets, %d table words",
		c.inline, c.dataTable, c.targets, c.tableWords)
	t.Logf("corpus: %d not tables (tail calls), %d tables without a bound, %d other errors", c.tails, c.noBound, c.errs)
	var forms []string
	for f, n := range c.forms {
		forms = append(forms, fmt.Sprintf("%s×%d", f, n))
	}
	sort.Strings(forms)
	t.Logf("corpus: forms (address/index/bound): %s", strings.Join(forms, " "))
	t.Logf("corpus: %d tables bounded on several paths", c.multiPath)
	t.Logf("corpus: %d words of C objects' executable sections that Decode rejects, %d of them (%.1f%%) in tables; %d table words Decode would take for instructions",
		c.undecoded, c.covered, 100*float64(c.covered)/float64(max(c.undecoded, 1)), c.decodable)
	t.Logf("corpus: %d tables followed by a word that could be one more entry", c.nextLooksLikeEntry)
	words := slices.Collect(maps.Keys(c.otherLeft))
	slices.SortFunc(words, func(a, b uint32) int { return c.otherLeft[b] - c.otherLeft[a] })
	var top []string
	n := 0
	for _, w := range words {
		n += c.otherLeft[w]
	}
	for _, w := range words[:min(len(words), 10)] {
		top = append(top, fmt.Sprintf("%08x×%d", w, c.otherLeft[w]))
	}
	t.Logf("corpus: rejected words outside tables: %d zero, %d others: %s", c.zeroLeft, n, strings.Join(top, " "))
	for _, s := range c.noBoundSample {
		t.Logf("corpus: no bound: %s", s)
	}
	for _, s := range c.tailSample {
		t.Logf("corpus: not a table: %s", s)
	}
	for _, s := range c.errSample {
		t.Logf("corpus: error: %s", s)
	}
	if c.errs != 0 {
		t.Errorf("%d bctr gave errors other than ErrNoSwitchBound", c.errs)
	}
	// Every bctr of a C function in the corpus is a switch or a computed
	// goto, and every word Decode rejects there is a table entry or zero.
	if c.noBound != 0 {
		t.Errorf("%d tables without a bound", c.noBound)
	}
	if len(c.otherLeft) != 0 {
		t.Errorf("%d non-zero words Decode rejects lie outside the tables", len(c.otherLeft))
	}
}

// object runs FindSwitch on every bctr of o.
func (c *switchCounts) object(t *testing.T, name string, o *elfObject, a *arch.Arch) {
	c.objects++
	data := map[int][]arch.Range{}
	for _, s := range o.bctrs() {
		c.bctrs++
		var tr switchTrace
		got, err := findSwitchTraced(o.order, o.query(s.sec, s.fn.Value, s.jump), &tr)
		where := fmt.Sprintf("%s %s+%#x (%#x)", name, s.fn.Name, s.jump-s.fn.Value, s.jump)
		switch {
		case errors.Is(err, arch.ErrNoSwitchBound):
			c.noBound++
			c.noBoundSample = append(c.noBoundSample, fmt.Sprintf("%s: %v", where, err))
			continue
		case err != nil:
			c.errs++
			c.errSample = append(c.errSample, fmt.Sprintf("%s: %v", where, err))
			continue
		case got == nil:
			c.tails++
			c.tailSample = append(c.tailSample, where)
			continue
		}
		if len(got.Data) > 0 {
			c.inline++
		} else {
			c.dataTable++
		}
		c.forms[tr.base+"/"+tr.index+"/"+tr.bound]++
		if len(tr.checks) > 1 {
			c.multiPath++
			if slices.Min(tr.checks) != slices.Max(tr.checks) {
				t.Logf("%s: range checks disagree: %v", where, tr.checks)
			}
		}
		if tr.bound == "range" && len(got.Data) > 0 {
			t.Logf("%s: inline table bounded by its index's range: %d entries", where, len(got.Targets))
		}
		fnEnd := s.fn.Value + s.fn.Size
		c.targets += len(got.Targets)
		for _, x := range got.Targets {
			if x < s.fn.Value || x >= fnEnd || x%4 != 0 {
				t.Errorf("%s: target %#x outside %s [%#x,%#x) or misaligned", where, x, s.fn.Name, s.fn.Value, fnEnd)
			}
		}
		if len(got.Targets) == 0 {
			t.Errorf("%s: a table with no targets", where)
		}
		code := o.data[s.sec]
		for _, r := range got.Data {
			if r.Start < s.fn.Value || r.End > fnEnd || r.Start >= r.End {
				t.Errorf("%s: table [%#x,%#x) outside %s [%#x,%#x)", where, r.Start, r.End, s.fn.Name, s.fn.Value, fnEnd)
				continue
			}
			data[s.sec] = append(data[s.sec], r)
			if r.End+4 <= uint64(len(code)) && r.End+4 <= fnEnd {
				e := int64(int32(o.order.Uint32(code[r.End:])))
				dest := int64(r.Start) + e
				if w := o.order.Uint32(code[r.End:]); w>>26 == 0 && w != 0 || w>>26 == 63 {
					if dest >= int64(r.End) && dest < int64(fnEnd) && dest%4 == 0 {
						c.nextLooksLikeEntry++
						t.Logf("%s: table [%#x,%#x) followed by %#08x", where, r.Start, r.End, w)
					}
				}
			}
		}
	}
	// Words Decode rejects in the executable sections, and those the
	// tables cover.
	for i, s := range o.file.Sections {
		if s.Flags&elf.SHF_EXECINSTR == 0 || s.Type != elf.SHT_PROGBITS {
			continue
		}
		code := o.data[i]
		in := func(off uint64) bool {
			for _, r := range data[i] {
				if off >= r.Start && off < r.End {
					return true
				}
			}
			return false
		}
		covered := map[uint64]bool{}
		for _, r := range data[i] {
			for off := r.Start; off < r.End; off += 4 {
				covered[off] = true
			}
		}
		c.tableWords += len(covered)
		var insn arch.Insn
		for off := uint64(0); off+4 <= uint64(len(code)); off += 4 {
			err := a.Decode(code[off:], off, &insn)
			if err != nil {
				c.undecoded++
				if in(off) {
					c.covered++
				} else if w := o.order.Uint32(code[off:]); w == 0 {
					c.zeroLeft++
				} else {
					c.otherLeft[w]++
				}
			} else if covered[off] {
				c.decodable++
			}
		}
	}
}

// rlwinmWord encodes rlwinm rA,rS,sh,mb,me.
func rlwinmWord(ra, rs, sh, mb, me uint32) uint32 {
	return opRlwinm<<26 | rs<<21 | ra<<16 | sh<<11 | mb<<6 | me<<1
}

// rldiclWord encodes rldicl rA,rS,sh,mb.
func rldiclWord(ra, rs, sh, mb uint32) uint32 {
	return opMD<<26 | rs<<21 | ra<<16 | (sh&31)<<11 | (mb&31)<<6 | (mb>>5)<<5 | (sh>>5)<<1
}

// TestFields checks the shapes GCC extracts and scales an index with:
// a shift right that keeps a field (fieldOf), the same field reached
// through two registers, and a rotate that scales a field by other than
// the table's stride (scaledField).
func TestFields(t *testing.T) {
	for _, tt := range []struct {
		name string
		w    uint32
		src  uint8
		want field
		ok   bool
	}{
		{"rlwinm r5,r6,16,24,31: byte 2", rlwinmWord(5, 6, 16, 24, 31), 6, field{shr: 16, mask: 0xff, word: true}, true},
		{"srwi r9,r6,16", rlwinmWord(9, 6, 16, 16, 31), 6, field{shr: 16, mask: 0xffff, word: true}, true},
		{"srdi r9,r3,1 (rldicl 63,1)", rldiclWord(9, 3, 63, 1), 3, field{shr: 1, mask: lowBits(63)}, true},
		{"rldicl r9,r9,63,60: 4 bits at 1", rldiclWord(9, 9, 63, 60), 9, field{shr: 1, mask: 0xf}, true},
		{"slwi r9,r6,2: a shift left", rlwinmWord(9, 6, 2, 0, 29), 0, field{}, false},
		{"rlwinm with bits from both ends", rlwinmWord(9, 6, 16, 8, 31), 0, field{}, false},
		{"clrlwi (no shift): maskOf's", rlwinmWord(9, 6, 0, 24, 31), 0, field{}, false},
	} {
		src, fl, ok := fieldOf(tt.w)
		if ok != tt.ok || ok && (src != tt.src || fl != tt.want) {
			t.Errorf("%s: fieldOf = r%d %+v %v, want r%d %+v %v", tt.name, src, fl, ok, tt.src, tt.want, tt.ok)
		}
	}

	// wd719x: rlwinm r5,r6,16,24,31; srwi r9,r6,16; cmplwi r5,27;
	// rldic r9,r9,2,54: the compared and the indexed value are one field.
	root := val{root: 0x40, mask: ^uint64(0), max: ^uint64(0)}
	_, byte2, _ := fieldOf(rlwinmWord(5, 6, 16, 24, 31))
	_, half, _ := fieldOf(rlwinmWord(9, 6, 16, 16, 31))
	cmp, idx := byte2.of(root), half.of(root)
	idx.mask &= 0xff // rldic r9,r9,2,54 keeps 8 bits of r9
	if cmp.root != idx.root || cmp.shr != idx.shr || idx.limit() != 0xff || cmp.limit() != 0xff {
		t.Errorf("byte 2 of r6 as compared %+v and as indexed %+v differ", cmp, idx)
	}
	// A field of a field: bits 3..4 of byte 2 are bits 19..20.
	_, two, _ := fieldOf(rlwinmWord(3, 5, 29, 30, 31))
	if got := two.of(cmp); got.shr != 19 || got.mask != 3 {
		t.Errorf("field of a field: %+v, want shr 19 mask 3", got)
	}

	// m88ds3103: lbz r9; cmplwi r9,159; srwi r9,r9,5; rldic r9,r9,2,59:
	// the top 3 bits of a byte at most 159 are at most 4.
	byteVal := val{root: 0x40, mask: ^uint64(0), max: 0xff}
	_, top, _ := fieldOf(rlwinmWord(9, 9, 27, 5, 31))
	top3 := top.of(byteVal)
	top3.mask &= 7
	for _, tt := range []struct {
		name string
		c    val
		want uint64
		ok   bool
	}{
		{"the byte bounds its top bits", byteVal, 4, true},
		{"the field bounds itself", top3, 159, true},
		{"a low field does not bound a high one", val{root: 0x40, mask: 0xf, max: 0xff}, 0, false},
		{"a narrower mask at the same offset is trusted", val{root: 0x40, shr: 5, mask: 3, max: 0xff}, 159, true},
		{"another value", val{root: 0x44, mask: ^uint64(0), max: 0xff}, 0, false},
	} {
		got, ok := tt.c.bounds(top3, 159)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s: bounds = %d %v, want %d %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}

	// radeon: cmplwi r9,49151; srawi r9,r9,13; rldic r9,r9,2,59. The
	// arithmetic shift copies bit 31 above bit 18: only a compare that
	// clears bit 31 bounds the shifted value.
	srawi := uint32(opX<<26 | 9<<21 | 9<<16 | 13<<11 | xoSrawi<<1)
	src, sra, ok := fieldOf(srawi)
	if want := (field{shr: 13, mask: lowBits(19), word: true, sext: true}); !ok || src != 9 || sra != want {
		t.Fatalf("srawi r9,r9,13: fieldOf = r%d %+v %v, want r9 %+v", src, sra, ok, want)
	}
	word := val{root: 0x40, mask: ^uint64(0), max: ^uint64(0)}
	sh := sra.of(word)
	if sh.limit() != ^uint64(0) {
		t.Errorf("srawi of any word: limit %#x, want none", sh.limit())
	}
	if low := sh.and(7); low.sext != 0 || low.limit() != 7 {
		t.Errorf("srawi, then 3 bits kept: %+v, want no sign bits, limit 7", low)
	}
	if high := sh.and(lowBits(20)); high.sext == 0 {
		t.Errorf("srawi, then 20 bits kept: %+v, want the sign bit's copy at bit 19", high)
	}
	if pos := sra.of(val{root: 0x40, mask: 0xffff, max: 0xffff}); pos.sext != 0 || pos.limit() != 7 {
		t.Errorf("srawi of a halfword: %+v, want a plain field, limit 7", pos)
	}
	for _, tt := range []struct {
		name string
		b    uint64
		want uint64
		ok   bool
	}{
		{"cmplwi 49151 clears bit 31", 49151, 5, true},
		{"a bound of 2^31 leaves bit 31", 1 << 31, 0, false},
	} {
		if got, ok := word.bounds(sh, tt.b); ok != tt.ok || got != tt.want {
			t.Errorf("%s: bounds = %d %v, want %d %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := (val{root: 0x40, mask: 0xff, max: ^uint64(0)}).bounds(sh, 0x7f); ok {
		t.Errorf("a compare of the low byte bounds the srawi of the word")
	}

	for _, tt := range []struct {
		name  string
		w     uint32
		reg   uint8
		scale uint
		limit uint64
		ok    bool
	}{
		{"rlwinm r9,r9,1,26,29: 4 bits at 1, entries of 4", rlwinmWord(9, 9, 1, 26, 29), 9, 2, 0xf, true},
		{"rlwinm r10,r9,29,27,29: 3 bits at 5", rlwinmWord(10, 9, 29, 27, 29), 10, 2, 7, true},
		{"a bit below the stride kept", rlwinmWord(9, 9, 1, 26, 30), 9, 2, 0, false},
		{"the stride's own shift: scaled's", rlwinmWord(9, 9, 2, 22, 29), 9, 2, 0, false},
		{"another register", rlwinmWord(8, 9, 1, 26, 29), 9, 2, 0, false},
	} {
		limit, ok := scaledField(tt.w, tt.reg, tt.scale)
		if ok != tt.ok || limit != tt.limit {
			t.Errorf("%s: scaledField = %#x %v, want %#x %v", tt.name, limit, ok, tt.limit, tt.ok)
		}
	}

	// scaled: slwi's masked forms keep the bits the mask leaves of rS
	// (drm_dp_get_pcon_max_frl_bw: rlwinm r9,r9,2,22,27 is (r9 & 0xfc) << 2).
	if src, mask, _, ok := scaled(rlwinmWord(9, 9, 2, 22, 27), 9, 2); !ok || src != 9 || mask != 0xfc {
		t.Errorf("rlwinm r9,r9,2,22,27: scaled = r%d %#x %v, want r9 0xfc", src, mask, ok)
	}
}

// dForm encodes a D-form instruction: opcode, RT/RS, RA, displacement.
func dForm(op, rt, ra uint32, d int16) uint32 {
	return op<<26 | rt<<21 | ra<<16 | uint32(uint16(d))
}

// TestStoreMayAlias checks which stores between a check of a loaded
// value and its reload keep the check (yam_interrupt: lwz r10,2748(r31);
// stw r9,2724(r31); lwz r9,2748(r31)).
func TestStoreMayAlias(t *testing.T) {
	lwz := dForm(opLwz, 9, 31, 2748)
	for _, tt := range []struct {
		name string
		st   uint32
		want bool
	}{
		{"stw before it, same base", dForm(36, 9, 31, 2724), false},
		{"stw over it, same base", dForm(36, 9, 31, 2748), true},
		{"stb into it", dForm(38, 9, 31, 2750), true},
		{"stb just past it", dForm(38, 9, 31, 2752), false},
		{"std overlapping from below", dForm(62, 9, 31, 2744), true},
		{"std to the stack", dForm(62, 0, 1, 16), false},
		{"stw through another base", dForm(36, 9, 30, 0), true},
		{"stwx", opX<<26 | 9<<21 | 31<<16 | 3<<11 | 151<<1, true},
		{"a load", dForm(opLwz, 3, 31, 2748), false},
	} {
		if got := storeMayAlias(tt.st, lwz); got != tt.want {
			t.Errorf("%s: storeMayAlias = %v, want %v", tt.name, got, tt.want)
		}
	}
	// A value checked and reloaded from a stack slot (advansys_pci_probe:
	// lhz r6,152(r1); ...; sth r29,190(r1); ...; ld r9,152(r1)).
	ld := dForm(opDS, 9, 1, 152)
	for _, tt := range []struct {
		name string
		st   uint32
		want bool
	}{
		{"sth to another slot", dForm(44, 29, 1, 190), false},
		{"sth into the slot", dForm(44, 29, 1, 154), true},
		{"std below the slot", dForm(62, 29, 1, 144), false},
	} {
		if got := storeMayAlias(tt.st, ld); got != tt.want {
			t.Errorf("stack slot, %s: storeMayAlias = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSameLoadIndexedAsSum checks that an indexed load and a load at
// displacement 0 from the sum of the same registers read one place
// (amdgpu_cs_ioctl: add r9,r3,r31; lwzx r10,r3,r31; cmplwi r10,10; bgt;
// lwz r9,0(r9)), in either order, and that other pairs do not.
func TestSameLoadIndexedAsSum(t *testing.T) {
	const (
		add    = opX<<26 | 9<<21 | 3<<16 | 31<<11 | xoAdd<<1 // add r9,r3,r31
		addRev = opX<<26 | 9<<21 | 31<<16 | 3<<11 | xoAdd<<1 // add r9,r31,r3
		addR30 = opX<<26 | 9<<21 | 3<<16 | 30<<11 | xoAdd<<1 // add r9,r3,r30
		lwzx   = opX<<26 | 10<<21 | 3<<16 | 31<<11 | xoLwzx<<1
		lbzx   = opX<<26 | 10<<21 | 3<<16 | 31<<11 | xoLbzx<<1
		cmplwi = 10<<26 | 10<<16 | 10 // cmplwi r10,10
	)
	lwz0 := dForm(opLwz, 9, 9, 0)
	for _, tt := range []struct {
		name string
		code []uint32 // the indexed load at 4, the compare at 8, the other load at 12
		want bool
	}{
		{"lwzx, lwz 0 from the sum", []uint32{add, lwzx, cmplwi, lwz0}, true},
		{"the sum the other way round", []uint32{addRev, lwzx, cmplwi, lwz0}, true},
		{"lwz 4 from the sum", []uint32{add, lwzx, cmplwi, dForm(opLwz, 9, 9, 4)}, false},
		{"another width", []uint32{add, lbzx, cmplwi, lwz0}, false},
		{"the sum of other registers", []uint32{addR30, lwzx, cmplwi, lwz0}, false},
	} {
		if got := sameLoadIn(tt.code, 4, 12, 8); got != tt.want {
			t.Errorf("%s: sameLoad = %v, want %v", tt.name, got, tt.want)
		}
		if got := sameLoadIn(tt.code, 12, 4, 8); got != tt.want {
			t.Errorf("%s, the other way: sameLoad = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestLowPart checks that a narrow load checked and a wider one masked
// for the table are found to read the same bytes when the mask keeps only
// what the narrow one reads, in either byte order (advansys_pci_probe:
// lhz r6,152(r1); cmplwi r6,16; ...; ld r9,152(r1); rldic r8,r9,2,46).
func TestLowPart(t *testing.T) {
	const cmplwi = 10<<26 | 6<<16 | 16 // cmplwi r6,16
	ld := dForm(opDS, 9, 1, 152)
	for _, tt := range []struct {
		name   string
		order  binary.ByteOrder
		narrow uint32
		mask   uint64
		want   bool
	}{
		{"lhz, little-endian", binary.LittleEndian, dForm(opLhz, 6, 1, 152), 0xffff, true},
		{"lhz, big-endian", binary.BigEndian, dForm(opLhz, 6, 1, 158), 0xffff, true},
		{"lhz of the high bytes, big-endian", binary.BigEndian, dForm(opLhz, 6, 1, 152), 0xffff, false},
		{"mask wider than the lhz", binary.LittleEndian, dForm(opLhz, 6, 1, 152), 0xffffff, false},
		{"lha extends the sign", binary.LittleEndian, dForm(42, 6, 1, 152), 0xffff, false},
		{"another base", binary.LittleEndian, dForm(opLhz, 6, 31, 152), 0xffff, false},
	} {
		code := encode(tt.order, []uint32{tt.narrow, cmplwi, ld})
		f := newFinder(tt.order, &arch.SwitchQuery{Code: code, Jump: 8}, nil)
		if got := f.lowPart(0, val{root: 8, mask: tt.mask, max: ^uint64(0)}); got != tt.want {
			t.Errorf("%s: lowPart = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSameLoadAfterUpdate checks that a load with update and a plain load
// at displacement 0 from the base it set read one place (led_work, usbcore:
// lbzu r9,1(r30); cmplwi r9,7; bgt; lbz r9,0(r30)), and that other pairs
// do not.
func TestSameLoadAfterUpdate(t *testing.T) {
	const cmplwi = 10<<26 | 9<<16 | 7 // cmplwi r9,7
	for _, tt := range []struct {
		name string
		code []uint32
		want bool
	}{
		{"lbzu then lbz 0", []uint32{dForm(opLbzu, 9, 30, 1), cmplwi, nopWord, dForm(opLbz, 9, 30, 0)}, true},
		{"lbzu then lbz 1", []uint32{dForm(opLbzu, 9, 30, 1), cmplwi, nopWord, dForm(opLbz, 9, 30, 1)}, false},
		{"lbzu then lhz 0", []uint32{dForm(opLbzu, 9, 30, 1), cmplwi, nopWord, dForm(opLhz, 9, 30, 0)}, false},
		{"base moved in between", []uint32{dForm(opLbzu, 9, 30, 1), cmplwi, dForm(14, 30, 30, 1), dForm(opLbz, 9, 30, 0)}, false},
	} {
		if got := sameLoadIn(tt.code, 0, 12, 4); got != tt.want {
			t.Errorf("%s: sameLoad = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSameLoadThroughCopy checks that two loads through registers holding
// one value read one place (pdc_qc_prep, sata_promise: mr r31,r3;
// lbz r9,40(r3); cmplwi r9,10; bgt; ld r3,0(r3); lbz r9,40(r31)), and
// that loads through registers that may differ do not.
func TestSameLoadThroughCopy(t *testing.T) {
	const (
		cmplwi = 10<<26 | 9<<16 | 10                       // cmplwi r9,10
		mr     = opX<<26 | 3<<21 | 31<<16 | 3<<11 | 444<<1 // mr r31,r3
		ldR3   = opDS<<26 | 3<<21 | 3<<16                  // ld r3,0(r3)
	)
	lbz3, lbz31 := dForm(opLbz, 9, 3, 40), dForm(opLbz, 9, 31, 40)
	for _, tt := range []struct {
		name string
		code []uint32 // the second load last
		a    uint64   // the first load, the compare after it
		want bool
	}{
		{"copy before both", []uint32{mr, lbz3, cmplwi, ldR3, lbz31}, 4, true},
		{"other displacement", []uint32{mr, lbz3, cmplwi, ldR3, dForm(opLbz, 9, 31, 44)}, 4, false},
		{"other width", []uint32{mr, lbz3, cmplwi, ldR3, dForm(opLhz, 9, 31, 40)}, 4, false},
		{"copy moved in between", []uint32{mr, lbz3, cmplwi, dForm(14, 31, 31, 1), lbz31}, 4, false},
		{"copy of a changed base", []uint32{lbz3, cmplwi, nopWord, ldR3, mr, lbz31}, 0, false},
		{"r0 reads as 0", []uint32{mr, dForm(opLbz, 9, 0, 40), cmplwi, ldR3, lbz31}, 4, false},
	} {
		if got := sameLoadIn(tt.code, tt.a, uint64(4*len(tt.code)-4), tt.a+4); got != tt.want {
			t.Errorf("%s: sameLoad = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// sameLoadIn asks a finder over code whether the loads at a and b, the
// one at a checked by the compare at pos, read one place.
func sameLoadIn(words []uint32, a, b, pos uint64) bool {
	code := encode(binary.LittleEndian, words)
	f := newFinder(binary.LittleEndian, &arch.SwitchQuery{Code: code, Jump: uint64(len(code) - 4)}, nil)
	return f.sameLoad(a, b, pos)
}

// TestCompareBound checks the bounds compares put on the value they test,
// given what the branches after them show of the result: unsigned
// compares with a constant, signed ones only when the value cannot be
// negative (relay_process_msg, xe: cmpwi r10,0; blt; srwi r25,r10,28),
// and andi. with a zero result (mwifiex_update_bss_desc_with_ie:
// lbz r31; andi. r9,r31,128; bne: at most 127).
func TestCompareBound(t *testing.T) {
	const (
		lt, gt, eq = 1 << bitLT, 1 << bitGT, 1 << bitEQ
		cmpwi0     = opCmpi<<26 | 10<<16                  // cmpwi r10,0
		cmpwi5     = opCmpi<<26 | 10<<16 | 5              // cmpwi r10,5
		cmpdiM1    = opCmpi<<26 | 1<<21 | 10<<16 | 0xffff // cmpdi r10,-1
		cmpwiM1    = opCmpi<<26 | 10<<16 | 0xffff         // cmpwi r10,-1
		cmplwi9    = opCmpli<<26 | 10<<16 | 9             // cmplwi r10,9
		andi128    = opAndi<<26 | 31<<21 | 9<<16 | 128    // andi. r9,r31,128
	)
	byteVal := val{root: 0x40, mask: ^uint64(0), max: 0xff}
	for _, tt := range []struct {
		name       string
		raw        uint32
		set, clear uint8
		c          val
		reg        uint8
		want       uint64
		ok         bool
	}{
		{"cmpwi 0, not below: a positive word", cmpwi0, 0, lt, byteVal, 10, math.MaxInt32, true},
		{"cmpwi 0, below: negative", cmpwi0, lt, 0, byteVal, 10, 0, false},
		{"cmpwi 0, not above: may be negative", cmpwi0, 0, gt, byteVal, 10, 0, false},
		{"cmpwi 5, neither below nor above: a positive word", cmpwi5, 0, lt | gt, byteVal, 10, math.MaxInt32, true},
		{"cmpwi 5, equal: the value on this path", cmpwi5, eq, 0, byteVal, 10, 5, true},
		{"cmpwi -1, equal: negative", cmpwiM1, eq, 0, byteVal, 10, 0, false},
		{"cmpdi -1, above: a positive doubleword", cmpdiM1, gt, 0, byteVal, 10, math.MaxInt64, true},
		{"cmplwi 9, not above", cmplwi9, 0, gt, byteVal, 10, 9, true},
		{"cmplwi 9, below", cmplwi9, lt, 0, byteVal, 10, 8, true},
		{"cmplwi 9, above", cmplwi9, gt, 0, byteVal, 10, 0, false},
		{"andi. 128 zero: a byte below 128", andi128, eq, 0, byteVal, 31, 127, true},
		{"andi. 128 not zero", andi128, 0, eq, byteVal, 31, 0, false},
		{"andi. 128 zero of any value: no bound", andi128, eq, 0, val{root: 0x40, mask: ^uint64(0), max: ^uint64(0)}, 31, 0, false},
		{"andi. 128 zero of a value below 128: nothing new", andi128, eq, 0, val{root: 0x40, mask: 0x7f, max: 0xff}, 31, 0, false},
	} {
		f := newFinder(binary.LittleEndian, &arch.SwitchQuery{}, nil)
		facts := crFacts(tt.set | tt.clear<<4)
		reg, bound, _, ok := f.compareBound(0, tt.raw, facts)
		var got uint64
		if ok {
			got, ok = bound(tt.c)
		}
		if ok != tt.ok || ok && (got != tt.want || reg != tt.reg) {
			t.Errorf("%s: r%d bound %d %v, want r%d %d %v", tt.name, reg, got, ok, tt.reg, tt.want, tt.ok)
		}
	}
}

// TestRangeCheckLooksPastNonBounds checks that a compare whose bound no
// table could have does not end the search on its path
// (sock_addr_is_valid_access, net/core/filter.o: cmplwi r3,N; bgt; ...;
// cmpwi r3,0; blt; then the dispatch on r3).
func TestRangeCheckLooksPastNonBounds(t *testing.T) {
	code := encode(binary.LittleEndian, []uint32{
		0x28030003, // 00 cmplwi r3,3
		0x41810010, // 04 bgt 14
		0x2c030000, // 08 cmpwi r3,0
		0x41800008, // 0c blt 14
		0x4e800420, // 10 bctr
		0x4e800020, // 14 blr
	})
	f := newFinder(binary.LittleEndian, &arch.SwitchQuery{Code: code, Jump: 0x10}, nil)
	vs := f.valsOf(3, 0x10, 0)
	if len(vs) != 1 {
		t.Fatalf("r3 at the bctr: %+v, want one value", vs)
	}
	if b, ok, open := f.rangeCheck(vs[0], 0x10, carrier{reg: 3}); !ok || open || b != 3 {
		t.Errorf("rangeCheck = %d %v open %v, want 3 (cmplwi r3,3 behind cmpwi r3,0) on every path", b, ok, open)
	}
}

// TestRangeCheckPaths checks which paths bound a value: a path that
// reaches where the value is made with no check leaves it open (bounded
// by its own range only: kvmppc_pseries_do_hcall, book3s_hv.o), and a
// path on which its register is written with another value does not
// carry it to the jump (jhash's loop), mtocrf clears only the facts of
// the fields it writes (SMBLegacyOpen, cifs.ko), and a field saved to a
// register and put back keeps its facts (wlc_phy_rfctrl_override_nphy,
// brcmsmac.ko). A call's clobbers are as many values (vpg3_update_
// generic_info_packet, amdgpu.ko), and a reload checks nothing once its
// base has moved (_ieee802_11_parse_elems_full, mac80211.ko).
func TestRangeCheckPaths(t *testing.T) {
	tests := []struct {
		name     string
		code     []uint32
		jump     uint64
		root     int64 // the value checked: the one made at root
		want     uint64
		ok, open bool
	}{
		{
			name: "a path skips the check",
			code: []uint32{
				0x2c250000, // 00 cmpdi r5,0
				0x4182000c, // 04 beq 10: no check of r3 on this path
				0x28030003, // 08 cmplwi r3,3
				0x4181000c, // 0c bgt 18
				0x4e800420, // 10 bctr
				0x4e800020, // 14 blr
				0x4e800020, // 18 blr
			},
			jump: 0x10, root: endRoot(0, 3), want: 3, ok: true, open: true,
		},
		{
			name: "the unchecked path holds another value",
			code: []uint32{
				0x2803000c, // 00 cmplwi r3,12
				0x4081000c, // 04 ble 10
				0x38600005, // 08 li r3,5: r3 at the start does not reach 10 this way
				0x60000000, // 0c nop
				0x4e800420, // 10 bctr
			},
			jump: 0x10, root: endRoot(0, 3), want: 12, ok: true, open: false,
		},
		{
			name: "the other value, made on one path and checked on none",
			code: []uint32{
				0x2803000c, // 00 cmplwi r3,12: of r3 at the start, not of li's
				0x4081000c, // 04 ble 10
				0x38600005, // 08 li r3,5
				0x60000000, // 0c nop
				0x4e800420, // 10 bctr
			},
			jump: 0x10, root: 0x08, want: 0, ok: false, open: true,
		},
		{
			name: "mtocrf of another field keeps the compare's",
			code: []uint32{
				0x2a030005, // 00 cmplwi cr4,r3,5
				0x7df80120, // 04 mtocrf 128,r15: cr0 only
				0x41910008, // 08 bgt cr4,10
				0x4e800420, // 0c bctr
				0x4e800020, // 10 blr
			},
			jump: 0x0c, root: endRoot(0, 3), want: 5, ok: true, open: false,
		},
		{
			name: "mtocrf of the compared field",
			code: []uint32{
				0x2a030005, // 00 cmplwi cr4,r3,5
				0x7df08120, // 04 mtocrf 8,r15: cr4, from r15
				0x41910008, // 08 bgt cr4,10
				0x4e800420, // 0c bctr
				0x4e800020, // 10 blr
			},
			jump: 0x0c, root: endRoot(0, 3), want: 0, ok: false, open: true,
		},
		{
			name: "the compare's field saved in a register and put back",
			code: []uint32{
				0x29830020, // 00 cmplwi cr3,r3,32
				0x7d310026, // 04 mfocrf r9,16: cr3 into bits 16-19
				0x55296006, // 08 rlwinm r9,r9,12,0,3: to bits 28-31
				0x5529a03e, // 0c rotlwi r9,r9,20: back to 16-19
				0x7d310120, // 10 mtocrf 16,r9: cr3 as it was
				0x418d0008, // 14 bgt cr3,1c
				0x4e800420, // 18 bctr
				0x4e800020, // 1c blr
			},
			jump: 0x18, root: endRoot(0, 3), want: 32, ok: true, open: false,
		},
		{
			name: "the compare's field saved and masked off",
			code: []uint32{
				0x29830020, // 00 cmplwi cr3,r3,32
				0x7d310026, // 04 mfocrf r9,16
				0x5529610e, // 08 rlwinm r9,r9,12,4,7: cr3's bits not kept
				0x5529a03e, // 0c rotlwi r9,r9,20
				0x7d310120, // 10 mtocrf 16,r9
				0x418d0008, // 14 bgt cr3,1c
				0x4e800420, // 18 bctr
				0x4e800020, // 1c blr
			},
			jump: 0x18, root: endRoot(0, 3), want: 0, ok: false, open: true,
		},
		{
			name: "another register the same call clobbers",
			code: []uint32{
				0x48000101, // 00 bl: writes r3 to r12, each its own value
				0x28060003, // 04 cmplwi r6,3: r6, not r3
				0x41810008, // 08 bgt 10
				0x4e800420, // 0c bctr
				0x4e800020, // 10 blr
			},
			jump: 0x0c, root: 0, want: 0, ok: false, open: true,
		},
		{
			name: "a load checked, then loaded again for the table",
			code: []uint32{
				0x887e0000, // 00 lbz r3,0(r30)
				0x28030005, // 04 cmplwi r3,5
				0x41810010, // 08 bgt 18
				0x60000000, // 0c nop
				0x887e0000, // 10 lbz r3,0(r30): the same byte
				0x4e800420, // 14 bctr
				0x4e800020, // 18 blr
			},
			jump: 0x14, root: 0x10, want: 5, ok: true, open: false,
		},
		{
			name: "a load checked, its base moved, then loaded again",
			code: []uint32{
				0x887e0000, // 00 lbz r3,0(r30)
				0x28030005, // 04 cmplwi r3,5
				0x41810010, // 08 bgt 18
				0x3bde0001, // 0c addi r30,r30,1
				0x887e0000, // 10 lbz r3,0(r30): another byte
				0x4e800420, // 14 bctr
				0x4e800020, // 18 blr
			},
			jump: 0x14, root: 0x10, want: 0, ok: false, open: true,
		},
	}
	for _, tt := range tests {
		f := newFinder(binary.LittleEndian, &arch.SwitchQuery{Code: encode(binary.LittleEndian, tt.code), Jump: tt.jump}, nil)
		var v *val
		for _, u := range f.valsOf(3, tt.jump, 0) {
			if u.root == tt.root {
				v = &u
			}
		}
		if v == nil {
			t.Errorf("%s: r3 at the bctr: %+v, none made at %#x", tt.name, f.valsOf(3, tt.jump, 0), tt.root)
			continue
		}
		b, ok, open := f.rangeCheck(*v, tt.jump, carrier{reg: 3})
		if b != tt.want || ok != tt.ok || open != tt.open {
			t.Errorf("%s: rangeCheck = %d checked %v open %v, want %d %v %v", tt.name, b, ok, open, tt.want, tt.ok, tt.open)
		}
	}
}

// TestInTableWordsAreNoCode checks that the entries of a table found
// before are not taken for code that falls into what follows them: the
// last entry of a table (0xfffffc34 decodes as frsqrte) followed by
// padding made the next table's search run on from the first bctr, with
// no check (msgin_phase0, dc395x.ko).
func TestInTableWordsAreNoCode(t *testing.T) {
	code := encode(binary.LittleEndian, []uint32{
		0xfffffc34, // 00 an entry of the table before
		0x60000000, // 04 nop
		0x4e800020, // 08 blr
	})
	for _, tt := range []struct {
		inTable func(uint64) bool
		want    int // predecessors of 08
	}{
		{nil, 1},
		{func(off uint64) bool { return off == 0 }, 0},
	} {
		f := newFinder(binary.LittleEndian, &arch.SwitchQuery{Code: code, Jump: 8, InTable: tt.inTable}, nil)
		if ps, _ := f.code.Preds(8); len(ps) != tt.want {
			t.Errorf("in table %v: predecessors of 08 %+v, want %d", tt.inTable != nil, ps, tt.want)
		}
	}
}
