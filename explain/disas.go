// Package explain renders what the checker sees and does, to show a
// developer why a warning fires: a function's disassembly (--disas), the
// walk of the checker through it (--trace) and its graph of basic blocks
// in Graphviz's DOT language (--graph). It formats; the checker hands it
// values through check.Tracer and never formats any of this itself.
package explain

import (
	"encoding/binary"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"golang.org/x/arch/arm64/arm64asm"
	"golang.org/x/arch/ppc64/ppc64asm"
	"golang.org/x/arch/x86/x86asm"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

// A syntax renders the instruction at the start of code, at offset pc of
// its section, in objdump's syntax; ok is false when the decoder has no
// text for it or reads a length other than n.
type syntax func(code []byte, pc uint64, n int, order binary.ByteOrder) (text string, ok bool)

// syntaxes holds each arch's printer, by arch.Arch.Name; fallback is the
// directive objdump prints for bytes it cannot decode, data the one it
// prints for data in code (a switch table, words a mapping symbol marks),
// and word how it prints a 4-byte word after either, "" on x86, which
// prints bytes; fromNext says that a relative destination the printer
// prints (".+0x10") counts from the next instruction, as on x86, not
// from this one.
var syntaxes = map[string]struct {
	text                 syntax
	fallback, data, word string
	fromNext             bool
}{
	"x86_64":  {x86Text, ".byte", ".byte", "", true},
	"arm64":   {arm64Text, ".inst", ".word", "0x%08x", false},
	"ppc64le": {ppc64Text, ".long", ".long", "0x%x", false},
	"ppc64":   {ppc64Text, ".long", ".long", "0x%x", false},
}

// aliases are the names today's objdump gives where the x/arch printers
// use older or generic ones, by arch: x86's suffixed branches, arm64's
// pointer-authentication and branch-target hints.
var aliases = map[string]map[string]string{
	"x86_64": {"retq": "ret", "callq": "call", "jmpq": "jmp", "leaveq": "leave"},
	"arm64": {"hint #0x19": "paciasp", "hint #0x1b": "pacibsp", "hint #0x1d": "autiasp",
		"hint #0x1f": "autibsp", "hint #0x22": "bti c", "hint #0x24": "bti j", "hint #0x26": "bti jc",
		"hint #0x20": "bti", "hint #0x7": "xpaclri"},
}

// alias renames the mnemonic of text (or the whole text) as objdump does.
func alias(names map[string]string, text string) string {
	if a, ok := names[text]; ok {
		return a
	}
	op, args, found := strings.Cut(text, " ")
	if a, ok := names[op]; ok && found {
		return a + " " + args
	}
	return text
}

func x86Text(code []byte, pc uint64, n int, _ binary.ByteOrder) (string, bool) {
	inst, err := x86asm.Decode(code, 64)
	if err != nil || inst.Len != n {
		return "", false
	}
	return x86asm.GNUSyntax(inst, pc, nil), true
}

func arm64Text(code []byte, _ uint64, n int, _ binary.ByteOrder) (string, bool) {
	inst, err := arm64asm.Decode(code)
	if err != nil || n != 4 {
		return "", false
	}
	return arm64asm.GNUSyntax(inst), true
}

func ppc64Text(code []byte, pc uint64, n int, order binary.ByteOrder) (string, bool) {
	inst, err := ppc64asm.Decode(code, order)
	if err != nil || inst.Len != n {
		return "", false
	}
	return ppc64asm.GNUSyntax(inst, pc), true
}

// A Disassembler renders instructions of one program. The arm64 and ppc64
// decoders of x/arch are not safe for concurrent use: it holds the arch's
// DecodeLock while one decodes.
type Disassembler struct {
	Prog *cfg.Program
}

// Text returns in's disassembly in objdump's syntax, or the directive
// objdump prints for undecodable bytes, with the relocation it carries
// and the direct destination it names.
func (d *Disassembler) Text(in *cfg.Insn) string {
	code := insnBytes(in)
	if code == nil {
		return "nop" // made up to pad a shorter alternative
	}
	sx, known := syntaxes[d.Prog.Arch.Name]
	text, ok := "", false
	if known && !in.Has(cfg.NotCode) {
		if l := d.Prog.Arch.DecodeLock; l != nil {
			l.Lock()
			defer l.Unlock()
		}
		text, ok = sx.text(code, in.Off, int(in.Len), d.Prog.Arch.ByteOrder)
	}
	if !ok {
		text = fallbackText(sx.fallback, sx.word, code, d.Prog.Arch.ByteOrder)
	}
	text = alias(aliases[d.Prog.Arch.Name], strings.Join(strings.Fields(text), " "))
	if ok && (in.Kind.IsStaticJump() || in.Kind == arch.Call) {
		base := in.Off
		if sx.fromNext {
			base += uint64(in.Len)
		}
		text = objdumpDest(text, base)
	}
	if r := d.Prog.Reloc(in); r != nil {
		text += " # " + relocName(r)
	} else if in.HasTarget {
		text += " <" + placeName(in.Sec, uint64(in.Target)) + ">"
	}
	return text
}

// objdumpDest rewrites the destination x/arch prints last in a direct
// branch's text, absolute (x86 "je 0x32", ppc64 "beq 0x168") or relative
// to base (arm64 "b.eq .+0x10", ppc64 "bl .+0x0", x86 at offset 0), as
// objdump prints it: the section offset in bare hex ("je 32").
func objdumpDest(text string, base uint64) string {
	i := strings.LastIndexAny(text, " ,")
	tok := text[i+1:]
	sign := uint64(1)
	switch {
	case strings.HasPrefix(tok, ".+0x"):
		tok = tok[2:]
	case strings.HasPrefix(tok, ".-0x"):
		sign, tok = ^uint64(0), tok[2:]
	case strings.HasPrefix(tok, "0x"):
		base = 0
	default:
		return text
	}
	v, err := strconv.ParseUint(tok[2:], 16, 64)
	if err != nil {
		return text
	}
	return text[:i+1] + strconv.FormatUint(base+sign*v, 16)
}

// insnBytes returns the bytes of in; nil for an instruction made up for an
// alternative.
func insnBytes(in *cfg.Insn) []byte {
	end := in.Off + uint64(in.Len)
	if in.Sec == nil || end > uint64(len(in.Sec.Data)) {
		return nil
	}
	return in.Sec.Data[in.Off:end]
}

// fallbackText prints bytes as objdump does when it cannot decode them or
// they are data: after the directive dir, a word in the format word on the
// fixed-width machines, bytes for x86.
func fallbackText(dir, word string, code []byte, order binary.ByteOrder) string {
	if word != "" && len(code) == 4 {
		return dir + " " + fmt.Sprintf(word, order.Uint32(code))
	}
	var b strings.Builder
	b.WriteString(dir + " ")
	for i, c := range code {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "0x%02x", c)
	}
	return b.String()
}

// relocName names a relocation's target: symbol+addend.
func relocName(r *cfg.Rel) string {
	name := "?"
	if r.Sym != nil {
		name = r.Sym.Name
	}
	if r.Addend == 0 {
		return name
	}
	return fmt.Sprintf("%s%+#x", name, r.Addend)
}

// placeName names an offset of a section as the warnings do: f+0x12 in
// the function around it, else section+0x12.
func placeName(sec *cfg.Section, off uint64) string {
	if sec == nil {
		return "(padding nop)" // made up for a shorter alternative
	}
	if sym := sec.FuncContaining(off); sym != nil {
		return fmt.Sprintf("%s+%#x", sym.Name, off-sym.Offset)
	}
	return fmt.Sprintf("%s+%#x", sec.Name, off)
}

// insnName names an instruction's place.
func insnName(in *cfg.Insn) string { return placeName(in.Sec, in.Off) }

// Funcs returns the function symbols of p whose names match pattern
// (path.Match syntax), in section and symbol order. A .cold child is
// listed with its parent.
func Funcs(p *cfg.Program, pattern string) []*cfg.Symbol {
	var out []*cfg.Symbol
	for _, sec := range p.Sections {
		if !sec.IsExec() {
			continue
		}
		for _, fn := range sec.Symbols() {
			if fn.IsFunc() && fn.Len > 0 && fn.Pfunc == fn && fn.Alias == fn && Match(pattern, fn.Name) {
				out = append(out, fn)
			}
		}
	}
	return out
}

// Match reports whether name matches pattern (path.Match syntax); a
// malformed pattern matches the name it spells.
func Match(pattern, name string) bool {
	ok, err := path.Match(pattern, name)
	return ok || err != nil && pattern == name
}

// Disas writes the disassembly of every function of p matching pattern to
// w, one instruction a line: offset in its section, bytes in hex, text,
// then the switch-table targets and alternatives the instruction owns.
// Bytes of the function that are no instruction (a switch table inside
// it, words a mapping symbol marks as data) are data lines, a word a line
// as objdump prints them. A function's .cold part follows it under its
// own heading.
func (d *Disassembler) Disas(w io.Writer, pattern string) int {
	fns := Funcs(d.Prog, pattern)
	for _, fn := range fns {
		part, next := fn, fn.Offset // the symbol being printed, where its last instruction ended
		heading(w, fn)
		d.Prog.FuncInsns(fn, func(in *cfg.Insn) bool {
			if sym := in.Func(); sym != part {
				d.data(w, part, next, part.Offset+part.Len)
				part, next = sym, sym.Offset
				heading(w, sym)
			}
			d.data(w, part, next, in.Off)
			d.line(w, in)
			next = in.Off + uint64(in.Len)
			return true
		})
		d.data(w, part, next, part.Offset+part.Len)
		fmt.Fprintln(w)
	}
	return len(fns)
}

// heading writes the line that opens a symbol's disassembly.
func heading(w io.Writer, sym *cfg.Symbol) {
	fmt.Fprintf(w, "%s: %s+%#x, %d bytes\n", sym.Name, sym.Sec.Name, sym.Offset, sym.Len)
}

// data writes the bytes of sym's section from off to end as data lines:
// words on the fixed-width machines, up to eight bytes a line on x86.
func (d *Disassembler) data(w io.Writer, sym *cfg.Symbol, off, end uint64) {
	sx := syntaxes[d.Prog.Arch.Name]
	width := uint64(4)
	if sx.word == "" {
		width = 8
	}
	end = min(end, uint64(len(sym.Sec.Data)))
	for ; off < end; off += width {
		code := sym.Sec.Data[off:min(off+width, end)]
		text := fallbackText(sx.data, sx.word, code, d.Prog.Arch.ByteOrder)
		fmt.Fprintf(w, "%8x:  %-14s %-24s %s\n", off, placeName(sym.Sec, off), hexBytes(code), text)
	}
}

// line writes one instruction and the edges it owns besides its own.
func (d *Disassembler) line(w io.Writer, in *cfg.Insn) {
	fmt.Fprintf(w, "%8x:  %-14s %-24s %s\n", in.Off, insnName(in), hexBytes(insnBytes(in)), d.Text(in))
	for _, a := range d.Prog.Alts(in) {
		fmt.Fprintf(w, "%10s%s -> %s\n", "", altKind(in, a.Insn).label, insnName(a.Insn))
	}
}

// hexBytes prints bytes as objdump does: "55 48 89 e5".
func hexBytes(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 {
			s.WriteByte(' ')
		}
		fmt.Fprintf(&s, "%02x", c)
	}
	return s.String()
}
