package run

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/scenarios"
)

// BenchmarkFleet runs the synthetic benchmark fleet (scenarios.SyntheticFleet)
// of 1,000 and 10,000 certificates, each on a resource of its own, over two
// years in the default mode: the scale users bring with `renewsim check`.
func BenchmarkFleet(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			sc, err := scenarios.Parse(fmt.Sprintf("synthetic-%d.yaml", n), scenarios.SyntheticFleet(n, 1))
			require.NoError(b, err)
			var entries int
			var peak uint64
			cpu0 := cpuTime()
			for b.Loop() {
				res, err := Run(context.Background(), sc, Options{CacheDNS: true, CacheProbes: true})
				if err != nil {
					b.Fatal(err)
				}
				entries = len(res.Log)
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			// CPU time tells more than wall time on a busy 2-core machine.
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(entries), "entries/run")
			b.ReportMetric(float64(peak)/(1<<20), "heap-MiB")
		})
	}
}

// The change-driven mode gives the same record as the every-attempt mode
// on a fleet with every trap of the benchmark mix (seed 4 draws each of them).
func TestChangeDrivenFleetGivesTheSameRecord(t *testing.T) {
	sc, err := scenarios.Parse("synthetic-150.yaml", scenarios.SyntheticFleet(150, 4))
	require.NoError(t, err)
	every, err := Run(context.Background(), sc, Options{})
	require.NoError(t, err)
	changed, err := Run(context.Background(), sc, Options{CacheDNS: true, CacheProbes: true})
	require.NoError(t, err)
	assert.Equal(t, eventsOf(t, sc, every), eventsOf(t, sc, changed))
	assert.Less(t, changed.Queries, every.Queries/10, "DNS is asked again only when the zone changed")
}
