package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
	"github.com/renewsim/renewsim/sweep"
)

// withAlarms runs the scenario (a library name) and builds its result,
// with the alarms of alarmsYAML judged on its record.
func withAlarms(t *testing.T, scenario, alarmsYAML string) result.Scenario {
	t.Helper()
	sc, err := scenarios.LoadLibrary(scenario)
	require.NoError(t, err)
	set, err := scenarios.ParseAlarms("alarms.yaml", []byte(alarmsYAML))
	require.NoError(t, err)
	require.NoError(t, set.AddTo(sc))
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	return result.Build(sc, res.Seed, res.Log)
}

// librarySource is a library scenario's YAML with old replaced by new.
func librarySource(t *testing.T, name, old, new string) string {
	t.Helper()
	src, ok := scenarios.LibrarySource(name)
	require.True(t, ok)
	require.Contains(t, string(src), old)
	return strings.Replace(string(src), old, new, 1)
}

// The JSON keeps its fields in order: alarms come last, and only when the
// scenario has some.
func TestAlarmsInJSON(t *testing.T) {
	s := withAlarms(t, "dns-missing-cname", "alarms: [{name: a, metric: {threshold: 30}}]")
	var buf bytes.Buffer
	require.NoError(t, report.WriteJSON(&buf, &result.Summary{Scenarios: []result.Scenario{s}}))
	out := buf.String()
	assert.Less(t, strings.Index(out, `"expectations"`), strings.Index(out, `"alarms"`))
	assert.Contains(t, out, `"rule": "CloudWatch DaysToExpiry <= 30, a datapoint a day at 00:00 UTC"`)
	var doc struct {
		Scenarios []struct {
			Alarms []map[string]json.RawMessage `json:"alarms"`
		} `json:"scenarios"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	require.Len(t, doc.Scenarios[0].Alarms, 1)

	plain := library(t).Scenarios[0]
	buf.Reset()
	require.NoError(t, report.WriteJSON(&buf, &result.Summary{Scenarios: []result.Scenario{plain}}))
	assert.NotContains(t, buf.String(), `"alarms"`)
}

// The text summary has a line per alarm.
func TestAlarmsInTheSummary(t *testing.T) {
	s := withAlarms(t, "dns-missing-cname", "alarms: [{name: a, metric: {threshold: 30}}, {name: b, eventbridge: {detail_type: ACM Certificate Expired}}, {name: c, metric: {threshold: 0}}]")
	var buf bytes.Buffer
	require.NoError(t, report.WriteText(&buf, &result.Summary{Scenarios: []result.Scenario{s}}))
	assert.Contains(t, buf.String(), `  alarms:
    alarm a (CloudWatch DaysToExpiry <= 30, a datapoint a day at 00:00 UTC): fired 1 time, first at 2026-08-16 00:00 (web), lead time 30d (web expired 2026-09-15 00:00), 0 false alarms
    alarm b (EventBridge rule on ACM Certificate Expired): fired 1 time, first at 2026-09-15 00:00 (web), lead time 0s (web expired 2026-09-15 00:00), 0 false alarms, MISSED 1 expiry or outage (web)
    alarm c (CloudWatch DaysToExpiry <= 0, a datapoint a day at 00:00 UTC): never fired, 0 false alarms, MISSED 1 expiry or outage (web)
  expectations:`)
}

// Several misses read in the plural: "2 expiries or outages".
func TestAlarmMissesInThePlural(t *testing.T) {
	s := withAlarms(t, "dns-missing-cname", "alarms: [{name: c, metric: {threshold: 0}}]")
	s.Alarms[0].Missed = 2
	s.Alarms[0].Certificates = append(s.Alarms[0].Certificates, s.Alarms[0].Certificates[0])
	s.Alarms[0].Certificates[1].Cert = "api"
	var buf bytes.Buffer
	require.NoError(t, report.WriteText(&buf, &result.Summary{Scenarios: []result.Scenario{s}}))
	assert.Contains(t, buf.String(), "never fired, 0 false alarms, MISSED 2 expiries or outages (web, api)\n")
}

// Firings are markers on the timeline, a glyph per alarm, in the legend:
// probes on the resource's lane, the others on the certificate's.
func TestAlarmsOnTheTimeline(t *testing.T) {
	s := withAlarms(t, "dns-missing-cname", "alarms: [{name: days, metric: {threshold: 30}}, {name: tls, probe: {expires_within: 14d}}, {name: never, metric: {threshold: 0}}]")
	tl := report.TimelineOf(&s)
	assert.Equal(t, []string{"days", "tls", "never"}, tl.AlarmNames)
	var got []string
	for _, m := range tl.Markers {
		if m.Kind == report.MarkAlarm {
			got = append(got, tl.Lanes[m.Lane].ID+" "+m.Class+" "+m.Label+" "+m.Time.Format("2006-01-02 15:04"))
		}
	}
	assert.Equal(t, []string{"web alarm#0 alarm days 2026-08-16 00:00", "alb-prod alarm#1 alarm tls 2026-09-01 00:01"}, got)
	var svg bytes.Buffer
	require.NoError(t, tl.WriteSVG(&svg))
	assert.Contains(t, svg.String(), "alarm days fired")
	assert.Contains(t, svg.String(), "alarm tls fired")
	assert.NotContains(t, svg.String(), "alarm never fired", "an alarm that never fired has no marker to explain")

	var page bytes.Buffer
	require.NoError(t, report.WriteHTML(&page, &result.Summary{Scenarios: []result.Scenario{s}}))
	assert.Contains(t, page.String(), "<h3>Alarms</h3>")
	assert.Contains(t, page.String(), "<td>30d (web expired 2026-09-15 00:00)</td>")
	page.Reset()
	require.NoError(t, report.WriteHTML(&page, &result.Summary{Scenarios: []result.Scenario{library(t).Scenarios[0]}}))
	assert.NotContains(t, page.String(), "<h3>Alarms</h3>")
}

// A sweep's variants carry their alarms; the sweep page charts lead time
// and false alarms against what was varied.
func TestSweepAlarms(t *testing.T) {
	var vs []sweep.Variant
	for i, th := range []string{"0", "30", "50"} {
		src := librarySource(t, "dns-missing-cname", "expect:", "alarms: [{name: days, metric: {threshold: "+th+"}}]\nexpect:")
		sc, err := scenarios.Parse("t.yaml", []byte(src))
		require.NoError(t, err)
		res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
		require.NoError(t, err)
		vs = append(vs, sweep.Build(sweep.Info{Index: i, Of: 3, Run: -1,
			Params: sweep.Params{{Path: "alarms.days.metric.threshold", Value: th}}}, sc, res.Seed, res.Log))
	}
	lead := func(v sweep.Variant) string {
		if v.Alarms[0].LeadTime == nil {
			return "none"
		}
		return *v.Alarms[0].LeadTime
	}
	assert.Equal(t, []string{"none", "30d", "50d"}, []string{lead(vs[0]), lead(vs[1]), lead(vs[2])})
	assert.Equal(t, 1, vs[0].Alarms[0].Missed)

	var jl bytes.Buffer
	require.NoError(t, sweep.WriteJSONLines(&jl, vs))
	back, err := sweep.Read(&jl)
	require.NoError(t, err)
	assert.Equal(t, vs, back)

	plots, err := report.SweepPlots(vs)
	require.NoError(t, err)
	var names []string
	for _, p := range plots {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"margin-1.svg", "lead-time-1.svg"}, names)
	assert.Contains(t, string(plots[1].SVG), "days missed (1)")

	var csv bytes.Buffer
	require.NoError(t, report.WriteVariantsCSV(&csv, vs))
	lines := strings.Split(csv.String(), "\n")
	assert.True(t, strings.HasSuffix(lines[0], ",alarm.days.fired,alarm.days.false_alarms,alarm.days.troubles,alarm.days.missed,alarm.days.lead_time,alarm.days.lead_time_seconds"), lines[0])
	assert.True(t, strings.HasSuffix(lines[2], ",1,0,1,0,30d,2592000"), lines[2])

	agg := sweep.Sum(vs)
	var txt bytes.Buffer
	require.NoError(t, report.WriteAggregate(&txt, &agg))
	assert.Contains(t, txt.String(), "days   66.7% (2/3)  66.7% (2/3)  33.3% (1/3)        0 in 0           30d  30d  30d")
}
