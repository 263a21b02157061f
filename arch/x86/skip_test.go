package x86

import "github.com/objcheck/objcheck/internal/skipnote"

// skips notes, once per reason, the tests of this package that skip for
// want of the corpus or of binutils (see skipnote), so that go test ./...
// says so without -v.
var skips skipnote.Noter
