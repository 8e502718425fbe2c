package web

import (
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
