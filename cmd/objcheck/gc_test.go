package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC checks when the collector is tuned: for one file with
// neither GOGC nor GOMEMLIMIT set, and never by run, which tests and
// other callers share a process with (a collector left off there once
// grew the race-detector run of these tests until the machine killed it).
func TestTuneGC(t *testing.T) {
	const mark = 77
	tests := []struct {
		name string
		do   func()
		off  bool // the collector is left off (GOGC=-1)
	}{
		{"one file", func() { tuneGC(1, noEnv) }, true},
		{"two files", func() { tuneGC(2, noEnv) }, false},
		{"GOGC set", func() { tuneGC(1, envOf("GOGC", "50")) }, false},
		{"GOMEMLIMIT set", func() { tuneGC(1, envOf("GOMEMLIMIT", "1GiB")) }, false},
		{"run on one file", func() { runArgs([]string{"--stackval", "--dry-run", "../../testdata/x86/clean.o"}) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prevPercent := debug.SetGCPercent(mark)
			prevLimit := debug.SetMemoryLimit(-1)
			tt.do()
			got := debug.SetGCPercent(prevPercent)
			debug.SetMemoryLimit(prevLimit)
			if off := got < 0; off != tt.off || !off && got != mark {
				t.Errorf("GOGC after: %d, want %s", got, map[bool]string{true: "off (-1)", false: "untouched (77)"}[tt.off])
			}
		})
	}
}

func noEnv(string) string { return "" }

// envOf returns a getenv that knows one variable.
func envOf(name, value string) func(string) string {
	return func(n string) string {
		if n == name {
			return value
		}
		return ""
	}
}
