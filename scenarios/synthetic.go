package scenarios

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// FleetShape is what a synthetic fleet looks like: how many certificates,
// how they share load balancers and zones, how many still have 395-day
// lifetimes, and what share of them carries each trap. Shares are fractions
// (0.03 = 3%), rounded to whole certificates; the traps exclude each
// other and together must not exceed 1.
type FleetShape struct {
	Certs int
	// PerResource is how many certificates each resource serves: 1 puts
	// every certificate on a resource of its own (of a random kind), more
	// puts that many on one load balancer, told apart by SNI.
	PerResource int
	// PerZone is how many certificates share one DNS zone.
	PerZone int
	// Old is the share issued before 2026-02-18, on 395-day lifetimes.
	Old float64
	// The traps, each a share of the certificates.
	Deleted    float64 // the validation CNAME is deleted some day in the run's first 300 days
	Wrong      float64 // the validation CNAME points elsewhere
	CAA        float64 // a CAA record at the name forbids Amazon
	Unattached float64 // in use by nothing
	Email      float64 // e-mail validation nobody answers
	Imported   float64 // imported: ACM does not renew it
	Private    float64 // from a private CA
}

// BenchShape is the shape of the fleet renewsim's benchmarks always ran:
// every certificate on a resource of its own, 200 to a zone, a tenth on
// 395-day lifetimes, and a few percent with each trap.
func BenchShape(certs int) FleetShape {
	return FleetShape{Certs: certs, PerResource: 1, PerZone: 200, Old: 0.10,
		Deleted: 0.02, Wrong: 0.01, CAA: 0.01, Unattached: 0.02, Email: 0.01, Imported: 0.01, Private: 0.01}
}

// OrdinaryShape is a large account as users describe theirs: three
// certificates on each load balancer by SNI, 50 to a zone, a quarter still
// on 395-day lifetimes, 3% with the validation CNAME deleted during the
// run, 1% with it wrong, 1% forbidden by CAA, 1% attached to nothing.
func OrdinaryShape(certs int) FleetShape {
	return FleetShape{Certs: certs, PerResource: 3, PerZone: 50, Old: 0.25,
		Deleted: 0.03, Wrong: 0.01, CAA: 0.01, Unattached: 0.01}
}

// NamedShape is a fleet shape of the benchmarks' matrix, by name, for any
// number of certificates.
type NamedShape struct {
	Name string
	Of   func(certs int) FleetShape
}

// ShapeMatrix is the fleet shapes renewsim's benchmarks run (run and check
// alike): the benchmark's old fleet, the ordinary account, the corners of
// certificates per resource (1, 3, 10) and per zone (1, 50, 200), and a
// trap-heavy account.
func ShapeMatrix() []NamedShape {
	with := func(perResource, perZone int) func(int) FleetShape {
		return func(n int) FleetShape {
			s := OrdinaryShape(n)
			s.PerResource, s.PerZone = perResource, perZone
			return s
		}
	}
	return []NamedShape{
		{"bench", BenchShape},
		{"ordinary", OrdinaryShape},
		{"sni10-zone200", with(10, 200)},
		{"sni10-zone1", with(10, 1)},
		{"own-zone1", with(1, 1)},
		// Half on 395-day lifetimes, a tenth losing its validation CNAME
		// and a few percent of every other trap: a fifth of the fleet
		// failing, the most hourly attempts.
		{"traps", func(n int) FleetShape {
			return FleetShape{Certs: n, PerResource: 3, PerZone: 50, Old: 0.5,
				Deleted: 0.10, Wrong: 0.03, CAA: 0.03, Unattached: 0.03, Email: 0.02, Imported: 0.01, Private: 0.01}
		}},
	}
}

// Check tells what makes a shape unusable.
func (s FleetShape) Check() error {
	switch {
	case s.Certs < 1:
		return fmt.Errorf("fleet shape: %d certificates: want at least 1", s.Certs)
	case s.PerResource < 1 || s.PerZone < 1:
		return fmt.Errorf("fleet shape: %d per resource, %d per zone: want at least 1 of each", s.PerResource, s.PerZone)
	case s.Old < 0 || s.Old > 1:
		return fmt.Errorf("fleet shape: old share %g: want 0 to 1", s.Old)
	}
	sum := 0.0
	for _, v := range s.traps() {
		if v < 0 {
			return fmt.Errorf("fleet shape: a trap share of %g: want 0 or more", v)
		}
		sum += v
	}
	if sum > 1+1e-9 {
		return fmt.Errorf("fleet shape: the traps add up to %g: want at most 1", sum)
	}
	return nil
}

// Trap names a synthetic certificate's trap ("" = none).
type Trap string

// The traps a synthetic certificate can carry.
const (
	TrapDeleted    Trap = "deleted"
	TrapWrong      Trap = "wrong"
	TrapCAA        Trap = "caa"
	TrapUnattached Trap = "unattached"
	TrapEmail      Trap = "email"
	TrapImported   Trap = "imported"
	TrapPrivate    Trap = "private"
)

// Traps is the share of each trap.
func (s FleetShape) Traps() map[Trap]float64 {
	m := map[Trap]float64{}
	for i, v := range s.traps() {
		m[trapOrder[i]] = v
	}
	return m
}

// traps lists the shape's trap shares in the order they are drawn.
func (s FleetShape) traps() []float64 {
	return []float64{s.Deleted, s.Wrong, s.CAA, s.Unattached, s.Email, s.Imported, s.Private}
}

var trapOrder = []Trap{TrapDeleted, TrapWrong, TrapCAA, TrapUnattached, TrapEmail, TrapImported, TrapPrivate}

// SyntheticCert is one certificate of a synthetic fleet.
type SyntheticCert struct {
	ID       string
	Domain   string // svcN.zoneZ.example
	Zone     string // zoneZ.example
	Wildcard bool   // *.Domain is a second name
	Issued   time.Time
	Resource int // index into Synthetic.Resources; -1: in use by nothing
	Trap     Trap
	DeleteAt time.Time // TrapDeleted: when the validation CNAME goes
}

// SyntheticResource is one resource of a synthetic fleet.
type SyntheticResource struct{ ID, Kind string }

// Synthetic is a synthetic fleet, before it is written as a scenario (YAML)
// or, by package fleet, as the AWS CLI exports of an account.
type Synthetic struct {
	Shape        FleetShape
	Seed         uint64
	Start, Until time.Time
	Zones        []string // zoneZ.example, in order
	AmazonCAA    []string // zones whose apex has CAA issue "amazon.com"
	Resources    []SyntheticResource
	Certs        []SyntheticCert
}

// NewSynthetic draws the fleet of shape s from seed: the same arguments
// give the same fleet. It panics on a shape Check rejects (a programming
// error of the benchmark or test that chose it).
func NewSynthetic(s FleetShape, seed uint64) *Synthetic {
	if err := s.Check(); err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	f := &Synthetic{Shape: s, Seed: seed,
		Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2028, 11, 30, 0, 0, 0, 0, time.UTC)}
	zones := (s.Certs + s.PerZone - 1) / s.PerZone
	for z := range zones {
		f.Zones = append(f.Zones, fmt.Sprintf("zone%d.example", z))
		if z%5 == 0 {
			f.AmazonCAA = append(f.AmazonCAA, f.Zones[z])
		}
	}
	kinds := []string{"elb", "elb", "cloudfront", "apigateway", "other"}
	for r := range (s.Certs + s.PerResource - 1) / s.PerResource {
		kind := "elb" // SNI: several certificates on one listener
		if s.PerResource == 1 {
			kind = kinds[rng.IntN(len(kinds))]
		}
		f.Resources = append(f.Resources, SyntheticResource{ID: fmt.Sprintf("r%d", r), Kind: kind})
	}
	// Each trap goes to its share of the certificates, rounded but at
	// least one, chosen at random: a small fleet still has every trap.
	traps := make([]Trap, s.Certs)
	perm := rng.Perm(s.Certs)
	for k, share := range s.traps() {
		n := 0
		if share > 0 {
			n = max(1, int(share*float64(s.Certs)+0.5))
		}
		for ; n > 0 && len(perm) > 0; n-- {
			traps[perm[0]] = trapOrder[k]
			perm = perm[1:]
		}
	}
	for i := range s.Certs {
		c := SyntheticCert{ID: fmt.Sprintf("c%d", i), Zone: f.Zones[i/s.PerZone], Resource: i / s.PerResource, Trap: traps[i]}
		c.Domain = fmt.Sprintf("svc%d.%s", i, c.Zone)
		c.Wildcard = rng.IntN(3) == 0
		c.Issued = f.Start.Add(-time.Duration(rng.IntN(190*24)) * time.Hour)
		if rng.Float64() < s.Old {
			c.Issued = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(70*24)) * time.Hour)
		}
		switch c.Trap {
		case TrapDeleted:
			c.DeleteAt = f.Start.Add(time.Duration(rng.IntN(300*24)) * time.Hour)
		case TrapUnattached:
			c.Resource = -1
		}
		f.Certs = append(f.Certs, c)
	}
	return f
}

// Name is the fleet's scenario name.
func (f *Synthetic) Name() string {
	s := f.Shape
	return fmt.Sprintf("synthetic-fleet-%d-%dpr-%dpz", s.Certs, s.PerResource, s.PerZone)
}

// YAML writes the fleet as a scenario seen at 2026-12-01 and run forward
// for two years under acm-2026.
func (f *Synthetic) YAML() []byte {
	s := f.Shape
	var b strings.Builder
	b.Grow(s.Certs * 160)
	fmt.Fprintf(&b, "name: %s\n", f.Name())
	fmt.Fprintf(&b, "description: %d certificates on %d resources in %d zones, two years from 2026-12-01 (renewsim's benchmark fleet).\n", s.Certs, len(f.Resources), len(f.Zones))
	fmt.Fprintf(&b, "profile: acm-2026\nstart: %s\nuntil: %s\n", f.Start.Format(time.RFC3339), f.Until.Format(time.RFC3339))
	fmt.Fprintf(&b, "seed: %d\n", f.Seed)
	var records, timeline strings.Builder
	for _, z := range f.AmazonCAA {
		fmt.Fprintf(&records, "  - '%s. 300 IN CAA 0 issue \"amazon.com\"'\n", z)
	}
	b.WriteString("resources:\n")
	for _, r := range f.Resources {
		fmt.Fprintf(&b, "  - {id: %s, kind: %s}\n", r.ID, r.Kind)
	}
	b.WriteString("certificates:\n")
	for _, c := range f.Certs {
		fmt.Fprintf(&b, "  - id: %s\n    domain: %s\n", c.ID, c.Domain)
		if c.Wildcard {
			fmt.Fprintf(&b, "    sans: [\"*.%s\"]\n", c.Domain)
		}
		fmt.Fprintf(&b, "    issued: %s\n", c.Issued.Format(time.RFC3339))
		switch c.Trap {
		case TrapDeleted:
			fmt.Fprintf(&timeline, "  - {at: %s, do: delete-validation-record, cert: %s}\n", c.DeleteAt.Format(time.RFC3339), c.ID)
		case TrapWrong:
			b.WriteString("    validation_record: wrong\n")
		case TrapImported:
			b.WriteString("    type: imported\n    not_after: " + c.Issued.AddDate(1, 0, 0).Format(time.RFC3339) + "\n")
		case TrapPrivate:
			b.WriteString("    type: private\n")
		case TrapEmail:
			b.WriteString("    validation: email\n")
		case TrapCAA:
			fmt.Fprintf(&records, "  - '%s. 300 IN CAA 0 issue \"letsencrypt.org\"'\n", c.Domain)
		}
		if c.Resource >= 0 {
			fmt.Fprintf(&b, "    in_use_by: [%s]\n", f.Resources[c.Resource].ID)
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

// SyntheticFleet writes the scenario of BenchShape(certs): certs
// certificates, each on a resource of its own, seen at 2026-12-01 and run
// forward for two years under acm-2026. The mix follows what a large
// account holds: most certificates are DNS-validated and healthy, issued at
// spread-out times (a tenth still on 395-day lifetimes from before
// 2026-02-18); a few percent carry each trap users hit — a validation CNAME
// deleted some day, a wrong one, CAA that forbids Amazon, nothing attached,
// imported, private, e-mail validation nobody answers. The same arguments
// give the same bytes.
func SyntheticFleet(certs int, seed uint64) []byte {
	return NewSynthetic(BenchShape(certs), seed).YAML()
}
