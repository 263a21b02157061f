package ehframe

import (
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/decode"
)

// TestGolden reads the objects of testdata (see testdata/build.sh) and
// compares their rows with readelf's frames-interp, kept beside each
// object as X.o.frames.
func TestGolden(t *testing.T) {
	objs, err := filepath.Glob("testdata/*.o")
	if err != nil || len(objs) == 0 {
		t.Fatalf("no test objects: %v", err)
	}
	for _, obj := range objs {
		t.Run(filepath.Base(obj), func(t *testing.T) {
			f, err := decode.Open(obj)
			if err != nil {
				t.Fatal(err)
			}
			fdes, err := Read(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(fdes) == 0 {
				t.Fatal("no FDEs")
			}
			out, err := os.ReadFile(obj + ".frames")
			if err != nil {
				t.Fatal(err)
			}
			tables, err := parseReadelf(string(out))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range compareReadelf(f, fdes, tables) {
				t.Error(d)
			}
			for i := range fdes {
				checkFDE(t, &fdes[i])
				if f.Machine == elf.EM_AARCH64 {
					checkSigned(t, &fdes[i])
				}
			}
			checkSections(t, obj, f, fdes)
		})
	}
}

// checkSigned checks arm64 return-address signing as these objects have
// it (pac-ret): unsigned at entry, and signed wherever the return address
// is saved on the stack.
func checkSigned(t *testing.T, fde *FDE) {
	t.Helper()
	if fde.Rows[0].RASigned {
		t.Errorf("FDE %#x: return address signed at entry", fde.Offset)
	}
	for _, r := range fde.Rows {
		if r.RA.Kind == AtCFA && !r.RASigned {
			t.Errorf("FDE %#x at %#x: return address saved unsigned", fde.Offset, r.Off)
		}
	}
}

// checkSections checks the sections the FDEs name: frames.c puts code in
// .text, .text.unlikely (cold parts) and .text.other.
func checkSections(t *testing.T, obj string, f *decode.File, fdes []FDE) {
	t.Helper()
	seen := map[string]bool{}
	for _, fde := range fdes {
		if fde.Section == nil || f.Sections[fde.Section.Index] != fde.Section || !fde.Section.IsExec() {
			t.Fatalf("FDE %#x: section %v is not a code section of the object", fde.Offset, fde.Section)
		}
		seen[fde.Section.Name] = true
	}
	if strings.Contains(obj, "-cfi") {
		return
	}
	for _, name := range []string{".text", ".text.unlikely", ".text.other"} {
		if !seen[name] {
			t.Errorf("no FDE in %s", name)
		}
	}
}
