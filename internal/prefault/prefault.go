// Package prefault faults in the pages of a program's largest tables on
// another thread, ahead of the program's first writes.
//
// A whole-kernel run fills a few tables of hundreds of megabytes (one
// record per instruction of vmlinux.o). Every fresh 4 KiB page is a fault
// on first touch, and the kernel zeroes it there: 120 thousand faults, a
// fifth of the run, on the one goroutine that fills the tables. Start
// gives that cost to an idle core while the program goes on.
//
// The tables are not advised for huge pages (MADV_HUGEPAGE), which cut
// the faults to 39 thousand: where transparent huge pages are in
// "madvise" mode, as on most distributions, an advised fault compacts
// memory directly, and in a build, after other large processes, that
// costs more than it saves. Measured over vmlinux.o, each run after one
// of objtool: 1.86-2.13 s with the advice (0.64-0.81 s in the kernel),
// 1.39-1.46 s without (0.18-0.22 s); back to back, without it is no
// slower (1.42 against 1.49 s, mean of ten).
package prefault

import "unsafe"

// minBytes is the smallest table worth the system call; pageSize the
// page a range is rounded to.
const (
	minBytes = 4 << 20
	pageSize = 4096
)

// Start starts faulting in the pages that hold the first n elements of
// s's backing array (n at most its capacity), on another thread, and
// returns at once. Only pages wholly inside the array are touched, and a
// page already there is left as it is: the contents do not change,
// whoever writes first. It is a hint: where the system cannot do it, or
// the table is small, nothing changes.
func Start[T any](s []T, n int) {
	var zero T
	size := uintptr(min(max(n, 0), cap(s))) * unsafe.Sizeof(zero)
	if size < minBytes {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	lo := (start + pageSize - 1) &^ (pageSize - 1)
	hi := (start + size) &^ (pageSize - 1)
	if hi <= lo {
		return
	}
	populate(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), lo-start)), hi-lo))
}
