package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestServesSetPathsAndRedirects(t *testing.T) {
	defer goleak.VerifyNone(t)
	s := New(Config{Addr: "127.0.1.3:0"})
	require.NoError(t, s.Start())
	s.Set("/.well-known/pki-validation/a.txt", Response{Body: "token-a"})
	s.Set("/.well-known/pki-validation/b.txt", Response{Location: "https://validation.us-east-1.acm-validations.aws/x/.well-known/pki-validation/b.txt"})
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer hc.CloseIdleConnections()

	get := func(path string) (int, string, string) {
		resp, err := hc.Get(s.URL() + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Location")
	}
	code, body, _ := get("/.well-known/pki-validation/a.txt")
	assert.Equal(t, 200, code)
	assert.Equal(t, "token-a", body)
	code, _, loc := get("/.well-known/pki-validation/b.txt")
	assert.Equal(t, 301, code)
	assert.Contains(t, loc, "acm-validations.aws")
	s.Delete("/.well-known/pki-validation/a.txt")
	code, _, _ = get("/.well-known/pki-validation/a.txt")
	assert.Equal(t, 404, code)
	assert.Len(t, s.History(), 3)

	hc.CloseIdleConnections()
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())
	assert.Error(t, New(Config{Addr: "192.0.2.1:0"}).Start())
}

// A client that sends requests without end cannot make the history grow
// without end.
func TestHistoryCap(t *testing.T) {
	s := New(Config{})
	for range MaxHistory + 5 {
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/x", nil))
	}
	h := s.History()
	require.Len(t, h, MaxHistory)
	assert.Equal(t, MaxHistory, h[len(h)-1].Seq)
}

// A path answers the redirect status it is given, with its Location: a
// client that does not follow sees both, one that does arrives at the
// target. ACM's HTTP validation is judged on such answers (301, 302,
// 303, 307, 308), so each must reach the client as configured.
func TestAnswersEachRedirectStatus(t *testing.T) {
	defer goleak.VerifyNone(t)
	s := New(Config{})
	require.NoError(t, s.Start())
	s.Set("/token.txt", Response{Body: "the-token"})
	raw := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	follow := &http.Client{}
	for _, code := range []int{301, 302, 303, 307, 308} {
		path := fmt.Sprintf("/r%d.txt", code)
		s.Set(path, Response{Status: code, Location: s.URL() + "/token.txt"})

		resp, err := raw.Get(s.URL() + path)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, code, resp.StatusCode)
		assert.Equal(t, s.URL()+"/token.txt", resp.Header.Get("Location"))

		resp, err = follow.Get(s.URL() + path)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode, "%d followed", code)
		assert.Equal(t, "the-token", string(b), "%d followed", code)
	}
	// A Location alone is a 301, as before.
	s.Set("/plain.txt", Response{Location: "https://validation.us-east-1.acm-validations.aws/x/plain.txt"})
	resp, err := raw.Get(s.URL() + "/plain.txt")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 301, resp.StatusCode)
	raw.CloseIdleConnections()
	follow.CloseIdleConnections()
	require.NoError(t, s.Close())
}
