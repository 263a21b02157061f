package elfedit

import (
	"debug/elf"
)

// A Symbol is one symbol table entry. Shndx is the real section index (an
// extended index already resolved) or a special value such as SHN_ABS.
type Symbol struct {
	Name  uint32 // st_name: offset in .strtab
	Info  uint8  // st_info: binding and type
	Other uint8
	Shndx uint32
	Value uint64
	Size  uint64
}

// Bind is the symbol's binding.
func (s Symbol) Bind() elf.SymBind { return elf.ST_BIND(s.Info) }

// Type is the symbol's type.
func (s Symbol) Type() elf.SymType { return elf.ST_TYPE(s.Info) }

// NumSymbols is the number of symbol table entries, the null one included.
func (f *File) NumSymbols() int {
	if f.symtab == 0 {
		return 0
	}
	return len(f.secs[f.symtab].data) / symSize
}

// FirstGlobal is the symbol table's sh_info: the index of its first
// non-local symbol.
func (f *File) FirstGlobal() uint32 {
	if f.symtab == 0 {
		return 0
	}
	return f.secs[f.symtab].Hdr.Info
}

// Symbol returns entry i of the symbol table.
func (f *File) Symbol(i uint32) Symbol {
	b := f.data(f.symtab)[uint64(i)*symSize:]
	o := f.order
	s := Symbol{Name: o.Uint32(b), Info: b[4], Other: b[5], Shndx: uint32(o.Uint16(b[6:])),
		Value: o.Uint64(b[8:]), Size: o.Uint64(b[16:])}
	if s.Shndx == uint32(elf.SHN_XINDEX) && f.shndx != 0 {
		if x := f.data(f.shndx); uint64(i)*4+4 <= uint64(len(x)) {
			s.Shndx = o.Uint32(x[uint64(i)*4:])
		}
	}
	return s
}

// StringTable is the index of the symbol table's string table.
func (f *File) StringTable() int {
	if f.symtab == 0 {
		return 0
	}
	return int(f.secs[f.symtab].Hdr.Link)
}

// encode returns the bytes of s as entry of the symbol table and of the
// extended index table. As objtool's elf_update_symbol, a symbol whose
// section index fits is written with it, and the extended table, if any,
// holds that same index; one that does not fit is written as SHN_XINDEX.
func (f *File) encode(s Symbol) ([symSize]byte, [4]byte) {
	var b [symSize]byte
	var x [4]byte
	o := f.order
	st := s.Shndx
	if st >= uint32(elf.SHN_LORESERVE) && !isSpecial(st) {
		st = uint32(elf.SHN_XINDEX)
	}
	o.PutUint32(b[:], s.Name)
	b[4], b[5] = s.Info, s.Other
	o.PutUint16(b[6:], uint16(st))
	o.PutUint64(b[8:], s.Value)
	o.PutUint64(b[16:], s.Size)
	o.PutUint32(x[:], s.Shndx)
	return b, x
}

// isSpecial reports a reserved section index other than SHN_XINDEX.
func isSpecial(shndx uint32) bool {
	return shndx >= uint32(elf.SHN_LORESERVE) && shndx <= 0xffff && shndx != uint32(elf.SHN_XINDEX)
}

// putSymbol writes s as entry i, which is at most one past the end.
func (f *File) putSymbol(i uint32, s Symbol) {
	b, x := f.encode(s)
	f.putEntry(f.symtab, uint64(i)*symSize, b[:])
	if f.shndx != 0 {
		f.putEntry(f.shndx, uint64(i)*4, x[:])
	}
}

// putEntry writes b at off of section sec, growing it when off is its end.
func (f *File) putEntry(sec int, off uint64, b []byte) {
	if off == uint64(len(f.secs[sec].data)) {
		f.append(sec, b)
		return
	}
	f.WriteBytes(sec, off, b)
}

// AddSymbol adds s and returns its index, as objtool's elf_create_symbol:
// a global symbol goes at the end; a local one takes the place of the
// first global, which moves to the end with every relocation naming it.
func (f *File) AddSymbol(s Symbol) uint32 {
	n := uint32(f.NumSymbols())
	idx := n
	if s.Bind() == elf.STB_LOCAL {
		h := &f.secs[f.symtab].Hdr
		if first := h.Info; first < n {
			old := f.Symbol(first)
			f.putSymbol(n, old)
			f.moveRefs(first, n)
			f.track(first, n)
			idx = first
		}
		h.Info++
	}
	f.putSymbol(idx, s)
	if s.Type() == elf.STT_SECTION && s.Shndx < uint32(len(f.secSym)) {
		f.secSym[s.Shndx] = idx
	}
	return idx
}

// SectionSymbol returns the index of section sec's STT_SECTION symbol,
// adding one if it has none (objtool's elf_create_section_symbol).
func (f *File) SectionSymbol(sec int) uint32 {
	if i := f.secSym[sec]; i != 0 {
		return i
	}
	return f.AddSymbol(Symbol{Info: elf.ST_INFO(elf.STB_LOCAL, elf.STT_SECTION), Shndx: uint32(sec)})
}

// Current returns the index now held by the symbol that had index orig
// in the input: symbols move when local ones are added.
func (f *File) Current(orig uint32) uint32 {
	if f.where == nil || orig >= uint32(len(f.where)) {
		return orig
	}
	return f.where[orig]
}

// track records that the symbol at index from moved to index to.
func (f *File) track(from, to uint32) {
	if f.where == nil {
		n := uint32(f.NumSymbols())
		f.where = make([]uint32, n)
		f.origOf = make([]int32, n)
		for i := range n {
			f.where[i], f.origOf[i] = i, int32(i)
		}
	}
	for uint32(len(f.origOf)) <= to {
		f.origOf = append(f.origOf, -1)
	}
	if o := f.origOf[from]; o >= 0 {
		f.where[o] = to
	}
	f.origOf[to], f.origOf[from] = f.origOf[from], -1
}

// SymbolName returns a symbol's name from the symbol table's strings.
func (f *File) SymbolName(s Symbol) string {
	return cstring(f.data(f.StringTable()), s.Name)
}
