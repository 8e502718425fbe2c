package tls

import (
	"bytes"
	stdtls "crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// Endpoint is one simulated resource serving HTTPS on 127.0.0.1 with whatever
// [Leaf] is currently deployed on it. All methods are safe for concurrent
// use.
type Endpoint struct {
	name    string
	current atomic.Pointer[Leaf]
	mux     *http.ServeMux

	mu       sync.Mutex
	state    endpointState
	ln       net.Listener
	srv      *http.Server
	served   chan struct{} // closed when the serving goroutine returns
	serveErr error
	conns    sync.WaitGroup // one count per connection not yet closed
}

type endpointState int

const (
	stateNew endpointState = iota
	stateRunning
	stateClosed
)

// NewEndpoint returns a stopped endpoint for the resource called name. It has
// no certificate deployed and answers "GET /" with "renewsim resource <name>".
func NewEndpoint(name string) *Endpoint {
	e := &Endpoint{name: name, mux: http.NewServeMux()}
	body := []byte("renewsim resource " + name)
	e.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	return e
}

// Name returns the resource name given to [NewEndpoint].
func (e *Endpoint) Name() string { return e.name }

// Handle registers an extra handler using [http.ServeMux] pattern syntax.
// It must be called before [Endpoint.Start]; it panics afterwards, and on
// patterns the mux rejects (for example a second "GET /{$}").
func (e *Endpoint) Handle(pattern string, h http.Handler) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.state != stateNew {
		panic(fmt.Sprintf("renewsim/tls: Handle(%q) on endpoint %q after Start or Close", pattern, e.name))
	}
	e.mux.Handle(pattern, h)
}

// Start listens on 127.0.0.1 with a kernel-chosen port and serves HTTPS
// (HTTP/1.1, TLS 1.2 or later) in the background. It fails if the endpoint
// was already started or closed.
func (e *Endpoint) Start() error { return e.StartOn("127.0.0.1") }

// StartOn is Start on another loopback address, such as 127.0.1.7: the
// simulator gives each resource an address of its own so that a name's A
// record leads to it.
func (e *Endpoint) StartOn(host string) error {
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("renewsim/tls: endpoint %q: %q is not a loopback IP address", e.name, host)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	switch e.state {
	case stateRunning:
		return fmt.Errorf("renewsim/tls: endpoint %q already started", e.name)
	case stateClosed:
		return fmt.Errorf("renewsim/tls: endpoint %q is closed", e.name)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return fmt.Errorf("renewsim/tls: endpoint %q: listen on loopback: %w", e.name, err)
	}
	srv := &http.Server{
		Handler: e.mux,
		TLSConfig: &stdtls.Config{
			MinVersion:     stdtls.VersionTLS12,
			GetCertificate: e.getCertificate,
		},
		// A non-nil empty map disables HTTP/2, so every connection is
		// served by exactly one goroutine that ConnState lets us track.
		TLSNextProto: map[string]func(*http.Server, *stdtls.Conn, http.Handler){},
		ConnState:    e.connState,
		// Handshake failures (e.g. after Undeploy or a probe rejecting the
		// certificate) are expected; keep them out of the process log but
		// let anything else, such as a handler panic, through.
		ErrorLog: log.New(handshakeNoiseFilter{w: log.Writer()}, "", log.LstdFlags),
	}
	served := make(chan struct{})
	e.ln, e.srv, e.served, e.state = ln, srv, served, stateRunning
	go func() {
		defer close(served)
		err := srv.ServeTLS(ln, "", "")
		if !errors.Is(err, http.ErrServerClosed) {
			e.mu.Lock()
			e.serveErr = err
			e.mu.Unlock()
		}
	}()
	return nil
}

// Addr returns the "127.0.0.1:port" address the endpoint listens on, or ""
// if it has not been started.
func (e *Endpoint) Addr() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ln == nil {
		return ""
	}
	return e.ln.Addr().String()
}

// Close stops the endpoint: it closes the listener and every open
// connection, then waits until the serving goroutine and every connection
// goroutine have finished. It is idempotent; later calls return nil.
func (e *Endpoint) Close() error {
	e.mu.Lock()
	if e.state != stateRunning {
		e.state = stateClosed
		e.mu.Unlock()
		return nil
	}
	e.state = stateClosed
	srv, ln, served := e.srv, e.ln, e.served
	e.mu.Unlock()

	err := srv.Close()
	<-served
	// Serve closes the listener on return; this covers the case where
	// Close raced ahead of Serve registering it.
	_ = ln.Close()
	// Every connection got its StateNew callback before Serve returned, so
	// the count is final here.
	e.conns.Wait()

	e.mu.Lock()
	serveErr := e.serveErr
	e.mu.Unlock()
	if serveErr != nil {
		return fmt.Errorf("renewsim/tls: endpoint %q: serve: %w", e.name, serveErr)
	}
	if err != nil {
		return fmt.Errorf("renewsim/tls: endpoint %q: close: %w", e.name, err)
	}
	return nil
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
		return nil, fmt.Errorf("renewsim/tls: no certificate deployed on %q", e.name)
	}
	return &leaf.TLS, nil
}

func (e *Endpoint) connState(_ net.Conn, s http.ConnState) {
	switch s {
	case http.StateNew:
		e.conns.Add(1)
	case http.StateClosed, http.StateHijacked:
		e.conns.Done()
	}
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
