package fleet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkReadBuild reads and builds a synthetic fleet of n DNS-validated
// certificates in one zone (no run): the cost per certificate should stay
// flat as n grows.
func BenchmarkReadBuild(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			var acm, zone strings.Builder
			zone.WriteString(okZone)
			for i := 0; i < n; i++ {
				arn := fmt.Sprintf("arn:aws:acm:us-east-1:123456789012:certificate/%08d-0000-4000-8000-000000000000", i)
				acm.WriteString(oneLine(describeDoc(arn, fmt.Sprintf("h%d.example.com", i), "")) + "\n")
				fmt.Fprintf(&zone, "_a1.h%d 300 IN CNAME _b2.xyz.acm-validations.aws.\nh%d 300 IN A 192.0.2.1\n", i, i)
			}
			acmFile := filepath.Join(dir, "fleet.jsonl")
			zoneFile := filepath.Join(dir, "db.example.com")
			if err := os.WriteFile(acmFile, []byte(acm.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(zoneFile, []byte(zone.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				f, err := Read(Input{ACM: []string{acmFile}, Zones: []ZoneSource{{Path: zoneFile}}})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Build(f, Options{Now: now}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/cert")
		})
	}
}
