package web

import (
	"net/http"
	"sync"
	"time"

	"github.com/renewsim/renewsim/fakes/internal/loopback"
)

// Response is what a path answers. A non-empty Location makes it a redirect
// (Status defaults to 301 then, 200 otherwise); give Status for another
// redirect (302, 303, 307, 308), which the client gets as set.
type Response struct {
	Status   int
	Body     string
	Location string
}

// MaxHistory bounds the record of requests: a client that sends requests
// without end must not make it grow without end. Later requests are
// answered but not recorded; their Seq numbers are skipped.
const MaxHistory = 10000

// Request is one request the server answered, for tests and diagnosis.
type Request struct {
	Seq    int
	Method string
	Path   string
	Status int
}

// Config says where a Server listens and how many clients it serves. The
// zero value listens on a free port of 127.0.0.1 with the defaults.
type Config struct {
	// Addr is a loopback "host:port" (port 0 picks a free one); ""
	// means 127.0.0.1:0.
	Addr string
	// MaxConns bounds the connections open at once; a client beyond it
	// is answered 503. 0 means the default (512).
	MaxConns int
	// ReadTimeout bounds how long a request may take to arrive whole, and
	// a new connection to bring its first one; 0 means 30 seconds.
	ReadTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection may wait for its
	// next request; 0 means 2 minutes.
	IdleTimeout time.Duration
}

// Server answers the responses set per path and 404 elsewhere.
type Server struct {
	cfg Config
	web loopback.HTTPServer

	mu      sync.Mutex
	paths   map[string]Response
	history []Request
	seq     int
}

// New returns a server that answers nothing yet and does not listen until
// Start.
func New(cfg Config) *Server {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	return &Server{cfg: cfg, paths: map[string]Response{}, web: loopback.HTTPServer{
		Name:        "web",
		MaxConns:    cfg.MaxConns,
		ReadTimeout: cfg.ReadTimeout,
		IdleTimeout: cfg.IdleTimeout,
	}}
}

// Start listens on Config.Addr and serves in a goroutine; it returns once
// the server accepts connections. It fails if the address is not a
// loopback one, or the server was already started or closed.
func (s *Server) Start() error { return s.web.Start(s.cfg.Addr, s) }

// Addr is "host:port", or "" before Start.
func (s *Server) Addr() string { return s.web.Addr() }

// URL is "http://host:port", or "" before Start.
func (s *Server) URL() string { return s.web.URL() }

// Close stops accepting connections, waits for the requests in flight (a
// few seconds at most) and for every goroutine of the server. It is
// idempotent; closing a server never started just marks it closed.
func (s *Server) Close() error { return s.web.Close() }

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

// History lists the requests answered, in order: the first MaxHistory of
// them since Reset.
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
	if len(s.history) < MaxHistory {
		s.history = append(s.history, Request{Seq: s.seq, Method: r.Method, Path: r.URL.Path, Status: status})
	}
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
