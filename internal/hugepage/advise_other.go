//go:build !linux

package hugepage

// advise does nothing where the system has no huge-page advice.
func advise([]byte) {}

// populate does nothing where the system has no way to fault pages in
// ahead of their use.
func populate([]byte) {}
