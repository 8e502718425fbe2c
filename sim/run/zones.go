package run

import (
	"strings"

	mdns "github.com/miekg/dns"
	"golang.org/x/net/publicsuffix"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
	"github.com/renewsim/renewsim/sim"
)

// The fake DNS server answers like an authoritative one: for its zones
// only (REFUSED elsewhere), with an SOA and NS at every apex. Scenarios
// name no zones, so the runner infers them. A name's zone is its
// registrable domain (the public suffix plus one label, from
// golang.org/x/net/publicsuffix), or the name itself when it has none (a
// public suffix, a single label). The zones of a run are those of every
// certificate name, DNS validation record and its target, resource
// hostname, and owner and CNAME target of a record the scenario holds or
// its timeline adds; records added while the run goes on (a live run's
// injected changes) bring theirs (Config.ZoneOf). So `dig SOA example.com`
// finds the zone of a certificate for www.example.com, as DNS plugins
// expect.
//
// The model keeps its own rule, the one the fake followed before it knew
// zones: a name exists when it, or a name below it, holds a record of the
// scenario. The SOA and NS the fake makes up at an apex are for people and
// their tools, not part of the scenario; and a name in no zone does not
// exist in the public DNS the runner stands for. So the runner reads
// REFUSED, and NODATA at a name that holds nothing and has nothing below
// (only an empty zone's apex), as NXDOMAIN (asNXDOMAIN), and every record
// of every run stays what it was.

// zoneFor is the zone of a name: its registrable domain, or the name
// itself when it has none; "" for the root or an empty name.
func zoneFor(name string) string {
	n := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
	if i := strings.LastIndex(n, "*."); i >= 0 {
		n = n[i+2:]
	}
	if n == "" || n == "*" {
		return ""
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(n); err == nil {
		n = d
	}
	return mdns.Fqdn(n)
}

// scenarioZones lists the zones of sc (see above), in the order first met.
func scenarioZones(sc *sim.Scenario, seed uint64, initial map[string][]mdns.RR) []string {
	var zones []string
	seen := map[string]bool{}
	add := func(name string) {
		if z := zoneFor(name); z != "" && !seen[z] {
			seen[z] = true
			zones = append(zones, z)
		}
	}
	addRecords := func(text string) {
		rrs, ok := initial[text]
		if !ok {
			rrs, _ = fakedns.ParseRecords(text) // Check refuses what fails here
		}
		for _, rr := range rrs {
			add(rr.Header().Name)
			if cn, ok := rr.(*mdns.CNAME); ok {
				add(cn.Target)
			}
		}
	}
	for i := range sc.Certificates {
		c := &sc.Certificates[i]
		for _, n := range c.Names() {
			add(n)
			if c.Validation == sim.ValidationDNS {
				record, value := c.ValidationCNAME(seed, c.ProfileFor(&sc.Profile).Account, n)
				add(record)
				add(value)
			}
		}
	}
	for _, r := range sc.Resources {
		for _, h := range r.Hostnames {
			add(h)
		}
	}
	for _, text := range sc.DNSRecords {
		addRecords(text)
	}
	for _, ch := range sc.Timeline {
		if ch.Do == sim.DoDNSAdd {
			addRecords(ch.Record)
		}
	}
	return zones
}

// addZones tells the fake DNS server the zones of sc.
func (w *world) addZones(sc *sim.Scenario, seed uint64) error {
	for _, z := range scenarioZones(sc, seed, w.initial) {
		if err := w.dns.AddZone(z); err != nil {
			return err
		}
	}
	return nil
}

// asNXDOMAIN reads an answer to a question about name as the model's rule
// has it (see above): REFUSED, and NODATA at a name that holds nothing and
// has nothing below, are NXDOMAIN.
func (w *world) asNXDOMAIN(name string, m *mdns.Msg) *mdns.Msg {
	switch {
	case m == nil:
	case m.Rcode == mdns.RcodeRefused:
		m.Rcode = mdns.RcodeNameError
	case m.Rcode == mdns.RcodeSuccess && len(m.Answer) == 0 && !w.dns.Holds(name):
		m.Rcode = mdns.RcodeNameError
	}
	return m
}

// parseRecords parses a zone-file line to add to the fake DNS server: one
// of the scenario's records from what Check parsed at the start (copied:
// the server keeps what it is given, and a record may be added again after
// a deletion), any other as it comes.
func (w *world) parseRecords(text string) ([]mdns.RR, error) {
	rrs, ok := w.initial[text]
	if !ok {
		return fakedns.ParseRecords(text)
	}
	out := make([]mdns.RR, len(rrs))
	for i, rr := range rrs {
		out[i] = mdns.Copy(rr)
	}
	return out, nil
}
