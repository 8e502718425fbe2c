package run

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
)

// BenchmarkFleetTypedKeys is BenchmarkFleet with every certificate issued
// as a live run issues it (RSA 2048 keys from the simulated Amazon
// hierarchy) instead of from the Ed25519 simulator CA: what runs nobody
// watches would pay for handshakes whose answers the key type does not
// change.
func BenchmarkFleetTypedKeys(b *testing.B) {
	typedEverywhere = true
	defer func() { typedEverywhere = false }()
	BenchmarkFleet(b)
}

// BenchmarkFleet is `renewsim run` on the synthetic benchmark fleet
// (scenarios.SyntheticFleet) of 1,000 and 10,000 certificates, each on a
// resource of its own, over two years in the default mode: load the file,
// run it, build the results and write the summary. peak-rss-MiB is the
// process's high-water mark, so run one size per process to read it:
//
//	go test -run '^$' -bench 'Fleet/certs=10000$' -benchtime 1x ./sim/run/
func BenchmarkFleet(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			file := fmt.Sprintf("synthetic-%d.yaml", n)
			data := scenarios.SyntheticFleet(n, 1)
			var entries int
			cpu0 := cpuTime()
			for b.Loop() {
				sc, err := scenarios.Parse(file, data)
				if err != nil {
					b.Fatal(err)
				}
				res, err := Run(context.Background(), sc, Options{CacheDNS: true, CacheProbes: true})
				if err != nil {
					b.Fatal(err)
				}
				sum := &result.Summary{Scenarios: []result.Scenario{result.Build(sc, res.Seed, res.Log)}}
				if err := report.WriteText(io.Discard, sum); err != nil {
					b.Fatal(err)
				}
				entries = len(res.Log)
			}
			// CPU time tells more than wall time on a busy 2-core machine.
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(entries), "entries/run")
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

// Issuing every certificate with its own key and issuer, as a live run
// does, changes nothing in the record of a run: the probes read serials,
// validity and verification, not keys. (It is why runs nobody watches may
// keep the cheaper Ed25519 simulator CA.)
func TestTypedKeysGiveTheSameRecord(t *testing.T) {
	sc, err := scenarios.Parse("synthetic-150.yaml", scenarios.SyntheticFleet(150, 4))
	require.NoError(t, err)
	ed, err := Run(context.Background(), sc, Options{})
	require.NoError(t, err)
	typedEverywhere = true
	defer func() { typedEverywhere = false }()
	typed, err := Run(context.Background(), sc, Options{})
	require.NoError(t, err)
	assert.Equal(t, eventsOf(t, sc, ed), eventsOf(t, sc, typed))
}
