// Package skipnote lets a test that skips for want of something outside
// the repository (the shared kernel corpus, the real objtool, a cross
// assembler) say so in one line that shows even without go test -v.
//
// In package list mode (go test ./...) the go command discards what a
// passing test binary prints, skips included. Skip therefore writes its
// line to the go command's own standard error when the test binary is the
// go command's child (on Linux, /proc/<ppid>/fd/2), and to the test
// binary's otherwise. One line per test binary: the first skip's reason,
// and a pointer to go test -v for the others.
package skipnote

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// A Noter prints one note for the first skip. The zero Noter is ready to
// use; a package's tests share one (see Skip).
type Noter struct {
	mu    sync.Mutex
	noted bool
	// open opens the stream to print to; nil is Stream.
	open func() (io.WriteCloser, error)
}

// note prints "pkg: skipping tests: reason" unless it printed a note
// before.
func (n *Noter) note(pkg, reason string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.noted {
		return
	}
	n.noted = true
	open := n.open
	if open == nil {
		open = Stream
	}
	w, err := open()
	if err != nil {
		return
	}
	defer w.Close()
	fmt.Fprintf(w, "%s: skipping tests: %s (go test -v lists every skip)\n", pkg, reason)
}

// Skip notes reason, if it is the first, and skips t with it.
func (n *Noter) Skip(t testing.TB, reason string) {
	t.Helper()
	n.note(pkgName(), reason)
	t.Skip(reason)
}

// Skipf is Skip with a formatted reason.
func (n *Noter) Skipf(t testing.TB, format string, args ...any) {
	t.Helper()
	n.Skip(t, fmt.Sprintf(format, args...))
}

// Stream opens where the note goes: the go command's standard error if
// the parent process is the go command, else this process's.
func Stream() (io.WriteCloser, error) {
	ppid := os.Getppid()
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(ppid) + "/comm")
	if err == nil && strings.TrimSpace(string(comm)) == "go" {
		if f, err := os.OpenFile("/proc/"+strconv.Itoa(ppid)+"/fd/2", os.O_WRONLY|os.O_APPEND, 0); err == nil {
			return f, nil
		}
	}
	return nopCloser{os.Stderr}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// pkgName names the test binary's package by its file name: go test
// builds it as pkg.test.
func pkgName() string {
	name := os.Args[0]
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSuffix(name, ".test")
}
