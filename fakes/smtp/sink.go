package smtp

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/jonboulle/clockwork"
)

// Domain is the name the sink announces in its greeting and EHLO reply.
const Domain = "renewsim.test"

// Default limits: what a Sink uses for each zero field of [Limits].
const (
	// MaxMessageBytes bounds a message: MAIL FROM with a larger SIZE= is
	// answered 552 5.3.4, and so is a DATA as soon as it reaches this many
	// bytes (go-smtp counts the limit itself as too large). The sink then
	// ends the connection instead of reading the rest of the message
	// only to throw it away.
	MaxMessageBytes = 10 << 20
	// MaxRecipients is how many RCPT TO one transaction may have; each
	// one beyond is answered 452 4.5.3.
	MaxRecipients = 100
	// MaxLineLength bounds a command line and a line of DATA, in bytes;
	// a longer one is answered 500 5.4.0 and the connection is closed.
	// RFC 5321 allows 1000, go-smtp doubles it.
	MaxLineLength = 2000
	// ReadTimeout is how long a client may stay silent, between commands
	// or within DATA, before it is answered 421 4.4.2 and disconnected:
	// the server timeout RFC 5321 section 4.5.3.2.7 asks for.
	ReadTimeout = 5 * time.Minute
	// WriteTimeout is how long writing one reply may block on a client
	// that reads nothing.
	WriteTimeout = time.Minute
	// MaxStoredMessages and MaxStoredBytes cap what the sink holds (raw
	// DATA bytes; Body and Header take about as much again). Once either
	// is reached the sink refuses new mail with 452 4.3.1 until Reset, and
	// says so once in its log.
	MaxStoredMessages = 10000
	MaxStoredBytes    = 64 << 20
)

// Limits bound what clients can make the sink do and hold. A zero field
// means the default constant of the same name.
type Limits struct {
	MaxMessageBytes   int64
	MaxRecipients     int
	MaxLineLength     int
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	MaxStoredMessages int
	MaxStoredBytes    int64
}

func (l Limits) withDefaults() Limits {
	set := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	setInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	setDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	set(&l.MaxMessageBytes, MaxMessageBytes)
	setInt(&l.MaxRecipients, MaxRecipients)
	setInt(&l.MaxLineLength, MaxLineLength)
	setDur(&l.ReadTimeout, ReadTimeout)
	setDur(&l.WriteTimeout, WriteTimeout)
	setInt(&l.MaxStoredMessages, MaxStoredMessages)
	set(&l.MaxStoredBytes, MaxStoredBytes)
	return l
}

// Option configures a Sink in New, Start and StartOn.
type Option func(*Sink)

// WithLimits replaces the default limits; zero fields keep their default.
func WithLimits(l Limits) Option { return func(s *Sink) { s.limits = l.withDefaults() } }

// WithLogger sends the sink's log lines (the store or the record of
// rejections filling up) to lg instead of log.Default(); nil discards them.
func WithLogger(lg *log.Logger) Option {
	return func(s *Sink) {
		if lg == nil {
			lg = log.New(io.Discard, "", 0)
		}
		s.logger = lg
	}
}

// ErrServerClosed is returned by Serve after Close has been called, and by
// Start when the sink is already closed. It is go-smtp's own sentinel, so
// errors.Is works with either name.
var ErrServerClosed = gosmtp.ErrServerClosed

// SMTP commands recorded in Rejection.Command.
const (
	CommandConnect = "CONNECT" // connection refused by SetRefuse(true)
	CommandMail    = "MAIL"    // MAIL FROM refused by SetTempFail(true)
	CommandRcpt    = "RCPT"    // RCPT TO refused by RejectRecipient
	CommandData    = "DATA"    // message not stored (unparsable, too large, store full)
)

// Message is one message accepted by the sink.
type Message struct {
	// Seq numbers stored messages from 1 in arrival order. Numbers are never
	// reused, not even after Reset.
	Seq int
	// From is the envelope sender (MAIL FROM), without angle brackets.
	From string
	// To holds the envelope recipients (RCPT TO) accepted for this message,
	// as the client spelled them, in the order given.
	To []string
	// Header is the net/mail parse of the message header.
	Header mail.Header
	// Subject is the Subject header with RFC 2047 encoded-words decoded (the
	// raw header value if it cannot be decoded).
	Subject string
	// Body is the message body. For non-multipart messages a
	// quoted-printable or base64 Content-Transfer-Encoding is decoded; in all
	// other cases (and if decoding fails) it is the body as received.
	Body string
	// Raw is the DATA exactly as received (after SMTP dot-unstuffing).
	Raw []byte
	// ReceivedAt is clock.Now() when the end of DATA was received.
	ReceivedAt time.Time
}

// Rejection records one attempt the sink refused.
type Rejection struct {
	// Seq numbers rejections from 1 (independently of Message.Seq). Numbers
	// are never reused, not even after Reset.
	Seq int
	// Addr is the address concerned: the recipient for RCPT, the envelope
	// sender for MAIL and DATA, and "" for a refused connection.
	Addr string
	// Code is the SMTP reply code sent (550, 451, 554, 552, 452, 500, 421).
	Code int
	// Command is one of CommandConnect, CommandMail, CommandRcpt,
	// CommandData.
	Command string
	// At is clock.Now() when the attempt was refused.
	At time.Time
}

// Sink is an SMTP server that stores every message it accepts. All methods
// are safe for concurrent use.
type Sink struct {
	clock  clockwork.Clock
	srv    *gosmtp.Server
	limits Limits
	logger *log.Logger

	mu          sync.Mutex
	closed      bool
	addr        string
	listeners   []net.Listener
	conns       map[*trackedConn]struct{}
	serveErr    error
	messages    []Message
	rejections  []Rejection
	nextMsg     int
	nextRej     int
	rejectRcpt  map[string]bool
	tempFail    bool
	refuse      bool
	storedBytes int64
	fullLogged  bool // the store-full line was logged since the last Reset
	rejFull     bool // the rejection record is full; logged once
	serveWG     sync.WaitGroup
	closeDone   chan struct{} // closed when the first Close has finished
	closeResult error         // written before closeDone is closed
}

// New returns a sink that takes all its timestamps from clock. It does not
// listen yet: call Serve with a listener, or use Start instead of New.
func New(clock clockwork.Clock, opts ...Option) *Sink {
	if clock == nil {
		panic("smtp: New called with a nil clock")
	}
	s := &Sink{
		clock:      clock,
		limits:     Limits{}.withDefaults(),
		logger:     log.Default(),
		conns:      make(map[*trackedConn]struct{}),
		rejectRcpt: make(map[string]bool),
		closeDone:  make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	srv := gosmtp.NewServer(backend{s})
	srv.Domain = Domain
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = s.limits.MaxMessageBytes
	srv.MaxRecipients = s.limits.MaxRecipients
	srv.MaxLineLength = s.limits.MaxLineLength
	srv.ReadTimeout = s.limits.ReadTimeout
	srv.WriteTimeout = s.limits.WriteTimeout
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv = srv
	return s
}

// Start returns a sink listening on 127.0.0.1 on a free port and serving in
// its own goroutine. Close stops it.
func Start(clock clockwork.Clock, opts ...Option) (*Sink, error) {
	return StartOn(clock, "127.0.0.1:0", opts...)
}

// StartOn is Start on a chosen loopback host:port, such as 127.0.0.1:2525.
func StartOn(clock clockwork.Clock, addr string, opts ...Option) (*Sink, error) {
	if host, _, err := net.SplitHostPort(addr); err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
		return nil, fmt.Errorf("smtp: %q is not a loopback host:port", addr)
	}
	s := New(clock, opts...)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	sl, ok := s.enter(l)
	if !ok {
		l.Close()
		return nil, ErrServerClosed
	}
	go func() {
		defer s.serveWG.Done()
		if err := s.serve(sl); err != nil && !errors.Is(err, ErrServerClosed) {
			s.mu.Lock()
			s.serveErr = err
			s.mu.Unlock()
		}
	}()
	return s, nil
}

// Serve accepts SMTP connections on l until Close is called, and then
// returns ErrServerClosed. It takes ownership of l: l is closed when Serve
// returns. If Serve is called after Close it closes l and returns
// ErrServerClosed at once. Any other error is a failure of l.Accept.
func (s *Sink) Serve(l net.Listener) error {
	sl, ok := s.enter(l)
	if !ok {
		l.Close()
		return ErrServerClosed
	}
	defer s.serveWG.Done()
	return s.serve(sl)
}

// enter registers a serving loop on l; it reports false if the sink is
// closed. On success the caller must call s.serveWG.Done when the loop ends.
func (s *Sink) enter(l net.Listener) (*sinkListener, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, false
	}
	s.serveWG.Add(1)
	sl := &sinkListener{Listener: l, s: s}
	s.listeners = append(s.listeners, sl)
	s.addr = l.Addr().String()
	return sl, true
}

func (s *Sink) serve(l *sinkListener) error {
	defer l.Close()
	err := s.srv.Serve(l)
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrServerClosed
	}
	return err
}

// Addr returns the address ("127.0.0.1:PORT") of the listener most recently
// given to Serve (or opened by Start), or "" if there is none.
func (s *Sink) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Close stops the sink: it closes the listeners and every open connection
// and waits until all Serve calls and connection goroutines have returned.
// Stored messages remain readable. Close is idempotent; later calls return
// the result of the first. The result is nil unless the goroutine started by
// Start ended with an unexpected error.
func (s *Sink) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.closeDone
		return s.closeResult
	}
	s.closed = true
	listeners := append([]net.Listener(nil), s.listeners...)
	s.mu.Unlock()

	for _, l := range listeners {
		l.Close()
	}
	// Once every serve loop has returned, go-smtp starts no new connection
	// goroutines and no new connection can be tracked (s.closed is set).
	s.serveWG.Wait()

	s.mu.Lock()
	conns := make([]*trackedConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	// Shutdown closes go-smtp's done channel and waits for its connection
	// goroutines, which end promptly because their connections are closed.
	// Its only possible error here is from closing already closed listeners.
	_ = s.srv.Shutdown(context.Background())

	s.mu.Lock()
	s.closeResult = s.serveErr
	s.mu.Unlock()
	close(s.closeDone)
	return s.closeResult
}

// RejectRecipient makes RCPT TO for addr (case-insensitive) fail with
// 550 5.1.1 until AcceptRecipient(addr) is called.
func (s *Sink) RejectRecipient(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectRcpt[normAddr(addr)] = true
}

// AcceptRecipient undoes RejectRecipient(addr).
func (s *Sink) AcceptRecipient(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.rejectRcpt, normAddr(addr))
}

// ClearSwitches accepts every recipient again and turns the temporary
// failure and connection refusal off: a sink reused for another run starts
// from a clean mail server.
func (s *Sink) ClearSwitches() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.rejectRcpt)
	s.tempFail = false
	s.refuse = false
}

// SetTempFail makes every MAIL FROM fail with 451 4.3.0 while on is true.
func (s *Sink) SetTempFail(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tempFail = on
}

// SetRefuse makes the sink answer every new connection with a 554 greeting
// and close it at once while on is true. Open connections are not affected.
func (s *Sink) SetRefuse(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = on
}

// Messages returns copies of all stored messages in arrival order.
func (s *Sink) Messages() []Message {
	return s.filter(func(Message) bool { return true })
}

// To returns copies of the stored messages that had addr among their
// accepted envelope recipients (compared case-insensitively, surrounding
// spaces and angle brackets ignored), in arrival order. Header To/Cc fields
// are not consulted.
func (s *Sink) To(addr string) []Message {
	want := normAddr(addr)
	return s.filter(func(m Message) bool { return m.hasRcpt(want) })
}

// Between returns copies of the stored messages with from <= ReceivedAt <
// to, in arrival order.
func (s *Sink) Between(from, to time.Time) []Message {
	return s.filter(func(m Message) bool {
		return !m.ReceivedAt.Before(from) && m.ReceivedAt.Before(to)
	})
}

// Latest returns a copy of the last stored message for addr (as in To).
func (s *Sink) Latest(addr string) (Message, bool) {
	want := normAddr(addr)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.messages) - 1; i >= 0; i-- {
		if s.messages[i].hasRcpt(want) {
			return s.messages[i].clone(), true
		}
	}
	return Message{}, false
}

// Len returns the number of stored messages.
func (s *Sink) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.messages)
}

// Reset forgets all stored messages and rejections, which also makes room
// again after the store filled up. The failure switches and sequence
// counters are kept.
func (s *Sink) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = nil
	s.rejections = nil
	s.storedBytes = 0
	s.fullLogged = false
	s.rejFull = false
}

// HangUp closes every open client connection, as a restarted mail server
// (or one that timed an idle client out) would; the listener keeps
// accepting new ones.
func (s *Sink) HangUp() {
	s.mu.Lock()
	conns := make([]*trackedConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Rejections returns all recorded rejections in the order they happened.
func (s *Sink) Rejections() []Rejection {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Rejection(nil), s.rejections...)
}

func (s *Sink) filter(keep func(Message) bool) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if keep(m) {
			out = append(out, m.clone())
		}
	}
	return out
}

func (s *Sink) reject(command, addr string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectLocked(command, addr, code)
}

func (s *Sink) rejectLocked(command, addr string, code int) {
	s.nextRej++
	if len(s.rejections) >= s.limits.MaxStoredMessages {
		// A client can be refused without end; the record of it must not
		// grow without end.
		if !s.rejFull {
			s.rejFull = true
			s.logger.Printf("smtp sink %s: %d rejections recorded, the cap: later ones are answered but not recorded until Reset", s.addr, len(s.rejections))
		}
		return
	}
	s.rejections = append(s.rejections, Rejection{
		Seq:     s.nextRej,
		Addr:    addr,
		Code:    code,
		Command: command,
		At:      s.clock.Now(),
	})
}

// store keeps m, or refuses it with errStoreFull when the store would go
// beyond its caps.
func (s *Sink) store(m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fullLocked(int64(len(m.Raw))) {
		s.rejectLocked(CommandData, m.From, errStoreFull.Code)
		return errStoreFull
	}
	s.nextMsg++
	m.Seq = s.nextMsg
	m.ReceivedAt = s.clock.Now()
	s.messages = append(s.messages, m)
	s.storedBytes += int64(len(m.Raw))
	return nil
}

// fullLocked reports whether storing a message of size more bytes would go
// beyond the caps, and logs the first time it does.
func (s *Sink) fullLocked(size int64) bool {
	if len(s.messages) < s.limits.MaxStoredMessages && s.storedBytes+size <= s.limits.MaxStoredBytes {
		return false
	}
	if !s.fullLogged {
		s.fullLogged = true
		s.logger.Printf("smtp sink %s: mail store full (%d messages, %d bytes; caps %d messages, %d bytes): refusing new mail with 452 4.3.1 until Reset",
			s.addr, len(s.messages), s.storedBytes, s.limits.MaxStoredMessages, s.limits.MaxStoredBytes)
	}
	return true
}

func (m Message) hasRcpt(norm string) bool {
	for _, to := range m.To {
		if normAddr(to) == norm {
			return true
		}
	}
	return false
}

func (m Message) clone() Message {
	m.To = append([]string(nil), m.To...)
	m.Raw = append([]byte(nil), m.Raw...)
	if m.Header != nil {
		h := make(mail.Header, len(m.Header))
		for k, v := range m.Header {
			h[k] = append([]string(nil), v...)
		}
		m.Header = h
	}
	return m
}

func normAddr(addr string) string {
	addr = strings.TrimSpace(addr)
	addr = strings.TrimPrefix(addr, "<")
	addr = strings.TrimSuffix(addr, ">")
	return strings.ToLower(addr)
}

// backend implements gosmtp.Backend.
type backend struct{ s *Sink }

func (b backend) NewSession(c *gosmtp.Conn) (gosmtp.Session, error) {
	return &session{s: b.s, conn: c.Conn()}, nil
}

// session implements gosmtp.Session. go-smtp calls its methods from the
// connection's goroutine only, so its own fields need no lock.
type session struct {
	s    *Sink
	conn net.Conn
	from string
	to   []string
}

var (
	errTempFail = &gosmtp.SMTPError{
		Code:         451,
		EnhancedCode: gosmtp.EnhancedCode{4, 3, 0},
		Message:      "Temporary failure, please try again later",
	}
	errNoMailbox = &gosmtp.SMTPError{
		Code:         550,
		EnhancedCode: gosmtp.EnhancedCode{5, 1, 1},
		Message:      "Mailbox does not exist",
	}
	errMalformed = &gosmtp.SMTPError{
		Code:         554,
		EnhancedCode: gosmtp.EnhancedCode{5, 6, 0},
		Message:      "Message could not be parsed",
	}
	errStoreFull = &gosmtp.SMTPError{
		Code:         452,
		EnhancedCode: gosmtp.EnhancedCode{4, 3, 1},
		Message:      "Insufficient system storage: the sink holds all the mail it may",
	}
	errLineTooLong = &gosmtp.SMTPError{
		Code:         500,
		EnhancedCode: gosmtp.EnhancedCode{5, 4, 0},
		Message:      "Line too long",
	}
	errIdle = &gosmtp.SMTPError{
		Code:         421,
		EnhancedCode: gosmtp.EnhancedCode{4, 4, 2},
		Message:      "Idle timeout, closing connection",
	}
)

func (ss *session) Mail(from string, _ *gosmtp.MailOptions) error {
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tempFail {
		s.rejectLocked(CommandMail, from, errTempFail.Code)
		return errTempFail
	}
	// Refusing here spares the client sending a message that could not be
	// stored anyway.
	if s.fullLocked(0) {
		s.rejectLocked(CommandMail, from, errStoreFull.Code)
		return errStoreFull
	}
	ss.from = from
	ss.to = nil
	return nil
}

func (ss *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rejectRcpt[normAddr(to)] {
		s.rejectLocked(CommandRcpt, to, errNoMailbox.Code)
		return errNoMailbox
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := ss.readData(r)
	if err != nil {
		var se *gosmtp.SMTPError
		var ne net.Error
		switch {
		case errors.As(err, &se):
			if se.Code == gosmtp.ErrDataTooLarge.Code {
				// go-smtp would read the rest of the message before
				// answering, however much more the client sends; the
				// 552 goes out now, and the connection ends after it.
				ss.closeRead()
			}
		case errors.Is(err, gosmtp.ErrTooLongLine):
			se = errLineTooLong
		case errors.As(err, &ne) && ne.Timeout():
			se = errIdle
			// go-smtp goes on reading commands after a failed DATA; a
			// client silent for the whole timeout gets its 421 and then
			// the end of the connection, not another timeout's wait.
			ss.closeRead()
		default:
			// The connection broke; there is no one to answer.
			return err
		}
		ss.s.reject(CommandData, ss.from, se.Code)
		return se
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		ss.s.reject(CommandData, ss.from, errMalformed.Code)
		return errMalformed
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		ss.s.reject(CommandData, ss.from, errMalformed.Code)
		return errMalformed
	}
	return ss.s.store(Message{
		From:    ss.from,
		To:      append([]string(nil), ss.to...),
		Header:  msg.Header,
		Subject: decodeSubject(msg.Header.Get("Subject")),
		Body:    decodeBody(msg.Header, body),
		Raw:     raw,
	})
}

// DATA is read into a list of chunks, growing from minChunk to maxChunk,
// and joined once at the end: an oversized message then costs about
// MaxMessageBytes of memory, not the several times that a growing buffer
// allocates, and a small one needs no large buffer.
const (
	minChunk = 1 << 10
	maxChunk = 256 << 10
)

// readData reads the DATA of a message.
func (ss *session) readData(r io.Reader) ([]byte, error) {
	var chunks [][]byte
	total, size := 0, minChunk
	for {
		buf := make([]byte, size)
		size = min(2*size, maxChunk)
		n := 0
		var err error
		for n < len(buf) && err == nil {
			var k int
			k, err = r.Read(buf[n:])
			n += k
		}
		if n > 0 {
			chunks = append(chunks, buf[:n])
			total += n
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	raw := make([]byte, 0, total)
	for _, c := range chunks {
		raw = append(raw, c...)
	}
	return raw, nil
}

// closeRead ends the client's side of the connection: go-smtp writes the
// pending reply, then finds the end of input and hangs up.
func (ss *session) closeRead() {
	if cr, ok := ss.conn.(interface{ CloseRead() error }); ok && cr.CloseRead() == nil {
		return
	}
	_ = ss.conn.Close()
}

func (ss *session) Reset() {
	ss.from = ""
	ss.to = nil
}

func (ss *session) Logout() error { return nil }

func decodeSubject(v string) string {
	dec, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		return v
	}
	return dec
}

func decodeBody(h mail.Header, body []byte) string {
	if ct := h.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err == nil && strings.HasPrefix(mt, "multipart/") {
			return string(body)
		}
	}
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		r = quotedprintable.NewReader(bytes.NewReader(body))
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, bytes.NewReader(body))
	default:
		return string(body)
	}
	dec, err := io.ReadAll(r)
	if err != nil {
		return string(body)
	}
	return string(dec)
}

// sinkListener wraps the caller's listener: it answers connections with a
// 554 greeting while refusing, and tracks accepted connections so that Close
// can close them even before go-smtp has registered them.
type sinkListener struct {
	net.Listener
	s *Sink
}

const refuseGreeting = "554 5.3.2 " + Domain + " is not accepting connections\r\n"

func (l *sinkListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		s := l.s
		s.mu.Lock()
		switch {
		case s.closed:
			s.mu.Unlock()
			c.Close()
			return nil, ErrServerClosed
		case s.refuse:
			s.rejectLocked(CommandConnect, "", 554)
			s.mu.Unlock()
			// A short write to a fresh socket goes to the kernel buffer
			// and does not block.
			_, _ = io.WriteString(c, refuseGreeting)
			c.Close()
			continue
		}
		tc := &trackedConn{Conn: c, s: s, readTimeout: s.limits.ReadTimeout}
		s.conns[tc] = struct{}{}
		s.mu.Unlock()
		return tc, nil
	}
}

type trackedConn struct {
	net.Conn
	s           *Sink
	readTimeout time.Duration
	once        sync.Once
}

// Read renews the read deadline before every read. go-smtp sets it once per
// command line, and a DATA of any length is read under the deadline of its
// DATA command; renewed here, it bounds how long the client may be silent,
// not how long a message that keeps coming may take.
func (c *trackedConn) Read(b []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.readTimeout)); err != nil {
		return 0, err
	}
	return c.Conn.Read(b)
}

// CloseRead shuts down the reading side, when the connection has one.
func (c *trackedConn) CloseRead() error {
	if cr, ok := c.Conn.(interface{ CloseRead() error }); ok {
		return cr.CloseRead()
	}
	return errors.ErrUnsupported
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.s.mu.Lock()
		delete(c.s.conns, c)
		c.s.mu.Unlock()
	})
	return err
}
