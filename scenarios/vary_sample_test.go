package scenarios

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// distScenario is a scenario with a distribution of every kind.
const distScenario = `name: dists
start: 2026-03-01T00:00:00Z
seed: 42
mailboxes:
  - address: admin@example.com
    clicks: {after: {uniform: [0d, 10d]}}
  - address: ops@example.com
    clicks: {at: {uniform: [web.expiry-20d, web.expiry-5d]}}
resources:
  - id: cdn
    kind: cloudfront
    deploy_delay: {lognormal: {median: 2h, p95: 2d}}
  - id: alb
    kind: elb
    deploy_delay: {exponential: {mean: 3d}}
  - id: api
    kind: apigateway
    deploy_delay: {uniform: [1h, 3d]}
certificates:
  - id: web
    domain: example.com
    validation: email
    in_use_by: [cdn, alb, api]
timeline:
  - at: {uniform: [web.expiry-30d, web.expiry-10d]}
    do: resend-validation-email
    cert: web
overrides:
  max_cname_chain: {uniform: [3, 8]}
  public_window: {choice: [15d, 30d, 45d]}
  region: {choice: {us-east-1: 3, eu-west-1: 1, ap-south-1: 0}}
`

func TestSampleReproducible(t *testing.T) {
	doc := textNode(t, distScenario)
	before, err := yaml.Marshal(doc)
	require.NoError(t, err)

	a, pa, err := Sample("x.yaml", doc, 3, 42)
	require.NoError(t, err)
	b, pb, err := Sample("x.yaml", doc, 3, 42)
	require.NoError(t, err)
	assert.Equal(t, pa, pb, "the same (seed, run) draws the same values")
	ya, _ := yaml.Marshal(a)
	yb, _ := yaml.Marshal(b)
	assert.Equal(t, string(ya), string(yb))
	after, _ := yaml.Marshal(doc)
	assert.Equal(t, string(before), string(after), "Sample does not change its input")

	var paths []string
	for _, p := range pa {
		paths = append(paths, p.Path)
	}
	assert.Equal(t, []string{
		"mailboxes.admin@example.com.clicks", "mailboxes.ops@example.com.clicks",
		"resources.cdn.deploy_delay", "resources.alb.deploy_delay", "resources.api.deploy_delay",
		"timeline.0.at",
		"overrides.max_cname_chain", "overrides.public_window", "overrides.region",
	}, paths, "document order, ids and addresses in paths")

	_, pc, err := Sample("x.yaml", doc, 4, 42)
	require.NoError(t, err)
	assert.NotEqual(t, pa, pc, "another run draws other values")
	_, pd, err := Sample("x.yaml", doc, 3, 43)
	require.NoError(t, err)
	assert.NotEqual(t, pa, pd, "another seed draws other values")

	// The sampled tree loads.
	sc, err := FromNode("x.yaml", a)
	require.NoError(t, err)
	assert.Equal(t, sim.ClickAfter, sc.Mailboxes[0].Clicks)
	assert.Equal(t, sim.ClickAt, sc.Mailboxes[1].Clicks)
	assert.Contains(t, pa[0].Value, "after ")
	assert.True(t, strings.HasPrefix(pa[1].Value, "at web.expiry-"), pa[1].Value)
	assert.True(t, strings.HasPrefix(pa[5].Value, "web.expiry-"), pa[5].Value)
}

// Many runs: every value within its bounds, the distributions about right.
func TestSampleDistributions(t *testing.T) {
	doc := textNode(t, distScenario)
	const runs = 2000
	values := map[string][]string{}
	for run := range runs {
		cp, ps, err := Sample("x.yaml", doc, run, 42)
		require.NoError(t, err)
		for _, p := range ps {
			values[p.Path] = append(values[p.Path], p.Value)
		}
		if run < 20 {
			_, err := FromNode("x.yaml", cp)
			require.NoError(t, err, "run %d", run)
		}
	}
	durations := func(path string) []time.Duration {
		var out []time.Duration
		for _, s := range values[path] {
			s = strings.TrimPrefix(s, "after ")
			d, err := parseDuration(s)
			require.NoError(t, err, s)
			require.Equal(t, s, sim.FormatDuration(d), "written the way it reads back")
			require.Zero(t, d%time.Second, "whole seconds")
			out = append(out, d)
		}
		slices.Sort(out)
		return out
	}
	median := func(ds []time.Duration) time.Duration { return ds[len(ds)/2] }
	mean := func(ds []time.Duration) time.Duration {
		var s float64
		for _, d := range ds {
			s += float64(d)
		}
		return time.Duration(s / float64(len(ds)))
	}
	near := func(got, want time.Duration, tol float64, what string) {
		assert.InDelta(t, float64(want), float64(got), tol*float64(want), "%s: got %s, want about %s", what, got, want)
	}

	u := durations("mailboxes.admin@example.com.clicks")
	assert.GreaterOrEqual(t, u[0], time.Duration(0))
	assert.LessOrEqual(t, u[len(u)-1], 10*sim.Day)
	near(mean(u), 5*sim.Day, 0.05, "uniform mean")

	ln := durations("resources.cdn.deploy_delay")
	near(median(ln), 2*time.Hour, 0.1, "lognormal median")
	near(ln[int(0.95*float64(len(ln)))], 2*sim.Day, 0.25, "lognormal p95")

	ex := durations("resources.alb.deploy_delay")
	near(mean(ex), 3*sim.Day, 0.07, "exponential mean")

	api := durations("resources.api.deploy_delay")
	assert.GreaterOrEqual(t, api[0], time.Hour)
	assert.LessOrEqual(t, api[len(api)-1], 3*sim.Day)

	count := func(path string) map[string]int {
		m := map[string]int{}
		for _, s := range values[path] {
			m[s]++
		}
		return m
	}
	ints := count("overrides.max_cname_chain")
	assert.Len(t, ints, 6, "3 to 8, both ends included: %v", ints)
	for _, k := range []string{"3", "4", "5", "6", "7", "8"} {
		assert.InDelta(t, runs/6, ints[k], 80, k)
	}
	choice := count("overrides.public_window")
	assert.Len(t, choice, 3)
	weighted := count("overrides.region")
	assert.InDelta(t, 0.75*runs, weighted["us-east-1"], 70)
	assert.InDelta(t, 0.25*runs, weighted["eu-west-1"], 70)
	assert.Zero(t, weighted["ap-south-1"], "weight 0: never")

	for _, s := range values["mailboxes.ops@example.com.clicks"] {
		ref, err := parseTimeExpr(strings.TrimPrefix(s, "at "))
		require.NoError(t, err, s)
		assert.GreaterOrEqual(t, ref.offset, -20*sim.Day)
		assert.LessOrEqual(t, ref.offset, -5*sim.Day)
	}
}

func TestSampleRFC3339Uniform(t *testing.T) {
	doc := textNode(t, "name: x\nstart: 2026-03-01T00:00:00Z\nuntil: {uniform: [2026-10-01T00:00:00Z, 2026-10-03T00:00:00Z]}\ncertificates: [{id: web, domain: example.com}]\n")
	for run := range 50 {
		_, ps, err := Sample("x.yaml", doc, run, 1)
		require.NoError(t, err)
		at, err := time.Parse(time.RFC3339, ps[0].Value)
		require.NoError(t, err)
		assert.False(t, at.Before(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)))
		assert.False(t, at.After(time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC)))
	}
}

func TestBadDistributions(t *testing.T) {
	for text, msg := range map[string]string{
		"deploy_delay: {uniform: [3d, 1h]}":                `x.yaml:8:29: deploy_delay: uniform: high (1h) is less than low (3d)`,
		"deploy_delay: {uniform: 3d}":                      `deploy_delay: uniform: want [low, high], like {uniform: [1h, 3d]}, got the value "3d"`,
		"deploy_delay: {lognormal: {median: 2d, p95: 2h}}": `deploy_delay: lognormal: p95 (2h) must be greater than median (2d)`,
		"deploy_delay: {lognormal: {median: 2h}}":          `missing required key "p95" in lognormal`,
		"deploy_delay: {exponential: {mean: -1d}}":         `deploy_delay: exponential: mean must be positive, got "-1d"`,
		"deploy_delay: {choice: []}":                       `deploy_delay: choice: want a list of values [a, b, c] or a mapping of values to weights {a: 3, b: 1}, got a list`,
		"deploy_delay: {choice: {1h: x}}":                  `deploy_delay: choice: the weight of 1h must be a number >= 0, got the value "x"`,
		"deploy_delay: {uniform: [start, web.expiry]}":     `deploy_delay: uniform: write both times from the same base`,
		"deploy_delay: {uniform: [a, b]}":                  `want two whole numbers, two durations (like [1h, 3d]) or two times`,
	} {
		doc := textNode(t, "name: x\nstart: 2026-03-01T00:00:00Z\ncertificates: [{id: web, domain: example.com, in_use_by: [cdn]}]\nresources:\n  - id: cdn\n    kind: cloudfront\n\n    "+text+"\n")
		_, _, err := Sample("x.yaml", doc, 0, 1)
		if assert.Error(t, err, text) {
			assert.Contains(t, err.Error(), msg, text)
			assert.True(t, strings.HasPrefix(err.Error(), "x.yaml:8:"), err.Error())
		}
	}
}

// A scenario that holds a distribution cannot run as it is; the message
// says what to do.
func TestDistributionNeedsRuns(t *testing.T) {
	doc := textNode(t, distScenario)
	assert.True(t, HasDistributions(doc))
	err := CheckDistributions("x.yaml", doc)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.yaml:6:13: clicks: a distribution ({after: {uniform: [0d, 10d]}}) needs renewsim sweep -runs N")
	assert.Contains(t, err.Error(), "x.yaml:12:19: deploy_delay: a distribution ({lognormal: {median: 2h, p95: 2d}}) needs renewsim sweep -runs N")
	assert.Len(t, err.(Errors), 9)

	_, err = Expand("x.yaml", doc, nil)
	assert.ErrorContains(t, err, "needs renewsim sweep -runs N")

	file, happy := libraryNode(t, "dns-happy")
	assert.False(t, HasDistributions(happy))
	assert.NoError(t, CheckDistributions(file, happy))
	_, err = NewPlan(file, happy, nil, PlanOptions{Runs: 10})
	assert.ErrorContains(t, err, "-runs 10: the scenario has no distribution to sample")
	// A distribution given as a -vary value is enough.
	p, err := NewPlan(file, happy, []Vary{mustVary(t, "resources.alb-prod.deploy_delay={uniform: [1h, 3d]}")}, PlanOptions{Runs: 10})
	require.NoError(t, err)
	assert.Equal(t, 10, p.Len())
}

// Variant k of a Monte Carlo plan is grid point k / runs, run k % runs; run
// r draws the same numbers at every grid point, and the simulation keeps
// the scenario seed.
func TestPlanRuns(t *testing.T) {
	doc := textNode(t, distScenario)
	p, err := NewPlan("x.yaml", doc, []Vary{mustVary(t, "profile=acm-2026,cabf-2029")}, PlanOptions{Runs: 5})
	require.NoError(t, err)
	require.Equal(t, 10, p.Len())
	assert.Equal(t, 2, p.GridSize())
	assert.Equal(t, 5, p.Runs())
	for k := range p.Len() {
		v, err := p.Variant(k)
		require.NoError(t, err)
		assert.Equal(t, k%5, v.Run)
		assert.Equal(t, []Param{{"profile", []string{"acm-2026", "cabf-2029"}[k/5]}}, v.Params)
		assert.Equal(t, uint64(42), v.Scenario.Seed)
		_, want, err := Sample("x.yaml", doc, k%5, 42)
		require.NoError(t, err)
		assert.Equal(t, want, v.Sampled, "run %d samples with (seed, run)", k%5)
	}
	seed := uint64(7)
	p, err = NewPlan("x.yaml", doc, nil, PlanOptions{Runs: 3, Seed: &seed})
	require.NoError(t, err)
	v, err := p.Variant(2)
	require.NoError(t, err)
	assert.Equal(t, uint64(7), v.Scenario.Seed)
	_, want, err := Sample("x.yaml", doc, 2, 7)
	require.NoError(t, err)
	assert.Equal(t, want, v.Sampled)
	assert.Equal(t, []Param{}, append([]Param{}, v.Params...))

	// A bad distribution is a problem of the plan, before anything runs.
	bad := textNode(t, strings.Replace(distScenario, "mean: 3d", "mean: 0s", 1))
	_, err = NewPlan("x.yaml", bad, nil, PlanOptions{Runs: 3})
	assert.ErrorContains(t, err, "x.yaml:15:40: deploy_delay: exponential: mean must be positive, got \"0s\"")
}

func TestRoundSecondsClamps(t *testing.T) {
	assert.Equal(t, maxDuration, roundSeconds(math.Inf(1)))
	assert.Equal(t, -maxDuration, roundSeconds(-1e30))
	assert.Equal(t, 2*time.Second, roundSeconds(1.6e9))
}
