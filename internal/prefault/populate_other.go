//go:build !linux

package prefault

// populate does nothing where the system has no way to fault pages in
// ahead of their use.
func populate([]byte) {}
