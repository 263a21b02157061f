// Package filemap maps a file into memory read-only, for a process that
// reads one large file and exits.
//
// Reading vmlinux.o (51 MB) into the heap takes 210 ms on a machine
// where a page fault costs 25 µs: a copy of every byte, and a fault for
// every 4 KiB of the buffer. Mapped, the same bytes come in 25 ms,
// sixteen pages at a fault from the page cache, and only the pages used
// come in at all. Pages no longer needed can be given back (Forget), and
// come back from the file if touched again.
//
// A mapped file must not shrink while it is mapped: a read of a page
// beyond its new end is a fault that ends the process. objtool maps its
// input too, and a kbuild object does not change while it is checked.
package filemap

// pageSize is the unit the system maps in.
const pageSize = 4096

// interior is the page-aligned part of the span [start, start+n): the
// pages wholly inside it.
func interior(start, n uintptr) (lo, hi uintptr) {
	lo = (start + pageSize - 1) &^ (pageSize - 1)
	hi = (start + n) &^ (pageSize - 1)
	return lo, max(lo, hi)
}
