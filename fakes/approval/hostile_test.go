package approval_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/approval"
)

// Hostile clients: forged, expired and other certificates' tokens, and
// paths that try to reach the approval page another way. Each is refused,
// nothing is approved, and the genuine link still works afterwards.

// rawRequest sends a request line exactly as written, which Go's client
// would clean up, and returns the status.
func rawRequest(t *testing.T, s *approval.Server, method, target, body string) int {
	t.Helper()
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(s.URL(), "http://"), 10*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	req := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: approval\r\nConnection: close\r\n", method, target)
	if body != "" {
		req += fmt.Sprintf("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n", len(body))
	}
	_, err = io.WriteString(c, req+"\r\n"+body)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// assertNothingApproved checks that none of the registered codes was
// approved.
func assertNothingApproved(t *testing.T, s *approval.Server, codes ...string) {
	t.Helper()
	assert.Empty(t, s.Approvals())
	for _, c := range codes {
		assert.False(t, s.Approved(c), c)
	}
}

func TestForgedTokens(t *testing.T) {
	s, _, hc := startServer(t)
	r1 := request("0123456789abcdef0123456789abcdef", "www.example.com")
	r1.Context = "fedcba98-7654-3210-fedc-ba9876543210"
	link := s.Register(r1)
	base := s.URL() + approval.Path

	for _, tc := range []struct {
		name          string
		code, context string
	}{
		{"random code", "ffffffffffffffffffffffffffffffff", r1.Context},
		{"code one digit off", "0123456789abcdef0123456789abcdee", r1.Context},
		{"code upper case", strings.ToUpper(r1.Code), r1.Context},
		{"code with a prefix", "x" + r1.Code, r1.Context},
		{"code cut short", r1.Code[:31], r1.Context},
		{"code with whitespace", r1.Code + " ", r1.Context},
		{"context one digit off", r1.Code, "fedcba98-7654-3210-fedc-ba9876543211"},
		{"context upper case", r1.Code, strings.ToUpper(r1.Context)},
		{"context empty", r1.Code, ""},
		{"code and context swapped", r1.Context, r1.Code},
		{"both empty", "", ""},
		{"code is a wildcard", "*", r1.Context},
		{"code is a regexp", ".*", ".*"},
		{"NUL in code", r1.Code + "\x00", r1.Context},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{"code": {tc.code}, "context": {tc.context}}
			assert.Equal(t, http.StatusNotFound, do(t, hc, http.MethodGet, base+"?"+q.Encode(), nil).status)
			assert.Equal(t, http.StatusNotFound, do(t, hc, http.MethodPost, base, q).status)
			_, err := approval.Click(context.Background(), hc, base+"?"+q.Encode())
			assert.ErrorIs(t, err, approval.ErrUnknownLink)
			assertNothingApproved(t, s, r1.Code)
		})
	}

	// Tricks with the form: the code and context must come from the posted
	// form itself, once.
	for _, tc := range []struct {
		name, query, body string
	}{
		{"code in the query, not the form", "?code=" + r1.Code + "&context=" + r1.Context, ""},
		{"forged form, genuine query", "?code=" + r1.Code + "&context=" + r1.Context, "code=forged&context=forged"},
		{"forged code first", "", "code=forged&code=" + r1.Code + "&context=" + r1.Context},
		{"forged context first", "", "code=" + r1.Code + "&context=forged&context=" + r1.Context},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, http.StatusNotFound, rawRequest(t, s, http.MethodPost, approval.Path+tc.query, tc.body))
			assertNothingApproved(t, s, r1.Code)
		})
	}

	// GET and HEAD never approve, whatever they carry.
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		assert.Equal(t, http.StatusOK, do(t, hc, method, link+"&approve=1&action=approve", nil).status)
	}
	assertNothingApproved(t, s, r1.Code)

	got, err := approval.Click(context.Background(), hc, link)
	require.NoError(t, err)
	assert.True(t, got.Approved, "the genuine link still works")
}

// One certificate's token never approves another's request, in any
// mixture.
func TestOtherCertificatesTokens(t *testing.T) {
	s, _, hc := startServer(t)
	a := request("code-a", "www.example.com")
	b := request("code-b", "api.example.com")
	b.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/other"
	s.Register(a)
	linkB := s.Register(b)
	base := s.URL() + approval.Path

	for _, f := range []url.Values{form(a.Code, b.Context), form(b.Code, a.Context)} {
		assert.Equal(t, http.StatusNotFound, do(t, hc, http.MethodPost, base, f).status)
		assert.Equal(t, http.StatusNotFound, do(t, hc, http.MethodGet, base+"?"+f.Encode(), nil).status)
	}
	assertNothingApproved(t, s, a.Code, b.Code)

	// Approving b approves b only.
	got, err := approval.Click(context.Background(), hc, linkB)
	require.NoError(t, err)
	assert.True(t, got.Approved)
	assert.True(t, s.Approved(b.Code))
	assert.False(t, s.Approved(a.Code))
	require.Len(t, s.Approvals(), 1)
	assert.Equal(t, b.CertificateARN, s.Approvals()[0].CertificateARN)
}

// An expired token stays refused: by GET and POST, after the clock moves on,
// and after another certificate's link is registered.
func TestExpiredTokens(t *testing.T) {
	s, clock, hc := startServer(t)
	old := request("old", "www.example.com")
	link := s.Register(old)
	clock.Advance(validity)

	fresh := request("fresh", "www.example.com")
	fresh.ExpiresAt = clock.Now().Add(validity)
	s.Register(fresh)

	for range 2 {
		assert.Equal(t, http.StatusGone, do(t, hc, http.MethodGet, link, nil).status)
		assert.Equal(t, http.StatusGone, do(t, hc, http.MethodPost, s.URL()+approval.Path, form(old.Code, old.Context)).status)
		// The fresh link's context does not revive the old code.
		assert.Equal(t, http.StatusNotFound, do(t, hc, http.MethodPost, s.URL()+approval.Path, form(old.Code, fresh.Context)).status)
		clock.Advance(time.Hour)
	}
	got, err := approval.Click(context.Background(), hc, link)
	require.NoError(t, err)
	assert.True(t, got.Expired)
	assertNothingApproved(t, s, old.Code, fresh.Code)
}

// Paths that lead to the approval page by another way are refused: the
// page answers at exactly /approvals.
func TestPathTraversal(t *testing.T) {
	s, _, _ := startServer(t)
	r := request("c1", "www.example.com")
	s.Register(r)
	q := "?code=" + r.Code + "&context=" + r.Context
	body := form(r.Code, r.Context).Encode()

	for _, path := range []string{
		"/approvals/../approvals",
		"/x/../approvals",
		"/approvals/./",
		"/./approvals",
		"//approvals",
		"/approvals/",
		"/approvals/%2e%2e/approvals",
		"/%2e%2e/approvals",
		"/..%2fapprovals",
		"/approvals%2f",
		"/approvals%00",
		"/approvals;x=y",
		"/APPROVALS",
		"/approvals/../../../../etc/passwd",
		"/../../approvals",
		"/approvals\\..\\approvals",
	} {
		t.Run(path, func(t *testing.T) {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				target, b := path+q, ""
				if method == http.MethodPost {
					target, b = path, body
				}
				status := rawRequest(t, s, method, target, b)
				assert.Contains(t, []int{http.StatusNotFound, http.StatusBadRequest}, status, "%s %s", method, target)
			}
			assertNothingApproved(t, s, r.Code)
		})
	}

	// The genuine path still approves.
	assert.Equal(t, http.StatusOK, rawRequest(t, s, http.MethodPost, approval.Path, body))
	assert.True(t, s.Approved(r.Code))
}

// A form too big to be an approval is refused unread.
func TestOversizedForm(t *testing.T) {
	s, _, _ := startServer(t)
	r := request("c1", "www.example.com")
	s.Register(r)
	body := form(r.Code, r.Context).Encode() + "&pad=" + strings.Repeat("x", 1<<20)
	assert.Equal(t, http.StatusBadRequest, rawRequest(t, s, http.MethodPost, approval.Path, body))
	assertNothingApproved(t, s, r.Code)
}

// A crowd of idle connections fills MaxConns: the next visitor is answered
// 503 and approves nothing, and once the crowd leaves the link works.
func TestConnectionCap(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	s := approval.New(approval.Config{Clock: clock, MaxConns: 3})
	require.NoError(t, s.Start())
	t.Cleanup(func() {
		require.NoError(t, s.Close())
		goleak.VerifyNone(t)
	})
	link := s.Register(request("c1", "www.example.com"))
	var crowd []net.Conn
	for range 3 {
		c, err := net.DialTimeout("tcp", s.Addr(), 10*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		crowd = append(crowd, c)
	}
	tr := &http.Transport{DisableKeepAlives: true}
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	resp, err := hc.Get(link)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Contains(t, string(body), "too many connections")
	_, err = approval.Click(context.Background(), hc, link)
	assert.Error(t, err, "a click over the cap fails")
	assertNothingApproved(t, s, "c1")

	for _, c := range crowd {
		require.NoError(t, c.Close())
	}
	require.Eventually(t, func() bool {
		res, err := approval.Click(context.Background(), hc, link)
		return err == nil && res.Approved
	}, 10*time.Second, 10*time.Millisecond)
}

// A client that sends requests without end cannot make the record of
// visits grow without end; the requests are still answered.
func TestVisitsCap(t *testing.T) {
	s := approval.New(approval.Config{Clock: clockwork.NewFakeClockAt(t0)})
	for range approval.MaxVisits + 5 {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/approvals?code=forged&context=x", nil))
		require.Equal(t, http.StatusNotFound, rec.Code)
	}
	v := s.Visits()
	require.Len(t, v, approval.MaxVisits)
	assert.Equal(t, approval.MaxVisits, v[len(v)-1].Seq)
}
