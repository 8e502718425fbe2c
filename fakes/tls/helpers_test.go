package tls

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	caNotBefore = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	caNotAfter  = time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	leafStart   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	leafEnd     = time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	midValidity = time.Date(2025, 2, 15, 12, 0, 0, 0, time.UTC)
)

func newTestCA(t testing.TB) *CA {
	t.Helper()
	ca, err := NewCA("renewsim test root", []byte("test-ca-seed"), caNotBefore, caNotAfter)
	require.NoError(t, err)
	return ca
}

func testSpec(serial int64) LeafSpec {
	return LeafSpec{
		Serial:     big.NewInt(serial),
		CommonName: "www.example.com",
		DNSNames:   []string{"www.example.com", "example.com"},
		NotBefore:  leafStart,
		NotAfter:   leafEnd,
		KeySeed:    []byte("arn:aws:acm:us-east-1:123456789012:certificate/abc"),
	}
}

func issue(t testing.TB, ca *CA, spec LeafSpec) *Leaf {
	t.Helper()
	leaf, err := ca.Issue(spec)
	require.NoError(t, err)
	return leaf
}

// startEndpoint starts an endpoint with leaf deployed (if non-nil) and
// closes it when the test ends.
func startEndpoint(t testing.TB, leaf *Leaf) *Endpoint {
	t.Helper()
	ep := New(Config{Name: "alb-1"})
	if leaf != nil {
		ep.Deploy(leaf)
	}
	require.NoError(t, ep.Start())
	t.Cleanup(func() { require.NoError(t, ep.Close()) })
	return ep
}
