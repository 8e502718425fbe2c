package tls

import (
	"crypto/ed25519"
	"crypto/sha256"
	stdtls "crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
)

// Domain-separation labels for everything derived from caller seeds, so that
// reusing one seed for a CA and a leaf never yields the same key.
const (
	labelCAKey    = "renewsim/fakes/tls ca key\x00"
	labelCASerial = "renewsim/fakes/tls ca serial\x00"
	labelLeafKey  = "renewsim/fakes/tls leaf key\x00"
)

// CA is a deterministic self-signed simulator root certificate authority.
// It is safe for concurrent use.
type CA struct {
	cert *x509.Certificate
	der  []byte
	key  ed25519.PrivateKey
}

// NewCA creates a self-signed root whose subject common name is name. The
// Ed25519 key and the serial number are derived from seed (which must not be
// empty), so equal arguments always produce a byte-identical certificate.
// Validity times are truncated to whole seconds.
func NewCA(name string, seed []byte, notBefore, notAfter time.Time) (*CA, error) {
	if name == "" {
		return nil, errors.New("renewsim/tls: CA name must not be empty")
	}
	if len(seed) == 0 {
		return nil, errors.New("renewsim/tls: CA seed must not be empty")
	}
	notBefore, notAfter = truncate(notBefore), truncate(notAfter)
	if notAfter.Before(notBefore) {
		return nil, errors.New("renewsim/tls: CA NotAfter is before NotBefore")
	}
	key := deriveKey(labelCAKey, seed)
	pub := key.Public().(ed25519.PublicKey)

	serialSum := derive(labelCASerial, seed)
	serialBytes := serialSum[:16]
	serialBytes[0] &= 0x7f // positive, at most 16 octets when encoded
	serial := new(big.Int).SetBytes(serialBytes)
	if serial.Sign() == 0 {
		serial.SetInt64(1)
	}

	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            0,
		MaxPathLenZero:        true,
		// Set explicitly so the bytes do not depend on the x509sha256skid
		// GODEBUG setting (RFC 7093 method 1 over the raw public key).
		SubjectKeyId: subjectKeyID(pub),
	}
	der, err := x509.CreateCertificate(noRandom{}, tmpl, tmpl, pub, key)
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: create CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: parse CA certificate: %w", err)
	}
	return &CA{cert: cert, der: der, key: key}, nil
}

// Certificate returns the parsed root certificate. It must not be modified.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// Pool returns a fresh pool containing only this root, suitable for
// [Probe] or a client's RootCAs.
func (ca *CA) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	return pool
}

// PEM returns the root certificate in PEM form.
func (ca *CA) PEM() []byte { return certPEM(ca.der) }

// LeafSpec describes a server certificate to issue.
type LeafSpec struct {
	// Serial is the certificate serial number; it must be positive.
	Serial *big.Int
	// CommonName is the subject CN; it may be empty if DNSNames is not.
	CommonName string
	// DNSNames are the subject alternative names clients match against.
	DNSNames []string
	// NotBefore and NotAfter bound the validity period (truncated to
	// whole seconds).
	NotBefore, NotAfter time.Time
	// KeySeed determines the leaf's Ed25519 key; it must not be empty.
	KeySeed []byte
}

// Leaf is an issued server certificate together with its key. It must be
// treated as read-only once issued.
type Leaf struct {
	// Cert is the parsed leaf certificate.
	Cert *x509.Certificate
	// DER is the leaf certificate's DER encoding.
	DER []byte
	// TLS holds the leaf followed by the CA certificate, the leaf's private
	// key, and the parsed leaf; endpoints serve it as is.
	TLS stdtls.Certificate

	caDER []byte
}

// Issue signs a server-authentication leaf described by spec. Equal specs
// issued by equal CAs produce byte-identical DER.
func (ca *CA) Issue(spec LeafSpec) (*Leaf, error) {
	if spec.Serial == nil || spec.Serial.Sign() <= 0 {
		return nil, errors.New("renewsim/tls: leaf serial must be positive")
	}
	if spec.CommonName == "" && len(spec.DNSNames) == 0 {
		return nil, errors.New("renewsim/tls: leaf needs a CommonName or DNSNames")
	}
	if len(spec.KeySeed) == 0 {
		return nil, errors.New("renewsim/tls: leaf KeySeed must not be empty")
	}
	notBefore, notAfter := truncate(spec.NotBefore), truncate(spec.NotAfter)
	if notAfter.Before(notBefore) {
		return nil, errors.New("renewsim/tls: leaf NotAfter is before NotBefore")
	}
	key := deriveKey(labelLeafKey, spec.KeySeed)
	pub := key.Public().(ed25519.PublicKey)

	tmpl := &x509.Certificate{
		SerialNumber:          new(big.Int).Set(spec.Serial),
		Subject:               pkix.Name{CommonName: spec.CommonName},
		DNSNames:              append([]string(nil), spec.DNSNames...),
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  false,
		SubjectKeyId:          subjectKeyID(pub),
	}
	der, err := x509.CreateCertificate(noRandom{}, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: create leaf certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: parse leaf certificate: %w", err)
	}
	return &Leaf{
		Cert: cert,
		DER:  der,
		TLS: stdtls.Certificate{
			Certificate: [][]byte{der, ca.der},
			PrivateKey:  key,
			Leaf:        cert,
		},
		caDER: ca.der,
	}, nil
}

// PEM returns the leaf certificate in PEM form.
func (l *Leaf) PEM() []byte { return certPEM(l.DER) }

// ChainPEM returns the issuing CA certificate in PEM form, the way ACM
// returns a certificate's chain separately from the certificate.
func (l *Leaf) ChainPEM() []byte { return certPEM(l.caDER) }

// SerialHex returns the leaf serial in ACM's display form, e.g. "0a:1b:2c".
func (l *Leaf) SerialHex() string { return FormatSerial(l.Cert.SerialNumber) }

// FormatSerial formats a serial number the way ACM shows serials: the
// big-endian magnitude bytes in lower-case hex, separated by colons. Zero is
// "00"; nil is "".
func FormatSerial(serial *big.Int) string {
	if serial == nil {
		return ""
	}
	b := serial.Bytes()
	if len(b) == 0 {
		b = []byte{0}
	}
	var sb strings.Builder
	sb.Grow(len(b)*3 - 1)
	const hexDigits = "0123456789abcdef"
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteByte(hexDigits[c>>4])
		sb.WriteByte(hexDigits[c&0x0f])
	}
	return sb.String()
}

func derive(label string, seed []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(label))
	h.Write(seed)
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

func deriveKey(label string, seed []byte) ed25519.PrivateKey {
	s := derive(label, seed)
	return ed25519.NewKeyFromSeed(s[:])
}

func subjectKeyID(pub ed25519.PublicKey) []byte {
	sum := sha256.Sum256(pub)
	return sum[:20]
}

func truncate(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func certPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// noRandom is handed to x509.CreateCertificate. Ed25519 signing and an
// explicit serial number need no randomness; if the standard library ever
// started consuming some, issuing fails loudly instead of silently becoming
// non-deterministic.
type noRandom struct{}

func (noRandom) Read([]byte) (int, error) {
	return 0, errors.New("renewsim/tls: certificate creation unexpectedly requested randomness")
}

var _ io.Reader = noRandom{}
