package difftest

import (
	"bytes"
	"cmp"
	"debug/elf"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

// A SiteKind says what a mutation site does.
type SiteKind uint8

// The kinds of instruction a mutant replaces with NOPs.
const (
	StackSite  SiteKind = iota // push, pop, add/sub/and to %rsp, mov between %rsp and %rbp, leave, lea with %rsp
	JumpSite                   // jmp and jcc, direct or not
	ReturnSite                 // ret
	numSiteKinds
)

var siteKindNames = [numSiteKinds]string{"stack", "jump", "return"}

func (k SiteKind) String() string {
	if k < numSiteKinds {
		return siteKindNames[k]
	}
	return fmt.Sprintf("SiteKind(%d)", uint8(k))
}

// A Site is one instruction of an object that a mutant may replace.
type Site struct {
	Kind       SiteKind
	Section    string // the executable section holding it
	Offset     uint64 // its offset in the section
	FileOffset uint64 // its offset in the file
	Len        int    // its length in bytes
	Func       string // the STT_FUNC symbol it lies in
	FuncOffset uint64 // its offset in that function
	Insn       string // the instruction, in AT&T syntax
	// Nop is what replaces it; nil for one-byte x86 NOPs (0x90), as
	// many as it has bytes.
	Nop []byte
	// Reloc names the relocation that applies within the instruction,
	// if one does ("R_X86_64_PLT32 __x86_return_thunk-0x4"): a jump with
	// one is a tail call or a return through a thunk.
	Reloc string
}

func (s Site) String() string {
	insn := s.Insn
	if s.Reloc != "" {
		insn += " <" + s.Reloc + ">"
	}
	return fmt.Sprintf("%s+0x%x (%s+0x%x): %s [%s, %d bytes]",
		s.Func, s.FuncOffset, s.Section, s.Offset, insn, s.Kind, s.Len)
}

// Sites lists the instructions of an x86-64, arm64 or ppc64 relocatable
// object that are stack operations, jumps or returns, in file order. On
// x86 it decodes each STT_FUNC symbol from its start with
// golang.org/x/arch/x86/x86asm and stops at the first instruction it
// cannot decode, so every site found has boundaries it is sure of; on the
// fixed-width machines it matches each word against wordArches. A
// function aliased by several symbols is decoded once.
func Sites(data []byte) ([]Site, error) {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	words, isWords := wordArches[f.Machine]
	if f.Machine != elf.EM_X86_64 && !isWords || f.Class != elf.ELFCLASS64 {
		return nil, fmt.Errorf("not an x86-64, arm64 or ppc64 object (%v, %v)", f.Machine, f.Class)
	}
	nop := words.nopBytes(f.ByteOrder) // the fixed-width machine's
	syms, err := f.Symbols()
	if err != nil {
		return nil, err
	}
	type fn struct {
		sec   int
		start uint64
	}
	seen := make(map[fn]bool)
	relocs := relocations(f, syms)
	var sites []Site
	for _, sym := range syms {
		idx := int(sym.Section)
		if elf.ST_TYPE(sym.Info) != elf.STT_FUNC || sym.Size == 0 ||
			sym.Section >= elf.SHN_LORESERVE || idx >= len(f.Sections) {
			continue
		}
		sec := f.Sections[idx]
		if sec.Type != elf.SHT_PROGBITS || sec.Flags&elf.SHF_EXECINSTR == 0 ||
			sym.Value+sym.Size > sec.Size || sym.Value+sym.Size < sym.Value ||
			sec.Offset+sec.Size > uint64(len(data)) {
			continue
		}
		if seen[fn{idx, sym.Value}] {
			continue
		}
		seen[fn{idx, sym.Value}] = true
		code := data[sec.Offset+sym.Value : sec.Offset+sym.Value+sym.Size]
		if isWords {
			sites = append(sites, wordSites(&words, f, code, sec, idx, sym, relocs, nop)...)
			continue
		}
		for off := 0; off < len(code); {
			inst, err := x86asm.Decode(code[off:], 64)
			if err != nil || inst.Len == 0 {
				break
			}
			if kind, ok := siteKind(&inst); ok {
				sites = append(sites, Site{
					Kind:       kind,
					Section:    sec.Name,
					Offset:     sym.Value + uint64(off),
					FileOffset: sec.Offset + sym.Value + uint64(off),
					Len:        inst.Len,
					Func:       sym.Name,
					FuncOffset: uint64(off),
					Insn:       x86asm.GNUSyntax(inst, sym.Value+uint64(off), nil),
					Reloc:      relocs.within(idx, sym.Value+uint64(off), inst.Len),
				})
			}
			off += inst.Len
		}
	}
	return sites, nil
}

// relocTable holds each section's relocations, by section index.
type relocTable map[int][]reloc

type reloc struct {
	off  uint64
	desc string
}

// relocations reads the object's SHT_RELA sections, in offset order.
func relocations(f *elf.File, syms []elf.Symbol) relocTable {
	t := make(relocTable)
	for _, rs := range f.Sections {
		if rs.Type != elf.SHT_RELA || int(rs.Info) >= len(f.Sections) {
			continue
		}
		data, err := rs.Data()
		if err != nil {
			continue
		}
		var list []reloc
		for i := 0; i+24 <= len(data); i += 24 {
			off := f.ByteOrder.Uint64(data[i:])
			info := f.ByteOrder.Uint64(data[i+8:])
			addend := int64(f.ByteOrder.Uint64(data[i+16:]))
			name := fmt.Sprintf("sym#%d", info>>32)
			if k := int(info >> 32); k >= 1 && k <= len(syms) {
				s := syms[k-1]
				name = s.Name
				if name == "" && int(s.Section) < len(f.Sections) {
					name = f.Sections[s.Section].Name
				}
			}
			desc := relocTypeName(f.Machine, uint32(info)) + " " + name
			if addend != 0 {
				desc += fmt.Sprintf("%+#x", addend)
			}
			list = append(list, reloc{off, desc})
		}
		slices.SortStableFunc(list, func(a, b reloc) int { return cmp.Compare(a.off, b.off) })
		t[int(rs.Info)] = list
	}
	return t
}

// relocTypeName names a relocation type of machine m.
func relocTypeName(m elf.Machine, t uint32) string {
	if a, ok := wordArches[m]; ok {
		return a.reloc(t)
	}
	return elf.R_X86_64(t).String()
}

// within describes the first relocation of section sec that applies in
// [off, off+n), or returns "".
func (t relocTable) within(sec int, off uint64, n int) string {
	list := t[sec]
	i, _ := slices.BinarySearchFunc(list, off, func(r reloc, off uint64) int { return cmp.Compare(r.off, off) })
	if i < len(list) && list[i].off < off+uint64(n) {
		return list[i].desc
	}
	return ""
}

// siteKind classifies inst, and says whether it is a site at all.
func siteKind(inst *x86asm.Inst) (SiteKind, bool) {
	a0, a1 := inst.Args[0], inst.Args[1]
	switch inst.Op {
	case x86asm.PUSH, x86asm.POP, x86asm.PUSHF, x86asm.PUSHFQ,
		x86asm.POPF, x86asm.POPFQ, x86asm.LEAVE:
		return StackSite, true
	case x86asm.ADD, x86asm.SUB, x86asm.AND:
		return StackSite, a0 == x86asm.RSP
	case x86asm.MOV:
		return StackSite, a0 == x86asm.RSP && a1 == x86asm.RBP || a0 == x86asm.RBP && a1 == x86asm.RSP
	case x86asm.LEA:
		m, _ := a1.(x86asm.Mem)
		return StackSite, a0 == x86asm.RSP || m.Base == x86asm.RSP
	case x86asm.JMP, x86asm.JA, x86asm.JAE, x86asm.JB, x86asm.JBE, x86asm.JCXZ,
		x86asm.JE, x86asm.JECXZ, x86asm.JG, x86asm.JGE, x86asm.JL, x86asm.JLE,
		x86asm.JNE, x86asm.JNO, x86asm.JNP, x86asm.JNS, x86asm.JO, x86asm.JP,
		x86asm.JRCXZ, x86asm.JS:
		return JumpSite, true
	case x86asm.RET:
		return ReturnSite, true
	}
	return 0, false
}

// An Object is a corpus object as kbuild handed it to objtool.
type Object struct {
	Set  string   // the corpus folder's name: "x86-orc", "arm64", ...
	Dir  string   // the unpacked corpus folder
	Path string   // the object's path inside Dir
	Args []string // objtool's recorded arguments, without the object
}

// A Mutant is a copy of an object with one instruction replaced by NOPs:
// on x86 as many one-byte NOPs (0x90) as it had bytes, which objtool
// decodes each as INSN_NOP; on arm64 and ppc64 the machine's nop word.
// Relocations are left as they were, so one that applied to the
// instruction now lands among the NOPs.
type Mutant struct {
	ID int // its index in what Mutants returned
	Object
	Site
	Data []byte // the mutated object
}

func (m *Mutant) String() string {
	return fmt.Sprintf("mutant %d: %s/%s: %s", m.ID, m.Set, m.Path, m.Site)
}

// Mutants makes up to n mutants of objs, deterministically for a given
// seed and objs. Each draw picks an object, then a kind of site among those
// the object has (so returns and stack operations are not drowned by
// jumps), then a site of that kind; no site is mutated twice. It reads only
// the objects it draws. Fewer than n come back only when the objects run
// out of sites. The draws do not depend on n, so a smaller n gives a prefix
// of a larger one: mutant 17 is the same mutant whatever n is.
func Mutants(objs []Object, n int, seed uint64) ([]*Mutant, error) {
	type parsed struct {
		data   []byte
		byKind [numSiteKinds][]Site
		kinds  []SiteKind
	}
	cache := make(map[int]*parsed)
	type key struct {
		obj int
		off uint64
	}
	used := make(map[key]bool)
	rng := rand.New(rand.NewPCG(seed, 0x6f626a636865636b))
	var out []*Mutant
	for tries := 0; len(out) < n && len(objs) > 0 && tries < 20*n+100; tries++ {
		i := rng.IntN(len(objs))
		p := cache[i]
		if p == nil {
			data, err := os.ReadFile(filepath.Join(objs[i].Dir, objs[i].Path))
			if err != nil {
				return nil, err
			}
			sites, err := Sites(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", objs[i].Path, err)
			}
			p = &parsed{data: data}
			for _, s := range sites {
				p.byKind[s.Kind] = append(p.byKind[s.Kind], s)
			}
			for k := range numSiteKinds {
				if len(p.byKind[k]) > 0 {
					p.kinds = append(p.kinds, k)
				}
			}
			cache[i] = p
		}
		if len(p.kinds) == 0 {
			continue
		}
		list := p.byKind[p.kinds[rng.IntN(len(p.kinds))]]
		s := list[rng.IntN(len(list))]
		if used[key{i, s.FileOffset}] {
			continue
		}
		used[key{i, s.FileOffset}] = true
		data := bytes.Clone(p.data)
		if s.Nop != nil {
			copy(data[s.FileOffset:], s.Nop)
		} else {
			for j := range s.Len {
				data[s.FileOffset+uint64(j)] = 0x90
			}
		}
		out = append(out, &Mutant{ID: len(out), Object: objs[i], Site: s, Data: data})
	}
	return out, nil
}

// Dir is the mutant's own folder under root: root/NNNN.
func (m *Mutant) Dir(root string) string {
	return filepath.Join(root, fmt.Sprintf("%04d", m.ID))
}

// Write lays the mutant out under root like a one-object corpus folder:
// root/NNNN/<path>, <path>.args and a MANIFEST, plus MUTANT describing the
// change. Run a checker from root/NNNN with the object's path.
func (m *Mutant) Write(root string) error {
	dir := m.Dir(root)
	obj := filepath.Join(dir, m.Path)
	if err := os.MkdirAll(filepath.Dir(obj), 0o755); err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{obj, m.Data},
		{obj + ".args", []byte(strings.Join(m.Args, "\n") + "\n")},
		{filepath.Join(dir, "MANIFEST"), []byte(m.Path + "\tmutant\t\n")},
		{filepath.Join(dir, "MUTANT"), []byte(m.String() + "\n")},
	}
	for _, f := range files {
		if err := os.WriteFile(f.name, f.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
