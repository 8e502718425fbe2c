package sweep_test

import (
	"fmt"
	"testing"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/sweep"
)

// BenchmarkBuild reads one variant of a sweep: result.Build without
// expectations, and when each renewal was served. Besides ns/op it
// reports the record's size and, where the platform tells, the CPU time
// per operation (cpu-ns/op), which a shared machine disturbs much less
// than wall time.
func BenchmarkBuild(b *testing.B) {
	for _, n := range fixture.FleetSizes {
		spec, log := fixture.Fleet(n)
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			cpu0, ok := fixture.CPUTime()
			for b.Loop() {
				sweep.Build(sweep.Info{Run: -1}, spec, 1, log)
			}
			b.ReportMetric(float64(len(log)), "entries")
			if cpu1, ok1 := fixture.CPUTime(); ok && ok1 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
