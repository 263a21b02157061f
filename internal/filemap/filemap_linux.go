package filemap

import (
	"syscall"
	"unsafe"
)

// Map returns the contents of the regular file at path, mapped read-only
// and private, or ok false if it cannot be mapped (it cannot be opened, is
// not a regular file, is empty, or the system refuses): the caller then
// reads it, and reports why not. The mapping is never unmapped; what the
// caller makes of the bytes may alias them for the rest of the process.
// The file is opened with the system's calls, not os.Open: an *os.File
// would set up the runtime's poller (an epoll instance, an eventfd and
// their registrations) for a descriptor that is closed at once.
func Map(path string) (data []byte, ok bool) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size <= 0 || st.Size > 1<<40 {
		return nil, false
	}
	data, err = syscall.Mmap(fd, 0, int(st.Size), syscall.PROT_READ, syscall.MAP_PRIVATE)
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
