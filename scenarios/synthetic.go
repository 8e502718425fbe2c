package scenarios

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// SyntheticFleet writes the scenario the fleet benchmarks run: certs
// certificates, each on a resource of its own, seen at 2026-12-01 and run
// forward for two years under acm-2026. The mix follows what a large
// account holds: most certificates are DNS-validated and healthy, issued at
// spread-out times (a tenth still on 395-day lifetimes from before
// 2026-02-18); a few percent carry each trap users hit — a validation CNAME
// deleted some day, a wrong one, CAA that forbids Amazon, nothing attached,
// imported, private, e-mail validation nobody answers. The same arguments
// give the same bytes.
func SyntheticFleet(certs int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	zones := max(1, certs/200)
	var b strings.Builder
	b.Grow(certs * 400)
	fmt.Fprintf(&b, "name: synthetic-fleet-%d\n", certs)
	fmt.Fprintf(&b, "description: %d certificates on %d resources in %d zones, two years from 2026-12-01 (renewsim's benchmark fleet).\n", certs, certs, zones)
	b.WriteString("profile: acm-2026\nstart: 2026-12-01T00:00:00Z\nuntil: 2028-11-30T00:00:00Z\n")
	fmt.Fprintf(&b, "seed: %d\n", seed)
	var records, timeline strings.Builder
	for z := range zones {
		if z%5 == 0 {
			fmt.Fprintf(&records, "  - 'zone%d.example. 300 IN CAA 0 issue \"amazon.com\"'\n", z)
		}
	}
	kinds := []string{"elb", "elb", "cloudfront", "apigateway", "other"}
	b.WriteString("resources:\n")
	for i := range certs {
		fmt.Fprintf(&b, "  - {id: r%d, kind: %s}\n", i, kinds[rng.IntN(len(kinds))])
	}
	b.WriteString("certificates:\n")
	for i := range certs {
		zone := fmt.Sprintf("zone%d.example", rng.IntN(zones))
		domain := fmt.Sprintf("svc%d.%s", i, zone)
		issued := start.Add(-time.Duration(rng.IntN(190*24)) * time.Hour)
		if rng.IntN(10) == 0 {
			issued = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(70*24)) * time.Hour)
		}
		fmt.Fprintf(&b, "  - id: c%d\n    domain: %s\n", i, domain)
		if rng.IntN(3) == 0 {
			fmt.Fprintf(&b, "    sans: [\"*.%s\"]\n", domain)
		}
		fmt.Fprintf(&b, "    issued: %s\n", issued.Format(time.RFC3339))
		inUse := true
		switch p := rng.IntN(100); {
		case p < 2:
			inUse = false
		case p < 4:
			fmt.Fprintf(&timeline, "  - {at: %s, do: delete-validation-record, cert: c%d}\n",
				start.Add(time.Duration(rng.IntN(300*24))*time.Hour).Format(time.RFC3339), i)
		case p < 5:
			b.WriteString("    validation_record: wrong\n")
		case p < 6:
			b.WriteString("    type: imported\n    not_after: " + issued.AddDate(1, 0, 0).Format(time.RFC3339) + "\n")
		case p < 7:
			b.WriteString("    type: private\n")
		case p < 8:
			b.WriteString("    validation: email\n")
		case p < 9:
			fmt.Fprintf(&records, "  - '%s. 300 IN CAA 0 issue \"letsencrypt.org\"'\n", domain)
		}
		if inUse {
			fmt.Fprintf(&b, "    in_use_by: [r%d]\n", i)
		}
	}
	if records.Len() > 0 {
		b.WriteString("dns:\n  records:\n")
		b.WriteString(records.String())
	}
	if timeline.Len() > 0 {
		b.WriteString("timeline:\n")
		b.WriteString(timeline.String())
	}
	return []byte(b.String())
}
