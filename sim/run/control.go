package run

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// maxTimelineBody bounds a POST /timeline body: a change is a small JSON
// object; a dns-add record is one zone-file fragment.
const maxTimelineBody = 64 << 10

// ControlHandler is the HTTP control API of a live run:
//
//	GET  /now                  virtual time, whether the run ended
//	POST /advance?d=24h        run for a duration (Go duration plus d and w)
//	POST /timeline             apply a world change now; body: {"do": …, "cert": …, …}
//	GET  /certificates         what ACM shows now (the record minus the status lag)
//	GET  /events?from=N        the record from entry N on, as JSON Lines
//	GET  /mail                 the messages in the SMTP sink
//	GET  /mail/{seq}           one message as raw RFC 5322
//	POST /mail/{seq}/click     follow its approval link, as its reader would
//
// What it refuses, always with {"error": reason} and the run unchanged:
// /advance with d missing, given twice, not a duration (read as scenarios
// read durations, and strictly: "1h ", "1h1h" and "1h;2h" are refused),
// negative, or beyond the scenario's until (400); /timeline with a body that is not one JSON
// object of known string members (400), larger than 64 KiB (413), of a
// Content-Type other than application/json, none, or
// application/x-www-form-urlencoded (what curl -d sends; 415), or a change
// the scenario could not hold: an unknown certificate or resource, an
// action on the wrong kind of certificate, a bad DNS record, name or type
// (400); /events?from= that is not a number (400); /mail/{seq} and its
// click with a seq that is not a message number (400) or no message's
// (404). A failure of the run itself is a 500. Other methods on these
// paths are 405. /certificates before the first certificate exists (or
// while its creation is within the status lag) lists only those that do,
// as the scenario starts them: never a blank record.
func ControlHandler(l *Live) http.Handler {
	c := control{l}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /now", c.now)
	mux.HandleFunc("POST /advance", c.advance)
	mux.HandleFunc("POST /timeline", c.timeline)
	mux.HandleFunc("GET /certificates", c.certificates)
	mux.HandleFunc("GET /events", c.events)
	mux.HandleFunc("GET /mail", c.mail)
	mux.HandleFunc("GET /mail/{seq}", c.message)
	mux.HandleFunc("POST /mail/{seq}/click", c.click)
	return mux
}

// control answers the control API's requests from a live run.
type control struct{ l *Live }

func (c control) now(w http.ResponseWriter, _ *http.Request) {
	l := c.l
	writeJSON(w, http.StatusOK, map[string]any{"now": l.Now().UTC().Format(time.RFC3339), "until": l.Scenario().Until.UTC().Format(time.RFC3339), "ended": l.Ended()})
}

func (c control) advance(w http.ResponseWriter, r *http.Request) {
	d, err := durationParam(r.URL.RawQuery, "d")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := c.l.Advance(d); err != nil {
		writeRunError(w, "d: ", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": c.l.Now().UTC().Format(time.RFC3339), "ended": c.l.Ended()})
}

func (c control) timeline(w http.ResponseWriter, r *http.Request) {
	ch, status, msg := readChange(w, r)
	if status != 0 {
		writeError(w, status, msg)
		return
	}
	if err := c.l.Inject(ch); err != nil {
		writeRunError(w, "", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"applied": ch.Do, "at": c.l.Now().UTC().Format(time.RFC3339)})
}

// readChange reads the body of POST /timeline: one change, as JSON. A
// status other than 0 refuses it, with msg.
func readChange(w http.ResponseWriter, r *http.Request) (ch sim.Change, status int, msg string) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "application/x-www-form-urlencoded") {
			return ch, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q: send the change as application/json", ct)
		}
	}
	if r.ContentLength > maxTimelineBody {
		return ch, http.StatusRequestEntityTooLarge, fmt.Sprintf("body: %d bytes; a change takes at most %d", r.ContentLength, maxTimelineBody)
	}
	var c struct {
		Do, Cert, Resource, Record, Name, Type, Domain, Address string
		Zone, Fault, Reason                                     string
		NotAfter                                                string `json:"not_after"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxTimelineBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(&c)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("more follows the object")
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return ch, http.StatusRequestEntityTooLarge, fmt.Sprintf("body: more than %d bytes; a change takes at most that", maxTimelineBody)
	case err != nil:
		return ch, http.StatusBadRequest, "body: want one JSON object like {\"do\":\"delete-validation-record\",\"cert\":\"web\"}: " + err.Error()
	}
	ch = sim.Change{Do: c.Do, Cert: c.Cert, Resource: c.Resource, Record: c.Record, Name: c.Name, Type: c.Type, Domain: c.Domain, Address: c.Address,
		Zone: c.Zone, Fault: c.Fault, Reason: c.Reason}
	if c.NotAfter != "" {
		na, err := time.Parse(time.RFC3339, c.NotAfter)
		if err != nil {
			return ch, http.StatusBadRequest, fmt.Sprintf("not_after: want an RFC 3339 time, got %q", c.NotAfter)
		}
		ch.NotAfter = na.UTC()
	}
	return ch, 0, ""
}

func (c control) certificates(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, c.l.View())
}

func (c control) events(w http.ResponseWriter, r *http.Request) {
	from := 0
	if text := r.URL.Query().Get("from"); text != "" {
		var err error
		if from, err = strconv.Atoi(text); err != nil || from < 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("from: want an entry number, 0 or more, got %q", text))
			return
		}
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	for _, e := range c.l.Entries(from) {
		_ = enc.Encode(e)
	}
}

func (c control) mail(w http.ResponseWriter, _ *http.Request) {
	type msg struct {
		Seq      int      `json:"seq"`
		From     string   `json:"from"`
		To       []string `json:"to"`
		Subject  string   `json:"subject"`
		Received string   `json:"received"`
	}
	out := []msg{}
	for _, m := range c.l.Messages() {
		out = append(out, msg{m.Seq, m.From, m.To, m.Subject, m.ReceivedAt.UTC().Format(time.RFC3339)})
	}
	writeJSON(w, http.StatusOK, out)
}

func (c control) message(w http.ResponseWriter, r *http.Request) {
	seq, ok := messageNumber(w, r)
	if !ok {
		return
	}
	for _, m := range c.l.Messages() {
		if m.Seq == seq {
			w.Header().Set("Content-Type", "message/rfc822")
			_, _ = w.Write(m.Raw)
			return
		}
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("no message %d", seq))
}

func (c control) click(w http.ResponseWriter, r *http.Request) {
	seq, ok := messageNumber(w, r)
	if !ok {
		return
	}
	res, err := c.l.ClickMessage(seq)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// durationParam reads the query parameter name as a duration, with the
// parser and the messages of the scenario loader (sim.ParseDuration), and
// strictly: given once, with no space around it ("1h " is refused, as are
// "1h1h" and "1h;2h"). The query is split at "&" only, so that a ";" stays
// in the value and the parser says what is wrong with it, where Go's own
// query parser would drop the parameter and report it missing.
func durationParam(rawQuery, name string) (time.Duration, error) {
	var values []string
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return 0, fmt.Errorf("query: %q: %v", k, err)
		}
		if key != name {
			continue
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return 0, fmt.Errorf("%s: %q: %v", name, v, err)
		}
		values = append(values, value)
	}
	switch {
	case len(values) == 0:
		return 0, fmt.Errorf("%s: missing: want a duration like 45d, 1d12h or 30m, as in ?%s=24h", name, name)
	case len(values) > 1:
		return 0, fmt.Errorf("%s: given %d times (%s): give it once", name, len(values), strings.Join(quoteAll(values), ", "))
	case values[0] != strings.TrimSpace(values[0]):
		return 0, fmt.Errorf("%s: want a duration like 45d, 1d12h or 30m, got %q", name, values[0])
	}
	d, err := sim.ParseDuration(values[0])
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// messageNumber reads the {seq} of a /mail path, or answers 400 saying
// what is wrong with it.
func messageNumber(w http.ResponseWriter, r *http.Request) (int, bool) {
	text := r.PathValue("seq")
	seq, err := strconv.Atoi(text)
	if err != nil || seq < 1 || text != strconv.Itoa(seq) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("mail/%s: want a message number, 1 or more, as GET /mail lists them, got %q", text, text))
		return 0, false
	}
	return seq, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// writeRunError answers a refused input 400 (prefixed with what it was
// about), and a failure of the run 500.
func writeRunError(w http.ResponseWriter, prefix string, err error) {
	if isRefusal(err) {
		writeError(w, http.StatusBadRequest, prefix+err.Error())
		return
	}
	writeError(w, http.StatusInternalServerError, err.Error())
}
