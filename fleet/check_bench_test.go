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
				dir := b.TempDir()
				f := scenarios.NewSynthetic(s.Of(n), 1)
				acm, zones := SyntheticExports(f)
				acmFile := filepath.Join(dir, "fleet.jsonl")
				if err := os.WriteFile(acmFile, acm, 0o644); err != nil {
					b.Fatal(err)
				}
				zoneDir := filepath.Join(dir, "zones")
				if err := os.Mkdir(zoneDir, 0o755); err != nil {
					b.Fatal(err)
				}
				for name, z := range zones {
					if err := os.WriteFile(filepath.Join(zoneDir, name), z, 0o644); err != nil {
						b.Fatal(err)
					}
				}
				var cpu0 syscall.Rusage
				_ = syscall.Getrusage(syscall.RUSAGE_SELF, &cpu0)
				var expires, entries int
				for b.Loop() {
					fl, err := Read(Input{ACM: []string{acmFile}, Zones: []ZoneSource{{Path: zoneDir}}})
					if err != nil {
						b.Fatal(err)
					}
					p, err := Build(fl, Options{Now: f.Start, Until: f.Until})
					if err != nil {
						b.Fatal(err)
					}
					sc, err := scenarios.Parse(p.File, p.YAML)
					if err != nil {
						b.Fatal(err)
					}
					res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
					if err != nil {
						b.Fatal(err)
					}
					r := Assess(p, res.Log)
					if err := WriteText(io.Discard, r); err != nil {
						b.Fatal(err)
					}
					expires, entries = r.Counts.Expires, len(res.Log)
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
	dir := t.TempDir()
	acm, zones := SyntheticExports(f)
	acmFile := filepath.Join(dir, "fleet.jsonl")
	if err := os.WriteFile(acmFile, acm, 0o644); err != nil {
		t.Fatal(err)
	}
	var zs []ZoneSource
	for name, z := range zones {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, z, 0o644); err != nil {
			t.Fatal(err)
		}
		zs = append(zs, ZoneSource{Path: path})
	}
	check := func() (*Report, string) {
		fl, err := Read(Input{ACM: []string{acmFile}, Zones: zs})
		if err != nil {
			t.Fatal(err)
		}
		p, err := Build(fl, Options{Now: f.Start, Until: f.Until})
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse(p.File, p.YAML)
		if err != nil {
			t.Fatal(err)
		}
		res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
		if err != nil {
			t.Fatal(err)
		}
		r := Assess(p, res.Log)
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

func assertContains(t *testing.T, s, sub, what string) bool {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%s: want %q in %q", what, sub, s)
		return false
	}
	return true
}
