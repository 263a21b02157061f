// Command objcheck validates Linux kernel object files for x86-64, arm64 and
// ppc64 as objtool does. It is a drop-in for kbuild's
//
//	tools/objtool/objtool <actions> [<options>] file.o
//
// of Linux 6.12: same options, same usage and error texts, same exit
// statuses. It also accepts several files, checked in parallel, the
// subcommand forms of objtool before 5.19 ("objtool check ...", "objtool
// orc generate ..."), and options of its own (objcheck --objcheck-help).
//
// The writing actions write what objtool writes, byte for byte, through a
// temporary file renamed over the object.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/orcdump"
)

func main() {
	c := &cli{open: decode.Open, openOne: decode.OpenMapped, check: check.Run, tuneGC: true}
	e := &env{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr, ownHelp: ownHelp(os.Args[0])}
	os.Exit(c.run(os.Args[1:], e))
}

// runAs is run for the program named prog (argv[0]): installed as
// objtool, its --help is objtool's alone; under any other name it lists
// objcheck's own options after objtool's. Unlike main it leaves the
// garbage collector as it is: the caller is a process with more to do.
func runAs(prog string, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	c := &cli{open: decode.Open, check: check.Run}
	return c.run(args, &env{getenv: getenv, stdout: stdout, stderr: stderr, ownHelp: ownHelp(prog)})
}

// ownHelp reports whether the program named prog lists objcheck's own
// options in its --help: unless it is installed as objtool.
func ownHelp(prog string) bool {
	return prog != "" && filepath.Base(prog) != "objtool"
}

// run runs the command on args (without the program name) and returns its
// exit status. getenv reads OBJTOOL_ARGS and OBJTOOL_VERBOSE.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return runAs("", args, getenv, stdout, stderr)
}

// A cli is the command with the two steps it runs on each file. Tests
// replace them. With several files both are called from several goroutines
// at once; checkFiles gives the checks a lock for what is not safe for
// that (the arm64 and ppc64 instruction decoders).
type cli struct {
	open  func(path string) (*decode.File, error)
	check func(f *decode.File, opts *check.Options) *check.Result
	// openOne, if not nil, replaces open when the call checks one file:
	// main maps it (decode.OpenMapped), a mapping that lasts until the
	// process exits.
	openOne func(path string) (*decode.File, error)
	// dump prints an object's ORC table (--dump); nil is orcdump.Dump.
	dump func(path string, stdout, stderr io.Writer) int
	// tuneGC sizes the collector for the files (see tuneGC); tests,
	// which run many commands in one process, leave it alone.
	tuneGC bool
}

// dumpFile runs --dump on one file.
func (c *cli) dumpFile(path string, stdout, stderr io.Writer) int {
	if c.dump == nil {
		return orcdump.Dump(path, stdout, stderr)
	}
	return c.dump(path, stdout, stderr)
}

// An env is what the command runs in.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
	// ownHelp makes --help list objcheck's own options after objtool's.
	ownHelp bool
}

// A command is a parsed command line.
type command struct {
	opts  check.Options
	extra extraOptions
	files []string
	// orcValidateOnly is set for the old "check --no-fp", which sets ORC to
	// validate the stack state but generates no ORC data.
	orcValidateOnly bool
	// crossCompile is $CROSS_COMPILE, the prefix of the objdump that
	// --verbose runs.
	crossCompile string
	// base applies --baseline, --write-baseline and --werror; nil without them.
	base *baseline
}

// proceed is returned instead of an exit status when the command goes on.
const proceed = -1

// run parses the command line, validates the options as objtool does, and
// checks the files.
func (c *cli) run(args []string, e *env) int {
	var cmd *command
	st := proceed
	if len(args) > 0 && (args[0] == "check" || args[0] == "orc") {
		cmd, st = e.parseLegacy(args)
	} else {
		cmd, st = e.parseObjtool(args)
	}
	if st != proceed {
		return st
	}
	if cmd.extra.explain.any() && !hasAction(&cmd.opts) && !cmd.opts.Dump {
		cmd.opts.Stackval = true // what is explained is the stack validation
	}
	if !optsValid(&cmd.opts, e.stderr) {
		return 1
	}
	if cmd.opts.Verbose {
		cmd.opts.Backtrace = true
	}
	cmd.crossCompile = e.getenv("CROSS_COMPILE")
	if c.tuneGC {
		tuneGC(len(cmd.files), e.getenv)
	}
	var ok bool
	if cmd.base, ok = newBaseline(&cmd.extra, e.stderr); !ok {
		return 1
	}
	return cmd.base.finish(c.checkFiles(cmd, e), e.stderr)
}

// Usage lines of objtool 6.12.
var (
	objtoolUsage = []string{"objtool <actions> [<options>] file.o"}
	envUsage     = []string{`OBJTOOL_ARGS="<options>"`}
)

// parseObjtool parses a 6.12 command line.
func (e *env) parseObjtool(args []string) (*command, int) {
	cmd := &command{}
	opts := table(objtoolFlags(&cmd.opts))
	argv := append([]string{"objtool"}, args...)
	if st := e.parseOptions(cmd, opts, objtoolUsage, argv); st != proceed {
		return nil, st
	}
	return cmd, proceed
}

// parseOptions is objtool's cmd_parse_options: it parses OBJTOOL_ARGS, then
// argv (argv[0] is the program or subcommand name), with the option table
// opts and objcheck's own options, and sets cmd.files. Unlike objtool it
// accepts more than one file.
func (e *env) parseOptions(cmd *command, opts []*option, usage, argv []string) int {
	extra := table(objcheckFlags(&cmd.opts, &cmd.extra))
	envParser := &parser{opts: opts, extra: extra, usage: envUsage, args: envArgv(e.getenv("OBJTOOL_ARGS")),
		stdout: e.stdout, stderr: e.stderr}
	if _, st := envParser.parse(); st != proceed {
		return st
	}
	if e.getenv("OBJTOOL_VERBOSE") == "1" {
		cmd.opts.Verbose = true
	}
	p := e.parser(opts, extra, usage, argv)
	files, st := p.parse()
	switch {
	case st != proceed:
		return st
	case cmd.extra.help:
		printObjcheckHelp(e.stdout, extra)
		return 0
	case len(files) == 0:
		return p.usageWithOptions("")
	}
	cmd.files = files
	return proceed
}

func (e *env) parser(opts, extra []*option, usage, argv []string) *parser {
	return &parser{opts: opts, extra: extra, usage: usage, args: newArgv(argv), stdout: e.stdout, stderr: e.stderr,
		ownHelp: e.ownHelp}
}

// optsValid is objtool's opts_valid(): some action is required, and --dump
// goes alone. --cfi, --prefix, --unret and --hacks=skylake are not actions
// on their own.
func optsValid(o *check.Options, stderr io.Writer) bool {
	if hasAction(o) {
		if o.Dump {
			fmt.Fprintln(stderr, "error: objtool: --dump can't be combined with other actions")
			return false
		}
		return true
	}
	if o.Unret && !o.Rethunk {
		fmt.Fprintln(stderr, "error: objtool: --unret requires --rethunk")
		return false
	}
	if o.Dump {
		return true
	}
	fmt.Fprintln(stderr, "error: objtool: At least one action required")
	return false
}

// hasAction reports whether o asks for one of objtool's actions.
func hasAction(o *check.Options) bool {
	return o.HacksJumpLabel || o.HacksNoinstr || o.IBT || o.Mcount || o.Noinstr || o.ORC ||
		o.Retpoline || o.Rethunk || o.SLS || o.Stackval || o.StaticCall || o.Uaccess
}

// printObjcheckHelp prints the help for objcheck's own options and forms.
func printObjcheckHelp(w io.Writer, extra []*option) {
	var opts strings.Builder
	for _, o := range extra {
		optionHelp(&opts, o)
	}
	fmt.Fprintf(w, `Usage: objcheck <actions> [<options>] file.o...
   or: objcheck check [<options>] file.o...
   or: objcheck orc generate [<options>] file.o...
   or: objcheck orc dump file.o...

objcheck takes objtool 6.12's actions and options (objcheck --help lists
them) and these of its own:

%s
--trace, --graph and --disas leave the action's output and exit status as
they are; given without an action, they imply --stackval.

The "check" and "orc" forms take the options of objtool before 5.19.

Several files are checked in parallel. The output is what checking them one
at a time, in argument order, would print, except that every line names
its object, and the exit status is the first non-zero one.

The actions that make objtool rewrite the object (--hacks, --ibt, --mcount,
--orc, --retpoline, --rethunk, --prefix, --static-call, --cfi) write what
objtool writes, byte for byte; objcheck writes a new file beside the object
and renames it over the object, so a failure leaves the input as it was.
--dry-run checks without writing.
`, opts.String())
}
