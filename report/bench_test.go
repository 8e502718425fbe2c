package report_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// benchFleet runs op at every fleet size, given the built scenario and its
// record. Besides ns/op it reports the record's size and, where the
// platform tells, the CPU time per operation (cpu-ns/op, every thread of
// the process, the garbage collector included), which a machine shared
// with other work disturbs much less than wall time.
func benchFleet(b *testing.B, op func(b *testing.B, spec *sim.Scenario, sc *result.Scenario)) {
	for _, n := range fixture.FleetSizes {
		spec, log := fixture.Fleet(n)
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			sc := result.Build(spec, 1, log)
			b.ReportAllocs()
			cpu0, ok := fixture.CPUTime()
			for b.Loop() {
				op(b, spec, &sc)
			}
			// After the loop: its start deletes metrics reported before.
			b.ReportMetric(float64(len(log)), "entries")
			if cpu1, ok1 := fixture.CPUTime(); ok && ok1 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

func BenchmarkWriteText(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, sc *result.Scenario) {
		if err := report.WriteText(io.Discard, &result.Summary{Scenarios: []result.Scenario{*sc}}); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkWriteJSON(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, sc *result.Scenario) {
		if err := report.WriteJSON(io.Discard, &result.Summary{Scenarios: []result.Scenario{*sc}}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkTimeline reads the lanes and markers of the timeline, without
// drawing them.
func BenchmarkTimeline(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, sc *result.Scenario) {
		report.TimelineOf(sc)
	})
}

// BenchmarkNewTimeline reads the timeline from the record alone, as
// `renewsim plot` does with an event log.
func BenchmarkNewTimeline(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, sc *result.Scenario) {
		report.NewTimeline(sc.Name, sc.Log())
	})
}

// BenchmarkWriteEvents writes the event log, as JSON Lines.
func BenchmarkWriteEvents(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, sc *result.Scenario) {
		if err := report.WriteEvents(io.Discard, &result.Summary{Scenarios: []result.Scenario{*sc}}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkWriteHTML writes the page of one scenario at fleet size: its
// timeline, its 50 most urgent drill-downs and a row per certificate.
func BenchmarkWriteHTML(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, sc *result.Scenario) {
		if err := report.WriteHTML(io.Discard, &result.Summary{Scenarios: []result.Scenario{*sc}}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkWriteEventsGzip writes the event log gzip-compressed, as a
// report directory at fleet size does.
func BenchmarkWriteEventsGzip(b *testing.B) {
	benchFleet(b, func(b *testing.B, spec *sim.Scenario, sc *result.Scenario) {
		if err := report.WriteEventsGzip(io.Discard, &result.Summary{Scenarios: []result.Scenario{*sc}}); err != nil {
			b.Fatal(err)
		}
	})
}
