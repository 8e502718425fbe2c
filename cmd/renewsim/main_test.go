package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/scenarios"
)

func renewsim(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	code = exitCode(err, &errb)
	return code, out.String(), errb.String()
}

func writeScenario(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

func libraryWith(t *testing.T, name string, edit func(string) string) string {
	src, ok := scenarios.LibrarySource(name)
	require.True(t, ok)
	return writeScenario(t, name+".yaml", edit(string(src)))
}

func TestRunLibraryExitsZero(t *testing.T) {
	code, out, errs := renewsim(t, "run")
	assert.Equal(t, 0, code, errs)
	for _, n := range scenarios.LibraryNames() {
		assert.Contains(t, out, "PASS "+n)
	}
	assert.Contains(t, out, "0 failed")
}

// A scenario whose expectation is wrong makes run exit 1 and says what was
// expected and what happened.
func TestWrongExpectationExitsOne(t *testing.T) {
	f := libraryWith(t, "dns-happy", func(s string) string {
		return strings.Replace(s, "outcome: renewed", "outcome: expired", 1)
	})
	code, out, _ := renewsim(t, "run", f)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL dns-happy")
	assert.Contains(t, out, "✗ {cert: web, outcome: expired}")
	assert.Contains(t, out, "expected outcome expired, got renewed")

	code, out, _ = renewsim(t, "run", "-json", f)
	assert.Equal(t, 1, code)
	var doc struct {
		Scenarios []struct {
			Passed       bool
			Expectations []struct {
				Text   string
				Passed bool
				Detail string
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Scenarios, 1)
	assert.False(t, doc.Scenarios[0].Passed)
}

func TestUnusableInputExitsTwo(t *testing.T) {
	bad := writeScenario(t, "bad.yaml", "name: bad\nstart: 2026-03-01T00:00:00Z\ncertificates:\n  - id: web\n    domian: example.com\n")
	code, out, errs := renewsim(t, "run", bad)
	assert.Equal(t, 2, code)
	assert.Empty(t, out, "a bad scenario never half-runs")
	assert.Contains(t, errs, bad+":5:5: unknown key \"domian\"")

	code, _, errs = renewsim(t, "validate", bad)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, bad+":5:5:")

	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"run", "-seed", "minus-one"},
		{"run", "-nope"},
		{"run", "no-such-scenario"},
		{"validate"},
	} {
		code, _, _ := renewsim(t, args...)
		assert.Equal(t, 2, code, "%v", args)
	}
}

func TestValidateAndList(t *testing.T) {
	code, out, _ := renewsim(t, "list")
	assert.Equal(t, 0, code)
	for _, n := range scenarios.LibraryNames() {
		assert.Contains(t, out, n)
	}
	f := libraryWith(t, "dns-missing-cname", func(s string) string { return s })
	code, out, _ = renewsim(t, "validate", f)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "ok (dns-missing-cname")
}

// Flags may follow the scenario names; the event log and the JSON are the
// same bytes on a second run.
func TestEventsFileAndSeed(t *testing.T) {
	dir := t.TempDir()
	ev1, ev2 := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	code, js1, _ := renewsim(t, "run", "dns-missing-cname", "-json", "-events", ev1, "-seed", "3")
	require.Equal(t, 0, code)
	code, js2, _ := renewsim(t, "run", "-json", "-events", ev2, "-seed", "3", "dns-missing-cname")
	require.Equal(t, 0, code)
	assert.Equal(t, js1, js2)
	b1, err := os.ReadFile(ev1)
	require.NoError(t, err)
	b2, err := os.ReadFile(ev2)
	require.NoError(t, err)
	assert.Equal(t, b1, b2)
	assert.Contains(t, js1, `"seed": 3`)

	lines := strings.Split(strings.TrimSpace(string(b1)), "\n")
	kinds := map[string]int{}
	for _, l := range lines {
		var e struct {
			Scenario, Kind string
			Time           string
			Detail         map[string]any
		}
		require.NoError(t, json.Unmarshal([]byte(l), &e))
		assert.Equal(t, "dns-missing-cname", e.Scenario)
		assert.NotEmpty(t, e.Time)
		kinds[e.Kind]++
	}
	for _, k := range []string{"window-opened", "validation-attempt", "expired", "timeline", "eventbridge", "deployed"} {
		assert.Positive(t, kinds[k], k)
	}
}

// run -eventbridge-url delivers the events of the run to the user's
// endpoint, in order.
func TestRunEventBridgeURL(t *testing.T) {
	var mu sync.Mutex
	var types []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev struct {
			DetailType string `json:"detail-type"`
			Source     string
		}
		if json.NewDecoder(r.Body).Decode(&ev) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if ev.Source == "aws.acm" && ev.DetailType != "ACM Certificate Approaching Expiration" {
			types = append(types, ev.DetailType)
		}
	}))
	defer srv.Close()
	code, _, errs := renewsim(t, "run", "dns-missing-cname", "-eventbridge-url", srv.URL)
	require.Equal(t, 0, code, errs)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{
		"ACM Certificate Renewal Action Required", "ACM Certificate Renewal Action Required", "ACM Certificate Renewal Action Required",
		"ACM Certificate Renewal Action Required", "ACM Certificate Renewal Action Required", "ACM Certificate Expired",
	}, types)
}
