package dns

import (
	mdns "github.com/miekg/dns"
)

// maxChain bounds the CNAME records in one answer, so a loop or an absurd
// chain in the store cannot make an answer grow without limit.
const maxChain = 16

// maxUDPSize caps what an EDNS0 client may ask for; larger UDP answers are
// fragmentation-prone on real networks and no validation lookup needs them.
const maxUDPSize = 4096

func (s *Server) serveDNS(w mdns.ResponseWriter, req *mdns.Msg) {
	proto := w.LocalAddr().Network()
	resp := new(mdns.Msg)
	var name, qtype string
	opt := req.IsEdns0()
	switch {
	case len(req.Question) != 1:
		// miekg rejects a header announcing more or fewer than one
		// question; this catches one announcing a question and ending
		// before it.
		resp.SetRcodeFormatError(req)
	case req.Question[0].Qtype == 0 || req.Question[0].Qclass == 0:
		// Type and class 0 are reserved; miekg decodes a question cut
		// short after its name as them.
		resp.SetRcodeFormatError(req)
	case countOPT(req) > 1:
		// RFC 6891 section 6.1.1: more than one OPT is a format error.
		name, qtype = req.Question[0].Name, mdns.Type(req.Question[0].Qtype).String()
		resp.SetRcodeFormatError(req)
	case opt != nil && opt.Version() > 0:
		// RFC 6891 section 6.1.3: a version this server does not speak
		// is answered BADVERS, with an OPT of the version it does.
		name, qtype = req.Question[0].Name, mdns.Type(req.Question[0].Qtype).String()
		resp.SetRcode(req, mdns.RcodeBadVers)
	case req.Question[0].Qclass != mdns.ClassINET:
		q := req.Question[0]
		name, qtype = q.Name, mdns.Type(q.Qtype).String()
		// The store holds class IN only, so other classes are not ours.
		resp.SetRcode(req, mdns.RcodeRefused)
	default:
		q := req.Question[0]
		name, qtype = q.Name, mdns.Type(q.Qtype).String()
		resp.SetReply(req)
		f, struck := s.fault(q.Name, q.Qtype)
		switch {
		case struck && f.Kind == FaultServfail:
			resp.Authoritative = true
			resp.Rcode = mdns.RcodeServerFailure
		case struck && f.Kind == FaultTimeout:
			s.hist.recordHeld(proto, name, qtype, "TIMEOUT")
			s.hold(req.Id, f.Kind)
			return
		case q.Qtype == mdns.TypeAXFR || q.Qtype == mdns.TypeIXFR:
			if s.transfer(w, req, resp, proto) {
				return
			}
		default:
			var authoritative bool
			resp.Rcode, resp.Answer, resp.Ns, authoritative = s.lookup(q)
			resp.Authoritative = authoritative
			if struck && f.Kind == FaultSlow {
				s.hold(req.Id, f.Kind)
				if !s.wait(f.Delay) {
					return
				}
			}
		}
	}
	s.reply(w, req, resp, proto, name, qtype)
}

// reply sends resp: with an OPT (its DO bit copied, RFC 3225) when the
// query had one, cut to the client's size over UDP.
func (s *Server) reply(w mdns.ResponseWriter, req, resp *mdns.Msg, proto, name, qtype string) {
	size := mdns.MinMsgSize
	if opt := req.IsEdns0(); opt != nil {
		size = min(max(int(opt.UDPSize()), mdns.MinMsgSize), maxUDPSize)
		resp.SetEdns0(uint16(size), opt.Do())
	}
	if proto == "udp" {
		resp.Truncate(size)
	} else {
		resp.Compress = true
	}

	// Recorded before writing: once the client holds the answer, History
	// must already show it, or tests would race the handler.
	s.hist.record(proto, name, qtype, resp)
	// A failed write means the client is gone; there is no one to tell.
	_ = w.WriteMsg(resp)
}

// countOPT counts the OPT records of a message's additional section.
func countOPT(m *mdns.Msg) int {
	n := 0
	for _, rr := range m.Extra {
		if rr.Header().Rrtype == mdns.TypeOPT {
			n++
		}
	}
	return n
}

// lookup answers q from the store and the zones. Returned RRs are shared
// with the store, which never mutates them, except synthesized and
// authority SOAs, which are made afresh. authoritative is false for a name
// outside every zone, which is answered REFUSED, as authoritative servers
// do: it is not this server's to deny.
func (s *Server) lookup(q mdns.Question) (rcode int, answer, authority []mdns.RR, authoritative bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	qname := mdns.CanonicalName(q.Name)
	if rc, ok := s.rcodes[qname]; ok {
		return rc, nil, nil, true
	}
	zone := s.zoneOfLocked(qname)
	if zone == "" {
		return mdns.RcodeRefused, nil, nil, false
	}

	rrs := s.rrsLocked(qname, zone)
	if len(rrs) == 0 {
		if s.below[qname] > 0 {
			// An empty non-terminal exists, so the name is not NXDOMAIN
			// (RFC 8020 resolvers would otherwise prune the whole subtree).
			return mdns.RcodeSuccess, nil, s.negativeSOALocked(zone), true
		}
		return mdns.RcodeNameError, nil, s.negativeSOALocked(zone), true
	}
	if q.Qtype == mdns.TypeANY {
		return mdns.RcodeSuccess, append([]mdns.RR(nil), rrs...), nil, true
	}
	if answer = appendType(nil, rrs, q.Qtype); len(answer) > 0 {
		return mdns.RcodeSuccess, answer, nil, true
	}
	cname := firstCNAME(rrs)
	if cname == nil {
		return mdns.RcodeSuccess, nil, s.negativeSOALocked(zone), true
	}
	return mdns.RcodeSuccess, s.chaseLocked(qname, cname, q.Qtype), nil, true
}

// chaseLocked follows a CNAME chain through the zones. The rcode stays
// NOERROR however the chain ends, since the queried name itself exists; a
// chain that leaves every zone ends there, as this server answers for its
// zones only.
func (s *Server) chaseLocked(qname string, cname *mdns.CNAME, qtype uint16) []mdns.RR {
	answer := []mdns.RR{cname}
	seen := map[string]bool{qname: true}
	for len(answer) < maxChain {
		target := mdns.CanonicalName(cname.Target)
		if seen[target] {
			break
		}
		seen[target] = true
		zone := s.zoneOfLocked(target)
		if zone == "" {
			break
		}
		rrs := s.rrsLocked(target, zone)
		if next := appendType(answer, rrs, qtype); len(next) > len(answer) {
			return next
		}
		if cname = firstCNAME(rrs); cname == nil {
			break
		}
		answer = append(answer, cname)
	}
	return answer
}

func appendType(dst, rrs []mdns.RR, rrtype uint16) []mdns.RR {
	for _, rr := range rrs {
		if rr.Header().Rrtype == rrtype {
			dst = append(dst, rr)
		}
	}
	return dst
}

func firstOfType(rrs []mdns.RR, rrtype uint16) mdns.RR {
	for _, rr := range rrs {
		if rr.Header().Rrtype == rrtype {
			return rr
		}
	}
	return nil
}

// firstCNAME skips CNAME-typed records that are not *mdns.CNAME (an RFC 3597
// generic record added through AddRR), since their target cannot be read.
func firstCNAME(rrs []mdns.RR) *mdns.CNAME {
	for _, rr := range rrs {
		if c, ok := rr.(*mdns.CNAME); ok {
			return c
		}
	}
	return nil
}
