package httpd

import (
	"net/http"
	"time"

	"github.com/renewsim/renewsim/fakes/internal/loopback"
)

// Config describes a Server.
type Config struct {
	// Name prefixes the server's errors and its plain-text refusals.
	Name string
	// Handler answers every request; required.
	Handler http.Handler
	// Addr is a loopback "host:port" (port 0 picks a free one); "" means
	// 127.0.0.1:0.
	Addr string
	// MaxConns bounds the connections open at once; a client beyond it is
	// answered 503. 0 means the default (512).
	MaxConns int
	// ReadTimeout bounds how long a request may take to arrive whole, and
	// a new connection to bring its first one; 0 means 30 seconds.
	ReadTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection may wait for its
	// next request; 0 means 2 minutes.
	IdleTimeout time.Duration
	// BusyType and BusyBody are the Content-Type and body of the 503;
	// empty means a line of plain text.
	BusyType, BusyBody string
}

// Server serves Config.Handler. All methods are safe for concurrent use.
type Server struct {
	cfg Config
	web loopback.HTTPServer
}

// New returns a server that does not listen until Start; it panics when
// the handler is nil, a mistake of the caller's program.
func New(cfg Config) *Server {
	if cfg.Handler == nil {
		panic("httpd: New called without a Handler")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Name == "" {
		cfg.Name = "httpd"
	}
	return &Server{cfg: cfg, web: loopback.HTTPServer{
		Name:        cfg.Name,
		MaxConns:    cfg.MaxConns,
		ReadTimeout: cfg.ReadTimeout,
		IdleTimeout: cfg.IdleTimeout,
		BusyType:    cfg.BusyType,
		BusyBody:    cfg.BusyBody,
	}}
}

// Start listens on Config.Addr and serves in a goroutine; it returns once
// the server accepts connections. It fails if the address is not a
// loopback one, or the server was already started or closed.
func (s *Server) Start() error { return s.web.Start(s.cfg.Addr, s.cfg.Handler) }

// Addr is "host:port", or "" before Start.
func (s *Server) Addr() string { return s.web.Addr() }

// URL is "http://host:port", or "" before Start.
func (s *Server) URL() string { return s.web.URL() }

// Close stops the server and waits for every goroutine of it; later or
// concurrent calls wait for the first and return its result.
func (s *Server) Close() error { return s.web.Close() }
