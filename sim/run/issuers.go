package run

import (
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/renewsim/renewsim/fakes/acmapi"
	faketls "github.com/renewsim/renewsim/fakes/tls"
	"github.com/renewsim/renewsim/sim"
)

// A live run issues the certificates people look at (GetCertificate, a
// resource's HTTPS) with the key each certificate has and from issuers
// shaped like ACM's: Amazon's public hierarchy (a root and an intermediate
// per key family, named as Amazon names them) for amazon-issued
// certificates, a private CA per family for private ones and an "imported"
// CA per family for imported ones. Every name says it is simulated where a
// reader of the chain sees it: the roots carry OU=renewsim simulator (not
// Amazon), and the other CAs have renewsim in their names. The CAs' keys
// are fixed (fakes/tls pools), so every run has the same CAs; a leaf's key
// is picked by the run's seed, the certificate and its serial (which
// numbers the cycle), so the same seed gives the same certificates.
//
// Runs that nobody watches (run, sweeps, fleets) keep the Ed25519
// simulator CA: their TLS endpoints are read only by the model's probes,
// whose answers (the serial, the validity, whether the chain verifies)
// the key type does not change, and an Ed25519 handshake costs the server
// a small fraction of an RSA one.

// family is the issuer a key type is issued from: RSA keys from the RSA
// 2048 CA, P-256 keys from the ECDSA 256 one, P-384 and P-521 keys from
// the ECDSA 384 one.
type family int

const (
	familyRSA family = iota
	familyEC256
	familyEC384
)

func familyOf(key string) family {
	switch key {
	case acmapi.KeyECPrime256v1:
		return familyEC256
	case acmapi.KeyECSecp384r1, acmapi.KeyECSecp521r1:
		return familyEC384
	}
	return familyRSA
}

// issuerNames are the issuing CAs' names per family: Amazon's
// intermediates (as in Amazon Trust Services' hierarchy) and their roots,
// and the simulated private and imported CAs.
var issuerNames = [3]struct {
	key                 faketls.KeyType
	sig                 string // ACM's SignatureAlgorithm of what the family's CA signs
	root, amazon        string
	private, importedCA string
}{
	familyRSA:   {faketls.KeyRSA2048, "SHA256WITHRSA", "Amazon Root CA 1", "Amazon RSA 2048 M03", "renewsim Private CA RSA 2048", "renewsim Imported CA RSA 2048"},
	familyEC256: {faketls.KeyECP256, "SHA256WITHECDSA", "Amazon Root CA 3", "Amazon ECDSA 256 M02", "renewsim Private CA ECDSA 256", "renewsim Imported CA ECDSA 256"},
	familyEC384: {faketls.KeyECP384, "SHA384WITHECDSA", "Amazon Root CA 4", "Amazon ECDSA 384 M02", "renewsim Private CA ECDSA 384", "renewsim Imported CA ECDSA 384"},
}

// simulatedOU marks the simulated roots, so a chain read with openssl
// shows that no Amazon CA signed it.
const simulatedOU = "renewsim simulator (not Amazon)"

// issuers are the CAs of a live run.
type issuers struct {
	amazon, private, imported [3]*faketls.CA
	pool                      *x509.CertPool // every root
}

// clientAuthEnd is when ACM stopped putting the TLS client authentication
// EKU in the public certificates it issues (11 June 2025).
var clientAuthEnd = time.Date(2025, 6, 11, 0, 0, 0, 0, time.UTC)

func newIssuers() (*issuers, error) {
	is := &issuers{pool: x509.NewCertPool()}
	amazon := func(cn string, ou ...string) pkix.Name {
		return pkix.Name{CommonName: cn, OrganizationalUnit: ou, Organization: []string{"Amazon"}, Country: []string{"US"}}
	}
	own := func(cn string) pkix.Name {
		return pkix.Name{CommonName: cn, Organization: []string{"renewsim simulator"}, Country: []string{"US"}}
	}
	// Each CA of a family has a key of its own: keys 0 to 3 of the
	// family's CA pool.
	spec := func(name pkix.Name, kt faketls.KeyType, key int) faketls.CASpec {
		return faketls.CASpec{Subject: name, KeyType: kt, Key: key, Seed: []byte("renewsim issuer/" + name.CommonName),
			NotBefore: caNotBefore, NotAfter: caNotAfter}
	}
	for f, n := range issuerNames {
		root, err := faketls.NewRootCA(spec(amazon(n.root, simulatedOU), n.key, 0))
		if err != nil {
			return nil, fmt.Errorf("simulated %s: %w", n.root, err)
		}
		if is.amazon[f], err = root.NewSubCA(spec(amazon(n.amazon), n.key, 1)); err != nil {
			return nil, fmt.Errorf("simulated %s: %w", n.amazon, err)
		}
		if is.private[f], err = faketls.NewRootCA(spec(own(n.private), n.key, 2)); err != nil {
			return nil, fmt.Errorf("simulated %s: %w", n.private, err)
		}
		if is.imported[f], err = faketls.NewRootCA(spec(own(n.importedCA), n.key, 3)); err != nil {
			return nil, fmt.Errorf("simulated %s: %w", n.importedCA, err)
		}
		for _, ca := range []*faketls.CA{root, is.private[f], is.imported[f]} {
			is.pool.AddCert(ca.Certificate())
		}
	}
	return is, nil
}

// keyAlgorithm is the certificate's key algorithm as ACM names it.
func keyAlgorithm(c *sim.Certificate) string {
	if c.KeyAlgorithm == "" {
		return acmapi.KeyRSA2048
	}
	return c.KeyAlgorithm
}

// certProfile is what a certificate's X.509 looks like, which
// DescribeCertificate reports without issuing it.
type certProfile struct {
	key       string // ACM's KeyAlgorithm
	issuer    string // DescribeCertificate's Issuer
	signature string // DescribeCertificate's SignatureAlgorithm
	keyUsages []string
	ekus      []acmapi.ExtendedKeyUsage
	caARN     string // CertificateAuthorityArn, private certificates only
}

var (
	ekuServer = acmapi.ExtendedKeyUsage{Name: "TLS_WEB_SERVER_AUTHENTICATION", OID: "1.3.6.1.5.5.7.3.1"}
	ekuClient = acmapi.ExtendedKeyUsage{Name: "TLS_WEB_CLIENT_AUTHENTICATION", OID: "1.3.6.1.5.5.7.3.2"}
)

// profileOf is what certificate c, of the ARN given (whose region and
// account a private CA shares) and valid from notBefore, is made of.
func profileOf(c *sim.Certificate, arn string, notBefore time.Time) certProfile {
	key := keyAlgorithm(c)
	f := issuerNames[familyOf(key)]
	p := certProfile{key: key, signature: f.sig, keyUsages: []string{"DIGITAL_SIGNATURE"}, ekus: []acmapi.ExtendedKeyUsage{ekuServer, ekuClient}}
	if strings.HasPrefix(key, "RSA_") {
		p.keyUsages = append(p.keyUsages, "KEY_ENCIPHERMENT")
	}
	switch c.Type {
	case sim.TypePrivate, sim.TypePrivateCA:
		p.issuer = f.private
		region, account := "us-east-1", "123456789012"
		if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 {
			region, account = parts[3], parts[4]
		}
		p.caARN = fmt.Sprintf("arn:aws:acm-pca:%s:%s:certificate-authority/%s", region, account, uuidOf("renewsim private CA/"+f.private))
	case sim.TypeImported:
		p.issuer = f.importedCA
	default:
		// DescribeCertificate names Amazon by its organisation.
		p.issuer = "Amazon"
		if !notBefore.Before(clientAuthEnd) {
			p.ekus = p.ekus[:1]
		}
	}
	return p
}

// uuidOf is a version-4-shaped UUID derived from s.
func uuidOf(s string) string {
	b := sha256.Sum256([]byte(s))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// issueTyped issues certificate i's certificate with this serial, names
// and validity from the issuer its type and key say, with its key.
func (is *issuers) issueTyped(seed uint64, c *sim.Certificate, serial string, names []string, notBefore, notAfter time.Time) (*faketls.Leaf, error) {
	n, ok := new(big.Int).SetString(strings.ReplaceAll(serial, ":", ""), 16)
	if !ok {
		return nil, fmt.Errorf("bad serial %q", serial)
	}
	key := keyAlgorithm(c)
	f := familyOf(key)
	ca := is.amazon[f]
	switch c.Type {
	case sim.TypePrivate, sim.TypePrivateCA:
		ca = is.private[f]
	case sim.TypeImported:
		ca = is.imported[f]
	}
	eku := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	if len(profileOf(c, "", notBefore).ekus) == 1 {
		eku = eku[:1]
	}
	return ca.Issue(faketls.LeafSpec{Serial: n, CommonName: names[0], DNSNames: names, NotBefore: notBefore, NotAfter: notAfter,
		KeyType: faketls.KeyType(key), ExtKeyUsage: eku, KeySeed: []byte(fmt.Sprintf("leaf/%d/%s/%s", seed, c.ID, serial))})
}
