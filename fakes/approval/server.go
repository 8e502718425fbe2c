package approval

import (
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/renewsim/renewsim/fakes/internal/loopback"
)

// Path is the URL path the approval links and the form point at.
const Path = "/approvals"

// StatusHeader is the response header naming the outcome of a request.
const StatusHeader = "X-Renewsim-Approval"

// Values of StatusHeader.
const (
	StatusPending          = "pending"            // GET: page with the form
	StatusApproved         = "approved"           // POST: approval recorded now
	StatusAlreadyApproved  = "already-approved"   // POST: approval recorded earlier
	StatusExpired          = "expired"            // 410
	StatusUnknown          = "unknown"            // 404
	StatusBadRequest       = "bad-request"        // 400 (unparsable form)
	StatusMethodNotAllowed = "method-not-allowed" // 405
)

// maxFormBytes bounds the POST body.
const maxFormBytes = 64 << 10

// MaxVisits bounds the record of visits: a client that sends requests
// without end must not make it grow without end. Later visits are answered
// but not recorded; their Seq numbers are skipped.
const MaxVisits = 10000

// Request describes one approval e-mail, and so one link.
type Request struct {
	// Code identifies the link; it must be unique and non-empty.
	Code string
	// Context must be presented together with Code.
	Context string
	// Domain is the name to validate, e.g. www.example.com.
	Domain string
	// ValidationDomain is the domain whose addresses got the e-mail.
	ValidationDomain string
	CertificateARN   string
	Account          string
	Region           string
	// ExpiresAt is when the link stops working (issue time + 72h in ACM).
	// The link is expired when clock.Now() >= ExpiresAt.
	ExpiresAt time.Time
}

// Approval is one recorded approval.
type Approval struct {
	// Seq numbers approvals from 1 in the order they were recorded.
	Seq              int
	Code             string
	Domain           string
	ValidationDomain string
	CertificateARN   string
	// At is clock.Now() when the approval was recorded.
	At time.Time
}

// Visit is one HTTP request the server answered.
type Visit struct {
	// Seq numbers visits from 1 in the order they were answered.
	Seq    int
	Method string
	// Path is the request's URL path (normally Path).
	Path string
	// Code is the code from the query (GET and others) or the form (POST);
	// "" if absent.
	Code   string
	Status int
	// At is clock.Now() when the request was handled.
	At time.Time
}

// Config describes a Server: its clock, where it listens and how many
// clients it serves.
type Config struct {
	// Clock gives every time the server uses (expiry, Approval.At,
	// Visit.At); required.
	Clock clockwork.Clock
	// Addr is a loopback "host:port" (port 0 picks a free one); "" means
	// 127.0.0.1:0.
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

// Server serves the approval pages. All methods are safe for concurrent
// use.
type Server struct {
	cfg   Config
	clock clockwork.Clock

	web loopback.HTTPServer

	mu        sync.Mutex
	links     map[string]Request
	approved  map[string]bool
	approvals []Approval
	visits    []Visit
	visitSeq  int
}

// New returns a server that takes all its times from cfg.Clock; it panics
// when the clock is nil, a mistake of the caller's program. Call Start to
// make it listen.
func New(cfg Config) *Server {
	if cfg.Clock == nil {
		panic("approval: New called without a Clock")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	return &Server{
		cfg:   cfg,
		clock: cfg.Clock,
		web: loopback.HTTPServer{
			Name:        "approval",
			MaxConns:    cfg.MaxConns,
			ReadTimeout: cfg.ReadTimeout,
			IdleTimeout: cfg.IdleTimeout,
		},
		links:    make(map[string]Request),
		approved: make(map[string]bool),
	}
}

// Start listens on Config.Addr and serves in a goroutine; it returns once
// the server accepts connections. It fails if the address is not a
// loopback one, or the server was already started or closed.
func (s *Server) Start() error { return s.web.Start(s.cfg.Addr, s) }

// Addr returns "host:port", or "" before Start.
func (s *Server) Addr() string { return s.web.Addr() }

// URL returns the base URL, "http://127.0.0.1:PORT", or "" before Start.
func (s *Server) URL() string { return s.web.URL() }

// Close stops the server: it stops accepting connections, closes idle ones,
// waits for the requests in flight to be answered (a few seconds at most,
// then it cuts them) and for every goroutine of the server to end. Close is
// idempotent; later (or concurrent) calls wait for the first to finish and
// return its result. Closing a server that was never started just marks it
// closed.
func (s *Server) Close() error { return s.web.Close() }

// Register makes the link for r work and returns it:
// URL()+"/approvals?code=<code>&context=<context>", query-escaped. It
// panics if r.Code is empty. Registering an existing code replaces its
// Request but keeps a recorded approval.
func (s *Server) Register(r Request) string {
	if r.Code == "" {
		panic("approval: Register called with an empty Code")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.links[r.Code] = r
	return s.URL() + Path + "?code=" + url.QueryEscape(r.Code) + "&context=" + url.QueryEscape(r.Context)
}

// Approvals returns a copy of the recorded approvals in order.
func (s *Server) Approvals() []Approval {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Approval(nil), s.approvals...)
}

// Approved reports whether an approval has been recorded for code.
func (s *Server) Approved(code string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.approved[code]
}

// Visits returns a copy of the requests answered so far, in order: the
// first MaxVisits of them.
func (s *Server) Visits() []Visit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Visit(nil), s.visits...)
}

// outcome is what the server decided for one request.
type outcome struct {
	status int    // HTTP status
	state  string // StatusHeader value
	req    Request
	at     time.Time
}

// decide looks code and context up, applies an approval if approve is set,
// and records the visit, all atomically, so that the records are complete
// before the response is written.
func (s *Server) decide(method, path, code, ctxValue string, approve bool) outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	r, ok := s.links[code]
	o := outcome{req: r, at: now}
	switch {
	case !ok || r.Context != ctxValue:
		o = outcome{status: http.StatusNotFound, state: StatusUnknown, at: now}
	case !now.Before(r.ExpiresAt):
		o.status, o.state = http.StatusGone, StatusExpired
	case !approve:
		o.status, o.state = http.StatusOK, StatusPending
		if s.approved[code] {
			o.state = StatusAlreadyApproved
		}
	case s.approved[code]:
		o.status, o.state = http.StatusOK, StatusAlreadyApproved
	default:
		s.approved[code] = true
		s.approvals = append(s.approvals, Approval{
			Seq:              len(s.approvals) + 1,
			Code:             code,
			Domain:           r.Domain,
			ValidationDomain: r.ValidationDomain,
			CertificateARN:   r.CertificateARN,
			At:               now,
		})
		o.status, o.state = http.StatusOK, StatusApproved
	}
	s.visitLocked(method, path, code, o.status, now)
	return o
}

func (s *Server) visit(method, path, code string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.visitLocked(method, path, code, status, s.clock.Now())
}

func (s *Server) visitLocked(method, path, code string, status int, at time.Time) {
	s.visitSeq++
	if len(s.visits) >= MaxVisits {
		return
	}
	s.visits = append(s.visits, Visit{
		Seq:    s.visitSeq,
		Method: method,
		Path:   path,
		Code:   code,
		Status: status,
		At:     at,
	})
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != Path {
		s.visit(r.Method, r.URL.Path, r.URL.Query().Get("code"), http.StatusNotFound)
		writePage(w, http.StatusNotFound, StatusUnknown, unknownPage, nil)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		q := r.URL.Query()
		o := s.decide(r.Method, r.URL.Path, q.Get("code"), q.Get("context"), false)
		s.respond(w, o, false)
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			s.visit(r.Method, r.URL.Path, "", http.StatusBadRequest)
			writePage(w, http.StatusBadRequest, StatusBadRequest, badRequestPage, nil)
			return
		}
		o := s.decide(r.Method, r.URL.Path, r.PostForm.Get("code"), r.PostForm.Get("context"), true)
		s.respond(w, o, true)
	default:
		s.visit(r.Method, r.URL.Path, r.URL.Query().Get("code"), http.StatusMethodNotAllowed)
		w.Header().Set("Allow", "GET, HEAD, POST")
		writePage(w, http.StatusMethodNotAllowed, StatusMethodNotAllowed, methodPage, nil)
	}
}

// respond writes the page for o; posted tells a form submission from a
// page view.
func (s *Server) respond(w http.ResponseWriter, o outcome, posted bool) {
	data := pageData{Request: o.req, Path: Path, AlreadyApproved: o.state == StatusAlreadyApproved}
	switch {
	case o.state == StatusUnknown:
		writePage(w, o.status, o.state, unknownPage, nil)
	case o.state == StatusExpired:
		writePage(w, o.status, o.state, expiredPage, data)
	case posted:
		writePage(w, o.status, o.state, successPage, data)
	default:
		writePage(w, o.status, o.state, formPage, data)
	}
}
