package tls

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIssueSameSpecTwiceIsByteIdentical(t *testing.T) {
	ca := newTestCA(t)
	a := issue(t, ca, testSpec(0x0a1b))
	b := issue(t, ca, testSpec(0x0a1b))
	require.Equal(t, a.DER, b.DER)
	require.Equal(t, a.PEM(), b.PEM())

	// An independently constructed CA from the same inputs is identical too,
	// and issues the identical leaf.
	ca2 := newTestCA(t)
	require.Equal(t, ca.Certificate().Raw, ca2.Certificate().Raw)
	c := issue(t, ca2, testSpec(0x0a1b))
	require.Equal(t, a.DER, c.DER)
	require.Equal(t, a.TLS.Certificate, c.TLS.Certificate)
}

// TestGoldenDigests pins the bytes across runs and processes, not just within
// one process. If a Go release changes crypto/x509's encoding these digests
// change; that is exactly the kind of drift the simulator needs to hear about.
func TestGoldenDigests(t *testing.T) {
	ca := newTestCA(t)
	leaf := issue(t, ca, testSpec(0x0a1b))
	caSum := sha256.Sum256(ca.Certificate().Raw)
	leafSum := sha256.Sum256(leaf.DER)
	assert.Equal(t, goldenCADigest, hex.EncodeToString(caSum[:]))
	assert.Equal(t, goldenLeafDigest, hex.EncodeToString(leafSum[:]))
}

const (
	goldenCADigest   = "67e014b12b0b3b858513a59ebdf74be3cf3107fb3fa3ab70a96b62cc387b18a1"
	goldenLeafDigest = "de2ce6c5124bcbefaaed4ae83fe7791be0a0c9f132d880e08bc6f186c34a154a"
)

func TestIssueInputsChangeOutput(t *testing.T) {
	ca := newTestCA(t)
	base := issue(t, ca, testSpec(1))

	other := testSpec(1)
	other.KeySeed = []byte("another key")
	o := issue(t, ca, other)
	assert.NotEqual(t, base.DER, o.DER)
	assert.False(t, base.Cert.PublicKey.(ed25519.PublicKey).Equal(o.Cert.PublicKey))

	assert.NotEqual(t, base.DER, issue(t, ca, testSpec(2)).DER)

	otherCA, err := NewCA("renewsim test root", []byte("other-ca-seed"), caNotBefore, caNotAfter)
	require.NoError(t, err)
	assert.NotEqual(t, ca.Certificate().SerialNumber, otherCA.Certificate().SerialNumber)
	assert.NotEqual(t, base.DER, issue(t, otherCA, testSpec(1)).DER)
}

func TestSameSeedForCAAndLeafGivesDifferentKeys(t *testing.T) {
	seed := []byte("shared")
	ca, err := NewCA("root", seed, caNotBefore, caNotAfter)
	require.NoError(t, err)
	spec := testSpec(1)
	spec.KeySeed = seed
	leaf := issue(t, ca, spec)
	assert.False(t, leaf.Cert.PublicKey.(ed25519.PublicKey).Equal(ca.Certificate().PublicKey))
}

func TestCAProperties(t *testing.T) {
	ca := newTestCA(t)
	c := ca.Certificate()
	assert.Equal(t, "renewsim test root", c.Subject.CommonName)
	assert.Equal(t, c.Subject.String(), c.Issuer.String())
	assert.True(t, c.IsCA)
	assert.True(t, c.BasicConstraintsValid)
	assert.Equal(t, x509.KeyUsageCertSign, c.KeyUsage)
	assert.Equal(t, x509.PureEd25519, c.SignatureAlgorithm)
	assert.Equal(t, x509.Ed25519, c.PublicKeyAlgorithm)
	assert.Equal(t, caNotBefore, c.NotBefore)
	assert.Equal(t, caNotAfter, c.NotAfter)
	assert.Equal(t, 1, c.SerialNumber.Sign())
	assert.LessOrEqual(t, len(c.SerialNumber.Bytes()), 16)
	assert.Len(t, c.SubjectKeyId, 20)
	require.NoError(t, c.CheckSignatureFrom(c))

	block, rest := pem.Decode(ca.PEM())
	require.NotNil(t, block)
	assert.Empty(t, rest)
	assert.Equal(t, "CERTIFICATE", block.Type)
	assert.Equal(t, c.Raw, block.Bytes)

	// Pool returns a fresh pool each time, so callers cannot pollute it.
	p := ca.Pool()
	p.AddCert(issue(t, ca, testSpec(1)).Cert)
	assert.True(t, ca.Pool().Equal(ca.Pool()))
	assert.False(t, p.Equal(ca.Pool()))
}

func TestLeafProperties(t *testing.T) {
	ca := newTestCA(t)
	spec := testSpec(0x0a1b2c)
	leaf := issue(t, ca, spec)
	c := leaf.Cert

	assert.Equal(t, leaf.DER, c.Raw)
	assert.Equal(t, "www.example.com", c.Subject.CommonName)
	assert.Equal(t, spec.DNSNames, c.DNSNames)
	assert.Equal(t, x509.KeyUsageDigitalSignature, c.KeyUsage)
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, c.ExtKeyUsage)
	assert.False(t, c.IsCA)
	assert.Equal(t, x509.PureEd25519, c.SignatureAlgorithm)
	assert.Equal(t, ca.Certificate().SubjectKeyId, c.AuthorityKeyId)
	assert.Equal(t, 0, c.SerialNumber.Cmp(spec.Serial))
	require.NoError(t, c.CheckSignatureFrom(ca.Certificate()))

	// TLS holds leaf + CA chain and the matching key.
	require.Len(t, leaf.TLS.Certificate, 2)
	assert.Equal(t, leaf.DER, leaf.TLS.Certificate[0])
	assert.Equal(t, ca.Certificate().Raw, leaf.TLS.Certificate[1])
	assert.Same(t, c, leaf.TLS.Leaf)
	priv, ok := leaf.TLS.PrivateKey.(ed25519.PrivateKey)
	require.True(t, ok)
	assert.True(t, priv.Public().(ed25519.PublicKey).Equal(c.PublicKey))

	block, _ := pem.Decode(leaf.PEM())
	require.NotNil(t, block)
	assert.Equal(t, leaf.DER, block.Bytes)
	assert.Equal(t, ca.PEM(), leaf.ChainPEM())

	assert.Equal(t, "0a:1b:2c", leaf.SerialHex())

	// Issue copies its inputs: mutating the spec afterwards changes nothing.
	spec.Serial.SetInt64(99)
	spec.DNSNames[0] = "mutated.example.com"
	assert.Equal(t, "0a:1b:2c", leaf.SerialHex())
	assert.Equal(t, "www.example.com", leaf.Cert.DNSNames[0])
}

func TestValidityTruncatedToSeconds(t *testing.T) {
	ca := newTestCA(t)
	spec := testSpec(1)
	spec.NotBefore = leafStart.Add(999 * time.Millisecond).In(time.FixedZone("X", 3600))
	spec.NotAfter = leafEnd.Add(500 * time.Millisecond)
	leaf := issue(t, ca, spec)
	assert.Equal(t, leafStart, leaf.Cert.NotBefore)
	assert.Equal(t, leafEnd, leaf.Cert.NotAfter)
	assert.Equal(t, issue(t, ca, testSpec(1)).DER, leaf.DER)
}

func TestFormatSerial(t *testing.T) {
	big16, ok := new(big.Int).SetString("0a1b2c3d4e5f60718293a4b5c6d7e8f9", 16)
	require.True(t, ok)
	for _, tc := range []struct {
		in   *big.Int
		want string
	}{
		{nil, ""},
		{big.NewInt(0), "00"},
		{big.NewInt(1), "01"},
		{big.NewInt(255), "ff"},
		{big.NewInt(256), "01:00"},
		{big.NewInt(0x0a1b), "0a:1b"},
		{big16, "0a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9"},
	} {
		assert.Equal(t, tc.want, FormatSerial(tc.in), "serial %v", tc.in)
	}
}

func TestIssueRejectsBadSpecs(t *testing.T) {
	ca := newTestCA(t)
	for name, mutate := range map[string]func(*LeafSpec){
		"nil serial":      func(s *LeafSpec) { s.Serial = nil },
		"zero serial":     func(s *LeafSpec) { s.Serial = big.NewInt(0) },
		"negative serial": func(s *LeafSpec) { s.Serial = big.NewInt(-5) },
		"no names":        func(s *LeafSpec) { s.CommonName, s.DNSNames = "", nil },
		"empty key seed":  func(s *LeafSpec) { s.KeySeed = nil },
		"inverted times":  func(s *LeafSpec) { s.NotBefore, s.NotAfter = s.NotAfter, s.NotBefore },
	} {
		t.Run(name, func(t *testing.T) {
			spec := testSpec(1)
			mutate(&spec)
			leaf, err := ca.Issue(spec)
			assert.Error(t, err)
			assert.Nil(t, leaf)
		})
	}
}

func TestNewCARejectsBadInput(t *testing.T) {
	_, err := NewCA("", []byte("s"), caNotBefore, caNotAfter)
	assert.Error(t, err)
	_, err = NewCA("root", nil, caNotBefore, caNotAfter)
	assert.Error(t, err)
	_, err = NewCA("root", []byte("s"), caNotAfter, caNotBefore)
	assert.Error(t, err)
}

func TestNoRandomReaderRefuses(t *testing.T) {
	n, err := noRandom{}.Read(make([]byte, 8))
	assert.Zero(t, n)
	assert.Error(t, err)
}
