package route53

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/renewsim/renewsim/fakes/internal/awsapi"
	"github.com/renewsim/renewsim/fakes/internal/loopback"
)

// MaxHistory bounds the record of requests; later requests are answered
// but not recorded.
const MaxHistory = 10000

// MaxBodyBytes bounds a request body; a larger one is answered 413. A
// change batch of 1,000 records of 4,000 characters each stays below it.
const MaxBodyBytes = 8 << 20

// maxChanges is how many change batches GetChange remembers; older ones
// are forgotten (NoSuchChange), as Route 53 forgets changes after a while.
const maxChanges = 10000

// Request is one HTTP request the server answered.
type Request struct {
	// Seq numbers requests from 1 in the order they arrived.
	Seq int
	// Operation is the operation the method and path name, "" for none.
	Operation string
	// ZoneID is the hosted zone ID in the path, "" when there is none.
	ZoneID string
	// Status is the HTTP status of the answer.
	Status int
	// ErrorCode is the answer's error code, "" for a success.
	ErrorCode string
}

// Config describes a Server.
type Config struct {
	// Backend has the zones and takes the changes; required.
	Backend Backend
	// Addr is a loopback "host:port" (port 0 picks a free one); "" means
	// 127.0.0.1:0.
	Addr string
	// MaxConns bounds the connections open at once (0: 512); a client
	// beyond it is answered 503, which the SDKs retry.
	MaxConns int
	// ReadTimeout and IdleTimeout bound a request's arrival and a
	// kept-alive connection's idling (0: 30 seconds, 2 minutes).
	ReadTimeout, IdleTimeout time.Duration
	// RateLimit, when above 0, answers 400 Throttling to requests beyond
	// that many a second, counted in wall time over every operation, as
	// Route 53 limits an account (five a second).
	RateLimit float64
	// Deny lists operations answered 403 AccessDenied, as for a caller
	// whose IAM policy lacks route53:<Operation>; "*" denies all. Names
	// are matched case-insensitively; unknown names deny nothing.
	Deny []string
	// Account is the account named in AccessDenied messages ("" is
	// 123456789012).
	Account string
	// Clock is the wall clock of the rate limit (nil: time.Now).
	Clock func() time.Time
}

// Server answers Route 53 API requests from a Backend. All methods are safe
// for concurrent use; Backend calls are serialised.
type Server struct {
	cfg     Config
	backend Backend
	limit   *awsapi.Limiter
	deny    awsapi.Deny

	call    sync.Mutex // serialises Backend calls and the change log
	changes map[string]wireChangeInfo
	order   []string // change IDs, oldest first
	nchange int

	web loopback.HTTPServer

	mu      sync.Mutex
	seq     int
	history []Request
}

// busyBody is the answer to a client beyond MaxConns.
const busyBody = `<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>too many connections to the Route 53 API; try again shortly</Message></Error><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>`

// New returns a server answering from cfg.Backend; it panics when the
// backend is nil, a mistake of the caller's program. ServeHTTP works at
// once; Start listens.
func New(cfg Config) *Server {
	if cfg.Backend == nil {
		panic("route53: New called without a Backend")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	return &Server{cfg: cfg, backend: cfg.Backend,
		limit: awsapi.NewLimiter(cfg.RateLimit, cfg.Clock), deny: awsapi.NewDeny(cfg.Deny),
		changes: map[string]wireChangeInfo{},
		web: loopback.HTTPServer{
			Name:        "route53",
			MaxConns:    cfg.MaxConns,
			ReadTimeout: cfg.ReadTimeout,
			IdleTimeout: cfg.IdleTimeout,
			BusyType:    "text/xml",
			BusyBody:    busyBody,
		}}
}

// Operations lists the operations this server answers; every other path
// or method is answered 404 UnknownOperationException.
func Operations() []string {
	return []string{"ChangeResourceRecordSets", "GetChange", "GetHostedZone", "ListHostedZones",
		"ListHostedZonesByName", "ListResourceRecordSets"}
}

// Start listens on Config.Addr and serves in a goroutine; it returns once
// the server accepts connections.
func (s *Server) Start() error { return s.web.Start(s.cfg.Addr, s) }

// Addr is "host:port", or "" before Start.
func (s *Server) Addr() string { return s.web.Addr() }

// URL is the endpoint, "http://127.0.0.1:PORT", or "" before Start: the
// SDK's BaseEndpoint (AWS_ENDPOINT_URL_ROUTE_53) and the CLI's
// --endpoint-url.
func (s *Server) URL() string { return s.web.URL() }

// Close stops the server and waits for it, as acmapi.Server.Close does.
func (s *Server) Close() error { return s.web.Close() }

// History returns the requests answered so far, the first MaxHistory.
func (s *Server) History() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := slices.Clone(s.history)
	slices.SortFunc(h, func(a, b Request) int { return a.Seq - b.Seq })
	return h
}

// route is what a request's method and path name.
type route struct {
	op string
	id string // the zone or change ID in the path
	fn func(s *Server, r *http.Request, body []byte, id string) (any, error)
}

// routeOf finds the operation of a request, as Route 53's REST binding
// lays them out (API version 2013-04-01).
func routeOf(r *http.Request) (route, bool) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/2013-04-01/")
	if !ok {
		return route{}, false
	}
	parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	switch {
	case get && len(parts) == 1 && parts[0] == "hostedzone":
		return route{op: "ListHostedZones", fn: (*Server).listHostedZones}, true
	case get && len(parts) == 1 && parts[0] == "hostedzonesbyname":
		return route{op: "ListHostedZonesByName", fn: (*Server).listHostedZonesByName}, true
	case get && len(parts) == 2 && parts[0] == "hostedzone":
		return route{op: "GetHostedZone", id: bareID(parts[1], "hostedzone"), fn: (*Server).getHostedZone}, true
	case get && len(parts) == 3 && parts[0] == "hostedzone" && parts[2] == "rrset":
		return route{op: "ListResourceRecordSets", id: bareID(parts[1], "hostedzone"), fn: (*Server).listResourceRecordSets}, true
	case post && len(parts) == 3 && parts[0] == "hostedzone" && parts[2] == "rrset":
		return route{op: "ChangeResourceRecordSets", id: bareID(parts[1], "hostedzone"), fn: (*Server).changeResourceRecordSets}, true
	case get && len(parts) == 2 && parts[0] == "change":
		return route{op: "GetChange", id: bareID(parts[1], "change"), fn: (*Server).getChange}, true
	}
	return route{}, false
}

// bareID drops the "/hostedzone/" or "/change/" a client may leave on an
// ID (the SDKs and the CLI take it off; a hand-made URL may not).
func bareID(id, kind string) string {
	id = strings.TrimPrefix(id, "/")
	return strings.TrimPrefix(id, kind+"/")
}

// ServeHTTP answers one Route 53 REST request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seq++
	rec := Request{Seq: s.seq}
	s.mu.Unlock()

	out, err := s.handle(w, r, &rec)
	status, payload := http.StatusOK, []byte(nil)
	if err == nil {
		if payload, err = encode(out); err != nil {
			err = Internal("could not encode the response: " + err.Error())
		}
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Code == "" {
			e = Internal(err.Error())
		}
		status, rec.ErrorCode = e.HTTPStatus(), e.Code
		typ := "Sender"
		if !e.sender() {
			typ = "Receiver"
		}
		payload, _ = encode(errorResponse{Error: wireError{Type: typ, Code: e.Code, Message: e.Message}, RequestID: requestID(rec.Seq)})
	}
	rec.Status = status

	h := w.Header()
	h.Set("Content-Type", "text/xml")
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

func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// requestID is a deterministic request ID, shaped like AWS's UUIDs.
func requestID(seq int) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012x", seq)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request, rec *Request) (any, error) {
	if r.ContentLength > MaxBodyBytes {
		return nil, tooLarge()
	}
	rt, ok := routeOf(r)
	if !ok {
		return nil, &Error{Code: ErrUnknownOperation, Status: http.StatusNotFound,
			Message: fmt.Sprintf("%s %s names no operation; this endpoint serves %s under /2013-04-01/", r.Method, r.URL.Path, strings.Join(Operations(), ", "))}
	}
	rec.Operation, rec.ZoneID = rt.op, rt.id
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, tooLarge()
	case err != nil:
		return nil, InvalidInput("could not read the request body: %v", err)
	}
	if !s.limit.Allow("route53") {
		return nil, &Error{Code: ErrThrottling, Message: "Rate exceeded"}
	}
	if s.deny.Denies(rt.op) {
		return nil, AccessDenied(awsapi.DeniedMessage(s.cfg.Account, "route53:"+rt.op, resourceOf(rt)))
	}
	s.call.Lock()
	defer s.call.Unlock()
	return rt.fn(s, r, body, rt.id)
}

// resourceOf is the ARN IAM would check the request's action against.
func resourceOf(rt route) string {
	switch rt.op {
	case "GetHostedZone", "ListResourceRecordSets", "ChangeResourceRecordSets":
		return "arn:aws:route53:::hostedzone/" + rt.id
	case "GetChange":
		return "arn:aws:route53:::change/" + rt.id
	}
	return "*"
}

func tooLarge() *Error {
	return &Error{Code: ErrRequestEntityTooLarge, Status: http.StatusRequestEntityTooLarge,
		Message: fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes)}
}
