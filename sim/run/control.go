package run

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/renewsim/renewsim/sim"
)

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
func ControlHandler(l *Live) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /now", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"now": l.Now().UTC().Format(time.RFC3339), "until": l.Scenario().Until.UTC().Format(time.RFC3339), "ended": l.Ended()})
	})
	mux.HandleFunc("POST /advance", func(w http.ResponseWriter, r *http.Request) {
		d, err := sim.ParseDuration(r.URL.Query().Get("d"))
		if err != nil || d < 0 {
			writeError(w, http.StatusBadRequest, "d: want a duration like 24h or 7d")
			return
		}
		if err := l.Advance(d); err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"now": l.Now().UTC().Format(time.RFC3339), "ended": l.Ended()})
	})
	mux.HandleFunc("POST /timeline", func(w http.ResponseWriter, r *http.Request) {
		var c struct {
			Do, Cert, Resource, Record, Name, Type, Domain, Address string
		}
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			writeError(w, http.StatusBadRequest, "body: want a JSON object like {\"do\":\"delete-validation-record\",\"cert\":\"web\"}: "+err.Error())
			return
		}
		ch := sim.Change{Do: c.Do, Cert: c.Cert, Resource: c.Resource, Record: c.Record, Name: c.Name, Type: c.Type, Domain: c.Domain, Address: c.Address}
		if err := l.Inject(ch); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"applied": c.Do, "at": l.Now().UTC().Format(time.RFC3339)})
	})
	mux.HandleFunc("GET /certificates", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, l.View())
	})
	mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) {
		from, _ := strconv.Atoi(r.URL.Query().Get("from"))
		w.Header().Set("Content-Type", "application/x-ndjson")
		enc := json.NewEncoder(w)
		for _, e := range l.Entries(from) {
			_ = enc.Encode(e)
		}
	})
	mux.HandleFunc("GET /mail", func(w http.ResponseWriter, _ *http.Request) {
		type msg struct {
			Seq      int      `json:"seq"`
			From     string   `json:"from"`
			To       []string `json:"to"`
			Subject  string   `json:"subject"`
			Received string   `json:"received"`
		}
		out := []msg{}
		for _, m := range l.Messages() {
			out = append(out, msg{m.Seq, m.From, m.To, m.Subject, m.ReceivedAt.UTC().Format(time.RFC3339)})
		}
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("GET /mail/{seq}", func(w http.ResponseWriter, r *http.Request) {
		seq, _ := strconv.Atoi(r.PathValue("seq"))
		for _, m := range l.Messages() {
			if m.Seq == seq {
				w.Header().Set("Content-Type", "message/rfc822")
				_, _ = w.Write(m.Raw)
				return
			}
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("no message %d", seq))
	})
	mux.HandleFunc("POST /mail/{seq}/click", func(w http.ResponseWriter, r *http.Request) {
		seq, _ := strconv.Atoi(r.PathValue("seq"))
		res, err := l.ClickMessage(seq)
		if err != nil {
			writeError(w, http.StatusNotFound, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
	return mux
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
