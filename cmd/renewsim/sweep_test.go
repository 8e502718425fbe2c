package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
	"github.com/renewsim/renewsim/sweep"
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

func parseLines(t *testing.T, out string) []sweep.Variant {
	t.Helper()
	vs, err := sweep.Read(strings.NewReader(out))
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
		assert.Equal(t, sim.OutcomeRenewed, c.Outcome)
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
	var sum result.Summary
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
// the sweep does not. run -h documents the mode, and -vary or -runs
// without -variant is refused rather than ignored.
func TestRunVariant(t *testing.T) {
	run := func(args ...string) (int, string, string) {
		return renewsim(t, append(append([]string{"run"}, args...), delaySweep...)...)
	}
	// 6h: the delay the scenario was written for; its expectations hold.
	code, out, errs := run("-variant", "2")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "variant 2 of 5: resources.cdn.deploy_delay=6h\nPASS deployment-delay-outage")
	// 0h: no outage, which the scenario does not expect.
	code, out, _ = run("-variant", "0")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "expected outage 5h, got 0s")
	code, _, errs = renewsim(t, append([]string{"sweep", "-variant", "0"}, delaySweep...)...)
	assert.Equal(t, 0, code, "a sweep explores: %s", errs)

	dir := t.TempDir()
	code, _, errs = renewsim(t, append([]string{"sweep", "-variant", "4", "-report", dir, "-events", filepath.Join(dir, "ev.jsonl")}, delaySweep...)...)
	require.Equal(t, 0, code, errs)
	assert.FileExists(t, filepath.Join(dir, "index.html"))
	assert.FileExists(t, filepath.Join(dir, "ev.jsonl"))

	// The variant goes through run's outputs like any scenario.
	junit := filepath.Join(dir, "junit.xml")
	code, _, errs = run("-variant", "2", "-junit", junit, "-every-attempt")
	require.Equal(t, 0, code, errs)
	assert.FileExists(t, junit)

	code, _, errs = run("-variant", "5")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-variant 5: this sweep has variants 0 to 4")
	code, _, errs = renewsim(t, "run", "-vary", "resources.cdn.deploy_delay=0h,6h", "deployment-delay-outage")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-vary and -runs describe a sweep: give -variant K")
	code, _, errs = renewsim(t, "run", "-variant", "0", "dns-happy", "dns-missing-cname")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "run -variant: want one scenario")

	_, _, help := renewsim(t, "run", "-h")
	for _, f := range []string{"-variant K", "-vary PATH=VALUES", "-runs N"} {
		assert.Contains(t, help, "\n  "+f+"\n", "run -h shows %s", f)
	}
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

// The comparison of issue 12: one scenario under ACM's 2026 rules, the
// CA/B Forum's 2029 maximum, ARI and certbot's 30 days, side by side. Each
// renews when its own rule says, so the four margins differ, and the seeded
// ARI time is the same at every run.
func TestSweepComparesRenewalPolicies(t *testing.T) {
	args := []string{"sweep", "dns-happy", "-vary", "profile=acm-2026,cabf-2029,ari,fixed-30d", "-json", "-workers", "2"}
	code, out, errs := renewsim(t, args...)
	require.Equal(t, 0, code, errs)
	vs := parseLines(t, out)
	require.Len(t, vs, 4)
	// dns-happy: issued 2026-03-01, 198 days under acm-2026 (47 under
	// cabf-2029); the first attempt validates, the new certificate follows
	// 10 minutes later and the ALB serves it 30 minutes after that.
	issued := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	deploy := 40 * time.Minute
	for _, tc := range []struct {
		profile    string
		life       time.Duration
		start, end time.Time // the renewal starts in [start, end]
	}{
		{"acm-2026", 198 * sim.Day, issued.Add(153 * sim.Day), issued.Add(153 * sim.Day)},
		{"cabf-2029", 47 * sim.Day, issued.Add(47*sim.Day - 47*sim.Day/3), issued.Add(47*sim.Day - 47*sim.Day/3)},
		{"ari", 198 * sim.Day, issued.Add(131 * sim.Day), issued.Add(133*sim.Day - time.Minute)},
		{"fixed-30d", 198 * sim.Day, issued.Add(168 * sim.Day), issued.Add(168 * sim.Day)},
	} {
		var v *sweep.Variant
		for i := range vs {
			if vs[i].Params[0].Value == tc.profile {
				v = &vs[i]
			}
		}
		require.NotNil(t, v, "variant of %s", tc.profile)
		require.Len(t, v.Certificates, 1)
		c := v.Certificates[0]
		assert.Equal(t, sim.OutcomeRenewed, c.Outcome, tc.profile)
		assert.Equal(t, "0s", v.Resources[0].Outage, tc.profile)
		margin, ok := c.MarginDuration()
		require.True(t, ok, tc.profile)
		notAfter := issued.Add(tc.life)
		assert.True(t, c.NotAfter.Equal(notAfter), "%s: not_after %s", tc.profile, c.NotAfter)
		lo, hi := notAfter.Sub(tc.end.Add(deploy)), notAfter.Sub(tc.start.Add(deploy))
		assert.True(t, margin >= lo && margin <= hi, "%s: margin %s, want %s .. %s", tc.profile, sim.FormatDuration(margin), sim.FormatDuration(lo), sim.FormatDuration(hi))
	}
	var margins []string
	for _, v := range vs {
		margins = append(margins, *v.Certificates[0].Margin)
	}
	assert.Len(t, slices.Compact(slices.Sorted(slices.Values(margins))), 4, "four different margins: %v", margins)

	code, again, errs := renewsim(t, append(args[:len(args)-2:len(args)-2], "-workers", "1")...)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, out, again, "the same bytes, whatever the workers")

	// docs/sweeps.md's "Compared with other renewal clients" shows this
	// sweep: its table and its picture are what the sweep gives.
	doc, err := os.ReadFile("../../docs/sweeps.md")
	require.NoError(t, err)
	for _, v := range vs {
		c := v.Certificates[0]
		row := "| `" + v.Params[0].Value + "` | " + c.RenewedAt.UTC().Format("2006-01-02 15:04")
		assert.Contains(t, string(doc), row, "docs/sweeps.md: the row of %s", v.Params[0].Value)
		assert.Regexp(t, `(?m)^`+regexp.QuoteMeta(row)+`.*\| `+regexp.QuoteMeta(*c.Margin)+` \|$`, string(doc), "docs/sweeps.md: the margin of %s", v.Params[0].Value)
	}
	dir := t.TempDir()
	code, _, errs = renewsim(t, "sweep", "dns-happy", "-vary", "profile=acm-2026,cabf-2029,ari,fixed-30d", "-report", dir)
	require.Equal(t, 0, code, errs)
	drawn, err := os.ReadFile(filepath.Join(dir, "margin-1.svg"))
	require.NoError(t, err)
	shown, err := os.ReadFile("../../docs/renewal-policies-margin.svg")
	require.NoError(t, err)
	assert.True(t, string(drawn) == string(shown), "docs/renewal-policies-margin.svg is not what the sweep draws: run the command in docs/sweeps.md and copy out/margin-1.svg there")

	// letsencrypt-2026 under each policy is a profile name too, so one
	// -vary profile= list compares them: renewed 30 days after issue give
	// or take the policy's draw, or 15 days after under certbot's 30 days.
	code, out, errs = renewsim(t, "sweep", "dns-happy", "-vary", "profile=letsencrypt-2026,letsencrypt-2026+two-thirds-jitter,letsencrypt-2026+fixed-30d", "-json")
	require.Equal(t, 0, code, errs)
	vs = parseLines(t, out)
	require.Len(t, vs, 3)
	for _, v := range vs {
		c := v.Certificates[0]
		assert.True(t, c.NotAfter.Equal(issued.Add(45*sim.Day)), "%s: 45-day certificates", v.Params[0].Value)
		require.Equal(t, sim.OutcomeRenewed, c.Outcome, v.Params[0].Value)
		after := c.RenewedAt.Sub(issued)
		switch v.Params[0].Value {
		case "letsencrypt-2026":
			assert.True(t, after >= 29*sim.Day && after < 31*sim.Day+time.Hour, "ari: renewed %s after issue", sim.FormatDuration(after))
		case "letsencrypt-2026+two-thirds-jitter":
			assert.True(t, after > 30*sim.Day-2*sim.Day-6*time.Hour && after <= 30*sim.Day+time.Hour, "two-thirds: renewed %s after issue", sim.FormatDuration(after))
		case "letsencrypt-2026+fixed-30d":
			assert.Equal(t, 15*sim.Day+10*time.Minute, after, "fixed: renewed 15 days (and the issue delay) after issue")
		}
	}
}
