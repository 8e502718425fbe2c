package fleet

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// BenchmarkCheck is `renewsim check` end to end, in this process, on the
// synthetic fleets of the shape matrix written as the AWS CLI exports of
// their accounts (SyntheticExports): read the exports and the zones, build
// and load the scenario, run it, judge every certificate and write the
// text. cmd/renewsim's BenchmarkCheckVsRun compares it with `renewsim run`
// on the same fleets, each in a process of its own; this one is for
// profiling (-cpuprofile, -memprofile).
//
//	go test -run '^$' -bench 'Check/shape=ordinary/certs=10000$' -benchtime 1x -cpuprofile cpu.out ./fleet/
func BenchmarkCheck(b *testing.B) {
	for _, s := range scenarios.ShapeMatrix() {
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("shape=%s/certs=%d", s.Name, n), func(b *testing.B) {
				f := scenarios.NewSynthetic(s.Of(n), 1)
				in := writeExports(b, f)
				var cpu0 syscall.Rusage
				_ = syscall.Getrusage(syscall.RUSAGE_SELF, &cpu0)
				var expires, entries int
				for b.Loop() {
					r, log := checkFleet(b, in, f)
					if err := WriteText(io.Discard, r); err != nil {
						b.Fatal(err)
					}
					expires, entries = r.Counts.Expires, len(log)
				}
				var cpu1 syscall.Rusage
				_ = syscall.Getrusage(syscall.RUSAGE_SELF, &cpu1)
				cpu := time.Duration(cpu1.Utime.Nano()+cpu1.Stime.Nano()-cpu0.Utime.Nano()-cpu0.Stime.Nano()) / time.Duration(b.N)
				b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms/op")
				b.ReportMetric(float64(expires), "expiring")
				b.ReportMetric(float64(entries), "entries/run")
			})
		}
	}
}

// The exports of a synthetic fleet read without a problem, and the check
// finds in them every trap the fleet holds: the deleted and wrong CNAMEs,
// the CAA that forbids Amazon, the certificate nothing uses. The fleet is
// large enough for every step a check does on every core (reading zones
// beside the exports, parsing records and judging certificates in parts),
// and the verdicts are the same bytes on one core and on two.
func TestSyntheticExportsCheck(t *testing.T) {
	f := scenarios.NewSynthetic(scenarios.ShapeMatrix()[len(scenarios.ShapeMatrix())-1].Of(600), 4)
	in := writeExports(t, f)
	check := func() (*Report, string) {
		r, _ := checkFleet(t, in, f)
		var out strings.Builder
		if err := WriteJSON(&out, r); err != nil {
			t.Fatal(err)
		}
		return r, out.String()
	}
	r, two := check()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if _, one := check(); one != two {
		t.Error("the verdicts on one core differ from those on every core")
	}
	why := map[string]string{}
	for _, e := range r.Certificates {
		why[e.Domains[0]] = e.Reason
	}
	want := map[scenarios.Trap]string{
		scenarios.TrapDeleted: "CNAME missing", scenarios.TrapWrong: "CNAME wrong",
		scenarios.TrapCAA: "CAA forbids Amazon", scenarios.TrapUnattached: "not in use",
	}
	seen := map[scenarios.Trap]int{}
	for _, c := range f.Certs {
		if w, ok := want[c.Trap]; ok {
			if assertContains(t, why[c.Domain], w, c.ID) {
				seen[c.Trap]++
			}
		}
	}
	for trap := range want {
		if seen[trap] == 0 {
			t.Errorf("no certificate with the trap %s was found by the check", trap)
		}
	}
}

// writeExports writes the fleet's exports as the AWS CLI would give them
// (SyntheticExports) into a temporary directory: a JSON Lines file and a
// directory of zone files.
func writeExports(tb testing.TB, f *scenarios.Synthetic) Input {
	dir := tb.TempDir()
	acm, zones := SyntheticExports(f)
	acmFile := filepath.Join(dir, "fleet.jsonl")
	if err := os.WriteFile(acmFile, acm, 0o644); err != nil {
		tb.Fatal(err)
	}
	zoneDir := filepath.Join(dir, "zones")
	if err := os.Mkdir(zoneDir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for name, z := range zones {
		if err := os.WriteFile(filepath.Join(zoneDir, name), z, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return Input{ACM: []string{acmFile}, Zones: []ZoneSource{{Path: zoneDir}}}
}

// checkFleet is what renewsim check does with in: read the exports, plan
// the fleet over f's horizon, load the scenario, run it and judge every
// certificate. It returns the verdicts and the run's record.
func checkFleet(tb testing.TB, in Input, f *scenarios.Synthetic) (*Report, []sim.Entry) {
	fl, err := Read(in)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := Build(fl, Options{Now: f.Start, Until: f.Until})
	if err != nil {
		tb.Fatal(err)
	}
	sc, err := scenarios.Parse(p.File, p.YAML)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
	if err != nil {
		tb.Fatal(err)
	}
	return Assess(p, res.Log), res.Log
}

func assertContains(t *testing.T, s, sub, what string) bool {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%s: want %q in %q", what, sub, s)
		return false
	}
	return true
}
