package decode

import (
	"cmp"
	"slices"
)

// A span is a range of the file's bytes that one part of the object owns:
// one of the headers, or a section's contents.
type span struct {
	off, size uint64
	sec       *Section // nil for a header
	header    int      // for a header: its place in headerNames
}

// headerNames name the headers, in the order spans sort them when they start
// at the same offset.
var headerNames = []string{"ELF header", "program header table", "section header table"}

// Indexes in headerNames.
const (
	elfHeader = iota
	programHeaders
	sectionHeaderTable
)

// overlaps checks that no two sections' contents share a byte of the file,
// and that none lies over the ELF header, the program header table or the
// section header table, nor those over each other. It runs once every
// section's contents are known to lie in the file. Sections without bytes
// in the file (SHT_NOBITS, SHT_NULL, empty ones) take no room.
func (p *parser) overlaps() error {
	spans := p.spans()
	slices.SortFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.off, b.off), cmp.Compare(a.order(), b.order()))
	})
	// Until the first overlap the spans before s are disjoint and sorted,
	// so the one just before s is the one reaching furthest.
	for i, s := range spans[1:] {
		if prev := spans[i]; s.off < prev.off+prev.size {
			return overlapError(s, prev)
		}
	}
	return nil
}

// spans returns the headers and every section with contents in the file.
func (p *parser) spans() []span {
	spans := []span{
		{off: 0, size: ehdrSize, header: elfHeader},
		{off: p.eh.shoff, size: uint64(len(p.f.Sections)) * shdrSize, header: sectionHeaderTable},
	}
	if p.eh.phnum != 0 {
		spans = append(spans, span{off: p.eh.phoff, size: uint64(p.eh.phnum) * phdrSize, header: programHeaders})
	}
	for _, s := range p.f.Sections[1:] {
		if s.Data != nil && s.Size != 0 {
			spans = append(spans, span{off: s.Offset, size: s.Size, sec: s})
		}
	}
	return spans
}

// order orders spans that start at the same offset: the headers first,
// then sections by index.
func (s span) order() int {
	if s.sec == nil {
		return s.header - len(headerNames)
	}
	return s.sec.Index
}

// overlapError reports that span s overlaps earlier, which starts no later.
// A section is the subject if either is one.
func overlapError(s, earlier span) error {
	if s.sec == nil && earlier.sec != nil {
		s, earlier = earlier, s
	}
	what := "the " + headerNames[earlier.header]
	if earlier.sec != nil {
		what = secLabel(earlier.sec)
	}
	if s.sec == nil {
		return errorf("%s at %#x+%#x overlaps %s at %#x+%#x",
			headerNames[s.header], s.off, s.size, what, earlier.off, earlier.size)
	}
	return errorf("%s: contents at %#x+%#x overlap %s at %#x+%#x",
		secLabel(s.sec), s.off, s.size, what, earlier.off, earlier.size)
}
