package difftest

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestUnseenWrite compares objtool's and objcheck's writes, as TestWriteX86
// does, on objects outside the shared corpus: each folder of
// $OBJCHECK_UNSEEN (a list, like PATH) is laid out like a corpus folder,
// every X.o beside an X.o.args holding kbuild's arguments, as
// difftest/kbuild/compare.sh with CAPTURE=1 keeps them. The objects with
// arguments are taken from the folder itself (a MANIFEST is not needed);
// every 7th is run twice.
func TestUnseenWrite(t *testing.T) {
	dirs := filepath.SplitList(os.Getenv("OBJCHECK_UNSEEN"))
	if len(dirs) == 0 {
		t.Skip("SKIP: OBJCHECK_UNSEEN is unset: set it to a folder of captured objects (X.o and X.o.args), e.g. from difftest/kbuild/compare.sh with CAPTURE=1")
	}
	objtool := objtoolBin(t)
	bin := objcheckBin(t)
	for _, dir := range dirs {
		t.Run(filepath.Base(filepath.Dir(dir))+"/"+filepath.Base(dir), func(t *testing.T) {
			cases, err := unseenCases(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(cases) == 0 {
				t.Fatalf("%s: no X.o with X.o.args", dir)
			}
			reportWrites(t, dir, cases, writeCases(t, objtool, bin, dir, cases))
		})
	}
}

// unseenCases returns a write case for every X.o under dir with an
// X.o.args, in path order.
func unseenCases(dir string) ([]WriteCase, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".o.args") {
			return err
		}
		obj := strings.TrimSuffix(p, ".args")
		if _, err := os.Stat(obj); err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, obj)
		paths = append(paths, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	cases := make([]WriteCase, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(dir, p+".args"))
		if err != nil {
			return nil, err
		}
		var args []string
		for _, a := range strings.Split(string(data), "\n") {
			if a != "" {
				args = append(args, a)
			}
		}
		cases = append(cases, WriteCase{Path: p, Args: args, Again: len(cases)%againEvery == 0})
	}
	return cases, nil
}
