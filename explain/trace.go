package explain

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/objcheck/objcheck/cfg"
	"github.com/objcheck/objcheck/check"
)

// A Recorder is the check.Tracer of --trace and --graph: it writes the
// trace of the functions matching its trace pattern as the walk goes, and
// keeps the states and warnings of those matching its graph pattern for
// Graph. One Recorder serves one check.Run.
type Recorder struct {
	trace, graph string
	dis          *Disassembler
	sf           stateFormat
	out          bytes.Buffer
	// frames are the paths under way, the innermost last.
	frames []*frame
	// seen counts the diagnostics already shown.
	seen int
	// fn is the function of the walk under way; tracing says whether it
	// is traced.
	fn      *cfg.Symbol
	tracing bool
	funcs   map[*cfg.Symbol]*funcRecord
	// shown holds the messages of the warnings shown in the walks.
	shown map[string]bool
}

// A frame is one path of the walk.
type frame struct {
	from, cur, prev *cfg.Insn
	// pending is the instruction arrived at whose line waits for its
	// state after; flushed says its line was printed before that.
	pending  *check.TraceState
	flushed  bool
	branched bool
}

// A funcRecord is what a graph shows of a function's walk.
type funcRecord struct {
	states map[*cfg.Insn]*check.TraceState
	warns  []warnMark
}

// A warnMark is a warning that fired in a walk: at an instruction, on
// arrival from another one (nil when it fired at the instruction itself).
type warnMark struct {
	at, from *cfg.Insn
	msg      string
	// got is the arriving state of a mismatch, "" for other warnings.
	got string
}

// NewRecorder returns a Recorder tracing the functions that match trace
// and recording for a graph those that match graph ("" matches none).
func NewRecorder(trace, graph string) *Recorder {
	return &Recorder{trace: trace, graph: graph, funcs: map[*cfg.Symbol]*funcRecord{},
		shown: map[string]bool{}}
}

// Traces implements check.Tracer.
func (r *Recorder) Traces(fn *cfg.Symbol) bool {
	if fn == nil {
		return false
	}
	if fn != r.fn {
		r.fn = fn
		r.tracing = r.trace != "" && Match(r.trace, fn.Name)
		if r.graph != "" && Match(r.graph, fn.Name) && r.funcs[fn] == nil {
			r.funcs[fn] = &funcRecord{states: map[*cfg.Insn]*check.TraceState{}}
		}
	}
	return r.tracing || r.funcs[fn] != nil
}

// Path implements check.Tracer.
func (r *Recorder) Path(p *cfg.Program, fn *cfg.Symbol, in *cfg.Insn, reported int) {
	r.UseProgram(p)
	f := &frame{}
	if len(r.frames) == 0 {
		r.seen = max(r.seen, reported)
		what := "unwind hint"
		if p.Sec(in) == fn.Sec && uint64(in.Off) == fn.Offset {
			what = "entry"
		}
		r.printf("walk of %s from its %s %s\n", fn.Name, what, insnName(r.dis.Prog, in))
	} else {
		top := r.top()
		r.flush(top, "alternatives first")
		top.branched = true
		f.from = top.cur
		r.printf("%s %s -> %s\n", insnName(r.dis.Prog, top.cur), edgeStyles[edgeTo(r.dis.Prog, top.cur, in)].label, insnName(r.dis.Prog, in))
	}
	r.frames = append(r.frames, f)
}

// Arrive implements check.Tracer.
func (r *Recorder) Arrive(in *cfg.Insn, st *check.TraceState) {
	f := r.top()
	if f == nil {
		return
	}
	if f.branched && f.cur != nil {
		r.printf("back at %s: fall-through -> %s\n", insnName(r.dis.Prog, f.cur), insnName(r.dis.Prog, in))
	}
	f.prev, f.cur, f.pending, f.flushed, f.branched = f.cur, in, st, false, false
	if rec := r.funcs[r.fn]; rec != nil && rec.states[in] == nil {
		rec.states[in] = st
	}
}

// Insn implements check.Tracer.
func (r *Recorder) Insn(in *cfg.Insn, after *check.TraceState) {
	f := r.top()
	if f == nil || f.cur != in {
		return
	}
	if f.flushed {
		r.printf("back at %s after its alternatives: %s\n", insnName(r.dis.Prog, in), r.sf.format(after))
	} else {
		r.insnLine(in, after, "")
	}
	f.pending, f.flushed, f.branched = nil, true, false
}

// flush prints the line of the instruction arrived at before its state
// after is known, with the state on arrival.
func (r *Recorder) flush(f *frame, why string) {
	if f.cur == nil || f.flushed {
		return
	}
	r.insnLine(f.cur, f.pending, "on arrival, "+why)
	f.flushed = true
}

// insnLine prints one visited instruction with a state.
func (r *Recorder) insnLine(in *cfg.Insn, st *check.TraceState, note string) {
	state := r.sf.format(st)
	if note != "" {
		state = "(" + note + ") " + state
	}
	r.printf("%-16s %-36s %s\n", insnName(r.dis.Prog, in), r.dis.Text(in), state)
}

// stopTexts say why a path stops.
var stopTexts = [...]string{
	check.StopVisited:       "already visited with the same state: path ends",
	check.StopWarning:       "warning: path ends",
	check.StopPropagated:    "a warning further on ended this path",
	check.StopReturn:        "return: path ends",
	check.StopSibling:       "sibling call: path leaves the function",
	check.StopJump:          "unconditional jump: its destination was walked, path ends",
	check.StopDynamicJump:   "dynamic jump: its cases were walked, path ends",
	check.StopDeadEnd:       "dead end: path ends",
	check.StopEndOfSection:  "end of section with an undefined state: path ends",
	check.StopNextFunction:  "runs into the next function: path ends",
	check.StopAltReplaces:   "an alternative replaces the original: path ends",
	check.StopContextSwitch: "context switch: path ends",
	check.StopOther:         "path ends",
}

// Stop implements check.Tracer.
func (r *Recorder) Stop(s *check.TraceStop) {
	f := r.top()
	if f == nil {
		return
	}
	defer func() { r.frames = r.frames[:len(r.frames)-1] }()
	arriving := f.cur != s.At
	if !arriving {
		r.flush(f, "stops here")
	}
	var fresh []check.Diagnostic
	if r.seen < len(s.Diags) {
		fresh = s.Diags[r.seen:]
		r.seen = len(s.Diags)
	}
	reason := s.Reason
	if reason == check.StopWarning && len(fresh) == 0 {
		reason = check.StopPropagated
	}
	where := insnName(r.dis.Prog, s.At)
	if arriving {
		where = "-> " + where
	}
	r.printf("%s: %s\n", where, stopText(reason))
	from := f.cur
	if !arriving {
		from = nil
	} else if from == nil {
		from = f.from
	}
	for _, d := range fresh {
		r.warning(s, from, d)
		r.shown[d.Message] = true
	}
}

func stopText(s check.StopReason) string {
	if int(s) < len(stopTexts) {
		return stopTexts[s]
	}
	return "path ends"
}

// warning prints a warning where it fires, with both states of a
// mismatch, and records it for the graph.
func (r *Recorder) warning(s *check.TraceStop, from *cfg.Insn, d check.Diagnostic) {
	note := ""
	if d.Hidden {
		note = " (not printed: the function has a warning already)"
	}
	r.printf("WARNING %s%s\n", d.Message, note)
	if s.Had != nil && s.Got != nil {
		r.printf("  state 1, recorded first: %s\n", r.sf.format(s.Had))
		r.printf("  state 2, arriving now:   %s\n", r.sf.format(s.Got))
	}
	if rec := r.funcs[r.fn]; rec != nil {
		at := s.At
		if f := r.dis.Prog.Func(at); f != nil && r.fn != nil && f.Pfunc != r.fn.Pfunc && from != nil {
			at, from = from, nil // fell into the next function: mark where it left this one
		}
		m := warnMark{at: at, from: from, msg: d.Message}
		if s.Got != nil {
			m.got = r.sf.format(s.Got)
		}
		rec.warns = append(rec.warns, m)
	}
}

// printf writes one trace line, indented by the depth of the path, when
// the walk is traced.
func (r *Recorder) printf(format string, args ...any) {
	if !r.tracing {
		return
	}
	r.out.WriteString(strings.Repeat("  ", len(r.frames)))
	fmt.Fprintf(&r.out, format, args...)
}

func (r *Recorder) top() *frame {
	if len(r.frames) == 0 {
		return nil
	}
	return r.frames[len(r.frames)-1]
}

// WriteTrace writes the trace to w, then the diagnostics about traced
// functions that fired outside their walks (unreachable code, the
// retpoline and straight-line-speculation passes), from all the
// diagnostics of the run.
func (r *Recorder) WriteTrace(w io.Writer, diags []check.Diagnostic) {
	w.Write(r.out.Bytes())
	if r.trace == "" {
		return
	}
	for _, d := range diags {
		if d.Loc != nil && d.Loc.Func != "" && Match(r.trace, d.Loc.Func) && !r.shown[d.Message] {
			fmt.Fprintf(w, "outside the walks: WARNING %s\n", d.Message)
		}
	}
	if r.out.Len() == 0 {
		fmt.Fprintf(w, "objcheck: --trace=%s: no function walked matches\n", r.trace)
	}
}
