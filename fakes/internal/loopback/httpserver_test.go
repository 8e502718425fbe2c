package loopback

import (
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
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
	c, err := net.DialTimeout("tcp", s.URL()[len("http://"):], clientDeadline)
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
	assert.Equal(t, IdleTimeout, s.hs.IdleTimeout)
	assert.Equal(t, DefaultCloseGrace, orDefault(s.CloseGrace, DefaultCloseGrace))
}
