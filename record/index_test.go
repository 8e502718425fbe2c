package record

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/renewsim/renewsim/sim"
)

func TestIndex(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	log := []sim.Entry{
		{Time: t0, Kind: sim.KindStart},
		{Time: t0, Kind: sim.KindStatus, Cert: "web"},
		{Time: t0, Kind: sim.KindDeployed, Cert: "web", Detail: &sim.Detail{Resource: "alb", Serial: "01"}},
		{Time: t0.Add(time.Hour), Kind: sim.KindTimeline, Detail: &sim.Detail{TimelineDetail: &sim.TimelineDetail{Do: sim.DoDNSAdd}}},
		{Time: t0.Add(time.Hour), Kind: sim.KindStatus, Cert: "api"},
		{Time: t0.Add(2 * time.Hour), Kind: sim.KindDeployed, Cert: "api", Detail: &sim.Detail{Resource: "alb", Serial: "01"}},
		{Time: t0.Add(2 * time.Hour), Kind: sim.KindProbe, Detail: &sim.Detail{Resource: "cdn"}},
		{Time: t0.Add(3 * time.Hour), Kind: sim.KindStatus, Cert: "web"},
		{Time: t0.Add(4 * time.Hour), Kind: sim.KindEnd},
		{Time: t0.Add(5 * time.Hour), Kind: sim.KindEnd},
	}
	x := New(log)
	assert.Equal(t, []string{"web", "api"}, x.Certs(), "in the order first mentioned")
	assert.Equal(t, []string{"alb", "cdn"}, x.Resources())
	assert.Equal(t, []int32{1, 2, 7}, x.CertEntries("web"))
	assert.Equal(t, []int32{4, 5}, x.CertEntries("api"))
	assert.Nil(t, x.CertEntries("nope"))
	assert.Equal(t, []int32{2, 5}, x.ResourceEntries("alb"))
	assert.Equal(t, []int32{6}, x.ResourceEntries("cdn"))
	assert.Nil(t, x.ResourceEntries("nope"))
	assert.Equal(t, []bool{false, true}, x.probed)
	assert.Equal(t, "api", x.deployedBy[resourceSerial{0, "01"}], "the last deployment of a serial")
	assert.True(t, x.World())
	assert.Equal(t, t0.Add(5*time.Hour), x.EndOr(t0), "the last end entry")
	assert.Equal(t, t0.Add(9*time.Hour), New(log[:8]).EndOr(t0.Add(9*time.Hour)), "no end entry")
}
