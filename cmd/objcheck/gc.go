package main

import (
	"runtime/debug"
	"syscall"
)

// manyFilesGCPercent is GOGC for a call with several files. Each
// finished file's graph is garbage, and Go's 100 collects it too often:
// over the 591 objects of the x86-orc corpus in one call, 400 takes
// 0.27-0.29 s instead of 0.42-0.47 s, for 29-33 MiB of peak RSS instead
// of 19-20 MiB (collecting never, up to a limit, is slower again: fresh
// pages cost more than reused ones).
const manyFilesGCPercent = 400

// tuneGC sizes the garbage collector for the run, unless GOGC or
// GOMEMLIMIT says otherwise. A check builds one graph that stays live
// until the process exits, so for a single file the collector only
// rescans what is still in use: it runs only when the heap nears half the
// machine's memory. Several files in one call make garbage of each
// finished file's graph: see manyFilesGCPercent.
func tuneGC(files int, getenv func(string) string) {
	switch {
	case getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "", files < 1:
		return
	case files > 1:
		debug.SetGCPercent(manyFilesGCPercent)
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

// writeCollectMin is the smallest object collectBeforeWrite and
// collectAfterBuild collect for.
const writeCollectMin = 4 << 20

// largeAlone reports whether a run is over one object (many unset) of
// size bytes that is large: one whose graph is worth a collection, as
// such a run never collects by itself (see tuneGC). A small object's graph
// is not worth one, and a run over several files collects anyway.
func largeAlone(many bool, size int) bool { return !many && size >= writeCollectMin }

// collectAfterBuild returns what a run does once the graph is built and
// before the walks (check.Options.AfterBuild): a collection (gc), for a
// large object alone (see largeAlone), nil otherwise. What building used
// and let go (the decoders' buffers, tables outgrown) is then garbage,
// which the walks' tables reuse instead of adding to it: vmlinux.o
// 304 -> 290 MB of peak RSS, and no slower.
func collectAfterBuild(many bool, size int, gc func()) func() {
	if !largeAlone(many, size) {
		return nil
	}
	return gc
}

// collectBeforeWrite runs the collector (gc) once before a one-file run
// writes an object of size bytes, if the object is large. Such a run
// never collects (see tuneGC), and by the time it writes, the check's
// graph is garbage: for vmlinux.o, writing then reuses that memory
// instead of adding 155 MB to it (peak RSS 618 -> 464 MB, the dry run's,
// and no slower), if the object is large and alone (see largeAlone). It
// reports whether it collected.
func collectBeforeWrite(many bool, size int, gc func()) bool {
	if !largeAlone(many, size) {
		return false
	}
	gc()
	return true
}
