package run

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// Forwarder delivers the EventBridge events of a record to a user's HTTP
// endpoint: each event's full envelope is POSTed as JSON, one request per
// event, in record (virtual-time) order. A failed delivery (an error or a
// status outside 2xx) is retried; delivery is at least once.
type Forwarder struct {
	URL     string
	Client  *http.Client
	Retries int                 // attempts after the first, per event
	Backoff time.Duration       // before the first retry; doubles up to 30 s
	Sleep   func(time.Duration) // waits between retries (the caller's clock)
	Warn    io.Writer           // told when an event could not be delivered

	sent, failed int
}

// Stats says how many events were delivered and how many were given up.
func (f *Forwarder) Stats() (sent, failed int) { return f.sent, f.failed }

// Forward delivers the EventBridge events among entries. It returns ctx's
// error if cancelled; an event that keeps failing is reported on Warn and
// skipped, so one bad event does not stop the rest.
func (f *Forwarder) Forward(ctx context.Context, entries []sim.Entry) error {
	for _, e := range entries {
		if e.Kind != sim.KindEventBus || e.Detail.Event == nil {
			continue
		}
		if err := f.deliver(ctx, e.Detail.Event); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f.failed++
			if f.Warn != nil {
				fmt.Fprintf(f.Warn, "renewsim: warning: could not deliver %q event %s to %s after %d attempts: %v\n",
					e.Detail.Event.DetailType, e.Detail.Event.ID, f.URL, f.Retries+1, err)
			}
			continue
		}
		f.sent++
	}
	return nil
}

func (f *Forwarder) deliver(ctx context.Context, ev *sim.Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	wait := f.Backoff
	var last error
	for attempt := 0; attempt <= f.Retries; attempt++ {
		if attempt > 0 && f.Sleep != nil {
			f.Sleep(wait)
			wait = min(wait*2, 30*time.Second)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.URL, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return nil
		}
		last = fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return last
}
