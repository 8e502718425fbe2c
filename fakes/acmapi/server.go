package acmapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/renewsim/renewsim/fakes/internal/awsapi"
	"github.com/renewsim/renewsim/fakes/internal/loopback"
)

// Protocol constants of awsJson1_1 as ACM uses it.
const (
	// ContentType is the media type of every request and response body.
	ContentType = "application/x-amz-json-1.1"
	// TargetPrefix starts X-Amz-Target; the operation name follows.
	TargetPrefix = "CertificateManager."
)

// MaxHistory bounds the record of requests: a client that sends requests
// without end must not make it grow without end. Later requests are
// answered but not recorded; their Seq numbers are skipped.
const MaxHistory = 10000

// MaxBodyBytes bounds a request body; a larger one is answered 413
// RequestEntityTooLargeException. ACM's largest inputs (ImportCertificate)
// stay far below it, and this server takes none of those.
const MaxBodyBytes = 1 << 20

// Request is one HTTP request the server answered.
type Request struct {
	// Seq numbers requests from 1 in the order they arrived.
	Seq int
	// Operation is the operation named by X-Amz-Target (without the
	// "CertificateManager." prefix), or the whole header value when it
	// does not start with that prefix; "" when the header is missing.
	Operation string
	// ARN is the request's CertificateArn, "" if it had none, cut to
	// 2048 bytes (ACM's limit) if it was longer.
	ARN string
	// Region is the region the request was answered for: its SigV4
	// credential scope's, else Config.Region.
	Region string
	// Status is the HTTP status of the answer.
	Status int
	// ErrorType is the answer's "__type", "" for a success.
	ErrorType string
}

// Config describes a Server: where its answers come from, where it listens
// and how many clients it serves.
type Config struct {
	// Backend answers every request; required.
	Backend Backend
	// Addr is a loopback "host:port" such as 127.0.0.1:4566 (port 0 picks
	// a free one); "" means 127.0.0.1:0.
	Addr string
	// MaxConns bounds the connections open at once; a client beyond it
	// is answered 503 ServiceUnavailableException, which the SDKs retry.
	// 0 means the default (512).
	MaxConns int
	// ReadTimeout bounds how long a request may take to arrive whole, and
	// a new connection to bring its first one; 0 means 30 seconds.
	ReadTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection may wait for its
	// next request; 0 means 2 minutes.
	IdleTimeout time.Duration
	// Region is the region of a request that names none (unsigned, as
	// from curl). A signed request is answered for the region of its
	// SigV4 credential scope, as each regional endpoint of ACM answers for
	// its own region: only certificates whose ARN is of that region are
	// listed or found. "" with an unsigned request: every region.
	Region string
	// RateLimit, when above 0, answers 400 ThrottlingException to
	// requests beyond that many a second of one operation in one region,
	// counted in wall time, as ACM's per-operation quotas do.
	RateLimit float64
	// Deny lists operations answered AccessDeniedException, as for a
	// caller whose IAM policy lacks acm:<Operation>; "*" denies all.
	// Names are matched case-insensitively; unknown names deny nothing.
	Deny []string
	// Account is the account named in AccessDenied messages ("" is
	// 123456789012).
	Account string
	// Clock is the wall clock of the rate limit (nil: time.Now).
	Clock func() time.Time
}

// Server answers ACM API requests from a Backend. All methods are safe for
// concurrent use. Backend calls are serialised: one request at a time
// consults the backend, so that each answer comes from one consistent view.
type Server struct {
	cfg     Config
	backend Backend
	limit   *awsapi.Limiter
	deny    awsapi.Deny

	// call serialises Backend calls.
	call sync.Mutex

	web loopback.HTTPServer

	mu      sync.Mutex
	seq     int
	history []Request
}

// busyBody is the answer to a client beyond MaxConns, shaped like AWS's
// own throttling answers so that the SDKs retry it.
const busyBody = `{"__type":"ServiceUnavailableException","message":"too many connections to the ACM API; try again shortly"}`

// New returns a server answering from cfg.Backend; it panics when the
// backend is nil, a mistake of the caller's program. It serves nothing
// until Start, but ServeHTTP works at once, so it can also be mounted on
// another http.Server.
func New(cfg Config) *Server {
	if cfg.Backend == nil {
		panic("acmapi: New called without a Backend")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	return &Server{cfg: cfg, backend: cfg.Backend,
		limit: awsapi.NewLimiter(cfg.RateLimit, cfg.Clock), deny: awsapi.NewDeny(cfg.Deny),
		web: loopback.HTTPServer{
			Name:        "acmapi",
			MaxConns:    cfg.MaxConns,
			ReadTimeout: cfg.ReadTimeout,
			IdleTimeout: cfg.IdleTimeout,
			BusyType:    ContentType,
			BusyBody:    busyBody,
		}}
}

// Start listens on Config.Addr and serves in a goroutine; it returns once
// the server accepts connections. It fails if the address is not a
// loopback one, or the server was already started or closed.
func (s *Server) Start() error { return s.web.Start(s.cfg.Addr, s) }

// Addr is "host:port", or "" before Start.
func (s *Server) Addr() string { return s.web.Addr() }

// URL is the endpoint, "http://127.0.0.1:PORT", or "" before Start. It is
// what the SDKs take as BaseEndpoint and the CLI as --endpoint-url.
func (s *Server) URL() string { return s.web.URL() }

// Close stops accepting connections, closes idle ones, waits for the
// requests in flight to be answered (a few seconds at most, then it cuts
// them) and for every goroutine of the server to end. It is idempotent;
// later or concurrent calls wait for the first and return its result.
// Closing a server never started just marks it closed.
func (s *Server) Close() error { return s.web.Close() }

// History returns the requests answered so far, ordered by Seq: the first
// MaxHistory of them.
func (s *Server) History() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := append([]Request(nil), s.history...)
	sort.Slice(h, func(i, j int) bool { return h[i].Seq < h[j].Seq })
	return h
}

// reply is what one request is answered with. A nil body with a nil err
// is an empty 200 (operations without output).
type reply struct {
	body any
	err  error
}

// ServeHTTP answers one awsJson1_1 request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seq++
	rec := Request{Seq: s.seq}
	s.mu.Unlock()

	rec.Operation = strings.TrimPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
	rep := s.handle(w, r, &rec)

	status, payload := http.StatusOK, []byte(nil)
	if rep.err != nil {
		var e *Error
		if !errors.As(rep.err, &e) || e.Type == "" {
			e = Internal(rep.err.Error())
		}
		status = e.HTTPStatus()
		rec.ErrorType = e.Type
		payload, _ = json.Marshal(map[string]string{"__type": e.Type, messageMember(e.Type): e.Message})
	} else if rep.body != nil {
		var err error
		if payload, err = json.Marshal(rep.body); err != nil {
			e := Internal("could not encode the response: " + err.Error())
			status, rec.ErrorType = e.HTTPStatus(), e.Type
			payload, _ = json.Marshal(map[string]string{"__type": e.Type, "message": e.Message})
		}
	}
	rec.Status = status

	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("X-Amzn-Requestid", requestID(rec.Seq))
	h.Set("Content-Length", strconv.Itoa(len(payload)))
	w.WriteHeader(status)
	_, _ = w.Write(payload)

	s.mu.Lock()
	if len(s.history) < MaxHistory {
		s.history = append(s.history, rec)
	}
	s.mu.Unlock()
}

// requestID is a deterministic x-amzn-RequestId, shaped like AWS's UUIDs.
func requestID(seq int) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012x", seq)
}

func unknownOperation(msg string) reply {
	return reply{err: &Error{Type: ErrUnknownOperation, Message: msg}}
}

func tooLarge() reply {
	return reply{err: &Error{Type: ErrRequestEntityTooLarge, Status: http.StatusRequestEntityTooLarge,
		Message: fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes)}}
}

// handle routes the request as the awsJson protocol does (POST /, operation
// in X-Amz-Target, awsJson1_1 body) and runs the operation.
func (s *Server) handle(w http.ResponseWriter, r *http.Request, rec *Request) reply {
	// Like AWS's front end, refuse a body announced too large before
	// anything else, without reading it.
	if r.ContentLength > MaxBodyBytes {
		return tooLarge()
	}
	if r.URL.Path != "/" {
		return unknownOperation(fmt.Sprintf("awsJson1_1 requests go to /, not %s", r.URL.Path))
	}
	if r.Method != http.MethodPost {
		return unknownOperation(fmt.Sprintf("awsJson1_1 requests are POSTed, not sent with %s", r.Method))
	}
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		return unknownOperation("missing the X-Amz-Target header")
	}
	name, ok := strings.CutPrefix(target, TargetPrefix)
	op, known := operations[name]
	if !ok || !known {
		return unknownOperation(fmt.Sprintf("unknown operation %s: this endpoint serves %s", target, servedOperations()))
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		// AWS picks the protocol by Content-Type; under another one it
		// finds no operation (see doc.go).
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != ContentType {
			return unknownOperation(fmt.Sprintf("Content-Type %q is not %s, so %s names no operation of it", ct, ContentType, target))
		}
	}
	// With w, the reader also tells the server to close the connection
	// rather than read the rest of an oversized body.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return tooLarge()
	case err != nil:
		return reply{err: &Error{Type: ErrSerialization, Message: "could not read the request body: " + err.Error()}}
	}

	rec.Region = awsapi.Region(r)
	if rec.Region == "" {
		rec.Region = s.cfg.Region
	}
	if !s.limit.Allow(rec.Region + "/" + name) {
		return reply{err: Throttling("Rate exceeded")}
	}
	if s.deny.Denies(name) {
		return reply{err: AccessDenied(awsapi.DeniedMessage(s.cfg.Account, "acm:"+name, resourceOf(body)))}
	}

	s.call.Lock()
	defer s.call.Unlock()
	out, err := op(s, body, rec)
	return reply{body: out, err: err}
}

// resourceOf is the ARN IAM would check a request's action against: the
// certificate it names, or "*".
func resourceOf(body []byte) string {
	var in struct{ CertificateArn string }
	if json.Unmarshal(body, &in) == nil && ValidARN(in.CertificateArn) {
		return in.CertificateArn
	}
	return "*"
}

// regionOf is the region field of an ACM ARN.
func regionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 {
		return ""
	}
	return parts[3]
}

// inRegion reports whether a certificate is answered for the request's
// region ("" answers for every region).
func inRegion(arn string, rec *Request) bool {
	return rec.Region == "" || regionOf(arn) == rec.Region
}
