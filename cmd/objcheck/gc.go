package main

import (
	"runtime/debug"
	"syscall"
)

// tuneGC sizes the garbage collector for the run. A check builds one
// graph that stays live until the process exits, so for a single file the
// collector only rescans what is still in use: with one file and neither
// GOGC nor GOMEMLIMIT set, it runs only when the heap nears half the
// machine's memory. Several files in one call make garbage of each
// finished file's graph, and keep Go's default.
func tuneGC(files int, getenv func(string) string) {
	if files != 1 || getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil || si.Totalram == 0 {
		return
	}
	limit := uint64(si.Totalram) * uint64(si.Unit) / 2
	debug.SetMemoryLimit(int64(min(limit, 1<<62)))
	debug.SetGCPercent(-1)
}
