package loopback

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/renewsim/renewsim/fakes/internal/conns"
)

// Timeouts of every HTTP fake, so that a client that stalls holds a
// goroutine, and Close, for a bounded time only.
const (
	// DefaultReadTimeout is how long a request may take to arrive whole,
	// headers and body, unless HTTPServer.ReadTimeout says otherwise. A
	// new connection must bring its first request within it too.
	DefaultReadTimeout = 30 * time.Second
	// WriteTimeout is how long answering a request may take, from the end
	// of its headers.
	WriteTimeout = 30 * time.Second
	// DefaultIdleTimeout is how long a kept-alive connection may wait for
	// its next request, unless HTTPServer.IdleTimeout says otherwise.
	DefaultIdleTimeout = 2 * time.Minute
	// DefaultCloseGrace is how long Close waits for requests in flight
	// before it cuts their connections, unless HTTPServer.CloseGrace says
	// otherwise.
	DefaultCloseGrace = 5 * time.Second
)

// CheckAddr accepts a "host:port" whose host is a loopback IP address
// (port 0 picks a free port).
func CheckAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("listen address %q: %q is not a loopback IP address", addr, host)
	}
	return nil
}

// OrDefault is d, or def when d is 0 or less: what a zero Config field
// means.
func OrDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// HTTPServer serves a handler on a loopback address. Set its fields before
// Start; the zero value is ready. Name prefixes its errors and its refusals.
type HTTPServer struct {
	Name string
	// ReadTimeout bounds how long a request may take to arrive whole; 0
	// means DefaultReadTimeout.
	ReadTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection may wait for its
	// next request; 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// CloseGrace bounds how long Close waits for requests in flight; 0
	// means DefaultCloseGrace.
	CloseGrace time.Duration
	// MaxConns bounds the connections open at once (0: the default of
	// package conns); a client beyond it is answered 503.
	MaxConns int
	// TLSConfig, when set, makes the server speak HTTPS (HTTP/1.1 only, so
	// that every connection is one tracked goroutine).
	TLSConfig *tls.Config
	// BusyType and BusyBody are the Content-Type and body of the 503 a
	// client beyond MaxConns gets; empty means a line of plain text.
	BusyType, BusyBody string
	// ErrorLog receives net/http's own complaints; nil means the log
	// package's standard logger.
	ErrorLog *log.Logger
	// Budget is where the connections' descriptors come from; nil means
	// the process's shared budget.
	Budget *conns.Budget

	mu        sync.Mutex
	started   bool
	closed    bool
	url       string
	addr      string
	ln        *conns.Listener
	hs        *http.Server
	conns     map[net.Conn]http.ConnState
	drained   *sync.Cond    // signalled when a connection leaves conns
	serveDone chan struct{} // closed when the serve goroutine returns
	closeDone chan struct{} // closed when the first Close has finished
	closeErr  error         // written before closeDone is closed
}

// Start listens on addr and serves h in a goroutine; it returns once the
// server accepts connections. It fails if the server was already started
// or closed.
func (s *HTTPServer) Start(addr string, h http.Handler) error {
	if err := CheckAddr(addr); err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return fmt.Errorf("%s: server closed", s.Name)
	case s.started:
		return fmt.Errorf("%s: server already started", s.Name)
	}
	ln, err := conns.Listen(addr, conns.Config{MaxConns: s.MaxConns, Budget: s.Budget, Refuse: s.refuse})
	if err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	s.conns = make(map[net.Conn]http.ConnState)
	s.drained = sync.NewCond(&s.mu)
	s.serveDone = make(chan struct{})
	s.hs = &http.Server{
		Handler:      h,
		ConnState:    s.trackConn,
		ReadTimeout:  OrDefault(s.ReadTimeout, DefaultReadTimeout),
		WriteTimeout: WriteTimeout,
		IdleTimeout:  OrDefault(s.IdleTimeout, DefaultIdleTimeout),
		ErrorLog:     s.ErrorLog,
	}
	scheme := "http://"
	if s.TLSConfig != nil {
		scheme = "https://"
		s.hs.TLSConfig = s.TLSConfig
		// A non-nil empty map turns HTTP/2 off.
		s.hs.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
	}
	s.started = true
	s.ln = ln
	s.addr = ln.Addr().String()
	s.url = scheme + s.addr
	hs, done := s.hs, s.serveDone
	tlsOn := s.TLSConfig != nil
	// The socket listens already: connections wait in its backlog until
	// Serve takes them, so the server counts as started from here.
	go func() {
		defer close(done)
		// Serve returns http.ErrServerClosed after Shutdown and closes the
		// listener in every case.
		if tlsOn {
			_ = hs.ServeTLS(ln, "", "")
			return
		}
		_ = hs.Serve(ln)
	}()
	return nil
}

// maxRefusedHead bounds what is read of a refused client's request.
const maxRefusedHead = 8 << 10

// refuse answers a connection beyond the cap: 503, over TLS when the
// server speaks it. The request's head is read first: an HTTP client that
// finds an answer before it sent its request (Go's, for one) takes the
// connection for a broken one instead of reading the 503.
func (s *HTTPServer) refuse(c net.Conn) {
	rw := io.ReadWriter(c)
	if s.TLSConfig != nil {
		tc := tls.Server(c, s.TLSConfig)
		if tc.Handshake() != nil {
			return
		}
		rw = tc
	}
	head := bufio.NewReader(io.LimitReader(rw, maxRefusedHead))
	for {
		line, err := head.ReadSlice('\n')
		if err != nil || len(bytes.TrimSpace(line)) == 0 {
			break
		}
	}
	w := io.Writer(rw)
	typ, body := s.BusyType, s.BusyBody
	if body == "" {
		typ, body = "text/plain; charset=utf-8", s.Name+": too many connections; try again shortly\n"
	}
	_, _ = fmt.Fprintf(w, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: %s\r\nContent-Length: %d\r\nRetry-After: 1\r\nConnection: close\r\n\r\n%s",
		typ, len(body), body)
}

func (s *HTTPServer) trackConn(c net.Conn, st http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch st {
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
		s.drained.Broadcast()
	default:
		s.conns[c] = st
	}
}

// URL is "http://host:port" ("https://" with TLSConfig), or "" before
// Start.
func (s *HTTPServer) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Addr is "host:port", or "" before Start.
func (s *HTTPServer) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Conns tells how many connections are open now and how many were refused
// so far (0, 0 before Start).
func (s *HTTPServer) Conns() (open int, refused uint64) {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln == nil {
		return 0, 0
	}
	return ln.Open(), ln.Refused()
}

// Close stops accepting connections, closes idle ones, waits for the
// requests in flight to be answered (for CloseGrace at most: then it cuts
// their connections, so that a client still sending a request, or not
// reading its answer, cannot hold it up) and for every connection and the
// serve goroutine to end. It is idempotent; later or concurrent calls wait
// for the first and return its result. Closing a server never started just
// marks it closed.
func (s *HTTPServer) Close() error {
	s.mu.Lock()
	if s.closed {
		done := s.closeDone
		s.mu.Unlock()
		<-done
		return s.closeErr
	}
	s.closed = true
	s.closeDone = make(chan struct{})
	hs, serveDone := s.hs, s.serveDone
	s.mu.Unlock()

	var err error
	if hs != nil {
		hs.SetKeepAlivesEnabled(false)
		// As httptest.Server.Close does: connections carrying no request
		// are closed now; Shutdown would otherwise wait for them.
		s.mu.Lock()
		for c, st := range s.conns {
			if st == http.StateNew || st == http.StateIdle {
				c.Close()
			}
		}
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), OrDefault(s.CloseGrace, DefaultCloseGrace))
		err = hs.Shutdown(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			// Cut what is left, and wait for its goroutines to see it.
			err = hs.Close()
			s.mu.Lock()
			for len(s.conns) > 0 {
				s.drained.Wait()
			}
			s.mu.Unlock()
		}
		<-serveDone
	}
	s.closeErr = err
	close(s.closeDone)
	return err
}
