package run

import (
	"fmt"
	"strings"
	"sync"
	"time"

	mdns "github.com/miekg/dns"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
	"github.com/renewsim/renewsim/sim"
)

// slowDelay is how long the fake DNS server holds a slow answer, in wall
// time. The runner does not wait for it (the server says at once that it
// holds the answer back), so it only matters to people watching with dig.
const slowDelay = 100 * time.Millisecond

// queryDeadline bounds the wait for an answer the server did not say it
// holds back: a real loss on loopback, which should never happen.
const queryDeadline = 5 * time.Second

// faultSpot is where a DNS fault is in force.
type faultSpot struct {
	owner string // canonical
	zone  bool
}

func (f faultSpot) covers(name string) bool {
	return name == f.owner || (f.zone && (f.owner == "." || strings.HasSuffix(name, "."+f.owner)))
}

// faulty tells whether a fault covers name (canonical): its answers are
// not to be cached.
func (w *world) faulty(name string) bool {
	for _, f := range w.faults {
		if f.covers(name) {
			return true
		}
	}
	return false
}

// dnsFault starts or ends a fault at the fake server. Cached answers the
// fault changes are forgotten when it starts and when it ends, and none is
// cached while it lasts (a probabilistic fault answers differently from
// one query to the next).
func (w *world) dnsFault(e sim.DNSFault) error {
	spot := faultSpot{mdns.CanonicalName(e.Owner), e.Zone}
	w.forget(spot)
	if e.Clear {
		w.dns.ClearFault(spot.owner, spot.zone)
		for i, f := range w.faults {
			if f == spot {
				w.faults = append(w.faults[:i], w.faults[i+1:]...)
				break
			}
		}
		return nil
	}
	kind := map[string]fakedns.FaultKind{sim.FaultServfail: fakedns.FaultServfail, sim.FaultTimeout: fakedns.FaultTimeout, sim.FaultSlow: fakedns.FaultSlow}[e.Kind]
	if kind == "" {
		return fmt.Errorf("DNS fault %q: unknown kind", e.Kind)
	}
	if w.hold.conn == nil {
		w.hold.conn = w.dnsConn
		w.dns.OnHold(w.hold.held)
	}
	w.dns.SetFault(spot.owner, spot.zone, fakedns.Fault{Kind: kind, Probability: e.Probability, Seed: e.Seed, Delay: slowDelay})
	for _, f := range w.faults {
		if f == spot {
			return nil
		}
	}
	w.faults = append(w.faults, spot)
	return nil
}

// forget drops the cached answers for names the spot covers.
func (w *world) forget(spot faultSpot) {
	w.forgetMemos()
	if w.cache == nil {
		return
	}
	for k := range w.cache {
		if spot.covers(k.name) {
			delete(w.cache, k)
		}
	}
}

// holdState lets the fake server tell the runner, as soon as it decides
// so, that the answer to the query in flight is held back: the runner then
// stops waiting at once. The query really goes out and the server really
// does not answer (or answers late); only the wall-clock wait is skipped.
type holdState struct {
	mu    sync.Mutex
	conn  *mdns.Conn
	id    uint16
	kind  fakedns.FaultKind
	armed bool
}

// held is the server's OnHold hook.
func (h *holdState) held(id uint16, kind fakedns.FaultKind) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if id != h.id || h.conn == nil {
		return
	}
	h.kind = kind
	if h.armed {
		_ = h.conn.SetReadDeadline(time.Unix(1, 0))
	}
}

// heldError is a query whose answer the server held back.
type heldError struct{ kind fakedns.FaultKind }

func (e *heldError) Error() string {
	if e.kind == fakedns.FaultSlow {
		return "the answer came after ACM's resolver had given up (slow name server)"
	}
	return "no answer from the name server (timed out)"
}

// askHeld is one exchange that ends as soon as the server holds the answer
// back. A late answer that arrives later is skipped by its id.
func (w *world) askHeld(q *mdns.Msg) (*mdns.Msg, error) {
	h := &w.hold
	conn := w.dnsConn
	h.mu.Lock()
	h.conn, h.id, h.kind, h.armed = conn, q.Id, "", false
	h.mu.Unlock()
	if err := conn.SetWriteDeadline(time.Now().Add(queryDeadline)); err != nil {
		return nil, err
	}
	if err := conn.WriteMsg(q); err != nil {
		return nil, err
	}
	h.mu.Lock()
	if h.kind != "" {
		_ = conn.SetReadDeadline(time.Unix(1, 0))
	} else {
		_ = conn.SetReadDeadline(time.Now().Add(queryDeadline))
	}
	h.armed = true
	h.mu.Unlock()
	for {
		r, err := conn.ReadMsg()
		h.mu.Lock()
		kind := h.kind
		if err != nil || (r != nil && r.Id == q.Id) {
			h.id, h.armed = 0, false
		}
		h.mu.Unlock()
		switch {
		case err != nil && kind != "":
			return nil, &heldError{kind}
		case err != nil:
			return nil, err
		case r.Id == q.Id:
			return w.asNXDOMAIN(q.Question[0].Name, r), nil
		}
	}
}
