package fleet

import (
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// Constructors for callers that describe a fleet from other sources than
// the AWS CLI's exports (package iac reads Terraform and CloudFormation):
// they build Certificates as literals, zones with NewZone and AddRecord,
// and the Fleet with NewFleet, which Build then takes like one Read gave.

// Unsettled is why the inputs cannot settle a certificate, and what would
// settle it.
type Unsettled struct {
	Reason string
	Fix    string
}

// Locate says where a certificate built by a caller was described (a file
// and a JSON path in it), for the problems Build reports about it.
func (c *Certificate) Locate(file, path string) {
	c.at = where{file: file, path: path}
	if c.Source == "" {
		c.Source = file
	}
}

// NewZone is an empty zone at apex, whose records come from files (named
// in messages and in the scenario's comments).
func NewZone(apex string, files ...string) *Zone {
	z := newZone(dns.Fqdn(apex))
	z.Files = slices.Clone(files)
	return z
}

// Contains tells whether name is the zone's apex or below it.
func (z *Zone) Contains(name string) bool { return z.contains(dns.Fqdn(name)) }

// AddRecord adds a copy of rr, unless the zone holds the same record (TTL
// aside). note, when not "", says what stands in for the real record
// there; the scenario shows it as a comment.
func (z *Zone) AddRecord(rr dns.RR, note string) {
	cp := dns.Copy(rr)
	z.add(cp)
	if note != "" {
		z.notes[cp.Header().Name] = note
	}
}

// RemoveRecord removes the records equal to rr (owner, type and data; the
// TTL aside) and tells whether there was one.
func (z *Zone) RemoveRecord(rr dns.RR) bool {
	owner := canonical(rr.Header().Name)
	kept := z.owners[owner][:0]
	removed := false
	for _, old := range z.owners[owner] {
		if dns.IsDuplicate(old, rr) {
			removed = true
			continue
		}
		kept = append(kept, old)
	}
	if len(kept) == 0 {
		delete(z.owners, owner)
		delete(z.notes, owner)
	} else {
		z.owners[owner] = kept
	}
	return removed
}

// Records is every record of the zone (copies), owners in canonical order,
// each owner's records in the order added.
func (z *Zone) Records() []dns.RR {
	owners := make([]string, 0, len(z.owners))
	for o := range z.owners {
		owners = append(owners, o)
	}
	slices.SortFunc(owners, compareNames)
	var out []dns.RR
	for _, o := range owners {
		for _, rr := range z.owners[o] {
			out = append(out, dns.Copy(rr))
		}
	}
	return out
}

// Note is what stands in for the records at owner ("" when they are as
// read).
func (z *Zone) Note(owner string) string { return z.notes[canonical(owner)] }

// Clone is a copy of the zone that can be changed on its own.
func (z *Zone) Clone() *Zone {
	out := newZone(z.Apex)
	out.Files = slices.Clone(z.Files)
	for o, rrs := range z.owners {
		for _, rr := range rrs {
			out.owners[o] = append(out.owners[o], dns.Copy(rr))
		}
	}
	for o, n := range z.notes {
		out.notes[o] = n
	}
	out.finish()
	return out
}

// NewFleet assembles a fleet from parts: the certificates and summaries in
// e (their indexes are rebuilt; the first certificate of an ARN wins) and
// the zones, which it finishes, so they must not change afterwards.
// acmFiles and zoneFiles name the inputs in the scenario's comments.
func NewFleet(e Exports, zones []*Zone, acmFiles, zoneFiles []string) *Fleet {
	f := &Fleet{ACMFiles: slices.Clone(acmFiles), ZoneFiles: slices.Clone(zoneFiles)}
	f.Listed, f.NextTokens, f.Account = e.Listed, slices.Clone(e.NextTokens), e.Account
	f.byARN = map[string]*Certificate{}
	for _, c := range e.Certificates {
		if f.byARN[c.ARN] != nil {
			continue
		}
		f.byARN[c.ARN] = c
		f.Certificates = append(f.Certificates, c)
	}
	f.listed = map[string]bool{}
	for _, s := range e.Summaries {
		if f.listed[s.ARN] {
			continue
		}
		f.listed[s.ARN] = true
		f.Summaries = append(f.Summaries, s)
	}
	byApex := map[string]*Zone{}
	for _, z := range zones {
		if old := byApex[z.Apex]; old != nil {
			// Two descriptions of one zone: its records are both's.
			for _, rr := range z.Records() {
				old.AddRecord(rr, z.Note(rr.Header().Name))
			}
			for _, file := range z.Files {
				if !slices.Contains(old.Files, file) {
					old.Files = append(old.Files, file)
				}
			}
			continue
		}
		byApex[z.Apex] = z
		f.Zones = append(f.Zones, z)
	}
	for _, z := range f.Zones {
		z.finish()
	}
	return f
}

// Certificate returns the certificate of arn, or nil.
func (f *Fleet) Certificate(arn string) *Certificate {
	if f.byARN != nil {
		return f.byARN[arn]
	}
	for _, c := range f.Certificates {
		if strings.EqualFold(c.ARN, arn) {
			return c
		}
	}
	return nil
}

// RecordsAt is the records at owner (copies), in the order added.
func (z *Zone) RecordsAt(owner string) []dns.RR {
	var out []dns.RR
	for _, rr := range z.owners[canonical(owner)] {
		out = append(out, dns.Copy(rr))
	}
	return out
}
