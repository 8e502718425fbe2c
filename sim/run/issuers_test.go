package run

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/acmapi"
	"github.com/renewsim/renewsim/scenarios"
)

// keysScenario has a certificate of every type and key family.
const keysScenario = `name: keys
start: 2026-03-01T00:00:00Z
seed: 7
resources:
  - {id: alb, kind: elb, hostnames: [rsa.example.com]}
  - {id: cdn, kind: cloudfront, hostnames: [ec.example.com]}
certificates:
  - {id: rsa, domain: rsa.example.com, in_use_by: [alb]}
  - {id: ec, domain: ec.example.com, key_algorithm: EC_prime256v1, in_use_by: [cdn]}
  - {id: ec384, domain: ec384.example.com, key_algorithm: EC_secp384r1}
  - {id: priv, domain: priv.example.com, type: private}
  - {id: privec, domain: privec.example.com, type: private-ca, key_algorithm: EC_secp521r1}
  - {id: imp, domain: imp.example.com, type: imported, key_algorithm: RSA_4096}
  - {id: imp1024, domain: old.example.com, type: imported, key_algorithm: RSA_1024, issued: 2024-01-01T00:00:00Z}
`

// liveYAML starts a live run of a scenario written in YAML; the caller
// checks for leaks once all of its runs are closed.
func liveYAML(t *testing.T, doc string) *Live {
	t.Helper()
	sc, err := scenarios.Parse("keys.yaml", []byte(doc))
	require.NoError(t, err)
	l, err := StartLive(context.Background(), sc, Options{}, Addrs{})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	return l
}

// pemCerts parses the certificates of a PEM text.
func pemCerts(t *testing.T, text string) []*x509.Certificate {
	t.Helper()
	var out []*x509.Certificate
	for rest := []byte(text); ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return out
		}
		c, err := x509.ParseCertificate(b.Bytes)
		require.NoError(t, err)
		out = append(out, c)
	}
}

// keyAlgorithmOf names a public key as ACM does.
func keyAlgorithmOf(pub any) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA_%d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return map[string]string{"P-256": "EC_prime256v1", "P-384": "EC_secp384r1", "P-521": "EC_secp521r1"}[k.Curve.Params().Name]
	}
	return fmt.Sprintf("%T", pub)
}

var acmSignature = map[x509.SignatureAlgorithm]string{
	x509.SHA256WithRSA: "SHA256WITHRSA", x509.ECDSAWithSHA256: "SHA256WITHECDSA", x509.ECDSAWithSHA384: "SHA384WITHECDSA",
}

// What GetCertificate returns in a live run is what DescribeCertificate
// says of it: the key algorithm, the signature algorithm, the issuer, the
// key usages and extended key usages; private certificates name their CA.
func TestLiveCertificatesAreWhatDescribeSays(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	l := liveYAML(t, keysScenario)
	b := NewACMBackend(l)
	certs := b.Certificates()
	require.Len(t, certs, 7)
	for _, d := range certs {
		t.Run(d.DomainName, func(t *testing.T) {
			leafPEM, chainPEM, err := b.PEM(d.ARN)
			require.NoError(t, err)
			leaf := pemCerts(t, leafPEM)
			require.Len(t, leaf, 1)
			c := leaf[0]
			chain := pemCerts(t, chainPEM)
			assert.Equal(t, d.KeyAlgorithm, keyAlgorithmOf(c.PublicKey))
			assert.Equal(t, d.SignatureAlgorithm, acmSignature[c.SignatureAlgorithm])
			assert.Equal(t, d.Serial, strings.ToLower(colonHex(c.SerialNumber.Bytes())))
			assert.Equal(t, "CN="+d.DomainName, "CN="+c.Subject.CommonName)
			var usages []string
			if c.KeyUsage&x509.KeyUsageDigitalSignature != 0 {
				usages = append(usages, "DIGITAL_SIGNATURE")
			}
			if c.KeyUsage&x509.KeyUsageKeyEncipherment != 0 {
				usages = append(usages, "KEY_ENCIPHERMENT")
			}
			assert.Equal(t, d.KeyUsages, usages)
			var ekus []string
			for _, u := range c.ExtKeyUsage {
				ekus = append(ekus, map[x509.ExtKeyUsage]string{x509.ExtKeyUsageServerAuth: "TLS_WEB_SERVER_AUTHENTICATION", x509.ExtKeyUsageClientAuth: "TLS_WEB_CLIENT_AUTHENTICATION"}[u])
			}
			var want []string
			for _, u := range d.ExtendedKeyUsages {
				want = append(want, u.Name)
			}
			assert.Equal(t, want, ekus)

			switch d.Type {
			case acmapi.TypeAmazonIssued:
				assert.Equal(t, "Amazon", d.Issuer)
				assert.Equal(t, []string{"Amazon"}, c.Issuer.Organization)
				assert.Regexp(t, `^Amazon (RSA 2048 M03|ECDSA 256 M02|ECDSA 384 M02)$`, c.Issuer.CommonName)
				require.Len(t, chain, 2, "intermediate, then root")
				assert.Regexp(t, `^CN=Amazon Root CA [134],OU=renewsim simulator \(not Amazon\),O=Amazon,C=US$`, chain[1].Subject.String())
				assert.Empty(t, d.CertificateAuthorityARN)
				assert.Equal(t, []string{"TLS_WEB_SERVER_AUTHENTICATION"}, ekus, "issued after 11 June 2025: no client authentication")
			case acmapi.TypePrivate:
				assert.Equal(t, c.Issuer.CommonName, d.Issuer)
				assert.Contains(t, d.Issuer, "renewsim Private CA")
				assert.Regexp(t, `^arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, d.CertificateAuthorityARN)
			case acmapi.TypeImported:
				assert.Equal(t, c.Issuer.CommonName, d.Issuer)
				assert.Empty(t, d.CertificateAuthorityARN)
			}
			// The chain verifies to a root the run's clients trust.
			inter := x509.NewCertPool()
			for _, ca := range chain {
				inter.AddCert(ca)
			}
			_, err = c.Verify(x509.VerifyOptions{Roots: l.w.trust(), Intermediates: inter, DNSName: d.DomainName, CurrentTime: c.NotBefore})
			assert.NoError(t, err)
		})
	}
}

func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02x", x)
	}
	return strings.Join(parts, ":")
}

// The same scenario and seed give the same certificates, byte for byte,
// from GetCertificate and from the resources' HTTPS; the resources serve
// the leaf with its intermediate.
func TestLiveCertificatesAreDeterministic(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	served := func(l *Live) (map[string]string, [][]byte) {
		b := NewACMBackend(l)
		out := map[string]string{}
		for _, d := range b.Certificates() {
			leaf, chain, err := b.PEM(d.ARN)
			require.NoError(t, err)
			out[d.DomainName] = leaf + chain
		}
		_, _, _, res := l.Addrs()
		conn, err := tls.Dial("tcp", res[1].TLS, &tls.Config{ServerName: "ec.example.com", RootCAs: l.w.trust(), Time: l.Now})
		require.NoError(t, err)
		defer conn.Close()
		var raw [][]byte
		for _, c := range conn.ConnectionState().PeerCertificates {
			raw = append(raw, c.Raw)
		}
		return out, raw
	}
	a, aTLS := served(liveYAML(t, keysScenario))
	b, bTLS := served(liveYAML(t, keysScenario))
	assert.Equal(t, a, b)
	assert.Equal(t, aTLS, bTLS)
	require.Len(t, aTLS, 2, "leaf and intermediate")
	leaf := pemCerts(t, a["ec.example.com"])[0]
	assert.Equal(t, leaf.Raw, aTLS[0], "the resource serves what GetCertificate returns")

	c, _ := served(liveYAML(t, strings.Replace(keysScenario, "seed: 7", "seed: 8", 1)))
	assert.NotEqual(t, a["rsa.example.com"], c["rsa.example.com"], "another seed, other serials and keys")
}

// The simulated CAs have keys of their own: no two share one.
func TestIssuersHaveDistinctKeys(t *testing.T) {
	is, err := newIssuers()
	require.NoError(t, err)
	seen := map[string]string{}
	for f := range issuerNames {
		for _, c := range []*x509.Certificate{is.amazon[f].Certificate(), is.amazon[f].Root().Certificate(), is.private[f].Certificate(), is.imported[f].Certificate()} {
			der, err := x509.MarshalPKIXPublicKey(c.PublicKey)
			require.NoError(t, err)
			if other, ok := seen[string(der)]; ok {
				t.Errorf("%s and %s share a key", c.Subject.CommonName, other)
			}
			seen[string(der)] = c.Subject.CommonName
		}
	}
}
