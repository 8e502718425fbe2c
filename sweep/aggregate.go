package sweep

import (
	"math"
	"slices"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// Columns are the parameter, certificate and resource names of a set of
// variants, in first-seen order, and whether they are Monte Carlo runs:
// the columns of their tables and the axes of their charts.
type Columns struct {
	Params, Sampled, Certs, Resources []string
	Runs                              bool
}

// ColumnsOf reads the columns of vs.
func ColumnsOf(vs []Variant) Columns {
	var c Columns
	var params, sampled, certs, resources order
	for _, v := range vs {
		if v.Run != nil {
			c.Runs = true
		}
		for _, p := range v.Params {
			params.add(p.Path)
		}
		for _, p := range v.Sampled {
			sampled.add(p.Path)
		}
		for _, x := range v.Certificates {
			certs.add(x.ID)
		}
		for _, x := range v.Resources {
			resources.add(x.ID)
		}
	}
	c.Params, c.Sampled, c.Certs, c.Resources = params.ids, sampled.ids, certs.ids, resources.ids
	return c
}

// Aggregate is what a sweep says overall.
type Aggregate struct {
	Scenario string
	Variants int
	// Runs is the number of Monte Carlo runs per grid point (0: none);
	// GridPoints the number of grid points.
	Runs, GridPoints int
	Certificates     []CertAggregate
	Resources        []ResourceAggregate
	// AnyExpired counts the variants in which some certificate expired,
	// AnyOutage those in which some resource had an outage.
	AnyExpired, AnyOutage int
	// Alarms sums up the scenario's alarms (none when it has none).
	Alarms []AlarmAggregate
}

// CertAggregate is one certificate over every variant. The margin
// percentiles use the nearest-rank method over all variants, a variant
// without a margin (not renewed, or not served before the end) counting as
// the smallest: a percentile that falls on one is nil.
type CertAggregate struct {
	ID                        string
	Renewed, Expired, Pending int
	// WithMargin counts the variants with a margin; Negative those whose
	// margin is below zero (served after expiry).
	WithMargin, Negative int
	MarginP5, MarginP50  *time.Duration
	MarginP95            *time.Duration
	MarginMin, MarginMax *time.Duration
}

// PExpired is the share of variants in which the certificate expired.
func (c *CertAggregate) PExpired(n int) float64 { return share(c.Expired, n) }

// ResourceAggregate is one resource over every variant; outage percentiles
// use the nearest-rank method.
type ResourceAggregate struct {
	ID                   string
	WithOutage           int
	OutageP50, OutageP95 time.Duration
	OutageMax            time.Duration
}

func share(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// Percentile is the nearest-rank percentile p (0 < p <= 100) of sorted
// values: the value at rank ceil(p/100 × n), counting from 1. It is
// always one of the values, and the same values always give the same
// answer.
func Percentile[T any](sorted []T, p float64) (T, bool) {
	var zero T
	n := len(sorted)
	if n == 0 {
		return zero, false
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = max(1, min(n, rank))
	return sorted[rank-1], true
}

// Sum sums up variants.
func Sum(vs []Variant) Aggregate {
	c := ColumnsOf(vs)
	a := Aggregate{Variants: len(vs)}
	grid := map[string]bool{}
	for _, v := range vs {
		if a.Scenario == "" {
			a.Scenario = v.Scenario
		}
		if v.Run != nil {
			a.Runs = max(a.Runs, *v.Run+1)
		}
		key, _ := v.Params.MarshalJSON()
		grid[string(key)] = true
		expired, outage := v.Trouble()
		if expired {
			a.AnyExpired++
		}
		if outage > 0 {
			a.AnyOutage++
		}
	}
	a.GridPoints = len(grid)
	// Every variant's entry for a certificate or resource, in the order of
	// the variants.
	certRank := make(map[string]int, len(c.Certs))
	for i, id := range c.Certs {
		certRank[id] = i
	}
	resRank := make(map[string]int, len(c.Resources))
	for i, id := range c.Resources {
		resRank[id] = i
	}
	certsOf := make([][]*Cert, len(c.Certs))
	resOf := make([][]*Resource, len(c.Resources))
	for i := range vs {
		for j := range vs[i].Certificates {
			x := &vs[i].Certificates[j]
			certsOf[certRank[x.ID]] = append(certsOf[certRank[x.ID]], x)
		}
		for j := range vs[i].Resources {
			x := &vs[i].Resources[j]
			resOf[resRank[x.ID]] = append(resOf[resRank[x.ID]], x)
		}
	}
	for k, id := range c.Certs {
		ca := CertAggregate{ID: id}
		var margins []*time.Duration
		for _, x := range certsOf[k] {
			switch x.Outcome {
			case sim.OutcomeRenewed:
				ca.Renewed++
			case sim.OutcomeExpired:
				ca.Expired++
			default:
				ca.Pending++
			}
			if m, ok := x.MarginDuration(); ok {
				ca.WithMargin++
				if m < 0 {
					ca.Negative++
				}
				margins = append(margins, &m)
			} else {
				margins = append(margins, nil)
			}
		}
		slices.SortStableFunc(margins, CompareMargins)
		ca.MarginP5, _ = Percentile(margins, 5)
		ca.MarginP50, _ = Percentile(margins, 50)
		ca.MarginP95, _ = Percentile(margins, 95)
		for _, m := range margins {
			if m != nil {
				if ca.MarginMin == nil {
					ca.MarginMin = m
				}
				ca.MarginMax = m
			}
		}
		a.Certificates = append(a.Certificates, ca)
	}
	for k, id := range c.Resources {
		ra := ResourceAggregate{ID: id}
		var outages []time.Duration
		for _, x := range resOf[k] {
			d := time.Duration(x.OutageSeconds) * time.Second
			outages = append(outages, d)
			if d > 0 {
				ra.WithOutage++
			}
		}
		slices.Sort(outages)
		ra.OutageP50, _ = Percentile(outages, 50)
		ra.OutageP95, _ = Percentile(outages, 95)
		if len(outages) > 0 {
			ra.OutageMax = outages[len(outages)-1]
		}
		a.Resources = append(a.Resources, ra)
	}
	a.Alarms = aggregateAlarms(vs)
	return a
}

// CompareMargins orders margins, a missing one first: the order the
// margin percentiles of Sum, and the charts drawn from them, rank by.
func CompareMargins(a, b *time.Duration) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	case *a < *b:
		return -1
	case *a > *b:
		return 1
	}
	return 0
}

// AlarmAggregate is one alarm over every variant.
type AlarmAggregate struct {
	Name string
	// Fired counts the variants in which it fired; Warned those in which
	// it gave a warning; Missed those in which it missed an expiry or
	// outage; WithFalse those with a false alarm, FalseAlarms all of them.
	Fired, Warned, Missed, WithFalse, FalseAlarms int
	// Lead-time percentiles (nearest rank) over the variants that had one.
	LeadP5, LeadP50, LeadMin *time.Duration
}

func aggregateAlarms(vs []Variant) []AlarmAggregate {
	var out []AlarmAggregate
	for _, name := range AlarmNames(vs) {
		a := AlarmAggregate{Name: name}
		var leads []time.Duration
		for i := range vs {
			for _, x := range vs[i].Alarms {
				if x.Name != name {
					continue
				}
				if x.Fired > 0 {
					a.Fired++
				}
				if x.Missed > 0 {
					a.Missed++
				}
				if x.FalseAlarms > 0 {
					a.WithFalse++
				}
				a.FalseAlarms += x.FalseAlarms
				if d, ok := x.Lead(); ok {
					a.Warned++
					leads = append(leads, d)
				}
			}
		}
		slices.Sort(leads)
		if p, ok := Percentile(leads, 5); ok {
			a.LeadP5 = &p
		}
		if p, ok := Percentile(leads, 50); ok {
			a.LeadP50 = &p
		}
		if len(leads) > 0 {
			a.LeadMin = &leads[0]
		}
		out = append(out, a)
	}
	return out
}

// AlarmNames are the alarms of a set of variants, in first-seen order.
func AlarmNames(vs []Variant) []string {
	var o order
	for i := range vs {
		for _, a := range vs[i].Alarms {
			o.add(a.Name)
		}
	}
	return o.ids
}

// order keeps ids in the order first added.
type order struct {
	ids  []string
	seen map[string]bool
}

func (o *order) add(id string) {
	if o.seen == nil {
		o.seen = map[string]bool{}
	}
	if !o.seen[id] {
		o.seen[id] = true
		o.ids = append(o.ids, id)
	}
}
