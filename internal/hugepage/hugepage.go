// Package hugepage asks the kernel to back a program's largest tables
// with huge pages.
//
// A whole-kernel run fills a few tables of hundreds of megabytes (one
// record per instruction of vmlinux.o). Backed by 4 KiB pages, every page
// is a fault on first touch: 135 thousand of them, a third of the run's
// time in the kernel, on a machine whose transparent huge pages are in
// "madvise" mode (the default of most distributions). Advised, the same
// tables fault once per 2 MiB, and Prefault moves the faults, and the
// zeroing of the pages that they cost, to another core while the program
// goes on.
package hugepage

import "unsafe"

// Size is the huge page size advised for, and the alignment of the range
// advised; minBytes is the smallest table worth a system call.
const (
	Size     = 2 << 20
	minBytes = 2 * Size
)

// Advise advises huge pages for the backing array of s, up to its
// capacity, if it is large enough to hold whole huge pages. It is a hint:
// where the system has no such advice, or refuses it, nothing changes. It
// must be called before the array is written, so that its pages are not
// yet there. The array must not hold pointers into memory the caller frees
// by other means (it is ordinary Go memory; the advice does not change its
// contents).
func Advise[T any](s []T) {
	var zero T
	n := uintptr(cap(s)) * unsafe.Sizeof(zero)
	if n < minBytes {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	lo := (start + Size - 1) &^ (Size - 1)
	hi := (start + n) &^ (Size - 1)
	if hi <= lo {
		return
	}
	advise(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), lo-start)), hi-lo))
}

// pageSize is the smallest page a range to prefault is rounded to.
const pageSize = 4096

// Prefault starts faulting in the pages that hold the first n elements
// of s's backing array (n at most its capacity), on another thread, and
// returns at once. Each page costs its first touch the kernel's zeroing
// of it: a whole-kernel run's tables are hundreds of megabytes, fresh
// pages that the program then fills from one goroutine, and this gives
// that cost to an idle core. Only pages wholly inside the array are
// touched, and a page already there is left as it is: the contents do
// not change, whoever writes first. It is a hint, for tables as large as
// Advise's, called after Advise: where the system cannot do it, nothing
// changes.
func Prefault[T any](s []T, n int) {
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
