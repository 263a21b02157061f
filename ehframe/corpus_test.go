package ehframe

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/decode"
)

// corpusArchives are the archives under $SHARED/corpus/linux-6.12. The
// x86 objects carry no CFI (the kernel builds them without unwind tables);
// they are read to show Read finds none.
var corpusArchives = []string{"arm64", "ppc64le", "x86-orc"}

// sharedDir returns the project's shared material: $OBJCHECK_SHARED, or
// ../shared beside the repository.
func sharedDir() string {
	if d := os.Getenv("OBJCHECK_SHARED"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared")
}

// extractCorpus unpacks corpus archive name into a temporary folder and
// returns the archive's own folder in it, or skips the test when the
// archive is absent.
func extractCorpus(t *testing.T, name string) string {
	t.Helper()
	archive := filepath.Join(sharedDir(), "corpus", "linux-6.12", name+".tar.xz")
	if _, err := os.Stat(archive); err != nil {
		skips.Skipf(t, "corpus archive %s not found (set OBJCHECK_SHARED to the shared folder): %v", archive, err)
	}
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xJf", archive, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("tar -xJf %s: %v\n%s", archive, err, out)
	}
	return filepath.Join(dir, name)
}

// corpusObjects returns the objects listed in dir's MANIFEST.
func corpusObjects(t *testing.T, dir string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	var objs []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if path, _, _ := strings.Cut(sc.Text(), "\t"); path != "" {
			objs = append(objs, path)
		}
	}
	return objs
}

// corpusStats counts what Read found in one archive.
type corpusStats struct {
	objects, withCFI, fdes, rows, compared int
	expressions, signed, fpCFA             int
}

// TestCorpus reads every object of the kernel corpus that has CFI, which
// must succeed, and compares the rows of every one (of every tenth with
// -short) with readelf's frames-interp when readelf is installed.
func TestCorpus(t *testing.T) {
	readelf, lookErr := exec.LookPath("readelf")
	for _, name := range corpusArchives {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if lookErr != nil {
				t.Logf("readelf not found, rows not compared: %v", lookErr)
			}
			dir := extractCorpus(t, name)
			var st corpusStats
			for i, obj := range corpusObjects(t, dir) {
				compare := lookErr == nil && (!testing.Short() || i%10 == 0)
				corpusObject(t, filepath.Join(dir, obj), readelf, compare, &st)
			}
			t.Logf("%d objects, %d with CFI: %d FDEs, %d rows (%d compared with readelf); "+
				"%d rules given by expressions, %d rows with the return address signed, %d with a frame-pointer CFA",
				st.objects, st.withCFI, st.fdes, st.rows, st.compared, st.expressions, st.signed, st.fpCFA)
		})
	}
}

// corpusObject reads one object into st, comparing it with readelf if
// compare.
func corpusObject(t *testing.T, path, readelf string, compare bool, st *corpusStats) {
	f, err := decode.Open(path)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	st.objects++
	fdes, err := Read(f)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	if f.SectionByName(".eh_frame") == nil && f.SectionByName(".debug_frame") == nil {
		return
	}
	st.withCFI++
	st.fdes += len(fdes)
	fp := f.Arch.DWARF.FP
	for i := range fdes {
		checkFDE(t, &fdes[i])
		for _, r := range fdes[i].Rows {
			st.rows++
			for _, rule := range []Rule{r.CFA, r.RA, r.FP} {
				if rule.Kind == Expression {
					st.expressions++
				}
			}
			if r.RASigned {
				st.signed++
			}
			if r.CFA.Kind == RegOffset && r.CFA.Reg == fp {
				st.fpCFA++
			}
		}
	}
	if !compare {
		return
	}
	out, err := exec.Command(readelf, "--debug-dump=frames-interp", path).Output()
	if err != nil {
		t.Errorf("%s: readelf: %v", path, err)
		return
	}
	tables, err := parseReadelf(string(out))
	if err != nil {
		t.Errorf("%s: readelf output: %v", path, err)
		return
	}
	for _, d := range compareReadelf(f, fdes, tables) {
		t.Errorf("%s: %s", path, d)
	}
	for _, fde := range fdes {
		st.compared += len(fde.Rows)
	}
}
