package cfg

import (
	"cmp"
	"debug/elf"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/internal/prefault"
)

// buildSymbols wraps the object's symbols, orders each section's symbols as
// objtool lists them, and links aliases and .cold children to parents.
func (p *Program) buildSymbols() *Problem {
	f := p.File
	if n := len(f.Symbols) + len(p.Sections); n > maxLocs/2 {
		// Each symbol and section is a location of Insn.meta.
		return &Problem{Plain: true, Fatal: true,
			Msg: fmt.Sprintf("too many symbols and sections: %d, at most %d", n, maxLocs/2)}
	}
	p.Syms = make([]*Symbol, len(f.Symbols))
	// One allocation for all (vmlinux.o: 142 thousand), and each
	// section's list made at its size.
	syms := make([]Symbol, len(f.Symbols))
	prefault.Start(syms, len(syms)) // 12 MB for vmlinux.o, filled at once
	perSec := make([]int, len(p.Sections))
	for i, ds := range f.Symbols {
		s := &syms[i]
		*s = Symbol{Symbol: ds, Name: ds.Name, Offset: ds.Value, Len: ds.Size}
		if ds.Section != nil {
			s.Sec = p.Sections[ds.Section.Index]
			perSec[ds.Section.Index]++
			if ds.Type == elf.STT_SECTION {
				s.Name = ds.Section.Name
			}
		}
		s.Alias = s
		s.here = p.newLoc(s.Sec, s)
		p.Syms[i] = s
	}
	for i, n := range perSec {
		if n > 0 {
			p.Sections[i].all = make([]*Symbol, 0, n)
		}
	}
	for _, s := range p.Syms {
		if s.Sec != nil {
			s.Sec.all = append(s.Sec.all, s)
		}
	}
	for _, sec := range p.Sections {
		sec.order()
	}
	p.classifySymbols()
	return p.linkCold()
}

// order sorts a section's symbols by offset then index (objtool's
// interval tree and list order), keeps the sized ones for containment
// searches, and marks aliases: the last earlier symbol with the same
// offset, type and size points at the newer one, as objtool's does.
// Symbols with one key share an offset, so the stable sort leaves them in
// symbol order: the section's own list is walked, not every symbol.
func (sec *Section) order() {
	byOffset := func(a, b *Symbol) int { return cmp.Compare(a.Offset, b.Offset) }
	if !slices.IsSortedFunc(sec.all, byOffset) { // as they mostly are
		slices.SortStableFunc(sec.all, byOffset)
	}
	for start := 0; start < len(sec.all); {
		end := start + 1
		for end < len(sec.all) && sec.all[end].Offset == sec.all[start].Offset {
			end++
		}
		markAliases(sec.all[start:end])
		start = end
	}
	sized := 0
	for _, s := range sec.all {
		if s.Len != 0 {
			sized++
		}
	}
	sec.sized = make([]*Symbol, 0, sized)
	sec.sizedEnds = make([]uint64, 0, sized)
	for _, s := range sec.all {
		if s.Len == 0 {
			continue
		}
		sec.sized = append(sec.sized, s)
		if s.Len > sec.maxLen {
			sec.maxLen = s.Len
		}
		end := s.Offset + s.Len
		if n := len(sec.sizedEnds); n > 0 {
			end = max(end, sec.sizedEnds[n-1])
		}
		sec.sizedEnds = append(sec.sizedEnds, end)
	}
}

// aliasGroupScan is the size up to which markAliases searches a group of
// symbols at one offset linearly; a larger one gets a map, so that a
// hostile object with a million symbols at one offset costs no more
// than one with a million offsets.
const aliasGroupScan = 16

// markAliases marks the aliases among symbols that share one offset, in
// symbol order: each points its earlier symbols of the same type and size
// (its alias chain) at itself.
func markAliases(group []*Symbol) {
	if len(group) == 1 {
		return
	}
	type key struct {
		typ elf.SymType
		len uint64
	}
	var byKey map[key]*Symbol
	if len(group) > aliasGroupScan {
		byKey = make(map[key]*Symbol, len(group))
	}
	for i, s := range group {
		var prev *Symbol
		if byKey != nil {
			prev = byKey[key{s.Type, s.Len}]
			byKey[key{s.Type, s.Len}] = s
		} else {
			for j := i - 1; j >= 0; j-- {
				if group[j].Type == s.Type && group[j].Len == s.Len {
					prev = group[j]
					break
				}
			}
		}
		if prev == nil {
			continue
		}
		for q := prev; q != nil; q = q.aliasChain {
			q.Alias = s
		}
		s.aliasChain = prev
	}
}

// Hole reports whether off lies outside every sized symbol of the
// section and after one of them (where a linked object's weak function
// was replaced), and returns how far the hole runs from off to the next
// symbol, -1 to the section's end.
func (sec *Section) Hole(off uint64) (int64, bool) {
	syms := sec.sized
	i := sort.Search(len(syms), func(i int) bool { return syms[i].Offset > off })
	if i == 0 || sec.sizedEnds[i-1] > off {
		return 0, false // no symbol before off, or one holds it
	}
	if i == len(syms) {
		return -1, true
	}
	return int64(syms[i].Offset) - int64(off), true
}

// classifySymbols marks local labels and, among global symbols, the
// static-call trampolines, thunks, fentry and profiling functions.
func (p *Program) classifySymbols() {
	names := p.Arch.Syms
	for _, s := range p.Syms {
		if s.Type == elf.STT_NOTYPE && strings.HasPrefix(s.Name, ".L") {
			s.Flags |= SymLocalLabel
		}
		if s.Bind != elf.STB_GLOBAL {
			continue
		}
		s.Flags |= classifyName(s.Name, &names)
	}
}

// classifyName returns the marks a global symbol's name earns.
func classifyName(name string, names *arch.Symbols) SymFlags {
	var f SymFlags
	if strings.HasPrefix(name, "__SCT__") {
		f |= SymStaticCallTramp
	}
	if names.RetpolinePrefix != "" && strings.HasPrefix(name, names.RetpolinePrefix) {
		f |= SymRetpolineThunk
	}
	if names.ReturnThunk != "" && name == names.ReturnThunk {
		f |= SymReturnThunk
	}
	for _, e := range names.Embedded {
		if name == e {
			f |= SymEmbeddedInsn
		}
	}
	if names.Fentry != "" && name == names.Fentry {
		f |= SymFentry
	}
	if isProfilingFunc(name) {
		f |= SymProfilingFunc
	}
	return f
}

// isProfilingFunc reports instrumentation functions whose calls may be
// removed from noinstr code.
func isProfilingFunc(name string) bool {
	return strings.HasPrefix(name, "__sanitizer_cov_") ||
		strings.HasPrefix(name, "__tsan_func_") ||
		name == "__tsan_atomic_signal_fence"
}

// linkCold links each function to its .cold child by name, trimming the
// parent when the child sits at its end.
func (p *Program) linkCold() *Problem {
	p.byName = p.nameIndex()
	byName := p.byName
	for _, sec := range p.Sections {
		for _, s := range sec.all {
			if !s.IsFunc() {
				continue
			}
			if s.Pfunc == nil {
				s.Pfunc = s
			}
			if s.Cfunc == nil {
				s.Cfunc = s
			}
			i := strings.Index(s.Name, ".cold")
			if i < 0 {
				continue
			}
			parent := byName[s.Name[:i]]
			if parent == nil {
				return &Problem{Plain: true, Fatal: true, Msg: s.Name + "(): can't find parent function"}
			}
			s.Pfunc, parent.Cfunc = parent, s
			if s.Sec == parent.Sec && s.Offset >= parent.Offset && s.Offset+s.Len == parent.Offset+parent.Len {
				parent.Len -= s.Len
			}
		}
	}
	return nil
}

// nameIndex maps names to symbols; where names repeat, the one objtool's
// hash lookup finds first (the last in symbol order) wins.
func (p *Program) nameIndex() map[string]*Symbol {
	m := make(map[string]*Symbol, len(p.Syms))
	for _, s := range p.Syms {
		m[s.Name] = s
	}
	return m
}

// SymbolByName returns the symbol of that name, or nil; of several, the
// last in the table, as objtool's find_symbol_by_name.
func (p *Program) SymbolByName(name string) *Symbol {
	if p.byName != nil {
		return p.byName[name]
	}
	var found *Symbol
	for _, s := range p.Syms {
		if s.Name == name {
			found = s
		}
	}
	return found
}

// containing returns the first symbol in section order whose range holds
// off and that want accepts.
func (sec *Section) containing(off uint64, want func(*Symbol) bool) *Symbol {
	syms := sec.sized
	i := sort.Search(len(syms), func(i int) bool { return syms[i].Offset > off })
	var found *Symbol
	for j := i - 1; j >= 0; j-- {
		s := syms[j]
		if off-s.Offset >= sec.maxLen {
			break
		}
		if off < s.Offset+s.Len && want(s) {
			found = s
		}
	}
	return found
}

// FuncContaining returns the STT_FUNC symbol holding off (objtool's
// find_func_containing).
func (sec *Section) FuncContaining(off uint64) *Symbol {
	return sec.containing(off, (*Symbol).IsFunc)
}

// SymbolContaining returns the non-section symbol holding off (objtool's
// find_symbol_containing).
func (sec *Section) SymbolContaining(off uint64) *Symbol {
	return sec.containing(off, func(s *Symbol) bool { return s.Type != elf.STT_SECTION })
}

// atOffset returns the first symbol starting at off that want accepts,
// among sized symbols (objtool searches its interval tree).
func (sec *Section) atOffset(off uint64, want func(*Symbol) bool) *Symbol {
	syms := sec.sized
	i := sort.Search(len(syms), func(i int) bool { return syms[i].Offset >= off })
	for ; i < len(syms) && syms[i].Offset == off; i++ {
		if want(syms[i]) {
			return syms[i]
		}
	}
	return nil
}

// FuncAt returns the STT_FUNC symbol starting at off.
func (sec *Section) FuncAt(off uint64) *Symbol { return sec.atOffset(off, (*Symbol).IsFunc) }

// SymbolAt returns the non-section symbol starting at off.
func (sec *Section) SymbolAt(off uint64) *Symbol {
	return sec.atOffset(off, func(s *Symbol) bool { return s.Type != elf.STT_SECTION })
}

// Symbols returns the section's symbols in objtool's list order.
func (sec *Section) Symbols() []*Symbol { return sec.all }
