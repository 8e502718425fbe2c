package record

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/renewsim/renewsim/sim"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func ptr[T any](v T) *T { return &v }

// With probes, an outage runs from the served certificate's expiry to the
// first handshake that verifies again, and is named after the certificate
// last deployed with that serial.
func TestOutageFromProbes(t *testing.T) {
	log := []sim.Entry{
		{Time: at(0), Kind: sim.KindDeployed, Cert: "web", Detail: &sim.Detail{Resource: "alb", Serial: "01", NotAfter: ptr(at(10))}},
		{Time: at(11), Kind: sim.KindProbe, Cert: "web", Detail: &sim.Detail{Resource: "alb", Serial: "01", NotAfter: ptr(at(10)), Expired: ptr(true)}},
		{Time: at(12), Kind: sim.KindProbe, Cert: "web", Detail: &sim.Detail{Resource: "alb", Serial: "01", NotAfter: ptr(at(10)), Expired: ptr(true)}},
		{Time: at(14), Kind: sim.KindDeployed, Cert: "web", Detail: &sim.Detail{Resource: "alb", Serial: "02", NotAfter: ptr(at(100))}},
		{Time: at(15), Kind: sim.KindProbe, Cert: "web", Detail: &sim.Detail{Resource: "alb", Serial: "02", NotAfter: ptr(at(100)), Expired: ptr(false)}},
		{Time: at(20), Kind: sim.KindEnd},
	}
	ws := New(log).Outage("alb", at(30))
	assert.Equal(t, []Window{{Start: at(10), End: at(15), Cert: "web", Serial: "01"}}, ws)
	assert.Equal(t, 5*time.Hour, Total(ws))
}

// Without probes, what was deployed says it: from expiry (or deployment)
// until it was taken off or the run ended, the end entry first.
func TestOutageFromDeployments(t *testing.T) {
	log := []sim.Entry{
		{Time: at(0), Kind: sim.KindDeployed, Cert: "web", Detail: &sim.Detail{Resource: "alb", Serial: "01", NotAfter: ptr(at(10))}},
		{Time: at(5), Kind: sim.KindDeployed, Cert: "api", Detail: &sim.Detail{Resource: "alb", Serial: "07", NotAfter: ptr(at(2))}},
		{Time: at(8), Kind: sim.KindUndeployed, Cert: "api", Detail: &sim.Detail{Resource: "alb"}},
	}
	x := New(log)
	ws := x.Outage("alb", at(12))
	assert.Equal(t, []Window{
		{Start: at(5), End: at(8), Cert: "api", Serial: "07"},
		{Start: at(10), End: at(12), Cert: "web", Serial: "01"},
	}, ws)
	assert.Equal(t, 5*time.Hour, Total(ws))
	assert.Equal(t, []Window{}, x.Outage("cdn", at(12)), "a resource the record never mentions: none, not nil")
}

func TestTotalCountsOverlapsOnce(t *testing.T) {
	assert.Equal(t, time.Duration(0), Total(nil))
	assert.Equal(t, 7*time.Hour, Total([]Window{
		{Start: at(0), End: at(4)}, {Start: at(2), End: at(5)}, {Start: at(3), End: at(4)}, {Start: at(8), End: at(10)},
	}))
}
