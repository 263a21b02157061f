package prefault

import (
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// unit is the measure of the test's tables: one of 4 units is large
// enough for Start.
const unit = 2 << 20

// resident counts the pages of b's 4 KiB-aligned interior that are in
// memory (mincore(2)).
func resident(t *testing.T, b []byte) (in, all int) {
	t.Helper()
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + pageSize - 1) &^ (pageSize - 1)
	hi := (start + uintptr(len(b))) &^ (pageSize - 1)
	vec := make([]byte, (hi-lo)/pageSize)
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, lo, hi-lo, uintptr(unsafe.Pointer(unsafe.SliceData(vec)))); e != 0 {
		t.Skipf("mincore: %v", e)
	}
	for _, v := range vec {
		in += int(v & 1)
	}
	return in, len(vec)
}

// TestStart: the pages of the prefaulted part of a fresh table come
// in without the program touching them, the rest stay out, and what was
// written before is still there.
func TestStart(t *testing.T) {
	b := make([]byte, 4*unit)
	b[0], b[unit] = 1, 2
	if in, all := resident(t, b); in > all/2 {
		t.Skipf("the runtime gave a table already in memory (%d of %d pages)", in, all)
	}
	Start(b, 3*unit)
	half, rest := b[:3*unit], b[3*unit+pageSize:]
	// The faults run on another thread: wait for them, up to a bound
	// that is about liveness, not speed.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		in, all := resident(t, half)
		if in >= all-1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of the %d pages prefaulted are in memory", in, all)
		}
	}
	if in, all := resident(t, rest); in > all/2 {
		t.Errorf("%d of the %d pages beyond n are in memory too", in, all)
	}
	if b[0] != 1 || b[unit] != 2 || b[unit+1] != 0 {
		t.Errorf("contents changed: %d %d %d", b[0], b[unit], b[unit+1])
	}
}

// TestStartSmall: tables and counts too small or out of range are
// left alone.
func TestStartSmall(t *testing.T) {
	Start([]byte(nil), 10)
	Start(make([]byte, 0, minBytes-1), minBytes)
	Start(make([]byte, 0, 2*minBytes), -1)
	Start(make([]struct{}, 1<<30), 1<<30)
}
