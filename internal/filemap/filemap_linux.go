package filemap

import (
	"os"
	"syscall"
	"unsafe"
)

// Map returns the contents of the regular file f, mapped read-only and
// private, or ok false if it cannot be mapped (not a regular file, empty,
// or the system refuses): the caller then reads it. The mapping is never
// unmapped; what the caller makes of the bytes may alias them for the
// rest of the process.
func Map(f *os.File) (data []byte, ok bool) {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() <= 0 || fi.Size() > 1<<40 {
		return nil, false
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	return data, true
}

// Forget tells the system that the pages wholly inside b, which must lie in
// a mapping made by Map, are not needed for now: they leave memory, and
// a later read of them reads the file again. Errors are ignored: Forget is
// a hint.
func Forget(b []byte) {
	if len(b) == 0 {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo, hi := interior(start, uintptr(len(b)))
	if hi == lo {
		return
	}
	syscall.Madvise(b[lo-start:hi-start], syscall.MADV_DONTNEED)
}
