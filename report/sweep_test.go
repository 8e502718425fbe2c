package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/sweep"
)

func ptr64(v int64) *int64 { return &v }

// The aggregate as text: the tables and what their columns mean.
func TestSweepAggregateText(t *testing.T) {
	vs := fixture.SweepVariants(20, func(i int) *int64 {
		if i < 2 {
			return nil
		}
		v := int64(3600 * (i - 5))
		return &v
	})
	a := sweep.Sum(vs)
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

	for i := range vs {
		r := i % 4
		vs[i].Run = &r
	}
	a = sweep.Sum(vs)
	buf.Reset()
	require.NoError(t, WriteAggregate(&buf, &a))
	assert.True(t, strings.HasPrefix(buf.String(), "sweep-test: 20 variants (20 grid points × 4 Monte Carlo runs)\n"), buf.String())
}

func TestSweepCSV(t *testing.T) {
	vs := fixture.SweepVariants(2, func(i int) *int64 {
		if i == 1 {
			return nil
		}
		return ptr64(5400)
	})
	vs[0].Sampled = sweep.Params{{Path: "resources.cdn.deploy_delay", Value: "1h"}, {Path: "timeline.0.at", Value: "web.expiry-3d"}}
	var buf bytes.Buffer
	require.NoError(t, WriteVariantsCSV(&buf, vs))
	assert.Equal(t, `index,seed,resources.cdn.deploy_delay,a<b>&c,resources.cdn.deploy_delay (sampled),timeline.0.at,web.outcome,web.renewed_at,web.not_after,web.served_at,web.margin,web.margin_seconds,cdn.outage,cdn.outage_seconds
0,1,0h,"""q""",1h,web.expiry-3d,renewed,2026-09-14T21:30:00Z,2026-09-15T00:00:00Z,2026-09-14T22:30:00Z,1h30m,5400,0s,0
1,1,1h,"""q""",,,expired,,2026-09-15T00:00:00Z,,,,1h,3600
`, buf.String())
}

func TestSweepPlots(t *testing.T) {
	vs := fixture.SweepGrid()
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

	again, err := SweepPlots(fixture.SweepGrid())
	require.NoError(t, err)
	assert.Equal(t, plots, again, "the same variants give the same bytes")

	// Monte Carlo: a histogram, and margin against each sampled value.
	mc := fixture.SweepVariants(50, func(i int) *int64 {
		if i%10 == 0 {
			return nil
		}
		return ptr64(int64(600 * (i - 20)))
	})
	for i := range mc {
		r := i
		mc[i].Run = &r
		mc[i].Params = sweep.Params{}
		mc[i].Sampled = sweep.Params{{Path: "resources.cdn.deploy_delay", Value: fmt.Sprintf("%dm", 7*i%60)}}
	}
	plots, err = SweepPlots(mc)
	require.NoError(t, err)
	require.Len(t, plots, 2)
	assert.Equal(t, "margin vs resources.cdn.deploy_delay (sampled)", plots[0].Title)
	assert.Equal(t, "margin-histogram.svg", plots[1].Name)
	assert.Contains(t, string(plots[1].SVG), "5 not renewed or not served (not shown)")

	// Categories: profiles.
	cat := fixture.SweepVariants(3, func(i int) *int64 { return ptr64(int64(i * 3600)) })
	for i, p := range []string{"acm-2026", "cabf-2027", "cabf-2029"} {
		cat[i].Params = sweep.Params{{Path: "profile", Value: p}}
	}
	svg, err := MarginPlot(cat, "profile")
	require.NoError(t, err)
	assert.Contains(t, string(svg), ">cabf-2029<")
	_, err = MarginPlot(cat, "nothing")
	assert.Error(t, err)
}

func TestSweepHTML(t *testing.T) {
	page := SweepPage{Command: "renewsim sweep deployment-delay-outage -vary 'x=<1>'", Variants: fixture.SweepGrid()}
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
	files, err := WriteSweepDir(dir, SweepPage{Variants: fixture.SweepGrid()})
	require.NoError(t, err)
	assert.Equal(t, []string{"margin-1.svg", "margin-2.svg", "outcomes.svg", "variants.jsonl", "variants.csv", "summary.txt", "sweep.html"}, files)
	html, err := os.ReadFile(filepath.Join(dir, "sweep.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), `<a href="variants.csv">variants.csv</a>`)
	jl, err := os.ReadFile(filepath.Join(dir, "variants.jsonl"))
	require.NoError(t, err)
	back, err := sweep.Read(bytes.NewReader(jl))
	require.NoError(t, err)
	assert.Equal(t, fixture.SweepGrid(), back)
}
