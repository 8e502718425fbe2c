package dns

import (
	"slices"
	"strconv"
	"sync"

	mdns "github.com/miekg/dns"
)

// Request is one query the server answered, as the client saw it. It holds
// no wall-clock time so that histories can be compared across runs.
type Request struct {
	// Seq numbers queries from 1 over the server's life. It keeps counting
	// while history is off and is not reset by ResetHistory, so gaps show
	// unrecorded queries.
	Seq uint64
	// Proto is "udp" or "tcp".
	Proto string
	// Name is the question name exactly as the client sent it (case
	// included); "" if the query had no single question.
	Name string
	// Type is the question type, e.g. "CNAME", or "TYPE65534" if unnamed.
	Type string
	// Rcode is the response code, e.g. "NOERROR", "NXDOMAIN", or TIMEOUT
	// for a query a fault left unanswered.
	Rcode string
	// Answer holds RR.String() of each answer record actually sent, that is
	// after UDP truncation.
	Answer []string
}

// MaxHistory bounds the recorded queries: a client that queries without
// end must not make the record grow without end. Later queries are
// answered but not recorded (Seq keeps counting, so the gap shows) until
// ResetHistory.
const MaxHistory = 100000

type history struct {
	mu      sync.Mutex
	enabled bool
	seq     uint64
	reqs    []Request
}

func (h *history) record(proto, name, qtype string, resp *mdns.Msg) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	if !h.enabled || len(h.reqs) >= MaxHistory {
		return
	}
	r := Request{Seq: h.seq, Proto: proto, Name: name, Type: qtype, Rcode: rcodeString(resp.Rcode)}
	for _, rr := range resp.Answer {
		r.Answer = append(r.Answer, rr.String())
	}
	h.reqs = append(h.reqs, r)
}

// recordTransfer records a zone transfer: rrs are every record sent, over
// however many messages.
func (h *history) recordTransfer(proto, name, qtype string, rrs []mdns.RR) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	if !h.enabled || len(h.reqs) >= MaxHistory {
		return
	}
	r := Request{Seq: h.seq, Proto: proto, Name: name, Type: qtype, Rcode: rcodeString(mdns.RcodeSuccess)}
	for _, rr := range rrs {
		r.Answer = append(r.Answer, rr.String())
	}
	h.reqs = append(h.reqs, r)
}

// recordHeld records a query the server did not answer (a timeout fault):
// its Rcode is the pseudo-code given.
func (h *history) recordHeld(proto, name, qtype, code string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	if h.enabled && len(h.reqs) < MaxHistory {
		h.reqs = append(h.reqs, Request{Seq: h.seq, Proto: proto, Name: name, Type: qtype, Rcode: code})
	}
}

func rcodeString(rcode int) string {
	if rcode == mdns.RcodeBadVers {
		// miekg names 16 after TSIG's BADSIG; a query gets it for EDNS.
		return "BADVERS"
	}
	if s, ok := mdns.RcodeToString[rcode]; ok {
		return s
	}
	return "RCODE" + strconv.Itoa(rcode)
}

// History returns a copy of the recorded queries, oldest first.
func (s *Server) History() []Request {
	s.hist.mu.Lock()
	defer s.hist.mu.Unlock()
	out := slices.Clone(s.hist.reqs)
	for i := range out {
		out[i].Answer = slices.Clone(out[i].Answer)
	}
	return out
}

// ResetHistory forgets the recorded queries; Seq keeps counting.
func (s *Server) ResetHistory() {
	s.hist.mu.Lock()
	defer s.hist.mu.Unlock()
	s.hist.reqs = nil
}

// SetHistory turns recording on or off (it starts on). Turning it off keeps
// what was already recorded; it only stops growth, e.g. during sweeps.
func (s *Server) SetHistory(enabled bool) {
	s.hist.mu.Lock()
	defer s.hist.mu.Unlock()
	s.hist.enabled = enabled
}
