package report_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/renewsim/renewsim/report"
)

// fleetSizes are the certificate counts the report benchmarks run at: the
// time per operation should grow about tenfold from one to the next.
var fleetSizes = []int{1000, 10000}

// benchFleet runs fn at every fleet size, reporting the record's size.
func benchFleet(b *testing.B, fn func(b *testing.B, sc *report.Scenario)) {
	for _, n := range fleetSizes {
		spec, log := fleetRecord(n)
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			sc := report.Build(spec, 1, log)
			b.ReportAllocs()
			b.ReportMetric(float64(len(log)), "entries")
			b.ResetTimer()
			fn(b, &sc)
		})
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range fleetSizes {
		spec, log := fleetRecord(n)
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(float64(len(log)), "entries")
			for b.Loop() {
				report.Build(spec, 1, log)
			}
		})
	}
}

func BenchmarkWriteText(b *testing.B) {
	benchFleet(b, func(b *testing.B, sc *report.Scenario) {
		sum := &report.Summary{Scenarios: []report.Scenario{*sc}}
		for b.Loop() {
			if err := report.WriteText(io.Discard, sum); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkWriteJSON(b *testing.B) {
	benchFleet(b, func(b *testing.B, sc *report.Scenario) {
		sum := &report.Summary{Scenarios: []report.Scenario{*sc}}
		for b.Loop() {
			if err := report.WriteJSON(io.Discard, sum); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTimeline reads the lanes and markers of the timeline, without
// drawing them.
func BenchmarkTimeline(b *testing.B) {
	benchFleet(b, func(b *testing.B, sc *report.Scenario) {
		for b.Loop() {
			sc.Timeline()
		}
	})
}

// BenchmarkNewTimeline reads the timeline from the record alone, as
// `renewsim plot` does with an event log.
func BenchmarkNewTimeline(b *testing.B) {
	benchFleet(b, func(b *testing.B, sc *report.Scenario) {
		for b.Loop() {
			report.NewTimeline(sc.Name, sc.Log())
		}
	})
}

// BenchmarkBuildVariant reads one variant of a sweep: Build without
// expectations, and when each renewal was served.
func BenchmarkBuildVariant(b *testing.B) {
	for _, n := range fleetSizes {
		spec, log := fleetRecord(n)
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(float64(len(log)), "entries")
			for b.Loop() {
				report.BuildVariant(report.VariantInfo{Run: -1}, spec, 1, log)
			}
		})
	}
}
