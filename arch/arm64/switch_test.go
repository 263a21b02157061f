package arm64

import (
	"bufio"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/arch/backflow"
)

// A swObject is what FindSwitch's tests read of an ELF object: the
// contents of its sections, the targets of its RELA relocations and its
// functions.
type swObject struct {
	data   [][]byte                   // by section index
	exec   []bool                     // executable sections
	relocs []map[uint64]arch.Target   // by the index of the section they apply to
	types  []map[uint64]elf.R_AARCH64 // their types
	funcs  []swFunc                   // sorted by section and start
	names  map[string]*swFunc         // by name
}

// A swFunc is a function symbol.
type swFunc struct {
	name        string
	sec         int
	start, size uint64
}

// swReadObject reads the sections, relocations and functions of an arm64
// ELF object.
func swReadObject(path string) (*swObject, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 || f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB {
		return nil, errors.New("not a little-endian arm64 object")
	}
	o := &swObject{
		data:   make([][]byte, len(f.Sections)),
		exec:   make([]bool, len(f.Sections)),
		relocs: make([]map[uint64]arch.Target, len(f.Sections)),
		types:  make([]map[uint64]elf.R_AARCH64, len(f.Sections)),
		names:  make(map[string]*swFunc),
	}
	for i, s := range f.Sections {
		o.exec[i] = s.Type == elf.SHT_PROGBITS && s.Flags&elf.SHF_EXECINSTR != 0
		if s.Type != elf.SHT_NOBITS && s.Type != elf.SHT_NULL {
			if o.data[i], err = s.Data(); err != nil {
				return nil, err
			}
		}
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, err
	}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_RELA || int(s.Info) >= len(f.Sections) {
			continue
		}
		b, err := s.Data()
		if err != nil {
			return nil, err
		}
		rel, typ := make(map[uint64]arch.Target), make(map[uint64]elf.R_AARCH64)
		for ; len(b) >= 24; b = b[24:] {
			off := binary.LittleEndian.Uint64(b)
			info := binary.LittleEndian.Uint64(b[8:])
			addend := int64(binary.LittleEndian.Uint64(b[16:]))
			typ[off] = elf.R_AARCH64(info & 0xffffffff)
			si := int(info >> 32)
			if si == 0 || si > len(syms) {
				continue
			}
			sym := syms[si-1]
			if sym.Section == elf.SHN_UNDEF || int(sym.Section) >= len(f.Sections) {
				continue
			}
			rel[off] = arch.Target{Sec: int(sym.Section), Off: sym.Value + uint64(addend)}
		}
		o.relocs[s.Info], o.types[s.Info] = rel, typ
	}
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && int(s.Section) < len(f.Sections) && o.exec[s.Section] {
			o.funcs = append(o.funcs, swFunc{name: s.Name, sec: int(s.Section), start: s.Value, size: s.Size})
		}
	}
	sort.Slice(o.funcs, func(i, j int) bool {
		a, b := o.funcs[i], o.funcs[j]
		return a.sec < b.sec || a.sec == b.sec && a.start < b.start
	})
	for i := range o.funcs {
		o.names[o.funcs[i].name] = &o.funcs[i]
	}
	return o, nil
}

// nextTarget returns the smallest offset above t.Off in section t.Sec that
// a relocation of the object points to.
func (o *swObject) nextTarget(t arch.Target) (uint64, bool) {
	next, ok := uint64(0), false
	for _, rel := range o.relocs {
		for _, r := range rel {
			if r.Sec == t.Sec && r.Off > t.Off && (!ok || r.Off < next) {
				next, ok = r.Off, true
			}
		}
	}
	return next, ok
}

// query builds the SwitchQuery for the dynamic jump at jump of fn, the
// way the checker does.
func (o *swObject) query(fn *swFunc, jump uint64) *arch.SwitchQuery {
	return &arch.SwitchQuery{
		Code: o.data[fn.sec], Sec: fn.sec, Start: fn.start, Jump: jump,
		Reloc: func(sec int, off uint64) (arch.Target, bool) {
			if sec < 0 || sec >= len(o.relocs) {
				return arch.Target{}, false
			}
			t, ok := o.relocs[sec][off]
			return t, ok
		},
		Data: func(sec int) []byte {
			if sec < 0 || sec >= len(o.data) {
				return nil
			}
			return o.data[sec]
		},
	}
}

// brs returns the offsets of the br instructions of fn.
func (o *swObject) brs(fn *swFunc) []uint64 {
	var out []uint64
	code := o.data[fn.sec]
	for off := fn.start; off+4 <= fn.start+fn.size && off+4 <= uint64(len(code)); off += 4 {
		if binary.LittleEndian.Uint32(code[off:])&0xfffffc1f == 0xd61f0000 {
			out = append(out, off)
		}
	}
	return out
}

// swTablePattern reports whether the br at jump is fed by the adr and the
// add (extended register) of a switch table dispatch: add xT, xB, wE,
// ext #s right before it and an adr xB among the three before that.
func swTablePattern(code []byte, start, jump uint64) bool {
	if jump < start+8 {
		return false
	}
	w := binary.LittleEndian.Uint32(code[jump:])
	add := binary.LittleEndian.Uint32(code[jump-4:])
	if add&0xffe00000 != 0x8b200000 || add&31 != w>>5&31 {
		return false
	}
	for p := jump - 8; p >= start && p+16 >= jump; p -= 4 {
		adr := binary.LittleEndian.Uint32(code[p:])
		if adr&0x9f000000 == 0x10000000 && adr&31 == add>>5&31 {
			return true
		}
		if p < 4 {
			break
		}
	}
	return false
}

// TestFindSwitchTestdata checks the tables of testdata/arm64/switch.o,
// built from switch.c by build-switch.sh, against the targets read off
// aarch64-linux-gnu-objdump -dr and the .rodata bytes.
func TestFindSwitchTestdata(t *testing.T) {
	o, err := swReadObject(filepath.Join("..", "..", "testdata", "arm64", "switch.o"))
	if err != nil {
		t.Fatal(err)
	}
	// Per function, per br: the targets in table order (deduplicated), or
	// nil for a tail call through a register.
	tests := []struct {
		fn      string
		jump    uint64
		targets []uint64
	}{
		// cmp w0, #0xc; b.ls to the dispatch; ldrb, sxtb: 13 entries, case 4
		// (entry 4, 0xf4) the default.
		{"sw_byte", 0x2c, []uint64{0x44, 0x54, 0x64, 0x74, 0xf4, 0x84, 0x94, 0xa4, 0xb4, 0xc4, 0xd4, 0xe4, 0x30}},
		// sub w0, w0, #1; cmp w0, #0xd; ldrh, sxth: 14 entries, the padded
		// cases 600 instructions apart; 5 and 13 the default (0xb58).
		{"sw_half", 0x130, []uint64{0x148, 0x478, 0x7a8, 0xad8, 0xb58, 0xae8, 0xaf8, 0xb08, 0xb18, 0xb28, 0xb38, 0xb48, 0x134}},
		// add w0, w0, #5; cmp w0, #0xc: 13 entries for -5..7.
		{"sw_signed", 0xb90, []uint64{0xbac, 0xbbc, 0xbcc, 0xc68, 0xbe0, 0xbf4, 0xc08, 0xc18, 0xc2c, 0xc40, 0xc54, 0xb94}},
		// sub w0, w0, #100; cmp w0, #0x10: 17 entries for 100..116.
		{"sw_unsigned", 0xca0, []uint64{0xcb0, 0xcc0, 0xca4, 0xcd0, 0xce0, 0xcf0, 0xd00, 0xd10, 0xd20, 0xd30, 0xd40, 0xd50, 0xd60}},
		// and w1, w0, #0xf; sub w1, w1, #1; cmp w1, #0xe (GCC peels case 0):
		// 15 entries; the table index is w1, not the w0 it copies to w2.
		{"sw_masked", 0xdb0, []uint64{0xdd4, 0xde4, 0xdf4, 0xe04, 0xe14, 0xe24, 0xe34, 0xe44, 0xe54, 0xe64, 0xe74, 0xe84, 0xe94, 0xdb4, 0xdc4}},
		// The tail calls through x16 (o->fn), before the dispatch and in
		// the default case, use no table.
		{"sw_tail", 0xebc, nil},
		// sub w2, w1, #10; cmp w2, #0xb; b.ls to the dispatch: 12 entries,
		// the default (0xf94) a tail call.
		{"sw_tail", 0xedc, []uint64{0xef4, 0xf04, 0xf14, 0xf24, 0xf94, 0xf34, 0xf44, 0xf54, 0xf64, 0xf74, 0xf84, 0xee0}},
		{"sw_tail", 0xfa4, nil},
		// The table in x21 since before the loop, across the calls of the
		// cases; sub w1, w1, #0x61; cmp w1, #0xe in the loop: 15 entries.
		{"sw_loop", 0x1010, []uint64{0x10c8, 0x10b8, 0x10a8, 0xfe4, 0x1098, 0x1088, 0x1078, 0x1068, 0x1058, 0x1044, 0x1030, 0x101c, 0x1014}},
		// cmp w19, #0x28; b.ls to the dispatch, reached from the start and
		// after the call of g(): 41 entries.
		{"sw_early", 0x113c, []uint64{0x11f8, 0x1118, 0x11e8, 0x11d8, 0x11c8, 0x11b8, 0x11a8, 0x1198, 0x1188, 0x1178, 0x1168, 0x1158, 0x1148}},
	}
	for _, tt := range tests {
		fn := o.names[tt.fn]
		if fn == nil {
			t.Errorf("%s: no such function in switch.o", tt.fn)
			continue
		}
		tab, err := FindSwitch(o.query(fn, tt.jump))
		if err != nil {
			t.Errorf("%s+%#x: %v", tt.fn, tt.jump-fn.start, err)
			continue
		}
		var got []uint64
		if tab != nil {
			got = tab.Targets
			if got == nil {
				got = []uint64{}
			}
			if len(tab.Data) != 0 {
				t.Errorf("%s+%#x: data ranges %v, want none", tt.fn, tt.jump-fn.start, tab.Data)
			}
		}
		if !slices.Equal(got, tt.targets) || (got == nil) != (tt.targets == nil) {
			t.Errorf("%s at %#x: targets\n%#x\nwant\n%#x", tt.fn, tt.jump, got, tt.targets)
		}
	}
	// Every br of switch.o is listed above.
	var all []string
	for i := range o.funcs {
		for _, br := range o.brs(&o.funcs[i]) {
			all = append(all, o.funcs[i].name+"@"+swHex(br))
		}
	}
	var listed []string
	for _, tt := range tests {
		listed = append(listed, tt.fn+"@"+swHex(tt.jump))
	}
	slices.Sort(all)
	slices.Sort(listed)
	if !slices.Equal(all, listed) {
		t.Errorf("switch.o's br instructions are\n%v\nthe test lists\n%v", all, listed)
	}
}

func swHex(v uint64) string { return fmt.Sprintf("%#x", v) }

// swCorpusObjects unpacks the arm64 corpus and returns the paths of the
// objects its MANIFEST says were compiled from C. It skips the test when
// the archive is not there.
func swCorpusObjects(t *testing.T) []string {
	t.Helper()
	shared := os.Getenv("OBJCHECK_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "..", "shared")
	}
	tarball := filepath.Join(shared, "corpus", "linux-6.12", "arm64.tar.xz")
	if _, err := os.Stat(tarball); err != nil {
		skips.Skipf(t, "arm64 corpus not found (%v); set OBJCHECK_SHARED to the shared folder", err)
	}
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xJf", tarball, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("unpacking %s: %v\n%s", tarball, err, out)
	}
	root := filepath.Join(dir, "arm64")
	mf, err := os.Open(filepath.Join(root, "MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	defer mf.Close()
	var objs []string
	sc := bufio.NewScanner(mf)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) >= 2 && f[1] == "c" {
			objs = append(objs, filepath.Join(root, f[0]))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(objs) == 0 {
		t.Fatal("no C objects in the corpus MANIFEST")
	}
	return objs
}

// TestFindSwitchCorpus runs FindSwitch on every br of every function of
// the corpus's C objects. Each table's targets must lie in the function,
// on instructions; a br fed by the adr/add dispatch must not be taken for
// a tail call; and a table must end where the next thing a relocation of
// the object points to in its section begins (GCC sizes it to the bound).
// On Linux 6.12 every br of a C object is a switch dispatch or one of the
// BPF interpreter's computed gotos.
func TestFindSwitchCorpus(t *testing.T) {
	objs := swCorpusObjects(t)
	var brs, tables, entries, tails, bounds, others, followed, tight int
	patterns, tailFuncs := map[string]int{}, map[string]int{}
	for _, path := range objs {
		o, err := swReadObject(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		rel := path[strings.Index(path, "/arm64/")+len("/arm64/"):]
		for i := range o.funcs {
			fn := &o.funcs[i]
			for _, jump := range o.brs(fn) {
				brs++
				code := o.data[fn.sec]
				where := rel + ": " + fn.name + "+" + swHex(jump-fn.start)
				pattern := swTablePattern(code, fn.start, jump)
				q := o.query(fn, jump)
				tab, err := FindSwitch(q)
				if d, _ := swFind(q); d != nil {
					if next, ok := o.nextTarget(d.table); ok {
						followed++
						end := d.table.Off + (d.entries-1)*d.stride + d.width
						if end > next {
							t.Errorf("%s: the table at %d+%#x (%d entries) runs into %#x, which a relocation points to",
								where, d.table.Sec, d.table.Off, d.entries, next)
						}
						// GCC sizes a table to its bound exactly.
						if (end+7)&^7 >= next {
							tight++
						} else {
							t.Errorf("%s: the table at %d+%#x (%d entries) ends at %#x, well before %#x: a bound too small?",
								where, d.table.Sec, d.table.Off, d.entries, end, next)
						}
					}
				}
				switch {
				case errors.Is(err, arch.ErrNoSwitchBound):
					bounds++
					t.Logf("%s: %v", where, err)
				case err != nil:
					others++
					t.Errorf("%s: %v", where, err)
				case tab == nil:
					tails++
					tailFuncs[rel+": "+fn.name]++
					if pattern {
						t.Errorf("%s: the adr/add dispatch taken for a tail call", where)
					}
				default:
					tables++
					entries += len(tab.Targets)
					d, _ := swFind(q)
					switch {
					case d != nil && d.width == 8 && binary.LittleEndian.Uint32(code[jump-4:])&0xffe00c00 == 0xf8600800:
						patterns["ldr x, relocated entries (computed goto)"]++
					case !pattern:
						t.Errorf("%s: a table without the adr/add dispatch", where)
					default:
						patterns[swDescribe(code, fn, jump)]++
					}
					if len(tab.Targets) == 0 {
						t.Errorf("%s: a table without targets", where)
					}
					for _, tg := range tab.Targets {
						if tg < fn.start || tg >= fn.start+fn.size || tg%4 != 0 {
							t.Errorf("%s: target %#x outside the function [%#x, %#x) or misaligned",
								where, tg, fn.start, fn.start+fn.size)
						}
					}
				}
			}
		}
	}
	t.Logf("%d objects, %d br: %d tables (%d targets in all), %d without a table (tail calls), %d without a provable bound, %d other errors",
		len(objs), brs, tables, entries, tails, bounds, others)
	t.Logf("of the %d tables followed by something a relocation points to, %d end right before it (up to 8-byte alignment)", followed, tight)
	for _, m := range []struct {
		title  string
		counts map[string]int
	}{{"tables by entry load and extension:", patterns}, {"br without a table, by function:", tailFuncs}} {
		t.Log(m.title)
		var ps []string
		for p, n := range m.counts {
			ps = append(ps, fmt.Sprintf("%s: %d", p, n))
		}
		sort.Strings(ps)
		for _, p := range ps {
			t.Logf("  %s", p)
		}
	}
	if bounds != 0 {
		t.Errorf("%d tables without a bound", bounds)
	}
}

// swDescribe names the shape of a recovered dispatch for the corpus log:
// the entry load and the add's extension.
func swDescribe(code []byte, fn *swFunc, jump uint64) string {
	add := binary.LittleEndian.Uint32(code[jump-4:])
	ext := [8]string{"uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"}[add>>13&7]
	load := "?"
	for p := jump - 8; p >= fn.start && p+64 > jump; p -= 4 {
		if ld, ok := swDecodeTableLoad(binary.LittleEndian.Uint32(code[p:])); ok {
			load = [4]string{"", "ldr", "ldrs", "ldrs"}[ld.opc] + [4]string{"b", "h", "", ""}[ld.size]
			if ld.size >= 2 {
				load += [4]string{"", "", "w", "x"}[ld.size]
			}
			break
		}
		if p < 4 {
			break
		}
	}
	return load + "+" + ext
}

// Instruction words for the synthetic tests (from aarch64-linux-gnu-as).
const (
	swCmpW0x3    = 0x71000c1f // cmp w0, #3
	swCmpX0x3    = 0xf1000c1f // cmp x0, #3
	swCmpW2x3    = 0x71000c5f // cmp w2, #3
	swAddsW2     = 0x31000442 // adds w2, w2, #1
	swAdrpX1     = 0x90000001 // adrp x1, ...
	swAddX1Lo12  = 0x91000021 // add x1, x1, #0 (:lo12:)
	swLdrbUxtw   = 0x38604821 // ldrb w1, [x1, w0, uxtw]
	swLdrbX0     = 0x38606821 // ldrb w1, [x1, x0]
	swLdrbSxtw   = 0x3860c821 // ldrb w1, [x1, w0, sxtw]
	swLdrhUxtw   = 0x78605821 // ldrh w1, [x1, w0, uxtw #1]
	swLdrUxtw    = 0xb8605821 // ldr w1, [x1, w0, uxtw #2]
	swLdrsbUxtw  = 0x38e04821 // ldrsb w1, [x1, w0, uxtw]
	swAddSxtb    = 0x8b218801 // add x1, x0, w1, sxtb #2
	swAddSxth    = 0x8b21a801 // add x1, x0, w1, sxth #2
	swAddSxtw    = 0x8b21c801 // add x1, x0, w1, sxtw #2
	swAddUxtb    = 0x8b210801 // add x1, x0, w1, uxtb #2
	swAddLsl     = 0x8b010801 // add x1, x0, x1, lsl #2
	swAddLsl3    = 0x8b000c21 // add x1, x1, x0, lsl #3
	swBrX1       = 0xd61f0020 // br x1
	swBrX0       = 0xd61f0000 // br x0
	swBrX16      = 0xd61f0200 // br x16
	swLdrX16     = 0xf9400010 // ldr x16, [x0]
	swNop        = 0xd503201f // nop
	swRet        = 0xd65f03c0 // ret
	swBl         = 0x94000000 // bl (relocated)
	swAndW0x3    = 0x12000400 // and w0, w0, #3
	swAddW0x1    = 0x11000400 // add w0, w0, #1
	swAddW2x1    = 0x11000442 // add w2, w2, #1
	swAddsW0x4   = 0x31001000 // adds w0, w0, #4
	swAddsW2x4   = 0x31001042 // adds w2, w2, #4
	swBrkBug     = 0xd4210000 // brk #0x800 (BUG, or WARN when tabled)
	swBrkKasan   = 0xd4212000 // brk #0x900 (KASAN: goes on)
	swMovW0W2    = 0x2a0203e0 // mov w0, w2
	swMovW2W0    = 0x2a0003e2 // mov w2, w0
	swMovX0X2    = 0xaa0203e0 // mov x0, x2
	swUbfxW0     = 0x53041800 // ubfx w0, w0, #4, #3
	swLdrbW0X2   = 0x39400040 // ldrb w0, [x2]
	swSubSp16    = 0xd10043ff // sub sp, sp, #16
	swStrX1Sp8   = 0xf90007e1 // str x1, [sp, #8]
	swLdrX1Sp8   = 0xf94007e1 // ldr x1, [sp, #8]
	swStrX2Sp8   = 0xf90007e2 // str x2, [sp, #8]
	swStrW2Sp12  = 0xb9000fe2 // str w2, [sp, #12]
	swStrX2X3    = 0xf9000462 // str x2, [x3, #8]
	swStpX2X3Sp  = 0xa9000fe2 // stp x2, x3, [sp]
	swLdaddW6    = 0xb8250046 // ldadd w5, w6, [x2]
	swLdaddW0    = 0xb8250040 // ldadd w5, w0, [x2]
	swStxrW0     = 0xc8007c43 // stxr w0, x3, [x2]
	swLdrX2Uxtw  = 0xf8605822 // ldr x2, [x1, w0, uxtw #3]
	swBrX2       = 0xd61f0040 // br x2
	swLdrbW3     = 0x38604823 // ldrb w3, [x1, w0, uxtw]
	swAddX3Sxtb  = 0x8b238883 // add x3, x4, w3, sxtb #2
	swBrX3       = 0xd61f0060 // br x3
	swAddX1x8    = 0x91002021 // add x1, x1, #8
	swAdrpX30    = 0x9000001e // adrp x30, ...
	swAddX30Lo12 = 0x910003de // add x30, x30, #0 (:lo12:)
	swLdrbW3X30  = 0x38604bc3 // ldrb w3, [x30, w0, uxtw]
	swBtiJ       = 0xd503249f // bti j
	swPaciasp    = 0xd503233f // paciasp
	swXpaclri    = 0xd50320ff // xpaclri
	swPacia1716  = 0xd503211f // pacia1716
)

// The encoders of the position-dependent words.
func swEncBCond(cond uint32, from, to uint64) uint32 {
	return 0x54000000 | (uint32(int64(to-from)/4)&0x7ffff)<<5 | cond
}

func swEncB(from, to uint64) uint32 { return 0x14000000 | uint32(int64(to-from)/4)&0x3ffffff }

func swEncCbz(rt uint32, from, to uint64) uint32 {
	return 0x34000000 | (uint32(int64(to-from)/4)&0x7ffff)<<5 | rt
}

func swEncAdr(rd uint32, from, to uint64) uint32 {
	imm := uint32(int64(to-from)) & 0x1fffff
	return 0x10000000 | (imm&3)<<29 | (imm>>2)<<5 | rd
}

// The condition codes.
const (
	swEQ = 0
	swHS = 2
	swLO = 3
	swHI = 8
	swLS = 9
	swGT = 12
	swLE = 13
)

// swBase is the dispatch most tests vary: the table (4 entries read from
// .rodata+4, section 2) bounded by cmp + b.hi falling through.
//
//	00 cmp  w0, #3
//	04 b.hi 28
//	08 nop                        (a slot for the tests)
//	0c adrp x1, .rodata+4
//	10 add  x1, x1, :lo12:.rodata+4
//	14 ldrb w1, [x1, w0, uxtw]
//	18 adr  x0, 24
//	1c add  x1, x0, w1, sxtb #2
//	20 br   x1
//	24 nop; ret; nop; ret
func swBase() []uint32 {
	return []uint32{
		swCmpW0x3, swEncBCond(swHI, 0x04, 0x28), swNop, swAdrpX1, swAddX1Lo12,
		swLdrbUxtw, swEncAdr(0, 0x18, 0x24), swAddSxtb, swBrX1,
		swNop, swRet, swNop, swRet,
	}
}

// swBaseTargets are swBase's targets for its table {0, 2, 1, 3}.
var swBaseTargets = []uint64{0x24, 0x2c, 0x28, 0x30}

// A swSynth is a synthetic function: its code at offset 0 of section 1,
// .rodata as section 2, relocations at the given offsets of the code.
type swSynth struct {
	code   []uint32
	jump   uint64
	relocs map[uint64]arch.Target
	rodata []byte
	// rodataRelocs are the relocations of .rodata (computed gotos).
	rodataRelocs map[uint64]arch.Target
	// warn are the traps __bug_table makes WARNs.
	warn map[uint64]bool
	// noreturn are the calls to functions that never return.
	noreturn map[uint64]bool
}

// swTable returns .rodata: 4 bytes of something else, then the entries,
// each width bytes, little-endian.
func swTable(width int, entries ...int64) []byte {
	b := []byte{0xaa, 0xbb, 0xcc, 0xdd}
	for _, e := range entries {
		for i := 0; i < width; i++ {
			b = append(b, byte(e>>(8*i)))
		}
	}
	return b
}

func (s *swSynth) query() *arch.SwitchQuery {
	code := make([]byte, 4*len(s.code))
	for i, w := range s.code {
		binary.LittleEndian.PutUint32(code[4*i:], w)
	}
	return &arch.SwitchQuery{
		Code: code, Sec: 1, Start: 0, Jump: s.jump,
		Warn:     func(off uint64) bool { return s.warn[off] },
		NoReturn: func(off uint64) bool { return s.noreturn[off] },
		Reloc: func(sec int, off uint64) (arch.Target, bool) {
			switch sec {
			case 1:
				t, ok := s.relocs[off]
				return t, ok
			case 2:
				t, ok := s.rodataRelocs[off]
				return t, ok
			}
			return arch.Target{}, false
		},
		Data: func(sec int) []byte {
			if sec == 2 {
				return s.rodata
			}
			return nil
		},
	}
}

// swRelocs relocates the adrp and the add at adrp and adrp+4 to .rodata+4.
func swRelocs(adrp uint64) map[uint64]arch.Target {
	return map[uint64]arch.Target{adrp: {Sec: 2, Off: 4}, adrp + 4: {Sec: 2, Off: 4}}
}

// TestFindSwitchSynthetic varies the dispatch: conditions, bounds, entry
// widths and signedness, joins, spills, broken relocations and tables.
func TestFindSwitchSynthetic(t *testing.T) {
	const (
		ok      = iota // the targets
		none           // nil, nil: no table
		noBound        // ErrNoSwitchBound
		bad            // another error
	)
	byte4 := swTable(1, 0, 2, 1, 3, 1, 1, 1, 1)
	with := func(f func(c []uint32)) []uint32 {
		c := swBase()
		f(c)
		return c
	}
	spill := func(slot uint32) []uint32 {
		// 00 adrp x1; 04 add x1; 08 str x1, [sp, #8]; 0c cmp w0, #3;
		// 10 b.hi 34; 14 slot; 18 ldr x1, [sp, #8]; 1c ldrb; 20 adr x0, 30;
		// 24 add; 28 br x1; 2c nop; 30 nop; ret; nop; ret
		return []uint32{
			swAdrpX1, swAddX1Lo12, swStrX1Sp8, swCmpW0x3, swEncBCond(swHI, 0x10, 0x34), slot,
			swLdrX1Sp8, swLdrbUxtw, swEncAdr(0, 0x20, 0x30), swAddSxtb, swBrX1,
			swNop, swNop, swRet, swNop, swRet,
		}
	}
	spillTargets := []uint64{0x30, 0x38, 0x34, 0x3c}
	loop := func(slot, body uint32, back uint64) []uint32 {
		// 00 adrp x1; 04 add x1; 08 cmp w0, #3; 0c b.hi 38;
		// 10 ldrb w3, [x1, w0, uxtw]; 14 slot; 18 adr x4, 24;
		// 1c add x3, x4, w3, sxtb #2; 20 br x3; 24 body (case 0); 28 b back;
		// 2c nop (cases 1, 2); 30 ret; 34 nop; 38 ret (case 3, default)
		return []uint32{
			swAdrpX1, swAddX1Lo12, swCmpW0x3, swEncBCond(swHI, 0x0c, 0x38),
			swLdrbW3, slot, swEncAdr(4, 0x18, 0x24), swAddX3Sxtb, swBrX3,
			body, swEncB(0x28, back), swNop, swRet, swNop, swRet,
		}
	}
	loopTargets := []uint64{0x24, 0x2c, 0x38}
	// inX30 moves loop's table from x1 to x30 (ice_flow_add_prof keeps
	// its table in x30 across a loop whose head is an alignment nop).
	inX30 := func(c []uint32) []uint32 {
		c[0], c[1], c[4] = swAdrpX30, swAddX30Lo12, swLdrbW3X30
		return c
	}
	// 00 bound; 04 adrp x1; 08 add x1; 0c ldr x2, [x1, w0, uxtw #3];
	// 10 br x2; 14 nop; 18 ret; 1c nop; 20 ret. The table: 4 entries of
	// 8 bytes at .rodata+4, relocated.
	gotoSynth := func(bound uint32, rel map[uint64]arch.Target) swSynth {
		return swSynth{
			code:   []uint32{bound, swAdrpX1, swAddX1Lo12, swLdrX2Uxtw, swBrX2, swNop, swRet, swNop, swRet},
			jump:   0x10,
			relocs: swRelocs(4), rodata: make([]byte, 4+32), rodataRelocs: rel,
		}
	}
	gotoRelocs := map[uint64]arch.Target{
		4: {Sec: 1, Off: 0x14}, 12: {Sec: 1, Off: 0x1c}, 20: {Sec: 1, Off: 0x18}, 28: {Sec: 1, Off: 0x20},
	}
	// copied puts pre before swBase, the last of them taking the place
	// of its compare: every offset moves on by 4 per extra instruction.
	copied := func(pre ...uint32) []uint32 {
		return append(pre[:len(pre)-1:len(pre)-1], with(func(c []uint32) { c[0] = pre[len(pre)-1] })...)
	}
	copiedLoad := func(mov, cmp, load uint32) []uint32 {
		c := copied(mov, cmp)
		c[6] = load
		return c
	}
	tests := []struct {
		name    string
		s       swSynth
		want    int
		targets []uint64
	}{
		{"b.hi falls through", swSynth{code: swBase(), rodata: byte4}, ok, swBaseTargets},
		{"b.hs falls through: 3 entries", swSynth{code: with(func(c []uint32) {
			c[1] = swEncBCond(swHS, 0x04, 0x28)
		}), rodata: byte4}, ok, swBaseTargets[:3]},
		{"b.ls to the dispatch", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swEncBCond(swLS, 0x04, 0x0c), swEncB(0x08, 0x28)
		}), rodata: byte4}, ok, swBaseTargets},
		{"b.lo to the dispatch: 3 entries", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swEncBCond(swLO, 0x04, 0x0c), swEncB(0x08, 0x28)
		}), rodata: byte4}, ok, swBaseTargets[:3]},
		{"b.eq to the dispatch: index 3 at most", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swEncBCond(swEQ, 0x04, 0x0c), swEncB(0x08, 0x28)
		}), rodata: byte4}, ok, swBaseTargets},
		{"b.gt: signed, no bound", swSynth{code: with(func(c []uint32) {
			c[1] = swEncBCond(swGT, 0x04, 0x28)
		}), rodata: byte4}, noBound, nil},
		{"compare of another register", swSynth{code: with(func(c []uint32) {
			c[0] = swCmpW2x3
		}), rodata: byte4}, noBound, nil},
		{"compare of a copy: mov w0, w2; cmp w2", swSynth{code: copied(swMovW0W2, swCmpW2x3), jump: 0x24,
			relocs: swRelocs(0x10), rodata: byte4}, ok, shifted(swBaseTargets, 4)},
		{"compare of the original: mov w2, w0; cmp w2", swSynth{code: copied(swMovW2W0, swCmpW2x3), jump: 0x24,
			relocs: swRelocs(0x10), rodata: byte4}, ok, shifted(swBaseTargets, 4)},
		{"copy on both ways into the compare", swSynth{code: copied(swMovW0W2, swEncCbz(3, 0x04, 0x0c), swNop, swCmpW2x3),
			jump: 0x2c, relocs: swRelocs(0x18), rodata: byte4}, ok, shifted(swBaseTargets, 12)},
		{"copy on one way into the compare only", swSynth{code: copied(swEncCbz(3, 0x00, 0x08), swMovW0W2, swCmpW2x3),
			jump: 0x28, relocs: swRelocs(0x14), rodata: byte4}, noBound, nil},
		{"copy changed before the compare", swSynth{code: copied(swMovW0W2, swAddW2x1, swCmpW2x3), jump: 0x28,
			relocs: swRelocs(0x14), rodata: byte4}, noBound, nil},
		{"index changed after the copy", swSynth{code: copied(swMovW0W2, swAddW0x1, swCmpW2x3), jump: 0x28,
			relocs: swRelocs(0x14), rodata: byte4}, noBound, nil},
		{"64-bit copy, 32-bit compare, 64-bit index", swSynth{code: copiedLoad(swMovX0X2, swCmpW2x3, swLdrbX0), jump: 0x24,
			relocs: swRelocs(0x10), rodata: byte4}, noBound, nil},
		{"32-bit copy, 32-bit compare, 64-bit index", swSynth{code: copiedLoad(swMovW0W2, swCmpW2x3, swLdrbX0), jump: 0x24,
			relocs: swRelocs(0x10), rodata: byte4}, ok, shifted(swBaseTargets, 4)},
		{"b.ls over a BUG to the dispatch", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swEncBCond(swLS, 0x04, 0x0c), swBrkBug
		}), rodata: byte4}, ok, swBaseTargets},
		{"b.ls over a WARN: no bound on its way", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swEncBCond(swLS, 0x04, 0x0c), swBrkBug
		}), rodata: byte4, warn: map[uint64]bool{0x08: true}}, noBound, nil},
		{"b.ls over a call that never returns to the dispatch", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swEncBCond(swLS, 0x04, 0x0c), swBl
		}), rodata: byte4, noreturn: map[uint64]bool{0x08: true}}, ok, swBaseTargets},
		{"b.ls over a call that returns: no bound on its way", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swEncBCond(swLS, 0x04, 0x0c), swBl
		}), rodata: byte4}, noBound, nil},
		{"the flags cross a branch: b.le both ways, then b.hi", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swEncBCond(swLE, 0x04, 0x08), swEncBCond(swHI, 0x08, 0x28)
		}), rodata: byte4}, ok, swBaseTargets},
		{"index changed between the compare and b.hi", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swAddW0x1, swEncBCond(swHI, 0x08, 0x28)
		}), rodata: byte4}, noBound, nil},
		{"b.ls over another brk: no bound on its way", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swEncBCond(swLS, 0x04, 0x0c), swBrkKasan
		}), rodata: byte4}, noBound, nil},
		{"adds, carry set to the dispatch: switch (-errno)", swSynth{code: with(func(c []uint32) {
			c[0], c[1] = swAddsW0x4, swEncBCond(swLO, 0x04, 0x28)
		}), rodata: byte4}, ok, swBaseTargets},
		{"adds, carry clear to the dispatch: no bound", swSynth{code: with(func(c []uint32) {
			c[0], c[1] = swAddsW0x4, swEncBCond(swHS, 0x04, 0x28)
		}), rodata: byte4}, noBound, nil},
		{"adds of another register", swSynth{code: with(func(c []uint32) {
			c[0], c[1] = swAddsW2x4, swEncBCond(swLO, 0x04, 0x28)
		}), rodata: byte4}, noBound, nil},
		{"no compare", swSynth{code: with(func(c []uint32) {
			c[0] = swNop
		}), rodata: byte4}, noBound, nil},
		{"index changed after the compare", swSynth{code: with(func(c []uint32) {
			c[2] = swAddW0x1
		}), rodata: byte4}, noBound, nil},
		{"a call after the compare", swSynth{code: with(func(c []uint32) {
			c[2] = swBl
		}), rodata: byte4}, noBound, nil},
		{"flags set between the compare and the branch", swSynth{code: with(func(c []uint32) {
			c[1], c[2] = swAddsW2, swEncBCond(swHI, 0x08, 0x28)
		}), rodata: byte4}, noBound, nil},
		{"a way in between the compare and the branch", swSynth{code: with(func(c []uint32) {
			c[0], c[1], c[2] = swEncCbz(2, 0x00, 0x08), swCmpW0x3, swEncBCond(swHI, 0x08, 0x28)
		}), rodata: byte4}, noBound, nil},
		{"cmp x0", swSynth{code: with(func(c []uint32) {
			c[0] = swCmpX0x3
		}), rodata: byte4}, ok, swBaseTargets},
		{"64-bit index, 32-bit compare", swSynth{code: with(func(c []uint32) {
			c[5] = swLdrbX0
		}), rodata: byte4}, noBound, nil},
		{"64-bit index, 64-bit compare", swSynth{code: with(func(c []uint32) {
			c[0], c[5] = swCmpX0x3, swLdrbX0
		}), rodata: byte4}, ok, swBaseTargets},
		{"sxtw index", swSynth{code: with(func(c []uint32) {
			c[5] = swLdrbSxtw
		}), rodata: byte4}, ok, swBaseTargets},
		{"and bounds the index", swSynth{code: with(func(c []uint32) {
			c[0] = swAndW0x3
		}), rodata: byte4}, ok, swBaseTargets},
		{"ubfx bounds the index: 8 entries", swSynth{code: with(func(c []uint32) {
			c[0] = swUbfxW0
		}), rodata: byte4}, ok, swBaseTargets},
		{"ldrb bounds the index: 256 entries past .rodata", swSynth{code: with(func(c []uint32) {
			c[0] = swLdrbW0X2
		}), rodata: byte4}, bad, nil},
		{"cbz of the index: index 0 on that way", swSynth{code: with(func(c []uint32) {
			c[0], c[1], c[2] = swEncCbz(0, 0x00, 0x0c), swCmpW0x3, swEncBCond(swHI, 0x08, 0x28)
		}), rodata: byte4}, ok, swBaseTargets},
		{"cbz of another register: a way without a bound", swSynth{code: with(func(c []uint32) {
			c[0], c[1], c[2] = swEncCbz(2, 0x00, 0x0c), swCmpW0x3, swEncBCond(swHI, 0x08, 0x28)
		}), rodata: byte4}, noBound, nil},
		{"halfword table, sxth", swSynth{code: with(func(c []uint32) {
			c[5], c[7] = swLdrhUxtw, swAddSxth
		}), rodata: swTable(2, 0, 2, 1, 3)}, ok, swBaseTargets},
		{"word table, sxtw", swSynth{code: with(func(c []uint32) {
			c[5], c[7] = swLdrUxtw, swAddSxtw
		}), rodata: swTable(4, 0, 2, 1, 3)}, ok, swBaseTargets},
		{"add lsl (Clang)", swSynth{code: with(func(c []uint32) {
			c[7] = swAddLsl
		}), rodata: byte4}, ok, swBaseTargets},
		{"negative entry", swSynth{code: swBase(), rodata: swTable(1, 0, -2, 1, 3)}, ok, []uint64{0x24, 0x1c, 0x28, 0x30}},
		{"ldrsb, uxtb: 0xff is 255, outside the code", swSynth{code: with(func(c []uint32) {
			c[5], c[7] = swLdrsbUxtw, swAddUxtb
		}), rodata: swTable(1, 0, -1, 1, 3)}, bad, nil},
		{"misaligned target", swSynth{code: with(func(c []uint32) {
			c[7] = 0x8b218401 // add x1, x0, w1, sxtb #1
		}), rodata: swTable(1, 0, 1, 2, 3)}, bad, nil},
		{"table past the end of .rodata", swSynth{code: swBase(), rodata: swTable(1, 0, 2, 1)}, bad, nil},
		{"no .rodata", swSynth{code: swBase()}, bad, nil},
		{"table address beyond .rodata", swSynth{code: swBase(), rodata: byte4,
			relocs: map[uint64]arch.Target{0x0c: {Sec: 2, Off: 1 << 62}, 0x10: {Sec: 2, Off: 1 << 62}}}, bad, nil},
		{"relocation to a section that is not there", swSynth{code: swBase(), rodata: byte4,
			relocs: map[uint64]arch.Target{0x0c: {Sec: 99, Off: 4}, 0x10: {Sec: 99, Off: 4}}}, bad, nil},
		{"adrp not relocated", swSynth{code: swBase(), rodata: byte4,
			relocs: map[uint64]arch.Target{0x10: {Sec: 2, Off: 4}}}, noBound, nil},
		{"adrp and add disagree", swSynth{code: swBase(), rodata: byte4,
			relocs: map[uint64]arch.Target{0x0c: {Sec: 2, Off: 4}, 0x10: {Sec: 2, Off: 8}}}, noBound, nil},
		{"spilled table address", swSynth{code: spill(swNop), rodata: byte4, jump: 0x28,
			relocs: swRelocs(0)}, ok, spillTargets},
		{"spilled, a store elsewhere", swSynth{code: spill(swStrX2X3), rodata: byte4, jump: 0x28,
			relocs: swRelocs(0)}, ok, spillTargets},
		{"spilled, sp moved", swSynth{code: spill(swSubSp16), rodata: byte4, jump: 0x28,
			relocs: swRelocs(0)}, noBound, nil},
		{"spilled, slot overwritten", swSynth{code: spill(swStrX2Sp8), rodata: byte4, jump: 0x28,
			relocs: swRelocs(0)}, noBound, nil},
		{"spilled, slot partly overwritten", swSynth{code: spill(swStrW2Sp12), rodata: byte4, jump: 0x28,
			relocs: swRelocs(0)}, noBound, nil},
		{"spilled, slot overwritten by a pair", swSynth{code: spill(swStpX2X3Sp), rodata: byte4, jump: 0x28,
			relocs: swRelocs(0)}, noBound, nil},
		{"an atomic between", swSynth{code: with(func(c []uint32) {
			c[2] = swLdaddW6
		}), rodata: byte4}, ok, swBaseTargets},
		{"an atomic loads the index", swSynth{code: with(func(c []uint32) {
			c[2] = swLdaddW0
		}), rodata: byte4}, noBound, nil},
		{"a store-exclusive's status in the index", swSynth{code: with(func(c []uint32) {
			c[2] = swStxrW0
		}), rodata: byte4}, noBound, nil},
		{"a case loops back to the compare", swSynth{code: loop(swNop, swAddW0x1, 0x08),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, ok, loopTargets},
		{"a case loops back to the load", swSynth{code: loop(swNop, swNop, 0x10),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, ok, loopTargets},
		{"a case changes the index and loops back to the load", swSynth{code: loop(swNop, swAddW0x1, 0x10),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, noBound, nil},
		{"the dispatch changes the index, a case loops back to the load", swSynth{code: loop(swAddW0x1, swNop, 0x10),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, noBound, nil},
		{"a nop at the loop's head leaves a table in x30", swSynth{code: inX30(loop(swNop, swNop, 0x08)),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, ok, loopTargets},
		{"a bti in the loop leaves a table in x30", swSynth{code: inX30(loop(swNop, swBtiJ, 0x08)),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, ok, loopTargets},
		{"paciasp in the loop changes a table in x30", swSynth{code: inX30(loop(swNop, swPaciasp, 0x08)),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, noBound, nil},
		{"xpaclri in the loop changes a table in x30", swSynth{code: inX30(loop(swNop, swXpaclri, 0x08)),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, noBound, nil},
		{"pacia1716 in the loop leaves a table in x30", swSynth{code: inX30(loop(swNop, swPacia1716, 0x08)),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, ok, loopTargets},
		{"the loop moves the table", swSynth{code: loop(swNop, swAddX1x8, 0x08),
			rodata: swTable(1, 0, 2, 2, 5), jump: 0x20, relocs: swRelocs(0)}, noBound, nil},
		{"computed goto", gotoSynth(swAndW0x3, gotoRelocs), ok, []uint64{0x14, 0x1c, 0x18, 0x20}},
		{"computed goto without a bound", gotoSynth(swNop, gotoRelocs), noBound, nil},
		{"array of function pointers in another section", gotoSynth(swAndW0x3, map[uint64]arch.Target{
			4: {Sec: 3, Off: 0}, 12: {Sec: 3, Off: 8}}), none, nil},
		{"array of function pointers, the function itself first", gotoSynth(swAndW0x3, map[uint64]arch.Target{
			4: {Sec: 1, Off: 0}, 12: {Sec: 1, Off: 0x1c}}), none, nil},
		{"computed goto, an entry not relocated", gotoSynth(swAndW0x3, map[uint64]arch.Target{
			4: {Sec: 1, Off: 0x14}, 12: {Sec: 1, Off: 0x1c}, 28: {Sec: 1, Off: 0x20}}), bad, nil},
		{"computed goto, an entry out of the code", gotoSynth(swAndW0x3, map[uint64]arch.Target{
			4: {Sec: 1, Off: 0x14}, 12: {Sec: 1, Off: 0x1c}, 20: {Sec: 1, Off: 0x400}, 28: {Sec: 1, Off: 0x20}}), bad, nil},
		{"computed goto, table past the end", func() swSynth {
			s := gotoSynth(swAndW0x3, gotoRelocs)
			s.rodata = s.rodata[:20]
			return s
		}(), bad, nil},
		{"tail call", swSynth{code: []uint32{swLdrX16, swBrX16}, jump: 4}, none, nil},
		{"br of an argument", swSynth{code: []uint32{swBrX0}}, none, nil},
		{"computed jump without a table", swSynth{code: []uint32{
			swEncAdr(1, 0, 0x0c), swAddLsl3, 0xd61f0020, swNop, swNop,
		}, jump: 8}, none, nil},
		{"not a br", swSynth{code: swBase(), rodata: byte4, jump: 0x1c}, none, nil},
	}
	for _, tt := range tests {
		s := tt.s
		if s.jump == 0 && len(s.code) == len(swBase()) {
			s.jump = 0x20
		}
		if s.relocs == nil && s.jump == 0x20 {
			s.relocs = swRelocs(0x0c)
		}
		tab, err := FindSwitch(s.query())
		var got int
		switch {
		case errors.Is(err, arch.ErrNoSwitchBound):
			got = noBound
		case err != nil:
			got = bad
		case tab == nil:
			got = none
		default:
			got = ok
		}
		if got != tt.want || got == ok && !slices.Equal(tab.Targets, tt.targets) {
			t.Errorf("%s: got %v, %v; want kind %d, targets %#x", tt.name, tab, err, tt.want, tt.targets)
		}
	}
}

// TestFindSwitchMalformed: queries out of their code, cut code, random
// words and relocations give nil or an error, never a panic.
func TestFindSwitchMalformed(t *testing.T) {
	base := swSynth{code: swBase(), jump: 0x20, relocs: swRelocs(0x0c), rodata: swTable(1, 0, 2, 1, 3)}
	q := base.query()
	code := q.Code
	for _, tc := range []struct {
		name string
		mod  func(q *arch.SwitchQuery)
	}{
		{"jump past the code", func(q *arch.SwitchQuery) { q.Jump = 0x1000 }},
		{"jump cut", func(q *arch.SwitchQuery) { q.Code = code[:0x22] }},
		{"jump misaligned", func(q *arch.SwitchQuery) { q.Jump = 0x1e }},
		{"start misaligned", func(q *arch.SwitchQuery) { q.Start = 2 }},
		{"start after the jump", func(q *arch.SwitchQuery) { q.Start = 0x24 }},
		{"start at the jump", func(q *arch.SwitchQuery) { q.Start = 0x20 }},
		{"no code", func(q *arch.SwitchQuery) { q.Code = nil }},
		{"nil Reloc", func(q *arch.SwitchQuery) { q.Reloc = nil }},
		{"nil Data", func(q *arch.SwitchQuery) { q.Data = nil }},
	} {
		q := base.query()
		tc.mod(q)
		if tab, _ := FindSwitch(q); tab != nil {
			t.Errorf("%s: a table %v", tc.name, tab.Targets)
		}
	}
	if tab, err := FindSwitch(nil); tab != nil || err != nil {
		t.Errorf("nil query: %v, %v", tab, err)
	}

	// The dispatch with words replaced by random ones or by pieces of
	// dispatches, relocations moved, random tables, code cut short: no
	// panic, and targets inside the code.
	seed := uint64(1)
	rnd := func() uint64 {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return seed
	}
	parts := append(swBase(), swCmpX0x3, swLdrbW0X2, swLdrX1Sp8, swStrX1Sp8, swSubSp16, swBl, swAndW0x3,
		swLdrhUxtw, swAddSxth, swAddLsl, swLdrbX0, swStpX2X3Sp,
		swEncBCond(swLS, 0, 8), swEncBCond(swHI, 8, 0), swEncB(0, 0x10), swEncCbz(0, 0, 0x10))
	var tables, errs int
	for iter := 0; iter < 20000; iter++ {
		s := swSynth{code: swBase(), relocs: swRelocs(0x0c), rodata: make([]byte, 4+rnd()%12)}
		if rnd()%2 == 0 {
			s.code = append(s.code, swBase()...)
		}
		for k := rnd() % 4; k > 0; k-- {
			i := rnd() % uint64(len(s.code))
			if rnd()%2 == 0 {
				s.code[i] = uint32(rnd())
			} else {
				s.code[i] = parts[rnd()%uint64(len(parts))]
			}
		}
		for k := rnd() % 3; k > 0; k-- {
			s.relocs[4*(rnd()%uint64(len(s.code)))] = arch.Target{Sec: int(rnd()%4) - 1, Off: rnd() % 32}
		}
		for i := range s.rodata {
			s.rodata[i] = byte(rnd() % 4)
			if rnd()%8 == 0 {
				s.rodata[i] = byte(rnd())
			}
		}
		for j, w := range s.code {
			if w&0xfffffc1f != 0xd61f0000 {
				continue
			}
			s.jump = uint64(4 * j)
			q := s.query()
			q.Code = q.Code[:len(q.Code)-int(rnd()%3)]
			q.Start = 4 * (rnd() % uint64(j+1) % 12)
			tab, err := FindSwitch(q)
			if err != nil {
				errs++
			}
			if tab == nil {
				continue
			}
			tables++
			for _, tg := range tab.Targets {
				if tg >= uint64(len(q.Code)) || tg%4 != 0 {
					t.Fatalf("iteration %d, jump %#x: target %#x outside the code", iter, s.jump, tg)
				}
			}
		}
	}
	t.Logf("random code: %d tables, %d errors", tables, errs)
}

// shifted returns offs, each moved on by n.
func shifted(offs []uint64, n uint64) []uint64 {
	out := make([]uint64, len(offs))
	for i, o := range offs {
		out[i] = o + n
	}
	return out
}

// TestPredsOfCaseCode checks the ways into code that only a table
// reaches (swBase's case at 0x24, after its br at 0x20): every br of the
// function, unless the graph says which tables list it (Cases) or which
// tables are known in full (Resolved).
func TestPredsOfCaseCode(t *testing.T) {
	base := swSynth{code: swBase(), rodata: swTable(1, 0, 2, 1, 3)}
	for _, tt := range []struct {
		name     string
		cases    func(uint64) []uint64
		resolved func(uint64) bool
		want     []backflow.Edge
		entry    bool
	}{
		{"nothing known: every br", nil, nil, []backflow.Edge{{From: 0x20, Taken: true}}, false},
		{"a known table lists it", func(off uint64) []uint64 {
			if off == 0x24 {
				return []uint64{0x20}
			}
			return nil
		}, nil, []backflow.Edge{{From: 0x20, Taken: true}}, false},
		{"the only br's table is known and does not list it", nil,
			func(jump uint64) bool { return jump == 0x20 }, nil, true},
	} {
		q := base.query()
		q.Jump = 0x20
		q.Cases, q.Resolved = tt.cases, tt.resolved
		got, entry := newAnalysis(q).code.Preds(0x24)
		if !slices.Equal(got, tt.want) || entry != tt.entry {
			t.Errorf("%s: preds = %v %v, want %v %v", tt.name, got, entry, tt.want, tt.entry)
		}
	}
}
