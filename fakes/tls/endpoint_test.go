package tls

import (
	"bufio"
	stdtls "crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func httpsClient(ca *CA, serverName string, at time.Time) (*http.Client, *http.Transport) {
	tr := &http.Transport{
		TLSClientConfig: &stdtls.Config{
			RootCAs:    ca.Pool(),
			ServerName: serverName,
			Time:       func() time.Time { return at },
			MinVersion: stdtls.VersionTLS12,
		},
	}
	return &http.Client{Transport: tr}, tr
}

func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

func TestHTTPSGetRoot(t *testing.T) {
	ca := newTestCA(t)
	ep := New(Config{Name: "cloudfront-E123"})
	ep.Handle("GET /health", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok "+r.TLS.ServerName)
	}))
	ep.Deploy(issue(t, ca, testSpec(1)))
	require.NoError(t, ep.Start())
	t.Cleanup(func() { require.NoError(t, ep.Close()) })

	client, tr := httpsClient(ca, "www.example.com", midValidity)
	defer tr.CloseIdleConnections()
	base := "https://" + ep.Addr()

	code, body := get(t, client, base+"/")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "renewsim resource cloudfront-E123", body)

	code, body = get(t, client, base+"/health")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ok www.example.com", body)

	code, _ = get(t, client, base+"/missing")
	assert.Equal(t, http.StatusNotFound, code)

	// The same client at a virtual time past NotAfter refuses the site.
	expired, tr2 := httpsClient(ca, "www.example.com", leafEnd.Add(time.Second))
	defer tr2.CloseIdleConnections()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/", nil)
	require.NoError(t, err)
	resp, err := expired.Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate has expired")
}

func TestEndpointLifecycle(t *testing.T) {
	ep := New(Config{Name: "alb"})
	assert.Equal(t, "alb", ep.Name())
	assert.Empty(t, ep.Addr())
	assert.Nil(t, ep.Current())

	require.NoError(t, ep.Start())
	host, _, err := net.SplitHostPort(ep.Addr())
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", host)
	assert.Error(t, ep.Start(), "second Start")
	assert.Panics(t, func() { ep.Handle("/late", http.NotFoundHandler()) })

	require.NoError(t, ep.Close())
	require.NoError(t, ep.Close(), "Close is idempotent")
	assert.Error(t, ep.Start(), "Start after Close")

	never := New(Config{Name: "never-started"})
	require.NoError(t, never.Close())
	assert.Error(t, never.Start())
}

func TestHandleRejectsConflictingRoot(t *testing.T) {
	ep := New(Config{Name: "x"})
	assert.Panics(t, func() { ep.Handle("GET /{$}", http.NotFoundHandler()) })
	assert.NotPanics(t, func() { ep.Handle("/", http.NotFoundHandler()) })
}

// TestCloseLeavesNoGoroutines keeps several kinds of connection open (idle
// TCP, half-finished handshake, established TLS, idle keep-alive HTTP) and
// checks that Close tears all of them down without leaking goroutines.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	ca := newTestCA(t)
	ep := New(Config{Name: "leak-check"})
	ep.Deploy(issue(t, ca, testSpec(1)))
	require.NoError(t, ep.Start())

	var d net.Dialer
	rawIdle, err := d.DialContext(t.Context(), "tcp", ep.Addr())
	require.NoError(t, err)
	defer rawIdle.Close()

	halfway, err := d.DialContext(t.Context(), "tcp", ep.Addr())
	require.NoError(t, err)
	defer halfway.Close()
	_, err = halfway.Write([]byte{0x16, 0x03, 0x01}) // start of a TLS record, never finished
	require.NoError(t, err)

	tlsConn, err := d.DialContext(t.Context(), "tcp", ep.Addr())
	require.NoError(t, err)
	tc := stdtls.Client(tlsConn, &stdtls.Config{
		RootCAs: ca.Pool(), ServerName: "www.example.com",
		Time: func() time.Time { return midValidity }, MinVersion: stdtls.VersionTLS12,
	})
	defer tc.Close()
	require.NoError(t, tc.HandshakeContext(t.Context()))
	// One request/response so the server goroutine parks in keep-alive.
	_, err = io.WriteString(tc, "GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(tc), nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	require.NoError(t, ep.Close())
	goleak.VerifyNone(t)

	// The server side really is gone: the established connection sees EOF.
	_, err = tc.Read(make([]byte, 1))
	assert.Error(t, err)
}

func TestHandshakeNoiseFilter(t *testing.T) {
	var sb strings.Builder
	f := handshakeNoiseFilter{w: &sb}
	line := []byte("2025/01/01 http: TLS handshake error from 127.0.0.1:1: EOF\n")
	n, err := f.Write(line)
	require.NoError(t, err)
	assert.Equal(t, len(line), n)
	_, err = f.Write([]byte("http: panic serving x: boom\n"))
	require.NoError(t, err)
	assert.Equal(t, "http: panic serving x: boom\n", sb.String())
}

func TestEndpointServesTLS12Clients(t *testing.T) {
	ca := newTestCA(t)
	ep := startEndpoint(t, issue(t, ca, testSpec(1)))
	var d net.Dialer
	conn, err := d.DialContext(t.Context(), "tcp", ep.Addr())
	require.NoError(t, err)
	tc := stdtls.Client(conn, &stdtls.Config{
		RootCAs: ca.Pool(), ServerName: "www.example.com",
		Time:       func() time.Time { return midValidity },
		MinVersion: stdtls.VersionTLS12, MaxVersion: stdtls.VersionTLS12,
	})
	defer tc.Close()
	require.NoError(t, tc.HandshakeContext(t.Context()))
	assert.Equal(t, uint16(stdtls.VersionTLS12), tc.ConnectionState().Version)
}

func TestOtherLoopbackAddress(t *testing.T) {
	ep := New(Config{Name: "alt", Addr: "127.0.1.9:0"})
	require.NoError(t, ep.Start())
	defer ep.Close()
	assert.True(t, strings.HasPrefix(ep.Addr(), "127.0.1.9:"), ep.Addr())
	assert.Equal(t, "https://"+ep.Addr(), ep.URL())
	assert.Error(t, New(Config{Name: "x", Addr: "10.0.0.1:0"}).Start(), "only loopback")
}
