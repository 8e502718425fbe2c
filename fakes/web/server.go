package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
)

// Response is what a path answers. A non-empty Location makes it a redirect
// (Status defaults to 301 then, 200 otherwise).
type Response struct {
	Status   int
	Body     string
	Location string
}

// Request is one request the server answered, for tests and diagnosis.
type Request struct {
	Seq    int
	Method string
	Path   string
	Status int
}

// Server answers the responses set per path and 404 elsewhere.
type Server struct {
	mu      sync.Mutex
	paths   map[string]Response
	history []Request
	seq     int

	ln     net.Listener
	srv    *http.Server
	served chan struct{}
	closed bool
}

// New returns a server that answers nothing yet.
func New() *Server { return &Server{paths: map[string]Response{}} }

// Start listens on host (a loopback IP) with a kernel-chosen port.
func (s *Server) Start(host string) error {
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("web: %q is not a loopback IP address", host)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil || s.closed {
		return errors.New("web: already started or closed")
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return fmt.Errorf("web: listen: %w", err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s}
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln)
	}()
	return nil
}

// Addr is "host:port", or "" before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops the server and waits for it; calling it again does nothing.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	srv, served := s.srv, s.served
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Close()
	<-served
	return err
}

// Set makes path answer r.
func (s *Server) Set(path string, r Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paths[path] = r
}

// Delete makes path answer 404 again.
func (s *Server) Delete(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.paths, path)
}

// Reset forgets every path and the history.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.paths)
	s.history = nil
}

// History lists the requests answered, in order.
func (s *Server) History() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.history...)
}

// ServeHTTP answers from the table.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	resp, ok := s.paths[r.URL.Path]
	status := http.StatusNotFound
	if ok {
		status = resp.Status
		if status == 0 {
			status = http.StatusOK
			if resp.Location != "" {
				status = http.StatusMovedPermanently
			}
		}
	}
	s.seq++
	s.history = append(s.history, Request{Seq: s.seq, Method: r.Method, Path: r.URL.Path, Status: status})
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if resp.Location != "" {
		w.Header().Set("Location", resp.Location)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(resp.Body))
}
