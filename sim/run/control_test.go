package run

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

// Hostile requests to the control API: each is refused with a 400 (413,
// 415) and a reason, and the run is exactly as it was.

// clientDeadline bounds every request these tests make.
const clientDeadline = 10 * time.Second

// startControl serves l's control API on 127.0.0.1 for the test.
func startControl(t *testing.T, l *Live) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewServer(ControlHandler(l))
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return srv, &http.Client{Transport: tr, Timeout: clientDeadline}
}

// state is what a refused request must leave alone.
type state struct {
	now        time.Time
	ended      bool
	entries    int
	dnsVersion uint64
	records    int
	mail       int
}

func stateOf(l *Live) state {
	l.mu.Lock()
	defer l.mu.Unlock()
	return state{
		now:        l.r.eng.Now(),
		ended:      l.ended,
		entries:    len(l.r.model.Record()),
		dnsVersion: l.w.dns.Version(),
		records:    len(l.w.dns.Records()),
		mail:       l.w.sink.Len(),
	}
}

type reply struct {
	status int
	err    string
	body   map[string]any
}

func send(t *testing.T, hc *http.Client, method, url, contentType string, body io.Reader) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if len(raw) > 0 && resp.Header.Get("Content-Type") == "application/json" {
		require.NoError(t, json.Unmarshal(raw, &out), "%s", raw)
	}
	msg, _ := out["error"].(string)
	return reply{resp.StatusCode, msg, out}
}

func TestControlAdvanceRefusals(t *testing.T) {
	l := startLive(t, "dns-happy")
	srv, hc := startControl(t, l)
	left := l.Scenario().Until.Sub(l.Now())

	for _, tc := range []struct {
		name, d, reason string
	}{
		{"missing", "", "empty"},
		{"garbage", "soon", `"soon"`},
		{"unit unknown", "3x", `"3x"`},
		{"scientific", "1e3h", `"1e3h"`},
		{"trailing garbage", "24h;rm", `"24h;rm"`},
		{"negative", "-1h", "negative"},
		{"negative days", "-7d", "negative"},
		{"too long to represent", "99999999999999999999d", "too long"},
		{"beyond until", "10000d", "would pass the end of the scenario"},
		{"one second beyond until", sim.FormatDuration(left + time.Second), "at most " + sim.FormatDuration(left) + " remain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := stateOf(l)
			r := send(t, hc, http.MethodPost, srv.URL+"/advance?d="+url.QueryEscape(tc.d), "", nil)
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.Contains(t, r.err, tc.reason)
			assert.True(t, strings.HasPrefix(r.err, "d: "), r.err)
			assert.Equal(t, before, stateOf(l), "a refused /advance changed the run")
		})
	}

	// Strict: what the query holds is exactly the duration, once. These
	// are sent as written, unescaped.
	for _, tc := range []struct{ name, query, reason string }{
		{"no d at all", "", `d: missing: want a duration like 45d, 1d12h or 30m, as in ?d=24h`},
		{"a unit twice", "d=1h1h", `d: duration "1h1h" gives h twice: give each unit once, largest first, as in 1d12h`},
		{"units out of order", "d=30m1h", `d: duration "30m1h" gives m before h: give each unit once, largest first, as in 1d12h`},
		{"a space after", "d=1h%20", `d: want a duration like 45d, 1d12h or 30m, got "1h "`},
		{"a plus (a space) after", "d=1h+", `d: want a duration like 45d, 1d12h or 30m, got "1h "`},
		{"a space before", "d=+1h", `d: want a duration like 45d, 1d12h or 30m, got " 1h"`},
		{"a semicolon", "d=1h;2h", `d: want a duration like 45d, 1d12h or 30m, got "1h;2h"`},
		{"twice", "d=1h&d=2h", `d: given 2 times ("1h", "2h"): give it once`},
		{"a bad escape", "d=1h%zz", `d: "1h%zz": invalid URL escape "%zz"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := stateOf(l)
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/advance", nil)
			require.NoError(t, err)
			req.URL.RawQuery = tc.query
			resp, err := hc.Do(req)
			require.NoError(t, err)
			var out map[string]string
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
			resp.Body.Close()
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Equal(t, tc.reason, out["error"])
			assert.Equal(t, before, stateOf(l), "a refused /advance changed the run")
		})
	}

	// The whole remaining time is fine; after it only 0 is.
	r := send(t, hc, http.MethodPost, srv.URL+"/advance?d="+sim.FormatDuration(left), "", nil)
	require.Equal(t, http.StatusOK, r.status, r.err)
	assert.Equal(t, true, r.body["ended"])
	before := stateOf(l)
	r = send(t, hc, http.MethodPost, srv.URL+"/advance?d=1s", "", nil)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.err, "the run has ended")
	r = send(t, hc, http.MethodPost, srv.URL+"/advance?d=0", "", nil)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, before, stateOf(l))

	// Only POST moves the clock.
	r = send(t, hc, http.MethodGet, srv.URL+"/advance?d=1h", "", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
}

func TestControlTimelineRefusals(t *testing.T) {
	l := startLive(t, "dns-happy")
	srv, hc := startControl(t, l)
	timeline := srv.URL + "/timeline"

	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		reason                  string
	}{
		{"not JSON", "application/json", `delete the record`, 400, "want one JSON object"},
		{"empty", "application/json", ``, 400, "EOF"},
		{"array", "application/json", `[{"do":"export","cert":"web"}]`, 400, "want one JSON object"},
		{"two objects", "application/json", `{"do":"export","cert":"web"} {"do":"export","cert":"web"}`, 400, "more follows"},
		{"number for a string", "application/json", `{"do":5}`, 400, "want one JSON object"},
		{"unknown member", "application/json", `{"do":"export","cert":"web","force":true}`, 400, `unknown field "force"`},
		{"truncated", "application/json", `{"do":"export","cert":`, 400, "want one JSON object"},
		{"no action", "application/json", `{}`, 400, `unknown action ""`},
		{"unknown action", "application/json", `{"do":"explode","cert":"web"}`, 400, `unknown action "explode"`},
		{"unknown certificate", "application/json", `{"do":"delete-validation-record","cert":"nope"}`, 400, `unknown certificate "nope" (the scenario has web)`},
		{"resend for a DNS certificate", "application/json", `{"do":"resend-validation-email","cert":"web"}`, 400, "needs an e-mail-validated certificate"},
		{"renew an unknown certificate", "application/json", `{"do":"renew-certificate","cert":"nope"}`, 400, `unknown certificate "nope"`},
		{"dns-fault without a fault", "application/json", `{"do":"dns-fault","zone":"example.com"}`, 400, "needs a fault"},
		{"dns-fault with name and zone", "application/json", `{"do":"dns-fault","name":"a.example.com","zone":"example.com","fault":"timeout"}`, 400, "a name or a zone"},
		{"dns-fault on a bad name", "application/json", `{"do":"dns-fault","zone":"a..b","fault":"timeout"}`, 400, "not a domain name"},
		{"pca-failure on a public certificate", "application/json", `{"do":"pca-failure","cert":"web","reason":"PCA_INVALID_STATE"}`, 400, "needs a private certificate"},
		{"reimport of a public certificate", "application/json", `{"do":"reimport","cert":"web","not_after":"2030-01-01T00:00:00Z"}`, 400, "needs an imported certificate"},
		{"reimport with a bad time", "application/json", `{"do":"reimport","cert":"web","not_after":"soon"}`, 400, "RFC 3339"},
		{"click without e-mail validation", "application/json", `{"do":"click-approval","domain":"example.com"}`, 400, "needs a name of an e-mail-validated certificate"},
		{"unknown resource", "application/json", `{"do":"attach","cert":"web","resource":"nope"}`, 400, `unknown resource "nope"`},
		{"bad record", "application/json", `{"do":"dns-add","record":"not a record"}`, 400, "bad DNS record"},
		{"relative record", "application/json", `{"do":"dns-add","record":"www A 192.0.2.1"}`, 400, "relative name"},
		{"blank record", "application/json", `{"do":"dns-add","record":"  "}`, 400, "bad DNS record"},
		{"unknown RR type", "application/json", `{"do":"dns-delete","name":"example.com.","type":"BOGUS"}`, 400, `"BOGUS" is not an RR type`},
		{"bad name", "application/json", `{"do":"dns-delete","name":"a..b"}`, 400, "not a domain name"},
		{"mailbox without @", "application/json", `{"do":"mailbox-reject","address":"nobody"}`, 400, "needs an e-mail address"},
		{"XML", "application/xml", `<change do="export"/>`, 415, "application/json"},
		{"multipart", "multipart/form-data; boundary=x", `{"do":"export","cert":"web"}`, 415, "application/json"},
		{"bad content type", "%%", `{"do":"export","cert":"web"}`, 415, "application/json"},
		{"just too big", "application/json", `{"do":"dns-add","record":"` + strings.Repeat("x", maxTimelineBody) + `"}`, 413, "at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := stateOf(l)
			r := send(t, hc, http.MethodPost, timeline, tc.contentType, strings.NewReader(tc.body))
			assert.Equal(t, tc.status, r.status, r.err)
			assert.Contains(t, r.err, tc.reason)
			assert.Equal(t, before, stateOf(l), "a refused change changed the run")
		})
	}

	// A valid change still applies, also as curl -d sends it.
	before := stateOf(l)
	r := send(t, hc, http.MethodPost, timeline, "application/x-www-form-urlencoded", strings.NewReader(`{"do":"delete-validation-record","cert":"web"}`))
	require.Equal(t, http.StatusOK, r.status, r.err)
	after := stateOf(l)
	assert.Greater(t, after.entries, before.entries)
	assert.NotEqual(t, before.dnsVersion, after.dnsVersion)
}

// A change for the wrong kind of certificate, in a scenario with e-mail
// validation.
func TestControlTimelineRefusalsEmail(t *testing.T) {
	l := startLive(t, "email-unclicked")
	srv, hc := startControl(t, l)
	for body, reason := range map[string]string{
		`{"do":"delete-validation-record","cert":"web"}`:  "needs a dns- or http-validated certificate",
		`{"do":"restore-validation-record","cert":"web"}`: "needs a dns- or http-validated certificate",
		`{"do":"click-approval","domain":"nope.example"}`: "needs a name of an e-mail-validated certificate",
	} {
		before := stateOf(l)
		r := send(t, hc, http.MethodPost, srv.URL+"/timeline", "application/json", strings.NewReader(body))
		assert.Equal(t, http.StatusBadRequest, r.status, body)
		assert.Contains(t, r.err, reason, body)
		assert.Equal(t, before, stateOf(l), body)
	}
	r := send(t, hc, http.MethodPost, srv.URL+"/timeline", "application/json", strings.NewReader(`{"do":"click-approval","domain":"EXAMPLE.com"}`))
	assert.Equal(t, http.StatusOK, r.status, r.err)
}

// endless is a body that never ends on its own: the test counts what the
// server took of it.
type endless struct {
	mu   sync.Mutex
	read int64
	left int64
}

func (e *endless) Read(b []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.left == 0 {
		return 0, io.EOF
	}
	n := min(int64(len(b)), e.left)
	for i := range b[:n] {
		b[i] = ' '
	}
	e.left -= n
	e.read += n
	return int(n), nil
}

// A 100 MB body, announced or chunked, is refused 413 before it is all
// sent, and the run is unchanged.
func TestControlHundredMegabyteBody(t *testing.T) {
	l := startLive(t, "dns-happy")
	srv, hc := startControl(t, l)
	const size = 100 << 20
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprint("chunked=", chunked), func(t *testing.T) {
			before := stateOf(l)
			body := &endless{left: size}
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/timeline", io.MultiReader(strings.NewReader(`{"do":"export","cert":"web","record":"`), body))
			require.NoError(t, err)
			if !chunked {
				req.ContentLength = size + 40
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
			body.mu.Lock()
			sent := body.read
			body.mu.Unlock()
			assert.Less(t, sent, int64(size), "the server read the whole body")
			assert.Equal(t, before, stateOf(l))
		})
	}
	r := send(t, hc, http.MethodGet, srv.URL+"/now", "", nil)
	assert.Equal(t, http.StatusOK, r.status)
}

// What is wrong with a message number is said, and so is a number no
// message has.
func TestControlMailNumbers(t *testing.T) {
	l := startLive(t, "dns-happy")
	srv, hc := startControl(t, l)
	for _, seq := range []string{"abc", "0", "-1", "1.5", "01", "99999999999999999999"} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			path := "/mail/" + seq
			if method == http.MethodPost {
				path += "/click"
			}
			r := send(t, hc, method, srv.URL+path, "", nil)
			assert.Equal(t, http.StatusBadRequest, r.status, path)
			assert.Equal(t, fmt.Sprintf("mail/%s: want a message number, 1 or more, as GET /mail lists them, got %q", seq, seq), r.err, path)
		}
	}
	r := send(t, hc, http.MethodGet, srv.URL+"/mail/7", "", nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "no message 7", r.err)
	r = send(t, hc, http.MethodPost, srv.URL+"/mail/7/click", "", nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "no message 7", r.err)
}

// Before the first step, and while the status lag reaches back before the
// start, /certificates shows each certificate as the scenario starts it:
// never a blank record dated 0001-01-01.
func TestControlCertificatesAtTheStart(t *testing.T) {
	for _, name := range []string{"dns-happy", "email-unclicked", "imported-cert", "private-cert"} {
		t.Run(name, func(t *testing.T) {
			l := startLive(t, name)
			require.Positive(t, l.Scenario().Profile.StatusLag, "the lag is what made the record blank")
			srv, hc := startControl(t, l)
			resp, err := hc.Get(srv.URL + "/certificates")
			require.NoError(t, err)
			raw, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			assert.NotContains(t, string(raw), "0001-01-01")
			var views []sim.CertView
			require.NoError(t, json.Unmarshal(raw, &views))
			require.Len(t, views, len(l.Scenario().Certificates))
			for i, v := range views {
				c := l.Scenario().Certificates[i]
				assert.NotEmpty(t, v.ARN, c.ID)
				assert.Equal(t, c.NotAfter, v.NotAfter, c.ID)
				assert.False(t, v.CreatedAt.IsZero(), c.ID)
			}
		})
	}
}

func TestControlEventsFrom(t *testing.T) {
	l := startLive(t, "dns-happy")
	srv, hc := startControl(t, l)
	for _, from := range []string{"x", "-1", "1.5", "99999999999999999999"} {
		r := send(t, hc, http.MethodGet, srv.URL+"/events?from="+from, "", nil)
		assert.Equal(t, http.StatusBadRequest, r.status, from)
		assert.Contains(t, r.err, "from:", from)
	}
	resp, err := hc.Get(srv.URL + "/events?from=1000000")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, b)
}

// 500 requests at once: the reads answer, and the 250 one-hour steps add
// up to exactly 250 hours, none lost to a race.
func TestControlFiveHundredConcurrentRequests(t *testing.T) {
	l := startLive(t, "dns-happy")
	srv, hc := startControl(t, l)
	start := l.Now()
	const n = 500
	paths := []string{"/now", "/certificates", "/events?from=0", "/mail"}
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			method, path := http.MethodGet, paths[(i/2)%len(paths)]
			if i%2 == 0 {
				method, path = http.MethodPost, "/advance?d=1h"
			}
			req, err := http.NewRequest(method, srv.URL+path, nil)
			if !assert.NoError(t, err) {
				return
			}
			resp, err := hc.Do(req)
			if !assert.NoError(t, err) {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, s := range statuses {
		assert.Equal(t, http.StatusOK, s, "request %d", i)
	}
	assert.Equal(t, start.Add(n/2*time.Hour), l.Now())
}
