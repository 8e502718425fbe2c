package approval_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/approval"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

const validity = 72 * time.Hour

// startServer starts a server on a fake clock at t0 and returns it with an
// HTTP client of its own. At the end of the test the client's idle
// connections and the server are closed and goroutine leaks are checked.
func startServer(t *testing.T) (*approval.Server, *clockwork.FakeClock, *http.Client) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	s := approval.New(approval.Config{Clock: clock})
	require.NoError(t, s.Start())
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(func() {
		require.NoError(t, s.Close())
		goleak.VerifyNone(t)
	})
	t.Cleanup(hc.CloseIdleConnections) // runs first
	return s, clock, hc
}

func request(code, domain string) approval.Request {
	return approval.Request{
		Code:             code,
		Context:          "ctx-" + code,
		Domain:           domain,
		ValidationDomain: "example.com",
		CertificateARN:   "arn:aws:acm:us-east-1:123456789012:certificate/" + code,
		Account:          "123456789012",
		Region:           "us-east-1",
		ExpiresAt:        t0.Add(validity),
	}
}

type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, hc *http.Client, method, target string, form url.Values) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{resp.StatusCode, resp.Header, string(b)}
}

func form(code, context string) url.Values {
	return url.Values{"code": {code}, "context": {context}}
}

func TestRegisterLink(t *testing.T) {
	s, _, hc := startServer(t)
	assert.True(t, strings.HasPrefix(s.URL(), "http://127.0.0.1:"), s.URL())

	r := request("a b&c=d", "www.example.com")
	r.Context = "x/y?z"
	link := s.Register(r)
	assert.Equal(t, s.URL()+"/approvals?code=a+b%26c%3Dd&context=x%2Fy%3Fz", link)

	res := do(t, hc, http.MethodGet, link, nil)
	assert.Equal(t, http.StatusOK, res.status)
	assert.Contains(t, res.body, `value="a b&amp;c=d"`)

	assert.Panics(t, func() { s.Register(approval.Request{}) })
}

func TestApprovalPage(t *testing.T) {
	s, clock, hc := startServer(t)
	r := request("c1", "www.example.com")
	link := s.Register(r)

	res := do(t, hc, http.MethodGet, link, nil)
	require.Equal(t, http.StatusOK, res.status)
	assert.Equal(t, "text/html; charset=utf-8", res.header.Get("Content-Type"))
	assert.Equal(t, approval.StatusPending, res.header.Get(approval.StatusHeader))
	for _, want := range []string{
		"www.example.com",
		"example.com",
		"123456789012",
		"us-east-1",
		"arn:aws:acm:us-east-1:123456789012:certificate/c1",
		`<form method="post" action="/approvals">`,
		`<input type="hidden" name="code" value="c1">`,
		`<input type="hidden" name="context" value="ctx-c1">`,
		`<button type="submit">I Approve</button>`,
	} {
		assert.Contains(t, res.body, want)
	}
	assert.NotContains(t, res.body, "already been approved")

	assert.Empty(t, s.Approvals())
	assert.False(t, s.Approved("c1"))
	assert.Equal(t, []approval.Visit{{
		Seq: 1, Method: http.MethodGet, Path: "/approvals", Code: "c1", Status: http.StatusOK, At: clock.Now(),
	}}, s.Visits())

	// HEAD is answered like GET, without a body.
	head := do(t, hc, http.MethodHead, link, nil)
	assert.Equal(t, http.StatusOK, head.status)
	assert.Empty(t, head.body)
}

func TestPageEscapesValues(t *testing.T) {
	s, _, hc := startServer(t)
	r := request("c1", `<script>alert("x")</script>.example.com`)
	res := do(t, hc, http.MethodGet, s.Register(r), nil)
	require.Equal(t, http.StatusOK, res.status)
	assert.NotContains(t, res.body, "<script>")
	assert.Contains(t, res.body, "&lt;script&gt;")
}

func TestClickApprovesOnlyItsOwnName(t *testing.T) {
	s, clock, hc := startServer(t)
	r1 := request("c1", "www.example.com")
	r2 := request("c2", "api.example.com")
	link1 := s.Register(r1)
	link2 := s.Register(r2)
	ctx := context.Background()

	// Mixing one name's code with the other's context approves nothing.
	res := do(t, hc, http.MethodPost, s.URL()+"/approvals", form("c1", r2.Context))
	assert.Equal(t, http.StatusNotFound, res.status)

	got, err := approval.Click(ctx, hc, link1)
	require.NoError(t, err)
	assert.Equal(t, approval.ClickResult{Approved: true, Status: http.StatusOK}, got)
	assert.True(t, s.Approved("c1"))
	assert.False(t, s.Approved("c2"))
	assert.Equal(t, []approval.Approval{{
		Seq: 1, Code: "c1", Domain: "www.example.com", ValidationDomain: "example.com",
		CertificateARN: r1.CertificateARN, At: t0,
	}}, s.Approvals())

	clock.Advance(time.Hour)
	got, err = approval.Click(ctx, hc, link2)
	require.NoError(t, err)
	assert.True(t, got.Approved)
	assert.True(t, s.Approved("c2"))
	approvals := s.Approvals()
	require.Len(t, approvals, 2)
	assert.Equal(t, 2, approvals[1].Seq)
	assert.Equal(t, "api.example.com", approvals[1].Domain)
	assert.Equal(t, t0.Add(time.Hour), approvals[1].At)

	var methods []string
	for _, v := range s.Visits() {
		methods = append(methods, v.Method+" "+v.Code)
	}
	assert.Equal(t, []string{"POST c1", "GET c1", "POST c1", "GET c2", "POST c2"}, methods)
}

func TestSuccessPage(t *testing.T) {
	s, _, hc := startServer(t)
	r := request("c1", "www.example.com")
	s.Register(r)
	res := do(t, hc, http.MethodPost, s.URL()+"/approvals", form(r.Code, r.Context))
	require.Equal(t, http.StatusOK, res.status)
	assert.Equal(t, "text/html; charset=utf-8", res.header.Get("Content-Type"))
	assert.Equal(t, approval.StatusApproved, res.header.Get(approval.StatusHeader))
	assert.Contains(t, res.body, "Success!")
	assert.Contains(t, res.body, "You have approved")
	assert.Contains(t, res.body, "www.example.com")
}

func TestExpiry(t *testing.T) {
	for _, tc := range []struct {
		name    string
		advance time.Duration
		expired bool
	}{
		{"at issue", 0, false},
		{"71h59m", 71*time.Hour + 59*time.Minute, false},
		{"one nanosecond before", validity - time.Nanosecond, false},
		{"exactly 72h", validity, true},
		{"long after", 100 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, clock, hc := startServer(t)
			link := s.Register(request("c1", "www.example.com"))
			clock.Advance(tc.advance)

			got, err := approval.Click(context.Background(), hc, link)
			require.NoError(t, err)
			visits := s.Visits()
			if !tc.expired {
				assert.Equal(t, approval.ClickResult{Approved: true, Status: http.StatusOK}, got)
				assert.True(t, s.Approved("c1"))
				require.Len(t, s.Approvals(), 1)
				assert.Equal(t, t0.Add(tc.advance), s.Approvals()[0].At)
				require.Len(t, visits, 2)
				return
			}
			assert.Equal(t, approval.ClickResult{Expired: true, Status: http.StatusGone}, got)
			assert.False(t, s.Approved("c1"))
			assert.Empty(t, s.Approvals())
			require.Len(t, visits, 1, "no POST after a 410 GET")
			assert.Equal(t, http.StatusGone, visits[0].Status)

			res := do(t, hc, http.MethodGet, link, nil)
			assert.Equal(t, http.StatusGone, res.status)
			assert.Equal(t, "text/html; charset=utf-8", res.header.Get("Content-Type"))
			assert.Equal(t, approval.StatusExpired, res.header.Get(approval.StatusHeader))
			assert.Contains(t, res.body, "This approval link has expired")
			assert.Contains(t, res.body, "a new approval e-mail must be requested (ResendValidationEmail)")

			res = do(t, hc, http.MethodPost, s.URL()+"/approvals", form("c1", "ctx-c1"))
			assert.Equal(t, http.StatusGone, res.status)
			assert.Empty(t, s.Approvals())
			assert.False(t, s.Approved("c1"))
		})
	}
}

func TestExpiresBetweenPageAndSubmit(t *testing.T) {
	s, clock, hc := startServer(t)
	link := s.Register(request("c1", "www.example.com"))
	clock.Advance(71*time.Hour + 59*time.Minute)
	res := do(t, hc, http.MethodGet, link, nil)
	require.Equal(t, http.StatusOK, res.status)

	clock.Advance(time.Minute)
	res = do(t, hc, http.MethodPost, s.URL()+"/approvals", form("c1", "ctx-c1"))
	assert.Equal(t, http.StatusGone, res.status)
	assert.Empty(t, s.Approvals())

	// Re-registering (as after ResendValidationEmail with the same code)
	// extends the link.
	r := request("c1", "www.example.com")
	r.ExpiresAt = clock.Now().Add(validity)
	s.Register(r)
	got, err := approval.Click(context.Background(), hc, link)
	require.NoError(t, err)
	assert.True(t, got.Approved)
}

func TestUnknownLinks(t *testing.T) {
	s, _, hc := startServer(t)
	s.Register(request("c1", "www.example.com"))
	base := s.URL() + "/approvals"

	for _, tc := range []struct {
		name          string
		code, context string
	}{
		{"unknown code", "nope", "ctx-c1"},
		{"wrong context", "c1", "ctx-other"},
		{"missing context", "c1", ""},
		{"missing code", "", "ctx-c1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			link := base + "?" + form(tc.code, tc.context).Encode()
			for _, res := range []response{
				do(t, hc, http.MethodGet, link, nil),
				do(t, hc, http.MethodPost, base, form(tc.code, tc.context)),
			} {
				assert.Equal(t, http.StatusNotFound, res.status)
				assert.Equal(t, "text/html; charset=utf-8", res.header.Get("Content-Type"))
				assert.Contains(t, res.body, "unknown approval link")
			}
			got, err := approval.Click(context.Background(), hc, link)
			assert.ErrorIs(t, err, approval.ErrUnknownLink)
			assert.Equal(t, approval.ClickResult{Status: http.StatusNotFound}, got)
			assert.Empty(t, s.Approvals())
		})
	}

	res := do(t, hc, http.MethodGet, s.URL()+"/elsewhere?code=c1&context=ctx-c1", nil)
	assert.Equal(t, http.StatusNotFound, res.status)
	visits := s.Visits()
	last := visits[len(visits)-1]
	assert.Equal(t, "/elsewhere", last.Path)
	assert.Equal(t, http.StatusNotFound, last.Status)
	assert.False(t, s.Approved("c1"))
}

func TestDoubleApproval(t *testing.T) {
	s, clock, hc := startServer(t)
	link := s.Register(request("c1", "www.example.com"))
	ctx := context.Background()

	got, err := approval.Click(ctx, hc, link)
	require.NoError(t, err)
	assert.Equal(t, approval.ClickResult{Approved: true, Status: http.StatusOK}, got)

	clock.Advance(time.Minute)
	page := do(t, hc, http.MethodGet, link, nil)
	assert.Equal(t, http.StatusOK, page.status)
	assert.Contains(t, page.body, "This request has already been approved.")
	assert.Equal(t, approval.StatusAlreadyApproved, page.header.Get(approval.StatusHeader))

	got, err = approval.Click(ctx, hc, link)
	require.NoError(t, err)
	assert.Equal(t, approval.ClickResult{Approved: true, AlreadyApproved: true, Status: http.StatusOK}, got)

	res := do(t, hc, http.MethodPost, s.URL()+"/approvals", form("c1", "ctx-c1"))
	assert.Equal(t, http.StatusOK, res.status)
	assert.Contains(t, res.body, "already approved")
	assert.NotContains(t, res.body, "Success!")

	approvals := s.Approvals()
	require.Len(t, approvals, 1)
	assert.Equal(t, t0, approvals[0].At, "the first approval is kept")
}

func TestConcurrentClicks(t *testing.T) {
	s, _, hc := startServer(t)
	link := s.Register(request("c1", "www.example.com"))
	const n = 8
	results := make(chan approval.ClickResult, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := approval.Click(context.Background(), hc, link)
			assert.NoError(t, err)
			results <- got
		}()
	}
	wg.Wait()
	close(results)
	fresh := 0
	for got := range results {
		assert.True(t, got.Approved)
		if !got.AlreadyApproved {
			fresh++
		}
	}
	assert.Equal(t, 1, fresh)
	assert.Len(t, s.Approvals(), 1)
	assert.Len(t, s.Visits(), 2*n)
}

func TestMethodNotAllowed(t *testing.T) {
	s, clock, hc := startServer(t)
	link := s.Register(request("c1", "www.example.com"))
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
		t.Run(method, func(t *testing.T) {
			res := do(t, hc, method, link, nil)
			assert.Equal(t, http.StatusMethodNotAllowed, res.status)
			assert.Equal(t, "GET, HEAD, POST", res.header.Get("Allow"))
			visits := s.Visits()
			assert.Equal(t, approval.Visit{
				Seq: len(visits), Method: method, Path: "/approvals", Code: "c1",
				Status: http.StatusMethodNotAllowed, At: clock.Now(),
			}, visits[len(visits)-1])
		})
	}
	assert.False(t, s.Approved("c1"))
}

func TestBadForm(t *testing.T) {
	s, _, hc := startServer(t)
	s.Register(request("c1", "www.example.com"))
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/approvals", strings.NewReader("code=%zz"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Empty(t, s.Approvals())
}

func TestLifecycle(t *testing.T) {
	defer goleak.VerifyNone(t)
	clock := clockwork.NewFakeClockAt(t0)

	never := approval.New(approval.Config{Clock: clock})
	assert.Equal(t, "", never.URL())
	require.NoError(t, never.Close())
	assert.Error(t, never.Start(), "Start after Close")

	s := approval.New(approval.Config{Clock: clock})
	require.NoError(t, s.Start())
	assert.Error(t, s.Start(), "second Start")
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close is idempotent")

	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	_, err := hc.Get(s.URL() + "/approvals")
	assert.Error(t, err, "nothing listens after Close")
}

func TestCloseWaitsForRequestInFlight(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	s := approval.New(approval.Config{Clock: clock})
	require.NoError(t, s.Start())
	s.Register(request("c1", "www.example.com"))
	// A large ExpectContinueTimeout makes the client send the body only
	// after the handler has started reading it (100 Continue).
	hc := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Hour}}

	// An idle keep-alive connection (of another client) must not hold
	// Close up.
	idle := &http.Client{Transport: &http.Transport{}}
	require.Equal(t, http.StatusOK, do(t, idle, http.MethodGet, s.URL()+"/approvals?code=c1&context=ctx-c1", nil).status)

	pr, pw := io.Pipe()
	got100 := make(chan struct{})
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		Got100Continue: func() { close(got100) },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/approvals", pr)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Expect", "100-continue")
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := hc.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		done <- result{status: resp.StatusCode}
	}()
	<-got100 // the handler is now reading the body

	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()

	_, err = io.WriteString(pw, form("c1", "ctx-c1").Encode())
	require.NoError(t, err)
	require.NoError(t, pw.Close())

	require.NoError(t, <-closed)
	// Close returned, so the request was answered and recorded before.
	visits := s.Visits()
	require.Len(t, visits, 2)
	assert.Equal(t, http.MethodPost, visits[1].Method)
	assert.True(t, s.Approved("c1"))

	res := <-done
	require.NoError(t, res.err)
	assert.Equal(t, http.StatusOK, res.status)

	hc.CloseIdleConnections()
	idle.CloseIdleConnections()
	goleak.VerifyNone(t)
}
