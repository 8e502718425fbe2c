package run

import (
	"context"
	"fmt"
	"runtime"
	"testing"

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
