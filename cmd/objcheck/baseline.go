package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/objcheck/objcheck/check"
)

// A baseline file lists known findings, one a line:
//
//	object<TAB>symbol<TAB>message
//
// object is the object's path as given on the command line (cleaned),
// symbol the function (or, failing one, the section) the finding is in,
// "-" if it names neither, and message the text after "objtool: " without
// its leading location ("f+0x12: ") and with every hexadecimal number
// written 0x?, so that a finding keeps its key when code moves within or
// between functions. Lines are sorted and unique; blank lines and lines
// starting with '#' are comments. Tabs, newlines and backslashes in a
// field are written \t, \n and \\.
const baselineHeader = `# objcheck baseline: known findings, one a line: object<TAB>symbol<TAB>message
# (locations and hexadecimal numbers left out). Written by --write-baseline,
# read by --baseline; see README.md.
`

// maskHex writes every hexadecimal number of msg ("0x" and at least one
// digit) as 0x?, the numbers a baseline key leaves out. It is written out
// rather than a regular expression compiled at start-up, which every
// process would pay for, baseline or not.
func maskHex(msg string) string {
	var b strings.Builder
	for i := 0; i < len(msg); {
		j := i + 2
		for j < len(msg) && isHexDigit(msg[j]) {
			j++
		}
		if strings.HasPrefix(msg[i:], "0x") && j > i+2 {
			b.WriteString("0x?")
			i = j
			continue
		}
		b.WriteByte(msg[i])
		i++
	}
	return b.String()
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// A baseline is the findings state of one command: the known findings
// read from --baseline and those found so far, for --write-baseline. The
// files' checks add to it at the same time.
type baseline struct {
	known map[string]bool // nil without --baseline
	write string          // --write-baseline's file, "" if none
	mu    sync.Mutex
	found map[string]bool
}

// newBaseline reads --baseline's file, if any, and prints why it cannot.
func newBaseline(x *extraOptions, stderr io.Writer) (*baseline, bool) {
	if x.baseline == "" && x.writeBaseline == "" && !x.werror {
		return nil, true
	}
	b := &baseline{write: x.writeBaseline, found: map[string]bool{}}
	if x.baseline == "" {
		return b, true
	}
	data, err := os.ReadFile(x.baseline)
	if err != nil {
		fmt.Fprintf(stderr, "error: objcheck: --baseline: %v\n", err)
		return nil, false
	}
	known, err := parseBaseline(data)
	if err != nil {
		fmt.Fprintf(stderr, "error: objcheck: --baseline: %s:%v\n", x.baseline, err)
		return nil, false
	}
	b.known = known
	return b, true
}

// parseBaseline reads a baseline file's keys.
func parseBaseline(data []byte) (map[string]bool, error) {
	known := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		if strings.Count(line, "\t") != 2 {
			return nil, fmt.Errorf("%d: want object<TAB>symbol<TAB>message, got %q", n, line)
		}
		known[line] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf(" %v", err)
	}
	return known, nil
}

// baselineKey is the key of a diagnostic of the object at path.
func baselineKey(path string, d *check.Diagnostic) string {
	sym, msg := "-", d.Message
	if d.Loc != nil {
		switch {
		case d.Loc.Func != "":
			sym = d.Loc.Func
		case d.Loc.Section != "":
			sym = d.Loc.Section
		}
		if d.Loc.HasOffset {
			if _, tail, ok := strings.Cut(msg, ": "); ok {
				msg = tail
			}
		}
	}
	msg = maskHex(msg)
	return escapeField(filepath.Clean(path)) + "\t" + escapeField(sym) + "\t" + escapeField(msg)
}

var fieldEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`)

func escapeField(s string) string { return fieldEscaper.Replace(s) }

// filter applies the baseline and --werror to one object's result: it
// records the findings for --write-baseline, drops the known ones (with
// their backtraces, and the backtraces of the findings objtool hides in
// the functions dropped) from the diagnostics and the text, and with
// werror makes the warnings left errors and the status 1. It returns how
// many findings it dropped.
func (b *baseline) filter(path string, res *check.Result, werror, verbose bool) int {
	if b == nil {
		return 0
	}
	var keep []check.Diagnostic
	dropped := 0
	droppedFuncs := map[string]bool{}
	var found []string
	for i := range res.Diagnostics {
		d := &res.Diagnostics[i]
		if !suppressible(d) {
			keep = append(keep, *d)
			continue
		}
		if d.Hidden {
			if d.Loc != nil && droppedFuncs[d.Loc.Func] {
				res.Warnings -= d.Lines()
				continue
			}
			keep = append(keep, *d)
			continue
		}
		key := baselineKey(path, d)
		found = append(found, key)
		if !b.known[key] {
			keep = append(keep, *d)
			continue
		}
		dropped++
		res.Warnings -= d.Lines()
		if d.Loc != nil && d.Loc.Func != "" {
			droppedFuncs[d.Loc.Func] = true
		}
	}
	b.record(found)
	if dropped > 0 {
		res.Diagnostics = keep
		res.Stderr = check.Text(path, keep)
		res.Disas = keptFuncs(res.Disas, keep, droppedFuncs)
	}
	if werror {
		upgrade(path, res, verbose)
	}
	return dropped
}

// keptFuncs leaves out of names, the functions --verbose disassembles,
// those whose findings were all dropped.
func keptFuncs(names []string, keep []check.Diagnostic, dropped map[string]bool) []string {
	kept := map[string]bool{}
	for i := range keep {
		if d := &keep[i]; !d.Hidden && d.Loc != nil {
			kept[d.Loc.Func] = true
		}
	}
	var out []string
	for _, n := range names {
		if !dropped[n] || kept[n] {
			out = append(out, n)
		}
	}
	return out
}

// suppressible reports whether a baseline may leave d out: warnings may
// go, errors (an object objcheck cannot check) always show.
func suppressible(d *check.Diagnostic) bool {
	return d.Severity == check.SeverityWarning
}

// record adds keys to the findings of the run.
func (b *baseline) record(keys []string) {
	if b.write == "" || len(keys) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		b.found[k] = true
	}
}

// upgrade is --werror, as objtool 6.15 has it: if any warning is left,
// every line says "error" instead of "warning", the status is 1, and
// --verbose says how many warnings became errors.
func upgrade(path string, res *check.Result, verbose bool) {
	n := 0
	for i := range res.Diagnostics {
		if d := &res.Diagnostics[i]; !d.Hidden && d.Severity == check.SeverityWarning {
			n++
		}
	}
	if n == 0 {
		return
	}
	warnTag, errTag := path+": warning: objtool: ", path+": error: objtool: "
	var b bytes.Buffer
	for line := range bytes.Lines(res.Stderr) {
		if rest, ok := bytes.CutPrefix(line, []byte(warnTag)); ok {
			b.WriteString(errTag)
			line = rest
		}
		b.Write(line)
	}
	if verbose {
		fmt.Fprintf(&b, "%s%d warning(s) upgraded to errors\n", errTag, n)
	}
	res.Stderr = b.Bytes()
	for i := range res.Diagnostics {
		res.Diagnostics[i].Severity = check.SeverityError
	}
	if res.Status == 0 {
		res.Status = 1
	}
}

// finish writes --write-baseline's file once every object is checked, and
// returns the command's status: status, or 1 if the file cannot be
// written.
func (b *baseline) finish(status int, stderr io.Writer) int {
	if b == nil || b.write == "" {
		return status
	}
	keys := make([]string, 0, len(b.found))
	for k := range b.found {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	buf.WriteString(baselineHeader)
	for _, k := range keys {
		buf.WriteString(k)
		buf.WriteByte('\n')
	}
	if err := os.WriteFile(b.write, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "error: objcheck: --write-baseline: %v\n", err)
		if status == 0 {
			status = 1
		}
	}
	return status
}

// pathValue is an option that names a file: --baseline=<file>. It
// needs its argument.
type pathValue struct{ p *string }

func (v pathValue) String() string { return "" }
func (pathValue) Type() string     { return "string" }

func (v pathValue) Set(s string) error {
	if s == "" {
		return strconv.ErrSyntax
	}
	*v.p = s
	return nil
}

func (v pathValue) SetNone() error { return strconv.ErrSyntax }
