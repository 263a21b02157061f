//go:build !linux

package filemap

import "os"

// Map maps nothing where the system has no mmap that this package uses:
// the caller reads the file.
func Map(*os.File) ([]byte, bool) { return nil, false }

// Forget does nothing where Map maps nothing.
func Forget([]byte) {}
