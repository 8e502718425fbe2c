package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cycleEntries builds a certificate's entries, each d after start.
type cycleEntries struct {
	start time.Time
	out   []Entry
}

func (b *cycleEntries) add(d time.Duration, k Kind, det Detail) *cycleEntries {
	b.out = append(b.out, Entry{Time: b.start.Add(d), Kind: k, Cert: "web", Detail: &det})
	return b
}

func (b *cycleEntries) read() []Cycle {
	var r CycleReader
	for i := range b.out {
		r.Add(&b.out[i])
	}
	return r.Cycles()
}

// One truth per cycle: a certificate renewed once whose renewed
// certificate is not eligible in the next cycle has two cycles, renewed
// then expired, and its final outcome is expired; the reason is the
// second cycle's, in the record's words.
func TestCyclesRenewedThenExpired(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	na1, na2 := t0.Add(198*Day), t0.Add(153*Day+10*time.Minute+198*Day)
	b := &cycleEntries{start: t0}
	b.add(0, KindCert, Detail{NotAfter: &na1}).
		add(0, KindStatus, Detail{StatusDetail: &StatusDetail{Status: StatusIssued, Eligibility: Eligible}}).
		add(153*Day, KindWindow, Detail{Cycle: 1, StatusDetail: &StatusDetail{Eligibility: Eligible}}).
		add(153*Day, KindAttempt, Detail{Cycle: 1, OK: boolPtr(true)}).
		add(153*Day+10*time.Minute, KindIssued, Detail{Cycle: 1, NotAfter: &na2}).
		add(168*Day, KindStatus, Detail{StatusDetail: &StatusDetail{Status: StatusIssued, RenewalStatus: RenewalSuccess, Eligibility: Ineligible, Cause: CauseNotInUse}}).
		add(na2.Sub(t0)-45*Day, KindWindow, Detail{Cycle: 2, StatusDetail: &StatusDetail{Eligibility: Ineligible, Cause: CauseNotInUse},
			Text: "renewal window opened 45d before expiry; not eligible: not in use by any integrated service and not exported, so ACM does not try to renew"}).
		add(na2.Sub(t0), KindExpired, Detail{Cycle: 2})
	cycles := b.read()
	require.Len(t, cycles, 2)
	renewed, expired := t0.Add(153*Day+10*time.Minute), na2
	window1, window2 := t0.Add(153*Day), na2.Add(-45*Day)
	assert.Equal(t, Cycle{N: 1, NotAfter: na1, WindowOpened: &window1, Outcome: OutcomeRenewed, RenewedAt: &renewed}, cycles[0])
	assert.Equal(t, Cycle{N: 2, NotAfter: na2, WindowOpened: &window2, Outcome: OutcomeExpired, ExpiredAt: &expired,
		Reason: "not eligible: not in use by any integrated service and not exported"}, cycles[1])
	assert.Equal(t, OutcomeExpired, FinalOutcome(cycles))
}

// The reason of a cycle is what its own entries say, most telling first:
// ineligibility, a CAA refusal after the names validated, the names the
// last attempt failed, a Private CA's refusal; a pending cycle says what
// holds it up only once its window has opened.
func TestCycleReasons(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	na := t0.Add(198 * Day)
	failed := Detail{Cycle: 1, OK: boolPtr(false), Checks: []NameCheck{
		{Domain: "example.com", Status: ValidationPending, Problem: "_x.example.com. does not exist (NXDOMAIN)"},
		{Domain: "*.example.com", Status: ValidationPending, Problem: "_x.example.com. does not exist (NXDOMAIN)"},
		{Domain: "www.example.com", Status: ValidationSuccess},
	}}
	caa := Detail{Cycle: 1, OK: boolPtr(false), CAA: []CAAAnswer{{Name: "example.com", Problem: "CAA issue at example.com. allows only letsencrypt.org, not Amazon"}}}
	for _, tc := range []struct {
		name    string
		build   func(b *cycleEntries)
		outcome Outcome
		reason  string
	}{
		{"failing attempts", func(b *cycleEntries) {
			b.add(153*Day, KindWindow, Detail{Cycle: 1}).add(153*Day, KindAttempt, failed).add(198*Day, KindExpired, Detail{Cycle: 1})
		}, OutcomeExpired, "validation failed: example.com, *.example.com: _x.example.com. does not exist (NXDOMAIN)"},
		{"CAA after the names validated", func(b *cycleEntries) {
			b.add(153*Day, KindWindow, Detail{Cycle: 1}).add(153*Day, KindAttempt, failed).
				add(160*Day, KindCAA, caa).add(198*Day, KindExpired, Detail{Cycle: 1})
		}, OutcomeExpired, "CAA forbids Amazon (CAA_ERROR): example.com: CAA issue at example.com. allows only letsencrypt.org, not Amazon"},
		{"a Private CA that refuses", func(b *cycleEntries) {
			b.add(153*Day, KindWindow, Detail{Cycle: 1}).
				add(153*Day, KindStatus, Detail{Cycle: 1, StatusDetail: &StatusDetail{RenewalStatus: RenewalFailed, Reason: "PCA_INVALID_STATE", Eligibility: Eligible}}).
				add(198*Day, KindExpired, Detail{Cycle: 1})
		}, OutcomeExpired, "AWS Private CA refused to issue it (PCA_INVALID_STATE)"},
		{"imported", func(b *cycleEntries) {
			b.add(0, KindStatus, Detail{StatusDetail: &StatusDetail{Status: StatusIssued, Eligibility: Ineligible, Cause: CauseImported}}).add(198*Day, KindExpired, Detail{Cycle: 1})
		}, OutcomeExpired, "not eligible: imported certificates are never renewed by ACM"},
		{"failing when the run stops", func(b *cycleEntries) {
			b.add(153*Day, KindWindow, Detail{Cycle: 1}).add(153*Day, KindAttempt, failed)
		}, OutcomePending, "validation failed: example.com, *.example.com: _x.example.com. does not exist (NXDOMAIN)"},
		{"before its window", func(b *cycleEntries) {
			b.add(0, KindStatus, Detail{StatusDetail: &StatusDetail{Status: StatusIssued, Eligibility: Eligible}})
		}, OutcomePending, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &cycleEntries{start: t0}
			b.add(0, KindCert, Detail{NotAfter: &na})
			tc.build(b)
			cycles := b.read()
			require.Len(t, cycles, 1)
			assert.Equal(t, tc.outcome, cycles[0].Outcome)
			assert.Equal(t, tc.reason, cycles[0].Reason)
			assert.Equal(t, tc.outcome, FinalOutcome(cycles))
		})
	}
}

// The final outcome is the last decided cycle's: a renewal followed by a
// cycle still open is renewed; nothing decided is pending.
func TestFinalOutcome(t *testing.T) {
	assert.Equal(t, OutcomePending, FinalOutcome(nil))
	assert.Equal(t, OutcomeRenewed, FinalOutcome([]Cycle{{N: 1, Outcome: OutcomeRenewed}, {N: 2, Outcome: OutcomePending}}))
	assert.Equal(t, OutcomeExpired, FinalOutcome([]Cycle{{N: 1, Outcome: OutcomeRenewed}, {N: 2, Outcome: OutcomeExpired}}))
}
