package result_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// runDoc loads a scenario from YAML, runs it over loopback and builds its
// result.
func runDoc(t *testing.T, doc string) result.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("t.yaml", []byte(doc))
	require.NoError(t, err)
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	return result.Build(sc, res.Seed, res.Log)
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

// Event expectations narrowed by time and detail fields.
func TestExpectEventContents(t *testing.T) {
	checkExpectations(t, dnsMissingDoc, []expectCase{
		{"  - {cert: web, event: ACM Certificate Renewal Action Required, at: web.expiry-30d, detail: {DaysToExpiry: 30, RenewalStatusReason: PENDING_DOMAIN_VALIDATION, DomainValidationMethod: DNS, InUse: true, CertificateExpirationDate: web.expiry}}\n", true,
			`expected at least 1 "ACM Certificate Renewal Action Required" event at 2026-08-16 00:00Z with DaysToExpiry 30, RenewalStatusReason PENDING_DOMAIN_VALIDATION, DomainValidationMethod DNS, InUse true, CertificateExpirationDate 2026-09-15T00:00:00Z, got 1`},
		{"  - {cert: web, event: ACM Certificate Renewal Action Required, detail: {DaysToExpiry: 7}, count: 1}\n", true,
			`expected exactly 1 "ACM Certificate Renewal Action Required" event with DaysToExpiry 7, got 1`},
		{"  - {cert: web, event: ACM Certificate Renewal Action Required, detail: {DaysToExpiry: 45}}\n", false,
			`expected at least 1 "ACM Certificate Renewal Action Required" event with DaysToExpiry 45, got 0; others: 2026-08-16 00:00Z (DaysToExpiry 30); 2026-08-31 00:00Z (DaysToExpiry 15); 2026-09-08 00:00Z (DaysToExpiry 7)`},
		{"  - {cert: web, event: ACM Certificate Renewal Action Required, at: web.expiry-29d}\n", false,
			`expected at least 1 "ACM Certificate Renewal Action Required" event at 2026-08-17 00:00Z, got 0`},
		{"  - {cert: web, event: AWS Health Event, code: AWS_ACM_RENEWAL_STATE_CHANGE, at: web.expiry, count: 1}\n", true,
			`expected exactly 1 "AWS Health Event" event at 2026-09-15 00:00Z, got 1`},
		{"  - {cert: web, event: ACM Certificate Expired, detail: {InUse: true, Exported: false, CertificateType: AMAZON_ISSUED}}\n", true,
			`expected at least 1 "ACM Certificate Expired" event with InUse true, Exported false, CertificateType AMAZON_ISSUED, got 1`},
	})
}

const cyclesDoc = `name: cycles
start: 2026-03-01T00:00:00Z
until: 2028-09-01T00:00:00Z
resources:
  - {id: cdn, kind: cloudfront}
certificates:
  - id: web
    domain: example.com
    in_use_by: [cdn]
`

// Later cycles, the number of renewals, Available's Action, and when the
// distribution serves each renewed certificate (4 h after issue).
func TestExpectCycles(t *testing.T) {
	checkExpectations(t, cyclesDoc, []expectCase{
		{"  - {cert: web, renewals: 5}\n", true, "expected 5 renewals, got 5"},
		{"  - {cert: web, renewals: 4}\n", false, "expected 4 renewals, got 5"},
		{"  - {cert: web, cycle: 2, outcome: renewed}\n", true, "expected outcome renewed in cycle 2, got renewed"},
		{"  - {cert: web, cycle: 6, outcome: pending}\n", true, "expected outcome pending in cycle 6, got pending"},
		{"  - {cert: web, cycle: 2, renewed_after: 2027-01-01T00:10:00Z, renewed_before: 2027-01-01T00:20:00Z}\n", true,
			"expected renewed after 2027-01-01 00:10Z before 2027-01-01 00:20Z in cycle 2, got renewed at 2027-01-01 00:20Z"},
		{"  - {cert: web, cycle: 1, renewed_after: web.expiry-45d, renewed_before: web.expiry-44d}\n", true,
			"expected renewed after 2026-08-01 00:00Z before 2026-08-02 00:00Z, got renewed at 2026-08-01 00:10Z"},
		{"  - {cert: web, event: ACM Certificate Available, detail: {Action: RENEWAL, DaysToExpiry: 198}, count: 5}\n", true,
			`expected exactly 5 "ACM Certificate Available" events with Action RENEWAL, DaysToExpiry 198, got 5`},
		{"  - {resource: cdn, cert: web, serves_renewed_after: web.expiry-45d, serves_renewed_before: web.expiry-44d19h50m}\n", true,
			"expected cdn serving web's renewed certificate (cycle 1) from after 2026-08-01 00:00Z by 2026-08-01 04:10Z, got it served from 2026-08-01 04:10Z"},
		{"  - {resource: cdn, cert: web, cycle: 3, serves_renewed_before: 2027-06-03T04:00:00Z}\n", false,
			"expected cdn serving web's renewed certificate (cycle 3) by 2027-06-03 04:00Z, got it served from 2027-06-03 04:30Z"},
		{"  - {resource: cdn, cert: web, cycle: 7, serves_renewed_after: start}\n", false,
			"expected cdn serving web's renewed certificate (cycle 7) from after 2026-03-01 00:00Z, got no renewal in cycle 7"},
	})
}
