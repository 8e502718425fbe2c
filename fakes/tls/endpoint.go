package tls

import (
	"bytes"
	stdtls "crypto/tls"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/renewsim/renewsim/fakes/internal/loopback"
)

// Config describes an Endpoint: the resource's name, where it listens and
// how many clients it serves.
type Config struct {
	// Name is the resource's name; "GET /" answers "renewsim resource
	// <Name>".
	Name string
	// Addr is a loopback "host:port" (port 0 picks a free one), such as
	// 127.0.1.7:0: the simulator gives each resource an address of its own
	// so that a name's A record leads to it. "" means 127.0.0.1:0.
	Addr string
	// MaxConns bounds the connections open at once; a client beyond it
	// gets its handshake and then 503. 0 means the default (512).
	MaxConns int
	// ReadTimeout bounds how long the handshake and a request may take to
	// arrive whole; 0 means 30 seconds.
	ReadTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection may wait for its
	// next request; 0 means 2 minutes.
	IdleTimeout time.Duration
}

// Endpoint is one simulated resource serving HTTPS with whatever [Leaf] is
// currently deployed on it. All methods are safe for concurrent use.
type Endpoint struct {
	cfg     Config
	current atomic.Pointer[Leaf]
	mux     *http.ServeMux
	web     loopback.HTTPServer

	mu      sync.Mutex
	started bool // Start or Close was called: Handle is too late
}

// New returns a stopped endpoint for the resource cfg names. It has no
// certificate deployed and answers "GET /" with "renewsim resource <name>".
func New(cfg Config) *Endpoint {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	e := &Endpoint{cfg: cfg, mux: http.NewServeMux()}
	body := []byte("renewsim resource " + cfg.Name)
	e.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	e.web = loopback.HTTPServer{
		Name:        fmt.Sprintf("renewsim/tls: endpoint %q", cfg.Name),
		MaxConns:    cfg.MaxConns,
		ReadTimeout: cfg.ReadTimeout,
		IdleTimeout: cfg.IdleTimeout,
		TLSConfig: &stdtls.Config{
			MinVersion:     stdtls.VersionTLS12,
			GetCertificate: e.getCertificate,
		},
		// Handshake failures (e.g. after Undeploy or a probe rejecting the
		// certificate) are expected; keep them out of the process log but
		// let anything else, such as a handler panic, through.
		ErrorLog: log.New(handshakeNoiseFilter{w: log.Writer()}, "", log.LstdFlags),
	}
	return e
}

// Name returns the resource name given in Config.
func (e *Endpoint) Name() string { return e.cfg.Name }

// Handle registers an extra handler using [http.ServeMux] pattern syntax.
// It must be called before [Endpoint.Start]; it panics afterwards, and on
// patterns the mux rejects (for example a second "GET /{$}").
func (e *Endpoint) Handle(pattern string, h http.Handler) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.started {
		panic(fmt.Sprintf("renewsim/tls: Handle(%q) on endpoint %q after Start or Close", pattern, e.cfg.Name))
	}
	e.mux.Handle(pattern, h)
}

// Start listens on Config.Addr and serves HTTPS (HTTP/1.1, TLS 1.2 or
// later) in the background; it returns once the endpoint accepts
// connections. It fails if the address is not a loopback one, or the
// endpoint was already started or closed.
func (e *Endpoint) Start() error {
	e.mu.Lock()
	e.started = true
	e.mu.Unlock()
	return e.web.Start(e.cfg.Addr, e.mux)
}

// Addr returns the "host:port" address the endpoint listens on, or "" if
// it has not been started.
func (e *Endpoint) Addr() string { return e.web.Addr() }

// URL returns "https://host:port", or "" if the endpoint has not been
// started.
func (e *Endpoint) URL() string { return e.web.URL() }

// Close stops the endpoint: it closes the listener and idle connections,
// gives requests in flight a few seconds, then cuts every connection and
// waits until every goroutine of the endpoint has finished. It is
// idempotent; later calls return the first one's result.
func (e *Endpoint) Close() error {
	e.mu.Lock()
	e.started = true
	e.mu.Unlock()
	return e.web.Close()
}

// Deploy makes leaf the certificate served to every handshake that starts
// afterwards, whatever SNI the client sends. Established connections keep
// the certificate they negotiated. Deploy(nil) is the same as Undeploy.
func (e *Endpoint) Deploy(leaf *Leaf) { e.current.Store(leaf) }

// Undeploy removes the certificate: later handshakes fail.
func (e *Endpoint) Undeploy() { e.current.Store(nil) }

// Current returns the deployed leaf, or nil.
func (e *Endpoint) Current() *Leaf { return e.current.Load() }

func (e *Endpoint) getCertificate(*stdtls.ClientHelloInfo) (*stdtls.Certificate, error) {
	leaf := e.current.Load()
	if leaf == nil {
		return nil, fmt.Errorf("renewsim/tls: no certificate deployed on %q", e.cfg.Name)
	}
	return &leaf.TLS, nil
}

// handshakeNoiseFilter drops net/http's "TLS handshake error" log lines and
// forwards every other line to w.
type handshakeNoiseFilter struct{ w io.Writer }

func (f handshakeNoiseFilter) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("http: TLS handshake error")) {
		return len(p), nil
	}
	return f.w.Write(p)
}
