//go:build !linux

package filemap

// Map maps nothing where the system has no mmap that this package uses:
// the caller reads the file.
func Map(string) ([]byte, bool) { return nil, false }

// Forget does nothing where Map maps nothing.
func Forget([]byte) {}
