package tls

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	stdtls "crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
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

// CA is a deterministic simulator certificate authority: a self-signed
// root, or an intermediate of one. It is safe for concurrent use.
type CA struct {
	cert *x509.Certificate
	der  []byte
	key  crypto.Signer
	// parents are the CAs above this one, nearest first, ending with the
	// root; empty for a root.
	parents []*CA
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

// CASpec describes a CA whose key comes from the simulator's CA key pools
// (keys/CA_*.pem), for NewRootCA and CA.NewSubCA.
type CASpec struct {
	// Subject is the CA's name; its CommonName must not be empty.
	Subject pkix.Name
	// KeyType is one of CAKeyTypes.
	KeyType KeyType
	// Key is the index of the CA's key in the pool of its type, from 0 to
	// CAKeys-1: a CA's key is chosen, not drawn, so that the CAs of a
	// hierarchy never share one.
	Key int
	// Seed derives the serial number; it must not be empty. Equal specs
	// give byte-identical certificates.
	Seed []byte
	// NotBefore and NotAfter bound the validity (truncated to seconds).
	NotBefore, NotAfter time.Time
}

// NewRootCA creates a self-signed root with a pooled RSA or ECDSA key,
// signed deterministically (PKCS #1 v1.5, or ECDSA by RFC 6979).
func NewRootCA(spec CASpec) (*CA, error) { return newCA(spec, nil) }

// NewSubCA creates an intermediate CA that ca signs. Its leaves are served
// with it (and without the root), as a real server sends its chain.
func (ca *CA) NewSubCA(spec CASpec) (*CA, error) { return newCA(spec, ca) }

func newCA(spec CASpec, parent *CA) (*CA, error) {
	if spec.Subject.CommonName == "" {
		return nil, errors.New("renewsim/tls: CA name must not be empty")
	}
	if len(spec.Seed) == 0 {
		return nil, errors.New("renewsim/tls: CA seed must not be empty")
	}
	if !slices.Contains(CAKeyTypes, spec.KeyType) {
		return nil, fmt.Errorf("renewsim/tls: CA key type %q is not one of %v", spec.KeyType, CAKeyTypes)
	}
	notBefore, notAfter := truncate(spec.NotBefore), truncate(spec.NotAfter)
	if notAfter.Before(notBefore) {
		return nil, errors.New("renewsim/tls: CA NotAfter is before NotBefore")
	}
	keys, err := loadPool("CA_" + string(spec.KeyType) + ".pem")
	if err != nil {
		return nil, err
	}
	if spec.Key < 0 || spec.Key >= len(keys) {
		return nil, fmt.Errorf("renewsim/tls: CA key %d of %s: the pool has keys 0 to %d", spec.Key, spec.KeyType, len(keys)-1)
	}
	key := keys[spec.Key]
	skid, err := keyID(key.Public())
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serialOf(spec.Seed),
		Subject:               spec.Subject,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          skid,
	}
	issuer, signer := tmpl, crypto.Signer(deterministic{key})
	var parents []*CA
	if parent != nil {
		// An intermediate issues leaves only, as Amazon's do.
		tmpl.MaxPathLen, tmpl.MaxPathLenZero = 0, true
		issuer, signer = parent.cert, deterministic{parent.key}
		parents = append([]*CA{parent}, parent.parents...)
	}
	der, err := x509.CreateCertificate(noRandom{}, tmpl, issuer, key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: create CA certificate %q: %w", spec.Subject.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: parse CA certificate: %w", err)
	}
	return &CA{cert: cert, der: der, key: key, parents: parents}, nil
}

// serialOf derives a positive serial of at most 16 octets from seed.
func serialOf(seed []byte) *big.Int {
	sum := derive(labelCASerial, seed)
	b := sum[:16]
	b[0] &= 0x7f
	serial := new(big.Int).SetBytes(b)
	if serial.Sign() == 0 {
		serial.SetInt64(1)
	}
	return serial
}

// keyID is a Subject Key Identifier: RFC 7093 method 1 (SHA-256 of the
// public key, truncated to 160 bits), set explicitly so the bytes do not
// depend on the x509sha256skid GODEBUG setting.
func keyID(pub crypto.PublicKey) ([]byte, error) {
	if k, ok := pub.(ed25519.PublicKey); ok {
		return subjectKeyID(k), nil
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: marshal public key: %w", err)
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, fmt.Errorf("renewsim/tls: read public key: %w", err)
	}
	sum := sha256.Sum256(spki.PublicKey.Bytes)
	return sum[:20], nil
}

// Certificate returns the parsed CA certificate. It must not be modified.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// Root is the root of ca's hierarchy: ca itself for a root.
func (ca *CA) Root() *CA {
	if len(ca.parents) == 0 {
		return ca
	}
	return ca.parents[len(ca.parents)-1]
}

// Pool returns a fresh pool containing only the root of ca's hierarchy,
// suitable for [Probe] or a client's RootCAs.
func (ca *CA) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(ca.Root().cert)
	return pool
}

// PEM returns the CA certificate in PEM form.
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
	// KeySeed determines the leaf's key: an Ed25519 key derived from it,
	// or the key it picks from the pool of KeyType; it must not be empty.
	KeySeed []byte
	// KeyType is the leaf key's type; "" is KeyEd25519.
	KeyType KeyType
	// ExtKeyUsage lists the extended key usages; nil is server
	// authentication alone.
	ExtKeyUsage []x509.ExtKeyUsage
}

// Leaf is an issued server certificate together with its key. It must be
// treated as read-only once issued.
type Leaf struct {
	// Cert is the parsed leaf certificate.
	Cert *x509.Certificate
	// DER is the leaf certificate's DER encoding.
	DER []byte
	// TLS holds the leaf followed by the chain a server sends (the
	// issuing CA and the intermediates above it; the root only when it
	// issued the leaf itself), the leaf's private key, and the parsed
	// leaf; endpoints serve it as is.
	TLS stdtls.Certificate

	// chain is the issuing CA and every CA above it, root last.
	chain [][]byte
}

// Issue signs a server-authentication leaf described by spec. Equal specs
// issued by equal CAs produce byte-identical DER: Ed25519 and RSA (PKCS #1
// v1.5) signatures are deterministic by definition, and ECDSA ones are
// made by RFC 6979.
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
	kt := spec.KeyType
	if kt == "" {
		kt = KeyEd25519
	}
	if !slices.Contains(LeafKeyTypes, kt) {
		return nil, fmt.Errorf("renewsim/tls: leaf key type %q is not one of %v", kt, LeafKeyTypes)
	}
	notBefore, notAfter := truncate(spec.NotBefore), truncate(spec.NotAfter)
	if notAfter.Before(notBefore) {
		return nil, errors.New("renewsim/tls: leaf NotAfter is before NotBefore")
	}
	key, err := pick(kt, labelLeafKey, spec.KeySeed)
	if err != nil {
		return nil, err
	}
	skid, err := keyID(key.Public())
	if err != nil {
		return nil, err
	}
	eku := spec.ExtKeyUsage
	if eku == nil {
		eku = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}

	tmpl := &x509.Certificate{
		SerialNumber:          new(big.Int).Set(spec.Serial),
		Subject:               pkix.Name{CommonName: spec.CommonName},
		DNSNames:              append([]string(nil), spec.DNSNames...),
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              keyUsage(key),
		ExtKeyUsage:           slices.Clone(eku),
		BasicConstraintsValid: true,
		IsCA:                  false,
		SubjectKeyId:          skid,
	}
	der, err := x509.CreateCertificate(noRandom{}, tmpl, ca.cert, key.Public(), deterministic{ca.key})
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: create leaf certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: parse leaf certificate: %w", err)
	}
	chain := [][]byte{ca.der}
	served := [][]byte{der, ca.der}
	for _, p := range ca.parents {
		chain = append(chain, p.der)
		if len(p.parents) > 0 {
			served = append(served, p.der)
		}
	}
	return &Leaf{
		Cert: cert,
		DER:  der,
		TLS: stdtls.Certificate{
			Certificate: served,
			PrivateKey:  key,
			Leaf:        cert,
		},
		chain: chain,
	}, nil
}

// PEM returns the leaf certificate in PEM form.
func (l *Leaf) PEM() []byte { return certPEM(l.DER) }

// ChainPEM returns the issuing CA's certificate and those above it, root
// last, in PEM form, the way ACM returns a certificate's chain separately
// from the certificate.
func (l *Leaf) ChainPEM() []byte {
	var out []byte
	for _, der := range l.chain {
		out = append(out, certPEM(der)...)
	}
	return out
}

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
