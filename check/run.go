package check

import (
	"github.com/objcheck/objcheck/decode"
)

// A Result is what checking one object produced: exactly what objtool would
// print on each stream, and the exit status it earns.
type Result struct {
	Stderr []byte // warning lines, each ending in a newline, in objtool's order
	Stdout []byte // --stats and --dump output
	// Status is the exit status for this object: 0 after warnings, as in
	// objtool 6.12; non-zero only for errors that stop objtool itself.
	Status int
	// Warnings counts the warnings printed.
	Warnings int
}

// Run checks one parsed object with the given options.
func Run(f *decode.File, opts *Options) *Result {
	return &Result{}
}
