package result_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// Expectations read the record of their own certificate or resource only,
// and the whole record where they name none.
func TestExpectationsReadTheRecord(t *testing.T) {
	start := fixture.Busy()[0].Time
	day := func(d int) time.Time { return start.AddDate(0, 0, d) }
	n := func(i int) *int { return &i }
	dur := func(d time.Duration) *time.Duration { return &d }
	for _, tc := range []struct {
		name   string
		expect sim.Expectation
		passed bool
		detail string
	}{
		{"status between two changes", sim.Expectation{Kind: sim.ExpectStatusAt, Cert: "api", At: day(76), Status: sim.StatusIssued, RenewalStatus: sim.RenewalPendingAuto},
			true, "expected status ISSUED, renewal PENDING_AUTO_RENEWAL at 2026-05-16 00:00Z, got status ISSUED, renewal PENDING_AUTO_RENEWAL"},
		{"a change at that very instant counts", sim.Expectation{Kind: sim.ExpectStatusAt, Cert: "api", At: day(77), RenewalStatus: sim.RenewalPendingValidation},
			true, "expected renewal PENDING_VALIDATION at 2026-05-17 00:00Z, got status ISSUED, renewal PENDING_VALIDATION"},
		{"before any status", sim.Expectation{Kind: sim.ExpectStatusAt, Cert: "web", At: day(-1), Status: sim.StatusIssued},
			false, "expected status ISSUED at 2026-02-28 00:00Z, got renewal none"},
		{"after the last change", sim.Expectation{Kind: sim.ExpectStatusAt, Cert: "web", At: day(205), Status: sim.StatusExpired, Reason: "none"},
			true, "expected status EXPIRED, reason none at 2026-09-22 00:00Z, got status EXPIRED, renewal FAILED, reason none"},
		{"a certificate the record never mentions", sim.Expectation{Kind: sim.ExpectStatusAt, Cert: "ghost", At: day(10), Status: sim.StatusIssued},
			false, "expected status ISSUED at 2026-03-11 00:00Z, got renewal none"},
		{"events of one certificate", sim.Expectation{Kind: sim.ExpectEventCount, Cert: "web", Event: sim.EventActionRequired, Count: n(5)},
			true, `expected exactly 5 "ACM Certificate Renewal Action Required" events, got 5`},
		{"events of another", sim.Expectation{Kind: sim.ExpectEventCount, Cert: "api", Event: sim.EventActionRequired, Min: n(2)},
			false, `expected at least 2 "ACM Certificate Renewal Action Required" events, got 1`},
		{"no AWS Health event has that code", sim.Expectation{Kind: sim.ExpectEventCount, Cert: "web", Event: sim.EventApproaching, Code: "AWS_ACM_RENEWAL_STATE_CHANGE", Max: n(0)},
			true, `expected at most 0 "ACM Certificate Approaching Expiration AWS_ACM_RENEWAL_STATE_CHANGE" events, got 0`},
		{"delivered e-mails, any certificate", sim.Expectation{Kind: sim.ExpectEmail, Email: sim.EmailAny, Count: n(1)},
			true, "expected exactly 1 any e-mail delivered, got 1"},
		{"the recipient in another case", sim.Expectation{Kind: sim.ExpectEmail, Email: sim.EmailApproval, To: "ADMIN@Example.COM", Cert: "api", Count: n(1)},
			true, "expected exactly 1 approval e-mail delivered to ADMIN@Example.COM, got 1"},
		{"a refused e-mail is not delivered", sim.Expectation{Kind: sim.ExpectEmail, Email: sim.EmailAny, To: "hostmaster@example.com", Count: n(0)},
			true, "expected exactly 0 any e-mails delivered to hostmaster@example.com, got 0"},
		{"e-mails of a certificate that got none", sim.Expectation{Kind: sim.ExpectEmail, Email: sim.EmailApproval, Cert: "web", Min: n(1)},
			false, "expected at least 1 approval e-mail delivered, got 0"},
		{"outage after detaching", sim.Expectation{Kind: sim.ExpectOutage, Resource: "cdn", Outage: dur(2 * sim.Day)},
			true, "expected outage 2d, got 2d"},
		{"no outage where nothing was served", sim.Expectation{Kind: sim.ExpectOutage, Resource: "idle", OutageAtLeast: dur(time.Second)},
			false, "expected outage of at least 1s, got 0s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.expect.Text = tc.name
			sc := result.Build(fixture.BusyScenario(tc.expect), 7, fixture.Busy())
			require.Len(t, sc.Expectations, 1)
			assert.Equal(t, tc.passed, sc.Expectations[0].Passed)
			assert.Equal(t, tc.detail, sc.Expectations[0].Detail)
		})
	}
}

func TestBuildReadsEachCertificateAndResource(t *testing.T) {
	sc := result.Build(fixture.BusyScenario(), 7, fixture.Busy())
	require.Len(t, sc.Certificates, 3)
	api, ghost, web := sc.Certificates[0], sc.Certificates[1], sc.Certificates[2]
	assert.Equal(t, sim.OutcomeRenewed, api.Outcome)
	assert.Equal(t, 48, api.Attempts)
	assert.Equal(t, 1, api.Renewals)
	assert.Equal(t, sim.OutcomePending, ghost.Outcome, "a certificate without entries")
	assert.Empty(t, ghost.FinalStatus)
	assert.Equal(t, sim.OutcomeExpired, web.Outcome)
	assert.Equal(t, sim.StatusExpired, web.FinalStatus)

	require.Len(t, sc.Resources, 3)
	assert.Equal(t, "apigw", sc.Resources[0].ID)
	assert.Zero(t, sc.Resources[0].OutageSeconds, "probes found no expired certificate")
	assert.Equal(t, "idle", sc.Resources[1].ID)
	assert.Empty(t, sc.Resources[1].Windows)
	cdn := sc.Resources[2]
	require.Len(t, cdn.Windows, 1, "no probes: the outage comes from what was deployed")
	assert.Equal(t, "web", cdn.Windows[0].Cert)
	assert.Equal(t, "01", cdn.Windows[0].Serial)
}
