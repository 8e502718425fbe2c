package run

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	mdns "github.com/miekg/dns"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
	"github.com/renewsim/renewsim/fakes/route53"
	"github.com/renewsim/renewsim/sim"
)

// Route53Backend answers the Route 53 API from a live simulation: its
// public hosted zones are the fake DNS server's zones, holding what that
// server serves now, and a change to them becomes dns-delete and dns-add
// timeline changes the model applies at the current virtual time, logged
// in the record like any other. So deleting a validation CNAME through
// the API fails a renewal exactly as the timeline's
// delete-validation-record does: both take the record out of the DNS
// server that ACM's validation queries.
//
// Zones that stand for AWS's own domains (ACM's validation targets under
// acm-validations.aws, the amazonaws.com and cloudfront.net names
// resources point at) are served by the DNS server but are not the
// account's, so they are not listed. Private zones (NewRoute53Backend's
// private) are listed as private and hold their records here, apart from
// the DNS server: ACM's validation never sees them, as it never sees a
// real private zone.
type Route53Backend struct {
	l *Live

	mu      sync.Mutex
	private map[string][]route53.Record // zone name -> records
	order   []string                    // private zone names, as given
}

var _ route53.Backend = (*Route53Backend)(nil)

// awsZones are the registrable domains of AWS's own names; a scenario's
// DNS serves them (validation CNAMEs and resources point there), but no
// account has them as hosted zones.
var awsZones = []string{"acm-validations.aws.", "amazonaws.com.", "cloudfront.net.", "awsglobalaccelerator.com.", "amazon.com."}

// NewRoute53Backend serves l's zones through the Route 53 API, with a
// private hosted zone for each name in private (a name may also be a
// public zone, as with split-horizon DNS). A private zone starts with the
// SOA and NS Route 53 gives a new zone.
func NewRoute53Backend(l *Live, private []string) (*Route53Backend, error) {
	b := &Route53Backend{l: l, private: map[string][]route53.Record{}}
	for _, p := range private {
		name := mdns.CanonicalName(strings.TrimSpace(p))
		if _, ok := mdns.IsDomainName(name); !ok || name == "." {
			return nil, fmt.Errorf("private zone %q is not a domain name", p)
		}
		if _, dup := b.private[name]; dup {
			continue
		}
		b.order = append(b.order, name)
		soa := fmt.Sprintf("%s.%s %s.%s 1 7200 900 1209600 %d", fakedns.SynthNameServer, name, fakedns.SynthMailbox, name, fakedns.SynthMinimum)
		b.private[name] = []route53.Record{
			{Name: name, Type: "SOA", TTL: fakedns.SynthTTL, Value: soa},
			{Name: name, Type: "NS", TTL: fakedns.SynthTTL, Value: fakedns.SynthNameServer + "." + name},
		}
	}
	return b, nil
}

// dns is the live run's DNS server, or nil once the run is closed.
func (b *Route53Backend) dns() *fakedns.Server {
	b.l.mu.Lock()
	defer b.l.mu.Unlock()
	return b.l.w.dns
}

// Zones lists the DNS server's zones but AWS's own, then the private ones.
func (b *Route53Backend) Zones() []route53.Zone {
	var out []route53.Zone
	if s := b.dns(); s != nil {
		for _, z := range s.Zones() {
			if !awsZone(z) {
				out = append(out, route53.Zone{Name: z})
			}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, name := range b.order {
		out = append(out, route53.Zone{Name: name, Private: true, VPCRegion: b.l.Scenario().Profile.Region})
	}
	return out
}

func awsZone(z string) bool {
	return slices.ContainsFunc(awsZones, func(a string) bool { return z == a || strings.HasSuffix(z, "."+a) })
}

// Records is what the DNS server holds in the zone now (the SOA and NS it
// makes up at the apex included, and not the records of zones nested in
// it), read in the process rather than by a zone transfer, which a
// scenario's DNS fault would strike as it strikes ACM's queries: Route
// 53's API does not go through the DNS.
func (b *Route53Backend) Records(z route53.Zone) ([]route53.Record, error) {
	if z.Private {
		b.mu.Lock()
		defer b.mu.Unlock()
		return slices.Clone(b.private[z.Name]), nil
	}
	s := b.dns()
	if s == nil {
		return nil, route53.Internal("the simulation has stopped")
	}
	zones := map[string]bool{}
	for _, name := range s.Zones() {
		zones[name] = true
	}
	closest := func(name string) string {
		for n := name; ; {
			if zones[n] {
				return n
			}
			i := strings.IndexByte(n, '.')
			if n == "." || i < 0 || i+1 >= len(n) {
				return ""
			}
			n = n[i+1:]
		}
	}
	var out []route53.Record
	held := map[uint16]bool{}
	for _, rr := range s.Records() {
		h := rr.Header()
		name := mdns.CanonicalName(h.Name)
		if closest(name) != z.Name {
			continue
		}
		if name == z.Name {
			held[h.Rrtype] = true
		}
		out = append(out, record(rr))
	}
	// The SOA and NS the DNS server makes up at an apex that holds none
	// (fakes/dns, "Zones"): Route 53 always has both.
	if !held[mdns.TypeNS] {
		out = append(out, route53.Record{Name: z.Name, Type: "NS", TTL: fakedns.SynthTTL, Value: fakedns.SynthNameServer + "." + z.Name})
	}
	if !held[mdns.TypeSOA] {
		soa := fmt.Sprintf("%s.%s %s.%s %d 7200 900 1209600 %d", fakedns.SynthNameServer, z.Name, fakedns.SynthMailbox, z.Name,
			max(uint32(s.Version()), 1), fakedns.SynthMinimum)
		out = append(out, route53.Record{Name: z.Name, Type: "SOA", TTL: fakedns.SynthTTL, Value: soa})
	}
	return out, nil
}

// record is a DNS record as Route 53 shows it: the value is the record's
// presentation form without its header.
func record(rr mdns.RR) route53.Record {
	h := rr.Header()
	return route53.Record{Name: mdns.CanonicalName(h.Name), Type: mdns.TypeToString[h.Rrtype], TTL: h.Ttl,
		Value: strings.TrimPrefix(rr.String(), h.String())}
}

// Apply carries a checked change batch out: on a private zone here, on a
// public one as timeline changes of the live run, all at the current
// virtual time (Live.InjectAll).
func (b *Route53Backend) Apply(z route53.Zone, changes []route53.Change) error {
	if z.Private {
		b.mu.Lock()
		defer b.mu.Unlock()
		recs := b.private[z.Name]
		for _, c := range changes {
			if c.Action != route53.ActionCreate {
				recs = slices.DeleteFunc(recs, func(r route53.Record) bool { return r.Name == c.Set.Name && r.Type == c.Set.Type })
			}
			if c.Action != route53.ActionDelete {
				recs = append(recs, c.Set.Records()...)
			}
		}
		b.private[z.Name] = recs
		return nil
	}
	var chs []sim.Change
	for _, c := range changes {
		name := zoneFileName(c.Set.Name)
		if c.Action != route53.ActionCreate {
			chs = append(chs, sim.Change{Do: sim.DoDNSDelete, Name: name, Type: c.Set.Type})
		}
		if c.Action != route53.ActionDelete {
			for _, v := range c.Set.Values {
				chs = append(chs, sim.Change{Do: sim.DoDNSAdd, Record: fmt.Sprintf("%s %d IN %s %s", name, c.Set.TTL, c.Set.Type, v)})
			}
		}
	}
	err := b.l.InjectAll(chs)
	if isRefusal(err) {
		// The run has ended, or the model cannot take the record: the
		// batch is refused whole, as Route 53 refuses a batch it cannot
		// make.
		return route53.InvalidChangeBatch([]string{err.Error()})
	}
	return err
}

// zoneFileName writes a name for a zone-file line: characters a zone file
// reads specially (or not at all) as \DDD (RFC 1035 section 5.1).
func zoneFileName(name string) string {
	var sb strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '*':
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, "\\%03d", c)
		}
	}
	return sb.String()
}

// Now is the virtual time.
func (b *Route53Backend) Now() time.Time { return b.l.Now() }
