package main

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/objcheck/objcheck/check"
)

// objtool before 5.19 had subcommands: "objtool check [<options>] file.o",
// "objtool orc generate [<options>] file.o" and "objtool orc dump file.o",
// with other option names. objcheck accepts these forms when the first
// argument is exactly "check" or "orc", and maps them onto 6.12's options:
//
//   - check validates frame pointer rules (--stackval); with -f/--no-fp it
//     validates the stack state without them, as --orc does, but generates
//     nothing, so it needs no --dry-run.
//   - orc generate is --orc, plus --stackval unless -f/--no-fp is given.
//   - orc dump is --dump.
//   - -l/--vmlinux and --lto are --link; the other options keep their
//     meaning under their 6.12 names.
//
// OBJTOOL_ARGS (with the old names) and OBJTOOL_VERBOSE are read as in
// 6.12. The mapped options then go through 6.12's validation, so its
// messages name 6.12's options.

// legacyOptions are the pre-5.19 options with no 6.12 equivalent.
type legacyOptions struct {
	noFP    bool
	lto     bool
	vmlinux bool
}

// legacyFlags defines objtool 5.18's check_options[], plus --rethunk and
// --unret from the stable kernels of that time, bound to o and l.
func legacyFlags(o *check.Options, l *legacyOptions) *pflag.FlagSet {
	fs := newFlagSet("objtool check")
	a := newFlagAdder(fs, "")
	a.bool(&l.noFP, "no-fp", "f", "Skip frame pointer validation")
	a.bool(&o.NoUnreachable, "no-unreachable", "u", "Skip 'unreachable instruction' warnings")
	a.bool(&o.Retpoline, "retpoline", "r", "Validate retpoline assumptions")
	a.bool(&o.Rethunk, "rethunk", "", "validate and annotate rethunk usage")
	a.bool(&o.Unret, "unret", "", "validate entry unret placement")
	a.bool(&o.Module, "module", "m", "Indicates the object will be part of a kernel module")
	a.bool(&o.Backtrace, "backtrace", "b", "unwind on error")
	a.bool(&o.Uaccess, "uaccess", "a", "enable uaccess checking")
	a.bool(&o.Stats, "stats", "s", "print statistics")
	a.bool(&l.lto, "lto", "", "whole-archive like runs")
	a.bool(&o.Noinstr, "noinstr", "n", "noinstr validation for vmlinux.o")
	a.bool(&l.vmlinux, "vmlinux", "l", "vmlinux.o validation")
	a.bool(&o.Mcount, "mcount", "M", "generate __mcount_loc")
	a.bool(&o.Backup, "backup", "B", "create .orig files before modification")
	a.bool(&o.SLS, "sls", "S", "validate straight-line-speculation")
	a.bool(&o.DryRun, "dry-run", "", "don't write the modifications")
	a.bool(&o.IBT, "ibt", "", "validate ENDBR placement")
	return fs
}

// Usage lines of the old subcommands.
var (
	legacyCheckUsage = []string{"objtool check [<options>] file.o"}
	legacyORCUsage   = []string{"objtool orc generate [<options>] file.o", "objtool orc dump file.o"}
)

// parseLegacy parses an old-style command line; args[0] is "check" or "orc".
func (e *env) parseLegacy(args []string) (*command, int) {
	cmd := &command{}
	var l legacyOptions
	opts := table(legacyFlags(&cmd.opts, &l))
	switch {
	case args[0] == "check":
		if st := e.parseOptions(cmd, opts, legacyCheckUsage, args); st != proceed {
			return nil, st
		}
		cmd.orcValidateOnly = l.apply(&cmd.opts, false)
		return cmd, proceed
	case len(args) > 1 && strings.HasPrefix(args[1], "gen"): // as objtool 5.18 matched it
		if st := e.parseOptions(cmd, opts, legacyORCUsage, args[1:]); st != proceed {
			return nil, st
		}
		l.apply(&cmd.opts, true)
		return cmd, proceed
	case len(args) > 2 && args[1] == "dump":
		cmd.opts.Dump = true
		cmd.files = args[2:]
		return cmd, proceed
	}
	return nil, e.parser(opts, nil, legacyORCUsage, args).usageWithOptions("")
}

// apply maps the old options onto 6.12's, for "orc generate" if orc is set
// and for "check" otherwise. It reports whether ORC is set only to validate
// (check --no-fp), which needs no --dry-run.
func (l legacyOptions) apply(o *check.Options, orc bool) (validateOnly bool) {
	o.Link = o.Link || l.lto || l.vmlinux
	o.Stackval = !l.noFP
	if orc || l.noFP {
		o.ORC = true
		return !orc
	}
	return false
}
