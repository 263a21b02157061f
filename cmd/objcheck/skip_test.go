package main

import "github.com/objcheck/objcheck/internal/skipnote"

// skips notes, once per reason, the tests of this package that skip for
// want of the corpus or the real objtool (see skipnote).
var skips skipnote.Noter
