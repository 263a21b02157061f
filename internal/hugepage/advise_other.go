//go:build !linux

package hugepage

// advise does nothing where the system has no huge-page advice.
func advise([]byte) {}
