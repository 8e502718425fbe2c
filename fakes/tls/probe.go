package tls

import (
	"context"
	stdtls "crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"time"
)

// ProbeResult is what a client connecting at a virtual time observed.
type ProbeResult struct {
	// Serial is the served leaf's serial in ACM form ("0a:1b:..."), also
	// when verification failed; "" if no certificate was received.
	Serial string
	// NotBefore and NotAfter are the served leaf's validity bounds (UTC);
	// zero if no certificate was received.
	NotBefore, NotAfter time.Time
	// Verified reports that the handshake completed and the chain, the
	// server name and the validity period all verified at the virtual time.
	Verified bool
	// Expired reports that verification failed because the virtual time is
	// after the served leaf's NotAfter or before its NotBefore
	// (x509.CertificateInvalidError with Reason x509.Expired). An expired
	// CA is reported by crypto/x509 as an unknown authority, not here.
	Expired bool
	// Err is a short deterministic description of the failure, free of
	// addresses and ports; "" when Verified.
	Err string
}

// Probe dials addr (a loopback IP literal and port, such as
// [Endpoint.Addr]), performs a real TLS handshake with SNI serverName, and
// judges the served certificate at the virtual time at against roots, the
// way crypto/tls does for a client configured with RootCAs: roots,
// ServerName: serverName and Time returning at. A nil roots means the system
// roots, as in crypto/tls. The connection is closed before Probe returns.
func Probe(ctx context.Context, addr, serverName string, roots *x509.CertPool, at time.Time) ProbeResult {
	var res ProbeResult
	if err := checkLoopback(addr); err != nil {
		res.Err = "dial: " + err.Error()
		return res
	}

	var (
		seen      bool  // VerifyConnection ran
		verifyErr error // result of our crypto/tls-equivalent verification
	)
	cfg := &stdtls.Config{
		RootCAs:    roots,
		ServerName: serverName,
		Time:       func() time.Time { return at },
		MinVersion: stdtls.VersionTLS12,
		// Plain X25519: the default hybrid post-quantum key exchange costs
		// several times more per handshake and tells nothing about the
		// certificate, which is all a probe is for.
		CurvePreferences: []stdtls.CurveID{stdtls.X25519},
		// Verification is done below, with exactly the options crypto/tls
		// uses, so that the served certificate is known even when it fails.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs stdtls.ConnectionState) error {
			seen = true
			certs := cs.PeerCertificates
			if len(certs) == 0 {
				verifyErr = errors.New("tls: server sent no certificate")
				return verifyErr
			}
			leaf := certs[0]
			res.Serial = FormatSerial(leaf.SerialNumber)
			res.NotBefore, res.NotAfter = leaf.NotBefore.UTC(), leaf.NotAfter.UTC()
			verifyErr = verifyLikeCryptoTLS(certs, roots, serverName, at)
			return verifyErr
		},
	}

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		res.Err = describe("dial", err)
		return res
	}
	tc := stdtls.Client(conn, cfg)
	defer tc.Close()
	hsErr := tc.HandshakeContext(ctx)

	switch {
	case seen && verifyErr != nil:
		res.Err = "verify: " + verifyErr.Error()
		var invalid x509.CertificateInvalidError
		res.Expired = errors.As(verifyErr, &invalid) && invalid.Reason == x509.Expired
	case hsErr != nil:
		res.Err = describe("handshake", hsErr)
	case !seen:
		// Cannot happen with crypto/tls: VerifyConnection runs on every
		// full handshake. Fail closed rather than report a false positive.
		res.Err = "verify: certificate was not checked"
	default:
		res.Verified = true
	}
	return res
}

// verifyLikeCryptoTLS mirrors crypto/tls's client-side verification
// (Conn.verifyServerCertificate) for a config without InsecureSkipVerify:
// the remaining peer certificates are intermediates, the DNS name is
// Config.ServerName, the time is Config.Time, and key usage defaults to
// server authentication.
func verifyLikeCryptoTLS(certs []*x509.Certificate, roots *x509.CertPool, serverName string, at time.Time) error {
	opts := x509.VerifyOptions{
		Roots:         roots,
		CurrentTime:   at,
		DNSName:       serverName,
		Intermediates: x509.NewCertPool(),
	}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := certs[0].Verify(opts)
	return err
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("address must be host:port")
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return errors.New("address must be a loopback IP literal")
	}
	return nil
}

var addrPattern = regexp.MustCompile(`\[[0-9A-Fa-f:.%a-z]+\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b`)

// describe turns a dial or handshake error into a short description that
// does not depend on addresses, ports or timing.
func describe(phase string, err error) string {
	return phase + ": " + describeErr(phase, err)
}

func describeErr(phase string, err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "context canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "context deadline exceeded"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by server"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		inner := describeErr(phase, opErr.Err)
		if opErr.Op == "" || opErr.Op == phase {
			return inner
		}
		return opErr.Op + ": " + inner
	}
	var sysErr *os.SyscallError
	if errors.As(err, &sysErr) && sysErr.Err != nil {
		return sysErr.Syscall + ": " + sysErr.Err.Error()
	}
	return strings.TrimSpace(addrPattern.ReplaceAllString(err.Error(), "<addr>"))
}
