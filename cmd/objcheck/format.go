package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"syscall"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
)

// An outputFormat is how the diagnostics are printed (--format).
type outputFormat uint8

// The formats: objtool's text lines on stderr (the default), one JSON
// object per diagnostic per line on stdout, or one SARIF 2.1.0 log on
// stdout for the whole call.
const (
	formatText outputFormat = iota
	formatJSON
	formatSARIF
)

var formatNames = map[string]outputFormat{"text": formatText, "json": formatJSON, "sarif": formatSARIF}

// formatValue is --format=<text,json,sarif>; a bare --format, or
// --no-format, is the text.
type formatValue struct{ p *outputFormat }

func (v formatValue) String() string { return "" }
func (formatValue) Type() string     { return "string" }

func (v formatValue) Set(s string) error {
	f, ok := formatNames[s]
	if !ok {
		return strconv.ErrSyntax
	}
	*v.p = f
	return nil
}

func (v formatValue) SetNone() error {
	*v.p = formatText
	return nil
}

// A fileDiag is one diagnostic of a file with what the renderings add to
// it: the place in the source that .debug_line maps it to.
type fileDiag struct {
	check.Diagnostic
	src *srcPos
}

// A fileReport is what a file's check found, for the renderings other
// than the text: its diagnostics in order, with their sources.
type fileReport struct {
	path  string
	arch  string
	diags []fileDiag
}

// record keeps what checking f gave: with the text format, the lines;
// otherwise the diagnostics, rendered as JSON lines at once (the stats
// objtool prints on stdout go to stderr, so that stdout holds only JSON).
func (r *fileResult) record(f *decode.File, res *check.Result, format outputFormat) {
	if format == formatText {
		r.stderr.Write(res.Stderr)
		r.stdout.Write(res.Stdout)
		return
	}
	r.stderr.Write(res.Stdout)
	rep := r.reportFor(f.Name, f)
	var lines *lineTable
	for i := range res.Diagnostics {
		d := &res.Diagnostics[i]
		if d.Hidden {
			continue
		}
		fd := fileDiag{Diagnostic: *d}
		if d.Loc != nil && d.Loc.SectionIndex > 0 && d.Loc.HasOffset {
			if lines == nil {
				lines = readLines(f)
			}
			fd.src = lines.find(d.Loc.SectionIndex, d.Loc.Offset)
		}
		rep.diags = append(rep.diags, fd)
	}
	if format == formatJSON {
		writeJSONLines(&r.stdout, rep)
	}
}

// reportFor returns the file's report, made on first use.
func (r *fileResult) reportFor(path string, f *decode.File) *fileReport {
	if r.report == nil {
		r.report = &fileReport{path: path}
	}
	if f != nil && f.Arch != nil {
		r.report.arch = f.Arch.Name
	}
	return r.report
}

// fail reports an error about the file that is not the checker's: the
// text line with the text format, else a diagnostic of the rule.
func (r *fileResult) fail(path string, format outputFormat, rule check.Rule, msg, text string) {
	if format == formatText {
		r.stderr.WriteString(text)
		return
	}
	rep := r.reportFor(path, nil)
	d := fileDiag{Diagnostic: check.Diagnostic{Rule: rule, Severity: check.SeverityError, Fatal: true, Message: msg}}
	rep.diags = append(rep.diags, d)
	if format == formatJSON {
		// Only this diagnostic: an earlier part of the file's output,
		// if any, was already written.
		writeJSONLines(&r.stdout, &fileReport{path: rep.path, arch: rep.arch, diags: []fileDiag{d}})
	}
}

// openFailed reports why path could not be read, as openError does, and
// returns the exit status.
func (r *fileResult) openFailed(path string, format outputFormat, err error) int {
	if format == formatText {
		return openError(&r.stderr, path, err)
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg := fmt.Sprintf("Can't open '%s': %s", path, strerror(errno))
		r.fail(path, format, check.RuleCannotOpen, msg, "")
		return 1
	}
	rule := check.ClassifyMessage(err.Error())
	if rule == check.RuleUnclassified {
		rule = check.RuleBadObject
	}
	r.fail(path, format, rule, err.Error(), "")
	return 1
}

// A sink receives each file's result in argument order and writes what
// the whole call prints at its end.
type sink interface {
	add(r *fileResult)
	finish(w io.Writer)
}

// newSink returns the sink of a format: the SARIF log, or nothing.
func newSink(format outputFormat) sink {
	if format == formatSARIF {
		return &sarifSink{}
	}
	return nopSink{}
}

type nopSink struct{}

func (nopSink) add(*fileResult)  {}
func (nopSink) finish(io.Writer) {}
