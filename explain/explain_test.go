package explain

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/arch/arm64"
	"github.com/objcheck/objcheck/arch/ppc64"
	"github.com/objcheck/objcheck/arch/x86"
	"github.com/objcheck/objcheck/cfg"
	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
)

// TestMatch checks the glob of --trace, --graph and --disas.
func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		pattern, name string
		want          bool
	}{
		{"f", "f", true},
		{"f*", "foo", true},
		{"f?o", "foo", true},
		{"f", "foo", false},
		{"[", "[", true}, // malformed: matches itself
		{"[", "x", false},
	} {
		if got := Match(tt.pattern, tt.name); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

// TestFallback checks what undecodable bytes print as, by arch.
func TestFallback(t *testing.T) {
	le := binary.LittleEndian
	for _, tt := range []struct {
		arch *arch.Arch
		code []byte
		want string
	}{
		{x86.New(), []byte{0xf2, 0x0f}, ".byte 0xf2, 0x0f"},
		{arm64.New(), []byte{1, 0, 0, 0}, ".inst 0x00000001"},
		{ppc64.New(le), []byte{0, 0, 0, 0x60}, ".long 0x60000000"},
	} {
		sx := tt.arch.Syntax
		if got := fallbackText(sx.Fallback, sx.Word, tt.code, le); got != tt.want {
			t.Errorf("%s: fallbackText(% x) = %q, want %q", tt.arch.Name, tt.code, got, tt.want)
		}
	}
}

// TestStateFormat checks the state notation of each arch.
func TestStateFormat(t *testing.T) {
	x86 := x86.New()
	arm := arm64.New()
	st := &check.TraceState{StackState: check.StackState{CFA: check.StateLoc{Base: 4, Offset: 16},
		StackSize: 16, Type: 2, Saved: []check.SavedReg{{Reg: 5, At: check.StateLoc{Base: -2, Offset: -16}}}}}
	if got, want := newStateFormat(x86).format(st), "cfa=rsp+16 size=16 rbp@cfa-16"; got != want {
		t.Errorf("x86: %q, want %q", got, want)
	}
	lr := &check.TraceState{StackState: check.StackState{CFA: check.StateLoc{Base: 31}, Type: 2}, RAIn: []int{10}}
	if got, want := newStateFormat(arm).format(lr), "cfa=sp+0 size=0 ra-in-x30 ra-copy-in-x10"; got != want {
		t.Errorf("arm64: %q, want %q", got, want)
	}
	if got := newStateFormat(x86).format(&check.TraceState{Undefined: true}); got != "cfa=undef" {
		t.Errorf("undefined: %q", got)
	}
}

// TestDotEscape checks that labels stay one DOT string.
func TestDotEscape(t *testing.T) {
	if got, want := dotEscape("a\"b\\c\nd"), `a\"b\\c\ld`; got != want {
		t.Errorf("dotEscape = %q, want %q", got, want)
	}
}

// TestRecorder runs the checker with a Recorder over a fixture and checks
// that the trace and the graph say where the warning fires.
func TestRecorder(t *testing.T) {
	f, err := decode.Open("../testdata/x86/stack.o")
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder("mismatch_cfa", "mismatch_cfa")
	res := check.Run(f, &check.Options{Stackval: true, DryRun: true, Tracer: rec})
	var trace, graph bytes.Buffer
	rec.WriteTrace(&trace, res.Diagnostics)
	if n := rec.WriteGraphs(&graph, res.Diagnostics); n != 1 {
		t.Fatalf("%d graphs, want 1", n)
	}
	for _, want := range []string{
		"mismatch_cfa+0x2 jump -> mismatch_cfa+0x5",
		"back at mismatch_cfa+0x2: fall-through -> mismatch_cfa+0x4",
		"WARNING mismatch_cfa+0x5: stack state mismatch: cfa1=4+8 cfa2=4+16",
		"state 1, recorded first: cfa=rsp+8 size=8 ra@cfa-8",
		"state 2, arriving now:   cfa=rsp+16 size=16 ra@cfa-8",
	} {
		if !strings.Contains(trace.String(), want) {
			t.Errorf("trace lacks %q:\n%s", want, trace.String())
		}
	}
	if !strings.Contains(graph.String(), `label="arriving: cfa=rsp+16 size=16 ra@cfa-8"`) ||
		!strings.Contains(graph.String(), "color=red") {
		t.Errorf("graph marks no warning:\n%s", graph.String())
	}
}

// TestDisasSwitch checks that a switch jump lists its cases.
func TestDisasSwitch(t *testing.T) {
	f, err := decode.Open("../testdata/x86/clean.o")
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Build(f, check.GraphOptions(&check.Options{Stackval: true}))
	var out bytes.Buffer
	if n := (&Disassembler{Prog: p}).Disas(&out, "switch_table"); n != 1 {
		t.Fatalf("%d functions, want 1", n)
	}
	if got := strings.Count(out.String(), "switch case -> switch_table+0x"); got != 3 {
		t.Errorf("%d switch cases, want 3:\n%s", got, out.String())
	}
}

// TestObjdumpDest checks that a direct branch's destination is printed as
// objdump prints it, from each printer's absolute and relative forms.
func TestObjdumpDest(t *testing.T) {
	for _, tt := range []struct {
		text string
		base uint64
		want string
	}{
		{"je 0x32", 0x30, "je 32"},                        // x86, absolute
		{"jmpq .+0x0", 5, "jmpq 5"},                       // x86 at offset 0: from the next instruction
		{"b.eq .+0x10", 0x40, "b.eq 50"},                  // arm64, from this instruction
		{"cbz x0, .-0x8", 0x40, "cbz x0, 38"},             // arm64, backwards
		{"beq cr1,0x168", 0x160, "beq cr1,168"},           // ppc64, absolute
		{"bdnz .+0x0", 0x14, "bdnz 14"},                   // ppc64, relative
		{"jmp *(%rax)", 0, "jmp *(%rax)"},                 // no destination
		{"tbz w0, #0x3, .+0x8", 0x10, "tbz w0, #0x3, 18"}, // immediates before it stay
	} {
		if got := objdumpDest(tt.text, tt.base); got != tt.want {
			t.Errorf("objdumpDest(%q, %#x) = %q, want %q", tt.text, tt.base, got, tt.want)
		}
	}
}
