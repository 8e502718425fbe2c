package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The house layout: which top-level folder may import which (direct
// imports; what a chosen library pulls in is its own business). cmd/ may
// import everything; sim/run is the one place where the model meets the
// fakes.
var allowed = map[string][]string{
	"engine":    {"github.com/jonboulle/clockwork"},
	"sim":       {"engine"},
	"sim/run":   {"engine", "sim", "fakes/", "github.com/miekg/dns", "github.com/jonboulle/clockwork", "github.com/emersion/go-smtp", "golang.org/x/net/publicsuffix"},
	"fakes/":    {"fakes/internal/", "github.com/miekg/dns", "github.com/emersion/go-smtp", "github.com/jonboulle/clockwork", "golang.org/x/net/html"},
	"scenarios": {"sim", "engine", "go.yaml.in/yaml/v3"},
	"report":    {"sim", "engine", "gonum.org/v1/plot"},
	"fleet":     {"sim", "scenarios", "engine", "github.com/miekg/dns", "go.yaml.in/yaml/v3"},
}

const module = "github.com/renewsim/renewsim/"

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "../../...").Output()
	require.NoError(t, err)
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		require.NoError(t, dec.Decode(&p))
		rel, ok := strings.CutPrefix(p.ImportPath, module)
		if !ok || strings.HasPrefix(rel, "cmd/") {
			continue
		}
		rules := rulesFor(rel)
		if rules == nil {
			t.Errorf("%s: no import rule for this folder; add one to the layout table", rel)
			continue
		}
		for _, d := range p.Imports {
			if isStd(d) {
				continue
			}
			if !permitted(rel, d, rules) {
				t.Errorf("%s imports %s, which the layout does not allow", rel, d)
			}
		}
	}
}

func rulesFor(rel string) []string {
	best := ""
	for k := range allowed {
		if (rel == k || strings.HasPrefix(rel, strings.TrimSuffix(k, "/")+"/") || (strings.HasSuffix(k, "/") && strings.HasPrefix(rel, k))) && len(k) > len(best) {
			best = k
		}
	}
	if best == "" {
		return nil
	}
	return allowed[best]
}

func permitted(rel, dep string, rules []string) bool {
	if own, ok := strings.CutPrefix(dep, module); ok {
		dep = own
	}
	for _, r := range rules {
		if dep == r || strings.HasPrefix(dep, strings.TrimSuffix(r, "/")+"/") || (strings.HasSuffix(r, "/") && strings.HasPrefix(dep, r)) {
			return true
		}
	}
	return false
}

func isStd(path string) bool {
	first := strings.SplitN(path, "/", 2)[0]
	return !strings.Contains(first, ".")
}
