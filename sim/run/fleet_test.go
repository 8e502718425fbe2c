package run

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
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
			b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MiB")
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

// peakRSS is the process's peak resident set size (VmHWM), in bytes, or 0
// where /proc does not tell. Run one size per process to read it for that
// size: it only grows.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
