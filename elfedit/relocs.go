package elfedit

import (
	"debug/elf"
)

// A Reloc is one relocation entry to write.
type Reloc struct {
	Offset uint64 // r_offset in the section the relocations apply to
	Sym    uint32 // symbol index, as it is now
	Type   uint32
	Addend int64
}

// isReloc reports a section of relocation entries, and their size.
func (f *File) isReloc(i int) (uint64, bool) {
	switch f.secs[i].Hdr.Type {
	case elf.SHT_RELA:
		return relaSize, true
	case elf.SHT_REL:
		return relSize, true
	}
	return 0, false
}

// SetReloc writes entry idx of the relocation section rsec.
func (f *File) SetReloc(rsec, idx int, r Reloc) {
	var b [relaSize]byte
	o := f.order
	o.PutUint64(b[:], r.Offset)
	o.PutUint64(b[8:], uint64(r.Sym)<<32|uint64(r.Type))
	o.PutUint64(b[16:], uint64(r.Addend))
	f.WriteBytes(rsec, uint64(idx)*relaSize, b[:])
	if f.refs != nil {
		f.addRef(r.Sym, relocRef{int32(rsec), int32(idx)})
	}
}

// SetRelocType changes the type of entry idx of relocation section rsec,
// as objtool's set_reloc_type does when it patches an instruction.
func (f *File) SetRelocType(rsec, idx int, typ uint32) {
	size, ok := f.isReloc(rsec)
	if !ok {
		return
	}
	off := uint64(idx)*size + 8
	d := f.data(rsec)
	if off+8 > uint64(len(d)) {
		return
	}
	info := f.order.Uint64(d[off:])
	var b [8]byte
	f.order.PutUint64(b[:], info&^0xffffffff|uint64(typ))
	f.WriteBytes(rsec, off, b[:])
}

// buildRefs indexes every relocation by the symbol it names: one array
// for all, counted first, each symbol's run of it capped so that adding
// to one copies it out.
func (f *File) buildRefs() {
	n := f.NumSymbols()
	count := make([]int, n+1)
	f.eachReloc(func(_ int, _ int32, sym uint32) {
		if int(sym) < n {
			count[sym+1]++
		}
	})
	for i := 1; i <= n; i++ {
		count[i] += count[i-1]
	}
	all := make([]relocRef, count[n])
	next := append([]int(nil), count[:n]...)
	f.eachReloc(func(sec int, idx int32, sym uint32) {
		if int(sym) < n {
			all[next[sym]] = relocRef{int32(sec), idx}
			next[sym]++
		}
	})
	f.refs = make([][]relocRef, n)
	for i := range f.refs {
		f.refs[i] = all[count[i]:count[i+1]:count[i+1]]
	}
}

// eachReloc calls fn with every relocation's section, index and symbol.
func (f *File) eachReloc(fn func(sec int, idx int32, sym uint32)) {
	for i := range f.secs {
		size, ok := f.isReloc(i)
		if !ok {
			continue
		}
		d := f.data(i)
		for j := uint64(0); j+size <= uint64(len(d)); j += size {
			fn(i, int32(j/size), uint32(f.order.Uint64(d[j+8:])>>32))
		}
		f.done(f.secs[i])
	}
}

// addRef records that a relocation names symbol sym.
func (f *File) addRef(sym uint32, r relocRef) {
	for uint32(len(f.refs)) <= sym {
		f.refs = append(f.refs, nil)
	}
	f.refs[sym] = append(f.refs[sym], r)
}

// moveRefs makes every relocation naming symbol from name symbol to.
func (f *File) moveRefs(from, to uint32) {
	if f.refs == nil {
		f.buildRefs()
	}
	var list []relocRef
	if from < uint32(len(f.refs)) {
		list, f.refs[from] = f.refs[from], nil
	}
	for _, r := range list {
		size, _ := f.isReloc(int(r.sec))
		off := uint64(r.idx)*size + 8
		info := f.order.Uint64(f.data(int(r.sec))[off:])
		var b [8]byte
		f.order.PutUint64(b[:], uint64(to)<<32|info&0xffffffff)
		f.WriteBytes(int(r.sec), off, b[:])
	}
	for uint32(len(f.refs)) <= to {
		f.refs = append(f.refs, nil)
	}
	f.refs[to] = append(f.refs[to], list...)
}
