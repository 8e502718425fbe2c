package run

import (
	"crypto/x509"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"time"

	faketls "github.com/renewsim/renewsim/fakes/tls"
	"github.com/renewsim/renewsim/fakes/web"
	"github.com/renewsim/renewsim/sim"
)

// The resources of a run: each has a TLS endpoint that serves what the model
// deployed there and a plain-HTTP side for validation tokens, both on the
// resource's own loopback address.
//
// In the every-attempt mode (and for a live run) every deployment is issued
// as a real certificate and served at once, and every listener starts with
// the run, so people watching the fakes see each change as it happens. In
// the change-driven mode (Options.CacheProbes) a resource's listeners start
// the first time a client must talk to it, a deployed certificate is issued
// and served when a handshake needs it, and a client's verdict is derived
// from the names and validity of what is served once a real handshake has
// proved that kind of verdict (probeTLS): the record is the same, with a
// handful of handshakes for a fleet instead of one per deployment.

// prepareResources makes the fakes of sc's resources ready, reusing those a
// previous run of this world made.
func (w *world) prepareResources(sc *sim.Scenario) error {
	n := len(sc.Resources)
	w.served = resize(w.served, n)
	w.realized = resize(w.realized, n)
	w.webVersion = resize(w.webVersion, n)
	for i, r := range sc.Resources {
		if i < len(w.tls) {
			w.tls[i].Undeploy()
			w.http[i].Reset()
		} else {
			// Each resource listens on an address of its own, so that a
			// name's A record leads to it.
			addr := net.JoinHostPort(sim.ResourceAddress(i), "0")
			w.tls = append(w.tls, faketls.New(faketls.Config{Name: r.ID, Addr: addr, MaxConns: w.addrs.MaxConns}))
			w.http = append(w.http, web.New(web.Config{Addr: addr, MaxConns: w.addrs.MaxConns}))
			w.up = append(w.up, false)
			w.byIP[sim.ResourceAddress(i)] = i
		}
		w.served[i], w.realized[i] = sim.Deploy{}, leafKey{}
		w.webVersion[i]++
		if w.eager {
			if err := w.start(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// resize returns s with n zero elements, reusing its storage.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// start opens resource i's listeners, once.
func (w *world) start(i int) error {
	if w.up[i] {
		return nil
	}
	id := w.sc.Resources[i].ID
	if err := w.tls[i].Start(); err != nil {
		return fmt.Errorf("resource %s: %w", id, err)
	}
	if err := w.http[i].Start(); err != nil {
		return fmt.Errorf("resource %s: %w", id, err)
	}
	w.up[i] = true
	return nil
}

// deploy notes that resource i serves the certificate the model described
// (Serial "" = none of ours any more), and serves it at once in the
// every-attempt mode.
func (w *world) deploy(d sim.Deploy) error {
	w.served[d.Resource] = d
	if w.eager {
		return w.realize(d.Resource)
	}
	return nil
}

func keyOf(d sim.Deploy) leafKey {
	if d.Serial == "" {
		return leafKey{}
	}
	return leafKey{d.Serial, strings.Join(d.Names, ","), d.NotBefore.UnixNano(), d.NotAfter.UnixNano()}
}

// realize makes resource i's endpoint listen and serve a real certificate
// issued by the simulator CA with the serial, names and validity the model
// gave.
func (w *world) realize(i int) error {
	if err := w.start(i); err != nil {
		return err
	}
	d := w.served[i]
	key := keyOf(d)
	if key == w.realized[i] {
		return nil
	}
	if d.Serial == "" {
		w.tls[i].Undeploy()
		w.realized[i] = key
		return nil
	}
	leaf, ok := w.leaves[key]
	if !ok {
		var err error
		if leaf, err = w.issue(d.Cert, d.Serial, d.Names, d.NotBefore, d.NotAfter); err != nil {
			return fmt.Errorf("issue certificate %s: %w", d.Serial, err)
		}
		w.leaves[key] = leaf
	}
	w.tls[i].Deploy(leaf)
	w.realized[i] = key
	return nil
}

// probeKey is everything a client's verdict on one handshake depends on.
type probeKey struct {
	leaf       leafKey
	serverName string
	at         int64
}

// probeTLS is a client connecting to resource p.Resource at the current
// virtual time.
//
// In the change-driven mode most verdicts are derived, not asked: what a
// client verifying a certificate of the simulator CA sees depends only on
// its names and validity, the name asked for and the time (derive). Each
// class of verdict (valid, wrong name, expired, not yet valid) is asked of
// a real handshake the first time it comes up for this CA, and derived from
// then on only if the handshake said exactly what the derivation says. A
// renewal of one of several certificates on a load balancer so costs no
// certificate issued and no handshake.
func (w *world) probeTLS(p sim.ProbeTLS, now time.Time) (sim.TLSAnswer, error) {
	i := p.Resource
	if w.probeCache == nil {
		return w.handshake(i, p.ServerName, now)
	}
	d := w.served[i]
	class, derived := w.derive(d, p.ServerName, now)
	derived.Resource = i
	if class != classUnknown && w.proven[w.ca]&class != 0 {
		return derived, nil
	}
	key := probeKey{keyOf(d), p.ServerName, now.UnixNano()}
	if a, ok := w.probeCache[key]; ok {
		a.Resource = i
		return a, nil
	}
	a, err := w.handshake(i, p.ServerName, now)
	if err != nil {
		return a, err
	}
	w.probeCache[key] = a
	if class != classUnknown && a == derived {
		w.proven[w.ca] |= class
	}
	return a, nil
}

func (w *world) handshake(i int, serverName string, now time.Time) (sim.TLSAnswer, error) {
	if err := w.realize(i); err != nil {
		return sim.TLSAnswer{}, err
	}
	res := faketls.Probe(w.ctx, w.tls[i].Addr(), serverName, w.trust(), now)
	return sim.TLSAnswer{Resource: i, Serial: res.Serial, NotAfter: res.NotAfter, Verified: res.Verified, Expired: res.Expired, Err: res.Err}, nil
}

// probeClass is a kind of verdict derive can give, a bit each so that a
// CA's proven classes fit in one mask.
type probeClass uint8

const (
	classUnknown  probeClass = 0 // not derived: ask a real handshake
	classValid    probeClass = 1 << iota
	classMismatch            // the names do not cover the name asked for
	classExpired             // after NotAfter
	classEarly               // before NotBefore
)

// derive is what a client verifying what d serves for serverName at now
// sees, the way crypto/x509 judges a leaf of the simulator CA (checks in
// its order: validity, then the name, then the chain, which a certificate
// of the simulator CA always passes inside the CA's validity), and the
// class of that verdict; classUnknown when nothing of ours is served, the
// time lies outside the CA's validity, or the run issues from the
// ACM-shaped hierarchies (issuers.go), whose intermediates have validities
// of their own.
func (w *world) derive(d sim.Deploy, serverName string, now time.Time) (probeClass, sim.TLSAnswer) {
	if d.Serial == "" || w.typed() || now.Before(caNotBefore) || now.After(caNotAfter) {
		return classUnknown, sim.TLSAnswer{}
	}
	c := &w.hostCheck
	c.DNSNames, c.NotBefore, c.NotAfter = d.Names, encodedTime(d.NotBefore), encodedTime(d.NotAfter)
	a := sim.TLSAnswer{Serial: d.Serial, NotAfter: c.NotAfter}
	var err error
	class := classValid
	switch {
	case now.Before(c.NotBefore):
		class, a.Expired = classEarly, true
		err = x509.CertificateInvalidError{Cert: c, Reason: x509.Expired,
			Detail: fmt.Sprintf("current time %s is before %s", now.Format(time.RFC3339), c.NotBefore.Format(time.RFC3339))}
	case now.After(c.NotAfter):
		class, a.Expired = classExpired, true
		err = x509.CertificateInvalidError{Cert: c, Reason: x509.Expired,
			Detail: fmt.Sprintf("current time %s is after %s", now.Format(time.RFC3339), c.NotAfter.Format(time.RFC3339))}
	default:
		if err = c.VerifyHostname(serverName); err != nil {
			class = classMismatch
		}
	}
	if err != nil {
		a.Err = "verify: " + err.Error()
	} else {
		a.Verified = true
	}
	return class, a
}

// encodedTime is t as an X.509 certificate holds it: whole seconds, UTC.
func encodedTime(t time.Time) time.Time { return t.Truncate(time.Second).UTC() }

// peekKey is what the legacy HTTPS probe's answer from one resource depends
// on: the certificate served there and the name asked for.
type peekKey struct {
	resource   int
	leaf       leafKey
	serverName string
}

// peek is the legacy probe's handshake with resource i: which certificate
// does it serve for name?
func (w *world) peek(i int, name string, now time.Time) (faketls.ProbeResult, error) {
	key := peekKey{i, keyOf(w.served[i]), name}
	if w.probeCache != nil {
		if res, ok := w.peekMemo[key]; ok {
			return res, nil
		}
	}
	if err := w.realize(i); err != nil {
		return faketls.ProbeResult{}, err
	}
	res := faketls.Probe(w.ctx, w.tls[i].Addr(), name, w.trust(), now)
	// Only what the probe reads of the handshake is kept: the serial, or
	// why there was none.
	res = faketls.ProbeResult{Serial: res.Serial, Err: res.Err}
	if w.probeCache != nil {
		w.peekMemo[key] = res
	}
	return res, nil
}

// probeHTTPS is the legacy probe: which certificate does the name serve?
func (w *world) probeHTTPS(p sim.ProbeHTTPS, now time.Time) (sim.HTTPSAnswer, error) {
	ans := sim.HTTPSAnswer{Cert: p.Cert, Attempt: p.Attempt, Domain: p.Domain}
	var problems []string
	for _, name := range append([]string{p.Domain}, p.Alternatives...) {
		ip, problem := w.resolveA(name)
		if problem != "" {
			problems = append(problems, problem)
			continue
		}
		i, ok := w.byIP[ip]
		if !ok {
			problems = append(problems, fmt.Sprintf("nothing answers HTTPS at %s (%s)", ip, name))
			continue
		}
		res, err := w.peek(i, name, now)
		if err != nil {
			return ans, err
		}
		if res.Serial == "" {
			problems = append(problems, name+": "+res.Err)
			continue
		}
		ans.Via, ans.Serial = name, res.Serial
		return ans, nil
	}
	ans.Err = strings.Join(problems, "; ")
	return ans, nil
}

// httpKey is what a GET of a resource's plain-HTTP side depends on.
type httpKey struct {
	resource int
	version  uint64
	host     string
	path     string
}

// checkHTTP fetches the HTTP validation token the way ACM does.
func (w *world) checkHTTP(c sim.CheckHTTP) (sim.HTTPAnswer, error) {
	ans := sim.HTTPAnswer{Cert: c.Cert, Attempt: c.Attempt, Domain: c.Domain}
	ip, problem := w.resolveA(c.Domain)
	if problem != "" {
		ans.Err = problem
		return ans, nil
	}
	i, ok := w.byIP[ip]
	if !ok || i >= len(w.sc.Resources) {
		ans.Err = fmt.Sprintf("nothing answers at %s", ip)
		return ans, nil
	}
	key := httpKey{i, w.webVersion[i], c.Domain, c.Path}
	if w.probeCache != nil {
		if a, ok := w.httpMemo[key]; ok {
			a.Cert, a.Attempt = c.Cert, c.Attempt
			return a, nil
		}
	}
	if err := w.start(i); err != nil {
		return ans, err
	}
	req, err := http.NewRequestWithContext(w.ctx, http.MethodGet, "http://"+w.http[i].Addr()+c.Path, nil)
	if err != nil {
		ans.Err = err.Error()
		return ans, nil
	}
	req.Host = c.Domain
	resp, err := w.hc.Do(req)
	if err != nil {
		ans.Err = "connection failed"
		return ans, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	ans.Status, ans.Location, ans.Body = resp.StatusCode, resp.Header.Get("Location"), string(body)
	if w.probeCache != nil {
		w.httpMemo[key] = ans
	}
	return ans, nil
}

func (w *world) webChange(c sim.WebChange) {
	i := c.Resource
	w.webVersion[i]++
	if c.Delete {
		w.http[i].Delete(c.Path)
		return
	}
	w.http[i].Set(c.Path, web.Response{Body: c.Body, Location: c.Location})
}

// issue makes certificate c's certificate with this serial, names and
// validity: in a live run with the key and from the issuer it has
// (issuers.go), else from the run's Ed25519 simulator CA.
func (w *world) issue(c int, serial string, names []string, notBefore, notAfter time.Time) (*faketls.Leaf, error) {
	if w.typed() {
		return w.iss.issueTyped(w.seed, &w.sc.Certificates[c], serial, names, notBefore, notAfter)
	}
	n, ok := new(big.Int).SetString(strings.ReplaceAll(serial, ":", ""), 16)
	if !ok {
		return nil, fmt.Errorf("bad serial %q", serial)
	}
	return w.ca.Issue(faketls.LeafSpec{
		Serial: n, CommonName: names[0], DNSNames: names,
		NotBefore: notBefore, NotAfter: notAfter, KeySeed: []byte("leaf/" + serial),
	})
}

// trust is the roots a client of the run's endpoints trusts.
func (w *world) trust() *x509.CertPool {
	if w.typed() {
		return w.iss.pool
	}
	return w.ca.Pool()
}

// typedEverywhere makes every run issue its certificates as a live run
// does, with their own keys and issuers; BenchmarkFleet's keys=typed
// sub-benchmark sets it to measure what runs nobody watches save by
// keeping Ed25519.
var typedEverywhere bool

// typed reports whether the run issues certificates with their own keys
// and issuers (issuers.go).
func (w *world) typed() bool { return w.live || typedEverywhere }
