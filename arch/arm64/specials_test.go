package arm64

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
)

// An elfRel is one relocation of a section, with its symbol resolved.
type elfRel struct {
	off    uint64
	typ    elf.R_AARCH64
	sym    elf.Symbol
	addend int64
}

// An elfObject is what TestSpecialsCorpus needs of an object: its
// sections' contents and relocations.
type elfObject struct {
	f    *elf.File
	syms []elf.Symbol
	data map[string][]byte
	rels map[string][]elfRel // by the name of the relocated section
	sec  map[string]*elf.Section
}

func openObject(t *testing.T, path string) *elfObject {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	o := &elfObject{f: f, data: map[string][]byte{}, rels: map[string][]elfRel{}, sec: map[string]*elf.Section{}}
	o.syms, _ = f.Symbols()
	for _, s := range f.Sections {
		o.sec[s.Name] = s
		if s.Type == elf.SHT_NOBITS {
			continue
		}
		d, err := s.Data()
		if err != nil {
			t.Fatal(err)
		}
		o.data[s.Name] = d
	}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_RELA {
			continue
		}
		target := f.Sections[s.Info].Name
		d := o.data[s.Name]
		for i := 0; i+24 <= len(d); i += 24 {
			info := binary.LittleEndian.Uint64(d[i+8:])
			r := elfRel{
				off:    binary.LittleEndian.Uint64(d[i:]),
				typ:    elf.R_AARCH64(info & 0xffffffff),
				addend: int64(binary.LittleEndian.Uint64(d[i+16:])),
			}
			if n := int(info >> 32); n > 0 && n <= len(o.syms) {
				r.sym = o.syms[n-1]
			}
			o.rels[target] = append(o.rels[target], r)
		}
	}
	return o
}

// relAt returns the relocation of section name at off.
func (o *elfObject) relAt(name string, off uint64) (elfRel, bool) {
	rs := o.rels[name]
	i := sort.Search(len(rs), func(i int) bool { return rs[i].off >= off })
	if i < len(rs) && rs[i].off == off {
		return rs[i], true
	}
	return elfRel{}, false
}

// target returns the section and offset a relocation points to (section
// symbols and symbols defined in the object), or false for an undefined
// symbol.
func (o *elfObject) target(r elfRel) (*elf.Section, uint64, bool) {
	if r.sym.Section == elf.SHN_UNDEF || r.sym.Section >= elf.SHN_LORESERVE {
		return nil, 0, false
	}
	return o.f.Sections[r.sym.Section], r.sym.Value + uint64(r.addend), true
}

// word returns the instruction word at off of s.
func (o *elfObject) word(s *elf.Section, off uint64) (uint32, bool) {
	d := o.data[s.Name]
	if off+4 > uint64(len(d)) {
		return 0, false
	}
	return binary.LittleEndian.Uint32(d[off:]), true
}

// TestSpecialsCorpus holds New().Specials, and the __bug_table layout the
// checker reads BUG from WARN in, to the corpus: every section is a whole
// number of entries, every relocation sits at a field the layout names
// and has that field's type, the fields name code where they should, and
// the lengths match the instruction ranges. It logs what it finds.
func TestSpecialsCorpus(t *testing.T) {
	a := New()
	specs := map[string]arch.SpecialSection{}
	for _, s := range a.Specials {
		specs[s.Name] = s
	}
	if len(specs) != 4 || specs[".altinstructions"].EntrySize != 12 || specs["__jump_table"].EntrySize != 16 ||
		specs["__ex_table"].EntrySize != 12 || specs["__kvm_ex_table"].EntrySize != 8 {
		t.Fatalf("Specials = %+v", a.Specials)
	}
	count := map[string]int{}
	var notes []string
	note := func(format string, args ...any) {
		if len(notes) < 40 {
			notes = append(notes, fmt.Sprintf(format, args...))
		}
	}
	callbacks := map[string]int{}
	cbLens := map[string]int{}
	origInsns := map[string]int{}
	exTypes := map[int16]int{}
	exInsns := map[string]int{}
	bugFlags := map[uint16]int{}
	cpucaps := map[uint16]int{}
	for _, path := range corpusObjects(t) {
		o := openObject(t, path)
		rel := path[strings.Index(path, "/arch/")+1:]
		if strings.Contains(path, "/kernel/") && !strings.Contains(path, "/arch/") {
			rel = path[strings.LastIndex(path, "/kernel/")+1:]
		}
		for name, s := range o.sec {
			if strings.Contains(name, "patchable_function_entries") || strings.Contains(name, "mcount") {
				t.Errorf("%s: section %s: the layout of ftrace's call sites is not described", rel, name)
			}
			_ = s
		}
		for _, sym := range o.syms {
			if sym.Name == "_mcount" || sym.Name == "__fentry__" {
				t.Errorf("%s: a reference to %s, but Syms.Fentry is empty", rel, sym.Name)
			}
		}
		check := func(name string, size int, fields map[int]elf.R_AARCH64) []uint64 {
			d, ok := o.data[name]
			if !ok {
				return nil
			}
			count[name+" objects"]++
			if len(d)%size != 0 {
				t.Errorf("%s: %s is %d bytes, not a multiple of %d", rel, name, len(d), size)
			}
			for _, r := range o.rels[name] {
				want, ok := fields[int(r.off)%size]
				switch {
				case !ok:
					t.Errorf("%s: %s+%#x: relocation %v at entry offset %d, not a field", rel, name, r.off, r.typ, int(r.off)%size)
				case r.typ != want:
					t.Errorf("%s: %s+%#x: relocation %v, want %v", rel, name, r.off, r.typ, want)
				}
			}
			var entries []uint64
			for off := uint64(0); off+uint64(size) <= uint64(len(d)); off += uint64(size) {
				entries = append(entries, off)
			}
			count[name+" entries"] += len(entries)
			return entries
		}
		prel32 := elf.R_AARCH64_PREL32

		// .altinstructions: orig @0, new @4 (PREL32), cpucap @8, lengths @10, @11.
		alt := specs[".altinstructions"]
		for _, off := range check(".altinstructions", alt.EntrySize, map[int]elf.R_AARCH64{alt.Orig: prel32, alt.New: prel32}) {
			d := o.data[".altinstructions"]
			cpucap := binary.LittleEndian.Uint16(d[off+uint64(alt.Feature):])
			origLen, newLen := int(d[off+uint64(alt.OrigLen)]), int(d[off+uint64(alt.NewLen)])
			cpucaps[cpucap&^cbBit]++
			or, ok1 := o.relAt(".altinstructions", off+uint64(alt.Orig))
			nr, ok2 := o.relAt(".altinstructions", off+uint64(alt.New))
			if !ok1 || !ok2 {
				t.Errorf("%s: .altinstructions+%#x: orig or new field without a relocation", rel, off)
				continue
			}
			os, ooff, ok := o.target(or)
			if ok && os.Flags&elf.SHF_EXECINSTR == 0 && os.Name == ".idmap.text" {
				// head.S opens .idmap.text "a", not "ax": code all the same.
				note("%s: .altinstructions+%#x: original in %s, which is not SHF_EXECINSTR", rel, off, os.Name)
			} else if ok && os.Flags&elf.SHF_EXECINSTR == 0 {
				ok = false
			}
			if !ok || origLen == 0 || origLen%4 != 0 || ooff+uint64(origLen) > os.Size {
				t.Errorf("%s: .altinstructions+%#x: original %v+%#x len %d is not code", rel, off, or.sym.Name, or.addend, origLen)
				continue
			}
			if cpucap&cbBit != 0 {
				count["alt callback entries"]++
				callbacks[nr.sym.Name]++
				cbLens[fmt.Sprintf("orig_len %d alt_len %d", origLen, newLen)]++
				if newLen != 0 || elf.ST_TYPE(nr.sym.Info) == elf.STT_SECTION {
					t.Errorf("%s: .altinstructions+%#x: callback entry with alt_len %d, new %v", rel, off, newLen, nr.sym.Name)
				}
				for i := uint64(0); i < uint64(origLen); i += 4 {
					w, _ := o.word(os, ooff+i)
					origInsns[fmt.Sprintf("%s: %s", nr.sym.Name, decodedBy(w))]++
				}
				continue
			}
			ns, noff, ok := o.target(nr)
			if newLen != origLen {
				t.Errorf("%s: .altinstructions+%#x: alt_len %d != orig_len %d", rel, off, newLen, origLen)
			}
			if !ok || ns.Flags&elf.SHF_EXECINSTR == 0 && ns.Name != ".idmap.text" || noff+uint64(newLen) > ns.Size {
				t.Errorf("%s: .altinstructions+%#x: replacement %v+%#x is not code", rel, off, nr.sym.Name, nr.addend)
				continue
			}
			if ns != os {
				note("%s: .altinstructions+%#x: original in %s, replacement in %s", rel, off, os.Name, ns.Name)
			}
			count["alt entries with replacement code"]++
			for i := uint64(0); i < uint64(newLen); i += 4 {
				w, _ := o.word(ns, noff+i)
				var in arch.Insn
				if err := Decode(o.data[ns.Name][noff+i:], noff+i, &in); err != nil {
					t.Errorf("%s: %s+%#x: replacement word %08x: %v", rel, ns.Name, noff+i, w, err)
				}
			}
		}

		// __jump_table: code @0, target @4 (PREL32), key @8 (PREL64).
		jt := specs["__jump_table"]
		for _, off := range check("__jump_table", jt.EntrySize, map[int]elf.R_AARCH64{jt.Orig: prel32, jt.New: prel32, jt.Key: elf.R_AARCH64_PREL64}) {
			cr, ok1 := o.relAt("__jump_table", off+uint64(jt.Orig))
			tr, ok2 := o.relAt("__jump_table", off+uint64(jt.New))
			kr, ok3 := o.relAt("__jump_table", off+uint64(jt.Key))
			if !ok1 || !ok2 || !ok3 {
				t.Errorf("%s: __jump_table+%#x: a field without a relocation", rel, off)
				continue
			}
			cs, coff, ok := o.target(cr)
			ts, toff, ok4 := o.target(tr)
			if !ok || !ok4 || cs != ts {
				t.Errorf("%s: __jump_table+%#x: code %v and target %v not in one section", rel, off, cr.sym.Name, tr.sym.Name)
				continue
			}
			count[fmt.Sprintf("jump entries with key bit0 %d", kr.addend&1)]++
			w, _ := o.word(cs, coff)
			var in arch.Insn
			err := Decode(o.data[cs.Name][coff:], coff, &in)
			switch {
			case err == nil && in.Kind == arch.Nop:
				count["jump entries on a nop"]++
			case err == nil && in.Kind == arch.Jump && in.Target == int64(toff):
				count["jump entries on a b to the target"]++
			default:
				t.Errorf("%s: %s+%#x: jump label on %08x, neither nop nor b to %#x", rel, cs.Name, coff, w, toff)
			}
		}

		// __ex_table: insn @0, fixup @4 (PREL32), type @8, data @10.
		ex := specs["__ex_table"]
		for _, off := range check("__ex_table", ex.EntrySize, map[int]elf.R_AARCH64{ex.Orig: prel32, ex.New: prel32}) {
			d := o.data["__ex_table"]
			exTypes[int16(binary.LittleEndian.Uint16(d[off+8:]))]++
			ir, ok1 := o.relAt("__ex_table", off+uint64(ex.Orig))
			fr, ok2 := o.relAt("__ex_table", off+uint64(ex.New))
			if !ok1 || !ok2 {
				t.Errorf("%s: __ex_table+%#x: a field without a relocation", rel, off)
				continue
			}
			is, ioff, ok3 := o.target(ir)
			fs, _, ok4 := o.target(fr)
			if !ok3 || !ok4 || is.Flags&elf.SHF_EXECINSTR == 0 || fs.Flags&elf.SHF_EXECINSTR == 0 {
				t.Errorf("%s: __ex_table+%#x: insn %v or fixup %v is not code", rel, off, ir.sym.Name, fr.sym.Name)
				continue
			}
			w, _ := o.word(is, ioff)
			exInsns[decodedBy(w)]++
		}

		// __bug_table (CONFIG_DEBUG_BUGVERBOSE): addr @0, file @4 (PREL32),
		// line @8, flags @10. Every brk #0x800 has an entry.
		type place struct {
			sec *elf.Section
			off uint64
		}
		tabled := map[place]bool{}
		checkBrks := func() {
			for _, s := range o.f.Sections {
				if s.Flags&elf.SHF_EXECINSTR == 0 {
					continue
				}
				for off := uint64(0); off+4 <= s.Size; off += 4 {
					if w, _ := o.word(s, off); w == 0xd4210000 && !tabled[place{s, off}] {
						t.Errorf("%s: %s+%#x: brk #0x800 without a __bug_table entry", rel, s.Name, off)
					}
				}
			}
		}
		for _, off := range check("__bug_table", 12, map[int]elf.R_AARCH64{0: prel32, 4: prel32}) {
			d := o.data["__bug_table"]
			bugFlags[binary.LittleEndian.Uint16(d[off+10:])]++
			ar, ok1 := o.relAt("__bug_table", off)
			fr, ok2 := o.relAt("__bug_table", off+4)
			if !ok1 || !ok2 {
				t.Errorf("%s: __bug_table+%#x: a field without a relocation", rel, off)
				continue
			}
			as, aoff, ok3 := o.target(ar)
			fs, foff, ok4 := o.target(fr)
			if !ok3 || !ok4 || as.Flags&elf.SHF_EXECINSTR == 0 || !strings.HasPrefix(fs.Name, ".rodata.str") {
				t.Errorf("%s: __bug_table+%#x: addr %v or file %v misplaced", rel, off, ar.sym.Name, fr.sym.Name)
				continue
			}
			tabled[place{as, aoff}] = true
			if w, _ := o.word(as, aoff); w != 0xd4210000 {
				t.Errorf("%s: %s+%#x: __bug_table entry on %08x, not brk #0x800", rel, as.Name, aoff, w)
			}
			file := o.data[fs.Name][foff:]
			if i := strings.IndexByte(string(file), 0); i < 0 || !strings.Contains(".c.h.S", string(file[max(0, i-2):i])) {
				t.Errorf("%s: __bug_table+%#x: file %q is not a source file name", rel, off, file[:min(len(file), 40)])
			}
		}
		checkBrks()
	}
	var ks []string
	for k := range count {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		t.Logf("%s: %d", k, count[k])
	}
	t.Logf("alternative_cb callbacks: %v", callbacks)
	t.Logf("alternative_cb lengths: %v", cbLens)
	t.Logf("alternative_cb original instructions: %v", origInsns)
	t.Logf("cpucaps (without the callback bit): %v", cpucaps)
	t.Logf("__ex_table types: %v; faulting instructions: %v", exTypes, exInsns)
	var warn, bug int
	for f, n := range bugFlags {
		if f&1 != 0 { // BUGFLAG_WARNING
			warn += n
		} else {
			bug += n
		}
	}
	t.Logf("__bug_table flags: %v: %d BUG, %d WARN (flags bit 0)", bugFlags, bug, warn)
	for _, n := range notes {
		t.Log(n)
	}
}
