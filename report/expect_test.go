package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// runDoc loads a scenario from YAML, runs it over loopback and builds its
// result.
func runDoc(t *testing.T, doc string) report.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("t.yaml", []byte(doc))
	require.NoError(t, err)
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	return report.Build(sc, res.Seed, res.Log)
}

// expectCase is one expectation and what its check must say.
type expectCase struct {
	expect string // one item of expect:, indented as a list item
	passed bool
	detail string
}

// checkExpectations runs doc with each case's expectation and compares
// the verdicts.
func checkExpectations(t *testing.T, doc string, cases []expectCase) {
	t.Helper()
	full := doc + "expect:\n"
	for _, c := range cases {
		full += c.expect
	}
	rs := runDoc(t, full)
	require.Len(t, rs.Expectations, len(cases))
	for i, c := range cases {
		got := rs.Expectations[i]
		assert.Equal(t, c.passed, got.Passed, "%s: %s", got.Text, got.Detail)
		assert.Equal(t, c.detail, got.Detail, got.Text)
	}
}

const privateDoc = `name: private
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
certificates:
  - id: web
    domain: internal.example.com
    type: private
    in_use_by: [alb]
`

// at: expectations read what DescribeCertificate shows (sim.View): a
// private certificate has no renewal summary, before or after it renews.
func TestExpectStatusAtPrivate(t *testing.T) {
	checkExpectations(t, privateDoc, []expectCase{
		{"  - {cert: web, at: web.expiry-59d, status: ISSUED, renewal_status: none}\n", true,
			"expected status ISSUED, renewal none at 2027-01-31 00:00Z, got status ISSUED, renewal none"},
		{"  - {cert: web, at: web.expiry-59d, renewal_status: SUCCESS}\n", false,
			"expected renewal SUCCESS at 2027-01-31 00:00Z, got status ISSUED, renewal none"},
		{"  - {cert: web, at: web.expiry-61d, renewal_status: none, reason: none}\n", true,
			"expected renewal none, reason none at 2027-01-29 00:00Z, got status ISSUED, renewal none, reason none"},
	})
}

const dnsMissingDoc = `name: dns
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
certificates:
  - id: web
    domain: example.com
    in_use_by: [alb]
    validation_record: absent
`

// For an amazon-issued certificate the renewal summary appears when the
// window opens.
func TestExpectStatusAtAmazonIssued(t *testing.T) {
	checkExpectations(t, dnsMissingDoc, []expectCase{
		{"  - {cert: web, at: web.expiry-45d1s, renewal_status: none}\n", true,
			"expected renewal none at 2026-07-31 23:59Z, got status ISSUED, renewal none"},
		{"  - {cert: web, at: web.expiry-45d, renewal_status: PENDING_AUTO_RENEWAL}\n", true,
			"expected renewal PENDING_AUTO_RENEWAL at 2026-08-01 00:00Z, got status ISSUED, renewal PENDING_AUTO_RENEWAL"},
		{"  - {cert: web, at: web.expiry-10d, renewal_status: PENDING_VALIDATION, reason: none}\n", true,
			"expected renewal PENDING_VALIDATION, reason none at 2026-09-05 00:00Z, got status ISSUED, renewal PENDING_VALIDATION, reason none"},
	})
}

// The diagnosis of an unanswered e-mail names the profile's approval link
// lifetime, not a constant.
func TestDiagnosisLinkTTLFromProfile(t *testing.T) {
	for _, tc := range []struct{ override, want string }{
		{"", "approve the newest e-mail within 72 hours"},
		{"overrides: {approval_link_ttl: 48h}\n", "approve the newest e-mail within 48 hours"},
		{"overrides: {approval_link_ttl: 7d}\n", "approve the newest e-mail within 7 days"},
		{"overrides: {approval_link_ttl: 90m}\n", "approve the newest e-mail within 1h30m"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			rs := runDoc(t, `name: mail
start: 2026-03-01T00:00:00Z
`+tc.override+`resources:
  - {id: alb, kind: elb}
certificates:
  - id: web
    domain: example.com
    validation: email
    in_use_by: [alb]
`)
			var b strings.Builder
			require.NoError(t, report.WriteText(&b, &report.Summary{Scenarios: []report.Scenario{rs}}))
			assert.Contains(t, b.String(), tc.want)
		})
	}
}
