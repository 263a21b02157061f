package main

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// This file is a port of the behaviour of tools/lib/subcmd/parse-options.c
// (Linux 6.12), the option parser objtool is built with: long options may
// be abbreviated and negated with no-, short options cluster, -h and --help
// print a usage text filtered by the arguments that follow, and every error
// is printed in its own words, in its order. pflag's parser differs on all
// of these, so pflag is used only to hold the flags and their values.

// Exit statuses of libsubcmd.
const (
	exitUsage = 129 // usage_with_options(), PARSE_OPT_HELP
	exitList  = 130 // --list-opts, --list-cmds
)

// Results of one option lookup (parse_short_opt, parse_long_opt, get_value).
const (
	optOK      = 0
	optError   = -1 // the caller prints the usage of the option
	optUnknown = -2
)

// Flags of one lookup.
const (
	optShort = 1 // found as -c
	optUnset = 2 // negated: --no-name
)

type optKind int

const (
	kindGroup    optKind = iota // OPT_GROUP: a heading in the usage text
	kindBool                    // OPT_BOOLEAN
	kindInt                     // OPT_INTEGER
	kindCallback                // OPT_CALLBACK_OPTARG
)

// An option is one entry of a libsubcmd option table.
type option struct {
	kind  optKind
	short byte   // 0 if none
	long  string // "" if none
	help  string // for a group, its heading
	argh  string // the argument's name in the usage text, for callbacks
	fs    *pflag.FlagSet
	flag  *pflag.Flag
}

// set stores a value through pflag.
func (o *option) set(v string) error { return o.fs.Set(o.long, v) }

// table lists the flags of fs in definition order as a libsubcmd option
// table, with a group entry wherever the group annotation changes.
func table(fs *pflag.FlagSet) []*option {
	var opts []*option
	group := ""
	fs.VisitAll(func(f *pflag.Flag) {
		if g := annotation(f, annGroup); g != group {
			opts = append(opts, &option{kind: kindGroup, help: g})
			group = g
		}
		o := &option{long: f.Name, help: f.Usage, argh: annotation(f, annArgh), fs: fs, flag: f}
		if f.Shorthand != "" {
			o.short = f.Shorthand[0]
		}
		switch f.Value.(type) {
		case callbackValue:
			o.kind = kindCallback
		case intValue:
			o.kind = kindInt
		default:
			o.kind = kindBool
		}
		opts = append(opts, o)
	})
	return opts
}

func annotation(f *pflag.Flag, key string) string {
	if v := f.Annotations[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// An argv is what one parse_options() call parses: argv[0] and the
// arguments, laid out as C has them in memory, each string followed by a NUL.
// One libsubcmd quirk reads past the end of an argument (see optionUsage);
// the layout lets us reproduce what it reads.
type argv struct {
	mem  string
	offs []int // where each argument starts in mem
}

// newArgv lays out argv (argv[0] first) one string after the other.
func newArgv(strs []string) *argv {
	var b strings.Builder
	n := 0
	for _, s := range strs {
		n += len(s) + 1
	}
	b.Grow(n)
	a := &argv{offs: make([]int, 0, len(strs))}
	for _, s := range strs {
		a.offs = append(a.offs, b.Len())
		b.WriteString(s)
		b.WriteByte(0)
	}
	a.mem = b.String()
	return a
}

// envArgv splits an OBJTOOL_ARGS value as objtool does: in place, at single
// spaces, into at most 15 words after argv[0]. The rest of the value is
// dropped but stays in memory after the 15th word.
func envArgv(value string) *argv {
	const argv0 = "OBJTOOL_ARGS\x00"
	buf := []byte(argv0 + value + "\x00")
	a := &argv{offs: []int{0}}
	for start := len(argv0); len(a.offs) < 16; {
		a.offs = append(a.offs, start)
		sp := bytes.IndexByte(buf[start:len(buf)-1], ' ')
		if sp < 0 {
			break
		}
		buf[start+sp] = 0
		start += sp + 1
	}
	a.mem = string(buf)
	return a
}

func (a *argv) len() int { return len(a.offs) }

// arg returns argument i.
func (a *argv) arg(i int) string { s, _ := a.cstring(a.offs[i]); return s }

// cstring returns the NUL-terminated string at off, and false if off is past
// the arguments, where C would read whatever follows them (the environment).
func (a *argv) cstring(off int) (string, bool) {
	if off >= len(a.mem) {
		return "", false
	}
	s := a.mem[off:]
	return s[:strings.IndexByte(s, 0)], true
}

// A parser is one parse_options() call.
type parser struct {
	opts   []*option // the option table, group entries included
	extra  []*option // objcheck's own options, consulted only when opts has no match
	usage  []string  // usage lines; the first follows "Usage:", the others "or:"
	args   *argv
	i      int    // the argument being parsed (ctx->argv[0])
	opt    string // ctx->opt: the rest of a short-option cluster, or the text after '='
	hasOpt bool   // ctx->opt != NULL
	out    []string
	stdout io.Writer
	stderr io.Writer
	// ownHelp makes help list the extra options after the table.
	ownHelp bool
}

// parse parses the options and returns the other arguments and proceed, or
// an exit status after printing libsubcmd's usage or error text. Arguments
// after "--" are never options.
func (p *parser) parse() ([]string, int) {
	for p.i = 1; p.i < p.args.len(); p.i++ {
		arg := p.args.arg(p.i)
		switch {
		case len(arg) < 2 || arg[0] != '-':
			p.out = append(p.out, arg)
		case arg[1] != '-':
			if st := p.shortCluster(arg[1:]); st != proceed {
				return nil, st
			}
		case len(arg) == 2: // "--"
			return p.rest(p.i + 1), proceed
		default:
			if st := p.longArg(arg[2:]); st != proceed {
				return nil, st
			}
		}
	}
	return p.rest(p.i), proceed
}

func (p *parser) rest(from int) []string {
	for ; from < p.args.len(); from++ {
		p.out = append(p.out, p.args.arg(from))
	}
	return p.out
}

// shortCluster parses "-abc" given "abc"; it returns an exit status or
// proceed.
func (p *parser) shortCluster(arg string) int {
	p.opt, p.hasOpt = arg, true
	if arg[0] == 'h' {
		return p.help()
	}
	switch p.parseShort() {
	case optError:
		return p.optionUsage(arg, -1, true)
	case optUnknown:
		return p.unknown()
	}
	if p.hasOpt && p.checkTypos(arg) {
		return exitUsage
	}
	for p.hasOpt {
		if p.opt[0] == 'h' {
			return p.help()
		}
		at := p.opt
		switch p.parseShort() {
		case optError:
			return p.optionUsage(at, -1, true)
		case optUnknown:
			return p.unknown()
		}
	}
	return proceed
}

// longArg parses "--name[=value]" given "name[=value]"; it returns an exit
// status or proceed.
func (p *parser) longArg(arg string) int {
	switch arg {
	case "help", "help-all": // the same: no option is hidden
		return p.help()
	case "list-opts":
		for _, o := range p.opts {
			if o.long != "" {
				fmt.Fprintf(p.stdout, "--%s ", o.long)
			}
		}
		fmt.Fprintln(p.stdout)
		return exitList
	case "list-cmds":
		fmt.Fprintln(p.stdout)
		return exitList
	}
	switch p.parseLong(arg) {
	case optError:
		return p.optionUsage(arg, p.args.offs[p.i]+2, false)
	case optUnknown:
		return p.usageWithOptions(fmt.Sprintf("unknown option `%s'", arg))
	}
	return proceed
}

// unknown reports an unknown short option and prints the full usage. p.opt
// starts at the unknown character. Within a cluster like "-s-x" libsubcmd
// rewrites the argument to "-" followed by p.opt, and so reports an unknown
// option, not a switch, when that character is '-'.
func (p *parser) unknown() int {
	if p.opt[0] == '-' {
		return p.usageWithOptions(fmt.Sprintf("unknown option `%s'", p.opt[1:]))
	}
	return p.usageWithOptions(fmt.Sprintf("unknown switch `%c'", p.opt[0]))
}

// parseShort parses the short option at the start of p.opt.
func (p *parser) parseShort() int {
	for _, opts := range [][]*option{p.opts, p.extra} {
		for _, o := range opts {
			if o.kind != kindGroup && o.short == p.opt[0] {
				p.opt = p.opt[1:]
				p.hasOpt = p.opt != ""
				return p.getValue(o, optShort)
			}
		}
	}
	return optUnknown
}

// parseLong parses a long option, allowing unambiguous abbreviations and
// negation with "no-" (parse_long_opt).
func (p *parser) parseLong(arg string) int {
	argEnd := strings.IndexByte(arg, '=')
	if argEnd < 0 {
		argEnd = len(arg)
	}
	var abbrev, ambiguous *option
	var abbrevFlags, ambiguousFlags int
	for _, opts := range [][]*option{p.opts, p.extra} {
		for _, o := range opts {
			flags, rest, match := matchLong(o, arg, argEnd)
			switch match {
			case matchNone:
				continue
			case matchAbbrev:
				if abbrev != nil {
					ambiguous, ambiguousFlags = abbrev, abbrevFlags
				}
				if flags&optUnset == 0 && argEnd < len(arg) {
					p.opt, p.hasOpt = arg[argEnd+1:], true
				}
				abbrev, abbrevFlags = o, flags
				continue
			}
			if rest != "" {
				if rest[0] != '=' {
					continue
				}
				p.opt, p.hasOpt = rest[1:], true
			}
			return p.getValue(o, flags)
		}
		if ambiguous != nil {
			fmt.Fprintf(p.stderr, " Error: Ambiguous option: %s (could be --%s%s or --%s%s)\n",
				arg, noPrefix(ambiguousFlags), ambiguous.long, noPrefix(abbrevFlags), abbrev.long)
			return optError
		}
		if abbrev != nil {
			return p.getValue(abbrev, abbrevFlags)
		}
	}
	return optUnknown
}

func noPrefix(flags int) string {
	if flags&optUnset != 0 {
		return "no-"
	}
	return ""
}

type longMatch int

const (
	matchNone   longMatch = iota
	matchExact            // arg is the name (or its negation), maybe with "=..." or more after it
	matchAbbrev           // arg abbreviates the name (or its negation)
)

// matchLong compares arg with option o's long name, in parse_long_opt's
// order of tests. For an exact match, rest is what follows the name.
func matchLong(o *option, arg string, argEnd int) (flags int, rest string, m longMatch) {
	if o.long == "" {
		return 0, "", matchNone
	}
	if rest, ok := strings.CutPrefix(arg, o.long); ok {
		return 0, rest, matchExact
	}
	if base, ok := strings.CutPrefix(o.long, "no-"); ok {
		// "--no-unreachable" is negated as "--unreachable".
		if rest, ok := strings.CutPrefix(arg, base); ok {
			return optUnset, rest, matchExact
		}
		if strings.HasPrefix(base, arg) {
			return optUnset, "", matchAbbrev
		}
	}
	if strings.HasPrefix(o.long, arg[:argEnd]) {
		return 0, "", matchAbbrev
	}
	if strings.HasPrefix("no-", arg) { // "--n", "--no", "--no-" abbreviate every negation
		return optUnset, "", matchAbbrev
	}
	neg, ok := strings.CutPrefix(arg, "no-")
	if !ok {
		return 0, "", matchNone
	}
	if rest, ok := strings.CutPrefix(neg, o.long); ok {
		return optUnset, rest, matchExact
	}
	if strings.HasPrefix(o.long, neg) {
		return optUnset, "", matchAbbrev
	}
	return 0, "", matchNone
}

// getValue applies option o, taking its argument from p.opt or the next
// argument where it needs one (get_value).
func (p *parser) getValue(o *option, flags int) int {
	unset := flags&optUnset != 0
	if unset && p.hasOpt {
		return p.optError(o, "takes no value", flags)
	}
	if flags&optShort == 0 && p.hasOpt && o.kind == kindBool {
		return p.optError(o, "takes no value", flags)
	}
	switch o.kind {
	case kindBool:
		return errToStatus(o.set(strconv.FormatBool(!unset)))
	case kindInt:
		if unset {
			return errToStatus(o.set("0"))
		}
		arg, st := p.getArg(o, flags)
		if st != optOK {
			return st
		}
		if o.set(arg) != nil {
			return p.optError(o, "expects a numerical value", flags)
		}
		return optOK
	}
	v := o.flag.Value.(callbackValue)
	if unset || !p.hasOpt {
		return errToStatus(v.SetNone())
	}
	arg, st := p.getArg(o, flags)
	if st != optOK {
		return st
	}
	return errToStatus(v.Set(arg))
}

func errToStatus(err error) int {
	if err != nil {
		return optError
	}
	return optOK
}

// getArg returns the option's argument: the rest of the current argument,
// or else the next one (get_arg).
func (p *parser) getArg(o *option, flags int) (string, int) {
	if p.hasOpt {
		arg := p.opt
		p.opt, p.hasOpt = "", false
		return arg, optOK
	}
	if p.i+1 < p.args.len() {
		p.i++
		return p.args.arg(p.i), optOK
	}
	return "", p.optError(o, "requires a value", flags)
}

// optError prints libsubcmd's opterror() text, which has no newline: the
// usage that follows starts with one.
func (p *parser) optError(o *option, reason string, flags int) int {
	switch {
	case flags&optShort != 0:
		fmt.Fprintf(p.stderr, " Error: switch `%c' %s", o.short, reason)
	case flags&optUnset != 0:
		fmt.Fprintf(p.stderr, " Error: option `no-%s' %s", o.long, reason)
	default:
		fmt.Fprintf(p.stderr, " Error: option `%s' %s", o.long, reason)
	}
	return optError
}

// checkTypos catches a long option given with one dash, such as -stackval
// (which would otherwise be -s -t -a ...), after its first letter has been
// parsed. It reports whether it printed an error.
func (p *parser) checkTypos(arg string) bool {
	if len(arg) < 3 {
		return false
	}
	typo := strings.HasPrefix(arg, "no-")
	for _, o := range p.opts {
		typo = typo || (o.long != "" && strings.HasPrefix(o.long, arg))
	}
	if typo {
		fmt.Fprintf(p.stderr, " Error: did you mean `--%s` (with two dashes ?)\n", arg)
	}
	return typo
}
