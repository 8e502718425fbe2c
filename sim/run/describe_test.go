package run

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

// A private certificate's renewal summary does not exist (CertificateDetail:
// only for AMAZON_ISSUED), before, during or after its renewal; its events
// leave DomainValidationMethod out rather than send it empty. An
// amazon-issued certificate's events carry the method.
func TestPrivateCertificateDescribe(t *testing.T) {
	for _, tc := range []struct {
		name, method string
	}{
		{"private-cert", ""},
		{"dns-happy", "DNS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, rs := runLibrary(t, tc.name, nil)
			for _, e := range rs.Expectations {
				assert.True(t, e.Passed, "%s: %s", e.Text, e.Detail)
			}
			sc := res.Scenario
			for _, e := range res.Log {
				v := sim.View(sc, res.Seed, res.Log, e.Time)[0]
				if tc.method == "" {
					require.Empty(t, v.RenewalStatus, "at %s", e.Time)
					require.Empty(t, v.Reason, "at %s", e.Time)
				}
			}
			if tc.method != "" {
				v := sim.View(sc, res.Seed, res.Log, sc.Until)[0]
				assert.Equal(t, sim.RenewalSuccess, v.RenewalStatus)
			}
			events := 0
			for _, e := range res.Log {
				if e.Kind != sim.KindEventBus || e.Detail.Event.Source != "aws.acm" {
					continue
				}
				raw, err := json.Marshal(e.Detail.Event.Detail)
				require.NoError(t, err)
				var d map[string]any
				require.NoError(t, json.Unmarshal(raw, &d))
				if e.Detail.Event.DetailType == sim.EventApproaching {
					continue
				}
				events++
				m, ok := d["DomainValidationMethod"]
				if tc.method == "" {
					assert.False(t, ok, "%s: %s", e.Detail.Event.DetailType, raw)
				} else {
					assert.Equal(t, tc.method, m, "%s: %s", e.Detail.Event.DetailType, raw)
				}
			}
			assert.Positive(t, events, "an Available event at least")
		})
	}
}

// A DNS fault injected into a live run (serve's /timeline) makes the
// attempts fail at once, timeouts included: the run never waits for an
// answer the server holds back. Clearing it lets the next attempt renew.
func TestLiveDNSFault(t *testing.T) {
	l := startLive(t, "dns-happy")
	T := l.Scenario().Certificates[0].NotAfter
	require.NoError(t, l.Inject(sim.Change{Do: sim.DoDNSFault, Zone: "example.com", Fault: sim.FaultTimeout}))
	require.NoError(t, l.AdvanceTo(T.Add(-45*sim.Day+2*time.Hour)))
	failed := 0
	for _, e := range l.Entries(0) {
		if e.Kind == sim.KindAttempt {
			require.False(t, *e.Detail.OK)
			require.Equal(t, sim.CauseDNSError, e.Detail.Checks[0].Cause)
			require.Equal(t, "the DNS query failed: no answer from the name server (timed out)", e.Detail.Checks[0].Problem)
			failed++
		}
	}
	assert.Equal(t, 3, failed)
	require.NoError(t, l.Inject(sim.Change{Do: sim.DoDNSFaultClear, Zone: "example.com"}))
	require.NoError(t, l.AdvanceTo(T.Add(-45*sim.Day+3*time.Hour+15*time.Minute)))
	renewed := false
	for _, e := range l.Entries(0) {
		renewed = renewed || e.Kind == sim.KindIssued
	}
	assert.True(t, renewed)
	assert.Error(t, l.Inject(sim.Change{Do: sim.DoDNSFault, Zone: "example.com", Fault: "flaky"}))
}
