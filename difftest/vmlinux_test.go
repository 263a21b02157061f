package difftest

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// runMeasured runs bin with args in dir and returns its output, its wall
// time and its peak resident set size in KiB.
func runMeasured(t *testing.T, bin, dir string, args []string) (Output, time.Duration, int64) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	out := Output{Stderr: stderr.Bytes()}
	if ee, ok := err.(*exec.ExitError); ok {
		out.RC = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return out, elapsed, rss
}

// vmlinuxRecord unpacks the shared vmlinux.o and returns its folder and
// kbuild's recorded arguments; it skips the test without the corpus.
func vmlinuxRecord(t *testing.T) (string, Record) {
	t.Helper()
	dir := corpusDir(t, "x86-vmlinux")
	rec, err := ReadRecord(dir, "vmlinux.o")
	if err != nil {
		t.Fatal(err)
	}
	return dir, rec
}

// dryRunArgs are rec's arguments with --dry-run, for vmlinux.o.
func dryRunArgs(rec Record) []string {
	return append(append([]string(nil), rec.Args...), "--dry-run", "vmlinux.o")
}

// TestVmlinux checks the whole linked kernel, vmlinux.o, as kbuild has
// objtool check it (--link --noinstr --ibt --unret and the rest), with
// --dry-run added: objcheck must print exactly what objtool printed
// (vmlinux.o.ref, nothing) and exit as it did.
func TestVmlinux(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: vmlinux.o takes some 15 seconds and 2 GB")
	}
	bin := objcheckBin(t)
	dir, rec := vmlinuxRecord(t)
	args := dryRunArgs(rec)
	got, elapsed, rss := runMeasured(t, bin, dir, args)
	want := Output{Stderr: rec.Ref, RC: rec.RC}
	if !got.Equal(want) {
		t.Fatalf("objcheck %v:\n%s(rc %d)\nobjtool printed:\n%s(rc %d)", args, indent(got.Stderr, 4), got.RC,
			indent(want.Stderr, 4), want.RC)
	}
	t.Logf("vmlinux.o: objtool's output (%d bytes) and exit status %d, in %.1f s, peak RSS %d MiB",
		len(want.Stderr), want.RC, elapsed.Seconds(), rss/1024)
}

// TestVmlinuxPvOps breaks the pv_ops rule of --noinstr in copies of
// vmlinux.o, each by retargeting one initialiser of pv_ops (a relocation
// of .rela.data), and wants the real objtool's output and exit status:
// slot 1 (irq.safe_halt, called from the noinstr default_idle and
// acpi_safe_halt) given a function outside noinstr code, then one that an
// earlier slot already holds, which objtool then never counts for slot 1.
func TestVmlinuxPvOps(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: each vmlinux.o mutant takes some 25 seconds")
	}
	objtool := objtoolBin(t)
	bin := objcheckBin(t)
	dir, rec := vmlinuxRecord(t)
	args := dryRunArgs(rec)
	for _, m := range []struct {
		name   string
		target string // the function slot 1 is initialised with
		warns  bool   // objtool is expected to warn
	}{
		{"instrumented", "paravirt_disable_iospace", true},
		{"already in slot 0", "native_io_delay", false},
	} {
		t.Run(m.name, func(t *testing.T) {
			tmp := t.TempDir()
			if err := retargetPvOps(filepath.Join(dir, "vmlinux.o"), filepath.Join(tmp, "vmlinux.o"), 1, m.target); err != nil {
				t.Fatal(err)
			}
			want, err := Run(t.Context(), objtool, tmp, args)
			if err != nil {
				t.Fatal(err)
			}
			got, _, _ := runMeasured(t, bin, tmp, args)
			if !got.Equal(want) {
				t.Fatalf("slot 1 = %s: objcheck (rc %d):\n%sobjtool (rc %d):\n%s", m.target, got.RC,
					indent(got.Stderr, 4), want.RC, indent(want.Stderr, 4))
			}
			if (len(want.Stderr) > 0) != m.warns {
				t.Errorf("slot 1 = %s: objtool printed %q: the mutant does not test what it means to", m.target, want.Stderr)
			}
			t.Logf("slot 1 = %s: both print %d lines, rc %d", m.target, bytes.Count(want.Stderr, []byte("\n")), want.RC)
		})
	}
}

// retargetPvOps copies the object src to dst with the .rela.data
// relocation that initialises pv_ops slot idx made to point at the symbol
// fn, addend 0.
func retargetPvOps(src, dst string, idx int, fn string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return err
	}
	syms, err := f.Symbols()
	if err != nil {
		return err
	}
	var pvOps *elf.Symbol
	fnIndex := -1
	for i := range syms {
		switch syms[i].Name {
		case "pv_ops":
			pvOps = &syms[i]
		case fn:
			fnIndex = i + 1 // f.Symbols leaves out the null symbol
		}
	}
	if pvOps == nil || fnIndex < 0 {
		return fmt.Errorf("%s: no pv_ops or no %s", src, fn)
	}
	rela := f.Section(".rela.data")
	if rela == nil || int(pvOps.Section) >= len(f.Sections) || f.Sections[pvOps.Section].Name != ".data" {
		return fmt.Errorf("%s: pv_ops is not in .data, initialised through .rela.data", src)
	}
	want := pvOps.Value + uint64(8*idx)
	for off := rela.Offset; off+24 <= rela.Offset+rela.Size; off += 24 {
		if binary.LittleEndian.Uint64(data[off:]) != want {
			continue
		}
		info := binary.LittleEndian.Uint64(data[off+8:])
		binary.LittleEndian.PutUint64(data[off+8:], uint64(fnIndex)<<32|info&0xffffffff)
		binary.LittleEndian.PutUint64(data[off+16:], 0)
		return os.WriteFile(dst, data, 0o644)
	}
	return fmt.Errorf("%s: no relocation initialises pv_ops slot %d", src, idx)
}
