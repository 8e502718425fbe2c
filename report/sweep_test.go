package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
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
	return sim.Entry{Time: sweepT0.Add(at), Kind: kind, Cert: "web", Resource: res, Detail: &d}
}

// The margin counts from when the last resource that used the certificate
// at renewal serves the new one; one detached before that no longer counts.
func TestSweepMarginFromTheLastResource(t *testing.T) {
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
	v := BuildVariant(VariantInfo{Index: 3, Of: 5, Run: -1, Params: Params{{"resources.b.deploy_delay", "6h"}}}, sweepScenario(), 1, log)
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
	v = BuildVariant(VariantInfo{Of: 1, Run: 0}, sweepScenario(), 1, log[:6])
	assert.Nil(t, v.Certificates[0].ServedAt)
	assert.Nil(t, v.Certificates[0].Margin)
	assert.Equal(t, 0, *v.Run)

	// Nothing used it: it counts as served when renewed.
	v = BuildVariant(VariantInfo{Of: 1, Run: -1}, sweepScenario(), 1, log[3:4])
	assert.Equal(t, "1d", *v.Certificates[0].Margin)

	// Not renewed.
	v = BuildVariant(VariantInfo{Of: 1, Run: -1}, sweepScenario(), 1, log[:3])
	assert.Equal(t, sim.OutcomePending, v.Certificates[0].Outcome)
	assert.Nil(t, v.Certificates[0].Margin)
	assert.Equal(t, Params{}, v.Params)
}

func sweepVariants(n int, margin func(i int) *int64) []VariantResult {
	var vs []VariantResult
	for i := range n {
		c := VariantCert{ID: "web", Outcome: "renewed", NotAfter: sweepT0.Add(198 * sim.Day)}
		if m := margin(i); m != nil {
			text := sim.FormatDuration(time.Duration(*m) * time.Second)
			served := c.NotAfter.Add(-time.Duration(*m) * time.Second)
			renewed := served.Add(-time.Hour)
			c.Margin, c.MarginSeconds, c.ServedAt, c.RenewedAt = &text, m, &served, &renewed
		} else {
			c.Outcome = "expired"
		}
		out := int64(0)
		if m := margin(i); m == nil || *m < 0 {
			out = 3600
		}
		vs = append(vs, VariantResult{Scenario: "sweep-test", Index: i, Of: n, Seed: 1,
			Params:       Params{{"resources.cdn.deploy_delay", fmt.Sprintf("%dh", i)}, {"a<b>&c", "\"q\""}},
			Certificates: []VariantCert{c}, Resources: []VariantResource{{ID: "cdn", Outage: sim.FormatDuration(time.Duration(out) * time.Second), OutageSeconds: out}}})
	}
	return vs
}

func ptr64(v int64) *int64 { return &v }

// JSON Lines: stable key order, parameters in order, and a round trip that
// gives the same bytes.
func TestSweepJSONLines(t *testing.T) {
	vs := sweepVariants(4, func(i int) *int64 {
		if i == 3 {
			return nil
		}
		return ptr64(int64(3600 * (2 - i)))
	})
	run := 2
	vs[1].Run = &run
	vs[1].Sampled = Params{{"resources.cdn.deploy_delay", "1h2m3s"}}
	var buf bytes.Buffer
	require.NoError(t, WriteVariantsJSON(&buf, vs))
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

	back, err := ReadVariants(bytes.NewReader(append([]byte("\n"), buf.Bytes()...)))
	require.NoError(t, err)
	assert.Equal(t, vs, back)
	var again bytes.Buffer
	require.NoError(t, WriteVariantsJSON(&again, back))
	assert.Equal(t, buf.String(), again.String(), "byte for byte")

	_, err = ReadVariants(strings.NewReader("{\"index\":0,\"of\":1}\nnot json\n"))
	assert.ErrorContains(t, err, "line 2: not a sweep variant")
	_, err = ReadVariants(strings.NewReader(`{"index":5,"of":2}`))
	assert.ErrorContains(t, err, "line 1: variant index 5 of 2 is out of range")
	_, err = ReadVariants(strings.NewReader(`{"index":0,"of":1,"colour":"blue"}`))
	assert.ErrorContains(t, err, "unknown field")
}

func TestSweepMerge(t *testing.T) {
	vs := sweepVariants(7, func(i int) *int64 { return ptr64(int64(i)) })
	var shards [][]VariantResult
	for s := range 3 {
		var part []VariantResult
		for k := s; k < 7; k += 3 {
			part = append(part, vs[k])
		}
		shards = append(shards, part)
	}
	got, err := MergeVariants(shards[2], shards[0], shards[1])
	require.NoError(t, err)
	assert.Equal(t, vs, got)

	_, err = MergeVariants(shards[0], shards[1], shards[2], shards[1])
	assert.EqualError(t, err, "variant 1 appears twice (a shard given twice, or shards of different -shard n?)")
	_, err = MergeVariants(shards[0], shards[2])
	assert.EqualError(t, err, "2 of 7 variants are missing: 1, 4 (is a shard missing?)")
	_, err = MergeVariants(vs[:5])
	assert.EqualError(t, err, "2 of 7 variants are missing: 5, 6 (is a shard missing?)")
	other := sweepVariants(3, func(int) *int64 { return nil })
	_, err = MergeVariants(vs, other)
	assert.ErrorContains(t, err, "these are not shards of one sweep")
	_, err = MergeVariants()
	assert.Error(t, err)
}

func TestSweepPercentileNearestRank(t *testing.T) {
	ten := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for p, want := range map[float64]int{5: 1, 10: 1, 11: 2, 50: 5, 95: 10, 100: 10} {
		got, ok := Percentile(ten, p)
		assert.True(t, ok)
		assert.Equal(t, want, got, "p%v", p)
	}
	twenty := make([]int, 20)
	for i := range twenty {
		twenty[i] = i + 1
	}
	got, _ := Percentile(twenty, 95)
	assert.Equal(t, 19, got)
	got, _ = Percentile([]int{7}, 5)
	assert.Equal(t, 7, got)
	_, ok := Percentile([]int{}, 50)
	assert.False(t, ok)
}

// Variants without a margin count as the smallest.
func TestSweepAggregate(t *testing.T) {
	vs := sweepVariants(20, func(i int) *int64 {
		if i < 2 {
			return nil
		}
		return ptr64(int64(3600 * (i - 5)))
	})
	a := AggregateVariants(vs)
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

	var buf bytes.Buffer
	require.NoError(t, WriteAggregate(&buf, &a))
	assert.Equal(t, `sweep-test: 20 variants
certificate  renewed  expired  pending    P(expired)  margin p5  p50  p95  min  max
web               18        2        0  10.0% (2/20)       none   4h  13h  -3h  14h

resource     P(outage)  outage p50  p95  max
cdn       25.0% (5/20)          0s   1h   1h

P(any certificate expired) 10.0% (2/20), P(any outage) 25.0% (5/20)
margin: expiry - when the last resource served the renewed certificate (below 0: outage);
none: not renewed, or not served before the end (counted as the smallest); percentiles by nearest rank
`, buf.String())

	run := 0
	for i := range vs {
		r := run + i%4
		vs[i].Run = &r
	}
	a = AggregateVariants(vs)
	assert.Equal(t, 4, a.Runs)
	assert.Equal(t, "sweep-test: 20 variants (20 grid points × 4 Monte Carlo runs)", a.Describe())
}

func TestSweepCSV(t *testing.T) {
	vs := sweepVariants(2, func(i int) *int64 {
		if i == 1 {
			return nil
		}
		return ptr64(5400)
	})
	vs[0].Sampled = Params{{"resources.cdn.deploy_delay", "1h"}, {"timeline.0.at", "web.expiry-3d"}}
	var buf bytes.Buffer
	require.NoError(t, WriteVariantsCSV(&buf, vs))
	assert.Equal(t, `index,seed,resources.cdn.deploy_delay,a<b>&c,resources.cdn.deploy_delay (sampled),timeline.0.at,web.outcome,web.renewed_at,web.not_after,web.served_at,web.margin,web.margin_seconds,cdn.outage,cdn.outage_seconds
0,1,0h,"""q""",1h,web.expiry-3d,renewed,2026-09-14T21:30:00Z,2026-09-15T00:00:00Z,2026-09-14T22:30:00Z,1h30m,5400,0s,0
1,1,1h,"""q""",,,expired,,2026-09-15T00:00:00Z,,,,1h,3600
`, buf.String())
}

func sweepGrid() []VariantResult {
	var vs []VariantResult
	delays := []string{"0s", "3h", "6h", "9h"}
	ats := []string{"web.expiry-6h", "web.expiry-3h", "web.expiry-1h30m"}
	k := 0
	for _, at := range ats {
		for i, d := range delays {
			m := int64(3600 * (2 - 3*i))
			text := sim.FormatDuration(time.Duration(m) * time.Second)
			c := VariantCert{ID: "web", Outcome: "renewed", NotAfter: sweepT0, Margin: &text, MarginSeconds: &m}
			out := max(0, -m)
			if at == "web.expiry-1h30m" && i == 3 {
				c = VariantCert{ID: "web", Outcome: "expired", NotAfter: sweepT0}
			}
			vs = append(vs, VariantResult{Scenario: "grid", Index: k, Of: 12, Seed: 1,
				Params:       Params{{"timeline.1.at", at}, {"resources.cdn.deploy_delay", d}},
				Certificates: []VariantCert{c}, Resources: []VariantResource{{ID: "cdn", Outage: sim.FormatDuration(time.Duration(out) * time.Second), OutageSeconds: out}}})
			k++
		}
	}
	return vs
}

func TestSweepPlots(t *testing.T) {
	vs := sweepGrid()
	plots, err := SweepPlots(vs)
	require.NoError(t, err)
	var names []string
	for _, p := range plots {
		names = append(names, p.Name)
		assert.True(t, bytes.HasPrefix(p.SVG, []byte("<?xml")), p.Name)
		assert.Contains(t, string(p.SVG), "</svg>")
	}
	assert.Equal(t, []string{"margin-1.svg", "margin-2.svg", "outcomes.svg"}, names)
	assert.Contains(t, plots[1].Title, "margin vs resources.cdn.deploy_delay")
	assert.Contains(t, string(plots[1].SVG), "outage below this line")
	assert.Contains(t, string(plots[1].SVG), "resources.cdn.deploy_delay (hours)")
	assert.Contains(t, string(plots[0].SVG), "timeline.1.at (hours from web.expiry)")
	assert.Contains(t, string(plots[2].SVG), ">expired<")
	assert.Contains(t, string(plots[2].SVG), ">ok<")

	again, err := SweepPlots(sweepGrid())
	require.NoError(t, err)
	assert.Equal(t, plots, again, "the same variants give the same bytes")

	// Monte Carlo: a histogram, and margin against each sampled value.
	mc := sweepVariants(50, func(i int) *int64 {
		if i%10 == 0 {
			return nil
		}
		return ptr64(int64(600 * (i - 20)))
	})
	for i := range mc {
		r := i
		mc[i].Run = &r
		mc[i].Params = Params{}
		mc[i].Sampled = Params{{"resources.cdn.deploy_delay", fmt.Sprintf("%dm", 7*i%60)}}
	}
	plots, err = SweepPlots(mc)
	require.NoError(t, err)
	require.Len(t, plots, 2)
	assert.Equal(t, "margin vs resources.cdn.deploy_delay (sampled)", plots[0].Title)
	assert.Equal(t, "margin-histogram.svg", plots[1].Name)
	assert.Contains(t, string(plots[1].SVG), "5 not renewed or not served (not shown)")

	// Categories: profiles.
	cat := sweepVariants(3, func(i int) *int64 { return ptr64(int64(i * 3600)) })
	for i, p := range []string{"acm-2026", "cabf-2027", "cabf-2029"} {
		cat[i].Params = Params{{"profile", p}}
	}
	svg, err := MarginPlot(cat, "profile")
	require.NoError(t, err)
	assert.Contains(t, string(svg), ">cabf-2029<")
	_, err = MarginPlot(cat, "nothing")
	assert.Error(t, err)
}

func TestSweepHTML(t *testing.T) {
	page := SweepPage{Command: "renewsim sweep deployment-delay-outage -vary 'x=<1>'", Variants: sweepGrid()}
	var a, b bytes.Buffer
	require.NoError(t, WriteSweepHTML(&a, page))
	require.NoError(t, WriteSweepHTML(&b, page))
	assert.Equal(t, a.String(), b.String())
	html := a.String()
	for _, bad := range []string{"<script", "src=", "http://", "https://", "<?xml", "<link"} {
		assert.NotContains(t, html, bad, "self-contained")
	}
	assert.Contains(t, html, "<title>Sweep of grid</title>")
	assert.Contains(t, html, "-vary &#39;x=&lt;1&gt;&#39;")
	assert.Equal(t, 3, strings.Count(html, "<svg viewBox="))
	assert.Contains(t, html, "<th>timeline.1.at</th><th>resources.cdn.deploy_delay</th><th>web</th><th>cdn outage</th>")
	assert.Contains(t, html, `<td class="bad">expired</td>`)
}

func TestSweepDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	files, err := WriteSweepDir(dir, SweepPage{Variants: sweepGrid()})
	require.NoError(t, err)
	assert.Equal(t, []string{"margin-1.svg", "margin-2.svg", "outcomes.svg", "variants.jsonl", "variants.csv", "summary.txt", "sweep.html"}, files)
	html, err := os.ReadFile(filepath.Join(dir, "sweep.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), `<a href="variants.csv">variants.csv</a>`)
	jl, err := os.ReadFile(filepath.Join(dir, "variants.jsonl"))
	require.NoError(t, err)
	back, err := ReadVariants(bytes.NewReader(jl))
	require.NoError(t, err)
	assert.Equal(t, sweepGrid(), back)
}
