package difftest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// CorpusVersion is the folder under shared/corpus that holds the archives.
const CorpusVersion = "linux-6.12"

// An Entry is one line of a corpus folder's MANIFEST.
type Entry struct {
	Path   string // the object's path inside the folder, as kbuild gave it
	Kind   string // "c", "S" (hand-written assembly) or "ld" (linked from several)
	Source string // the source's path in the kernel tree; empty for "ld"
}

// ReadManifest reads dir/MANIFEST.
func ReadManifest(dir string) ([]Entry, error) {
	data, err := os.ReadFile(filepath.Join(dir, "MANIFEST"))
	if err != nil {
		return nil, err
	}
	var entries []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 || f[0] == "" {
			return nil, fmt.Errorf("%s/MANIFEST:%d: malformed line %q", dir, n, line)
		}
		e := Entry{Path: f[0], Kind: f[1]}
		if len(f) > 2 {
			e.Source = f[2]
		}
		entries = append(entries, e)
	}
	return entries, sc.Err()
}

// A Record is what the corpus recorded beside an object X.o: the arguments
// kbuild gave objtool (X.o.args, without the object), what objtool printed
// on standard error (X.o.ref) and its exit status (X.o.rc).
type Record struct {
	Args []string
	Ref  []byte
	RC   int
}

// ReadRecord reads the record of dir/path. An object without one (arm64,
// where kbuild runs no objtool) gives an error satisfying
// errors.Is(err, fs.ErrNotExist).
func ReadRecord(dir, path string) (Record, error) {
	base := filepath.Join(dir, path)
	var r Record
	args, err := os.ReadFile(base + ".args")
	if err != nil {
		return r, err
	}
	for _, a := range strings.Split(string(args), "\n") {
		if a != "" {
			r.Args = append(r.Args, a)
		}
	}
	if r.Ref, err = os.ReadFile(base + ".ref"); err != nil {
		return r, err
	}
	rc, err := os.ReadFile(base + ".rc")
	if err != nil {
		return r, err
	}
	if r.RC, err = strconv.Atoi(strings.TrimSpace(string(rc))); err != nil {
		return r, fmt.Errorf("%s.rc: %v", base, err)
	}
	return r, nil
}

// RepoRoot returns the nearest folder at or above start that holds go.mod.
func RepoRoot(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above " + start)
		}
		dir = parent
	}
}

// SharedDir returns the shared folder: $OBJCHECK_SHARED, or ../shared
// beside the repository root.
func SharedDir(repoRoot string) string {
	if d := os.Getenv("OBJCHECK_SHARED"); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(repoRoot), "shared")
}

// Archive returns the path of the corpus archive called name ("x86-orc",
// "x86-fp", "arm64", "ppc64le") in the shared folder.
func Archive(shared, name string) string {
	return filepath.Join(shared, "corpus", CorpusVersion, name+".tar.xz")
}

// Extract unpacks archive into dest with tar (xz-utils must be installed)
// and returns the folder it unpacked to, named like the archive. The
// folder holds a MANIFEST, except x86-vmlinux's (one object, vmlinux.o).
func Extract(archive, dest string) (string, error) {
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return "", err
	}
	out, err := exec.Command("tar", "-xJf", archive, "-C", dest).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("tar -xJf %s: %v\n%s", archive, err, out)
	}
	dir := filepath.Join(dest, strings.TrimSuffix(filepath.Base(archive), ".tar.xz"))
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err != nil && !fileExists(filepath.Join(dir, "vmlinux.o")) {
		return "", fmt.Errorf("%s: no MANIFEST after unpacking: %v", archive, err)
	}
	return dir, nil
}

// Objtool returns the real objtool for x86: $OBJTOOL, or the one the
// linux-kbuild-6.12.117+deb12 Debian package installs (the corpus was
// recorded with it), or else another linux-kbuild-6.12's. It returns ""
// when there is none.
func Objtool() string {
	if p := os.Getenv("OBJTOOL"); p != "" {
		return p
	}
	const tool = "tools/objtool/objtool.real-x86"
	if p := "/usr/lib/linux-kbuild-6.12.117+deb12/" + tool; fileExists(p) {
		return p
	}
	m, _ := filepath.Glob("/usr/lib/linux-kbuild-6.12*/" + tool)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1]
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
