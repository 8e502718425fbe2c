package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

// Every alarm kind reads into sim.Alarm with the documented defaults.
func TestAlarmsLoad(t *testing.T) {
	sc, err := Parse("t.yaml", []byte(validDoc+`alarms:
  - name: days-30
    metric: {threshold: 30}
  - name: config
    config: {}
  - name: config-bare
    config:
  - name: config-hourly
    config: {days_to_expiration: 20, frequency: 1h}
  - name: acm-1
    securityhub: ACM.1
  - name: action
    eventbridge: {detail_type: ACM Certificate Renewal Action Required, days_to_expiry_at_most: 15, reason: CAA_ERROR}
  - name: tls
    probe: {expires_within: 33.5%}
    certs: [web]
  - name: tls-14d
    probe: {expires_within: 14d, resource: alb}
expect:
  - {alarm: days-30, fires: never}
  - {alarm: days-30, cert: web, fires: 2}
  - {alarm: tls, fires_at_least: 1, fires_at_most: 3}
  - {alarm: acm-1, false_alarms: 0}
  - {alarm: acm-1, false_alarms_at_most: 2}
  - {alarm: action, cert: web, lead_time_at_least: 14d}
`))
	require.NoError(t, err)
	fifteen := 15
	day := 24 * time.Hour
	at := func(line, col int) (string, int, int) { return "t.yaml", line, col }
	want := []sim.Alarm{
		{Name: "days-30", Kind: sim.AlarmMetric, Days: 30},
		{Name: "config", Kind: sim.AlarmConfig, Days: 14, Every: day},
		{Name: "config-bare", Kind: sim.AlarmConfig, Days: 14, Every: day},
		{Name: "config-hourly", Kind: sim.AlarmConfig, Days: 20, Every: time.Hour},
		{Name: "acm-1", Kind: sim.AlarmSecurityHub, Days: 30, Every: day},
		{Name: "action", Kind: sim.AlarmEventBridge, DetailType: sim.EventActionRequired, DaysToExpiryAtMost: &fifteen, Reason: "CAA_ERROR"},
		{Name: "tls", Kind: sim.AlarmProbe, Share: sim.Share{Num: 335, Den: 1000}, Certs: []string{"web"}},
		{Name: "tls-14d", Kind: sim.AlarmProbe, Within: 14 * day, Resource: "alb"},
	}
	for i := range want {
		line := 10 + 2*i
		if i == len(want)-1 {
			line++ // after the certs: line of tls
		}
		want[i].File, want[i].Line, want[i].Col = at(line, 11)
	}
	assert.Equal(t, want, sc.Alarms)
	zero, two, one, three := 0, 2, 1, 3
	lead := 14 * day
	require.Len(t, sc.Expect, 6)
	assert.Equal(t, sim.Expectation{Kind: sim.ExpectAlarm, Text: "{alarm: days-30, fires: never}", Line: 28, Alarm: "days-30", Count: &zero}, sc.Expect[0])
	assert.Equal(t, sim.Expectation{Kind: sim.ExpectAlarm, Text: "{alarm: days-30, cert: web, fires: 2}", Line: 29, Alarm: "days-30", Cert: "web", Count: &two}, sc.Expect[1])
	assert.Equal(t, sim.Expectation{Kind: sim.ExpectAlarm, Text: "{alarm: tls, fires_at_least: 1, fires_at_most: 3}", Line: 30, Alarm: "tls", Min: &one, Max: &three}, sc.Expect[2])
	assert.Equal(t, &zero, sc.Expect[3].FalseAlarms)
	assert.Equal(t, &two, sc.Expect[4].FalseAlarmsMax)
	assert.Equal(t, &lead, sc.Expect[5].LeadTimeAtLeast)
}

// Every problem of an alarm or an alarm expectation is reported at its
// file:line:col.
func TestBrokenAlarms(t *testing.T) {
	for _, tc := range []struct {
		name, alarms, want string
	}{
		{"not a list", "alarms: {name: x}\n", `t.yaml:9:9: alarms: want a list, got a mapping`},
		{"unknown key", "alarms:\n  - {name: a, metric: {threshold: 3}, treshold: 3}\n", `t.yaml:10:39: unknown key "treshold" in alarm (expected one of: name, eventbridge, metric, config, securityhub, probe, certs)`},
		{"no name", "alarms:\n  - {metric: {threshold: 3}}\n", `t.yaml:10:5: missing required key "name" in alarm`},
		{"bad name", "alarms:\n  - {name: Days_30, metric: {threshold: 3}}\n", `t.yaml:10:12: name: want lower-case letters, digits and hyphens (like days-to-expiry-30), got "Days_30"`},
		{"duplicate name", "alarms:\n  - {name: a, metric: {threshold: 3}}\n  - {name: a, config: {}}\n", `t.yaml:11:12: duplicate alarm name "a" (first at line 10)`},
		{"no kind", "alarms:\n  - {name: a, certs: [web]}\n", `t.yaml:10:5: alarm checks nothing: give one of eventbridge, metric, config, securityhub, probe`},
		{"two kinds", "alarms:\n  - {name: a, metric: {threshold: 3}, config: {}}\n", `t.yaml:10:39: alarm has two kinds, metric and config: write one alarm per rule`},
		{"missing threshold", "alarms:\n  - {name: a, metric: {}}\n", `t.yaml:10:23: missing required key "threshold" in metric`},
		{"bad threshold", "alarms:\n  - {name: a, metric: {threshold: 3.5}}\n", `t.yaml:10:35: threshold: want a whole number of days from 0 to 3650, got "3.5"`},
		{"negative days", "alarms:\n  - {name: a, config: {days_to_expiration: -1}}\n", `t.yaml:10:44: days_to_expiration: want a whole number of days from 0 to 3650, got "-1"`},
		{"config frequency", "alarms:\n  - {name: a, config: {frequency: 2h}}\n", `t.yaml:10:35: frequency: AWS Config evaluates a periodic rule every 1h, 3h, 6h, 12h or 24h (MaximumExecutionFrequency One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours), got "2h"`},
		{"config frequency name", "alarms:\n  - {name: a, config: {frequency: Two_Hours}}\n", `t.yaml:10:35: frequency: AWS Config evaluates a periodic rule every 1h, 3h, 6h, 12h or 24h (MaximumExecutionFrequency One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours), got "Two_Hours"`},
		{"config frequency word", "alarms:\n  - {name: a, config: {frequency: daily}}\n", `t.yaml:10:35: frequency: AWS Config evaluates a periodic rule every 1h, 3h, 6h, 12h or 24h (MaximumExecutionFrequency One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours), got "daily"`},
		{"security hub control", "alarms:\n  - {name: a, securityhub: acm.2}\n", `t.yaml:10:28: securityhub: unknown control "acm.2" (known: acm.1, which is acm-certificate-expiration-check with daysToExpiration 30)`},
		{"unknown missing-data treatment", "alarms:\n  - {name: a, metric: {threshold: 3, treat_missing_data: NOT_BREACHING}}\n",
			`t.yaml:10:58: treat_missing_data: unknown treatment of missing data "NOT_BREACHING" (expected one of: notBreaching, breaching, ignore, missing)`},
		{"metric without value", "alarms:\n  - {name: a, metric: }\n", `t.yaml:10:23: key "metric" in alarm has no value`},
		{"unknown detail type", "alarms:\n  - {name: a, eventbridge: {detail_type: Expired}}\n", `t.yaml:10:42: detail_type: unknown detail type "Expired" (expected one of: ACM Certificate Approaching Expiration, ACM Certificate Renewal Action Required, ACM Certificate Available, ACM Certificate Expired, AWS Health Event)`},
		{"days filter on an event without days", "alarms:\n  - {name: a, eventbridge: {detail_type: ACM Certificate Expired, days_to_expiry_at_most: 3}}\n",
			`t.yaml:10:67: days_to_expiry_at_most: "ACM Certificate Expired" events have no DaysToExpiry (these do: ACM Certificate Approaching Expiration, ACM Certificate Renewal Action Required, ACM Certificate Available)`},
		{"reason on another event", "alarms:\n  - {name: a, eventbridge: {detail_type: ACM Certificate Available, reason: CAA_ERROR}}\n",
			`t.yaml:10:69: reason: only "ACM Certificate Renewal Action Required" events carry a RenewalStatusReason`},
		{"unknown reason", "alarms:\n  - {name: a, eventbridge: {detail_type: ACM Certificate Renewal Action Required, reason: none}}\n",
			`t.yaml:10:91: reason: unknown renewal status reason "none" (expected one of: NO_AVAILABLE_CONTACTS, ADDITIONAL_VERIFICATION_REQUIRED, DOMAIN_NOT_ALLOWED, INVALID_PUBLIC_DOMAIN, DOMAIN_VALIDATION_DENIED, CAA_ERROR, PCA_LIMIT_EXCEEDED, PCA_INVALID_ARN, PCA_INVALID_STATE, PCA_REQUEST_FAILED, PCA_NAME_CONSTRAINTS_VALIDATION, PCA_RESOURCE_NOT_FOUND, PCA_INVALID_ARGS, PCA_INVALID_DURATION, PCA_ACCESS_DENIED, SLR_NOT_FOUND, OTHER, PENDING_DOMAIN_VALIDATION)`},
		{"code on another event", "alarms:\n  - {name: a, eventbridge: {detail_type: ACM Certificate Expired, code: CAA_CHECK_FAILURE}}\n",
			`t.yaml:10:67: code: only "AWS Health Event" events carry an eventTypeCode`},
		{"unknown code", "alarms:\n  - {name: a, eventbridge: {detail_type: AWS Health Event, code: CAA_ERROR}}\n",
			`t.yaml:10:66: code: unknown AWS Health event type code "CAA_ERROR" (expected one of: AWS_ACM_RENEWAL_STATE_CHANGE, CAA_CHECK_FAILURE, AWS_ACM_RENEWAL_FAILURE)`},
		{"share out of range", "alarms:\n  - {name: a, probe: {expires_within: 100%}}\n", `t.yaml:10:39: expires_within: want a share of the lifetime like 2/3, 0.05 or 5% (above 0, below 1), got "100%"`},
		{"zero share", "alarms:\n  - {name: a, probe: {expires_within: 0%}}\n", `t.yaml:10:39: expires_within: want a share of the lifetime like 2/3, 0.05 or 5% (above 0, below 1), got "0%"`},
		{"whole lifetime", "alarms:\n  - {name: a, probe: {expires_within: 3/3}}\n", `t.yaml:10:39: expires_within: want a share of the lifetime like 2/3, 0.05 or 5% (above 0, below 1), got "3/3"`},
		{"zero decimal", "alarms:\n  - {name: a, probe: {expires_within: 0.0}}\n", `t.yaml:10:39: expires_within: want a share of the lifetime like 2/3, 0.05 or 5% (above 0, below 1), got "0.0"`},
		{"a bare number", "alarms:\n  - {name: a, probe: {expires_within: 14}}\n", `t.yaml:10:39: expires_within: want a duration like 14d or a share of the lifetime like 2/3, 0.05 or 5% (above 0, below 1), got "14"`},
		{"zero duration", "alarms:\n  - {name: a, probe: {expires_within: 0s}}\n", `t.yaml:10:39: expires_within: want a duration above zero, got "0s"`},
		{"bad duration", "alarms:\n  - {name: a, probe: {expires_within: soon}}\n", `t.yaml:10:39: expires_within: want a duration like 14d or a share of the lifetime like 2/3, 0.05 or 5% (above 0, below 1), got "soon"`},
		{"unknown resource", "alarms:\n  - {name: a, probe: {expires_within: 14d, resource: cdn}}\n", `t.yaml:10:54: resource: unknown resource "cdn" (known: alb)`},
		{"unknown certificate", "alarms:\n  - {name: a, metric: {threshold: 3}, certs: [web, api]}\n", `t.yaml:10:52: certs: unknown certificate "api" (known: web)`},
		{"certificate twice", "alarms:\n  - {name: a, metric: {threshold: 3}, certs: [web, web]}\n", `t.yaml:10:52: certs: certificate "web" is listed twice`},
		{"unknown alarm in an expectation", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: b, fires: never}\n", `t.yaml:12:13: alarm: unknown alarm "b" (known: a)`},
		{"alarm expectation without alarms", "expect:\n  - {alarm: b, fires: never}\n", `t.yaml:10:13: alarm: unknown alarm "b" (the scenario declares no alarms; expectations name alarms of its own alarms: list)`},
		{"alarm expectation checking nothing", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a}\n",
			`t.yaml:12:5: alarm expectation checks nothing: give fires (never or a number), fires_at_least and/or fires_at_most, false_alarms, false_alarms_at_least and/or false_alarms_at_most, or lead_time_at_least with cert`},
		{"false alarms and a bound", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, false_alarms: 1, false_alarms_at_least: 1}\n", `t.yaml:12:33: false_alarms_at_least cannot be combined with false_alarms: write false_alarms for an exact number`},
		{"false alarm bounds the wrong way", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, false_alarms_at_least: 3, false_alarms_at_most: 2}\n", `t.yaml:12:64: false_alarms_at_most (2) is less than false_alarms_at_least (3)`},
		{"bad false alarm bound", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, false_alarms_at_least: some}\n", `t.yaml:12:39: false_alarms_at_least: want a whole number >= 0, got "some"`},
		{"bad fires", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, fires: always}\n", `t.yaml:12:23: fires: want never or a whole number >= 0, got "always"`},
		{"fires and a bound", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, fires: 1, fires_at_most: 2}\n", `t.yaml:12:26: fires_at_most cannot be combined with fires: write fires for an exact number`},
		{"bounds the wrong way", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, fires_at_least: 3, fires_at_most: 2}\n", `t.yaml:12:50: fires_at_most (2) is less than fires_at_least (3)`},
		{"two checks", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, fires: 1, false_alarms: 0}\n", `t.yaml:12:26: expectation mixes fires and false_alarms: write one check per item`},
		{"lead time without cert", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, lead_time_at_least: 14d}\n", `t.yaml:12:16: lead_time_at_least needs cert: the lead time before which certificate's expiry or outage?`},
		{"bad lead time", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, cert: web, lead_time_at_least: 2 weeks}\n", `t.yaml:12:47: lead_time_at_least: want a duration like 45d, 1d12h or 30m, got "2 weeks"`},
		{"alarm keys with another group", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, fires: 1, outcome: renewed}\n", `t.yaml:12:5: expectation mixes alarm and outcome: write one check per item`},
		{"resource in an alarm expectation", "alarms:\n  - {name: a, metric: {threshold: 3}}\nexpect:\n  - {alarm: a, resource: alb, fires: 1}\n", `t.yaml:12:16: key "resource" is not used by an alarm expectation (it takes cert)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse("t.yaml", []byte(validDoc+tc.alarms))
			require.Error(t, err)
			assert.Nil(t, sc)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// An expectation about a certificate the alarm does not watch is refused.
func TestAlarmExpectationOnAnUnwatchedCertificate(t *testing.T) {
	doc := `name: ok
start: 2026-03-01T00:00:00Z
certificates:
  - {id: web, domain: example.com}
  - {id: api, domain: api.example.com}
alarms:
  - {name: a, metric: {threshold: 3}, certs: [web]}
expect:
  - {alarm: a, cert: api, fires: never}
`
	_, err := Parse("t.yaml", []byte(doc))
	require.Error(t, err)
	assert.Equal(t, `t.yaml:9:22: cert: alarm "a" watches only web, not "api"`, err.Error())
}

// A file given with -alarms holds just an alarms: list; what its alarms
// name is checked against each scenario, and a name both declare is an
// error at both places.
func TestAlarmFile(t *testing.T) {
	set, err := ParseAlarms("a.yaml", []byte("# shared alarms\nalarms:\n  - {name: days-30, metric: {threshold: 30}}\n  - {name: tls, probe: {expires_within: 14d, resource: alb}, certs: [web]}\n"))
	require.NoError(t, err)
	require.Len(t, set.Alarms, 2)
	assert.Equal(t, "a.yaml", set.Alarms[0].File)

	sc, err := Parse("t.yaml", []byte(validDoc))
	require.NoError(t, err)
	require.NoError(t, set.AddTo(sc))
	require.Len(t, sc.Alarms, 2)
	assert.Equal(t, "tls", sc.Alarms[1].Name)

	clash, err := Parse("c.yaml", []byte(validDoc+"alarms:\n  - {name: days-30, config: {}}\n"))
	require.NoError(t, err)
	err = set.AddTo(clash)
	require.Error(t, err)
	assert.Equal(t, `a.yaml:3:12: alarm "days-30" is also declared by scenario ok at c.yaml:10:12
c.yaml:10:12: alarm "days-30" is also declared in a.yaml:3:12 (given with -alarms)`, err.Error())
	assert.Len(t, clash.Alarms, 1, "nothing is added when something does not fit")

	other, err := Parse("o.yaml", []byte("name: other\nstart: 2026-03-01T00:00:00Z\ncertificates: [{id: api, domain: api.example.com}]\n"))
	require.NoError(t, err)
	err = set.AddTo(other)
	require.Error(t, err)
	assert.Equal(t, `a.yaml:4:56: resource: scenario other declares no resources, so it has no "alb"
a.yaml:4:70: certs: scenario other has no certificate "web" (known: api)`, err.Error())

	for _, tc := range []struct{ name, doc, want string }{
		{"empty", "", `a.yaml:1:1: empty file: an alarms file holds an alarms: list`},
		{"comments only", "# nothing\n", `a.yaml:1:1: empty file: an alarms file holds an alarms: list`},
		{"a scenario", validDoc, `a.yaml:1:1: unknown key "name" in alarms file (expected one of: alarms)
a.yaml:1:1: missing required key "alarms" in alarms file
a.yaml:2:1: unknown key "start" in alarms file (expected one of: alarms)
a.yaml:3:1: unknown key "resources" in alarms file (expected one of: alarms)
a.yaml:5:1: unknown key "certificates" in alarms file (expected one of: alarms)`},
		{"empty list", "alarms: []\n", `a.yaml:1:9: alarms: want at least one alarm`},
		{"a list at the top", "- {name: a, config: {}}\n", `a.yaml:1:1: alarms file: want a mapping of keys, got a list`},
		{"syntax", "alarms:\n  - {name: a\n", `a.yaml:1:1: YAML syntax error: did not find expected ',' or '}'`},
		{"bad alarm", "alarms:\n  - {name: a, metric: {threshold: x}}\n", `a.yaml:2:35: threshold: want a whole number of days from 0 to 3650, got "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := ParseAlarms("a.yaml", []byte(tc.doc))
			require.Error(t, err)
			assert.Nil(t, set)
			assert.Equal(t, tc.want, err.Error())
		})
	}

	path := filepath.Join(t.TempDir(), "alarms.yaml")
	require.NoError(t, os.WriteFile(path, []byte("alarms: [{name: a, config: {}}]\n"), 0o644))
	set, err = LoadAlarms(path)
	require.NoError(t, err)
	assert.Equal(t, path, set.File)
	_, err = LoadAlarms(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// A sweep reaches an alarm of the scenario by its name.
func TestVaryAnAlarmByName(t *testing.T) {
	doc, err := DecodeNode("t.yaml", []byte(validDoc+"alarms:\n  - {name: days, metric: {threshold: 30}}\n"))
	require.NoError(t, err)
	v, err := ParseVary("alarms.days.metric.threshold=10,20")
	require.NoError(t, err)
	p, err := NewPlan("t.yaml", doc, []Vary{v}, PlanOptions{})
	require.NoError(t, err)
	require.Equal(t, 2, p.Len())
	for k, want := range []int{10, 20} {
		vr, err := p.Variant(k)
		require.NoError(t, err)
		assert.Equal(t, want, vr.Scenario.Alarms[0].Days)
	}
	bad, err := ParseVary("alarms.nope.metric.threshold=10")
	require.NoError(t, err)
	_, err = NewPlan("t.yaml", doc, []Vary{bad}, PlanOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `alarms has no item "nope" (names: days; or an index from 0 to 0)`)
}

// A sweep may add a key the alarm's kind leaves out, such as a metric
// alarm's treat_missing_data (to judge the CDK's advice of breaching), but
// not one the kind does not take.
func TestVaryAddsAnAlarmKindKey(t *testing.T) {
	doc, err := DecodeNode("t.yaml", []byte(validDoc+"alarms:\n  - {name: days, metric: {threshold: 0}}\n"))
	require.NoError(t, err)
	v, err := ParseVary("alarms.days.metric.treat_missing_data=missing,breaching")
	require.NoError(t, err)
	p, err := NewPlan("t.yaml", doc, []Vary{v}, PlanOptions{})
	require.NoError(t, err)
	require.Equal(t, 2, p.Len())
	for k, want := range []string{sim.MissingMissing, sim.MissingBreaching} {
		vr, err := p.Variant(k)
		require.NoError(t, err)
		assert.Equal(t, want, vr.Scenario.Alarms[0].TreatMissingData)
	}
	bad, err := ParseVary("alarms.days.metric.frequency=1h")
	require.NoError(t, err)
	_, err = NewPlan("t.yaml", doc, []Vary{bad}, PlanOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `alarms.days.metric has no key "frequency" (it has: threshold; a metric may also take: treat_missing_data)`)
}

// FuzzAlarmFile checks that no input makes ParseAlarms panic, that every
// failure carries a position, and that every alarm read has one kind.
func FuzzAlarmFile(f *testing.F) {
	f.Add([]byte("alarms:\n  - {name: a, metric: {threshold: 30}}\n  - {name: b, config: }\n  - {name: c, securityhub: acm.1, certs: [web]}\n"))
	f.Add([]byte("alarms:\n  - {name: d, eventbridge: {detail_type: ACM Certificate Renewal Action Required, days_to_expiry_at_most: 15, reason: CAA_ERROR}}\n  - {name: e, probe: {expires_within: 33%, resource: alb}}\n"))
	f.Add([]byte("alarms: &x [*x]\n"))
	f.Add([]byte("alarms:\n  - {name: a, metric: {threshold: 3}, config: {frequency: 7h}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := ParseAlarms("f.yaml", data)
		if err != nil {
			es, ok := err.(Errors)
			if !ok || len(es) == 0 {
				t.Fatalf("error %T %v, want Errors", err, err)
			}
			for _, e := range es {
				if e.Line < 1 || e.Col < 1 || strings.HasPrefix(e.Msg, "internal error") {
					t.Fatalf("bad error %v", e)
				}
			}
			return
		}
		for _, a := range set.Alarms {
			if a.Kind == "" || a.Name == "" || a.Line < 1 {
				t.Fatalf("alarm without a kind, name or place: %+v", a)
			}
		}
	})
}

// A probe's share of the lifetime reads as every share does: a third
// written as a fraction, a decimal or a percentage.
func TestProbeShareForms(t *testing.T) {
	for in, want := range map[string]sim.Share{
		"1/3": {Num: 1, Den: 3}, "0.33": {Num: 33, Den: 100}, "33%": {Num: 33, Den: 100}, "33.5%": {Num: 335, Den: 1000}, "2/3": {Num: 2, Den: 3},
	} {
		sc, err := Parse("t.yaml", []byte(validDoc+"alarms:\n  - {name: a, probe: {expires_within: '"+in+"'}}\n"))
		require.NoError(t, err, in)
		require.Len(t, sc.Alarms, 1)
		assert.Equal(t, want.String(), sc.Alarms[0].Share.String(), in)
		assert.Zero(t, sc.Alarms[0].Within, in)
	}
}

// The Config rule's frequency reads AWS's MaximumExecutionFrequency names
// as the durations they stand for.
func TestConfigFrequencyNames(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"One_Hour": time.Hour, "Three_Hours": 3 * time.Hour, "Six_Hours": 6 * time.Hour, "Twelve_Hours": 12 * time.Hour,
		"TwentyFour_Hours": 24 * time.Hour, "12h": 12 * time.Hour, "1d": 24 * time.Hour,
	} {
		sc, err := Parse("t.yaml", []byte(validDoc+"alarms:\n  - {name: a, config: {frequency: "+in+"}}\n"))
		require.NoError(t, err, in)
		assert.Equal(t, want, sc.Alarms[0].Every, in)
	}
}
