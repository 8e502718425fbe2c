package dns_test

import (
	"net"
	"sync"
	"testing"
	"time"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
)

var faultZone = []string{
	"example.com. A 192.0.2.1",
	"_v.example.com. CNAME _t.acm-validations.aws.",
	"www.sub.example.com. A 192.0.2.2",
	"example.org. A 192.0.2.3",
}

// holdWatcher answers a query over one UDP connection and, when the server
// says it holds the answer back, stops waiting at once: the way the
// simulator's runner avoids running into its read deadline.
type holdWatcher struct {
	mu    sync.Mutex
	conn  *mdns.Conn
	id    uint16
	held  fakedns.FaultKind
	armed bool
}

func watch(t *testing.T, s *fakedns.Server) *holdWatcher {
	t.Helper()
	c, err := (&mdns.Client{Net: "udp"}).Dial(s.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	w := &holdWatcher{conn: c}
	s.OnHold(func(id uint16, kind fakedns.FaultKind) {
		w.mu.Lock()
		defer w.mu.Unlock()
		if id == w.id {
			w.held = kind
			if w.armed {
				_ = w.conn.SetReadDeadline(time.Unix(1, 0))
			}
		}
	})
	return w
}

// ask sends one query and returns its answer, or the kind of fault that
// held it back.
func (w *holdWatcher) ask(t *testing.T, id uint16, name string, qtype uint16) (*mdns.Msg, fakedns.FaultKind) {
	t.Helper()
	q := new(mdns.Msg).SetQuestion(name, qtype)
	q.Id = id
	w.mu.Lock()
	w.id, w.held, w.armed = id, "", false
	w.mu.Unlock()
	require.NoError(t, w.conn.WriteMsg(q))
	w.mu.Lock()
	if w.held != "" {
		_ = w.conn.SetReadDeadline(time.Unix(1, 0))
	} else {
		_ = w.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	}
	w.armed = true
	w.mu.Unlock()
	for {
		r, err := w.conn.ReadMsg()
		w.mu.Lock()
		held := w.held
		w.mu.Unlock()
		if err != nil {
			var ne net.Error
			require.ErrorAs(t, err, &ne)
			require.NotEmpty(t, held, "a read deadline passed without a hold: %v", err)
			return nil, held
		}
		if r.Id == id {
			require.Empty(t, held)
			return r, ""
		}
	}
}

func TestFaultKinds(t *testing.T) {
	s := startServer(t, faultZone...)
	w := watch(t, s)
	s.SetFault("example.com.", true, fakedns.Fault{Kind: fakedns.FaultServfail})
	s.SetFault("_v.example.com.", false, fakedns.Fault{Kind: fakedns.FaultTimeout})
	s.SetFault("sub.example.com.", true, fakedns.Fault{Kind: fakedns.FaultSlow, Delay: time.Millisecond})
	for i, tc := range []struct {
		name  string
		qtype uint16
		rcode string
		held  fakedns.FaultKind
	}{
		{"example.com.", mdns.TypeA, "SERVFAIL", ""},
		{"nx.example.com.", mdns.TypeA, "SERVFAIL", ""},
		{"_V.example.com.", mdns.TypeCNAME, "", fakedns.FaultTimeout}, // the name fault wins over the zone's
		{"www.sub.example.com.", mdns.TypeA, "", fakedns.FaultSlow},   // the nearest zone wins
		{"example.org.", mdns.TypeA, "NOERROR", ""},                   // outside every fault
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, held := w.ask(t, uint16(100+i), tc.name, tc.qtype)
			assert.Equal(t, tc.held, held)
			if tc.rcode != "" {
				require.NotNil(t, r)
				assert.Equal(t, tc.rcode, mdns.RcodeToString[r.Rcode])
			}
		})
	}
	// The slow answer arrives after all, and a later query skips it.
	r, held := w.ask(t, 200, "example.org.", mdns.TypeA)
	require.Empty(t, held)
	assert.Len(t, r.Answer, 1)
	s.ClearFault("sub.example.com.", true)
	s.ClearFault("_v.example.com.", false)
	r, held = w.ask(t, 201, "www.sub.example.com.", mdns.TypeA)
	require.Empty(t, held)
	assert.Equal(t, "SERVFAIL", mdns.RcodeToString[r.Rcode], "the outer zone's fault applies once the nearer one is gone")
	r, held = w.ask(t, 202, "_v.example.com.", mdns.TypeCNAME)
	require.Empty(t, held)
	assert.Equal(t, "SERVFAIL", mdns.RcodeToString[r.Rcode], "the zone's fault applies once the name's is gone")
	h := s.History()
	require.GreaterOrEqual(t, len(h), 3)
	assert.Equal(t, "TIMEOUT", h[2].Rcode)
}

// Which queries a probabilistic fault strikes depends on the seed and the
// question's count only: two servers with the same fault strike the same
// queries, and about the share asked.
func TestFaultProbabilityIsSeeded(t *testing.T) {
	strikes := func(seed uint64) []bool {
		s := startServer(t, faultZone...)
		s.SetFault("example.com.", false, fakedns.Fault{Kind: fakedns.FaultServfail, Probability: 0.3, Seed: seed})
		var out []bool
		for range 200 {
			r := exchange(t, s, "udp", "example.com.", mdns.TypeA)
			out = append(out, r.Rcode == mdns.RcodeServerFailure)
		}
		return out
	}
	a, b, c := strikes(7), strikes(7), strikes(8)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)
	n := 0
	for i, hit := range a {
		assert.Equal(t, fakedns.Strikes(7, "example.com.", "A", uint64(i), 0.3), hit, "query %d", i)
		if hit {
			n++
		}
	}
	assert.InDelta(t, 60, n, 25)
}

func TestStrikes(t *testing.T) {
	for _, p := range []float64{0, 1, 1.5} {
		assert.True(t, fakedns.Strikes(1, "a.", "A", 3, p), "p=%v strikes every query", p)
	}
	hits := 0
	for n := range uint64(10000) {
		if fakedns.Strikes(42, "example.com.", "CNAME", n, 0.25) {
			hits++
		}
	}
	assert.InDelta(t, 2500, hits, 200)
	assert.Equal(t, fakedns.Strikes(42, "Example.COM.", "CNAME", 5, 0.5), fakedns.Strikes(42, "example.com.", "CNAME", 5, 0.5))
}

// A slow answer held for an hour does not keep Close waiting.
func TestCloseWhileHoldingSlowAnswer(t *testing.T) {
	defer goleak.VerifyNone(t)
	s := fakedns.New(fakedns.Config{Zones: testZones})
	require.NoError(t, s.Start())
	require.NoError(t, s.Add(faultZone...))
	held := make(chan struct{}, 1)
	s.OnHold(func(uint16, fakedns.FaultKind) { held <- struct{}{} })
	s.SetFault("example.com.", false, fakedns.Fault{Kind: fakedns.FaultSlow, Delay: time.Hour})
	c, err := (&mdns.Client{Net: "udp"}).Dial(s.Addr())
	require.NoError(t, err)
	require.NoError(t, c.WriteMsg(new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA)))
	<-held
	done := make(chan error)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("Close waited for the held answer")
	}
	require.NoError(t, c.Close())
}
