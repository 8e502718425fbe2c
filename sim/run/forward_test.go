package run

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

// handler is a tiny user endpoint that records what it receives and fails
// the first attempt at every event, to exercise the retries.
type handler struct {
	mu       sync.Mutex
	got      []map[string]any
	attempts map[string]int
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var ev map[string]any
	if err := json.Unmarshal(b, &ev); err != nil || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	id, _ := ev["id"].(string)
	h.attempts[id]++
	if h.attempts[id] == 1 {
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	h.got = append(h.got, ev)
}

// The user's handler receives exactly the EventBridge events of
// dns-missing-cname, in virtual-time order, with their full envelopes.
func TestForwardDeliversTheSequenceOfMissingCNAME(t *testing.T) {
	res, _ := runLibrary(t, "dns-missing-cname", nil)
	h := &handler{attempts: map[string]int{}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	var slept []time.Duration
	f := &Forwarder{URL: srv.URL, Client: srv.Client(), Retries: 2, Backoff: time.Second, Sleep: func(d time.Duration) { slept = append(slept, d) }}
	require.NoError(t, f.Forward(context.Background(), res.Log))

	var want []*sim.Event
	for _, e := range res.Log {
		if e.Kind == sim.KindEventBus {
			want = append(want, e.Detail.Event)
		}
	}
	require.Len(t, h.got, len(want))
	var types []string
	for i, ev := range h.got {
		assert.Equal(t, want[i].ID, ev["id"])
		for _, k := range []string{"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"} {
			assert.Contains(t, ev, k)
		}
		if dt := ev["detail-type"].(string); dt != sim.EventApproaching && dt != sim.EventHealth {
			types = append(types, dt)
		}
		if i > 0 {
			assert.LessOrEqual(t, h.got[i-1]["time"], ev["time"], "virtual-time order")
		}
	}
	assert.Equal(t, []string{
		sim.EventActionRequired, sim.EventActionRequired, sim.EventActionRequired,
		sim.EventActionRequired, sim.EventActionRequired, sim.EventExpired,
	}, types)
	sent, failed := f.Stats()
	assert.Equal(t, len(want), sent)
	assert.Zero(t, failed)
	assert.Len(t, slept, len(want), "one retry per event")
}

func TestForwardWarnsWhenTheTargetKeepsFailing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	defer srv.Close()
	var warn strings.Builder
	f := &Forwarder{URL: srv.URL, Client: srv.Client(), Retries: 3, Backoff: time.Millisecond, Sleep: func(time.Duration) {}, Warn: &warn}
	log := []sim.Entry{{Kind: sim.KindEventBus, Detail: &sim.Detail{Event: &sim.Event{ID: "e1", DetailType: sim.EventExpired}}}}
	require.NoError(t, f.Forward(context.Background(), log))
	_, failed := f.Stats()
	assert.Equal(t, 1, failed)
	assert.Contains(t, warn.String(), `could not deliver "ACM Certificate Expired" event e1`)
	assert.Contains(t, warn.String(), "after 4 attempts: HTTP 500")
}
