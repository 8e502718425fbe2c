package result_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// One truth per cycle (issue 18 §2): the certificate of
// exported-renewed-detached renews once, and the certificate that renewal
// issued expires unrenewed. Its result says both — outcome renewed (the
// first cycle), final_outcome expired, and the two cycles with their dates
// and the second one's reason — and expectations can name either.
func TestRenewedThenExpiredHasOneTruthPerCycle(t *testing.T) {
	s := runDoc(t, librarySource(t, "exported-renewed-detached", "expect:", `expect:
  - {cert: web, final_outcome: expired}
  - {cert: web, final_outcome: renewed}
  - {cert: web, cycle: 1, event: ACM Certificate Available, count: 0}
  - {cert: web, cycle: 2, event: ACM Certificate Available, count: 1}
  - {cert: web, cycle: 2, event: ACM Certificate Expired, count: 1}
  - {cert: web, cycle: 1, event: ACM Certificate Expired, count: 1}
  - {cert: web, cycle: 2, event: ACM Certificate Available, detail: {Action: RENEWAL}}`))
	require.Len(t, s.Certificates, 1)
	c := s.Certificates[0]
	assert.Equal(t, sim.OutcomeRenewed, c.Outcome, "outcome stays the first cycle's")
	assert.Equal(t, sim.StatusExpired, c.FinalStatus)
	assert.Equal(t, sim.OutcomeExpired, c.FinalOutcome)
	require.Len(t, c.Cycles, 2)
	assert.Equal(t, sim.OutcomeRenewed, c.Cycles[0].Outcome)
	assert.Equal(t, "2026-08-01T00:10:00Z", c.Cycles[0].RenewedAt.Format("2006-01-02T15:04:05Z"))
	assert.Equal(t, "2026-09-15T00:00:00Z", c.Cycles[0].NotAfter.Format("2006-01-02T15:04:05Z"))
	assert.Equal(t, sim.OutcomeExpired, c.Cycles[1].Outcome)
	assert.Equal(t, "2027-01-01T00:10:00Z", c.Cycles[1].WindowOpened.Format("2006-01-02T15:04:05Z"))
	assert.Equal(t, "2027-02-15T00:10:00Z", c.Cycles[1].ExpiredAt.Format("2006-01-02T15:04:05Z"))
	assert.Equal(t, c.Cycles[1].NotAfter, *c.Cycles[1].ExpiredAt)
	assert.Equal(t, "not eligible: not in use by any integrated service and not exported", c.Cycles[1].Reason)

	got := map[string]result.Expectation{}
	for _, e := range s.Expectations {
		got[e.Text] = e
	}
	for text, want := range map[string]struct {
		passed bool
		detail string
	}{
		"{cert: web, final_outcome: expired}":                               {true, "expected final outcome expired, got expired (cycle 2 of 2)"},
		"{cert: web, final_outcome: renewed}":                               {false, "expected final outcome renewed, got expired (cycle 2 of 2)"},
		"{cert: web, cycle: 1, event: ACM Certificate Available, count: 0}": {true, `expected exactly 0 "ACM Certificate Available" events in cycle 1, got 0`},
		"{cert: web, cycle: 2, event: ACM Certificate Available, count: 1}": {true, `expected exactly 1 "ACM Certificate Available" event in cycle 2, got 1`},
		"{cert: web, cycle: 2, event: ACM Certificate Expired, count: 1}":   {true, `expected exactly 1 "ACM Certificate Expired" event in cycle 2, got 1`},
		"{cert: web, cycle: 1, event: ACM Certificate Expired, count: 1}":   {false, `expected exactly 1 "ACM Certificate Expired" event in cycle 1, got 0`},
		"{cert: web, cycle: 2, event: ACM Certificate Available, detail: {Action: RENEWAL}}": {true,
			`expected at least 1 "ACM Certificate Available" event in cycle 2 with Action RENEWAL, got 1`},
	} {
		e, ok := got[text]
		if assert.True(t, ok, text) {
			assert.Equal(t, want.passed, e.Passed, text)
			assert.Equal(t, want.detail, e.Detail, text)
		}
	}
}

// E-mails counted per cycle: the approval e-mails of the renewal clicked
// late all belong to its first cycle.
func TestEmailsPerCycle(t *testing.T) {
	s := runDoc(t, librarySource(t, "email-clicked-late", "expect:", `expect:
  - {cert: web, cycle: 1, email: approval, min: 1}
  - {cert: web, cycle: 2, email: approval, count: 0}`))
	for _, e := range s.Expectations {
		assert.True(t, e.Passed, "%s: %s", e.Text, e.Detail)
	}
	c := s.Certificates[0]
	assert.Equal(t, sim.OutcomeRenewed, c.FinalOutcome)
	require.Len(t, c.Cycles, 2)
	assert.Equal(t, sim.OutcomePending, c.Cycles[1].Outcome, "the renewed certificate's cycle is open when the run ends")
	assert.Empty(t, c.Cycles[1].Reason)
}
