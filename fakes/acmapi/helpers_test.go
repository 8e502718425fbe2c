package acmapi_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/acmapi"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	arnWeb      = "arn:aws:acm:us-east-1:123456789012:certificate/6b32f324-1dd9-4345-a5a9-06dab5fe0608"
	arnMail     = "arn:aws:acm:us-east-1:123456789012:certificate/0c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5"
	arnImported = "arn:aws:acm:us-east-1:123456789012:certificate/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	arnPending  = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-4333-8444-555555555555"
	// arnBroken names a certificate whose Renew fails with a plain error.
	arnBroken = "arn:aws:acm:us-east-1:123456789012:certificate/deadbeef-0000-4000-8000-000000000000"
	// arnUnknown is well-formed but names no certificate.
	arnUnknown = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000"
	albARN     = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb-prod/50dc6c495c0c9188"
)

var (
	t0           = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	webNotBefore = t0
	webNotAfter  = time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)
	// renewalUpdated has milliseconds, which the wire keeps.
	renewalUpdated = time.Date(2026, 8, 16, 0, 0, 0, 250*int(time.Millisecond), time.UTC)
)

// testBackend is a small Backend over a fixed set of certificates: web
// (ISSUED, DNS, renewal PENDING_VALIDATION), mail (EXPIRED, e-mail),
// imported (IMPORTED, EC key, so hidden by ListCertificates' default key
// filter), pending (PENDING_VALIDATION, e-mail, not yet issued) and
// broken (Renew fails with a plain error).
type testBackend struct {
	mu      sync.Mutex
	certs   []acmapi.Certificate
	pem     map[string][2]string
	tags    map[string][]acmapi.Tag
	days    int
	renewed []string
	resent  [][3]string
}

func newBackend(t *testing.T) *testBackend {
	leaf, chain := issue(t, "example.com", webNotBefore, webNotAfter)
	web := acmapi.Certificate{
		ARN:                     arnWeb,
		DomainName:              "example.com",
		SubjectAlternativeNames: []string{"example.com", "www.example.com"},
		DomainValidationOptions: []acmapi.DomainValidation{
			{
				DomainName: "example.com", ValidationDomain: "example.com",
				ValidationStatus: acmapi.DomainSuccess, ValidationMethod: acmapi.MethodDNS,
				ResourceRecord: &acmapi.ResourceRecord{
					Name:  "_38d0c69c826e1b7de6fc26a214d5a5be.example.com.",
					Value: "_cc23a6b1f7c3e5d09a8f8e1d2c3b4a59.kbwbeyjmug.acm-validations.aws.",
				},
			},
			{
				DomainName: "www.example.com", ValidationDomain: "www.example.com",
				ValidationStatus: acmapi.DomainSuccess, ValidationMethod: acmapi.MethodDNS,
				ResourceRecord: &acmapi.ResourceRecord{
					Name:  "_9a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e.www.example.com.",
					Type:  "CNAME",
					Value: "_0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a.kbwbeyjmug.acm-validations.aws.",
				},
			},
		},
		Serial:             "6b:32:f3:24:1d:d9:73:45:e5:a9:06:da:b5:fe:06:08",
		Subject:            "CN=example.com",
		Issuer:             "Amazon",
		SignatureAlgorithm: "SHA256WITHRSA",
		CreatedAt:          t0.Add(-time.Hour),
		IssuedAt:           t0,
		NotBefore:          webNotBefore,
		NotAfter:           webNotAfter,
		Status:             acmapi.StatusIssued,
		InUseBy:            []string{albARN},
		Type:               acmapi.TypeAmazonIssued,
		RenewalEligibility: acmapi.Eligible,
		RenewalSummary: &acmapi.RenewalSummary{
			RenewalStatus: acmapi.RenewalPendingValidation,
			DomainValidationOptions: []acmapi.DomainValidation{
				{DomainName: "example.com", ValidationDomain: "example.com",
					ValidationStatus: acmapi.DomainSuccess, ValidationMethod: acmapi.MethodDNS},
				{DomainName: "www.example.com", ValidationDomain: "www.example.com",
					ValidationStatus: acmapi.DomainPending, ValidationMethod: acmapi.MethodDNS},
			},
			UpdatedAt: renewalUpdated,
		},
		KeyAlgorithm: acmapi.KeyRSA2048,
		KeyUsages:    []string{"DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"},
		ExtendedKeyUsages: []acmapi.ExtendedKeyUsage{
			{Name: "TLS_WEB_SERVER_AUTHENTICATION", OID: "1.3.6.1.5.5.7.3.1"},
			{Name: "TLS_WEB_CLIENT_AUTHENTICATION", OID: "1.3.6.1.5.5.7.3.2"},
		},
		Options: acmapi.Options{CertificateTransparencyLoggingPreference: "ENABLED", Export: "DISABLED"},
	}
	mail := acmapi.Certificate{
		ARN:                     arnMail,
		DomainName:              "mail.example.net",
		SubjectAlternativeNames: []string{"mail.example.net"},
		DomainValidationOptions: []acmapi.DomainValidation{{
			DomainName: "mail.example.net", ValidationDomain: "example.net",
			ValidationEmails: []string{"admin@example.net", "hostmaster@example.net"},
			ValidationStatus: acmapi.DomainFailed, ValidationMethod: acmapi.MethodEmail,
		}},
		CreatedAt: t0.Add(-400 * 24 * time.Hour),
		IssuedAt:  t0.Add(-400 * 24 * time.Hour),
		NotBefore: t0.Add(-400 * 24 * time.Hour),
		NotAfter:  t0.Add(-5 * 24 * time.Hour),
		Status:    acmapi.StatusExpired,
		Type:      acmapi.TypeAmazonIssued,
		RenewalSummary: &acmapi.RenewalSummary{
			RenewalStatus:       acmapi.RenewalFailed,
			RenewalStatusReason: acmapi.FailureReasonNoAvailableContacts,
			UpdatedAt:           t0.Add(-5 * 24 * time.Hour),
		},
		RenewalEligibility: acmapi.Ineligible,
		KeyAlgorithm:       acmapi.KeyRSA2048,
	}
	imported := acmapi.Certificate{
		ARN:                     arnImported,
		DomainName:              "legacy.example.org",
		SubjectAlternativeNames: []string{"legacy.example.org"},
		Issuer:                  "Example Corp CA",
		ImportedAt:              t0.Add(-48 * time.Hour),
		NotBefore:               t0.Add(-72 * time.Hour),
		NotAfter:                t0.Add(90 * 24 * time.Hour),
		Status:                  acmapi.StatusIssued,
		InUseBy:                 []string{albARN},
		Type:                    acmapi.TypeImported,
		RenewalEligibility:      acmapi.Ineligible,
		KeyAlgorithm:            acmapi.KeyECPrime256v1,
	}
	pending := acmapi.Certificate{
		ARN:                     arnPending,
		DomainName:              "new.example.org",
		SubjectAlternativeNames: []string{"new.example.org"},
		DomainValidationOptions: []acmapi.DomainValidation{{
			DomainName: "new.example.org", ValidationDomain: "example.org",
			ValidationEmails: []string{"admin@example.org"},
			ValidationStatus: acmapi.DomainPending, ValidationMethod: acmapi.MethodEmail,
		}},
		CreatedAt:          t0.Add(2 * time.Hour),
		Status:             acmapi.StatusPendingValidation,
		Type:               acmapi.TypeAmazonIssued,
		RenewalEligibility: acmapi.Ineligible,
		KeyAlgorithm:       acmapi.KeyRSA2048,
	}
	broken := acmapi.Certificate{
		ARN: arnBroken, DomainName: "broken.example.com", Status: acmapi.StatusIssued,
		Type: acmapi.TypeAmazonIssued, KeyAlgorithm: acmapi.KeyRSA4096, CreatedAt: t0.Add(time.Hour),
	}
	return &testBackend{
		certs: []acmapi.Certificate{web, mail, imported, pending, broken},
		pem:   map[string][2]string{arnWeb: {leaf, chain}},
		tags: map[string][]acmapi.Tag{
			arnWeb: {{Key: "Name", Value: "web"}, {Key: "team"}},
		},
		days: 45,
	}
}

func (b *testBackend) renewCalls() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.renewed...)
}

func (b *testBackend) resendCalls() [][3]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([][3]string(nil), b.resent...)
}

func (b *testBackend) Certificates() []acmapi.Certificate {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]acmapi.Certificate(nil), b.certs...)
}

func (b *testBackend) Certificate(arn string) (acmapi.Certificate, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.certs {
		if c.ARN == arn {
			return c, true
		}
	}
	return acmapi.Certificate{}, false
}

// update changes the certificate in place, as the simulation would.
func (b *testBackend) update(arn string, f func(*acmapi.Certificate)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range b.certs {
		if b.certs[i].ARN == arn {
			f(&b.certs[i])
		}
	}
}

func (b *testBackend) PEM(arn string) (string, string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.pem[arn]
	if !ok {
		return "", "", acmapi.RequestInProgress(arn)
	}
	return p[0], p[1], nil
}

func (b *testBackend) Renew(arn string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch arn {
	case arnWeb:
		b.renewed = append(b.renewed, arn)
		return nil
	case arnBroken:
		return errors.New("model exploded")
	default:
		return acmapi.NotEligible(arn)
	}
}

func (b *testBackend) ResendValidationEmail(arn, domain, validationDomain string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if arn == arnMail {
		return acmapi.InvalidState("The certificate has expired; request a new one.")
	}
	b.resent = append(b.resent, [3]string{arn, domain, validationDomain})
	return nil
}

func (b *testBackend) ExpiryEventsDays() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.days
}

func (b *testBackend) SetExpiryEventsDays(days int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.days = days
	return nil
}

func (b *testBackend) Tags(arn string) []acmapi.Tag {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tags[arn]
}

// issue makes a CA and a leaf certificate for name, both as PEM.
func issue(t *testing.T, name string, notBefore, notAfter time.Time) (leaf, chain string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Amazon RSA 2048 M03 (test)"},
		NotBefore:             notBefore.Add(-24 * time.Hour),
		NotAfter:              notAfter.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caTmpl, &key.PublicKey, caKey)
	require.NoError(t, err)
	enc := func(der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}
	return enc(der), enc(caDER)
}

// start serves b on loopback and returns the server and an SDK client
// pointed at it. Cleanup closes the client's connections and the server.
func start(t *testing.T, b acmapi.Backend) (*acmapi.Server, *acm.Client) {
	t.Helper()
	srv := acmapi.New(acmapi.Config{Backend: b})
	require.NoError(t, srv.Start())
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		require.NoError(t, srv.Close())
	})
	client := acm.New(acm.Options{
		BaseEndpoint:     aws.String(srv.URL()),
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: tr},
	})
	return srv, client
}
