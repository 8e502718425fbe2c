package sweep

import (
	"math"
	"slices"
	"time"

	"github.com/renewsim/renewsim/alarm"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// Variant is what happened in one variant of a sweep: its parameters,
// each certificate's first renewal cycle and each resource's outage. It is
// one line of `renewsim sweep -json`.
type Variant struct {
	Scenario string `json:"scenario"`
	Index    int    `json:"index"`
	// Of is the number of variants in the whole sweep (all shards).
	Of int `json:"of"`
	// Run is the Monte Carlo run of a sweep with -runs, absent otherwise.
	Run  *int   `json:"run,omitempty"`
	Seed uint64 `json:"seed"`
	// Params are the -vary values; Sampled the values drawn for the run.
	Params       Params     `json:"params"`
	Sampled      Params     `json:"sampled,omitempty"`
	Certificates []Cert     `json:"certificates"`
	Resources    []Resource `json:"resources"`
	// Alarms are the scenario's alarms in this variant (absent when it
	// has none).
	Alarms []Alarm `json:"alarms,omitempty"`
}

// Cert is one certificate's first renewal cycle in a variant.
type Cert struct {
	ID      string      `json:"id"`
	Outcome sim.Outcome `json:"outcome"` // renewed | expired | pending
	// RenewedAt is when the renewal was issued (null when not renewed).
	RenewedAt *time.Time `json:"renewed_at"`
	// NotAfter is the first certificate's expiry.
	NotAfter time.Time `json:"not_after"`
	// ServedAt is when the last resource that used the certificate when it
	// was renewed began to serve the new one (the renewal time when no
	// resource used it); null when not renewed, or when some resource did
	// not serve it before the run ended.
	ServedAt *time.Time `json:"served_at"`
	// Margin is NotAfter - ServedAt: how long before expiry the new
	// certificate was everywhere. Negative means an outage. Null with
	// ServedAt.
	Margin        *string `json:"margin"`
	MarginSeconds *int64  `json:"margin_seconds"`
}

// MarginDuration is the margin, and whether there is one.
func (c *Cert) MarginDuration() (time.Duration, bool) {
	if c.MarginSeconds == nil {
		return 0, false
	}
	return time.Duration(*c.MarginSeconds) * time.Second, true
}

// Resource is one resource's outage in a variant: the total time it
// served an expired certificate, as in the run report.
type Resource struct {
	ID            string `json:"id"`
	Outage        string `json:"outage"`
	OutageSeconds int64  `json:"outage_seconds"`
}

// SmallestMargin is the smallest margin of the variant's certificates; ok
// is false when one of them has none (not renewed, or not served in time)
// or it has no certificate.
func (v *Variant) SmallestMargin() (m time.Duration, ok bool) {
	if len(v.Certificates) == 0 {
		return 0, false
	}
	m = time.Duration(math.MaxInt64)
	for i := range v.Certificates {
		d, ok := v.Certificates[i].MarginDuration()
		if !ok {
			return 0, false
		}
		m = min(m, d)
	}
	return m, true
}

// Trouble tells whether some certificate expired in the variant, and the
// longest outage of its resources (0: none).
func (v *Variant) Trouble() (expired bool, outage time.Duration) {
	for _, c := range v.Certificates {
		expired = expired || c.Outcome == sim.OutcomeExpired
	}
	for _, r := range v.Resources {
		outage = max(outage, time.Duration(r.OutageSeconds)*time.Second)
	}
	return expired, outage
}

// Info says which variant of a sweep a run was.
type Info struct {
	Index, Of int
	Run       int // Monte Carlo run, -1 for none
	Params    Params
	Sampled   Params
}

// Build reads the record of a run of one variant: outcomes, outages and
// alarms as result.Build reads them, and the margin of each certificate.
func Build(info Info, sc *sim.Scenario, seed uint64, log []sim.Entry) Variant {
	// A sweep does not check expectations: leave them out of the build.
	noExpect := *sc
	noExpect.Expect = nil
	s := result.Build(&noExpect, seed, log)
	v := Variant{
		Scenario: sc.Name, Index: info.Index, Of: info.Of, Seed: seed,
		Params: slices.Clone(info.Params), Sampled: slices.Clone(info.Sampled),
		Certificates: []Cert{}, Resources: []Resource{},
	}
	if v.Params == nil {
		v.Params = Params{}
	}
	if info.Run >= 0 {
		r := info.Run
		v.Run = &r
	}
	for _, c := range s.Certificates {
		vc := Cert{ID: c.ID, Outcome: c.Outcome, NotAfter: c.NotAfter.UTC()}
		if c.RenewedAt != nil {
			t := c.RenewedAt.UTC()
			vc.RenewedAt = &t
			if served, ok := servedAt(log, s.Index().CertEntries(c.ID)); ok {
				served = served.UTC()
				vc.ServedAt = &served
				m := vc.NotAfter.Sub(served)
				vc.Margin, vc.MarginSeconds = durationJSON(m)
			}
		}
		v.Certificates = append(v.Certificates, vc)
	}
	for _, r := range s.Resources {
		v.Resources = append(v.Resources, Resource{ID: r.ID, Outage: sim.FormatDuration(time.Duration(r.OutageSeconds) * time.Second), OutageSeconds: r.OutageSeconds})
	}
	v.Alarms = variantAlarms(s.Alarms)
	return v
}

// servedAt is when the first renewal of a certificate was served by
// the last of the resources that served it when it was renewed; the
// renewal time when none did. ok is false when there was no renewal, or
// some of those resources never served it (and were not detached from it
// first). It reads the certificate's entries at those positions of log.
func servedAt(log []sim.Entry, at []int32) (time.Time, bool) {
	serving := map[string]bool{}
	var order []string
	issued := -1
	for k, p := range at {
		e := &log[p]
		if e.Kind == sim.KindIssued && e.Detail.Cycle == 1 {
			issued = k
			break
		}
		switch e.Kind {
		case sim.KindDeployed:
			if !serving[e.Resource()] {
				serving[e.Resource()] = true
				order = append(order, e.Resource())
			}
		case sim.KindUndeployed:
			delete(serving, e.Resource())
		}
	}
	if issued < 0 {
		return time.Time{}, false
	}
	renewal := &log[at[issued]]
	serial := renewal.Detail.Serial
	last := renewal.Time
	// Each of those resources is settled by its first later entry that
	// serves the renewal (when) or detaches the certificate.
	settled := map[string]bool{}
	servedAt := map[string]time.Time{}
	for _, p := range at[issued+1:] {
		e := &log[p]
		if !serving[e.Resource()] || settled[e.Resource()] {
			continue
		}
		switch {
		case e.Kind == sim.KindDeployed && e.Detail.Serial == serial:
			settled[e.Resource()] = true
			servedAt[e.Resource()] = e.Time
		case e.Kind == sim.KindUndeployed:
			settled[e.Resource()] = true // detached before it was served: no longer a user
		}
	}
	for _, res := range order {
		if !serving[res] {
			continue
		}
		if !settled[res] {
			return time.Time{}, false
		}
		if t, ok := servedAt[res]; ok {
			if t.After(last) {
				last = t
			}
		}
	}
	return last, true
}

// Alarm is what one alarm did in a variant, over every certificate
// it watches.
type Alarm struct {
	Name        string `json:"name"`
	Fired       int    `json:"fired"`
	FalseAlarms int    `json:"false_alarms"`
	// Troubles counts the expiries and outages; Missed those no firing
	// came before.
	Troubles int `json:"troubles"`
	Missed   int `json:"missed"`
	// LeadTime is the shortest warning it gave before an expiry, an
	// outage or a renewal that needed a change (null: none).
	LeadTime        *string `json:"lead_time"`
	LeadTimeSeconds *int64  `json:"lead_time_seconds"`
}

// Lead is the alarm's shortest warning, and whether it gave one.
func (a *Alarm) Lead() (time.Duration, bool) {
	if a.LeadTimeSeconds == nil {
		return 0, false
	}
	return time.Duration(*a.LeadTimeSeconds) * time.Second, true
}

func variantAlarms(rs []alarm.Result) []Alarm {
	if len(rs) == 0 {
		return nil
	}
	out := make([]Alarm, 0, len(rs))
	for i := range rs {
		r := &rs[i]
		va := Alarm{Name: r.Name, Fired: r.Fired, FalseAlarms: r.FalseAlarms, Missed: r.Missed}
		var lead *time.Duration
		for j := range r.Certificates {
			c := &r.Certificates[j]
			va.Troubles += c.Troubles
			if d, ok := c.Lead(); ok && (lead == nil || d < *lead) {
				lead = &d
			}
		}
		if lead != nil {
			va.LeadTime, va.LeadTimeSeconds = durationJSON(*lead)
		}
		out = append(out, va)
	}
	return out
}

// durationJSON is a duration as the variants' JSON writes it: in words
// ("30d") and in whole seconds.
func durationJSON(d time.Duration) (*string, *int64) {
	s := sim.FormatDuration(d)
	n := int64(d / time.Second)
	return &s, &n
}
