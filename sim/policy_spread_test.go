package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// fleetUnder is a scenario of n certificates issued at the same instant,
// all served by one load balancer, under profile.
func fleetUnder(t *testing.T, profile string, n int) *sim.Scenario {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name: fleet\nprofile: %s\nstart: 2026-03-01T00:00:00Z\nuntil: c0.expiry\n", profile)
	b.WriteString("resources:\n  - id: alb\n    kind: elb\ncertificates:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - id: c%d\n    domain: host%d.example.com\n    in_use_by: [alb]\n", i, i)
	}
	sc, err := scenarios.Parse("fleet.yaml", []byte(b.String()))
	require.NoError(t, err)
	return sc
}

// windowsOpened runs sc with seed and returns when each certificate's
// first renewal window opened.
func windowsOpened(t *testing.T, sc *sim.Scenario, seed uint64) map[string]time.Time {
	t.Helper()
	d := newDriver(sc, seed, false)
	require.NoError(t, d.finish())
	out := map[string]time.Time{}
	for _, e := range d.m.Record() {
		if e.Kind == sim.KindWindow && e.Detail.Cycle == 1 {
			out[e.Cert] = e.Time
		}
	}
	require.Len(t, out, len(sc.Certificates), "every certificate's window opened")
	return out
}

// Under ari, certificates issued at the same instant start renewing spread
// over the suggested window, not all at one instant (which is what ARI is
// for: spreading the load on the CA); under acm-2026 they start together.
func TestARISpreadsAFleetOverTheWindow(t *testing.T) {
	const n = 60
	issued := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	// Pebble's window for a 198-day certificate: 132 days after issue,
	// a day either side, the end excluded.
	from, to := issued.Add(131*sim.Day), issued.Add(133*sim.Day)

	opened := windowsOpened(t, fleetUnder(t, "ari", n), 1)
	var quarters [4]int
	distinct := map[time.Time]bool{}
	for id, at := range opened {
		require.False(t, at.Before(from) || !at.Before(to), "%s opened at %s, outside [%s, %s)", id, at, from, to)
		distinct[at] = true
		quarters[at.Sub(from)*4/to.Sub(from)]++
	}
	assert.GreaterOrEqual(t, len(distinct), n-5, "60 draws over 2880 minutes: nearly all different")
	for q, k := range quarters {
		assert.GreaterOrEqual(t, k, 5, "quarter %d of the window: %v", q, quarters)
	}

	// The same fleet and seed: the same times; another seed: others.
	assert.Equal(t, opened, windowsOpened(t, fleetUnder(t, "ari", n), 1))
	other := windowsOpened(t, fleetUnder(t, "ari", n), 2)
	moved := 0
	for id := range opened {
		if !other[id].Equal(opened[id]) {
			moved++
		}
	}
	assert.GreaterOrEqual(t, moved, n-5, "another seed draws other times")

	acm := windowsOpened(t, fleetUnder(t, "acm-2026", n), 1)
	for id, at := range acm {
		assert.Equal(t, issued.Add(153*sim.Day), at, "%s: acm-2026 opens every window at T-45d", id)
	}
}
