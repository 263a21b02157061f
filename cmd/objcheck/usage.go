package main

import (
	"fmt"
	"sort"
	"strings"
)

// Usage texts, as libsubcmd prints them (usage_with_options_internal,
// parse_options_usage, print_option_help), all on stderr.

const (
	usageWidth = 24 // USAGE_OPTS_WIDTH
	usageGap   = 2  // USAGE_GAP
)

// help answers -h, --help and --help-all: the usage text, listing only the
// options that the arguments after it name, if there are any.
func (p *parser) help() int {
	filter := p.args.len()-p.i > 1
	st := p.usageText("", filter)
	if p.ownHelp {
		p.ownOptions(filter)
	}
	return st
}

// ownOptions lists objcheck's own options after objtool's usage text, in
// the same layout, those the arguments name if filter is set.
func (p *parser) ownOptions(filter bool) {
	var b strings.Builder
	for _, o := range p.extra {
		if !filter || p.inArgv(o) {
			optionHelp(&b, o)
		}
	}
	if b.Len() == 0 {
		return
	}
	fmt.Fprintf(p.stderr, "objcheck's own options (objcheck --objcheck-help tells more):\n%s\n", b.String())
}

// usageWithOptions prints an error (if any) and the whole usage text.
func (p *parser) usageWithOptions(errMsg string) int {
	return p.usageText(errMsg, false)
}

// usageText is usage_with_options_internal: the usage lines and the option
// table, each group sorted by short name. If filter is set, only options
// the remaining arguments mention are listed (option__in_argv).
func (p *parser) usageText(errMsg string, filter bool) int {
	var b strings.Builder
	if errMsg != "" {
		fmt.Fprintf(&b, "  Error: %s\n", errMsg)
	}
	p.usageLines(&b)
	if len(p.opts) > 0 && p.opts[0].kind != kindGroup {
		b.WriteByte('\n')
	}
	for _, o := range ordered(p.opts) {
		if !filter || p.inArgv(o) {
			optionHelp(&b, o)
		}
	}
	b.WriteByte('\n')
	fmt.Fprint(p.stderr, b.String())
	return exitUsage
}

func (p *parser) usageLines(b *strings.Builder) {
	fmt.Fprintf(b, "\n Usage: %s\n", p.usage[0])
	for _, u := range p.usage[1:] {
		fmt.Fprintf(b, "    or: %s\n", u)
	}
}

// optionUsage is parse_options_usage, printed after an option's error: the
// usage lines, then the option (short) or every option whose name starts
// with optstr (long), in table order. For optstr a prefix of "no-",
// libsubcmd also lists the options whose names start with optstr+3, which
// for "n" and "no" lies past the end of optstr; off is optstr's place in
// memory so that we read what C reads.
func (p *parser) optionUsage(optstr string, off int, short bool) int {
	var b strings.Builder
	p.usageLines(&b)
	b.WriteByte('\n')
	opts := p.opts
	if short { // an error in one of objcheck's short options shows it
		opts = append(opts[:len(opts):len(opts)], p.extra...)
	}
	for _, o := range opts {
		if short {
			if o.kind != kindGroup && o.short == optstr[0] {
				optionHelp(&b, o)
				break
			}
			continue
		}
		if o.long == "" {
			continue
		}
		if strings.HasPrefix(o.long, optstr) {
			optionHelp(&b, o)
		}
		if strings.HasPrefix("no-", optstr) {
			if past, ok := p.args.cstring(off + 3); ok && strings.HasPrefix(o.long, past) {
				optionHelp(&b, o)
			}
		}
	}
	fmt.Fprint(p.stderr, b.String())
	return exitUsage
}

// optionHelp prints one line of the option table (print_option_help).
func optionHelp(b *strings.Builder, o *option) {
	if o.kind == kindGroup {
		b.WriteByte('\n')
		if o.help != "" {
			b.WriteString(o.help + "\n")
		}
		return
	}
	s := "    "
	if o.short != 0 {
		s += "-" + string(o.short)
	} else {
		s += "    "
	}
	if o.long != "" && o.short != 0 {
		s += ", "
	}
	if o.long != "" {
		s += "--" + o.long
	}
	s += argHelp(o)
	pad := usageWidth - len(s)
	if len(s) > usageWidth {
		s += "\n"
		pad = usageWidth
	}
	fmt.Fprintf(b, "%s%*s%s\n", s, pad+usageGap, "", o.help)
}

// argHelp is how the usage text shows an option's argument.
func argHelp(o *option) string {
	switch o.kind {
	case kindInt:
		return " <n>"
	case kindCallback: // always PARSE_OPT_OPTARG here
		name := "..."
		if o.argh != "" {
			name = "<" + o.argh + ">"
		}
		if o.long != "" {
			return "[=" + name + "]"
		}
		return "[" + name + "]"
	}
	return ""
}

// ordered returns the table with each group's options sorted as
// options__order does: by lower-cased short name, options without one
// last, then by long name.
func ordered(opts []*option) []*option {
	out := append([]*option(nil), opts...)
	start := 0
	for i := 0; i <= len(out); i++ {
		if i == len(out) || out[i].kind == kindGroup {
			seg := out[start:i]
			sort.SliceStable(seg, func(a, b int) bool { return optionLess(seg[a], seg[b]) })
			start = i + 1
		}
	}
	return out
}

func optionLess(a, b *option) bool {
	key := func(o *option) int {
		if o.short == 0 {
			return 'z' + 1
		}
		return int(lower(o.short))
	}
	if ka, kb := key(a), key(b); ka != kb {
		return ka < kb
	}
	return a.long < b.long
}

// inArgv reports whether an argument after the current one names option o
// (option__in_argv): as -c or --long, as a bare word equal to its long name
// or its short letter, or as a word found in its help text, in any case.
// A lone "-" names every option without a short name, headings included.
func (p *parser) inArgv(o *option) bool {
	for j := p.i + 1; j < p.args.len(); j++ {
		a := p.args.arg(j)
		a0, a1 := p.args.byteAt(p.args.offs[j]), p.args.byteAt(p.args.offs[j]+1)
		if a0 != '-' {
			if a1 == 0 {
				if a0 == o.short {
					return true
				}
				continue
			}
			if o.long != "" && o.long == a {
				return true
			}
			if strings.Contains(lowerString(o.help), lowerString(a)) {
				return true
			}
			continue
		}
		if a1 == o.short || (a1 == '-' && o.long != "" && o.long == a[2:]) {
			return true
		}
	}
	return false
}

// byteAt returns the byte at off; past the arguments, where C would read
// the environment, it returns a byte that is neither NUL nor an option letter.
func (a *argv) byteAt(off int) byte {
	if off >= len(a.mem) {
		return 0xff
	}
	return a.mem[off]
}

// lower is C's tolower in the C locale.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func lowerString(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = lower(b[i])
	}
	return string(b)
}
