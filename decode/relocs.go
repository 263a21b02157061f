package decode

import (
	"cmp"
	"debug/elf"
	"encoding/binary"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/objcheck/objcheck/internal/prefault"
)

// relocations reads every SHT_RELA and SHT_REL section into the Relocs of
// the section it applies to. The sections' headers and targets are
// checked in order first; then, in an object with many relocations, the
// entries are decoded on two goroutines (vmlinux.o: 783 thousand in 97
// sections, .rela.text 445 thousand of them), each section by one. The
// error returned is the one reading them in order would meet first.
func (p *parser) relocations() error {
	var tables []relocTable
	total := 0
	for _, s := range p.f.Sections[1:] {
		entsize := relocEntSize(s.Type)
		if entsize == 0 {
			continue
		}
		rt := relocTable{s: s, entsize: entsize}
		rt.n, rt.err = checkTable(s, entsize)
		if rt.err == nil {
			rt.t, rt.err = p.relocTarget(s)
		}
		tables = append(tables, rt)
		if rt.err != nil {
			break // nothing after the first error is read
		}
		rt.t.Rela = s // a second section for the same target is refused
		total += int(rt.n)
	}
	workers := 1
	if total >= parallelRelocsMin {
		workers = 2
	}
	runEach(len(tables), workers, func(i int) { p.relocSection(&tables[i]) })
	for i := range tables {
		if tables[i].err != nil {
			return tables[i].err
		}
	}
	return nil
}

// relocEntSize is the entry size of relocation sections of type t, 0 for
// the other types.
func relocEntSize(t elf.SectionType) uint64 {
	switch t {
	case elf.SHT_RELA:
		return relaSize
	case elf.SHT_REL:
		return relSize
	}
	return 0
}

// parallelRelocsMin is the number of relocations from which their
// sections are decoded on two goroutines: below it, a goroutine costs
// more than it saves.
const parallelRelocsMin = 1 << 16

// A relocTable is one relocation section to decode: its entries' size
// and number, its target, and what went wrong, if anything.
type relocTable struct {
	s, t    *Section
	entsize uint64
	n       uint64
	err     error
}

// runEach calls do(i) for every i below n, on workers goroutines (the
// calling one among them), and returns when all are done.
func runEach(n, workers int, do func(i int)) {
	var next atomic.Int64
	work := func() {
		for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
			do(i)
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// relocSection decodes the entries of rt, whose header and target have
// been checked, into its target's Relocs; an entry that is wrong sets
// rt.err. It writes only rt and rt.t, so sections can be decoded at once.
func (p *parser) relocSection(rt *relocTable) {
	if rt.err != nil {
		return
	}
	s, t := rt.s, rt.t
	relocs := make([]Reloc, rt.n) // n <= len(p.data)/16: s.Data lies in the file
	prefault.Start(relocs, len(relocs))
	for i := range relocs {
		if rt.err = p.reloc(&relocs[i], i, s, rt.entsize, t); rt.err != nil {
			return
		}
	}
	if !slices.IsSortedFunc(relocs, byRelocOffset) {
		slices.SortStableFunc(relocs, byRelocOffset)
	}
	t.Relocs = relocs
	if t.IsExec() {
		t.relocBlocks = indexRelocs(relocs, t.Size)
	}
}

// relocBlockShift is log2 of the bytes of code one entry of a section's
// relocation index covers: a kernel's code has about one relocation in
// 12 bytes, so a block holds a handful.
const relocBlockShift = 6

// indexRelocs returns, for each block of a section of size bytes, the
// index of the first of the sorted relocs at or after the block's start.
func indexRelocs(relocs []Reloc, size uint64) []int32 {
	if len(relocs) == 0 || len(relocs) > math.MaxInt32 {
		return nil
	}
	blocks := make([]int32, size>>relocBlockShift+1)
	i := 0
	for k := range blocks {
		start := uint64(k) << relocBlockShift
		for i < len(relocs) && relocs[i].Offset < start {
			i++
		}
		blocks[k] = int32(i)
	}
	return blocks
}

// relocTarget checks relocation section s's sh_link and sh_info and returns
// the section its relocations apply to.
func (p *parser) relocTarget(s *Section) (*Section, error) {
	switch {
	case p.symtab == nil:
		return nil, errorf("%s: relocations but no symbol table", secLabel(s))
	case s.Link != uint32(p.symtab.Index):
		return nil, errorf("%s: sh_link %d is not the symbol table (section %d)", secLabel(s), s.Link, p.symtab.Index)
	case s.Info == 0:
		return nil, errorf("%s: sh_info 0 names no section to relocate", secLabel(s))
	}
	t := p.f.Sections[s.Info]
	if !relocatable(t.Type) {
		return nil, errorf("%s: sh_info %d is not a section that can be relocated (%s)", secLabel(s), s.Info, t.Type)
	}
	if t.Rela != nil {
		return nil, errorf("%s: %s already has relocations in section %d", secLabel(s), secLabel(t), t.Rela.Index)
	}
	return t, nil
}

// reloc decodes entry i of relocation section s, whose entries are entsize
// bytes and apply to section t, into r. Entries of 16 bytes are SHT_REL,
// without an addend.
func (p *parser) reloc(r *Reloc, i int, s *Section, entsize uint64, t *Section) error {
	b := s.Data[uint64(i)*entsize:][:entsize]
	off, info := p.uint64(b), p.uint64(b[8:])
	sym := info >> 32
	if sym >= uint64(len(p.f.Symbols)) {
		return errorf("relocation %d of %s: symbol index %d out of range (%d symbols)",
			i, secLabel(s), sym, len(p.f.Symbols))
	}
	*r = Reloc{Offset: off, Type: uint32(info), Index: uint32(i), Sym: p.f.Symbols[sym]}
	if err := p.relocInSection(r, s, t); err != nil {
		return err
	}
	if entsize == relaSize {
		r.Addend = int64(p.uint64(b[16:]))
	}
	return nil
}

// relocInSection checks that the bytes relocation r of section s rewrites,
// as many as its type says, lie within section t.
func (p *parser) relocInSection(r *Reloc, s, t *Section) error {
	if r.Offset >= t.Size {
		return errorf("relocation %d of %s: offset %#x past end of %s (%#x bytes)",
			r.Index, secLabel(s), r.Offset, secLabel(t), t.Size)
	}
	if w := relocWidth(p.f.Arch, r.Type); w > t.Size-r.Offset {
		return errorf("relocation %d of %s: %s at %#x+%#x past end of %s (%#x bytes)",
			r.Index, secLabel(s), relocTypeName(p.f.Arch, r.Type), r.Offset, w, secLabel(t), t.Size)
	}
	return nil
}

// relocatable reports whether a section of type typ may have relocations:
// it has contents, and they are not one of the tables this reader knows.
func relocatable(typ elf.SectionType) bool {
	switch typ {
	case elf.SHT_NULL, elf.SHT_NOBITS, elf.SHT_SYMTAB, elf.SHT_STRTAB, elf.SHT_RELA, elf.SHT_REL,
		elf.SHT_SYMTAB_SHNDX, elf.SHT_GROUP:
		return false
	}
	return true
}

// byRelocOffset orders relocations by offset.
func byRelocOffset(a, b Reloc) int { return cmp.Compare(a.Offset, b.Offset) }

// uint64 reads the first 8 bytes of b in the file's byte order. The
// orders are called directly, not through binary.ByteOrder, so that they
// inline: vmlinux.o's 783 thousand relocations read three words each.
func (p *parser) uint64(b []byte) uint64 {
	if p.bigEndian {
		return binary.BigEndian.Uint64(b)
	}
	return binary.LittleEndian.Uint64(b)
}
