package tls

import (
	"context"
	stdtls "crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func assertNoAddress(t *testing.T, s string) {
	t.Helper()
	assert.NotContains(t, s, "127.0.0.1")
	assert.NotRegexp(t, `:\d{4,5}\b`, s)
}

func TestProbeVerifiedInsideValidity(t *testing.T) {
	ca := newTestCA(t)
	leaf := issue(t, ca, testSpec(0x0a1b))
	ep := startEndpoint(t, leaf)

	for _, at := range []time.Time{leafStart, midValidity, leafEnd} { // bounds are inclusive
		res := Probe(t.Context(), ep.Addr(), "www.example.com", ca.Pool(), at)
		assert.Equal(t, ProbeResult{
			Serial:    "0a:1b",
			NotBefore: leafStart,
			NotAfter:  leafEnd,
			Verified:  true,
		}, res, "at %s", at)
	}
	// A second SAN verifies as well.
	res := Probe(t.Context(), ep.Addr(), "example.com", ca.Pool(), midValidity)
	assert.True(t, res.Verified, res.Err)
}

func TestProbeAfterNotAfterIsExpired(t *testing.T) {
	ca := newTestCA(t)
	ep := startEndpoint(t, issue(t, ca, testSpec(0x0a1b)))

	res := Probe(t.Context(), ep.Addr(), "www.example.com", ca.Pool(), leafEnd.Add(time.Second))
	assert.False(t, res.Verified)
	assert.True(t, res.Expired)
	assert.Equal(t, "0a:1b", res.Serial)
	assert.Equal(t, leafEnd, res.NotAfter)
	assert.Equal(t, "verify: x509: certificate has expired or is not yet valid: "+
		"current time 2025-04-01T00:00:01Z is after 2025-04-01T00:00:00Z", res.Err)
}

func TestProbeBeforeNotBeforeIsExpired(t *testing.T) {
	ca := newTestCA(t)
	ep := startEndpoint(t, issue(t, ca, testSpec(7)))

	res := Probe(t.Context(), ep.Addr(), "www.example.com", ca.Pool(), leafStart.Add(-time.Second))
	assert.False(t, res.Verified)
	assert.True(t, res.Expired)
	assert.Equal(t, "07", res.Serial)
	assert.Contains(t, res.Err, "is before 2025-01-01T00:00:00Z")
}

func TestProbeWrongNameIsNotExpired(t *testing.T) {
	ca := newTestCA(t)
	ep := startEndpoint(t, issue(t, ca, testSpec(0x0a1b)))

	res := Probe(t.Context(), ep.Addr(), "other.example.org", ca.Pool(), midValidity)
	assert.False(t, res.Verified)
	assert.False(t, res.Expired)
	assert.Equal(t, "0a:1b", res.Serial)
	assert.Equal(t, "verify: x509: certificate is valid for www.example.com, example.com, not other.example.org", res.Err)
}

func TestProbeUntrustedRoot(t *testing.T) {
	ca := newTestCA(t)
	ep := startEndpoint(t, issue(t, ca, testSpec(3)))
	other, err := NewCA("someone else", []byte("other"), caNotBefore, caNotAfter)
	require.NoError(t, err)

	res := Probe(t.Context(), ep.Addr(), "www.example.com", other.Pool(), midValidity)
	assert.False(t, res.Verified)
	assert.False(t, res.Expired)
	assert.Equal(t, "03", res.Serial)
	assert.Contains(t, res.Err, "x509: certificate signed by unknown authority")
}

func TestProbeDeploySwitchesServedSerial(t *testing.T) {
	ca := newTestCA(t)
	oldLeaf := issue(t, ca, testSpec(0x01aa))
	renewed := testSpec(0x02bb)
	renewed.NotBefore, renewed.NotAfter = leafEnd.Add(-24*time.Hour), leafEnd.AddDate(0, 3, 0)
	newLeaf := issue(t, ca, renewed)
	ep := startEndpoint(t, oldLeaf)
	assert.Same(t, oldLeaf, ep.Current())

	at := leafEnd.Add(-time.Hour)
	before := Probe(t.Context(), ep.Addr(), "www.example.com", ca.Pool(), at)
	assert.True(t, before.Verified, before.Err)
	assert.Equal(t, "01:aa", before.Serial)

	ep.Deploy(newLeaf)
	assert.Same(t, newLeaf, ep.Current())
	after := Probe(t.Context(), ep.Addr(), "www.example.com", ca.Pool(), at)
	assert.True(t, after.Verified, after.Err)
	assert.Equal(t, "02:bb", after.Serial)
	assert.Equal(t, renewed.NotAfter, after.NotAfter)

	// The renewal keeps the site valid past the old NotAfter.
	later := Probe(t.Context(), ep.Addr(), "www.example.com", ca.Pool(), leafEnd.AddDate(0, 1, 0))
	assert.True(t, later.Verified, later.Err)
}

func TestProbeServesRegardlessOfSNI(t *testing.T) {
	ca := newTestCA(t)
	ep := startEndpoint(t, issue(t, ca, testSpec(5)))
	// No SNI is sent for IP server names; the certificate is still served
	// (and fails name verification, as it would for a real client).
	res := Probe(t.Context(), ep.Addr(), "127.0.0.1", ca.Pool(), midValidity)
	assert.Equal(t, "05", res.Serial)
	assert.False(t, res.Verified)
	assert.False(t, res.Expired)
}

func TestProbeUndeployFailsHandshake(t *testing.T) {
	ca := newTestCA(t)
	ep := startEndpoint(t, issue(t, ca, testSpec(1)))
	ep.Undeploy()
	assert.Nil(t, ep.Current())

	res := Probe(t.Context(), ep.Addr(), "www.example.com", ca.Pool(), midValidity)
	assert.Equal(t, ProbeResult{Err: "handshake: remote error: tls: internal error"}, res)

	ep.Deploy(issue(t, ca, testSpec(2)))
	ep.Deploy(nil) // same as Undeploy
	res = Probe(t.Context(), ep.Addr(), "www.example.com", ca.Pool(), midValidity)
	assert.NotEmpty(t, res.Err)
	assert.False(t, res.Verified)
}

func TestProbeNeverDeployed(t *testing.T) {
	ca := newTestCA(t)
	ep := startEndpoint(t, nil)
	res := Probe(t.Context(), ep.Addr(), "www.example.com", ca.Pool(), midValidity)
	assert.NotEmpty(t, res.Err)
	assert.Empty(t, res.Serial)
}

func TestProbeErrorsCarryNoAddresses(t *testing.T) {
	ca := newTestCA(t)
	ep := New(Config{Name: "closed"})
	require.NoError(t, ep.Start())
	addr := ep.Addr()
	require.NoError(t, ep.Close())

	res := Probe(t.Context(), addr, "www.example.com", ca.Pool(), midValidity)
	assert.Equal(t, "dial: connect: connection refused", res.Err)
	assertNoAddress(t, res.Err)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res = Probe(ctx, addr, "www.example.com", ca.Pool(), midValidity)
	assert.Equal(t, "dial: context canceled", res.Err)

	for _, bad := range []string{"192.0.2.1:443", "example.com:443", "127.0.0.1"} {
		res = Probe(t.Context(), bad, "www.example.com", ca.Pool(), midValidity)
		assert.False(t, res.Verified)
		assert.True(t, strings.HasPrefix(res.Err, "dial: address must be"), res.Err)
		assertNoAddress(t, res.Err)
	}
}

func TestProbeAgainstNonTLSServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		_, _ = c.Write([]byte("HTTP/1.0 400 Bad Request\r\n\r\n"))
		_ = c.Close()
	}()
	res := Probe(t.Context(), ln.Addr().String(), "www.example.com", nil, midValidity)
	require.NoError(t, ln.Close())
	<-done
	assert.False(t, res.Verified)
	assert.True(t, strings.HasPrefix(res.Err, "handshake: "), res.Err)
	assertNoAddress(t, res.Err)
}

// TestProbeAgreesWithStandardClient checks that Probe's verdict and error
// are exactly what a plain verifying crypto/tls client decides.
func TestProbeAgreesWithStandardClient(t *testing.T) {
	ca := newTestCA(t)
	ep := startEndpoint(t, issue(t, ca, testSpec(0x0a1b)))
	other, err := NewCA("someone else", []byte("other"), caNotBefore, caNotAfter)
	require.NoError(t, err)

	for _, tc := range []struct {
		name       string
		serverName string
		roots      *x509.CertPool
		at         time.Time
	}{
		{"valid", "www.example.com", ca.Pool(), midValidity},
		{"at NotBefore", "www.example.com", ca.Pool(), leafStart},
		{"at NotAfter", "www.example.com", ca.Pool(), leafEnd},
		{"expired", "www.example.com", ca.Pool(), leafEnd.Add(time.Second)},
		{"not yet valid", "www.example.com", ca.Pool(), leafStart.Add(-time.Second)},
		{"wrong name", "nope.example.com", ca.Pool(), midValidity},
		{"wildcard-ish name", "a.www.example.com", ca.Pool(), midValidity},
		{"untrusted", "www.example.com", other.Pool(), midValidity},
		{"expired and wrong name", "nope.example.com", ca.Pool(), leafEnd.AddDate(1, 0, 0)},
		{"CA expired", "www.example.com", ca.Pool(), caNotAfter.Add(time.Second)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Probe(t.Context(), ep.Addr(), tc.serverName, tc.roots, tc.at)
			stdErr := standardHandshake(t, ep.Addr(), tc.serverName, tc.roots, tc.at)
			assert.Equal(t, stdErr == nil, res.Verified, "probe=%q std=%v", res.Err, stdErr)
			assert.Equal(t, "0a:1b", res.Serial)
			if stdErr == nil {
				assert.Empty(t, res.Err)
				return
			}
			var cve *stdtls.CertificateVerificationError
			require.ErrorAs(t, stdErr, &cve)
			assert.Equal(t, "verify: "+cve.Err.Error(), res.Err)
			var invalid x509.CertificateInvalidError
			stdExpired := errors.As(cve.Err, &invalid) && invalid.Reason == x509.Expired
			assert.Equal(t, stdExpired, res.Expired)
		})
	}
}

func standardHandshake(t *testing.T, addr, serverName string, roots *x509.CertPool, at time.Time) error {
	t.Helper()
	var d net.Dialer
	conn, err := d.DialContext(t.Context(), "tcp", addr)
	require.NoError(t, err)
	tc := stdtls.Client(conn, &stdtls.Config{
		RootCAs:    roots,
		ServerName: serverName,
		Time:       func() time.Time { return at },
		MinVersion: stdtls.VersionTLS12,
	})
	defer tc.Close()
	return tc.HandshakeContext(t.Context())
}

func TestProbeConcurrentWithDeploy(t *testing.T) {
	ca := newTestCA(t)
	a, b := issue(t, ca, testSpec(0xaa)), issue(t, ca, testSpec(0xbb))
	ep := startEndpoint(t, a)

	const probers, rounds = 4, 10
	results := make(chan ProbeResult, probers*rounds)
	stop := make(chan struct{})
	deployerDone := make(chan struct{})
	go func() {
		defer close(deployerDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				ep.Deploy(b)
			} else {
				ep.Deploy(a)
			}
		}
	}()
	done := make(chan struct{}, probers)
	for range probers {
		go func() {
			defer func() { done <- struct{}{} }()
			for range rounds {
				results <- Probe(context.Background(), ep.Addr(), "www.example.com", ca.Pool(), midValidity)
			}
		}()
	}
	for range probers {
		<-done
	}
	close(stop)
	<-deployerDone
	close(results)
	for res := range results {
		assert.True(t, res.Verified, res.Err)
		assert.Contains(t, []string{"aa", "bb"}, res.Serial)
	}
}
