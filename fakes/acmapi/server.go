package acmapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Protocol constants of awsJson1_1 as ACM uses it.
const (
	// ContentType is the media type of every request and response body.
	ContentType = "application/x-amz-json-1.1"
	// TargetPrefix starts X-Amz-Target; the operation name follows.
	TargetPrefix = "CertificateManager."
)

// maxBodyBytes bounds a request body. ACM's largest inputs
// (ImportCertificate) stay far below it, and this server takes none of
// those.
const maxBodyBytes = 1 << 20

// Request is one HTTP request the server answered.
type Request struct {
	// Seq numbers requests from 1 in the order they arrived.
	Seq int
	// Operation is the operation named by X-Amz-Target (without the
	// "CertificateManager." prefix), or the whole header value when it
	// does not start with that prefix; "" when the header is missing.
	Operation string
	// ARN is the request's CertificateArn, "" if it had none.
	ARN string
	// Status is the HTTP status of the answer.
	Status int
	// ErrorType is the answer's "__type", "" for a success.
	ErrorType string
}

// Server answers ACM API requests from a Backend. All methods are safe for
// concurrent use. Backend calls are serialised: one request at a time
// consults the backend, so that each answer comes from one consistent view.
type Server struct {
	backend Backend

	// call serialises Backend calls.
	call sync.Mutex

	mu      sync.Mutex
	started bool
	closed  bool
	url     string
	hs      *http.Server
	conns   map[net.Conn]http.ConnState
	seq     int
	history []Request

	serveDone chan struct{} // closed when the serve goroutine returns
	closeDone chan struct{} // closed when the first Close has finished
	closeErr  error         // written before closeDone is closed
}

// New returns a server answering from b. It serves nothing until Start or
// StartOn, but ServeHTTP works at once, so it can also be mounted on
// another http.Server.
func New(b Backend) *Server {
	if b == nil {
		panic("acmapi: New called with a nil Backend")
	}
	return &Server{
		backend:   b,
		conns:     make(map[net.Conn]http.ConnState),
		serveDone: make(chan struct{}),
		closeDone: make(chan struct{}),
	}
}

var (
	errStarted = errors.New("acmapi: server already started")
	errClosed  = errors.New("acmapi: server closed")
)

// Start listens on 127.0.0.1 on a free port and serves in a goroutine.
func (s *Server) Start() error { return s.listen("127.0.0.1:0") }

// StartOn listens on addr, a "host:port" whose host is a loopback IP
// address (for example 127.0.0.1:4566; port 0 picks a free port), and
// serves in a goroutine.
func (s *Server) StartOn(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("acmapi: listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("acmapi: listen address %q: %q is not a loopback IP address", addr, host)
	}
	return s.listen(addr)
}

func (s *Server) listen(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return errClosed
	case s.started:
		return errStarted
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("acmapi: %w", err)
	}
	s.hs = &http.Server{Handler: s, ConnState: s.trackConn}
	s.started = true
	s.url = "http://" + ln.Addr().String()
	go func() {
		defer close(s.serveDone)
		// Serve returns http.ErrServerClosed after Shutdown and closes
		// the listener in every case.
		_ = s.hs.Serve(ln)
	}()
	return nil
}

func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch st {
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	default:
		s.conns[c] = st
	}
}

// URL is the endpoint, "http://127.0.0.1:PORT", or "" before Start. It is
// what the SDKs take as BaseEndpoint and the CLI as --endpoint-url.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close stops accepting connections, closes idle ones, waits for the
// requests in flight to be answered and for the serve goroutine to end.
// It is idempotent; later or concurrent calls wait for the first and
// return its result. Closing a server never started just marks it closed.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.closeDone
		return s.closeErr
	}
	s.closed = true
	hs := s.hs
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
		err = hs.Shutdown(context.Background())
		<-s.serveDone
	}
	s.closeErr = err
	close(s.closeDone)
	return err
}

// History returns the requests answered so far, ordered by Seq.
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
	rep := s.handle(r, &rec)

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
	s.history = append(s.history, rec)
	s.mu.Unlock()
}

// requestID is a deterministic x-amzn-RequestId, shaped like AWS's UUIDs.
func requestID(seq int) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012x", seq)
}

func unknownOperation(msg string) reply {
	return reply{err: &Error{Type: ErrUnknownOperation, Message: msg}}
}

// handle routes the request as the awsJson protocol does (POST /, operation
// in X-Amz-Target, awsJson1_1 body) and runs the operation.
func (s *Server) handle(r *http.Request, rec *Request) reply {
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
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != ContentType {
			return reply{err: &Error{Type: ErrUnsupportedMediaType, Status: http.StatusUnsupportedMediaType,
				Message: fmt.Sprintf("Content-Type %q is not %s", ct, ContentType)}}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if err != nil {
		return reply{err: &Error{Type: ErrSerialization, Message: "could not read the request body: " + err.Error()}}
	}

	s.call.Lock()
	defer s.call.Unlock()
	out, err := op(s, body, rec)
	return reply{body: out, err: err}
}
