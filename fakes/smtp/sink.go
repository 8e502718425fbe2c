package smtp

import (
	"bufio"
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
	"sync/atomic"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/jonboulle/clockwork"

	"github.com/renewsim/renewsim/fakes/internal/conns"
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
	// IdleTimeout is how long a client may stay silent, between commands
	// or within DATA, before it is answered 421 4.4.2 and disconnected:
	// the server timeout RFC 5321 section 4.5.3.2.7 asks for.
	IdleTimeout = 5 * time.Minute
	// WriteTimeout is how long writing one reply may block on a client
	// that reads nothing.
	WriteTimeout = time.Minute
	// MaxStoredMessages and MaxStoredBytes cap what the sink holds (raw
	// DATA bytes; Body and Header take about as much again). Once either
	// is reached the sink refuses new mail with 452 4.3.1 until Reset, and
	// says so once in its log.
	MaxStoredMessages = 10000
	MaxStoredBytes    = 64 << 20
	// MaxConns is how many connections are open at once; one beyond is
	// answered 421 4.3.2 and closed. The simulator's own client holds one.
	MaxConns = 512
)

// Limits bound what clients can make the sink do and hold. A zero field
// means the default constant of the same name.
type Limits struct {
	MaxMessageBytes   int64
	MaxRecipients     int
	MaxLineLength     int
	IdleTimeout       time.Duration
	WriteTimeout      time.Duration
	MaxStoredMessages int
	MaxStoredBytes    int64
	MaxConns          int
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
	setDur(&l.IdleTimeout, IdleTimeout)
	setDur(&l.WriteTimeout, WriteTimeout)
	setInt(&l.MaxStoredMessages, MaxStoredMessages)
	set(&l.MaxStoredBytes, MaxStoredBytes)
	setInt(&l.MaxConns, MaxConns)
	return l
}

// Config describes a Sink: its clock, where it listens, its limits and its
// log.
type Config struct {
	// Clock gives every time the sink records (Message.ReceivedAt,
	// Rejection.At); required.
	Clock clockwork.Clock
	// Addr is a loopback "host:port" such as 127.0.0.1:2525 (port 0 picks a
	// free one); "" means 127.0.0.1:0.
	Addr string
	// Limits bound what clients can make the sink do and hold; zero fields
	// mean the defaults.
	Limits Limits
	// Logger receives the sink's log lines (the store or the record of
	// rejections filling up); nil means log.Default().
	Logger *log.Logger
}

// ErrServerClosed is returned by Start when the sink is already closed. It
// is go-smtp's own sentinel, so errors.Is works with either name.
var ErrServerClosed = gosmtp.ErrServerClosed

// SMTP commands recorded in Rejection.Command.
const (
	CommandConnect = "CONNECT" // connection refused by SetRefuse(true) (554) or beyond MaxConns (421)
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
	cfg    Config
	clock  clockwork.Clock
	srv    *gosmtp.Server
	limits Limits
	logger *log.Logger

	mu          sync.Mutex
	started     bool
	closed      bool
	addr        string
	ln          *sinkListener
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

// New returns a sink that takes all its timestamps from cfg.Clock; it
// panics when the clock is nil, a mistake of the caller's program. It does
// not listen until Start.
func New(cfg Config) *Sink {
	if cfg.Clock == nil {
		panic("smtp: New called without a Clock")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	s := &Sink{
		cfg:        cfg,
		clock:      cfg.Clock,
		limits:     cfg.Limits.withDefaults(),
		logger:     cfg.Logger,
		conns:      make(map[*trackedConn]struct{}),
		rejectRcpt: make(map[string]bool),
		closeDone:  make(chan struct{}),
	}
	if s.logger == nil {
		s.logger = log.Default()
	}
	srv := gosmtp.NewServer(backend{s})
	srv.Domain = Domain
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = s.limits.MaxMessageBytes
	srv.MaxRecipients = s.limits.MaxRecipients
	srv.MaxLineLength = s.limits.MaxLineLength
	srv.ReadTimeout = s.limits.IdleTimeout
	srv.WriteTimeout = s.limits.WriteTimeout
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv = srv
	return s
}

// Start listens on Config.Addr and serves in a goroutine; it returns once
// the sink accepts connections. It fails if the address is not a loopback
// one, or the sink was already started or closed (ErrServerClosed).
func (s *Sink) Start() error {
	addr := s.cfg.Addr
	if host, _, err := net.SplitHostPort(addr); err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
		return fmt.Errorf("smtp: %q is not a loopback host:port", addr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrServerClosed
	case s.started:
		return errors.New("smtp: sink already started")
	}
	ln, err := conns.Listen(addr, conns.Config{MaxConns: s.limits.MaxConns, Refuse: s.busy})
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	s.started = true
	s.ln = &sinkListener{Listener: ln, s: s}
	s.addr = ln.Addr().String()
	s.serveWG.Add(1)
	go func() {
		defer s.serveWG.Done()
		// The socket listens already, so the sink counts as started: a
		// connection waits in the backlog until Serve takes it.
		if err := s.serve(s.ln); err != nil && !errors.Is(err, ErrServerClosed) {
			s.mu.Lock()
			s.serveErr = err
			s.mu.Unlock()
		}
	}()
	return nil
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

// Addr returns the address ("127.0.0.1:PORT") the sink listens on, or ""
// before Start.
func (s *Sink) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Close stops the sink: it closes the listener and every open connection
// and waits until the serve loop and every connection goroutine have
// returned. Stored messages remain readable. Close is idempotent; later
// calls return the result of the first. The result is nil unless the serve
// loop ended with an unexpected error.
func (s *Sink) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.closeDone
		return s.closeResult
	}
	s.closed = true
	ln := s.ln
	s.mu.Unlock()

	if ln != nil {
		ln.Close()
	}
	// Once the serve loop has returned, go-smtp starts no new connection
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

// busy answers a connection beyond MaxConns, and records the refusal.
func (s *Sink) busy(c net.Conn) {
	s.reject(CommandConnect, "", 421)
	_, _ = io.WriteString(c, busyGreeting)
}

const busyGreeting = "421 4.3.2 " + Domain + " has too many connections; try again later\r\n"

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
	tc, _ := c.Conn().(*trackedConn)
	if tc != nil && tc.dead.Load() {
		return nil, errEnded
	}
	return &session{s: b.s, conn: tc}, nil
}

// session implements gosmtp.Session. go-smtp calls its methods from the
// connection's goroutine only, so its own fields need no lock.
type session struct {
	s    *Sink
	conn *trackedConn // nil only in tests that build a session by hand
	from string
	to   []string
}

// ended tells whether the session's connection is dead: after a limit that
// ends it, no command may do anything, whatever go-smtp still has in hand.
func (ss *session) ended() bool { return ss.conn != nil && ss.conn.dead.Load() }

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
	errEnded = &gosmtp.SMTPError{
		Code:         421,
		EnhancedCode: gosmtp.EnhancedCode{4, 4, 2},
		Message:      "The session has ended, closing connection",
	}
)

func (ss *session) Mail(from string, _ *gosmtp.MailOptions) error {
	if ss.ended() {
		return errEnded
	}
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
	if ss.ended() {
		return errEnded
	}
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
	if ss.ended() {
		return errEnded
	}
	raw, err := ss.readData(r)
	if err != nil {
		var se *gosmtp.SMTPError
		var ne net.Error
		switch {
		case errors.As(err, &se):
			// Only go-smtp's 552 for size comes back as an SMTPError.
		case errors.Is(err, gosmtp.ErrTooLongLine):
			se = errLineTooLong
		case errors.As(err, &ne) && ne.Timeout():
			se = errIdle
		default:
			// The connection broke; there is no one to answer.
			return err
		}
		// Each of these limits ends the session: the reply goes out, and
		// nothing the client sent after the line that broke the limit is
		// read as a command. go-smtp would otherwise read the rest of an
		// oversized message up to its first "." line and take what
		// follows for commands (an oversized body could carry whole
		// transactions), or go on after a silent client's 421.
		if ss.conn != nil {
			ss.conn.endAfterReply()
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

// sinkListener answers connections with a 554 greeting while refusing,
// and tracks accepted connections so that Close can close them even before
// go-smtp has registered them. The connection cap is the conns.Listener's.
type sinkListener struct {
	*conns.Listener
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
		tc := newTrackedConn(c, s)
		s.conns[tc] = struct{}{}
		s.mu.Unlock()
		return tc, nil
	}
}

// Bounds of the end of a session that hit a limit: after the reply, what
// the client still sends is thrown away, unread, for this long at most and
// up to this many bytes, so that the client can read the reply instead of
// a reset; then the connection closes.
const (
	endLinger = time.Second
	endDrain  = 1 << 20
)

// errSessionEnded is what a dead connection's reads return. It wraps
// net.ErrClosed so that go-smtp ends the connection quietly.
var errSessionEnded = fmt.Errorf("smtp: session ended by a limit: %w", net.ErrClosed)

// trackedConn is one client connection. It hands go-smtp its input one
// line at a time (one line, or as much of a long one as fits, per Read),
// so that go-smtp's own buffer never holds more than the line it is
// working on: once the connection is dead, nothing the client sent after
// that line reaches go-smtp.
type trackedConn struct {
	net.Conn
	s           *Sink
	in          *bufio.Reader // over deadlineReader
	dead        atomic.Bool   // no more input, no more commands
	endOnWrite  atomic.Bool   // hang up once the pending reply is written
	closeOnce   sync.Once
	idleTimeout time.Duration
}

func newTrackedConn(c net.Conn, s *Sink) *trackedConn {
	tc := &trackedConn{Conn: c, s: s, idleTimeout: s.limits.IdleTimeout}
	tc.in = bufio.NewReader(deadlineReader{tc})
	return tc
}

// deadlineReader renews the read deadline before every read of the
// socket. go-smtp sets it once per command line, and a DATA of any length
// is read under the deadline of its DATA command; renewed here, it bounds
// how long the client may be silent, not how long a message that keeps
// coming may take.
type deadlineReader struct{ c *trackedConn }

func (r deadlineReader) Read(b []byte) (int, error) {
	if err := r.c.Conn.SetReadDeadline(time.Now().Add(r.c.idleTimeout)); err != nil {
		return 0, err
	}
	return r.c.Conn.Read(b)
}

// Read returns at most one line.
func (c *trackedConn) Read(b []byte) (int, error) {
	if c.dead.Load() {
		return 0, errSessionEnded
	}
	if c.in.Buffered() == 0 {
		if _, err := c.in.Peek(1); err != nil {
			return 0, err
		}
	}
	buf, _ := c.in.Peek(c.in.Buffered())
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		buf = buf[:i+1]
	}
	n := copy(b, buf)
	_, _ = c.in.Discard(n)
	return n, nil
}

// endAfterReply kills the session: reads fail from now on, and the
// connection hangs up once the reply now due is written.
func (c *trackedConn) endAfterReply() {
	c.dead.Store(true)
	c.endOnWrite.Store(true)
}

// sizeReply starts every reply go-smtp or the sink gives for a message
// too large: at MAIL FROM with SIZE=, in DATA, or for a BDAT chunk.
var sizeReply = []byte("552 ")

// Write writes a reply, and hangs up after it when the session was ended.
// A 552 ends it whichever command it answers: go-smtp writes that reply
// itself for SIZE= and BDAT, and the client may well go on sending the
// message it was told is too large.
func (c *trackedConn) Write(b []byte) (int, error) {
	if bytes.HasPrefix(b, sizeReply) {
		c.endAfterReply()
	}
	n, err := c.Conn.Write(b)
	if c.endOnWrite.CompareAndSwap(true, false) {
		c.hangUp()
	}
	return n, err
}

// hangUp half-closes the connection, so that the reply is followed by the
// end of the stream, throws away what the client still sends for a moment
// (closing with unread input would reset the connection, and the client
// might lose the reply) and closes it.
func (c *trackedConn) hangUp() {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
		_ = c.Conn.SetReadDeadline(time.Now().Add(endLinger))
		_, _ = io.CopyN(io.Discard, c.Conn, endDrain)
	}
	_ = c.Close()
}

func (c *trackedConn) Close() error {
	c.dead.Store(true)
	err := c.Conn.Close()
	c.closeOnce.Do(func() {
		c.s.mu.Lock()
		delete(c.s.conns, c)
		c.s.mu.Unlock()
	})
	return err
}
