package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// One truth per cycle (issue 18 §2): a certificate renewed once whose
// renewed certificate expires unrenewed is told the same way by every
// output — the text's outcome line and why (of the cycle that expired,
// not of an earlier one), the JSON's final_outcome and cycles, the JUnit
// system-out and the Markdown table.
func TestEveryOutputTellsTheLastCycle(t *testing.T) {
	sum := runLibrary(t, "exported-renewed-detached")

	var text bytes.Buffer
	require.NoError(t, report.WriteText(&text, sum))
	assert.Contains(t, text.String(), "    2027-02-15 00:10  the certificate expired without being renewed\n"+
		"    outcome: renewed (cycle 1, 2026-08-01 00:10), then expired without being renewed (cycle 2, 2027-02-15 00:10)\n"+
		"    why: not eligible: not in use by any integrated service and not exported, so ACM does not try to renew\n")

	var js bytes.Buffer
	require.NoError(t, report.WriteJSON(&js, sum))
	var back result.Summary
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	c := back.Scenarios[0].Certificates[0]
	assert.Equal(t, "renewed", string(c.Outcome))
	assert.Equal(t, "expired", string(c.FinalOutcome))
	assert.Equal(t, "EXPIRED", string(c.FinalStatus))
	require.Len(t, c.Cycles, 2)
	assert.Equal(t, "expired", string(c.Cycles[1].Outcome))

	var junit bytes.Buffer
	require.NoError(t, report.WriteJUnit(&junit, sum))
	assert.Contains(t, junit.String(), "certificate web (example.com): renewed at 2026-08-01 00:10, 44d23h50m before expiry, then expired 2027-02-15 00:10 (cycle 2)")

	var md bytes.Buffer
	require.NoError(t, report.WriteMarkdown(&md, sum))
	assert.Contains(t, md.String(), "| web | renewed, then expired 2027-02-15 00:10 (cycle 2) | 2026-08-01 00:10 |")
}

// A certificate that failed in one cycle and renewed in it is not told
// why it failed: the why of an expiry comes from the cycle that expired.
// Here the CNAME is missing for most of cycle 1, put back, the certificate
// renews, then is detached: cycle 2 expires because it is not eligible.
func TestWhyIsOfTheExpiredCycle(t *testing.T) {
	src, ok := scenarios.LibrarySource("dns-cname-restored-late")
	require.True(t, ok)
	doc := strings.Replace(string(src), "until: web.expiry+7d", "until: 2027-04-01T00:00:00Z", 1)
	doc = strings.Replace(doc, "\nexpect:", `
  - at: web.expiry
    do: detach
    cert: web
    resource: alb-prod

expect:`, 1)
	sc, err := scenarios.Parse("t.yaml", []byte(doc))
	require.NoError(t, err)
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	sum := &result.Summary{Scenarios: []result.Scenario{result.Build(sc, res.Seed, res.Log)}}
	var text bytes.Buffer
	require.NoError(t, report.WriteText(&text, sum))
	assert.Contains(t, text.String(), "then expired without being renewed (cycle 2, 2027-03-12 00:10)\n"+
		"    why: not eligible: not in use by any integrated service and not exported, so ACM does not try to renew\n")
	assert.NotContains(t, text.String(), "the last attempt", "cycle 1's failing attempts are not why cycle 2 expired")
	c := sum.Scenarios[0].Certificates[0]
	assert.Equal(t, "not eligible: not in use by any integrated service and not exported", c.Cycles[1].Reason)
}
