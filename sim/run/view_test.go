package run

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

// What ACM shows at a time is a replay of the record up to then.
func TestViewReplaysTheRecord(t *testing.T) {
	res, _ := runLibrary(t, "dns-missing-cname", nil)
	sc := res.Scenario
	T := sc.Certificates[0].NotAfter

	at := func(d time.Duration) sim.CertView {
		v := sim.View(sc, res.Seed, res.Log, T.Add(d))
		require.Len(t, v, 1)
		return v[0]
	}
	before := at(-60 * sim.Day)
	assert.Equal(t, sim.StatusIssued, before.Status)
	assert.Empty(t, before.RenewalStatus, "no renewal summary before the window")
	assert.Equal(t, sim.Eligible, before.Eligibility)
	assert.Regexp(t, `^arn:aws:acm:us-east-1:123456789012:certificate/[0-9a-f-]{36}$`, before.ARN)
	assert.Equal(t, T, before.NotAfter)
	assert.Equal(t, []string{"alb-prod"}, before.InUseBy)
	require.Len(t, before.NameStatus, 2)
	assert.Equal(t, "DNS", before.NameStatus[0].Method)
	assert.Regexp(t, `^_[0-9a-f]{32}\.example\.com\.$`, before.NameStatus[0].Record)

	pending := at(-10 * sim.Day)
	assert.Equal(t, sim.RenewalPendingValidation, pending.RenewalStatus)
	assert.Equal(t, sim.ValidationPending, pending.NameStatus[0].Status)
	assert.Equal(t, sim.ValidationPending, pending.NameStatus[1].Status)

	expired := at(time.Hour)
	assert.Equal(t, sim.StatusExpired, expired.Status)
	assert.Equal(t, sim.RenewalFailed, expired.RenewalStatus)
	assert.Equal(t, sim.Ineligible, expired.Eligibility)
	assert.Equal(t, sim.ValidationFailed, expired.NameStatus[0].Status)

	happy, _ := runLibrary(t, "dns-happy", nil)
	v := sim.View(happy.Scenario, happy.Seed, happy.Log, happy.Scenario.Until)[0]
	assert.Equal(t, sim.RenewalSuccess, v.RenewalStatus)
	assert.Equal(t, sim.ValidationSuccess, v.NameStatus[0].Status)
	assert.True(t, v.NotAfter.After(T), "the view shows the renewed certificate")
	assert.Equal(t, before.ARN, v.ARN)
	assert.NotEqual(t, before.Serial, v.Serial)
}
