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
// fakes. An entry of ours names that package alone, or with a trailing
// slash every package under the folder; a library's names its packages.
//
// Judging and rendering are apart. record reads the record; alarm,
// result and sweep judge a run, its alarms and a sweep's variants on it;
// fleet judges a check. report renders what they judged: it reads their
// types, and no package that judges imports it (see never below).
var allowed = map[string][]string{
	"engine":    {"github.com/jonboulle/clockwork"},
	"sim":       {"engine"},
	"sim/run":   {"engine", "sim", "fakes/", "github.com/miekg/dns", "github.com/jonboulle/clockwork", "github.com/emersion/go-smtp", "golang.org/x/net/publicsuffix"},
	"fakes/":    {"fakes/internal/", "github.com/miekg/dns", "github.com/emersion/go-smtp", "github.com/jonboulle/clockwork", "golang.org/x/net/html"},
	"scenarios": {"sim", "engine", "go.yaml.in/yaml/v3"},
	"record":    {"sim"},
	"alarm":     {"sim", "record"},
	"result":    {"sim", "record", "alarm"},
	"sweep":     {"sim", "record", "alarm", "result"},
	"fleet":     {"sim", "scenarios", "engine", "alarm", "github.com/miekg/dns", "go.yaml.in/yaml/v3"},
	"report":    {"sim", "engine", "record", "alarm", "result", "sweep", "fleet", "gonum.org/v1/plot"},
	"iac":       {"fleet", "sim", "scenarios", "github.com/miekg/dns", "go.yaml.in/yaml/v3", "github.com/hashicorp/terraform-json"},
	// The reader of a live account: the AWS SDK and nothing of ours; what
	// it reads is documents that fleet reads like files.
	"awsread": {"github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go"},
	// Helpers for the tests of the packages above: records and sweeps built
	// by hand, the JUnit schema check.
	"internal/": {"sim", "sweep"},
}

// never is what a folder must not depend on even through others (go list
// -deps): the packages that judge never reach report, for they do not
// render; report and they never reach a fake or sim/run, for they read
// what a run produced and never drive one; the model never reaches a fake.
var never = map[string][]string{
	"sim":       {"sim/run", "fakes/"},
	"scenarios": {"sim/run", "fakes/", "report"},
	"record":    {"sim/run", "fakes/", "report"},
	"alarm":     {"sim/run", "fakes/", "report"},
	"result":    {"sim/run", "fakes/", "report"},
	"sweep":     {"sim/run", "fakes/", "report"},
	"fleet":     {"sim/run", "fakes/", "report"},
	"iac":       {"sim/run", "fakes/", "report"},
	"awsread":   {"sim/run", "fakes/", "report"},
	"report":    {"sim/run", "fakes/"},
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
	own, ours := strings.CutPrefix(dep, module)
	for _, r := range rules {
		switch {
		case ours && strings.HasSuffix(r, "/"):
			if strings.HasPrefix(own, r) {
				return true
			}
		case ours:
			if own == r {
				return true
			}
		case dep == r || strings.HasPrefix(dep, r+"/"):
			return true
		}
	}
	return false
}

// TestNeverDepends checks the never table on every package's dependencies,
// direct or not.
func TestNeverDepends(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Deps", "../../...").Output()
	require.NoError(t, err)
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Deps       []string
		}
		require.NoError(t, dec.Decode(&p))
		rel, ok := strings.CutPrefix(p.ImportPath, module)
		if !ok {
			continue
		}
		for folder, banned := range never {
			if rel != folder && !strings.HasPrefix(rel, folder+"/") {
				continue
			}
			if rel == "sim/run" || strings.HasPrefix(rel, "sim/run/") {
				continue // the runner, under sim/ but not the model
			}
			for _, d := range p.Deps {
				own, ours := strings.CutPrefix(d, module)
				if !ours {
					continue
				}
				for _, b := range banned {
					if own == strings.TrimSuffix(b, "/") || strings.HasPrefix(own, strings.TrimSuffix(b, "/")+"/") {
						t.Errorf("%s depends on %s, directly or not, which the layout forbids", rel, own)
					}
				}
			}
		}
	}
}

func isStd(path string) bool {
	first := strings.SplitN(path, "/", 2)[0]
	return !strings.Contains(first, ".")
}
