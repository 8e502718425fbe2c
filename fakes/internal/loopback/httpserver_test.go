package loopback

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/internal/conns"
)

// clientDeadline bounds every connection these tests open.
const clientDeadline = 10 * time.Second

// bodyReader answers with the length of the request body it read.
var bodyReader = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_, _ = io.WriteString(w, http.StatusText(http.StatusOK))
	_ = n
})

func dial(t *testing.T, s *HTTPServer) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.Addr(), clientDeadline)
	require.NoError(t, err)
	require.NoError(t, c.SetDeadline(time.Now().Add(clientDeadline)))
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// closeWithin fails the test if Close does not return while clients
// stall; it does not time how fast it returns.
func closeWithin(t *testing.T, s *HTTPServer) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(clientDeadline):
		t.Fatal("Close waits for a client that stalls")
	}
}

// A client that stalls halfway through its request can hold neither a
// goroutine nor Close for long: the request must arrive whole within the
// read timeout.
func TestStalledClients(t *testing.T) {
	for _, tc := range []struct {
		name, sent string
	}{
		{"connected, nothing sent", ""},
		{"half a request line", "POST / HT"},
		{"headers, no end", "POST / HTTP/1.1\r\nHost: x\r\n"},
		{"body announced, half sent", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"},
		{"chunked body, never ended", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			s := &HTTPServer{Name: "test", ReadTimeout: 200 * time.Millisecond}
			require.NoError(t, s.Start("127.0.0.1:0", bodyReader))
			c := dial(t, s)
			_, err := io.WriteString(c, tc.sent)
			require.NoError(t, err)

			// Others are served meanwhile.
			resp, err := (&http.Client{Timeout: clientDeadline, Transport: &http.Transport{DisableKeepAlives: true}}).Get(s.URL())
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)

			// The server gives up on the staller by itself...
			_, err = io.Copy(io.Discard, c)
			var ne net.Error
			assert.False(t, errors.As(err, &ne) && ne.Timeout(), "the server kept a stalled request open: %v", err)
			// ...and Close does not wait for it.
			closeWithin(t, s)
		})
	}
}

// Close waits for requests in flight for its grace period only: a client
// that stalls in its body, or does not read its answer, is cut then,
// however long the read and write timeouts.
func TestCloseGrace(t *testing.T) {
	big := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		chunk := make([]byte, 1<<20)
		for range 64 { // far more than socket buffers hold
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	for _, tc := range []struct {
		name, sent string
	}{
		{"body stalls", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"},
		{"answer never read", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			s := &HTTPServer{Name: "test", ReadTimeout: time.Hour, CloseGrace: 100 * time.Millisecond}
			require.NoError(t, s.Start("127.0.0.1:0", big))
			c := dial(t, s)
			_, err := io.WriteString(c, tc.sent)
			require.NoError(t, err)
			// Requests are served concurrently: once another is answered,
			// the stalled one has most likely reached its handler (and if
			// not, Close must return all the same).
			resp, err := (&http.Client{Timeout: clientDeadline, Transport: &http.Transport{DisableKeepAlives: true}}).Head(s.URL())
			require.NoError(t, err)
			resp.Body.Close()
			closeWithin(t, s)
		})
	}
}

func TestDefaultTimeouts(t *testing.T) {
	s := &HTTPServer{Name: "test"}
	require.NoError(t, s.Start("127.0.0.1:0", bodyReader))
	defer s.Close()
	assert.Equal(t, DefaultReadTimeout, s.hs.ReadTimeout)
	assert.Equal(t, WriteTimeout, s.hs.WriteTimeout)
	assert.Equal(t, DefaultIdleTimeout, s.hs.IdleTimeout)
	assert.Equal(t, DefaultCloseGrace, OrDefault(s.CloseGrace, DefaultCloseGrace))
}

// Beyond MaxConns a client is answered 503 with the server's busy body,
// plain or over TLS, and is served again once a place is free.
func TestBusy(t *testing.T) {
	for _, tlsOn := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls=%v", tlsOn), func(t *testing.T) {
			defer goleak.VerifyNone(t)
			s := &HTTPServer{Name: "test", MaxConns: 2, Budget: conns.NewBudget(100), BusyType: "application/json", BusyBody: `{"busy":true}`}
			tr := &http.Transport{DisableKeepAlives: true}
			if tlsOn {
				cert := selfSigned(t)
				s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
				tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
			}
			require.NoError(t, s.Start("127.0.0.1:0", bodyReader))
			hc := &http.Client{Timeout: clientDeadline, Transport: tr}
			defer tr.CloseIdleConnections()

			// Two clients hold the two places without sending anything.
			held := []net.Conn{dial(t, s), dial(t, s)}
			require.Eventually(t, func() bool { open, _ := s.Conns(); return open == 2 }, clientDeadline, time.Millisecond)

			resp, err := hc.Get(s.URL())
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			assert.Equal(t, "1", resp.Header.Get("Retry-After"))
			assert.Equal(t, `{"busy":true}`, string(body))
			_, refused := s.Conns()
			assert.Equal(t, uint64(1), refused)

			require.NoError(t, held[0].Close())
			require.Eventually(t, func() bool { open, _ := s.Conns(); return open == 1 }, clientDeadline, time.Millisecond)
			resp, err = hc.Get(s.URL())
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			closeWithin(t, s)
		})
	}
}

// A kept-alive connection that idles beyond IdleTimeout is closed by the
// server.
func TestIdleTimeout(t *testing.T) {
	defer goleak.VerifyNone(t)
	s := &HTTPServer{Name: "test", IdleTimeout: 100 * time.Millisecond}
	require.NoError(t, s.Start("127.0.0.1:0", bodyReader))
	c := dial(t, s)
	_, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	// The answer, then the server's own close after the idle time.
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Contains(t, string(got), "200 OK")
	closeWithin(t, s)
}

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
