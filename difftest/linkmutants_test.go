package difftest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestVmlinuxMutants breaks each link-time rule family of objtool (see
// LinkFamily) in copies of the shared vmlinux.o, and wants, for every
// mutant, exactly the real objtool's output and exit status, with the
// recorded arguments and --dry-run. Mutants are drawn at random from each
// family's sites (OBJCHECK_LINK_SEED, default 1; OBJCHECK_LINK_MUTANTS per
// family, default 2), so a new seed gives sites nobody here has looked at.
// One more mutant breaks many rules at once (OBJCHECK_LINK_MANY changes,
// default 700, drawn evenly from the families that do not stop objtool),
// for objtool's order over hundreds of warnings. OBJCHECK_LINK_FAMILIES
// (ibt,noinstr,...) keeps only the families it names. A family none of whose
// mutants drew its text from objtool has tested nothing, and fails.
func TestVmlinuxMutants(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: each vmlinux.o mutant takes some 20 seconds")
	}
	objtool := objtoolBin(t)
	bin := objcheckBin(t)
	dir, rec := vmlinuxRecord(t)
	data, err := os.ReadFile(filepath.Join(dir, "vmlinux.o"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := ReadLinked(data)
	if err != nil {
		t.Fatal(err)
	}
	n := envInt(t, "OBJCHECK_LINK_MUTANTS", 2)
	seed := uint64(envInt(t, "OBJCHECK_LINK_SEED", 1))
	ms := linkMutants(t, o, n, seed, envInt(t, "OBJCHECK_LINK_MANY", 700))
	args := dryRunArgs(rec)
	tmp := t.TempDir()
	stats := make(map[string]*linkStats)
	for i, m := range ms {
		name := m.Family.String()
		s := stats[name]
		if s == nil {
			s = &linkStats{}
			stats[name] = s
		}
		if err := os.WriteFile(filepath.Join(tmp, "vmlinux.o"), o.Apply(m), 0o644); err != nil {
			t.Fatal(err)
		}
		want, got, err := runBoth(t, objtool, bin, tmp, args)
		if err != nil {
			t.Fatal(err)
		}
		s.add(m, want, got)
		t.Logf("mutant %d: %s%s: objtool %d lines, rc %d; objcheck %s%s",
			i, m, m.extra(), bytes.Count(want.Stderr, []byte("\n")), want.RC, verdict(want, got), firstLines(want.Stderr, 2))
		if !got.Equal(want) {
			t.Errorf("mutant %d: %s: %s", i, m, describe(&result{job: job{Path: "vmlinux.o", Want: want}, Got: got}))
		}
	}
	linkReport(t, stats)
}

// manyWhere describes the mutant that breaks many rules at once.
const manyWhere = "many rules at once"

// linkMutants draws n mutants of every family, and the mutant of many
// changes; a family with no site at all is an error.
func linkMutants(t *testing.T, o *LinkedObject, n int, seed uint64, many int) []*LinkMutant {
	var ms, parts []*LinkMutant
	each := many / int(JumpFamily)
	only := os.Getenv("OBJCHECK_LINK_FAMILIES")
	for f := range numLinkFamilies {
		if only != "" && !slices.Contains(strings.Split(only, ","), f.String()) {
			continue
		}
		got := o.LinkMutants(f, n+each, seed)
		if len(got) == 0 {
			t.Errorf("%s: no site in vmlinux.o", f)
			continue
		}
		ms = append(ms, got[:min(n, len(got))]...)
		if f != JumpFamily { // a jump into an instruction stops objtool
			parts = append(parts, got[min(n, len(got)):]...)
		}
	}
	if many > 0 && len(parts) > 0 {
		joined := Join(ManyRules, manyWhere, disjoint(parts))
		ms = append(ms, joined)
	}
	return ms
}

// disjoint keeps the mutants whose changes touch nothing an earlier one
// touched (bytes of the file, relocation entries).
func disjoint(ms []*LinkMutant) []*LinkMutant {
	bytesUsed := make(map[uint64]bool)
	relocsUsed := make(map[relaRef]bool)
	var kept []*LinkMutant
	for _, m := range ms {
		var offs []uint64
		var refs []relaRef
		for _, p := range m.Patches {
			for k := range p.bytes {
				offs = append(offs, p.off+uint64(k))
			}
		}
		for _, r := range m.Retargets {
			refs = append(refs, r.relaRef)
		}
		refs = append(refs, m.Drops...)
		clash := false
		for _, off := range offs {
			clash = clash || bytesUsed[off]
		}
		for _, r := range refs {
			clash = clash || relocsUsed[r]
		}
		if clash {
			continue
		}
		for _, off := range offs {
			bytesUsed[off] = true
		}
		for _, r := range refs {
			relocsUsed[r] = true
		}
		kept = append(kept, m)
	}
	return kept
}

// extra describes the size of a joined mutant.
func (m *LinkMutant) extra() string {
	if m.Family != ManyRules {
		return ""
	}
	return fmt.Sprintf(" (%d patches, %d relocations retargeted, %d dropped)", len(m.Patches), len(m.Retargets), len(m.Drops))
}

// runBoth runs objtool and objcheck side by side on the object in dir.
func runBoth(t *testing.T, objtool, bin, dir string, args []string) (want, got Output, err error) {
	var wg sync.WaitGroup
	var errs [2]error
	wg.Add(2)
	go func() { defer wg.Done(); want, errs[0] = Run(t.Context(), objtool, dir, args) }()
	go func() { defer wg.Done(); got, errs[1] = Run(t.Context(), bin, dir, args) }()
	wg.Wait()
	if errs[0] != nil {
		return want, got, errs[0]
	}
	return want, got, errs[1]
}

// firstLines returns up to n lines of out, each indented on a line of
// its own.
func firstLines(out []byte, n int) string {
	var b strings.Builder
	for i, l := range lines(out) {
		if i == n {
			b.WriteString("\n        ...")
			break
		}
		b.WriteString("\n        " + l)
	}
	return b.String()
}

func verdict(want, got Output) string {
	if got.Equal(want) {
		return "the same"
	}
	return "DIFFERENT"
}

// linkStats counts one family's mutants.
type linkStats struct {
	tried, matched, drew int
	lines                int
}

func (s *linkStats) add(m *LinkMutant, want, got Output) {
	s.tried++
	if got.Equal(want) {
		s.matched++
	}
	text := "warning: objtool: "
	if m.Family != ManyRules {
		text = m.Family.Text()
	}
	if strings.Contains(string(want.Stderr), text) {
		s.drew++
	}
	s.lines += bytes.Count(want.Stderr, []byte("\n"))
}

// linkReport logs a line per family and fails a family that never drew
// its text from objtool.
func linkReport(t *testing.T, stats map[string]*linkStats) {
	t.Helper()
	names := []string{}
	for f := range numLinkFamilies {
		names = append(names, f.String())
	}
	for _, name := range append(names, "many") {
		s := stats[name]
		if s == nil {
			continue
		}
		t.Logf("link mutants match objtool: %s: %d/%d (objtool warned as the rule says on %d, %d lines in all)",
			name, s.matched, s.tried, s.drew, s.lines)
		if s.drew == 0 {
			t.Errorf("%s: no mutant drew objtool's warning: the family tests nothing", name)
		}
	}
}
