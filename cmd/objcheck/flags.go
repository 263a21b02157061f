package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/objcheck/objcheck/check"
)

// The flags live in pflag FlagSets, one per option table, defined in the
// table's order (SortFlags is off). Two annotations carry what libsubcmd's
// usage text needs and pflag has no field for.
const (
	annGroup = "objcheck/group" // the group heading ("Actions:") a flag is listed under
	annArgh  = "objcheck/argh"  // the argument name a callback shows: --dump[=<orc>]
)

// newFlagSet returns an empty FlagSet whose own parsing, error and usage
// printing are never used: parser drives it, and all output is ours.
func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// A flagAdder defines flags under one group heading.
type flagAdder struct {
	fs    *pflag.FlagSet
	group string
	// ann is the group's annotation, one map for all its flags that
	// show no argument name: nothing writes it once made, and a map per
	// flag cost every run a twentieth of a millisecond.
	ann map[string][]string
}

// newFlagAdder returns the adder of flags to fs under the heading group
// ("" for none).
func newFlagAdder(fs *pflag.FlagSet, group string) flagAdder {
	a := flagAdder{fs: fs, group: group}
	if group != "" {
		a.ann = map[string][]string{annGroup: {group}}
	}
	return a
}

func (a flagAdder) annotate(f *pflag.Flag, argh string) {
	if argh == "" {
		f.Annotations = a.ann
		return
	}
	f.Annotations = map[string][]string{annArgh: {argh}}
	if a.group != "" {
		f.Annotations[annGroup] = []string{a.group}
	}
}

func (a flagAdder) bool(p *bool, long, short, help string) {
	a.fs.BoolVarP(p, long, short, false, help)
	a.annotate(a.fs.Lookup(long), "")
}

func (a flagAdder) int(p *int, long, short, help string) {
	a.annotate(a.fs.VarPF(intValue{p}, long, short, help), "")
}

func (a flagAdder) callback(v callbackValue, long, short, argh, help string) {
	a.annotate(a.fs.VarPF(v, long, short, help), argh)
}

// objtoolFlags defines objtool 6.12's options (builtin-check.c
// check_options[]) in its order, bound to o.
func objtoolFlags(o *check.Options) *pflag.FlagSet {
	fs := newFlagSet("objtool")
	act := newFlagAdder(fs, "Actions:")
	act.callback(hacksValue{o}, "hacks", "h", "jump_label,noinstr,skylake", "patch toolchain bugs/limitations")
	act.bool(&o.IBT, "ibt", "i", "validate and annotate IBT")
	act.bool(&o.Mcount, "mcount", "m", "annotate mcount/fentry calls for ftrace")
	act.bool(&o.Noinstr, "noinstr", "n", "validate noinstr rules")
	act.bool(&o.ORC, "orc", "o", "generate ORC metadata")
	act.bool(&o.Retpoline, "retpoline", "r", "validate and annotate retpoline usage")
	act.bool(&o.Rethunk, "rethunk", "", "validate and annotate rethunk usage")
	act.bool(&o.Unret, "unret", "", "validate entry unret placement")
	act.int(&o.Prefix, "prefix", "", "generate prefix symbols")
	act.bool(&o.SLS, "sls", "l", "validate straight-line-speculation mitigations")
	act.bool(&o.Stackval, "stackval", "s", "validate frame pointer rules")
	act.bool(&o.StaticCall, "static-call", "t", "annotate static calls")
	act.bool(&o.Uaccess, "uaccess", "u", "validate uaccess rules for SMAP")
	act.bool(&o.CFI, "cfi", "", "annotate kernel control flow integrity (kCFI) function preambles")
	act.callback(dumpValue{&o.Dump}, "dump", "", "orc", "dump metadata")

	opt := newFlagAdder(fs, "Options:")
	opt.bool(&o.Backtrace, "backtrace", "", "unwind on error")
	opt.bool(&o.Backup, "backup", "", "create .orig files before modification")
	opt.bool(&o.DryRun, "dry-run", "", "don't write modifications")
	opt.bool(&o.Link, "link", "", "object is a linked object")
	opt.bool(&o.Module, "module", "", "object is part of a kernel module")
	opt.bool(&o.Mnop, "mnop", "", "nop out mcount call sites")
	opt.bool(&o.NoUnreachable, "no-unreachable", "", "skip 'unreachable instruction' warnings")
	opt.bool(&o.SecAddress, "sec-address", "", "print section addresses in warnings")
	opt.bool(&o.Stats, "stats", "", "print statistics")
	opt.bool(&o.Verbose, "verbose", "v", "verbose warnings")
	return fs
}

// extraOptions are objcheck's own options that have no check.Options field.
type extraOptions struct {
	jobs int  // -j, --jobs: files checked at once; <= 0 means GOMAXPROCS
	help bool // --objcheck-help
	// format is how diagnostics are printed (--format).
	format outputFormat
	// baseline and writeBaseline are --baseline's and --write-baseline's
	// files; werror is --werror (see baseline.go).
	baseline, writeBaseline string
	werror                  bool
	// explain is --trace, --graph and --disas (explain.go).
	explain explainOptions
}

// objcheckFlags defines objcheck's own options. They are looked up only
// when objtool's table has no match, so they change nothing objtool
// accepts or rejects, and objtool's usage text never lists them.
func objcheckFlags(o *check.Options, x *extraOptions) *pflag.FlagSet {
	fs := newFlagSet("objcheck")
	a := newFlagAdder(fs, "")
	a.bool(&o.DWARF, "dwarf", "", "cross-check the stack state with the object's DWARF CFI")
	a.callback(formatValue{&x.format}, "format", "", "text,json,sarif",
		"print the diagnostics as objtool's text, JSON lines or a SARIF log")
	a.int(&x.jobs, "jobs", "j", "check up to <n> files at once (default: GOMAXPROCS)")
	a.callback(pathValue{&x.baseline}, "baseline", "", "file", "leave out the known findings listed in <file>")
	a.callback(pathValue{&x.writeBaseline}, "write-baseline", "", "file", "write the findings of this run to <file>")
	a.bool(&x.werror, "werror", "", "return error on warnings: each an error line, exit status 1 (objtool 6.15+)")
	a.bool(&x.werror, "Werror", "", "the same, as objtool first spelled it")
	a.callback(pathValue{&x.explain.trace}, "trace", "", "func", "trace the walk of <func> (a name or a glob) on stderr")
	a.callback(pathValue{&x.explain.graph}, "graph", "", "func", "print the graph of <func> in Graphviz DOT on stdout")
	a.callback(pathValue{&x.explain.disas}, "disas", "", "func", "print the disassembly of <func> on stdout")
	a.bool(&x.help, "objcheck-help", "", "print this help and exit")
	return fs
}

// intValue is a libsubcmd OPT_INTEGER, which reads its argument with C's
// strtol(arg, &end, 10) and rejects it only if characters are left over.
type intValue struct{ p *int }

func (v intValue) String() string {
	if v.p == nil {
		return "0"
	}
	return strconv.Itoa(*v.p)
}

func (v intValue) Set(s string) error {
	n, ok := strtol(s)
	if !ok {
		return strconv.ErrSyntax
	}
	*v.p = int(int32(n)) // stored through an int*: C keeps the low 32 bits
	return nil
}

func (intValue) Type() string { return "int" }

// strtol mimics strtol(s, &end, 10) followed by the test *end == '\0':
// leading white space and a sign are allowed, no digits at all leaves end
// at s (so "" is 0 and accepted, "  " is not), and out-of-range values
// saturate at the int64 limits.
func strtol(s string) (int64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	digits := len(t) - len(strings.TrimLeft(t, "0123456789"))
	if digits == 0 {
		return 0, s == ""
	}
	if digits != len(t) {
		return 0, false
	}
	u, err := strconv.ParseUint(t, 10, 64)
	switch {
	case neg && (err != nil || u > 1<<63):
		return -1 << 63, true
	case neg:
		return -int64(u), true
	case err != nil || u > 1<<63-1:
		return 1<<63 - 1, true
	}
	return int64(u), true
}

// A callbackValue is a libsubcmd OPT_CALLBACK_OPTARG: an option whose
// argument is optional. Set gets the argument; SetNone is called when there
// is none and when the option is negated (the callback sees NULL both times).
// Either fails for a value the callback rejects.
type callbackValue interface {
	pflag.Value
	SetNone() error
}

// hacksValue is --hacks[=<jump_label,noinstr,skylake>]. Like objtool's
// parse_hacks it looks for each name anywhere in the argument (strstr), and
// fails only if none is found.
type hacksValue struct{ o *check.Options }

func (v hacksValue) String() string { return "" }
func (hacksValue) Type() string     { return "string" }

func (v hacksValue) Set(s string) error {
	found := false
	for _, h := range []struct {
		name string
		p    *bool
	}{
		{"jump_label", &v.o.HacksJumpLabel},
		{"noinstr", &v.o.HacksNoinstr},
		{"skylake", &v.o.HacksSkylake},
	} {
		if strings.Contains(s, h.name) {
			*h.p = true
			found = true
		}
	}
	if !found {
		return strconv.ErrSyntax
	}
	return nil
}

// SetNone enables every hack, as a bare --hacks does.
func (v hacksValue) SetNone() error {
	v.o.HacksJumpLabel, v.o.HacksNoinstr, v.o.HacksSkylake = true, true, true
	return nil
}

// dumpValue is --dump[=<orc>]: the only value accepted is "orc".
type dumpValue struct{ p *bool }

func (v dumpValue) String() string { return "" }
func (dumpValue) Type() string     { return "string" }

func (v dumpValue) Set(s string) error {
	if s != "orc" {
		return strconv.ErrSyntax
	}
	*v.p = true
	return nil
}

func (v dumpValue) SetNone() error {
	*v.p = true
	return nil
}
