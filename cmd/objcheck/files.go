package main

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
)

// exitPanic is the status of a file whose check panicked, as Go's own
// status for an unrecovered panic.
const exitPanic = 2

// A fileResult is what checking one file printed, and its exit status.
type fileResult struct {
	stdout, stderr bytes.Buffer
	status         int
	// report holds the diagnostics for --format=json and sarif.
	report *fileReport
}

// checkFiles checks cmd.files and writes each file's output as soon as it
// and every file before it are done, so the output is what checking them
// one at a time would print. Each file's stderr goes before its stdout, as
// with objtool, whose stdout is flushed at exit. The status is the first
// non-zero one in argument order.
func (c *cli) checkFiles(cmd *command, e *env) int {
	status := 0
	out := newSink(cmd.extra.format)
	c.eachResult(cmd, func(r *fileResult) {
		e.stderr.Write(r.stderr.Bytes())
		e.stdout.Write(r.stdout.Bytes())
		out.add(r)
		if status == 0 {
			status = r.status
		}
	})
	out.finish(e.stdout)
	return status
}

// eachResult checks cmd.files with up to cmd.extra.jobs workers and calls
// emit with each file's result, in argument order, as soon as it and every
// file before it are done. A single file, as kbuild gives, is checked on
// this goroutine: workers, and the threads woken to run them, would cost
// more than the check of a median object takes.
func (c *cli) eachResult(cmd *command, emit func(*fileResult)) {
	n := len(cmd.files)
	if n == 1 {
		emit(c.checkFile(cmd.files[0], cmd))
		return
	}
	done := make([]chan *fileResult, n)
	for i := range done {
		done[i] = make(chan *fileResult, 1)
	}
	next := make(chan int)
	go func() {
		for i := range n {
			next <- i
		}
		close(next)
	}()
	for range min(jobs(cmd.extra.jobs), n) {
		go func() {
			for i := range next {
				done[i] <- c.checkFile(cmd.files[i], cmd)
			}
		}()
	}
	for _, ch := range done {
		emit(<-ch)
	}
}

// jobs is the number of workers for -j n.
func jobs(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// checkFile does for one file what objtool does after validating its
// options. A panic costs this file an error, not the whole run.
func (c *cli) checkFile(path string, cmd *command) (r *fileResult) {
	r = &fileResult{}
	opts := cmd.opts // this file's own copy: --link may be forced on it
	format := cmd.extra.format
	defer func() {
		if x := recover(); x != nil {
			r.fail(path, format, check.RuleInternalError, fmt.Sprintf("internal error: %v", x),
				fmt.Sprintf("%s: error: objcheck: internal error: %v\n%s", path, x, debug.Stack()))
			r.status = exitPanic
		}
	}()
	many := len(cmd.files) > 1
	if opts.Dump {
		nameLines(&r.stderr, path, many, func(w *bytes.Buffer) bool {
			r.status = c.dumpFile(path, &r.stdout, w)
			return true
		})
		return r
	}
	open := c.open
	if !many && c.openOne != nil {
		open = c.openOne
	}
	f, err := open(path)
	if err != nil {
		r.status = r.openFailed(path, format, err)
		return r
	}
	if opts.Stats {
		check.ELFStats(r.statsOut(format), f)
	}
	if opts.Backup && !nameLines(&r.stderr, path, many, func(w *bytes.Buffer) bool { return backup(w, path, f.Data) }) {
		r.status = 1
		return r
	}
	if !nameLines(&r.stderr, path, many, func(w *bytes.Buffer) bool { return fileOptsValid(f, &opts, w) }) {
		r.status = 1
		return r
	}
	opts.AfterBuild = collectAfterBuild(many, len(f.Data), runtime.GC)
	res := cmd.extra.explain.check(c.check, f, &opts, &r.stdout, &r.stderr)
	cmd.base.filter(path, res, cmd.extra.werror, opts.Verbose)
	r.record(f, res, format)
	disassemble(&r.stdout, &r.stderr, path, cmd.crossCompile, res.Disas, cmd.extra.werror && res.Status != 0)
	r.status = res.Status
	if cmd.orcValidateOnly {
		res.Plan.DropORC()
	}
	if res.Status == 0 && !opts.DryRun && res.Plan.Changes() {
		collectBeforeWrite(many, len(f.Data), runtime.GC)
		if err := writeObject(path, f, res.Plan); err != nil {
			r.fail(path, format, check.RuleWriteFailed, fmt.Sprintf("can't write the object: %v", err),
				fmt.Sprintf("%s: error: objcheck: can't write the object: %v\n", path, err))
			r.status = exitWrite
		}
	}
	return r
}

// nameLines runs step, which prints to its buffer, and copies what it
// printed to w. When the call checks several objects (many) each line that
// does not start with the object's path gets it in front, "path: ", so
// that every line names its object; with one object the lines are
// objtool's, which name none ("error: objtool: Linked object detected,
// forcing --link").
func nameLines(w *bytes.Buffer, path string, many bool, step func(*bytes.Buffer) bool) bool {
	var out bytes.Buffer
	ok := step(&out)
	prefix := path + ": "
	for line := range bytes.Lines(out.Bytes()) {
		if many && !bytes.HasPrefix(line, []byte(prefix)) {
			w.WriteString(prefix)
		}
		w.Write(line)
	}
	return ok
}

// openError prints why path could not be read and returns the exit status:
// a system error in elf_open_read's words, a malformed object in one line.
func openError(w *bytes.Buffer, path string, err error) int {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		fmt.Fprintf(w, "objtool: Can't open '%s': %s\n", path, strerror(errno))
	} else {
		fmt.Fprintf(w, "%s: error: objtool: %v\n", path, err)
	}
	return 1
}

// strerror is C's strerror: Go's text for the error with a capital letter.
func strerror(errno syscall.Errno) string {
	s := errno.Error()
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// fileOptsValid makes objtool's checks of the options that depend on the
// object (mnop_opts_valid, link_opts_valid). A linked object, one with more
// than one STT_FILE symbol, forces --link in opts.
func fileOptsValid(f *decode.File, opts *check.Options, w *bytes.Buffer) bool {
	if opts.Mnop && !opts.Mcount {
		fmt.Fprintln(w, "error: objtool: --mnop requires --mcount")
		return false
	}
	if opts.Link {
		return true
	}
	if fileSymbols(f) > 1 {
		fmt.Fprintln(w, "error: objtool: Linked object detected, forcing --link")
		opts.Link = true
		return true
	}
	for _, o := range []struct {
		set  bool
		name string
	}{{opts.Noinstr, "--noinstr"}, {opts.IBT, "--ibt"}, {opts.Unret, "--unret"}} {
		if o.set {
			fmt.Fprintf(w, "error: objtool: %s requires --link\n", o.name)
			return false
		}
	}
	return true
}

// fileSymbols counts the STT_FILE symbols of f.
func fileSymbols(f *decode.File) int {
	n := 0
	for _, s := range f.Symbols {
		if s != nil && s.Type == elf.STT_FILE {
			n++
		}
	}
	return n
}
