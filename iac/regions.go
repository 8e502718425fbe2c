package iac

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/renewsim/renewsim/fleet"
)

type regionKey struct{ account, region string }

func keyOf(arn string) (regionKey, bool) {
	m := certARNRE.FindStringSubmatch(arn)
	if m == nil {
		return regionKey{}, false
	}
	return regionKey{m[3], m[2]}, true
}

// regions splits the fleets by account and region: fleet.Build checks one
// at a time, and a Terraform configuration often holds a CloudFront
// certificate in us-east-1 beside its load balancers' elsewhere. The
// exports' summaries and account configuration go with the exports' own
// account and region; every zone goes with every part.
func (a *assembler) regions(bw, aw *world) []*RegionFleets {
	var keys []regionKey
	add := func(k regionKey) {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, w := range []*world{bw, aw} {
		if w == nil {
			continue
		}
		for _, k := range w.order {
			if rk, ok := keyOf(w.fc[k].ARN); ok {
				add(rk)
			}
		}
	}
	baseKey, hasBase := regionKey{}, false
	for _, c := range a.base.Certificates {
		baseKey, hasBase = keyOf(c.ARN)
		break
	}
	if !hasBase {
		for _, s := range a.base.Summaries {
			baseKey, hasBase = keyOf(s.ARN)
			break
		}
	}
	if hasBase {
		add(baseKey)
	}
	slices.SortFunc(keys, func(x, y regionKey) int {
		return cmp.Or(cmp.Compare(x.region, y.region), cmp.Compare(x.account, y.account))
	})
	// An account configuration given without a certificate export says
	// nothing of its region: it goes with every region rather than none.
	configAll := !hasBase && a.base.Account != nil
	if configAll && len(keys) > 1 {
		a.notes = append(a.notes, fmt.Sprintf("the account configuration (DaysBeforeExpiry %d) names no region, and no ACM export does: it applies to every region of the code", a.base.Account.DaysBeforeExpiry))
	}
	var out []*RegionFleets
	for _, k := range keys {
		rf := &RegionFleets{Account: k.account, Region: k.region}
		withBase := hasBase && k == baseKey
		if bw != nil {
			rf.Before = a.fleetOf(bw, k, withBase, bw, aw)
		}
		rf.After = a.fleetOf(aw, k, withBase, bw, aw)
		if configAll {
			rf.After.Account = a.base.Account
			if rf.Before != nil {
				rf.Before.Account = a.base.Account
			}
		}
		out = append(out, rf)
	}
	return out
}

// fleetOf is the fleet of one side in one account and region.
func (a *assembler) fleetOf(w *world, k regionKey, withBase bool, bw, aw *world) *fleet.Fleet {
	var e fleet.Exports
	for _, key := range w.order {
		c := w.fc[key]
		if rk, ok := keyOf(c.ARN); ok && rk == k {
			// Build may note things on a certificate: each fleet gets its
			// own copy.
			cp := *c
			e.Certificates = append(e.Certificates, &cp)
		}
	}
	if withBase {
		e.Listed, e.NextTokens, e.Account = a.base.Listed, a.base.NextTokens, a.base.Account
		for _, s := range a.base.Summaries {
			if !a.deletedBy(s.ARN, w, bw, aw) {
				e.Summaries = append(e.Summaries, s)
			}
		}
	}
	zones := make([]*fleet.Zone, len(w.fz))
	zoneFiles := slices.Clone(a.base.ZoneFiles)
	for i, z := range w.fz {
		zones[i] = z.Clone()
		for _, f := range z.Files {
			if !slices.Contains(zoneFiles, f) {
				zoneFiles = append(zoneFiles, f)
			}
		}
	}
	acmFiles := slices.Clone(a.base.ACMFiles)
	for _, f := range a.m.Files {
		if !slices.Contains(acmFiles, f) {
			acmFiles = append(acmFiles, f)
		}
	}
	return fleet.NewFleet(e, zones, acmFiles, zoneFiles)
}

// described lists the certificates the code describes, either side.
func (a *assembler) described(bw, aw *world) []*Certificate {
	byID := map[string]*Certificate{}
	var out []*Certificate
	actions := map[string]ActionKind{}
	for _, ch := range a.m.changes {
		actions[ch.id] = ch.kind
	}
	for _, w := range []*world{bw, aw} {
		if w == nil {
			continue
		}
		for _, id := range sortedKeys(w.certs) {
			c := w.certs[id]
			fc := w.fc[id]
			d := byID[id]
			if d == nil {
				d = &Certificate{Address: id, Source: c.file + ": " + c.path, Domain: c.domain, Action: actions[id]}
				byID[id] = d
				out = append(out, d)
			}
			if w.after {
				d.After = true
			} else {
				d.Before = true
			}
			if d.ARN == "" || w.after {
				if d.ARN != "" && d.ARN != fc.ARN {
					d.BeforeARN = d.ARN
				}
				d.ARN = fc.ARN
				d.Placeholder = c.arn == "" && a.base.Certificate(fc.ARN) == nil
			}
			if k, ok := keyOf(fc.ARN); ok {
				d.Account, d.Region = k.account, k.region
			}
			if d.Domain == "" {
				d.Domain = fc.Domain
			}
			if u := fc.Unsettled; u != nil {
				d.Notes = appendNew(d.Notes, "cannot tell: "+u.Reason)
			}
			for _, n := range w.notes[id] {
				d.Notes = appendNew(d.Notes, n)
			}
		}
	}
	slices.SortFunc(out, byAddress)
	return out
}

// Lookup is the certificate of the code that stands under arn on either
// side of the change, or nil (a certificate only the exports describe).
func (f *Fleets) Lookup(arn string) *Certificate {
	for _, c := range f.Certificates {
		if c.ARN == arn || c.BeforeARN == arn {
			return c
		}
	}
	return nil
}
