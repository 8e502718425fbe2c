package sweep_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/sim"
	"github.com/renewsim/renewsim/sweep"
)

var sweepT0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// sweepScenario has one certificate used by three resources.
func sweepScenario() *sim.Scenario {
	return &sim.Scenario{
		Name: "sweep-test", Start: sweepT0, Until: sweepT0.Add(200 * sim.Day), Seed: 1,
		Resources:    []sim.Resource{{ID: "a"}, {ID: "b"}, {ID: "c"}},
		Certificates: []sim.Certificate{{ID: "web", NotAfter: sweepT0.Add(198 * sim.Day)}},
	}
}

func sweepEntry(at time.Duration, kind sim.Kind, res string, d sim.Detail) sim.Entry {
	d.Resource = res
	return sim.Entry{Time: sweepT0.Add(at), Kind: kind, Cert: "web", Detail: &d}
}

// The margin counts from when the last resource that used the certificate
// at renewal serves the new one; one detached before that no longer counts.
func TestMarginFromTheLastResource(t *testing.T) {
	na := sweepT0.Add(198 * sim.Day)
	renewed := 197 * sim.Day
	log := []sim.Entry{
		sweepEntry(0, sim.KindDeployed, "a", sim.Detail{Serial: "01", NotAfter: &na}),
		sweepEntry(0, sim.KindDeployed, "b", sim.Detail{Serial: "01", NotAfter: &na}),
		sweepEntry(0, sim.KindDeployed, "c", sim.Detail{Serial: "01", NotAfter: &na}),
		sweepEntry(renewed, sim.KindIssued, "", sim.Detail{Cycle: 1, Serial: "02"}),
		sweepEntry(renewed+30*time.Minute, sim.KindDeployed, "a", sim.Detail{Serial: "02"}),
		sweepEntry(renewed+time.Hour, sim.KindUndeployed, "c", sim.Detail{Serial: "02"}),
		sweepEntry(renewed+6*time.Hour, sim.KindDeployed, "b", sim.Detail{Serial: "02"}),
	}
	v := sweep.Build(sweep.Info{Index: 3, Of: 5, Run: -1, Params: sweep.Params{{Path: "resources.b.deploy_delay", Value: "6h"}}}, sweepScenario(), 1, log)
	require.Len(t, v.Certificates, 1)
	c := v.Certificates[0]
	assert.Equal(t, sim.OutcomeRenewed, c.Outcome)
	assert.Equal(t, sweepT0.Add(renewed), *c.RenewedAt)
	assert.Equal(t, sweepT0.Add(renewed+6*time.Hour), *c.ServedAt)
	assert.Equal(t, "18h", *c.Margin)
	assert.Equal(t, int64(18*3600), *c.MarginSeconds)
	assert.Nil(t, v.Run)
	assert.Equal(t, 3, v.Index)
	assert.Equal(t, 5, v.Of)

	// b never serves it: no margin.
	v = sweep.Build(sweep.Info{Of: 1, Run: 0}, sweepScenario(), 1, log[:6])
	assert.Nil(t, v.Certificates[0].ServedAt)
	assert.Nil(t, v.Certificates[0].Margin)
	assert.Equal(t, 0, *v.Run)

	// Nothing used it: it counts as served when renewed.
	v = sweep.Build(sweep.Info{Of: 1, Run: -1}, sweepScenario(), 1, log[3:4])
	assert.Equal(t, "1d", *v.Certificates[0].Margin)

	// Not renewed.
	v = sweep.Build(sweep.Info{Of: 1, Run: -1}, sweepScenario(), 1, log[:3])
	assert.Equal(t, sim.OutcomePending, v.Certificates[0].Outcome)
	assert.Nil(t, v.Certificates[0].Margin)
	assert.Equal(t, sweep.Params{}, v.Params)
}

func ptr64(v int64) *int64 { return &v }

// JSON Lines: stable key order, parameters in order, and a round trip that
// gives the same bytes.
func TestJSONLines(t *testing.T) {
	vs := fixture.SweepVariants(4, func(i int) *int64 {
		if i == 3 {
			return nil
		}
		return ptr64(int64(3600 * (2 - i)))
	})
	run := 2
	vs[1].Run = &run
	vs[1].Sampled = sweep.Params{{Path: "resources.cdn.deploy_delay", Value: "1h2m3s"}}
	var buf bytes.Buffer
	require.NoError(t, sweep.WriteJSONLines(&buf, vs))
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, `{"scenario":"sweep-test","index":0,"of":4,"seed":1,"params":{"resources.cdn.deploy_delay":"0h","a<b>&c":"\"q\""},"certificates":[{"id":"web","outcome":"renewed","renewed_at":"2026-09-14T21:00:00Z","not_after":"2026-09-15T00:00:00Z","served_at":"2026-09-14T22:00:00Z","margin":"2h","margin_seconds":7200}],"resources":[{"id":"cdn","outage":"0s","outage_seconds":0}]}`, lines[0])
	assert.Contains(t, lines[0], `"params":{"resources.cdn.deploy_delay":"0h","a<b>&c":"\"q\""}`)
	assert.Contains(t, lines[1], `"run":2,"seed":1,`)
	assert.Contains(t, lines[1], `"sampled":{"resources.cdn.deploy_delay":"1h2m3s"}`)
	assert.Contains(t, lines[1], `"margin":"1h","margin_seconds":3600`)
	assert.Contains(t, lines[2], `"margin":"0s","margin_seconds":0`)
	assert.Contains(t, lines[3], `"outcome":"expired","renewed_at":null,"not_after":"2026-09-15T00:00:00Z","served_at":null,"margin":null,"margin_seconds":null`)
	for _, l := range lines {
		assert.True(t, json.Valid([]byte(l)))
	}

	back, err := sweep.Read(bytes.NewReader(append([]byte("\n"), buf.Bytes()...)))
	require.NoError(t, err)
	assert.Equal(t, vs, back)
	var again bytes.Buffer
	require.NoError(t, sweep.WriteJSONLines(&again, back))
	assert.Equal(t, buf.String(), again.String(), "byte for byte")

	_, err = sweep.Read(strings.NewReader("{\"index\":0,\"of\":1}\nnot json\n"))
	assert.ErrorContains(t, err, "line 2: not a sweep variant")
	_, err = sweep.Read(strings.NewReader(`{"index":5,"of":2}`))
	assert.ErrorContains(t, err, "line 1: variant index 5 of 2 is out of range")
	_, err = sweep.Read(strings.NewReader(`{"index":0,"of":1,"colour":"blue"}`))
	assert.ErrorContains(t, err, "unknown field")
}

func TestMerge(t *testing.T) {
	vs := fixture.SweepVariants(7, func(i int) *int64 { return ptr64(int64(i)) })
	var shards [][]sweep.Variant
	for s := range 3 {
		var part []sweep.Variant
		for k := s; k < 7; k += 3 {
			part = append(part, vs[k])
		}
		shards = append(shards, part)
	}
	got, err := sweep.Merge(shards[2], shards[0], shards[1])
	require.NoError(t, err)
	assert.Equal(t, vs, got)

	_, err = sweep.Merge(shards[0], shards[1], shards[2], shards[1])
	assert.EqualError(t, err, "variant 1 appears twice (a shard given twice, or shards of different -shard n?)")
	_, err = sweep.Merge(shards[0], shards[2])
	assert.EqualError(t, err, "2 of 7 variants are missing: 1, 4 (is a shard missing?)")
	_, err = sweep.Merge(vs[:5])
	assert.EqualError(t, err, "2 of 7 variants are missing: 5, 6 (is a shard missing?)")
	other := fixture.SweepVariants(3, func(int) *int64 { return nil })
	_, err = sweep.Merge(vs, other)
	assert.ErrorContains(t, err, "these are not shards of one sweep")
	_, err = sweep.Merge()
	assert.Error(t, err)
}

func TestPercentileNearestRank(t *testing.T) {
	ten := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for p, want := range map[float64]int{5: 1, 10: 1, 11: 2, 50: 5, 95: 10, 100: 10} {
		got, ok := sweep.Percentile(ten, p)
		assert.True(t, ok)
		assert.Equal(t, want, got, "p%v", p)
	}
	twenty := make([]int, 20)
	for i := range twenty {
		twenty[i] = i + 1
	}
	got, _ := sweep.Percentile(twenty, 95)
	assert.Equal(t, 19, got)
	got, _ = sweep.Percentile([]int{7}, 5)
	assert.Equal(t, 7, got)
	_, ok := sweep.Percentile([]int{}, 50)
	assert.False(t, ok)
}

// Variants without a margin count as the smallest.
func TestSum(t *testing.T) {
	vs := fixture.SweepVariants(20, func(i int) *int64 {
		if i < 2 {
			return nil
		}
		return ptr64(int64(3600 * (i - 5)))
	})
	a := sweep.Sum(vs)
	assert.Equal(t, 20, a.Variants)
	assert.Equal(t, "sweep-test", a.Scenario)
	assert.Equal(t, 20, a.GridPoints)
	require.Len(t, a.Certificates, 1)
	c := a.Certificates[0]
	assert.Equal(t, 18, c.Renewed)
	assert.Equal(t, 2, c.Expired)
	assert.Equal(t, 18, c.WithMargin)
	assert.Equal(t, 3, c.Negative)
	assert.Nil(t, c.MarginP5, "rank 1 of 20: a variant without a margin")
	assert.Equal(t, 4*time.Hour, *c.MarginP50, "rank 10: the 8th margin, -3h..14h")
	assert.Equal(t, 13*time.Hour, *c.MarginP95)
	assert.Equal(t, -3*time.Hour, *c.MarginMin)
	assert.Equal(t, 14*time.Hour, *c.MarginMax)
	assert.InDelta(t, 0.1, c.PExpired(a.Variants), 1e-9)
	require.Len(t, a.Resources, 1)
	assert.Equal(t, 5, a.Resources[0].WithOutage)
	assert.Equal(t, time.Duration(0), a.Resources[0].OutageP50)
	assert.Equal(t, time.Hour, a.Resources[0].OutageP95)
	assert.Equal(t, 2, a.AnyExpired)
	assert.Equal(t, 5, a.AnyOutage)

	run := 0
	for i := range vs {
		r := run + i%4
		vs[i].Run = &r
	}
	a = sweep.Sum(vs)
	assert.Equal(t, 4, a.Runs)
	assert.Equal(t, 20, a.GridPoints)
}

// A variant's margin is its certificates' smallest; one without a margin
// leaves the variant without one. Trouble is an expiry or the longest
// outage.
func TestVariantMarginAndTrouble(t *testing.T) {
	vs := fixture.SweepVariants(3, func(i int) *int64 {
		if i == 2 {
			return nil
		}
		return ptr64(int64(3600 * (1 - 2*i)))
	})
	m, ok := vs[0].SmallestMargin()
	assert.True(t, ok)
	assert.Equal(t, time.Hour, m)
	expired, outage := vs[1].Trouble()
	assert.False(t, expired)
	assert.Equal(t, time.Hour, outage, "a negative margin: an outage")
	_, ok = vs[2].SmallestMargin()
	assert.False(t, ok)
	expired, _ = vs[2].Trouble()
	assert.True(t, expired)

	two := vs[0]
	two.Certificates = append(two.Certificates, vs[1].Certificates[0])
	m, _ = two.SmallestMargin()
	assert.Equal(t, -time.Hour, m)
	_, ok = (&sweep.Variant{}).SmallestMargin()
	assert.False(t, ok, "no certificate, no margin")
}
