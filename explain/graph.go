package explain

import (
	"fmt"
	"io"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
	"github.com/objcheck/objcheck/check"
)

// maxOutside bounds the instructions a graph takes from code outside the
// function (an alternative's replacement, an exception fixup) per entry.
const maxOutside = 64

// A block is a basic block of a graph: instructions in path order.
type block struct {
	id    int
	insns []*cfg.Insn
}

// A graph is a function's basic blocks and the edges between them.
type graph struct {
	r      *Recorder
	fn     *cfg.Symbol
	order  []*cfg.Insn
	in     map[*cfg.Insn]bool
	leader map[*cfg.Insn]bool
	blocks []*block
	of     map[*cfg.Insn]*block
}

// UseProgram gives the Recorder the program to graph when no walk went
// through a function it records (the walks hand it theirs otherwise).
func (r *Recorder) UseProgram(p *cfg.Program) {
	if r.dis == nil {
		r.dis = &Disassembler{Prog: p}
		r.sf = newStateFormat(p.Arch)
	}
}

// HasProgram reports whether the Recorder has a program to graph.
func (r *Recorder) HasProgram() bool { return r.dis != nil }

// WriteGraphs writes a DOT graph of every function matching the graph
// pattern, and reports how many it wrote. diags are the diagnostics of
// the run: those about an instruction of a graphed function that no walk
// reported (unreachable code, say) are marked too.
func (r *Recorder) WriteGraphs(w io.Writer, diags []check.Diagnostic) int {
	if r.dis == nil {
		return 0
	}
	n := 0
	for _, fn := range Funcs(r.dis.Prog, r.graph) {
		r.markDiags(fn, diags)
		g := &graph{r: r, fn: fn, in: map[*cfg.Insn]bool{}, leader: map[*cfg.Insn]bool{}, of: map[*cfg.Insn]*block{}}
		g.collect()
		g.split()
		g.write(w)
		n++
	}
	return n
}

// markDiags records the diagnostics about instructions of fn that the
// walks did not report.
func (r *Recorder) markDiags(fn *cfg.Symbol, diags []check.Diagnostic) {
	rec := r.funcs[fn]
	if rec == nil {
		rec = &funcRecord{states: map[*cfg.Insn]*check.TraceState{}}
		r.funcs[fn] = rec
	}
	p := r.dis.Prog
	for _, d := range diags {
		l := d.Loc
		if l == nil || !l.HasOffset || l.SectionIndex <= 0 || l.SectionIndex >= len(p.Sections) {
			continue
		}
		in := p.Find(p.Sections[l.SectionIndex], l.Offset)
		if in == nil {
			continue
		}
		if f := p.Func(in); f == nil || f.Pfunc != fn || rec.warned(d.Message) {
			continue
		}
		rec.warns = append(rec.warns, warnMark{at: in, msg: d.Message})
	}
}

// warned reports whether a warning with message msg is recorded.
func (rec *funcRecord) warned(msg string) bool {
	for _, m := range rec.warns {
		if m.msg == msg {
			return true
		}
	}
	return false
}

// collect gathers the function's instructions, then the code outside it
// its alternatives and exception fixups lead to.
func (g *graph) collect() {
	p := g.r.dis.Prog
	p.FuncInsns(g.fn, func(in *cfg.Insn) bool {
		g.add(in)
		return true
	})
	for i := 0; i < len(g.order); i++ {
		for _, to := range g.targets(g.order[i]) {
			g.addOutside(to)
		}
	}
}

func (g *graph) add(in *cfg.Insn) {
	if !g.in[in] {
		g.in[in] = true
		g.order = append(g.order, in)
	}
}

// addOutside adds the code from an alternative's or fixup's entry to the
// end of its path.
func (g *graph) addOutside(in *cfg.Insn) {
	for n := 0; in != nil && !g.in[in] && n < maxOutside; n++ {
		if f := g.r.dis.Prog.Func(in); g.r.dis.Prog.Sec(in) == g.fn.Sec && (f == nil || f.Pfunc != g.fn.Pfunc) {
			return // out of the function: another one's code
		}
		g.add(in)
		if ends(in) {
			return
		}
		in = g.next(in)
	}
}

// next is the instruction after in on the straight path: after an
// alternative's replacement, the one after the original range.
func (g *graph) next(in *cfg.Insn) *cfg.Insn {
	p := g.r.dis.Prog
	if gr := p.Group(in); gr != nil && gr.Orig != nil {
		if gr.Nop != nil && in == gr.Last {
			return gr.Nop
		}
		if in == gr.Nop || in == gr.Last && gr.Nop == nil {
			return p.Next(gr.Orig.Last)
		}
	}
	return p.Next(in)
}

// ends reports an instruction after which no path goes straight on.
func ends(in *cfg.Insn) bool {
	return in.Kind == arch.Jump || in.Kind == arch.JumpDynamic || in.Kind == arch.Return ||
		in.Has(cfg.DeadEnd)
}

// targets are in's successors other than the next instruction.
func (g *graph) targets(in *cfg.Insn) []*cfg.Insn {
	var out []*cfg.Insn
	p := g.r.dis.Prog
	if d := p.JumpDest(in); d != nil && in.Kind.IsStaticJump() && !p.IsSiblingCall(in) {
		out = append(out, d)
	}
	for _, a := range g.r.dis.Prog.Alts(in) {
		out = append(out, a.Insn)
	}
	return out
}

// split cuts the instructions into basic blocks.
func (g *graph) split() {
	if len(g.order) == 0 {
		return
	}
	g.leader[g.order[0]] = true
	for _, in := range g.order {
		for _, to := range g.targets(in) {
			g.leader[to] = true
		}
		next := g.next(in)
		if next != nil && (ends(in) || len(g.targets(in)) > 0 || in.Kind.IsCall() || next != g.r.dis.Prog.Next(in)) {
			g.leader[next] = true
		}
	}
	var cur *block
	for i, in := range g.order {
		if cur == nil || g.leader[in] || i > 0 && g.next(g.order[i-1]) != in {
			cur = &block{id: len(g.blocks)}
			g.blocks = append(g.blocks, cur)
		}
		cur.insns = append(cur.insns, in)
		g.of[in] = cur
	}
}

// write prints the graph in DOT.
func (g *graph) write(w io.Writer) {
	rec := g.r.funcs[g.fn]
	fmt.Fprintf(w, "digraph %q {\n", g.fn.Name)
	fmt.Fprintf(w, "\tlabel=%q; labelloc=t;\n", g.fn.Name+" ("+g.r.dis.Prog.Arch.Name+")")
	fmt.Fprintln(w, "\tnode [shape=box, fontname=\"monospace\", fontsize=10];")
	fmt.Fprintln(w, "\tedge [fontname=\"monospace\", fontsize=9];")
	for _, b := range g.blocks {
		g.node(w, b, rec)
	}
	for _, b := range g.blocks {
		g.edges(w, b, rec)
	}
	fmt.Fprintln(w, "}")
}

// node prints a block: its entry state, its instructions, and in red the
// warnings that fire in it.
func (g *graph) node(w io.Writer, b *block, rec *funcRecord) {
	var lines []string
	entry := "not visited"
	if rec != nil && rec.states[b.insns[0]] != nil {
		entry = g.r.sf.format(rec.states[b.insns[0]])
	}
	lines = append(lines, "entry: "+entry)
	for _, in := range b.insns {
		lines = append(lines, fmt.Sprintf("%-16s %s", insnName(g.r.dis.Prog, in), g.r.dis.Text(in)))
	}
	attrs := ""
	for _, m := range warnsIn(rec, b) {
		lines = append(lines, "WARNING "+m.msg)
		attrs = `, color=red, fontcolor=red, penwidth=2`
	}
	fmt.Fprintf(w, "\tb%d [label=\"%s\\l\"%s];\n", b.id, dotEscape(strings.Join(lines, "\n")), attrs)
}

// warnsIn returns the warnings that fire in block b.
func warnsIn(rec *funcRecord, b *block) []warnMark {
	if rec == nil {
		return nil
	}
	var out []warnMark
	for _, m := range rec.warns {
		for _, in := range b.insns {
			if m.at == in {
				out = append(out, m)
			}
		}
	}
	return out
}

// edges prints the edges leaving block b, the one a warning fires on in
// red.
func (g *graph) edges(w io.Writer, b *block, rec *funcRecord) {
	last := b.insns[len(b.insns)-1]
	var succ []*cfg.Insn
	if next := g.next(last); next != nil && !ends(last) && g.in[next] {
		succ = append(succ, next)
	}
	succ = append(succ, g.targets(last)...)
	for _, to := range succ {
		tb := g.of[to]
		if tb == nil || tb.insns[0] != to {
			continue
		}
		attrs := edgeStyles[edgeTo(g.r.dis.Prog, last, to)].dot
		if m := warnedEdge(rec, last, to); m != nil {
			label := "warning"
			if m.got != "" {
				label = "arriving: " + m.got
			}
			attrs = fmt.Sprintf(`color=red, fontcolor=red, penwidth=2, label="%s"`, dotEscape(label))
		}
		fmt.Fprintf(w, "\tb%d -> b%d [%s];\n", b.id, tb.id, attrs)
	}
	g.exits(w, b, last)
}

// exits prints a tail call's destination as a node of its own.
func (g *graph) exits(w io.Writer, b *block, last *cfg.Insn) {
	if !last.Kind.IsJump() || !g.r.dis.Prog.IsSiblingCall(last) {
		return
	}
	name := "tail call"
	if d := g.r.dis.Prog.CallDest(last); d != nil {
		name += " " + d.Name
	}
	fmt.Fprintf(w, "\tx%d [label=%q, shape=plaintext];\n\tb%d -> x%d [style=dashed];\n", b.id, name, b.id, b.id)
}

// warnedEdge returns the warning that fired on arrival over from -> to,
// or nil.
func warnedEdge(rec *funcRecord, from, to *cfg.Insn) *warnMark {
	if rec == nil {
		return nil
	}
	for i, m := range rec.warns {
		if m.at == to && m.from == from {
			return &rec.warns[i]
		}
	}
	return nil
}

// dotEscape escapes text for a DOT string whose lines end left-aligned.
func dotEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\l`)
	return r.Replace(s)
}
