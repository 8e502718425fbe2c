package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const alarmsFile = `# the rules a team runs
alarms:
  - name: days-30
    metric: {threshold: 30}
  - name: action-15
    eventbridge: {detail_type: ACM Certificate Renewal Action Required, days_to_expiry_at_most: 15}
`

// run -alarms judges the file's alarms on every scenario; a file that
// does not load, or does not fit a scenario, stops everything with exit 2
// and the problem at its file:line:col.
func TestRunAlarms(t *testing.T) {
	file := writeScenario(t, "alarms.yaml", alarmsFile)
	code, out, errs := renewsim(t, "run", "-alarms", file, "dns-missing-cname", "dns-happy")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "    alarm days-30 (CloudWatch DaysToExpiry <= 30, a datapoint a day at 00:00 UTC): fired 1 time, first at 2026-08-16 00:00 (web), lead time 30d (web expired 2026-09-15 00:00), 0 false alarms\n")
	assert.Contains(t, out, "    alarm action-15 (EventBridge rule on ACM Certificate Renewal Action Required, DaysToExpiry <= 15): fired 4 times, first at 2026-08-31 00:00 (web), lead time 15d (web expired 2026-09-15 00:00), 0 false alarms\n")
	assert.Equal(t, 2, strings.Count(out, "alarm days-30 ("))

	code, out, _ = renewsim(t, "run", "-json", "-alarms", file, "dns-missing-cname")
	require.Equal(t, 0, code)
	var doc struct {
		Scenarios []struct {
			Alarms []struct {
				Name         string
				Fired        int
				Certificates []struct {
					LeadTime string `json:"lead_time"`
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Scenarios[0].Alarms, 2)
	assert.Equal(t, "30d", doc.Scenarios[0].Alarms[0].Certificates[0].LeadTime)

	bad := writeScenario(t, "bad.yaml", "alarms:\n  - name: x\n    metric: {threshold: soon}\n")
	code, _, errs = renewsim(t, "run", "-alarms", bad, "dns-happy")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, bad+`:3:25: threshold: want a whole number of days from 0 to 3650, got "soon"`)

	strange := writeScenario(t, "strange.yaml", "alarms:\n  - {name: x, metric: {threshold: 3}, certs: [api]}\n")
	code, out, errs = renewsim(t, "run", "-alarms", strange, "dns-happy")
	assert.Equal(t, 2, code)
	assert.Empty(t, out, "nothing runs")
	assert.Contains(t, errs, strange+`:2:47: certs: scenario dns-happy has no certificate "api" (known: web)`)

	// The library scenario declares days-to-expiry-30 itself.
	clash := writeScenario(t, "clash.yaml", "alarms:\n  - {name: days-to-expiry-30, config: {}}\n")
	code, _, errs = renewsim(t, "run", "-alarms", clash, "alarms-after-the-2026-change")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, clash+`:2:12: alarm "days-to-expiry-30" is also declared by scenario alarms-after-the-2026-change at library/alarms-after-the-2026-change.yaml:`)
	assert.Contains(t, errs, `is also declared in `+clash+`:2:12 (given with -alarms)`)

	code, _, errs = renewsim(t, "run", "-alarms", filepath.Join(t.TempDir(), "none.yaml"), "dns-happy")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-alarms: open")
}

// The library scenario about the 2026 change passes its alarm
// expectations.
func TestAlarmsLibraryScenario(t *testing.T) {
	code, out, errs := renewsim(t, "run", "alarms-after-the-2026-change")
	require.Equal(t, 0, code, errs+out)
	assert.Contains(t, out, "alarm days-to-expiry-45 (CloudWatch DaysToExpiry <= 45, a datapoint a day at 00:00 UTC): fired 3 times, first at 2027-05-13 00:00 (web), lead time 45d30m (web expired 2028-04-28 00:30), 2 false alarms")
	assert.Contains(t, out, "✓ {alarm: days-to-expiry-45, false_alarms: 2}")
}

// sweep -alarms carries the alarms into every variant and charts them.
func TestSweepAlarms(t *testing.T) {
	file := writeScenario(t, "alarms.yaml", alarmsFile)
	code, out, errs := renewsim(t, "sweep", "dns-missing-cname", "-alarms", file, "-vary", "profile=acm-2026,cabf-2029", "-json")
	require.Equal(t, 0, code, errs)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2)
	for _, l := range lines {
		assert.Contains(t, l, `"alarms":[{"name":"days-30","fired":1,"false_alarms":0,"troubles":1,"missed":0,"lead_time":"30d","lead_time_seconds":2592000}`)
	}
	dir := t.TempDir()
	code, out, errs = renewsim(t, "sweep", "dns-missing-cname", "-alarms", file, "-vary", "profile=acm-2026,cabf-2029", "-report", dir)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "days-30    100.0% (2/2)")
	assert.FileExists(t, filepath.Join(dir, "lead-time-1.svg"))
	page, err := os.ReadFile(filepath.Join(dir, "sweep.html"))
	require.NoError(t, err)
	assert.Contains(t, string(page), "<h2>Alarms</h2>")

	code, out, errs = renewsim(t, "run", "-variant", "0", "dns-missing-cname", "-alarms", file, "-vary", "profile=acm-2026,cabf-2029")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "alarm days-30 (")
}

const fleetAlarms = `alarms:
  - name: days-45
    metric: {threshold: 45}
  - name: acm-1
    securityhub: acm.1
  - name: api-only
    config: {}
    certs: [api-example-com]
`

// check -alarms says per certificate whether each alarm warns in time;
// split and merged it prints the same bytes.
func TestCheckAlarms(t *testing.T) {
	file := writeScenario(t, "alarms.yaml", fleetAlarms)
	code, out, errs := renewsim(t, checkArgs("-alarms", file)...)
	require.Equal(t, 1, code, errs)
	assert.Contains(t, out, `✗ api.example.com  expires on 2026-09-06 because CNAME missing`)
	assert.Contains(t, out, "    alarm days-45: warns in time: fires 2026-07-23, 45d before it breaks on 2026-09-06\n")
	assert.Contains(t, out, "    alarm acm-1: warns in time: fires 2026-08-07, 30d before it breaks on 2026-09-06\n")
	assert.Contains(t, out, "    alarm api-only: warns in time: fires 2026-08-23, 14d before it breaks on 2026-09-06\n")
	assert.Equal(t, 1, strings.Count(out, "alarm api-only:"), "it watches one certificate")
	assert.Contains(t, out, "    alarm days-45: cries wolf: fires 6 times (first 2027-04-03), each time before a renewal that succeeds by itself\n")
	assert.Contains(t, out, "    alarm acm-1: silent: nothing to warn of\n")
	assert.Contains(t, out, "  - alarm days-45 raises 34 false alarms before renewals that succeed by themselves, for 5 certificates:")

	code, js, _ := renewsim(t, checkArgs("-alarms", file, "-json")...)
	require.Equal(t, 1, code)
	var doc struct {
		Certificates []struct {
			ID     string
			Alarms []struct {
				Alarm, Warns string
				Fired        int     `json:"fired"`
				LeadTime     *string `json:"lead_time"`
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(js), &doc))
	found := false
	for _, c := range doc.Certificates {
		if c.ID == "api-example-com" {
			found = true
			require.Len(t, c.Alarms, 3)
			assert.Equal(t, "in-time", c.Alarms[0].Warns)
			assert.Equal(t, 1, c.Alarms[0].Fired)
			assert.Equal(t, "45d", *c.Alarms[0].LeadTime)
		}
	}
	assert.True(t, found)
	assert.NotContains(t, js, `"fires"`, "the run's field names: fired, first_fired")

	dir := t.TempDir()
	var parts []string
	for i := range 3 {
		code, part, errs := renewsim(t, checkArgs("-alarms", file, "-shard", fmt.Sprintf("%d/3", i))...)
		require.Contains(t, []int{0, 1}, code, errs)
		p := filepath.Join(dir, fmt.Sprintf("part-%d.json", i))
		require.NoError(t, os.WriteFile(p, []byte(part), 0o644))
		parts = append(parts, p)
	}
	_, merged, _ := renewsim(t, append([]string{"merge"}, parts...)...)
	assert.Equal(t, out, merged)
	_, merged, _ = renewsim(t, append([]string{"merge", "-json"}, parts...)...)
	assert.Equal(t, js, merged)

	typo := writeScenario(t, "typo.yaml", "alarms:\n  - {name: a, config: {}, certs: [api-example-org]}\n")
	code, _, errs = renewsim(t, checkArgs("-alarms", typo)...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, typo+`:2:35: certs: scenario fleet-123456789012-us-east-1 has no certificate "api-example-org"`)
	code, _, errs = renewsim(t, checkArgs("-alarms", typo, "-shard", "0/2")...)
	assert.Equal(t, 2, code, "a part checks the names against the whole fleet")
	assert.Contains(t, errs, `has no certificate "api-example-org"`)
}

// validate -alarms checks the alarms file, and that it fits each scenario,
// without running anything.
func TestValidateAlarms(t *testing.T) {
	happy := libraryWith(t, "dns-happy", func(s string) string { return s })
	file := writeScenario(t, "alarms.yaml", alarmsFile)
	code, out, errs := renewsim(t, "validate", "-alarms", file, happy)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, happy+": ok (dns-happy, 1 certificate, 0 timeline changes, 5 expectations, 2 alarms)\n")

	strange := writeScenario(t, "strange.yaml", "alarms:\n  - {name: x, metric: {threshold: 3}, certs: [api]}\n")
	code, out, errs = renewsim(t, "validate", "-alarms", strange, happy)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, strange+`:2:47: certs: scenario dns-happy has no certificate "api" (known: web)`)

	bad := writeScenario(t, "bad.yaml", "alarms:\n  - name: x\n    metric: {threshold: soon}\n")
	code, _, errs = renewsim(t, "validate", "-alarms", bad, happy)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, bad+`:3:25: threshold: want a whole number of days from 0 to 3650, got "soon"`)
}

// check -alarms -scenario-out writes the alarms into the scenario, so that
// run judges them as check did (and sweep can vary them by name); a part
// of a split check writes the alarms of that part.
func TestCheckScenarioOutKeepsAlarms(t *testing.T) {
	file := writeScenario(t, "alarms.yaml", fleetAlarms)
	dir := t.TempDir()
	with, without := filepath.Join(dir, "with.yaml"), filepath.Join(dir, "without.yaml")
	code, _, errs := renewsim(t, checkArgs("-alarms", file, "-scenario-out", with)...)
	require.Equal(t, 1, code, errs)
	code, _, errs = renewsim(t, checkArgs("-scenario-out", without)...)
	require.Equal(t, 1, code, errs)
	text, err := os.ReadFile(with)
	require.NoError(t, err)
	assert.Contains(t, string(text), "\n# The alarms given with -alarms \""+file+"\".\nalarms:\n  - name: 'days-45'\n    metric: {threshold: 45}\n")

	alarmsOf := func(out string) []json.RawMessage {
		var doc struct {
			Scenarios []struct{ Alarms []json.RawMessage }
		}
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		require.Len(t, doc.Scenarios, 1)
		return doc.Scenarios[0].Alarms
	}
	code, declared, errs := renewsim(t, "run", "-json", with)
	require.Equal(t, 1, code, errs)
	code, given, errs := renewsim(t, "run", "-json", "-alarms", file, without)
	require.Equal(t, 1, code, errs)
	require.Len(t, alarmsOf(declared), 3)
	assert.Equal(t, alarmsOf(given), alarmsOf(declared))

	code, _, errs = renewsim(t, "sweep", with, "-vary", "alarms.days-45.metric.threshold=30,45")
	assert.Contains(t, []int{0, 1}, code, errs)

	// A part holds the alarms that watch its certificates: api-only only
	// where api-example-com is.
	holders := 0
	for i := range 3 {
		part := filepath.Join(dir, fmt.Sprintf("part-%d.yaml", i))
		code, _, errs := renewsim(t, checkArgs("-alarms", file, "-shard", fmt.Sprintf("%d/3", i), "-scenario-out", part)...)
		require.Contains(t, []int{0, 1}, code, errs)
		code, _, errs = renewsim(t, "validate", part)
		require.Equal(t, 0, code, errs)
		text, err := os.ReadFile(part)
		require.NoError(t, err)
		if strings.Contains(string(text), "name: 'api-only'") {
			holders++
			assert.Contains(t, string(text), "certs: ['api-example-com']")
		}
	}
	assert.Equal(t, 1, holders)
}
