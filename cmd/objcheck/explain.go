package main

import (
	"fmt"
	"io"

	"github.com/objcheck/objcheck/cfg"
	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/explain"
)

// explainOptions are --trace, --graph and --disas: the functions (names
// or path.Match globs) to show the checker's walk, graph or disassembly
// of; "" for none.
type explainOptions struct {
	trace, graph, disas string
}

// any reports whether some function is to be explained.
func (x *explainOptions) any() bool { return x.trace != "" || x.graph != "" || x.disas != "" }

// check runs the check of f with opts, and, as the options ask, writes
// the trace of the walk to stderr and the graph and disassembly to stdout
// before the check's own output. What the check prints and its status do
// not change.
func (x *explainOptions) check(run func(*decode.File, *check.Options) *check.Result, f *decode.File,
	opts *check.Options, stdout, stderr io.Writer) *check.Result {
	if !x.any() {
		return run(f, opts)
	}
	var rec *explain.Recorder
	if x.trace != "" || x.graph != "" {
		rec = explain.NewRecorder(x.trace, x.graph)
		opts.Tracer = rec
		defer func() { opts.Tracer = nil }()
	}
	res := run(f, opts)
	var prog *cfg.Program
	program := func() *cfg.Program {
		if prog == nil {
			prog = cfg.Build(f, check.GraphOptions(opts))
		}
		return prog
	}
	if x.disas != "" {
		d := &explain.Disassembler{Prog: program()}
		if d.Disas(stdout, x.disas) == 0 {
			fmt.Fprintf(stderr, "objcheck: --disas=%s: no function matches\n", x.disas)
		}
	}
	if rec == nil {
		return res
	}
	if x.trace != "" {
		rec.WriteTrace(stderr, res.Diagnostics)
	}
	if x.graph != "" {
		if !rec.HasProgram() {
			rec.UseProgram(program())
		}
		if rec.WriteGraphs(stdout, res.Diagnostics) == 0 {
			fmt.Fprintf(stderr, "objcheck: --graph=%s: no function matches\n", x.graph)
		}
	}
	return res
}
