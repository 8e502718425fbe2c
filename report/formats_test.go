package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/internal/junitschema"
	"github.com/renewsim/renewsim/record"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
)

// handSummary is a small summary built by hand, so that the golden files do
// not change whenever the simulation records something new: one scenario
// that passed, one that failed with two certificates, an outage and text
// that needs escaping in XML and Markdown.
func handSummary() *result.Summary {
	at := func(s string) *time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return &t
	}
	return &result.Summary{Scenarios: []result.Scenario{
		{
			Name: "all-good", File: "scenarios/all-good.yaml", Profile: "acm-2026", Seed: 1, Passed: true,
			Start: *at("2026-03-01T00:00:00Z"), Until: *at("2026-09-22T00:00:00Z"),
			Certificates: []result.Cert{{ID: "web", Domain: "example.com", Outcome: "renewed", NotAfter: *at("2026-09-15T00:00:00Z"),
				RenewedAt: at("2026-08-01T00:10:00Z"), FinalStatus: "ISSUED", Renewals: 1, Attempts: 1}},
			Resources:    []result.Resource{{ID: "alb-prod", Outage: "0s", Windows: []record.Window{}}},
			Expectations: []result.Expectation{{Text: "{cert: web, outcome: renewed}", Passed: true, Detail: "expected outcome renewed, got renewed"}},
		},
		{
			Name: "two-certs <&> \"quoted\"", File: "scenarios/two_certs|pipe.yaml", Profile: "acm-legacy", Seed: 42, Passed: false,
			Start: *at("2025-03-01T00:00:00Z"), Until: *at("2026-04-07T00:00:00Z"),
			Certificates: []result.Cert{
				{ID: "api", Domain: "api.example.com", Outcome: "expired", NotAfter: *at("2026-03-31T00:00:00Z"), ExpiredAt: at("2026-03-31T00:00:00Z"), FinalStatus: "EXPIRED", Attempts: 1440},
				{ID: "www", Domain: "www.example.com", Outcome: "renewed", NotAfter: *at("2026-03-31T00:00:00Z"), RenewedAt: at("2026-03-30T21:30:00Z"), FinalStatus: "ISSUED", Renewals: 1, Attempts: 1400},
			},
			Resources: []result.Resource{
				{ID: "alb-prod", Outage: "7d", OutageSeconds: 604800, Windows: []record.Window{{Start: *at("2026-03-31T00:00:00Z"), End: *at("2026-04-07T00:00:00Z"), Cert: "api", Serial: "01"}}},
				{ID: "cdn", Outage: "0s", Windows: []record.Window{}},
			},
			Expectations: []result.Expectation{
				{Text: "{cert: api, outcome: renewed}", Passed: false, Detail: "expected outcome renewed, got expired"},
				{Text: "{cert: www, renewed_before: www.expiry-10d}", Passed: false, Detail: "expected renewed before 2026-03-21 00:00Z, got renewed at 2026-03-30 21:30Z"},
				{Text: "{resource: cdn, outage: 0s}", Passed: true, Detail: "expected outage 0s, got 0s"},
				{Text: "{cert: api, event: ACM Certificate Renewal Action Required, count: 5}", Passed: false, Detail: "expected exactly 5 \"ACM Certificate Renewal Action Required\" events, got 1 <sic> & more"},
				{Text: "a claim in another `form`", Passed: false, Detail: "unknown expectation kind \"x\""},
			},
		},
	}}
}

// goldenSummary is the hand-built summary followed by one real library
// scenario.
func goldenSummary(t *testing.T) *result.Summary {
	sum := handSummary()
	sum.Scenarios = append(sum.Scenarios, runLibrary(t, "dns-missing-cname").Scenarios...)
	return sum
}

func TestMarkdownGolden(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteMarkdown(&buf, goldenSummary(t)))
	golden(t, "summary.md", buf.Bytes())
}

func TestJUnitGolden(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteJUnit(&buf, goldenSummary(t)))
	golden(t, "junit.xml", buf.Bytes())
}

func TestMarkdownSaysWhatFailed(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteMarkdown(&buf, handSummary()))
	md := buf.String()
	assert.Contains(t, md, "## renewsim: 2 scenarios, 1 passed, 1 failed")
	assert.Contains(t, md, "| all-good | ✅ PASS | web | renewed | 2026-08-01 00:10 | 44d23h50m | none | 1/1 |")
	assert.Contains(t, md, "api<br>www", "one cell lists every certificate")
	assert.Contains(t, md, "**alb-prod 7d**")
	assert.Contains(t, md, "| two-certs &lt;&amp;&gt; \"quoted\" | ❌ FAIL |", "the name cannot break the table")
	assert.Contains(t, md, "### ❌ FAIL two-certs &lt;&amp;&gt; \"quoted\" (`scenarios/two_certs|pipe.yaml`)")
	assert.Contains(t, md, "- `{cert: api, outcome: renewed}`: expected outcome renewed, got expired")
	assert.NotContains(t, md, "{resource: cdn, outage: 0s}", "only what failed is listed")
	assert.NotContains(t, md, "<sic>", "HTML in details is escaped")
}

// TestJUnitSchema validates the JUnit output of a whole library run and of
// the hand-built summary against the Surefire schema CI tools use.
func TestJUnitSchema(t *testing.T) {
	var files []string
	for name, sum := range map[string]*result.Summary{"hand": handSummary(), "library": library(t)} {
		var buf bytes.Buffer
		require.NoError(t, report.WriteJUnit(&buf, sum))
		file := filepath.Join(t.TempDir(), name+".xml")
		require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))
		files = append(files, file)
	}
	junitschema.Validate(t, files...)
}

func TestJUnitCarriesEveryFailure(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteJUnit(&buf, handSummary()))
	x := buf.String()
	assert.Contains(t, x, `<testsuites name="renewsim" tests="2" failures="1" errors="0">`)
	assert.Equal(t, 1, strings.Count(x, "<failure "), "one failure element per failing scenario")
	assert.Contains(t, x, `message="4 of 5 expectations failed in scenarios/two_certs|pipe.yaml"`)
	assert.Contains(t, x, "scenario file: scenarios/two_certs|pipe.yaml")
	assert.Contains(t, x, "    expected: outcome renewed\n    got:      expired\n")
	assert.Contains(t, x, "got:      1 &lt;sic&gt; &amp; more")
	assert.Contains(t, x, `name="two-certs &lt;&amp;&gt; &#34;quoted&#34;"`)
	assert.NotContains(t, x, "time=", "no wall-clock time")
	assert.NotContains(t, x, "timestamp=")
}

// Counts of one read in the singular in every format: "1 scenario", "1
// of 1 expectation failed", "1 expiry or outage" and "2 expiries or
// outages".
func TestPluralsOfOne(t *testing.T) {
	one := handSummary()
	one.Scenarios = one.Scenarios[1:]
	one.Scenarios[0].Expectations = one.Scenarios[0].Expectations[:1]
	var text, md, x bytes.Buffer
	require.NoError(t, report.WriteText(&text, one))
	require.NoError(t, report.WriteMarkdown(&md, one))
	require.NoError(t, report.WriteJUnit(&x, one))
	assert.Contains(t, text.String(), "\n1 scenario, 0 passed, 1 failed\n")
	assert.Contains(t, md.String(), "## renewsim: 1 scenario, 0 passed, 1 failed")
	assert.Contains(t, x.String(), `message="1 of 1 expectation failed in scenarios/two_certs|pipe.yaml"`)
	two := handSummary()
	text.Reset()
	require.NoError(t, report.WriteText(&text, two))
	assert.Contains(t, text.String(), "\n2 scenarios, 1 passed, 1 failed\n")
}
