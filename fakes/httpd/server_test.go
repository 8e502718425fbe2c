package httpd_test

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/httpd"
)

var hello = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hello") })

func TestLifecycle(t *testing.T) {
	defer goleak.VerifyNone(t)
	never := httpd.New(httpd.Config{Handler: hello})
	assert.Empty(t, never.URL())
	require.NoError(t, never.Close())
	assert.Error(t, never.Start(), "Start after Close")
	assert.Error(t, httpd.New(httpd.Config{Handler: hello, Addr: "0.0.0.0:0"}).Start(), "only loopback")
	assert.Panics(t, func() { httpd.New(httpd.Config{}) })

	s := httpd.New(httpd.Config{Handler: hello})
	require.NoError(t, s.Start())
	assert.Error(t, s.Start(), "second Start")
	assert.Equal(t, "http://"+s.Addr(), s.URL())
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	resp, err := hc.Get(s.URL())
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "hello", string(b))
	// An idle keep-alive connection does not hold Close up.
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())
	hc.CloseIdleConnections()
}

func TestBusy(t *testing.T) {
	defer goleak.VerifyNone(t)
	s := httpd.New(httpd.Config{Handler: hello, MaxConns: 1, BusyType: "application/json", BusyBody: `{"error":"busy"}`})
	require.NoError(t, s.Start())
	held, err := net.Dial("tcp", s.Addr())
	require.NoError(t, err)
	defer held.Close()
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := hc.Get(s.URL())
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, `{"error":"busy"}`, string(b))
	require.NoError(t, s.Close())
}
