package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/report"
)

// The deploy delay of the CloudFront distribution in deployment-delay-outage
// (renewed at T-1h): 0h, 3h, 6h, 9h and 12h.
var delaySweep = []string{"deployment-delay-outage", "-vary", "resources.cdn.deploy_delay=0h..12h/3h"}

var (
	delayOnce sync.Once
	delayJSON string
)

// delayLines is `renewsim sweep … -json -workers 1` of delaySweep, run once.
func delayLines(t *testing.T) string {
	t.Helper()
	delayOnce.Do(func() {
		code, out, errs := renewsim(t, append([]string{"sweep", "-json", "-workers", "1"}, delaySweep...)...)
		require.Equal(t, 0, code, errs)
		delayJSON = out
	})
	require.NotEmpty(t, delayJSON)
	return delayJSON
}

func parseLines(t *testing.T, out string) []report.VariantResult {
	t.Helper()
	vs, err := report.ReadVariants(strings.NewReader(out))
	require.NoError(t, err)
	return vs
}

// A longer deploy delay never increases the margin: here each 3 hours more
// take 3 hours off it, and the outage grows once the margin is below zero.
func TestSweepLongerDeployDelayNeverIncreasesTheMargin(t *testing.T) {
	vs := parseLines(t, delayLines(t))
	require.Len(t, vs, 5)
	var margins, outages []string
	for k, v := range vs {
		assert.Equal(t, k, v.Index)
		assert.Equal(t, 5, v.Of)
		assert.Equal(t, "deployment-delay-outage", v.Scenario)
		assert.Equal(t, uint64(1), v.Seed)
		require.Len(t, v.Certificates, 1)
		c := v.Certificates[0]
		assert.Equal(t, "renewed", c.Outcome)
		assert.Equal(t, "2026-09-14T23:00:00Z", c.RenewedAt.Format("2006-01-02T15:04:05Z07:00"), "the attempt at T-1h")
		margins = append(margins, *c.Margin)
		outages = append(outages, v.Resources[0].Outage)
		if k > 0 {
			assert.LessOrEqual(t, *c.MarginSeconds, *vs[k-1].Certificates[0].MarginSeconds, "variant %d", k)
		}
	}
	assert.Equal(t, []string{"1h", "-2h", "-5h", "-8h", "-11h"}, margins)
	assert.Equal(t, []string{"0s", "2h", "5h", "8h", "11h"}, outages)
}

// Results do not depend on the number of workers.
func TestSweepWorkersGiveTheSameBytes(t *testing.T) {
	code, out, errs := renewsim(t, append([]string{"sweep", "-json", "-workers", "2"}, delaySweep...)...)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, delayLines(t), out)

	mc := monteCarloScenario(t)
	var outs []string
	for _, w := range []string{"1", "2"} {
		code, out, errs := renewsim(t, "sweep", mc, "-runs", "4", "-json", "-workers", w)
		require.Equal(t, 0, code, errs)
		outs = append(outs, out)
	}
	assert.Equal(t, outs[0], outs[1])
}

// monteCarloScenario is deployment-delay-outage with a random deploy delay.
func monteCarloScenario(t *testing.T) string {
	return libraryWith(t, "deployment-delay-outage", func(s string) string {
		return strings.Replace(s, "deploy_delay: 6h", "deploy_delay: {uniform: [0h, 2h]}", 1)
	})
}

// Shards merged give exactly the bytes of the unsharded sweep.
func TestSweepShardsMergeToTheSameBytes(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, i := range []string{"2", "0", "1"} {
		code, out, errs := renewsim(t, append([]string{"sweep", "-shard", i + "/3"}, delaySweep...)...)
		require.Equal(t, 0, code, errs)
		f := filepath.Join(dir, "shard-"+i+".jsonl")
		require.NoError(t, os.WriteFile(f, []byte(out), 0o644))
		files = append(files, f)
		for _, v := range parseLines(t, out) {
			assert.Equal(t, i, []string{"0", "1", "2"}[v.Index%3], "shard %s/3 runs k mod 3 = %s", i, i)
		}
	}
	code, merged, errs := renewsim(t, append([]string{"merge", "-json"}, files...)...)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, delayLines(t), merged, "byte for byte")

	// Without -json: the aggregate of the sweep.
	code, table, errs := renewsim(t, append([]string{"merge"}, files...)...)
	require.Equal(t, 0, code, errs)
	code, sweepTable, errs := renewsim(t, append([]string{"sweep"}, delaySweep...)...)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, sweepTable, table)
	assert.Contains(t, table, "deployment-delay-outage: 5 variants")
	assert.Contains(t, table, "cdn       80.0% (4/5)")

	// A missing or repeated shard is an error.
	code, _, errs = renewsim(t, "merge", "-json", files[0], files[1])
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "2 of 5 variants are missing: 1, 4 (is a shard missing?)")
	code, _, errs = renewsim(t, "merge", files[0], files[1], files[2], files[1])
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "appears twice")
	bad := filepath.Join(dir, "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte("{\"oops\": 1}\n"), 0o644))
	code, _, errs = renewsim(t, "merge", bad)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "bad.jsonl: line 1: not a sweep variant")
	code, _, _ = renewsim(t, "merge")
	assert.Equal(t, 2, code)
}

// Monte Carlo: runs are reproducible, each sampled with (seed, run), and
// any one can be replayed in full.
func TestSweepMonteCarloAndReplay(t *testing.T) {
	mc := monteCarloScenario(t)
	code, out, errs := renewsim(t, "sweep", mc, "-runs", "4", "-json")
	require.Equal(t, 0, code, errs)
	vs := parseLines(t, out)
	require.Len(t, vs, 4)
	seen := map[string]bool{}
	for k, v := range vs {
		require.NotNil(t, v.Run)
		assert.Equal(t, k, *v.Run)
		assert.Empty(t, v.Params)
		require.Len(t, v.Sampled, 1)
		assert.Equal(t, "resources.cdn.deploy_delay", v.Sampled[0].Path)
		seen[v.Sampled[0].Value] = true
	}
	assert.Len(t, seen, 4, "four runs, four draws")

	// Variant 3 replayed: the same draw, and the run's own report.
	code, text, errs := renewsim(t, "sweep", mc, "-runs", "4", "-variant", "3")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, text, "variant 3 of 4, Monte Carlo run 3 (seed 1); sampled resources.cdn.deploy_delay="+vs[3].Sampled[0].Value+"\n")
	assert.Contains(t, text, "deployment-delay-outage (")
	code, js, errs := renewsim(t, "sweep", mc, "-runs", "4", "-variant", "3", "-json")
	require.Equal(t, 0, code, errs)
	var sum report.Summary
	require.NoError(t, json.Unmarshal([]byte(js), &sum))
	require.Len(t, sum.Scenarios, 1)
	got := sum.Scenarios[0]
	assert.Equal(t, vs[3].Certificates[0].RenewedAt.UTC(), got.Certificates[0].RenewedAt.UTC())
	assert.Equal(t, vs[3].Resources[0].OutageSeconds, got.Resources[0].OutageSeconds)

	// Another seed, other draws.
	code, other, errs := renewsim(t, "sweep", mc, "-runs", "4", "-json", "-seed", "2")
	require.Equal(t, 0, code, errs)
	assert.NotEqual(t, out, other)
	assert.Equal(t, uint64(2), parseLines(t, other)[0].Seed)
}

// "renewsim run -variant K" replays a variant and checks its expectations;
// the sweep does not.
func TestRunVariant(t *testing.T) {
	assert.True(t, replayRequested([]string{"x.yaml", "-variant", "2"}))
	assert.True(t, replayRequested([]string{"--variant=2"}))
	assert.False(t, replayRequested([]string{"x.yaml", "-json"}))
	assert.False(t, replayRequested([]string{"--", "-variant"}))

	var out, errb strings.Builder
	// 6h: the delay the scenario was written for; its expectations hold.
	err := cmdReplay(t.Context(), append([]string{"-variant", "2"}, delaySweep...), &out, &errb)
	require.NoError(t, err, errb.String())
	assert.Contains(t, out.String(), "variant 2 of 5: resources.cdn.deploy_delay=6h\nPASS deployment-delay-outage")
	// 0h: no outage, which the scenario does not expect.
	out.Reset()
	err = cmdReplay(t.Context(), append([]string{"-variant", "0"}, delaySweep...), &out, &errb)
	assert.ErrorIs(t, err, errFailed)
	assert.Contains(t, out.String(), "expected outage 5h, got 0s")
	code, _, errs := renewsim(t, append([]string{"sweep", "-variant", "0"}, delaySweep...)...)
	assert.Equal(t, 0, code, "a sweep explores: %s", errs)

	dir := t.TempDir()
	code, _, errs = renewsim(t, append([]string{"sweep", "-variant", "4", "-report", dir, "-events", filepath.Join(dir, "ev.jsonl")}, delaySweep...)...)
	require.Equal(t, 0, code, errs)
	assert.FileExists(t, filepath.Join(dir, "index.html"))
	assert.FileExists(t, filepath.Join(dir, "ev.jsonl"))

	err = cmdReplay(t.Context(), append([]string{"-variant", "5"}, delaySweep...), &out, &errb)
	assert.ErrorContains(t, err, "-variant 5: this sweep has variants 0 to 4")
}

func TestSweepWritesCSVAndReport(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "v.csv")
	rep := filepath.Join(dir, "rep")
	code, out, errs := renewsim(t, "sweep", "dns-happy", "-vary", "resources.alb-prod.deploy_delay=30m,2h", "-vary", "profile=acm-2026,cabf-2029", "-csv", csv, "-report", rep)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "dns-happy: 4 variants\n")
	data, err := os.ReadFile(csv)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	require.Len(t, lines, 5)
	assert.True(t, strings.HasPrefix(lines[0], "index,seed,resources.alb-prod.deploy_delay,profile,web.outcome,"), lines[0])
	assert.True(t, strings.HasPrefix(lines[4], "3,1,2h,cabf-2029,renewed,"), lines[4])
	for _, f := range []string{"sweep.html", "variants.jsonl", "variants.csv", "summary.txt", "outcomes.svg", "margin-1.svg", "margin-2.svg"} {
		assert.FileExists(t, filepath.Join(rep, f))
	}
	html, err := os.ReadFile(filepath.Join(rep, "sweep.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), "renewsim sweep dns-happy -vary resources.alb-prod.deploy_delay=30m,2h")
}

// Unusable input exits 2 and says what exists.
func TestSweepUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"sweep", "dns-happy", "-vary", "resources.alb.deploy_delay=1h"}, `resources has no item "alb" (ids: alb-prod; or an index from 0 to 0)`},
		{[]string{"sweep", "dns-happy", "-vary", "resources.alb-prod.deploy_delay=1h,later"}, `library/dns-happy.yaml:17:19: deploy_delay: want a duration like 45d, 1d12h or 30m, got "later" (from -vary resources.alb-prod.deploy_delay=later)`},
		{[]string{"sweep", "dns-happy", "-vary", "overrides.retry=1h"}, `"retry" is not a profile knob (knobs: public_validity,`},
		{[]string{"sweep", "dns-happy", "-vary", "profile"}, "want PATH=VALUES"},
		{[]string{"sweep", "dns-happy", "-runs", "5"}, "-runs 5: the scenario has no distribution to sample"},
		{[]string{"sweep", "dns-happy", "-shard", "3/3"}, "-shard 3/3: want i/n with 0 <= i < n"},
		{[]string{"sweep", "dns-happy", "-variant", "1"}, "-variant 1: this sweep has variants 0 to 0"},
		{[]string{"sweep", "dns-happy", "-events", "x.jsonl"}, "-events needs -variant K"},
		{[]string{"sweep", "dns-happy", "-variant", "0", "-shard", "0/2"}, "-variant runs one variant"},
		{[]string{"sweep"}, "sweep: want one scenario"},
		{[]string{"sweep", "dns-happy", "dns-sad"}, "sweep: want one scenario"},
		{[]string{"sweep", "no-such-scenario"}, "no-such-scenario: no such file or built-in scenario"},
		{[]string{"sweep", "dns-happy", "-seed", "x"}, "-seed: want an unsigned integer"},
		{[]string{"sweep", "dns-happy", "-workers", "-1"}, "-workers -1"},
	} {
		code, out, errs := renewsim(t, c.args...)
		assert.Equal(t, 2, code, "%v: %s", c.args, out)
		assert.Contains(t, errs, c.msg, "%v", c.args)
	}
	code, _, help := renewsim(t, "sweep", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, help, "Usage: renewsim sweep [flags] SCENARIO")
	code, _, help = renewsim(t, "merge", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, help, "Usage: renewsim merge")

	// A distribution needs -runs.
	mc := monteCarloScenario(t)
	code, _, errs := renewsim(t, "sweep", mc)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "deploy_delay: a distribution ({uniform: [0h, 2h]}) needs renewsim sweep -runs N")
}

func TestSweepCommandLine(t *testing.T) {
	assert.Equal(t, `renewsim sweep x.yaml -vary 'a={uniform: [1h, 3d]}' -vary 'it'\''s=1'`,
		commandLine("sweep", []string{"x.yaml", "-vary", "a={uniform: [1h, 3d]}", "-vary", "it's=1"}))
}
