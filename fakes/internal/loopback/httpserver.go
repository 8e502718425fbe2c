package loopback

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Timeouts of every HTTP fake, so that a client that stalls holds a
// goroutine, and Close, for a bounded time only.
const (
	// DefaultReadTimeout is how long a request may take to arrive whole,
	// headers and body, unless HTTPServer.ReadTimeout says otherwise.
	DefaultReadTimeout = 30 * time.Second
	// WriteTimeout is how long answering a request may take, from the end
	// of its headers.
	WriteTimeout = 30 * time.Second
	// IdleTimeout is how long a kept-alive connection may wait for its
	// next request.
	IdleTimeout = 2 * time.Minute
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

// HTTPServer serves a handler on a loopback address. The zero value is
// ready; Name prefixes its errors.
type HTTPServer struct {
	Name string
	// ReadTimeout bounds how long a request may take to arrive whole; 0
	// means DefaultReadTimeout.
	ReadTimeout time.Duration
	// CloseGrace bounds how long Close waits for requests in flight; 0
	// means DefaultCloseGrace.
	CloseGrace time.Duration

	mu        sync.Mutex
	started   bool
	closed    bool
	url       string
	hs        *http.Server
	conns     map[net.Conn]http.ConnState
	drained   *sync.Cond    // signalled when a connection leaves conns
	serveDone chan struct{} // closed when the serve goroutine returns
	closeDone chan struct{} // closed when the first Close has finished
	closeErr  error         // written before closeDone is closed
}

// Start listens on addr and serves h in a goroutine. It fails if the
// server was already started or closed.
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
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	s.conns = make(map[net.Conn]http.ConnState)
	s.drained = sync.NewCond(&s.mu)
	s.serveDone = make(chan struct{})
	s.hs = &http.Server{
		Handler:      h,
		ConnState:    s.trackConn,
		ReadTimeout:  orDefault(s.ReadTimeout, DefaultReadTimeout),
		WriteTimeout: WriteTimeout,
		IdleTimeout:  IdleTimeout,
	}
	s.started = true
	s.url = "http://" + ln.Addr().String()
	hs, done := s.hs, s.serveDone
	go func() {
		defer close(done)
		// Serve returns http.ErrServerClosed after Shutdown and closes the
		// listener in every case.
		_ = hs.Serve(ln)
	}()
	return nil
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

// URL is "http://host:port", or "" before Start.
func (s *HTTPServer) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
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
		ctx, cancel := context.WithTimeout(context.Background(), orDefault(s.CloseGrace, DefaultCloseGrace))
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
