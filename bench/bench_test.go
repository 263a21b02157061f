package bench

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/difftest"
	"github.com/objcheck/objcheck/elfedit"
	"github.com/objcheck/objcheck/objwrite"
)

// An object is one corpus object with its recorded options.
type object struct {
	path string
	opts *check.Options
}

// loadCorpus unpacks the corpus set into tmp and lists its objects with
// their options, and their total size; it skips without the corpus.
func loadCorpus(b *testing.B, root, tmp, set string) ([]object, int64) {
	archive := difftest.Archive(difftest.SharedDir(root), set)
	if _, err := os.Stat(archive); err != nil {
		skips.Skipf(b, "SKIP: corpus absent: %v", err)
	}
	var dir string
	var entries []difftest.Entry
	if set == "x86-vmlinux" { // one object and no MANIFEST
		if err := exec.Command("tar", "-xJf", archive, "-C", tmp).Run(); err != nil {
			b.Fatal(err)
		}
		dir, entries = filepath.Join(tmp, set), []difftest.Entry{{Path: "vmlinux.o"}}
	} else {
		var err error
		if dir, err = difftest.Extract(archive, tmp); err != nil {
			b.Fatal(err)
		}
		if entries, err = difftest.ReadManifest(dir); err != nil {
			b.Fatal(err)
		}
	}
	objs := make([]object, 0, len(entries))
	var size int64
	for _, e := range entries {
		rec, err := difftest.ReadRecord(dir, e.Path)
		if err != nil {
			b.Fatal(err)
		}
		opts, err := options(rec.Args)
		if err != nil {
			b.Fatalf("%s: %v", e.Path, err)
		}
		fi, err := os.Stat(filepath.Join(dir, e.Path))
		if err != nil {
			b.Fatal(err)
		}
		size += fi.Size()
		objs = append(objs, object{filepath.Join(dir, e.Path), opts})
	}
	return objs, size
}

// BenchmarkCorpusX86 checks every object of each x86-64 corpus in-process,
// one after another, with kbuild's recorded arguments (and --dry-run): one
// iteration is the whole corpus. It reports the time per object too.
func BenchmarkCorpusX86(b *testing.B) {
	root, err := difftest.RepoRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	for _, set := range []string{"x86-orc", "x86-fp"} {
		b.Run(set, func(b *testing.B) {
			objs, size := loadCorpus(b, root, tmp, set)
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, o := range objs {
					f, err := decode.Open(o.path)
					if err != nil {
						b.Fatal(err)
					}
					check.Run(f, o.opts)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(objs)), "ns/object")
		})
	}
}

// BenchmarkVmlinux checks the whole linked kernel in-process, as kbuild
// has objtool check it, in two stages: reading and decoding the ELF file
// (decode.Open), and the check (graph, walks, rules). Profile it with
// -cpuprofile and -memprofile to see where vmlinux.o's time goes.
func BenchmarkVmlinux(b *testing.B) {
	root, err := difftest.RepoRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	objs, size := loadCorpus(b, root, b.TempDir(), "x86-vmlinux")
	o := objs[0]
	b.Run("open", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decode.Open(o.path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("check", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			f, err := decode.Open(o.path)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			check.Run(f, o.opts)
		}
	})
}

// BenchmarkWriteX86 is the cost of writing alone: for every object of
// each x86-64 corpus, checked once beforehand, what objcheck adds when it
// writes: the edit (elfedit.Open, objwrite.Apply) and the layout, written
// to io.Discard.
func BenchmarkWriteX86(b *testing.B) {
	root, err := difftest.RepoRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	for _, set := range []string{"x86-orc", "x86-fp", "x86-vmlinux"} {
		b.Run(set, func(b *testing.B) {
			objs, size := loadCorpus(b, root, tmp, set)
			type planned struct {
				f    *decode.File
				plan *check.Plan
			}
			var todo []planned
			for _, o := range objs {
				f, err := decode.Open(o.path)
				if err != nil {
					b.Fatal(err)
				}
				if res := check.Run(f, o.opts); res.Plan.Changes() {
					todo = append(todo, planned{f, res.Plan})
				}
			}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range todo {
					ef, err := elfedit.Open(p.f.Data)
					if err == nil {
						err = objwrite.Apply(ef, p.f.Arch, p.plan)
					}
					if err == nil {
						_, err = ef.WriteTo(io.Discard)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*max(len(todo), 1)), "ns/object")
		})
	}
}

// options turns the objtool arguments the corpus records into Options,
// with DryRun set. It knows the arguments kbuild passes for x86-64.
func options(args []string) (*check.Options, error) {
	o := &check.Options{DryRun: true}
	flags := map[string]*bool{
		"--hacks=jump_label": &o.HacksJumpLabel, "--hacks=noinstr": &o.HacksNoinstr,
		"--hacks=skylake": &o.HacksSkylake, "--ibt": &o.IBT, "--sls": &o.SLS,
		"--mcount": &o.Mcount, "--noinstr": &o.Noinstr, "--orc": &o.ORC,
		"--retpoline": &o.Retpoline, "--stackval": &o.Stackval, "--static-call": &o.StaticCall,
		"--uaccess": &o.Uaccess, "--cfi": &o.CFI, "--rethunk": &o.Rethunk, "--unret": &o.Unret,
		"--mnop": &o.Mnop, "--module": &o.Module, "--link": &o.Link, "--dry-run": &o.DryRun,
	}
	for _, a := range args {
		if p, ok := flags[a]; ok {
			*p = true
			continue
		}
		if n, ok := strings.CutPrefix(a, "--prefix="); ok {
			v, err := strconv.Atoi(n)
			if err != nil {
				return nil, err
			}
			o.Prefix = v
			continue
		}
		return nil, fmt.Errorf("unknown objtool argument %q", a)
	}
	return o, nil
}
