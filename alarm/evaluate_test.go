package alarm_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/alarm"
	"github.com/renewsim/renewsim/record"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// run is a scenario's run judged: its alarms' results.
type run struct{ Alarms []alarm.Result }

// withAlarms runs the scenario (a library name, or YAML text) and judges
// the alarms of alarmsYAML on its record.
func withAlarms(t *testing.T, scenario, alarmsYAML string) run {
	t.Helper()
	var sc *sim.Scenario
	var err error
	if strings.Contains(scenario, "\n") {
		sc, err = scenarios.Parse("test.yaml", []byte(scenario))
	} else {
		sc, err = scenarios.LoadLibrary(scenario)
	}
	require.NoError(t, err)
	set, err := scenarios.ParseAlarms("alarms.yaml", []byte(alarmsYAML))
	require.NoError(t, err)
	require.NoError(t, set.AddTo(sc))
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	return run{alarm.Evaluate(sc, record.New(res.Log))}
}

// librarySource is a library scenario's YAML with old replaced by new.
func librarySource(t *testing.T, name, old, new string) string {
	t.Helper()
	src, ok := scenarios.LibrarySource(name)
	require.True(t, ok)
	require.Contains(t, string(src), old)
	return strings.Replace(string(src), old, new, 1)
}

// firing is what a test expects of one firing.
type firing struct {
	at       string // 2006-01-02 15:04 UTC
	cycle    int
	outcome  alarm.Outcome
	followed alarm.Followed
	lead     string // "" when it has none
	resource string
}

func firingsOf(t *testing.T, s run, name, cert string) []firing {
	t.Helper()
	for _, a := range s.Alarms {
		if a.Name != name {
			continue
		}
		for _, c := range a.Certificates {
			if c.Cert != cert {
				continue
			}
			out := []firing{}
			for _, f := range c.Firings {
				lead := ""
				if f.LeadTime != nil {
					lead = *f.LeadTime
				}
				out = append(out, firing{f.Time.Format("2006-01-02 15:04"), f.Cycle, f.Outcome, f.Followed, lead, f.Resource})
			}
			return out
		}
	}
	t.Fatalf("no result for alarm %s and certificate %s", name, cert)
	return nil
}

// Every kind of alarm fires at the time its documented rule gives, on
// records whose times are known by hand: dns-missing-cname's certificate
// (issued 2026-03-01 00:00, 198 days) expires on 2026-09-15 00:00 with its
// validation CNAME gone; dns-happy's renews by itself at T-45d
// (2026-08-01 00:10).
func TestAlarmsFireAtTheDocumentedTime(t *testing.T) {
	const failing, healthy = "dns-missing-cname", "dns-happy"
	type tc struct {
		name, scenario, alarm string
		want                  []firing
	}
	exp := func(at string, lead string) firing {
		return firing{at: at, cycle: 1, outcome: alarm.TrueAlarm, followed: alarm.FollowedExpiry, lead: lead}
	}
	for _, c := range []tc{
		// DaysToExpiry is 30 in the datapoint of T-30d 00:00.
		{"metric 30 on a missing CNAME", failing, `{name: a, metric: {threshold: 30}}`, []firing{exp("2026-08-16 00:00", "30d")}},
		{"metric 30 on a healthy certificate", healthy, `{name: a, metric: {threshold: 30}}`, []firing{}},
		// T-50d is 2026-07-27, five days before the renewal at T-45d.
		{"metric 50 on a healthy certificate", healthy, `{name: a, metric: {threshold: 50}}`,
			[]firing{{at: "2026-07-27 00:00", cycle: 1, outcome: alarm.FalseAlarm, followed: alarm.FollowedRenewal}}},
		// acm-certificate-expiration-check's default daysToExpiration is 14.
		{"config preset on a failing certificate", failing, `{name: a, config: {}}`, []firing{exp("2026-09-01 00:00", "14d")}},
		{"config preset on a healthy certificate", healthy, `{name: a, config: {}}`, []firing{}},
		// Security Hub's ACM.1 passes 30.
		{"ACM.1 on a failing certificate", failing, `{name: a, securityhub: acm.1}`, []firing{exp("2026-08-16 00:00", "30d")}},
		{"ACM.1 on a healthy certificate", healthy, `{name: a, securityhub: ACM.1}`, []firing{}},
		{"config every 24h explicitly", failing, `{name: a, config: {days_to_expiration: 20, frequency: 24h}}`, []firing{exp("2026-08-26 00:00", "20d")}},
		// Action Required is sent 30, 15, 7, 3 and 1 days before expiry.
		{"EventBridge Action Required, DaysToExpiry <= 15", failing,
			`{name: a, eventbridge: {detail_type: ACM Certificate Renewal Action Required, days_to_expiry_at_most: 15}}`,
			[]firing{exp("2026-08-31 00:00", "15d"), exp("2026-09-08 00:00", "7d"), exp("2026-09-12 00:00", "3d"), exp("2026-09-14 00:00", "1d")}},
		{"EventBridge Action Required with a reason it never has", failing,
			`{name: a, eventbridge: {detail_type: ACM Certificate Renewal Action Required, reason: CAA_ERROR}}`, []firing{}},
		// The Expired event comes at expiry: no warning at all.
		{"EventBridge Expired", failing, `{name: a, eventbridge: {detail_type: ACM Certificate Expired}}`, []firing{exp("2026-09-15 00:00", "0s")}},
		// A third of 198 days is 65d8h9m36s (33%) before expiry:
		// 2026-07-11 15:50:24; the next scrape, on the minute, sees it.
		{"probe 33% of the lifetime", failing, `{name: a, probe: {expires_within: 33%}}`,
			[]firing{{at: "2026-07-11 15:51", cycle: 1, outcome: alarm.TrueAlarm, followed: alarm.FollowedExpiry, lead: "65d8h9m", resource: "alb-prod"}}},
		// Shares read as every share does: 0.33 is 33%; a third of 198
		// days is exactly 66 days, 2026-07-11 00:00, strict, so 00:01.
		{"probe 0.33 of the lifetime", failing, `{name: a, probe: {expires_within: 0.33}}`,
			[]firing{{at: "2026-07-11 15:51", cycle: 1, outcome: alarm.TrueAlarm, followed: alarm.FollowedExpiry, lead: "65d8h9m", resource: "alb-prod"}}},
		{"probe 1/3 of the lifetime", failing, `{name: a, probe: {expires_within: 1/3}}`,
			[]firing{{at: "2026-07-11 00:01", cycle: 1, outcome: alarm.TrueAlarm, followed: alarm.FollowedExpiry, lead: "65d23h59m", resource: "alb-prod"}}},
		// probe_ssl_earliest_cert_expiry - time() < 14d is false at exactly
		// 14 days left, true a minute later.
		{"probe 14d", failing, `{name: a, probe: {expires_within: 14d, resource: alb-prod}}`,
			[]firing{{at: "2026-09-01 00:01", cycle: 1, outcome: alarm.TrueAlarm, followed: alarm.FollowedExpiry, lead: "13d23h59m", resource: "alb-prod"}}},
		{"probe 33% on a healthy certificate", healthy, `{name: a, probe: {expires_within: 33%}}`,
			[]firing{{at: "2026-07-11 15:51", cycle: 1, outcome: alarm.FalseAlarm, followed: alarm.FollowedRenewal, resource: "alb-prod"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := withAlarms(t, c.scenario, "alarms: ["+c.alarm+"]")
			assert.Equal(t, c.want, firingsOf(t, s, "a", "web"))
		})
	}
}

// Every cycle gets its own firing: dns-happy run until its second renewal
// (2027-01-01 00:10, T-45d of the certificate valid until 2027-02-15
// 00:10) raises a 50-day alarm twice, both false.
func TestMetricAlarmFiresOncePerCycle(t *testing.T) {
	src := librarySource(t, "dns-happy", "until: web.expiry+7d", "until: 2027-03-01T00:00:00Z")
	s := withAlarms(t, src, "alarms: [{name: a, metric: {threshold: 50}}, {name: b, metric: {threshold: 30}}]")
	// floor((2027-02-15 00:10 - 2026-12-27 00:00) / 1d) = 50.
	assert.Equal(t, []firing{
		{at: "2026-07-27 00:00", cycle: 1, outcome: alarm.FalseAlarm, followed: alarm.FollowedRenewal},
		{at: "2026-12-27 00:00", cycle: 2, outcome: alarm.FalseAlarm, followed: alarm.FollowedRenewal},
	}, firingsOf(t, s, "a", "web"))
	assert.Equal(t, []firing{}, firingsOf(t, s, "b", "web"))
	require.Len(t, s.Alarms, 2)
	assert.Equal(t, 2, s.Alarms[0].FalseAlarms)
	assert.Nil(t, s.Alarms[0].Certificates[0].LeadTime, "false alarms warn of nothing")
}

// A threshold above the lifetime puts the alarm in ALARM at the first
// datapoint and keeps it there: it never fires again, not even before the
// expiry that finally comes. With 47-day certificates (cabf-2029), a
// 50-day alarm fires once, falsely, and then misses the failure; a 14-day
// one warns.
func TestFixedThresholdAboveTheLifetimeMissesTheFailure(t *testing.T) {
	src := `name: short
profile: cabf-2029
start: 2026-03-01T00:00:00Z
until: 2026-07-01T00:00:00Z
resources: [{id: alb, kind: elb}]
certificates: [{id: web, domain: example.com, in_use_by: [alb]}]
timeline:
  - {at: 2026-04-20T00:00:00Z, do: delete-validation-record, cert: web}
`
	s := withAlarms(t, src, "alarms: [{name: fixed, metric: {threshold: 50}}, {name: short, metric: {threshold: 14}}]")
	fixed := firingsOf(t, s, "fixed", "web")
	require.Len(t, fixed, 1)
	assert.Equal(t, firing{at: "2026-03-01 00:00", cycle: 1, outcome: alarm.FalseAlarm, followed: alarm.FollowedRenewal}, fixed[0])
	c := s.Alarms[0].Certificates[0]
	assert.Equal(t, 1, c.Troubles)
	assert.Equal(t, 1, c.Missed, "still in ALARM from the first cycle: no new firing before the expiry")
	short := s.Alarms[1].Certificates[0]
	assert.Equal(t, 0, short.Missed)
	assert.Equal(t, 0, short.FalseAlarms)
}

// A firing before a renewal that needed a change (the CNAME restored at
// T-20d) is a true alarm: someone had to act on it.
func TestRenewalAfterAChangeIsATrueAlarm(t *testing.T) {
	s := withAlarms(t, "dns-cname-restored-late", "alarms: [{name: a, metric: {threshold: 30}}, {name: b, metric: {threshold: 10}}]")
	assert.Equal(t, []firing{{at: "2026-08-16 00:00", cycle: 1, outcome: alarm.TrueAlarm, followed: alarm.FollowedChangeRenewal, lead: "30d"}},
		firingsOf(t, s, "a", "web"))
	// Renewed at T-20d: a 10-day alarm never fires, and nothing expired.
	assert.Equal(t, []firing{}, firingsOf(t, s, "b", "web"))
	assert.Equal(t, 0, s.Alarms[1].Missed)
}

// A renewal served too late is an outage: the lead time runs to it.
func TestLeadTimeRunsToTheOutage(t *testing.T) {
	s := withAlarms(t, "deployment-delay-outage", "alarms: [{name: a, metric: {threshold: 30}}]")
	assert.Equal(t, []firing{{at: "2026-08-16 00:00", cycle: 1, outcome: alarm.TrueAlarm, followed: alarm.FollowedOutage, lead: "30d"}},
		firingsOf(t, s, "a", "web"))
}

// The alarms read the record the same way when it comes back from an
// event log, whose EventBridge details are maps.
func TestAlarmsFromAnEventLog(t *testing.T) {
	const alarms = `alarms:
  - {name: a, eventbridge: {detail_type: ACM Certificate Renewal Action Required, days_to_expiry_at_most: 15, reason: PENDING_DOMAIN_VALIDATION}}
  - {name: b, eventbridge: {detail_type: ACM Certificate Approaching Expiration, days_to_expiry_at_most: 3}}
  - {name: c, probe: {expires_within: 33%}}
  - {name: d, config: {}}`
	sc, err := scenarios.LoadLibrary("dns-missing-cname")
	require.NoError(t, err)
	set, err := scenarios.ParseAlarms("alarms.yaml", []byte(alarms))
	require.NoError(t, err)
	require.NoError(t, set.AddTo(sc))
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	live := run{alarm.Evaluate(sc, record.New(res.Log))}
	data, err := json.Marshal(res.Log)
	require.NoError(t, err)
	var back []sim.Entry
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, live.Alarms, alarm.Evaluate(sc, record.New(back)))
	assert.Len(t, firingsOf(t, live, "a", "web"), 4)
	assert.Len(t, firingsOf(t, live, "b", "web"), 3)
}

// AWS Health and EventBridge rules: a rule on one eventTypeCode fires on
// those events only; the notices ACM sends as a renewal issues (ACM
// Certificate Available, the AWS Health notice of the renewal) belong to
// the cycle they close and are neither warnings nor false alarms, even
// when the next cycle fails. Here the certificate renews at T−45d
// (2026-08-01 00:10), its CNAME is deleted on 2026-09-01, and the
// renewed certificate (valid until 2027-02-15 00:10) expires.
func TestHealthRulesAndRenewalNotices(t *testing.T) {
	src := librarySource(t, "dns-happy", "until: web.expiry+7d", `until: 2027-02-20T00:00:00Z
timeline:
  - {at: 2026-09-01T00:00:00Z, do: delete-validation-record, cert: web}`)
	s := withAlarms(t, src, `alarms:
  - {name: health, eventbridge: {detail_type: AWS Health Event}}
  - {name: state, eventbridge: {detail_type: AWS Health Event, code: AWS_ACM_RENEWAL_STATE_CHANGE}}
  - {name: caa, eventbridge: {detail_type: AWS Health Event, code: CAA_CHECK_FAILURE}}
  - {name: available, eventbridge: {detail_type: ACM Certificate Available}}`)
	notice := firing{at: "2026-08-01 00:10", cycle: 1, outcome: alarm.Notice, followed: alarm.FollowedRenewal}
	// Action Required (and its Health notice) 30, 15, 7, 3 and 1 days
	// before 2027-02-15 00:10, then the Health notice of the expiry.
	warn := func(at, lead string) firing {
		return firing{at: at, cycle: 2, outcome: alarm.TrueAlarm, followed: alarm.FollowedExpiry, lead: lead}
	}
	health := []firing{notice,
		warn("2027-01-16 00:10", "30d"), warn("2027-01-31 00:10", "15d"), warn("2027-02-08 00:10", "7d"),
		warn("2027-02-12 00:10", "3d"), warn("2027-02-14 00:10", "1d"), warn("2027-02-15 00:10", "0s")}
	assert.Equal(t, health, firingsOf(t, s, "health", "web"))
	assert.Equal(t, health, firingsOf(t, s, "state", "web"), "every Health event of ACM here is a renewal state change")
	assert.Equal(t, []firing{}, firingsOf(t, s, "caa", "web"), "no CAA failure, no firing")
	assert.Equal(t, []firing{notice}, firingsOf(t, s, "available", "web"))
	for _, r := range s.Alarms {
		assert.Zero(t, r.FalseAlarms, "%s: a notice of a renewal is no false alarm", r.Name)
	}
	c := s.Alarms[0].Certificates[0]
	assert.Equal(t, 1, c.Troubles)
	assert.Equal(t, 0, c.Missed)
	require.NotNil(t, c.LeadTime)
	assert.Equal(t, "30d", *c.LeadTime, "the lead time runs from the first warning, not from the notice of the renewal before")
}

// A rule on CAA_CHECK_FAILURE fires once per failing cycle, on the
// library scenario where CAA forbids Amazon.
func TestHealthRuleOnTheCAACode(t *testing.T) {
	s := withAlarms(t, "caa-forbids-amazon", `alarms:
  - {name: caa, eventbridge: {detail_type: AWS Health Event, code: CAA_CHECK_FAILURE}}
  - {name: state, eventbridge: {detail_type: AWS Health Event, code: AWS_ACM_RENEWAL_STATE_CHANGE}}`)
	caa := s.Alarms[0]
	require.Len(t, caa.Certificates, 1)
	require.Len(t, caa.Certificates[0].Firings, 1)
	assert.Equal(t, alarm.TrueAlarm, caa.Certificates[0].Firings[0].Outcome)
	assert.Equal(t, "AWS Health Event, eventTypeCode CAA_CHECK_FAILURE", strings.TrimPrefix(caa.Rule, "EventBridge rule on "))
	assert.Greater(t, s.Alarms[1].Fired, caa.Fired, "the state changes are another code")
}

// Two healthy renewals: a rule on every AWS Health event fires at each,
// on the notice of the renewal, and cries wolf at neither.
func TestHealthRuleOnHealthyRenewals(t *testing.T) {
	src := librarySource(t, "dns-happy", "until: web.expiry+7d", "until: 2027-03-01T00:00:00Z")
	s := withAlarms(t, src, "alarms: [{name: health, eventbridge: {detail_type: AWS Health Event}}]")
	assert.Equal(t, []firing{
		{at: "2026-08-01 00:10", cycle: 1, outcome: alarm.Notice, followed: alarm.FollowedRenewal},
		{at: "2027-01-01 00:20", cycle: 2, outcome: alarm.Notice, followed: alarm.FollowedRenewal},
	}, firingsOf(t, s, "health", "web"))
	assert.Zero(t, s.Alarms[0].FalseAlarms)
	assert.Equal(t, alarm.WarnsSilent, alarm.Verdicts(s.Alarms)["web"][0].Warns, "nothing to warn of")
}

// CloudWatch's treat_missing_data after ACM stops publishing DaysToExpiry
// (the certificate expired). An imported certificate expires on
// 2026-05-30 00:00 and is reimported on 2026-06-04 with 20 days left
// (expiring 2026-06-24 00:00, unrenewed). A 30-day alarm fires on
// 2026-04-30 and is in ALARM when the data stops:
//
//   - missing (the default): INSUFFICIENT_DATA, so the reimported
//     certificate's first datapoint (20 days) fires again;
//   - notBreaching: OK, and the same;
//   - ignore: still ALARM, so it stays silent and misses the second
//     expiry;
//   - breaching (the CDK's advice): ALARM already, silent likewise.
func TestMetricTreatMissingData(t *testing.T) {
	const src = `name: reimported-late
start: 2026-03-01T00:00:00Z
until: 2026-07-01T00:00:00Z
resources: [{id: cdn, kind: cloudfront}]
certificates:
  - {id: web, domain: static.example.com, type: imported, not_after: 2026-05-30T00:00:00Z, in_use_by: [cdn]}
timeline:
  - {at: 2026-06-04T00:00:00Z, do: reimport, cert: web, not_after: 2026-06-24T00:00:00Z}
`
	first := firing{at: "2026-04-30 00:00", cycle: 1, outcome: alarm.TrueAlarm, followed: alarm.FollowedExpiry, lead: "30d"}
	again := firing{at: "2026-06-04 00:00", cycle: 2, outcome: alarm.TrueAlarm, followed: alarm.FollowedExpiry, lead: "20d"}
	for treat, want := range map[string][]firing{
		"":             {first, again},
		"missing":      {first, again},
		"notBreaching": {first, again},
		"ignore":       {first},
		"breaching":    {first},
	} {
		t.Run("treat "+treat, func(t *testing.T) {
			a := "{name: a, metric: {threshold: 30}}"
			if treat != "" {
				a = "{name: a, metric: {threshold: 30, treat_missing_data: " + treat + "}}"
			}
			s := withAlarms(t, src, "alarms: ["+a+"]")
			assert.Equal(t, want, firingsOf(t, s, "a", "web"))
			assert.Equal(t, 2-len(want), s.Alarms[0].Missed, "expiries no firing came before")
			rule := "CloudWatch DaysToExpiry <= 30, a datapoint a day at 00:00 UTC"
			if treat != "" && treat != "missing" {
				rule += ", TreatMissingData " + treat
			}
			assert.Equal(t, rule, s.Alarms[0].Rule, "the default goes unsaid")
		})
	}
}

// A threshold of 0 never sees a datapoint of 0 for a certificate that
// expires at 00:00: the last datapoint says 1. With missing data treated
// as breaching (the CDK's advice for metricDaysToExpiry) the alarm fires
// at the first evaluation without data, the moment of expiry: too late to
// warn, but not silent. The other treatments never fire.
func TestMetricBreachingFiresWhenTheDataStops(t *testing.T) {
	for treat, want := range map[string][]firing{
		"missing":      {},
		"ignore":       {},
		"notBreaching": {},
		"breaching":    {{at: "2026-09-15 00:00", cycle: 1, outcome: alarm.TrueAlarm, followed: alarm.FollowedExpiry, lead: "0s"}},
	} {
		s := withAlarms(t, "dns-missing-cname", "alarms: [{name: a, metric: {threshold: 0, treat_missing_data: "+treat+"}}]")
		assert.Equal(t, want, firingsOf(t, s, "a", "web"), treat)
		assert.Equal(t, 1, s.Alarms[0].Missed, "%s: no warning before the expiry either way", treat)
	}
}
