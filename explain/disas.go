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

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
)

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
	code := insnBytes(d.Prog, in)
	if code == nil {
		return "nop" // made up to pad a shorter alternative
	}
	sx := &d.Prog.Arch.Syntax
	text, ok := "", false
	if sx.Text != nil && !in.Has(cfg.NotCode) {
		if l := d.Prog.Arch.DecodeLock; l != nil {
			l.Lock()
			defer l.Unlock()
		}
		text, ok = sx.Text(code, uint64(in.Off), int(in.Len))
	}
	if !ok {
		text = fallbackText(sx.Fallback, sx.Word, code, d.Prog.Arch.ByteOrder)
	}
	text = alias(sx.Aliases, strings.Join(strings.Fields(text), " "))
	if ok && (in.Kind.IsStaticJump() || in.Kind == arch.Call) {
		base := uint64(in.Off)
		if sx.FromNext {
			base += uint64(in.Len)
		}
		text = objdumpDest(text, base)
	}
	if r := d.Prog.Reloc(in); r != nil {
		text += " # " + relocName(r)
	} else if in.HasTarget() {
		text += " <" + placeName(d.Prog.Sec(in), uint64(d.Prog.Target(in))) + ">"
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
func insnBytes(p *cfg.Program, in *cfg.Insn) []byte {
	end := uint64(in.Off) + uint64(in.Len)
	sec := p.Sec(in)
	if sec == nil || end > uint64(len(sec.Data)) {
		return nil
	}
	return sec.Data[in.Off:end]
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
func insnName(p *cfg.Program, in *cfg.Insn) string { return placeName(p.Sec(in), uint64(in.Off)) }

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
			if sym := d.Prog.Func(in); sym != part {
				d.data(w, part, next, part.Offset+part.Len)
				part, next = sym, sym.Offset
				heading(w, sym)
			}
			d.data(w, part, next, uint64(in.Off))
			d.line(w, in)
			next = uint64(in.Off) + uint64(in.Len)
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
	sx := &d.Prog.Arch.Syntax
	width := uint64(4)
	if sx.Word == "" {
		width = 8
	}
	end = min(end, uint64(len(sym.Sec.Data)))
	for ; off < end; off += width {
		code := sym.Sec.Data[off:min(off+width, end)]
		text := fallbackText(sx.Data, sx.Word, code, d.Prog.Arch.ByteOrder)
		fmt.Fprintf(w, "%8x:  %-14s %-24s %s\n", off, placeName(sym.Sec, off), hexBytes(code), text)
	}
}

// line writes one instruction and the edges it owns besides its own.
func (d *Disassembler) line(w io.Writer, in *cfg.Insn) {
	fmt.Fprintf(w, "%8x:  %-14s %-24s %s\n", in.Off, insnName(d.Prog, in), hexBytes(insnBytes(d.Prog, in)), d.Text(in))
	for _, a := range d.Prog.Alts(in) {
		fmt.Fprintf(w, "%10s%s -> %s\n", "", altKind(d.Prog, in, a.Insn).label, insnName(d.Prog, a.Insn))
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
