package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC checks when the collector is tuned: off for one file, less
// often for several, when neither GOGC nor GOMEMLIMIT is set, and never
// by run, which tests and
// other callers share a process with (a collector left off there once
// grew the race-detector run of these tests until the machine killed it).
func TestTuneGC(t *testing.T) {
	const mark = 77
	tests := []struct {
		name string
		do   func()
		want int // GOGC after: -1 off, mark untouched
	}{
		{"one file", func() { tuneGC(1, noEnv) }, -1},
		{"two files", func() { tuneGC(2, noEnv) }, manyFilesGCPercent},
		{"no file", func() { tuneGC(0, noEnv) }, mark},
		{"GOGC set", func() { tuneGC(1, envOf("GOGC", "50")) }, mark},
		{"GOGC set, two files", func() { tuneGC(2, envOf("GOGC", "50")) }, mark},
		{"GOMEMLIMIT set", func() { tuneGC(1, envOf("GOMEMLIMIT", "1GiB")) }, mark},
		{"run on one file", func() { runArgs([]string{"--stackval", "--dry-run", "../../testdata/x86/clean.o"}) }, mark},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prevPercent := debug.SetGCPercent(mark)
			prevLimit := debug.SetMemoryLimit(-1)
			tt.do()
			got := debug.SetGCPercent(prevPercent)
			debug.SetMemoryLimit(prevLimit)
			if got != tt.want {
				t.Errorf("GOGC after: %d, want %d", got, tt.want)
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

// TestCollect checks that only a one-file run of a large object collects,
// before it writes and between building the graph and walking it.
func TestCollect(t *testing.T) {
	tests := []struct {
		name string
		many bool
		size int
		want bool
	}{
		{"one large object", false, writeCollectMin, true},
		{"one small object", false, writeCollectMin - 1, false},
		{"a large object among several", true, 50 << 20, false},
	}
	for _, tt := range tests {
		ran := false
		got := collectBeforeWrite(tt.many, tt.size, func() { ran = true })
		if got != tt.want || ran != tt.want {
			t.Errorf("%s: collected before writing %v (reported %v), want %v", tt.name, ran, got, tt.want)
		}
		ran = false
		if gc := collectAfterBuild(tt.many, tt.size, func() { ran = true }); gc != nil {
			gc()
		}
		if ran != tt.want {
			t.Errorf("%s: collected after building %v, want %v", tt.name, ran, tt.want)
		}
	}
}
