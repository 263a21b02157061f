package check_test

import (
	"testing"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/check/checktest"
	"github.com/objcheck/objcheck/decode"
)

// testFlags maps the objtool flags the fixtures use to Options fields.
var testFlags = map[string]func(*check.Options){
	"--stackval":    func(o *check.Options) { o.Stackval = true },
	"--orc":         func(o *check.Options) { o.ORC = true },
	"--uaccess":     func(o *check.Options) { o.Uaccess = true },
	"--retpoline":   func(o *check.Options) { o.Retpoline = true },
	"--rethunk":     func(o *check.Options) { o.Rethunk = true },
	"--sls":         func(o *check.Options) { o.SLS = true },
	"--ibt":         func(o *check.Options) { o.IBT = true },
	"--link":        func(o *check.Options) { o.Link = true },
	"--noinstr":     func(o *check.Options) { o.Noinstr = true },
	"--static-call": func(o *check.Options) { o.StaticCall = true },
	"--backtrace":   func(o *check.Options) { o.Backtrace = true },
	"--unret":       func(o *check.Options) { o.Unret = true },
}

// fixtureChecker runs check.Run the way the command line would.
func fixtureChecker(t *testing.T) func(path string, args []string) (string, int) {
	return func(path string, args []string) (string, int) {
		opts := &check.Options{DryRun: true}
		for _, a := range args {
			set, ok := testFlags[a]
			if !ok {
				t.Fatalf("%s: fixture flag %s not known to the test", path, a)
			}
			set(opts)
		}
		f, err := decode.Open(path)
		if err != nil {
			return path + ": error: objtool: " + err.Error() + "\n", 1
		}
		r := check.Run(f, opts)
		return string(r.Stderr), r.Status
	}
}

// TestFixtures checks objcheck against every x86 fixture, whose expected
// warnings were verified against the real objtool.
func TestFixtures(t *testing.T) {
	checktest.Run(t, "../testdata/x86", fixtureChecker(t))
}

// TestLinkedFixtures checks objcheck against the linked x86 fixtures:
// objects linked with ld -r from several sources, as vmlinux.o is, checked
// with --link, one for each family of link-time rules.
func TestLinkedFixtures(t *testing.T) {
	checktest.RunWith(t, "../testdata/x86/link", fixtureChecker(t), checktest.Options{Linked: true})
}

// TestFixtures614 checks the Linux 6.14 annotation encoding
// (.discard.annotate_insn), which objtool 6.12 does not read: the want
// comments of testdata/x86-614 are objcheck's spec.
func TestFixtures614(t *testing.T) {
	checktest.RunWith(t, "../testdata/x86-614", fixtureChecker(t), checktest.Options{NoRef: true})
}
