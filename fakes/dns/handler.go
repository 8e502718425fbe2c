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
	case req.Question[0].Qclass != mdns.ClassINET:
		q := req.Question[0]
		name, qtype = q.Name, mdns.Type(q.Qtype).String()
		// The store holds class IN only, so other classes are not ours.
		resp.SetRcode(req, mdns.RcodeRefused)
	default:
		q := req.Question[0]
		name, qtype = q.Name, mdns.Type(q.Qtype).String()
		resp.SetReply(req)
		resp.Authoritative = true
		f, struck := s.fault(q.Name, q.Qtype)
		switch {
		case struck && f.Kind == FaultServfail:
			resp.Rcode = mdns.RcodeServerFailure
		case struck && f.Kind == FaultTimeout:
			s.hist.recordHeld(proto, name, qtype, "TIMEOUT")
			s.hold(req.Id, f.Kind)
			return
		default:
			resp.Rcode, resp.Answer, resp.Ns = s.lookup(q)
			if struck && f.Kind == FaultSlow {
				s.hold(req.Id, f.Kind)
				if !s.wait(f.Delay) {
					return
				}
			}
		}
	}

	size := mdns.MinMsgSize
	if opt := req.IsEdns0(); opt != nil {
		size = min(max(int(opt.UDPSize()), mdns.MinMsgSize), maxUDPSize)
		resp.SetEdns0(uint16(size), false)
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

// lookup answers q from the store. Returned RRs are shared with the store,
// which never mutates them, except authority SOAs, which are copies.
func (s *Server) lookup(q mdns.Question) (rcode int, answer, authority []mdns.RR) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	qname := mdns.CanonicalName(q.Name)
	if rc, ok := s.rcodes[qname]; ok {
		return rc, nil, nil
	}

	rrs := s.owners[qname]
	if len(rrs) == 0 {
		if s.below[qname] > 0 {
			// An empty non-terminal exists, so the name is not NXDOMAIN
			// (RFC 8020 resolvers would otherwise prune the whole subtree).
			return mdns.RcodeSuccess, nil, s.soaLocked(qname)
		}
		return mdns.RcodeNameError, nil, s.soaLocked(qname)
	}
	if q.Qtype == mdns.TypeANY {
		return mdns.RcodeSuccess, append([]mdns.RR(nil), rrs...), nil
	}
	if answer = appendType(nil, rrs, q.Qtype); len(answer) > 0 {
		return mdns.RcodeSuccess, answer, nil
	}
	cname := firstCNAME(rrs)
	if cname == nil {
		return mdns.RcodeSuccess, nil, s.soaLocked(qname)
	}
	return mdns.RcodeSuccess, s.chaseLocked(qname, cname, q.Qtype), nil
}

// chaseLocked follows a CNAME chain through the store. The rcode stays
// NOERROR however the chain ends, since the queried name itself exists.
func (s *Server) chaseLocked(qname string, cname *mdns.CNAME, qtype uint16) []mdns.RR {
	answer := []mdns.RR{cname}
	seen := map[string]bool{qname: true}
	for len(answer) < maxChain {
		target := mdns.CanonicalName(cname.Target)
		if seen[target] {
			break
		}
		seen[target] = true
		rrs := s.owners[target]
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

// soaLocked returns the SOA of the closest enclosing zone held in the store,
// with the negative-caching TTL of RFC 2308 section 3, or nil.
func (s *Server) soaLocked(qname string) []mdns.RR {
	find := func(name string) *mdns.SOA {
		if soa, ok := firstOfType(s.owners[name], mdns.TypeSOA).(*mdns.SOA); ok {
			return soa
		}
		return nil
	}
	soa := find(qname)
	if soa == nil {
		forAncestors(qname, func(a string) {
			if soa == nil {
				soa = find(a)
			}
		})
	}
	if soa == nil {
		return nil
	}
	cp := mdns.Copy(soa).(*mdns.SOA)
	cp.Hdr.Ttl = min(cp.Hdr.Ttl, cp.Minttl)
	return []mdns.RR{cp}
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
