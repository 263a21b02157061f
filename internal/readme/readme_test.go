// Package readme holds the tests that keep README.md true to the tree:
// its fuzz commands name real targets, and every environment variable the
// tests read is documented.
package readme

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the folder of go.mod above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// goFiles calls fn with the path (relative to root) and contents of every
// Go file of the module, testdata folders left out.
func goFiles(t *testing.T, root string, fn func(rel string, data []byte)) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fn(filepath.ToSlash(rel), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readme(t *testing.T, root string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var (
	fuzzFunc    = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(\w+ \*testing\.F\)`)
	fuzzCommand = regexp.MustCompile(`go test -fuzz=(\S+) (\./\S+)`)
)

// TestFuzzCommands: each "go test -fuzz=X ./pkg" of the README selects
// exactly one fuzz target of pkg (go test refuses to fuzz more than one),
// and every fuzz target of the module has its command.
func TestFuzzCommands(t *testing.T) {
	root := repoRoot(t)
	targets := map[string][]string{} // package folder -> fuzz targets
	goFiles(t, root, func(rel string, data []byte) {
		if !strings.HasSuffix(rel, "_test.go") {
			return
		}
		for _, m := range fuzzFunc.FindAllSubmatch(data, -1) {
			dir := "./" + filepath.ToSlash(filepath.Dir(rel))
			targets[dir] = append(targets[dir], string(m[1]))
		}
	})
	covered := map[string]bool{}
	cmds := fuzzCommand.FindAllStringSubmatch(readme(t, root), -1)
	if len(cmds) == 0 {
		t.Fatal("README.md has no go test -fuzz commands")
	}
	for _, c := range cmds {
		pattern, pkg := strings.Trim(c[1], `'"`), c[2]
		re, err := regexp.Compile(pattern)
		if err != nil {
			t.Errorf("%s: -fuzz=%s: %v", c[0], c[1], err)
			continue
		}
		var matched []string
		for _, name := range targets[pkg] {
			if re.MatchString(name) {
				matched = append(matched, name)
			}
		}
		if len(matched) != 1 {
			t.Errorf("%s: matches %q of %s's fuzz targets %q; want exactly one", c[0], matched, pkg, targets[pkg])
			continue
		}
		covered[pkg+" "+matched[0]] = true
	}
	for pkg, names := range targets {
		for _, name := range names {
			if !covered[pkg+" "+name] {
				t.Errorf("README.md has no go test -fuzz command for %s in %s", name, pkg)
			}
		}
	}
}

// envRead finds the environment variables a Go file reads by name.
var envRead = regexp.MustCompile(`(?:Getenv|LookupEnv)\("([A-Z][A-Z0-9_]*)"\)|envInt\(\w+, "([A-Z][A-Z0-9_]*)"`)

// projectVar reports whether name is one of the project's variables (not
// PATH, GOGC and the like, nor a developer's own debugging switch).
func projectVar(name string) bool {
	for _, p := range []string{"OBJCHECK_", "OBJTOOL", "ORCDUMP_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return name == "KSRC"
}

// TestEnvDocumented: every project variable a Go file reads by name is in
// README.md, written `NAME`.
func TestEnvDocumented(t *testing.T) {
	root := repoRoot(t)
	text := readme(t, root)
	where := map[string][]string{}
	goFiles(t, root, func(rel string, data []byte) {
		for _, m := range envRead.FindAllSubmatch(data, -1) {
			name := string(m[1]) + string(m[2])
			if projectVar(name) && !slices.Contains(where[name], rel) {
				where[name] = append(where[name], rel)
			}
		}
	})
	if len(where) == 0 {
		t.Fatal("no environment variables found: the pattern is wrong")
	}
	for name, files := range where {
		if !strings.Contains(text, "`"+name+"`") && !strings.Contains(text, "`"+name+"=") {
			t.Errorf("%s (read by %s) is not documented in README.md", name, strings.Join(files, ", "))
		}
	}
}
