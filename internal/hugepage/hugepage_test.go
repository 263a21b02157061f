package hugepage

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// TestAdviseSmall: tables too small for a whole huge page, empty and nil
// ones among them, are left alone without a fault.
func TestAdviseSmall(t *testing.T) {
	for _, n := range []int{0, 1, 4096, minBytes - 1} {
		Advise(make([]byte, 0, n))
	}
	Advise([]uint64(nil))
	Advise(make([]struct{}, 1<<30))
}

// TestAdviseLinux: on Linux, with transparent huge pages available, the
// advised range of a large table carries the kernel's "hg" flag (see
// proc(5), /proc/pid/smaps) and the table's contents are intact.
func TestAdviseLinux(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("huge-page advice is Linux's")
	}
	if mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || strings.Contains(string(mode), "[never]") {
		t.Skip("this kernel has no transparent huge pages to advise")
	}
	s := make([]uint64, 0, 3*Size/8)
	Advise(s)
	s = s[:cap(s)]
	for i := range s {
		s[i] = uint64(i)
	}
	mid := uintptr(unsafe.Pointer(&s[len(s)/2]))
	flags, err := vmFlags(mid)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the mapping holding the table has flags %q, without hg", flags)
	}
	for i, v := range s {
		if v != uint64(i) {
			t.Fatalf("s[%d] = %d after the advice", i, v)
		}
	}
	runtime.KeepAlive(s)
}

// vmFlags returns the VmFlags line of the mapping holding addr.
func vmFlags(addr uintptr) (string, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", err
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &lo, &hi); n == 2 && strings.Contains(line, " ") {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:")), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no mapping holds %#x", addr)
}
