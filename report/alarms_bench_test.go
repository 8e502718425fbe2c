package report_test

import (
	"testing"
	"time"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/sim"
)

// benchAlarms is one alarm of each kind.
func benchAlarms() []sim.Alarm {
	fifteen := 15
	return []sim.Alarm{
		{Name: "eventbridge", Kind: sim.AlarmEventBridge, DetailType: sim.EventActionRequired, DaysToExpiryAtMost: &fifteen},
		{Name: "metric", Kind: sim.AlarmMetric, Days: 30},
		{Name: "config", Kind: sim.AlarmConfig, Days: sim.ConfigDefaultDays, Every: sim.ConfigDefaultEvery},
		{Name: "securityhub", Kind: sim.AlarmSecurityHub, Days: sim.SecurityHubACM1Days, Every: sim.ConfigDefaultEvery},
		{Name: "probe", Kind: sim.AlarmProbe, Share: 0.33},
		{Name: "probe-14d", Kind: sim.AlarmProbe, Within: 14 * 24 * time.Hour},
	}
}

// BenchmarkBuildWithAlarms is BenchmarkBuild with one alarm of each kind:
// judging them reads the record once per alarm, so the time per
// operation grows with the record, as Build's does.
func BenchmarkBuildWithAlarms(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, sc *report.Scenario) {
		withAlarms := *spec
		withAlarms.Alarms = benchAlarms()
		report.Build(&withAlarms, 1, sc.Log())
	})
}
