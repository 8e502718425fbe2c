package fleet

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// BenchmarkCheck is `renewsim check` end to end on a synthetic fleet of n
// DNS-validated certificates, each in use by a load balancer of its own,
// issued at spread-out times and run forward for two years: read the
// exports and the zone, build and load the scenario, run it, judge every
// certificate and write the text. One certificate in fifty has lost its
// validation CNAME and expires.
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			var acm, zone strings.Builder
			zone.WriteString(okZone)
			for i := 0; i < n; i++ {
				arn := fmt.Sprintf("arn:aws:acm:us-east-1:123456789012:certificate/%08d-0000-4000-8000-000000000000", i)
				domain := fmt.Sprintf("h%d.example.com", i)
				notAfter := time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC).Add(time.Duration(i%190) * 24 * time.Hour)
				doc := describeDoc(arn, domain, "")
				doc = strings.Replace(doc, `"NotAfter": "2026-09-15T00:00:00+00:00"`, `"NotAfter": "`+notAfter.Format(time.RFC3339)+`"`, 1)
				doc = strings.Replace(doc, "loadbalancer/app/web/1", fmt.Sprintf("loadbalancer/app/web%d/1", i), 1)
				acm.WriteString(oneLine(doc) + "\n")
				if i%50 != 7 {
					fmt.Fprintf(&zone, "_a1.h%d 300 IN CNAME _b2.xyz.acm-validations.aws.\n", i)
				}
				fmt.Fprintf(&zone, "h%d 300 IN A 192.0.2.1\n", i)
			}
			acmFile := filepath.Join(dir, "fleet.jsonl")
			zoneFile := filepath.Join(dir, "db.example.com")
			if err := os.WriteFile(acmFile, []byte(acm.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(zoneFile, []byte(zone.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			var cpu0 syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &cpu0)
			var expires int
			for b.Loop() {
				f, err := Read(Input{ACM: []string{acmFile}, Zones: []ZoneSource{{Path: zoneFile}}})
				if err != nil {
					b.Fatal(err)
				}
				p, err := Build(f, Options{Now: now})
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
				expires = r.Counts.Expires
			}
			var cpu1 syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &cpu1)
			cpu := time.Duration(cpu1.Utime.Nano()+cpu1.Stime.Nano()-cpu0.Utime.Nano()-cpu0.Stime.Nano()) / time.Duration(b.N)
			b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms/op")
			b.ReportMetric(float64(expires), "expiring")
		})
	}
}
