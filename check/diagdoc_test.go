package check_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/check"
)

// The README's "Rules" section lies between these markers and is made from
// the rule table (rulesMarkdown).
const (
	rulesBegin = "<!-- rules: made from check/diagrules.go by TestReadmeRules; OBJCHECK_UPDATE_README=1 rewrites it -->\n"
	rulesEnd   = "<!-- end of rules -->\n"
)

// rulesMarkdown documents every rule, one paragraph each.
func rulesMarkdown() string {
	var b strings.Builder
	for _, r := range check.Rules() {
		info := r.Info()
		fmt.Fprintf(&b, "- **`%s`**: %s Example: `%s`. Fix: %s\n", info.ID, info.Full, info.Example, info.Help)
	}
	return b.String()
}

// TestReadmeRules checks that the README documents exactly the rules of
// the table, as the table says.
func TestReadmeRules(t *testing.T) {
	const path = "../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i, j := strings.Index(s, rulesBegin), strings.Index(s, rulesEnd)
	if i < 0 || j < i {
		t.Fatalf("%s: no rules section between %q and %q", path, rulesBegin, rulesEnd)
	}
	want := rulesMarkdown()
	got := s[i+len(rulesBegin) : j]
	if got == want {
		return
	}
	if os.Getenv("OBJCHECK_UPDATE_README") != "" {
		s = s[:i+len(rulesBegin)] + want + s[j:]
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the rules section is not the rule table's; run with OBJCHECK_UPDATE_README=1", path)
}
