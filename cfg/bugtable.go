package cfg

import "github.com/objcheck/objcheck/arch"

// bugFlagWarning is BUGFLAG_WARNING: the trap is a WARN, which returns.
const bugFlagWarning = 1

// addWarnings clears the dead end of each trap whose __bug_table entry
// carries BUGFLAG_WARNING (see bugWarnings): execution goes on after it.
// Unless the exception table resumes the trap elsewhere: powerpc's
// asm-goto WARN (Linux 5.17 to 6.1) lists the trap in __ex_table with the
// label to go on at, and the compiler puts nothing after the trap; that
// fixup is the trap's one way on (an alternative, as for any exception
// table entry).
func (p *Program) addWarnings() *Problem {
	for site := range p.bugWarnings() {
		if in := p.Find(site.sec, site.off); in != nil && in.Kind == arch.Bug && !p.resumedTraps[in] {
			in.Flags &^= DeadEnd
		}
	}
	return nil
}

// A bugSite is where a __bug_table entry points.
type bugSite struct {
	sec *Section
	off uint64
}

// bugWarnings reads __bug_table, once, on architectures that tell BUG from
// WARN this way, and returns the traps whose entry carries
// BUGFLAG_WARNING. The entry layout is worked out from the object: the
// distance between entries' address relocations gives the entry size, and
// the size says where the flags are (relative or absolute addresses, with
// or without file and line).
func (p *Program) bugWarnings() map[bugSite]bool {
	if p.warnings != nil {
		return p.warnings
	}
	p.warnings = map[bugSite]bool{}
	sec := p.sectionByName("__bug_table")
	if !p.Arch.WarnTable || sec == nil || len(sec.Relocs) == 0 || uint64(len(sec.Data)) < sec.Size {
		return p.warnings
	}
	size, flagsOff := bugLayout(p, sec)
	if size == 0 {
		return p.warnings
	}
	for off := uint64(0); off+size <= sec.Size; off += size {
		r := p.relocAt(sec, off)
		if r == nil || r.Sym.Sec == nil || !r.Sym.Sec.IsExec() {
			continue
		}
		if p.File.ByteOrder.Uint16(sec.Data[off+flagsOff:])&bugFlagWarning != 0 {
			p.warnings[bugSite{r.Sym.Sec, r.Sym.Value + uint64(r.Addend)}] = true
		}
	}
	return p.warnings
}

// bugLayouts maps an entry size to the offset of its flags: relative
// (4-byte) or absolute (8-byte) addresses, with or without file and line.
var bugLayouts = map[uint64]uint64{8: 4, 12: 10, 16: 8, 24: 18}

// bugLayout returns the entry size and flags offset of a __bug_table.
func bugLayout(p *Program, sec *Section) (size, flagsOff uint64) {
	var addrs []uint64
	for i := range sec.Relocs {
		r := &sec.Relocs[i]
		if s := p.Syms[r.Sym.Index].Sec; s != nil && s.IsExec() {
			addrs = append(addrs, r.Offset)
		}
	}
	switch {
	case len(addrs) == 0:
		return 0, 0
	case len(addrs) == 1:
		size = sec.Size
	default:
		size = addrs[1] - addrs[0]
	}
	if sec.Size%size != 0 {
		return 0, 0
	}
	flagsOff, ok := bugLayouts[size]
	if !ok {
		return 0, 0
	}
	return size, flagsOff
}
