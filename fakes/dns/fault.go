package dns

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"time"

	mdns "github.com/miekg/dns"
)

// FaultKind is what a fault does to a query it strikes.
type FaultKind string

// Fault kinds.
const (
	// FaultServfail answers SERVFAIL with nothing in it.
	FaultServfail FaultKind = "servfail"
	// FaultTimeout answers nothing at all: the client waits in vain.
	FaultTimeout FaultKind = "timeout"
	// FaultSlow answers, but only after Fault.Delay.
	FaultSlow FaultKind = "slow"
)

// DefaultSlowDelay is how long a slow answer is held when the fault does
// not say.
const DefaultSlowDelay = 2 * time.Second

// Fault makes the server misbehave for the queries of one name, or of a
// zone (a name and every name below it).
type Fault struct {
	Kind FaultKind
	// Probability is the share of queries the fault strikes, in (0, 1];
	// 0 means every query. Which ones is decided per query from Seed, the
	// question and how many queries with that question the fault has seen
	// (Strikes), so the same queries in the same order are struck the
	// same way on every run.
	Probability float64
	Seed        uint64
	// Delay is how long a slow answer is held (DefaultSlowDelay when 0).
	Delay time.Duration
}

// faultKey names where a fault applies.
type faultKey struct {
	owner string // canonical
	zone  bool
}

type activeFault struct {
	Fault
	seen map[string]uint64 // "qname/qtype" -> queries seen so far
}

// SetFault makes the server misbehave for queries of owner (zone false) or
// of owner and every name below it (zone true), until ClearFault. It
// replaces a fault set before at the same place and starts its count of
// queries afresh. Where a name fault and zone faults both cover a query, the
// name fault wins, then the nearest zone.
func (s *Server) SetFault(owner string, zone bool, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults == nil {
		s.faults = map[faultKey]*activeFault{}
	}
	s.faults[faultKey{mdns.CanonicalName(owner), zone}] = &activeFault{Fault: f, seen: map[string]uint64{}}
	s.version++
}

// ClearFault undoes SetFault for owner.
func (s *Server) ClearFault(owner string, zone bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := faultKey{mdns.CanonicalName(owner), zone}
	if _, ok := s.faults[k]; ok {
		delete(s.faults, k)
		s.version++
	}
}

// OnHold registers fn, called when the server decides to hold back the
// answer to a query (a timeout or slow fault struck it), with the query's
// id and the fault's kind, before the answer is due. A client that knows
// the answer will not come in time can stop waiting at once instead of
// running into its read deadline. fn runs on the serving goroutine and
// must not block; nil removes it.
func (s *Server) OnHold(fn func(id uint16, kind FaultKind)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onHold = fn
}

// fault finds the fault that covers qname, counts the query, and tells
// whether it strikes.
func (s *Server) fault(qname string, qtype uint16) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	name := mdns.CanonicalName(qname)
	af := s.faults[faultKey{name, false}]
	if af == nil {
		for cand := name; af == nil; {
			af = s.faults[faultKey{cand, true}]
			if cand == "." {
				break
			}
			if i := strings.IndexByte(cand, '.'); i >= 0 && i+1 < len(cand) {
				cand = cand[i+1:]
			} else {
				cand = "."
			}
		}
	}
	if af == nil {
		return Fault{}, false
	}
	typ := mdns.Type(qtype).String()
	key := name + "/" + typ
	n := af.seen[key]
	af.seen[key] = n + 1
	return af.Fault, Strikes(af.Seed, name, typ, n, af.Probability)
}

// Strikes decides whether a fault of the given probability strikes the
// n-th query (from 0) for qname (canonical, lower case, absolute) and qtype
// (its name, like "CNAME"), from seed alone: no clock, no global random
// source. Probability 0 or >= 1 strikes every query. Drivers that answer
// without the server (the simulator's in-memory harness) decide the same
// way.
func Strikes(seed uint64, qname, qtype string, n uint64, probability float64) bool {
	if !(probability > 0 && probability < 1) { // 0, >= 1 and NaN
		return true
	}
	h := sha256.New()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	h.Write([]byte(strings.ToLower(qname)))
	h.Write([]byte{0})
	h.Write([]byte(qtype))
	h.Write([]byte{0})
	binary.BigEndian.PutUint64(b[:], n)
	h.Write(b[:])
	sum := h.Sum(nil)
	u := float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53)
	return u < probability
}

// hold tells the hook, if any, that the answer to id is held back.
func (s *Server) hold(id uint16, kind FaultKind) {
	s.mu.RLock()
	fn := s.onHold
	s.mu.RUnlock()
	if fn != nil {
		fn(id, kind)
	}
}

// wait holds a slow answer for d, or until the server closes.
func (s *Server) wait(d time.Duration) bool {
	if d <= 0 {
		d = DefaultSlowDelay
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.closing:
		return false
	}
}
