package hugepage

import "syscall"

// advise asks for huge pages over b, whose ends are aligned to Size.
// Errors (a kernel without transparent huge pages) are ignored: the
// advice is a hint.
func advise(b []byte) {
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}
