package run

import (
	"bytes"
	"context"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

func runLibrary(t testing.TB, name string, mut func(*sim.Scenario)) (*Result, result.Scenario) {
	t.Helper()
	sc, err := scenarios.LoadLibrary(name)
	require.NoError(t, err)
	if mut != nil {
		mut(sc)
	}
	res, err := Run(context.Background(), sc, Options{})
	require.NoError(t, err)
	return res, result.Build(sc, res.Seed, res.Log)
}

// Every library scenario runs against the real fake DNS server and its
// expectations hold.
func TestLibraryScenariosPass(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, name := range scenarios.LibraryNames() {
		t.Run(name, func(t *testing.T) {
			res, rs := runLibrary(t, name, nil)
			for _, e := range rs.Expectations {
				assert.True(t, e.Passed, "%s: %s", e.Text, e.Detail)
			}
			assert.NotEmpty(t, rs.Expectations, "a library scenario must say what it expects")
			// A renewal keeps the ARN and changes the serial.
			arn, serial := map[string]string{}, map[string]string{}
			for _, e := range res.Log {
				switch e.Kind {
				case sim.KindCert:
					arn[e.Cert], serial[e.Cert] = e.Detail.ARN, e.Detail.Serial
				case sim.KindIssued:
					assert.Equal(t, arn[e.Cert], e.Detail.ARN, "same ARN after renewal")
					assert.NotEqual(t, serial[e.Cert], e.Detail.Serial, "new serial after renewal")
					serial[e.Cert] = e.Detail.Serial
				}
			}
		})
	}
}

// The missing CNAME is found by real queries: one per hourly attempt for the
// whole 45-day window, each answered NXDOMAIN by the server.
func TestMissingCNAMEQueriesEveryAttempt(t *testing.T) {
	res, rs := runLibrary(t, "dns-missing-cname", nil)
	assert.Equal(t, 45*24, rs.Certificates[0].Attempts)
	assert.Equal(t, 45*24, res.Queries, "example.com and *.example.com share one record: one query per attempt")
	var last sim.Entry
	for _, e := range res.Log {
		if e.Kind == sim.KindAttempt {
			last = e
		}
	}
	require.NotEmpty(t, last.Detail.Checks)
	assert.Equal(t, "NXDOMAIN", last.Detail.Checks[0].Rcode)
	assert.Equal(t, sim.ValidationPending, last.Detail.Checks[0].Status)
}

// Renewal continues cycle after cycle: every new certificate renews at the
// start of its own window, and the one issued after 2026-02-18 lives 198 days.
func TestRenewsCycleAfterCycle(t *testing.T) {
	res, rs := runLibrary(t, "dns-happy", func(sc *sim.Scenario) {
		sc.Until = sc.Start.Add(3 * 365 * sim.Day)
		sc.Expect = nil
	})
	var issued []sim.Entry
	for _, e := range res.Log {
		if e.Kind == sim.KindIssued {
			issued = append(issued, e)
		}
	}
	require.GreaterOrEqual(t, len(issued), 5)
	prevNotAfter := rs.Certificates[0].NotAfter
	for i, e := range issued {
		assert.Equal(t, i+1, e.Detail.Cycle)
		want := prevNotAfter.Add(-45 * sim.Day).Add(10 * time.Minute)
		assert.Equal(t, want, e.Time, "cycle %d renews at T-45d plus the issue delay", i+1)
		assert.Equal(t, 198*sim.Day, e.Detail.NotAfter.Sub(*e.Detail.NotBefore))
		prevNotAfter = *e.Detail.NotAfter
	}
	assert.Equal(t, len(issued), rs.Certificates[0].Renewals)
	assert.Equal(t, "0s", rs.Resources[0].Outage)
}

// The same scenario and seed give byte-identical results and event logs,
// whatever GOMAXPROCS is; another seed gives other identifiers.
func TestDeterministic(t *testing.T) {
	render := func(procs int, seed *uint64) (string, string) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		sum := &result.Summary{}
		for _, name := range scenarios.LibraryNames() {
			sc, err := scenarios.LoadLibrary(name)
			require.NoError(t, err)
			// The default mode; the every-attempt mode gives the same
			// record (TestCacheDNSModeGivesTheSameRecord).
			res, err := Run(context.Background(), sc, Options{Seed: seed, CacheDNS: true, CacheProbes: true})
			require.NoError(t, err)
			sum.Scenarios = append(sum.Scenarios, result.Build(sc, res.Seed, res.Log))
		}
		var js, ev bytes.Buffer
		require.NoError(t, report.WriteJSON(&js, sum))
		require.NoError(t, report.WriteEvents(&ev, sum))
		return js.String(), ev.String()
	}
	j1, e1 := render(1, nil)
	j2, e2 := render(2, nil)
	assert.Equal(t, j1, j2)
	assert.Equal(t, e1, e2)
	seven := uint64(7)
	j3, e3 := render(2, &seven)
	assert.NotEqual(t, j1, j3)
	assert.NotEqual(t, e1, e3)
}

func TestCheckRejectsBadRecords(t *testing.T) {
	sc, err := scenarios.LoadLibrary("dns-happy")
	require.NoError(t, err)
	sc.DNSRecords = []string{"example.com. 300 IN CAA 0 issue \"amazon.com\"", "example.com 300 IN A 1.2.3.4", "bad. IN AAAA nope", "bad. IN AAAA nope"}
	sc.DNSLines = []int{10, 11, 12, 13}
	sc.Timeline = append(sc.Timeline, sim.Change{At: sc.Start, Do: sim.DoDNSDelete, Name: "x.", Type: "NOPE", Line: 20})
	err = Check(sc)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "library/dns-happy.yaml:11:1: bad DNS record \"example.com 300 IN A 1.2.3.4\": relative name")
	assert.Contains(t, msg, "library/dns-happy.yaml:12:1: bad DNS record \"bad. IN AAAA nope\"")
	assert.Contains(t, msg, "library/dns-happy.yaml:13:1: bad DNS record \"bad. IN AAAA nope\"", "each line is reported, the same text too")
	assert.Contains(t, msg, "library/dns-happy.yaml:20:1: unknown DNS record type \"NOPE\"")
	assert.NotContains(t, msg, ":10:1")
	_, runErr := Run(context.Background(), sc, Options{})
	require.Error(t, runErr, "Run refuses what Check refuses, before starting anything")
	assert.Equal(t, msg, runErr.Error())
	var rejected *Error
	assert.ErrorAs(t, runErr, &rejected, "a caller tells a refusal from a failed run by its type")
}

func BenchmarkRunMissingCNAME(b *testing.B) {
	sc, err := scenarios.LoadLibrary("dns-missing-cname")
	require.NoError(b, err)
	var queries int
	for b.Loop() {
		res, err := Run(context.Background(), sc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		queries = res.Queries
	}
	b.ReportMetric(float64(queries), "queries/run")
}

func BenchmarkRunLibrary(b *testing.B) {
	var scs []*sim.Scenario
	for _, n := range scenarios.LibraryNames() {
		sc, err := scenarios.LoadLibrary(n)
		require.NoError(b, err)
		scs = append(scs, sc)
	}
	for b.Loop() {
		for _, sc := range scs {
			if _, err := Run(context.Background(), sc, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(scs)), "scenarios/op")
}

// The cached mode gives the same record as the every-attempt mode for the
// whole library, with far fewer queries.
func TestCacheDNSModeGivesTheSameRecord(t *testing.T) {
	for _, name := range scenarios.LibraryNames() {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.LoadLibrary(name)
			require.NoError(t, err)
			every, err := Run(context.Background(), sc, Options{})
			require.NoError(t, err)
			cached, err := Run(context.Background(), sc, Options{CacheDNS: true, CacheProbes: true})
			require.NoError(t, err)
			var a, b bytes.Buffer
			require.NoError(t, report.WriteEvents(&a, &result.Summary{Scenarios: []result.Scenario{result.Build(sc, every.Seed, every.Log)}}))
			require.NoError(t, report.WriteEvents(&b, &result.Summary{Scenarios: []result.Scenario{result.Build(sc, cached.Seed, cached.Log)}}))
			assert.Equal(t, a.String(), b.String(), "same outcomes, times and events")
			assert.LessOrEqual(t, cached.Queries, every.Queries)
		})
	}
	sc, err := scenarios.LoadLibrary("dns-missing-cname")
	require.NoError(t, err)
	cached, err := Run(context.Background(), sc, Options{CacheDNS: true})
	require.NoError(t, err)
	assert.Less(t, cached.Queries, 10, "one query per zone change, not one per attempt")
}

func BenchmarkRunMissingCNAMECached(b *testing.B) {
	sc, err := scenarios.LoadLibrary("dns-missing-cname")
	require.NoError(b, err)
	for b.Loop() {
		if _, err := Run(context.Background(), sc, Options{CacheDNS: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunManyMissingCNAME is the sweep workload: many variants of
// dns-missing-cname on GOMAXPROCS workers, in the cached mode.
func BenchmarkRunManyMissingCNAME(b *testing.B) {
	sc, err := scenarios.LoadLibrary("dns-missing-cname")
	require.NoError(b, err)
	const variants = 200
	scs := make([]*sim.Scenario, variants)
	for i := range scs {
		scs[i] = sc
	}
	cpu0 := cpuTime()
	for b.Loop() {
		err := RunMany(context.Background(), scs, ManyOptions{Options: Options{CacheDNS: true, CacheProbes: true}, RecycleLogs: true}, func(int, *Result) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*variants)/1e6, "ms/variant")
	// CPU time tells more than wall time on a busy 2-core machine.
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N*variants)/1e6, "cpu-ms/variant")
}

// A worker reuses its fakes from one scenario to the next: the records are
// the same as with fresh fakes, whatever ran before.
func TestReusedWorldGivesTheSameRecords(t *testing.T) {
	defer goleak.VerifyNone(t)
	var scs []*sim.Scenario
	for _, name := range scenarios.LibraryNames() {
		sc, err := scenarios.LoadLibrary(name)
		require.NoError(t, err)
		scs = append(scs, sc)
	}
	// Run the library backwards on one worker, then compare each record
	// with a run on fresh fakes.
	// Twice over, with the caches on: the second pass answers from what
	// the first one cached.
	rev := slices.Clone(scs)
	slices.Reverse(rev)
	rev = append(rev, rev...)
	got := map[string][]string{}
	opt := ManyOptions{Workers: 1, Options: Options{CacheDNS: true, CacheProbes: true}, RecycleLogs: true}
	err := RunMany(context.Background(), rev, opt, func(i int, res *Result) error {
		got[rev[i].Name] = append(got[rev[i].Name], eventsOf(t, rev[i], res))
		return nil
	})
	require.NoError(t, err)
	for _, sc := range scs {
		res, err := Run(context.Background(), sc, Options{CacheDNS: true, CacheProbes: true})
		require.NoError(t, err)
		want := eventsOf(t, sc, res)
		assert.Equal(t, []string{want, want}, got[sc.Name], sc.Name)
	}
}

func eventsOf(t *testing.T, sc *sim.Scenario, res *Result) string {
	var b bytes.Buffer
	require.NoError(t, report.WriteEvents(&b, &result.Summary{Scenarios: []result.Scenario{result.Build(sc, res.Seed, res.Log)}}))
	return b.String()
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
