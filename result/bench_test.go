package result_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// benchFleet runs op at every fleet size on the synthetic fleet's scenario
// and record. Besides ns/op it reports the record's size and, where the
// platform tells, the CPU time per operation (cpu-ns/op, every thread of
// the process, the garbage collector included), which a machine shared
// with other work disturbs much less than wall time.
func benchFleet(b *testing.B, op func(b *testing.B, spec *sim.Scenario, log []sim.Entry)) {
	for _, n := range fixture.FleetSizes {
		spec, log := fixture.Fleet(n)
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			cpu0, ok := fixture.CPUTime()
			for b.Loop() {
				op(b, spec, log)
			}
			// After the loop: its start deletes metrics reported before.
			b.ReportMetric(float64(len(log)), "entries")
			if cpu1, ok1 := fixture.CPUTime(); ok && ok1 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

func BenchmarkBuild(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, log []sim.Entry) {
		result.Build(spec, 1, log)
	})
}

// benchAlarms is one alarm of each kind.
func benchAlarms() []sim.Alarm {
	fifteen := 15
	return []sim.Alarm{
		{Name: "eventbridge", Kind: sim.AlarmEventBridge, DetailType: sim.EventActionRequired, DaysToExpiryAtMost: &fifteen},
		{Name: "metric", Kind: sim.AlarmMetric, Days: 30},
		{Name: "config", Kind: sim.AlarmConfig, Days: sim.ConfigDefaultDays, Every: sim.ConfigDefaultEvery},
		{Name: "securityhub", Kind: sim.AlarmSecurityHub, Days: sim.SecurityHubACM1Days, Every: sim.ConfigDefaultEvery},
		{Name: "probe", Kind: sim.AlarmProbe, Share: sim.Share{Num: 33, Den: 100}},
		{Name: "probe-14d", Kind: sim.AlarmProbe, Within: 14 * 24 * time.Hour},
	}
}

// BenchmarkBuildWithAlarms is BenchmarkBuild with one alarm of each kind:
// judging them reads the record once per alarm, so the time per
// operation grows with the record, as Build's does.
func BenchmarkBuildWithAlarms(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, log []sim.Entry) {
		withAlarms := *spec
		withAlarms.Alarms = benchAlarms()
		result.Build(&withAlarms, 1, log)
	})
}
