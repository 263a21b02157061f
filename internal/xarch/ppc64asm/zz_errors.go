// Copyright 2014 The Go Authors.  All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ppc64asm

import "fmt"

// Moved here from decode.go by objcheck, the one change to this copy of
// golang.org/x/arch v0.33.0 (see ../README.md). Package variables without
// dependencies are initialised in the order of their files' names, and
// once an initialiser has called a function the compiler no longer
// copies one static value into another (cmd/compile, Go issue 51913).
// In decode.go these two calls came first, so every argField pointer in
// instFormats (tables.go) was stored by 172 KB of init code run at each
// start of the program; in a file named after tables.go they come last
// and instFormats is laid out by the linker.
var (
	// Errors
	errShort   = fmt.Errorf("truncated instruction")
	errUnknown = fmt.Errorf("unknown instruction")
)
