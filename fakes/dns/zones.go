package dns

import (
	"fmt"
	"slices"
	"strings"

	mdns "github.com/miekg/dns"
)

// What the server says of a zone whose records do not: the SOA and NS it
// synthesizes at every apex that has none of its own.
const (
	// SynthTTL is the TTL of a synthesized SOA or NS record.
	SynthTTL = DefaultTTL
	// SynthMinimum is a synthesized SOA's MINIMUM, and so the negative
	// TTL of its zone (RFC 2308: the smaller of the SOA's TTL and
	// MINIMUM): short, because a simulation changes its zones often.
	SynthMinimum = 60
	// SynthNameServer is the first label of the name server a synthesized
	// SOA and NS name: "ns1.<zone>".
	SynthNameServer = "ns1"
	// SynthMailbox is the first label of a synthesized SOA's RNAME:
	// "hostmaster.<zone>".
	SynthMailbox = "hostmaster"
)

// AddZone makes the server authoritative for name and everything below it
// that no nested zone claims: names in it are answered with the records
// held, NXDOMAIN or NODATA with the zone's SOA otherwise, and a SOA and NS
// are synthesized at its apex unless records of those types are held
// there. It fails for a name that is not a domain name. Zones added here
// are forgotten by Reset; those of Config.Zones are kept.
func (s *Server) AddZone(name string) error {
	zone, err := zoneName(name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.zones[zone] {
		s.zones[zone] = true
		s.version++
	}
	return nil
}

func zoneName(name string) (string, error) {
	if _, ok := mdns.IsDomainName(name); !ok || strings.TrimSpace(name) == "" {
		return "", fmt.Errorf("fakes/dns: zone %q is not a domain name", name)
	}
	return mdns.CanonicalName(name), nil
}

// RemoveZone undoes AddZone (or a zone of Config.Zones): the server stops
// answering for name, unless an SOA held there or Config.ZoneOf still
// makes it a zone. It reports whether name was such a zone.
func (s *Server) RemoveZone(name string) bool {
	zone, err := zoneName(name)
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.zones[zone] {
		return false
	}
	delete(s.zones, zone)
	s.version++
	return true
}

// Zones lists the zones the server serves, sorted by name (labels compared
// right to left): those of Config and AddZone, those Config.ZoneOf names
// for the records held, and every owner of an SOA record held, since an
// SOA makes its owner a zone apex.
func (s *Server) Zones() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for z := range s.zones {
		out = append(out, z)
	}
	for z := range s.implied {
		if !s.zones[z] {
			out = append(out, z)
		}
	}
	for owner, rrs := range s.owners {
		if !s.zones[owner] && s.implied[owner] == 0 && firstOfType(rrs, mdns.TypeSOA) != nil {
			out = append(out, owner)
		}
	}
	slices.SortFunc(out, compareNames)
	return out
}

// zoneOfLocked returns the closest zone enclosing the canonical name, or
// "" when no zone does.
func (s *Server) zoneOfLocked(name string) string {
	if s.isZoneLocked(name) {
		return name
	}
	zone := ""
	forAncestors(name, func(a string) {
		if zone == "" && s.isZoneLocked(a) {
			zone = a
		}
	})
	return zone
}

func (s *Server) isZoneLocked(name string) bool {
	return s.zones[name] || s.implied[name] > 0 || firstOfType(s.owners[name], mdns.TypeSOA) != nil
}

// rrsLocked is what the canonical name holds in zone: its records, plus
// the synthesized SOA and NS at the apex.
func (s *Server) rrsLocked(name, zone string) []mdns.RR {
	rrs := s.owners[name]
	if name != zone {
		return rrs
	}
	var synth []mdns.RR
	if firstOfType(rrs, mdns.TypeSOA) == nil {
		synth = append(synth, s.synthSOALocked(zone))
	}
	if firstOfType(rrs, mdns.TypeNS) == nil {
		synth = append(synth, &mdns.NS{
			Hdr: mdns.RR_Header{Name: zone, Rrtype: mdns.TypeNS, Class: mdns.ClassINET, Ttl: SynthTTL},
			Ns:  synthName(SynthNameServer, zone),
		})
	}
	if len(synth) == 0 {
		return rrs
	}
	return append(synth, rrs...)
}

// synthSOALocked is the SOA the server gives a zone that holds none. Its
// serial follows Version, so it grows whenever an answer may have changed.
func (s *Server) synthSOALocked(zone string) *mdns.SOA {
	return &mdns.SOA{
		Hdr:     mdns.RR_Header{Name: zone, Rrtype: mdns.TypeSOA, Class: mdns.ClassINET, Ttl: SynthTTL},
		Ns:      synthName(SynthNameServer, zone),
		Mbox:    synthName(SynthMailbox, zone),
		Serial:  max(uint32(s.version), 1),
		Refresh: 7200,
		Retry:   900,
		Expire:  1209600,
		Minttl:  SynthMinimum,
	}
}

func synthName(label, zone string) string {
	if zone == "." {
		return label + "."
	}
	return label + "." + zone
}

// soaLocked is the zone's SOA: the one held at its apex, or the
// synthesized one.
func (s *Server) soaLocked(zone string) *mdns.SOA {
	if soa, ok := firstOfType(s.owners[zone], mdns.TypeSOA).(*mdns.SOA); ok {
		return soa
	}
	return s.synthSOALocked(zone)
}

// negativeSOALocked is the authority section of a negative answer in zone:
// a copy of its SOA whose TTL is the negative-caching TTL of RFC 2308
// section 3, the smaller of the SOA's TTL and MINIMUM.
func (s *Server) negativeSOALocked(zone string) []mdns.RR {
	cp := mdns.Copy(s.soaLocked(zone)).(*mdns.SOA)
	cp.Hdr.Ttl = min(cp.Hdr.Ttl, cp.Minttl)
	return []mdns.RR{cp}
}

// maxTransferMessage bounds one message of a zone transfer, well below
// the 64 KiB a TCP message may hold.
const maxTransferMessage = 16 << 10

// transfer answers an AXFR or IXFR query. Over TCP a served zone is sent
// whole (an IXFR too, as RFC 1995 section 4 allows a server without
// history); over UDP an AXFR is NOTIMP (RFC 5936 defines none) and an IXFR
// gets the zone's SOA alone, which tells the client to ask again over TCP
// (RFC 1995 section 2). A name outside every zone is REFUSED, and one
// inside a zone but not its apex NOTAUTH. It reports whether it wrote the
// answer itself; otherwise resp holds the refusal to send.
func (s *Server) transfer(w mdns.ResponseWriter, req, resp *mdns.Msg, proto string) bool {
	q := req.Question[0]
	qname := mdns.CanonicalName(q.Name)
	s.mu.RLock()
	zone := s.zoneOfLocked(qname)
	var rrs []mdns.RR
	switch {
	case zone == "":
		resp.Rcode = mdns.RcodeRefused
	case zone != qname:
		resp.Rcode = mdns.RcodeNotAuth
	case proto == "udp" && q.Qtype == mdns.TypeAXFR:
		resp.Rcode = mdns.RcodeNotImplemented
	case proto == "udp":
		resp.Authoritative = true
		resp.Answer = []mdns.RR{s.soaLocked(zone)}
	default:
		rrs = s.zoneRecordsLocked(zone)
	}
	s.mu.RUnlock()
	if rrs == nil {
		return false
	}

	s.hist.recordTransfer(proto, q.Name, mdns.Type(q.Qtype).String(), rrs)
	msg := newTransferMessage(req)
	for _, rr := range rrs {
		msg.Answer = append(msg.Answer, rr)
		if len(msg.Answer) > 1 && msg.Len() > maxTransferMessage {
			msg.Answer = msg.Answer[:len(msg.Answer)-1]
			if w.WriteMsg(msg) != nil {
				return true
			}
			msg = newTransferMessage(req)
			msg.Answer = append(msg.Answer, rr)
		}
	}
	_ = w.WriteMsg(msg)
	return true
}

func newTransferMessage(req *mdns.Msg) *mdns.Msg {
	m := new(mdns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	m.Compress = true
	return m
}

// zoneRecordsLocked is zone's transfer: its SOA, every record of its names
// (apex first, then in canonical order, synthesized NS included) but those
// of nested zones, and the SOA again (RFC 5936 section 2.2).
func (s *Server) zoneRecordsLocked(zone string) []mdns.RR {
	soa := s.soaLocked(zone)
	var names []string
	for owner := range s.owners {
		if owner != zone && s.zoneOfLocked(owner) == zone {
			names = append(names, owner)
		}
	}
	slices.SortFunc(names, compareNames)
	out := []mdns.RR{soa}
	for _, rr := range s.rrsLocked(zone, zone) {
		if rr.Header().Rrtype != mdns.TypeSOA {
			out = append(out, rr)
		}
	}
	for _, n := range names {
		out = append(out, s.owners[n]...)
	}
	return append(out, soa)
}
