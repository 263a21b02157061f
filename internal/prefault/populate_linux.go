package prefault

import "syscall"

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14), which the
// syscall package does not name.
const madvPopulateWrite = 23

// populate faults b's pages in, writable, on a thread of its own, and
// returns at once. Errors (a kernel before 5.14) are ignored: the pages
// are then faulted in where they are first written, as without it.
func populate(b []byte) {
	go syscall.Madvise(b, madvPopulateWrite)
}
