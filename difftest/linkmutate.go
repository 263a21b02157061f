package difftest

import (
	"bytes"
	"cmp"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

// A LinkFamily is a family of objtool's link-time rules, the ones it
// checks over the linked vmlinux.o, that a link mutant breaks.
type LinkFamily uint8

// The rule families of issue 10, in report order.
const (
	IBTFamily       LinkFamily = iota // an ENDBR of an address-taken function made a NOP
	NoinstrFamily                     // a call in noinstr code retargeted to an instrumented function
	UnretFamily                       // a VALIDATE_UNRET_END annotation dropped
	RetpolineFamily                   // a call or jump through a retpoline thunk made a plain indirect one
	RethunkFamily                     // a jump to the return thunk made a plain ret
	UaccessFamily                     // a clac or stac of an ALTERNATIVE made a NOP
	StackFamily                       // a push of a function made a NOP
	JumpFamily                        // a short jump retargeted one byte on, into an instruction
	numLinkFamilies
	// ManyRules is the family of a mutant joined from several others.
	ManyRules = numLinkFamilies
)

// linkFamilyInfo says, per family, its name and the text objtool prints
// when it sees the break (at least one of a family's mutants must draw
// it, or the family is not tested).
var linkFamilyInfo = [numLinkFamilies]struct{ name, text string }{
	IBTFamily:       {"ibt", "relocation to !ENDBR"},
	NoinstrFamily:   {"noinstr", "leaves .noinstr.text section"},
	UnretFamily:     {"unret", "UNTRAIN"},
	RetpolineFamily: {"retpoline", "found in MITIGATION_RETPOLINE build"},
	RethunkFamily:   {"rethunk", "'naked' return found in MITIGATION_RETHUNK build"},
	UaccessFamily:   {"uaccess", "UACCESS"},
	StackFamily:     {"stack", "warning: objtool: "},
	JumpFamily:      {"jump", "warning: objtool: "},
}

func (f LinkFamily) String() string {
	if f < numLinkFamilies {
		return linkFamilyInfo[f].name
	}
	if f == ManyRules {
		return "many"
	}
	return fmt.Sprintf("LinkFamily(%d)", uint8(f))
}

// Text is what objtool prints for a break of the family.
func (f LinkFamily) Text() string { return linkFamilyInfo[f].text }

// A relaRef names one entry of a relocation section: the section's index
// and the entry's.
type relaRef struct{ sec, entry int }

// A LinkMutant is a change to a linked object that breaks one rule.
type LinkMutant struct {
	Family LinkFamily
	Where  string // the function and instruction changed, for the log
	// Patches replace bytes of the file, by file offset.
	Patches []bytePatch
	// Retargets point relocation entries at other symbols.
	Retargets []retarget
	// Drops removes relocation entries (those of a rewritten
	// instruction).
	Drops []relaRef
}

type bytePatch struct {
	off   uint64
	bytes []byte
}

type retarget struct {
	relaRef
	sym    uint32
	addend int64
}

func (m *LinkMutant) String() string { return fmt.Sprintf("%s: %s", m.Family, m.Where) }

// Join makes one mutant of several (their changes must not overlap).
func Join(f LinkFamily, where string, ms []*LinkMutant) *LinkMutant {
	j := &LinkMutant{Family: f, Where: where}
	for _, m := range ms {
		j.Patches = append(j.Patches, m.Patches...)
		j.Retargets = append(j.Retargets, m.Retargets...)
		j.Drops = append(j.Drops, m.Drops...)
	}
	return j
}

// A LinkedObject is an x86-64 relocatable object read for mutation: its
// bytes, sections, symbols, relocations and functions.
type LinkedObject struct {
	data  []byte
	f     *elf.File
	syms  []elf.Symbol // by symbol index: syms[0] is the null symbol
	relas map[int][]rela
	funcs map[int][]int // per executable section, its STT_FUNC symbols by address
	named map[string]int
}

// A rela is one relocation entry, with where it lives.
type rela struct {
	relaRef
	off    uint64
	typ    elf.R_X86_64
	sym    uint32
	addend int64
}

// ReadLinked reads an x86-64 relocatable object for mutation.
func ReadLinked(data []byte) (*LinkedObject, error) {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	// The harness mutates x86-64 objects only: a scope, not an arch rule.
	if f.Machine != elf.EM_X86_64 || f.Class != elf.ELFCLASS64 {
		return nil, fmt.Errorf("not an x86-64 object (%v, %v)", f.Machine, f.Class)
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, err
	}
	o := &LinkedObject{data: data, f: f, syms: append([]elf.Symbol{{}}, syms...),
		relas: make(map[int][]rela), funcs: make(map[int][]int), named: make(map[string]int)}
	for i, rs := range f.Sections {
		if rs.Type != elf.SHT_RELA || int(rs.Info) >= len(f.Sections) || rs.Offset+rs.Size > uint64(len(data)) {
			continue
		}
		b := data[rs.Offset : rs.Offset+rs.Size]
		for e := 0; (e+1)*24 <= len(b); e++ {
			info := binary.LittleEndian.Uint64(b[e*24+8:])
			o.relas[int(rs.Info)] = append(o.relas[int(rs.Info)], rela{
				relaRef: relaRef{i, e}, off: binary.LittleEndian.Uint64(b[e*24:]),
				typ: elf.R_X86_64(info & 0xffffffff), sym: uint32(info >> 32),
				addend: int64(binary.LittleEndian.Uint64(b[e*24+16:]))})
		}
	}
	for i, s := range o.syms {
		if _, ok := o.named[s.Name]; !ok && s.Name != "" {
			o.named[s.Name] = i
		}
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Size > 0 && o.exec(int(s.Section)) {
			o.funcs[int(s.Section)] = append(o.funcs[int(s.Section)], i)
		}
	}
	for _, fs := range o.funcs {
		slices.SortStableFunc(fs, func(a, b int) int { return cmp.Compare(o.syms[a].Value, o.syms[b].Value) })
	}
	return o, nil
}

// exec says whether section i holds code that is in the file.
func (o *LinkedObject) exec(i int) bool {
	if i <= 0 || i >= len(o.f.Sections) {
		return false
	}
	s := o.f.Sections[i]
	return s.Type == elf.SHT_PROGBITS && s.Flags&elf.SHF_EXECINSTR != 0 && s.Offset+s.Size <= uint64(len(o.data))
}

// code returns the bytes of section sec from off to its end.
func (o *LinkedObject) code(sec int, off uint64) []byte {
	s := o.f.Sections[sec]
	return o.data[s.Offset+off : s.Offset+s.Size]
}

// fileOff is the file offset of off in section sec.
func (o *LinkedObject) fileOff(sec int, off uint64) uint64 { return o.f.Sections[sec].Offset + off }

// funcAt returns the function holding off in section sec, or -1.
func (o *LinkedObject) funcAt(sec int, off uint64) int {
	fs := o.funcs[sec]
	i, _ := slices.BinarySearchFunc(fs, off+1, func(s int, v uint64) int { return cmp.Compare(o.syms[s].Value, v) })
	if i == 0 {
		return -1
	}
	if s := o.syms[fs[i-1]]; off < s.Value+s.Size {
		return fs[i-1]
	}
	return -1
}

// where describes off in section sec as objtool would: func+0xN.
func (o *LinkedObject) where(sec int, off uint64) string {
	if fn := o.funcAt(sec, off); fn >= 0 {
		return fmt.Sprintf("%s+0x%x", o.syms[fn].Name, off-o.syms[fn].Value)
	}
	return fmt.Sprintf("%s+0x%x", o.f.Sections[sec].Name, off)
}

// target is where a relocation points: its symbol's section and offset
// (the addend, plus 4 when pcrel says it is a call's or jump's).
func (o *LinkedObject) target(r *rela, pcrel bool) (int, uint64) {
	if int(r.sym) >= len(o.syms) {
		return -1, 0
	}
	s := o.syms[r.sym]
	off := int64(s.Value) + r.addend
	if pcrel {
		off += 4
	}
	return int(s.Section), uint64(off)
}

// branchReloc says whether r is the rel32 of a direct call (e8) or jump
// (e9) and returns its opcode.
func (o *LinkedObject) branchReloc(sec int, r *rela) (byte, bool) {
	if r.off == 0 || r.addend != -4 || (r.typ != elf.R_X86_64_PLT32 && r.typ != elf.R_X86_64_PC32) {
		return 0, false
	}
	op := o.code(sec, r.off-1)[0]
	return op, op == 0xe8 || op == 0xe9
}

// Apply returns a copy of the object's bytes with m's changes made.
// Dropped relocation entries are removed from their section, which
// shrinks by as much (its later entries move down).
func (o *LinkedObject) Apply(m *LinkMutant) []byte {
	out := bytes.Clone(o.data)
	for _, p := range m.Patches {
		copy(out[p.off:], p.bytes)
	}
	for _, r := range m.Retargets {
		e := o.f.Sections[r.sec].Offset + uint64(r.entry)*24
		info := binary.LittleEndian.Uint64(out[e+8:])
		binary.LittleEndian.PutUint64(out[e+8:], uint64(r.sym)<<32|info&0xffffffff)
		binary.LittleEndian.PutUint64(out[e+16:], uint64(r.addend))
	}
	drops := make(map[int][]int)
	for _, d := range m.Drops {
		drops[d.sec] = append(drops[d.sec], d.entry)
	}
	for sec, entries := range drops {
		o.dropEntries(out, sec, entries)
	}
	return out
}

// dropEntries removes the given entries of relocation section sec from
// out, and writes its smaller size in the section header.
func (o *LinkedObject) dropEntries(out []byte, sec int, entries []int) {
	s := o.f.Sections[sec]
	b := out[s.Offset : s.Offset+s.Size]
	slices.Sort(entries)
	entries = slices.Compact(entries)
	kept := 0
	for e := 0; (e+1)*24 <= len(b); e++ {
		if _, drop := slices.BinarySearch(entries, e); drop {
			continue
		}
		copy(b[kept*24:(kept+1)*24], b[e*24:(e+1)*24])
		kept++
	}
	clear(b[kept*24:])
	shdr := o.shdrOff(sec)
	binary.LittleEndian.PutUint64(out[shdr+32:], uint64(kept*24))
}

// shdrOff is the file offset of section i's header.
func (o *LinkedObject) shdrOff(i int) uint64 {
	shoff := binary.LittleEndian.Uint64(o.data[0x28:])
	return shoff + uint64(i)*uint64(binary.LittleEndian.Uint16(o.data[0x3a:]))
}

// nops returns n bytes of NOPs, the longest first.
func nops(n int) []byte {
	table := [][]byte{nil, {0x90}, {0x66, 0x90}, {0x0f, 0x1f, 0x00}, {0x0f, 0x1f, 0x40, 0x00},
		{0x0f, 0x1f, 0x44, 0x00, 0x00}}
	var b []byte
	for n > 0 {
		k := min(n, len(table)-1)
		b = append(b, table[k]...)
		n -= k
	}
	return b
}

// fill returns insn followed by NOPs up to n bytes.
func fill(insn []byte, n int) []byte { return append(slices.Clone(insn), nops(n-len(insn))...) }

// LinkMutants returns n mutants of family f (fewer if the object has
// fewer sites), drawn from its sites in a random order that depends on
// seed and f only.
func (o *LinkedObject) LinkMutants(f LinkFamily, n int, seed uint64) []*LinkMutant {
	all := linkFinders[f](o)
	rng := rand.New(rand.NewPCG(seed, uint64(f)))
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	if len(all) > n {
		all = all[:n]
	}
	for _, m := range all {
		m.Family = f
	}
	return all
}

// linkFinders lists, per family, every site of the object it can break.
var linkFinders = [numLinkFamilies]func(*LinkedObject) []*LinkMutant{
	IBTFamily:       (*LinkedObject).ibtSites,
	NoinstrFamily:   (*LinkedObject).noinstrSites,
	UnretFamily:     (*LinkedObject).unretSites,
	RetpolineFamily: (*LinkedObject).retpolineSites,
	RethunkFamily:   (*LinkedObject).rethunkSites,
	UaccessFamily:   (*LinkedObject).uaccessSites,
	StackFamily:     (*LinkedObject).stackSites,
	JumpFamily:      (*LinkedObject).jumpSites,
}

var endbr64 = []byte{0xf3, 0x0f, 0x1e, 0xfa}

// ibtSites: functions that start with ENDBR and whose address is taken
// (a relocation other than a direct call's or jump's points at their
// start), the ENDBR made a 4-byte NOP.
func (o *LinkedObject) ibtSites() []*LinkMutant {
	taken := make(map[[2]uint64]bool)
	for sec, rs := range o.relas {
		for i := range rs {
			if _, br := o.branchReloc(sec, &rs[i]); o.exec(sec) && br {
				continue
			}
			s, off := o.target(&rs[i], false)
			taken[[2]uint64{uint64(s), off}] = true
			if t := rs[i].typ; t == elf.R_X86_64_PC32 || t == elf.R_X86_64_PLT32 {
				taken[[2]uint64{uint64(s), off + 4}] = true
			}
		}
	}
	var ms []*LinkMutant
	for sec, fs := range o.funcs {
		for _, fn := range fs {
			s := o.syms[fn]
			if !taken[[2]uint64{uint64(sec), s.Value}] || !bytes.HasPrefix(o.code(sec, s.Value), endbr64) {
				continue
			}
			ms = append(ms, &LinkMutant{Where: s.Name + ": endbr64 -> nopl 0x0(%rax)",
				Patches: []bytePatch{{o.fileOff(sec, s.Value), nops(4)}}})
		}
	}
	return sortMutants(ms)
}

// noinstrSites: direct calls in functions of .noinstr.text and
// .entry.text, each retargeted to an instrumented function of .text (one drawn by the
// call's offset).
func (o *LinkedObject) noinstrSites() []*LinkMutant {
	plain := o.globalFuncs(".text")
	if len(plain) == 0 {
		return nil
	}
	var ms []*LinkMutant
	for _, name := range []string{".noinstr.text", ".entry.text"} {
		sec := o.sectionIndex(name)
		for i, r := range o.relas[sec] {
			if op, ok := o.branchReloc(sec, &o.relas[sec][i]); !ok || op != 0xe8 || o.funcAt(sec, r.off-1) < 0 {
				continue
			}
			to := plain[(r.off*2654435761)%uint64(len(plain))]
			ms = append(ms, &LinkMutant{
				Where:     fmt.Sprintf("%s: call %s -> call %s", o.where(sec, r.off-1), o.syms[r.sym].Name, o.syms[to].Name),
				Retargets: []retarget{{r.relaRef, uint32(to), -4}}})
		}
	}
	return sortMutants(ms)
}

// thunkReg returns the register a retpoline thunk is named for
// (__x86_indirect_thunk_r11: 11), or -1.
func thunkReg(name string) int {
	reg, ok := strings.CutPrefix(name, "__x86_indirect_thunk_")
	if !ok {
		return -1
	}
	return slices.Index([]string{"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"}, reg)
}

// retpolineSites: calls and jumps through a retpoline thunk, made plain
// indirect ones through its register (the relocation dropped).
func (o *LinkedObject) retpolineSites() []*LinkMutant {
	var ms []*LinkMutant
	o.eachBranch(func(sec int, r *rela, op byte) {
		reg := thunkReg(o.syms[r.sym].Name)
		if reg < 0 {
			return
		}
		modrm := byte(0xd0) // call *%reg
		if op == 0xe9 {
			modrm = 0xe0 // jmp *%reg
		}
		insn := []byte{0xff, modrm | byte(reg&7)}
		if reg >= 8 {
			insn = append([]byte{0x41}, insn...)
		}
		ms = append(ms, &LinkMutant{
			Where:   fmt.Sprintf("%s: %s -> indirect through %s", o.where(sec, r.off-1), o.syms[r.sym].Name, o.syms[r.sym].Name[21:]),
			Patches: []bytePatch{{o.fileOff(sec, r.off-1), fill(insn, 5)}},
			Drops:   []relaRef{r.relaRef}})
	})
	return sortMutants(ms)
}

// rethunkSites: jumps to __x86_return_thunk made ret; int3 (the
// relocation dropped).
func (o *LinkedObject) rethunkSites() []*LinkMutant {
	var ms []*LinkMutant
	o.eachBranch(func(sec int, r *rela, op byte) {
		if op != 0xe9 || o.syms[r.sym].Name != "__x86_return_thunk" {
			return
		}
		ms = append(ms, &LinkMutant{
			Where:   o.where(sec, r.off-1) + ": jmp __x86_return_thunk -> ret",
			Patches: []bytePatch{{o.fileOff(sec, r.off-1), []byte{0xc3, 0xcc, 0xcc, 0xcc, 0xcc}}},
			Drops:   []relaRef{r.relaRef}})
	})
	return sortMutants(ms)
}

// eachBranch calls fn for every direct call and jump with a relocation,
// in functions of executable sections.
func (o *LinkedObject) eachBranch(fn func(sec int, r *rela, op byte)) {
	for sec, rs := range o.relas {
		if !o.exec(sec) {
			continue
		}
		for i := range rs {
			if op, ok := o.branchReloc(sec, &rs[i]); ok && o.funcAt(sec, rs[i].off-1) >= 0 {
				fn(sec, &rs[i], op)
			}
		}
	}
}

// The feature bit of SMAP, whose ALTERNATIVEs hold stac and clac.
const featureSMAP = 9*32 + 20

// uaccessSites: the stac and clac replacements of SMAP ALTERNATIVEs
// (.altinstructions entries: s32 orig, s32 repl, u16 cpuid, u16 flags,
// u8 instrlen, u8 replacementlen), made 3-byte NOPs.
func (o *LinkedObject) uaccessSites() []*LinkMutant {
	alt := o.sectionIndex(".altinstructions")
	if alt < 0 {
		return nil
	}
	b := o.code(alt, 0)
	if o.f.Sections[alt].Type != elf.SHT_PROGBITS {
		return nil
	}
	at := make(map[uint64]*rela)
	for i, r := range o.relas[alt] {
		at[r.off] = &o.relas[alt][i]
	}
	var ms []*LinkMutant
	for e := uint64(0); e+14 <= uint64(len(b)); e += 14 {
		r, ro := at[e+4], at[e]
		if binary.LittleEndian.Uint16(b[e+8:]) != featureSMAP || b[e+13] != 3 || r == nil || ro == nil {
			continue
		}
		sec, off := o.target(r, false)
		if !o.exec(sec) {
			continue
		}
		insn := o.code(sec, off)[:3]
		name := map[string]string{"\x0f\x01\xca": "clac", "\x0f\x01\xcb": "stac"}[string(insn)]
		orig, ooff := o.target(ro, false)
		if name == "" || !o.exec(orig) {
			continue
		}
		ms = append(ms, &LinkMutant{Where: fmt.Sprintf("%s: ALTERNATIVE %s -> nop", o.where(orig, ooff), name),
			Patches: []bytePatch{{o.fileOff(sec, off), nops(3)}}})
	}
	return sortMutants(ms)
}

// decodeFunc decodes function fn from its start, calling each with every
// instruction and its offset in the section, until each returns false or
// an instruction does not decode.
func (o *LinkedObject) decodeFunc(fn int, each func(inst *x86asm.Inst, off uint64) bool) {
	s := o.syms[fn]
	code := o.code(int(s.Section), s.Value)[:s.Size]
	for off := 0; off < len(code); {
		inst, err := decodeX86(code[off:])
		if err != nil || !each(&inst, s.Value+uint64(off)) {
			return
		}
		off += inst.Len
	}
}

// decodeX86 decodes one instruction with x86asm, which does not know
// endbr64: that one comes back with Op 0 and Len 4.
func decodeX86(code []byte) (x86asm.Inst, error) {
	if bytes.HasPrefix(code, endbr64) {
		return x86asm.Inst{Len: 4}, nil
	}
	inst, err := x86asm.Decode(code, 64)
	if err == nil && inst.Len == 0 {
		err = fmt.Errorf("no length")
	}
	return inst, err
}

// stackSites: the first push of a register in every function of .text,
// made a NOP of its length.
func (o *LinkedObject) stackSites() []*LinkMutant {
	sec := o.sectionIndex(".text")
	var ms []*LinkMutant
	for _, fn := range o.funcs[sec] {
		o.decodeFunc(fn, func(inst *x86asm.Inst, off uint64) bool {
			if inst.Op != x86asm.PUSH {
				return true
			}
			if _, reg := inst.Args[0].(x86asm.Reg); reg {
				ms = append(ms, &LinkMutant{Where: fmt.Sprintf("%s: %s -> nop", o.where(sec, off), x86asm.GNUSyntax(*inst, off, nil)),
					Patches: []bytePatch{{o.fileOff(sec, off), nops(inst.Len)}}})
			}
			return false
		})
	}
	return sortMutants(ms)
}

// jumpSites: short jumps (eb, 7x) of functions of .text whose target,
// one byte on, is inside an instruction: the displacement made one more.
func (o *LinkedObject) jumpSites() []*LinkMutant {
	sec := o.sectionIndex(".text")
	var ms []*LinkMutant
	for _, fn := range o.funcs[sec] {
		starts := make(map[uint64]bool)
		var jumps []uint64
		o.decodeFunc(fn, func(inst *x86asm.Inst, off uint64) bool {
			starts[off] = true
			if inst.Len == 2 && inst.Opcode>>24 == 0xeb || inst.Len == 2 && inst.Opcode>>28 == 7 {
				jumps = append(jumps, off)
			}
			return true
		})
		for _, off := range jumps {
			rel := o.code(sec, off)[1]
			dest := off + 2 + uint64(int64(int8(rel)))
			if rel == 0x7f || starts[dest+1] || !starts[dest] {
				continue
			}
			ms = append(ms, &LinkMutant{Where: fmt.Sprintf("%s: jump to +0x%x made +0x%x", o.where(sec, off),
				dest-o.syms[fn].Value, dest+1-o.syms[fn].Value),
				Patches: []bytePatch{{o.fileOff(sec, off) + 1, []byte{rel + 1}}}})
		}
	}
	return sortMutants(ms)
}

// unretSites: the VALIDATE_UNRET_END annotations (a relocation of
// .discard.retpoline_safe naming a NOP), each dropped, so that --unret
// walks on past where UNTRAIN_RET says the path is safe.
func (o *LinkedObject) unretSites() []*LinkMutant {
	var ms []*LinkMutant
	for _, r := range o.relas[o.sectionIndex(".discard.retpoline_safe")] {
		sec, off := o.target(&r, false)
		if !o.exec(sec) {
			continue
		}
		inst, err := decodeX86(o.code(sec, off))
		if err != nil || inst.Op != x86asm.NOP {
			continue
		}
		ms = append(ms, &LinkMutant{Where: o.where(sec, off) + ": VALIDATE_UNRET_END dropped",
			Patches: nil, Drops: []relaRef{r.relaRef}})
	}
	return ms
}

// globalFuncs returns the global functions of the section called name.
func (o *LinkedObject) globalFuncs(name string) []int {
	var fs []int
	for _, fn := range o.funcs[o.sectionIndex(name)] {
		if elf.ST_BIND(o.syms[fn].Info) == elf.STB_GLOBAL {
			fs = append(fs, fn)
		}
	}
	return fs
}

// branchy says whether an instruction ends a straight run of code.
func branchy(inst *x86asm.Inst) bool {
	switch inst.Op {
	case x86asm.CALL, x86asm.JMP, x86asm.RET, x86asm.LRET, x86asm.IRET, x86asm.IRETQ, x86asm.SYSRET,
		x86asm.SYSEXIT, x86asm.UD2, x86asm.INT, x86asm.HLT:
		return true
	}
	op := inst.Op.String()
	return op[0] == 'J' || strings.HasPrefix(op, "LOOP")
}

// relasWithin returns the relocations of section sec within n bytes
// from off.
func (o *LinkedObject) relasWithin(sec int, off uint64, n int) []relaRef {
	var refs []relaRef
	for _, r := range o.relas[sec] {
		if r.off >= off && r.off < off+uint64(n) {
			refs = append(refs, r.relaRef)
		}
	}
	return refs
}

// sectionIndex returns the index of the first section called name, or -1.
func (o *LinkedObject) sectionIndex(name string) int {
	for i, s := range o.f.Sections {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// sortMutants orders mutants by their first change, so that a finder's
// result does not depend on map order.
func sortMutants(ms []*LinkMutant) []*LinkMutant {
	key := func(m *LinkMutant) uint64 {
		if len(m.Patches) > 0 {
			return m.Patches[0].off
		}
		r := append(m.Drops, m.Retargets[0].relaRef)[0]
		return uint64(r.sec)<<40 | uint64(r.entry)
	}
	slices.SortFunc(ms, func(a, b *LinkMutant) int { return cmp.Compare(key(a), key(b)) })
	return ms
}
