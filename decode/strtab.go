package decode

import "strings"

// A strtab is a string table section whose contents lie in the file.
type strtab struct {
	sec *Section
	s   string // the contents, converted once so that names share one allocation
}

// newStrtab makes a strtab of section sec holding data.
func newStrtab(sec *Section, data []byte) strtab {
	return strtab{sec: sec, s: string(data)}
}

// lookup returns the NUL-terminated string at off. It reports false when off
// is out of range or the string has no NUL; offset 0 of an empty table is
// the empty string.
func (t strtab) lookup(off uint32) (string, bool) {
	if uint64(off) >= uint64(len(t.s)) {
		return "", off == 0 && len(t.s) == 0
	}
	n := strings.IndexByte(t.s[off:], 0)
	if n < 0 {
		return "", false
	}
	return t.s[off : int(off)+n], true
}

// badName explains why lookup(off) failed for the name of who.
func (t strtab) badName(who string, off uint32) error {
	if uint64(off) >= uint64(len(t.s)) {
		return errorf("%s: name offset %#x out of range of %s (%#x bytes)", who, off, secLabel(t.sec), len(t.s))
	}
	return errorf("%s: name at offset %#x of %s is not NUL-terminated", who, off, secLabel(t.sec))
}
