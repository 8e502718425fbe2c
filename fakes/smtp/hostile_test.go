package smtp_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/textproto"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	fakesmtp "github.com/renewsim/renewsim/fakes/smtp"
)

// Hostile clients: each test sends a bounded amount of traffic to
// loopback, with a deadline on every connection, and checks that the sink
// answers with the proper reply code and still takes normal mail.

// clientDeadline bounds every connection a hostile test opens.
const clientDeadline = 10 * time.Second

const amazonSender = "no-reply@certificates.amazon.com"

// startSinkWith is startSink with limits and a logger (nil: the
// default).
func startSinkWith(t *testing.T, limits fakesmtp.Limits, logger *log.Logger) *fakesmtp.Sink {
	t.Helper()
	s := fakesmtp.New(fakesmtp.Config{Clock: clockwork.NewFakeClockAt(t0), Limits: limits, Logger: logger})
	require.NoError(t, s.Start())
	t.Cleanup(func() {
		require.NoError(t, s.Close())
		goleak.VerifyNone(t)
	})
	return s
}

// rawSession speaks SMTP line by line, to send what no client library
// would.
type rawSession struct {
	t    *testing.T
	conn net.Conn
	tp   *textproto.Conn
}

func dialRaw(t *testing.T, addr string) *rawSession {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, clientDeadline)
	require.NoError(t, err)
	require.NoError(t, c.SetDeadline(time.Now().Add(clientDeadline)))
	t.Cleanup(func() { _ = c.Close() })
	r := &rawSession{t: t, conn: c, tp: textproto.NewConn(c)}
	code, _ := r.reply()
	require.Equal(t, 220, code, "greeting")
	return r
}

// reply reads one (possibly multi-line) reply.
func (r *rawSession) reply() (int, string) {
	r.t.Helper()
	code, msg, err := r.tp.ReadResponse(0)
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code, te.Msg
	}
	require.NoError(r.t, err)
	return code, msg
}

func (r *rawSession) cmd(format string, args ...any) (int, string) {
	r.t.Helper()
	require.NoError(r.t, r.tp.PrintfLine(format, args...))
	return r.reply()
}

// expect sends a command and requires the reply code.
func (r *rawSession) expect(code int, format string, args ...any) string {
	r.t.Helper()
	got, msg := r.cmd(format, args...)
	require.Equal(r.t, code, got, "%s: %s", fmt.Sprintf(format, args...), msg)
	return msg
}

// begin opens a transaction up to the 354 of DATA.
func (r *rawSession) begin(to string) {
	r.t.Helper()
	r.expect(250, "EHLO client.test")
	r.expect(250, "MAIL FROM:<%s>", amazonSender)
	r.expect(250, "RCPT TO:<%s>", to)
	r.expect(354, "DATA")
}

// assertHungUp checks that the sink closed the connection: a read ends
// with EOF or a reset, not with the client's own deadline.
func (r *rawSession) assertHungUp() {
	r.t.Helper()
	_, err := io.Copy(io.Discard, r.tp.R)
	var ne net.Error
	assert.False(r.t, errors.As(err, &ne) && ne.Timeout(), "the sink kept the connection open: %v", err)
}

// assertTakesMail delivers a normal message over a fresh connection.
func assertTakesMail(t *testing.T, s *fakesmtp.Sink) {
	t.Helper()
	before := s.Len()
	to := []string{"admin@example.com"}
	require.NoError(t, sendGo(s.Addr(), amazonSender, to, message(amazonSender, to, "normal", "body")), "normal mail after the hostile client")
	assert.Equal(t, before+1, s.Len())
}

// lineStream is a generated message body of n bytes in lines of 78
// characters: big bodies without big buffers.
type lineStream struct{ left, col int }

func (l *lineStream) Read(b []byte) (int, error) {
	if l.left == 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(b) && l.left > 0 {
		switch l.col {
		case 76:
			b[n] = '\r'
		case 77:
			b[n] = '\n'
		default:
			b[n] = 'a' + byte(l.col%26)
		}
		l.col = (l.col + 1) % 78
		n++
		l.left--
	}
	return n, nil
}

// A 50 MB DATA is answered 552 as soon as it reaches the size limit, and
// the connection ends there: the sink neither keeps nor reads the rest, so
// the process allocates about the limit while the client streams.
func TestDataFarBeyondTheSizeLimit(t *testing.T) {
	// A limit below the default keeps the test quick under -race, where
	// go-smtp's byte-at-a-time reading is slow; TestLimitsAnnounced checks
	// the default.
	const limit, body = 1 << 20, 50 << 20
	s := startSinkWith(t, fakesmtp.Limits{MaxMessageBytes: limit}, nil)

	r := dialRaw(t, s.Addr())
	r.begin("admin@example.com")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var sent int64
	var wg sync.WaitGroup
	wg.Go(func() {
		// The sink hangs up long before the end, so the write fails.
		if _, err := r.conn.Write([]byte("Subject: big\r\n\r\n")); err != nil {
			return
		}
		sent, _ = io.Copy(r.conn, &lineStream{left: body})
	})
	code, msg := r.reply()
	r.assertHungUp()
	wg.Wait()
	runtime.ReadMemStats(&after)

	assert.Equal(t, 552, code, msg)
	assert.Contains(t, msg, "5.3.4")
	assert.Less(t, sent, int64(body), "the whole body went through")
	// The sink keeps at most the limit of it, in chunks (about 1.3 times
	// the limit in all); a growing buffer would allocate more than twice
	// the limit, and keeping the body fifty times it.
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d bytes while a %d-byte body streamed against a %d-byte limit", alloc, body, limit)
	assert.Less(t, alloc, uint64(2*limit), "allocated %d bytes for a %d-byte body", alloc, body)
	assert.Equal(t, 0, s.Len())
	rej := s.Rejections()
	require.Len(t, rej, 1)
	assert.Equal(t, 552, rej[0].Code)
	assert.Equal(t, fakesmtp.CommandData, rej[0].Command)
	assertTakesMail(t, s)
}

// A message one byte under the limit is stored whole; one of the limit
// is not (go-smtp counts the limit as the first byte refused).
func TestDataAtTheSizeLimit(t *testing.T) {
	const limit = 64 << 10
	for _, tc := range []struct {
		size int
		code int
	}{
		{limit - 1, 250},
		{limit, 552},
	} {
		t.Run(fmt.Sprint(tc.size), func(t *testing.T) {
			s := startSinkWith(t, fakesmtp.Limits{MaxMessageBytes: limit}, nil)
			r := dialRaw(t, s.Addr())
			r.begin("admin@example.com")
			head := "Subject: fits\r\n\r\n"
			_, err := io.Copy(r.conn, io.MultiReader(strings.NewReader(head), &lineStream{left: tc.size - len(head) - 2}))
			require.NoError(t, err)
			r.expect(tc.code, "\r\n.")
			if tc.code == 250 {
				msgs := s.Messages()
				require.Len(t, msgs, 1)
				assert.Len(t, msgs[0].Raw, tc.size)
			}
		})
	}
}

// A client that announces the size is refused before it sends anything.
func TestDeclaredSizeBeyondTheLimit(t *testing.T) {
	s := startSinkWith(t, fakesmtp.Limits{}, nil)
	r := dialRaw(t, s.Addr())
	r.expect(250, "EHLO client.test")
	msg := r.expect(552, "MAIL FROM:<%s> SIZE=%d", amazonSender, 50<<20)
	assert.Contains(t, msg, "5.3.4")
	assertTakesMail(t, s)
}

// 10,000 RCPT TO, pipelined: the first MaxRecipients are accepted, every
// other one is answered 452 4.5.3, and the message goes to the accepted
// ones only.
func TestTenThousandRecipients(t *testing.T) {
	s := startSinkWith(t, fakesmtp.Limits{}, nil)
	const rcpts = 10000
	r := dialRaw(t, s.Addr())
	r.expect(250, "EHLO client.test")
	r.expect(250, "MAIL FROM:<%s>", amazonSender)

	var wg sync.WaitGroup
	var werr error
	wg.Go(func() {
		var b bytes.Buffer
		for i := range rcpts {
			fmt.Fprintf(&b, "RCPT TO:<owner%d@example.com>\r\n", i)
		}
		_, werr = r.conn.Write(b.Bytes())
	})
	counts := map[int]int{}
	var last string
	for range rcpts {
		code, msg := r.reply()
		counts[code]++
		if code != 250 {
			last = msg
		}
	}
	wg.Wait()
	require.NoError(t, werr)
	assert.Equal(t, map[int]int{250: fakesmtp.MaxRecipients, 452: rcpts - fakesmtp.MaxRecipients}, counts)
	assert.Contains(t, last, "4.5.3")

	r.expect(354, "DATA")
	r.expect(250, "Subject: many\r\n\r\nhello\r\n.")
	msgs := s.Messages()
	require.Len(t, msgs, 1)
	assert.Len(t, msgs[0].To, fakesmtp.MaxRecipients)
	assertTakesMail(t, s)
}

// A 1 MB line, as a command or inside DATA, is answered 500 5.4.0 and the
// connection is closed; the sink reads only a little of it.
func TestMegabyteLine(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	for _, tc := range []struct {
		name  string
		setup func(r *rawSession)
		line  string
	}{
		{"command", func(r *rawSession) { r.expect(250, "EHLO client.test") }, "MAIL FROM:<" + long + "@example.com>\r\n"},
		{"in DATA", func(r *rawSession) { r.begin("admin@example.com") }, "Subject: x\r\n\r\n" + long + "\r\n.\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSinkWith(t, fakesmtp.Limits{}, nil)
			r := dialRaw(t, s.Addr())
			tc.setup(r)
			var wg sync.WaitGroup
			// The sink hangs up before the line is through, so the write
			// may fail; that is the point.
			wg.Go(func() { _, _ = r.conn.Write([]byte(tc.line)) })
			code, msg := r.reply()
			assert.Equal(t, 500, code, msg)
			assert.Contains(t, msg, "5.4.0")
			r.assertHungUp()
			wg.Wait()
			assert.Equal(t, 0, s.Len())
			assertTakesMail(t, s)
		})
	}
}

// A client that goes silent is answered 421 4.4.2 after IdleTimeout and
// disconnected, wherever it stops; one that is slow but keeps sending is
// not.
func TestClientThatNeverQuits(t *testing.T) {
	limits := fakesmtp.Limits{IdleTimeout: 200 * time.Millisecond}
	for _, tc := range []struct {
		name  string
		setup func(r *rawSession)
		data  bool
	}{
		{"after the greeting", func(*rawSession) {}, false},
		{"after EHLO", func(r *rawSession) { r.expect(250, "EHLO client.test") }, false},
		{"within a transaction", func(r *rawSession) {
			r.expect(250, "EHLO client.test")
			r.expect(250, "MAIL FROM:<%s>", amazonSender)
			r.expect(250, "RCPT TO:<admin@example.com>")
		}, false},
		{"within DATA", func(r *rawSession) {
			r.begin("admin@example.com")
			_, err := r.conn.Write([]byte("Subject: half\r\n\r\nthe first half of a"))
			require.NoError(r.t, err)
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSinkWith(t, limits, nil)
			r := dialRaw(t, s.Addr())
			tc.setup(r)
			code, msg := r.reply()
			assert.Equal(t, 421, code, msg)
			assert.Contains(t, msg, "4.4.2")
			r.assertHungUp()
			assert.Equal(t, 0, s.Len())
			if tc.data {
				rej := s.Rejections()
				require.Len(t, rej, 1)
				assert.Equal(t, fakesmtp.Rejection{Seq: 1, Addr: amazonSender, Code: 421, Command: fakesmtp.CommandData, At: t0}, rej[0])
			}
			assertTakesMail(t, s)
		})
	}

	t.Run("slow but alive", func(t *testing.T) {
		const timeout = 500 * time.Millisecond
		s := startSinkWith(t, fakesmtp.Limits{IdleTimeout: timeout}, nil)
		r := dialRaw(t, s.Addr())
		r.begin("admin@example.com")
		_, err := r.conn.Write([]byte("Subject: slow\r\n\r\n"))
		require.NoError(t, err)
		// Three times the timeout in all, never more than a third of it
		// between two lines.
		for i := range 9 {
			time.Sleep(timeout / 3)
			_, err := fmt.Fprintf(r.conn, "line %d\r\n", i)
			require.NoError(t, err)
		}
		r.expect(250, ".")
		assert.Equal(t, 1, s.Len())
	})
}

// 200 sessions at once, each in the middle of a transaction: a newcomer's
// mail is stored meanwhile, and then all 200 complete.
func TestTwoHundredConcurrentSessions(t *testing.T) {
	s := startSinkWith(t, fakesmtp.Limits{}, nil)
	const sessions = 200
	open := make([]*rawSession, sessions)
	for i := range open {
		open[i] = dialRaw(t, s.Addr())
		open[i].expect(250, "EHLO client.test")
		open[i].expect(250, "MAIL FROM:<%s>", amazonSender)
		open[i].expect(250, "RCPT TO:<owner%d@example.com>", i)
	}
	assertTakesMail(t, s)

	errs := make([]error, sessions)
	var wg sync.WaitGroup
	for i, r := range open {
		wg.Go(func() {
			for _, line := range []string{"DATA", fmt.Sprintf("Subject: s%d\r\n\r\nbody\r\n.", i), "QUIT"} {
				if err := r.tp.PrintfLine("%s", line); err != nil {
					errs[i] = err
					return
				}
				if _, _, err := r.tp.ReadResponse(0); err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "session %d", i)
	}
	assert.Equal(t, sessions+1, s.Len())
}

// syncBuffer is a log destination the sink's goroutines and the test may
// share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Once the store holds its cap, new mail is refused with 452 4.3.1, the
// log says so once, and Reset makes room again.
func TestStoreCap(t *testing.T) {
	to := []string{"admin@example.com"}
	small := message(amazonSender, to, "s", "body")
	for _, tc := range []struct {
		name    string
		limits  fakesmtp.Limits
		stored  int
		refused string // the command the first refusal answers
	}{
		{"by count", fakesmtp.Limits{MaxStoredMessages: 3}, 3, fakesmtp.CommandMail},
		{"by bytes", fakesmtp.Limits{MaxStoredBytes: int64(2*len(small) + 10)}, 2, fakesmtp.CommandData},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs syncBuffer
			s := startSinkWith(t, tc.limits, log.New(&logs, "", 0))
			for range tc.stored {
				require.NoError(t, sendGo(s.Addr(), amazonSender, to, small))
			}
			assert.Empty(t, logs.String())
			for range 3 {
				err := sendGo(s.Addr(), amazonSender, to, small)
				var se *gosmtp.SMTPError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, 452, se.Code)
				assert.Equal(t, gosmtp.EnhancedCode{4, 3, 1}, se.EnhancedCode)
			}
			assert.Equal(t, tc.stored, s.Len())
			rej := s.Rejections()
			require.Len(t, rej, 3)
			assert.Equal(t, tc.refused, rej[0].Command)
			assert.Equal(t, 452, rej[0].Code)
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			require.Len(t, lines, 1, "one log line however often mail is refused")
			assert.Contains(t, lines[0], "mail store full")
			assert.Contains(t, lines[0], s.Addr())

			s.Reset()
			assertTakesMail(t, s)
		})
	}
}

// The record of rejections is capped too: a client refused without end
// cannot make it grow without end.
func TestRejectionRecordCap(t *testing.T) {
	var logs syncBuffer
	s := startSinkWith(t, fakesmtp.Limits{MaxStoredMessages: 5}, log.New(&logs, "", 0))
	s.RejectRecipient("nobody@example.com")
	r := dialRaw(t, s.Addr())
	r.expect(250, "EHLO client.test")
	r.expect(250, "MAIL FROM:<%s>", amazonSender)
	for range 20 {
		r.expect(550, "RCPT TO:<nobody@example.com>")
	}
	assert.Len(t, s.Rejections(), 5)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 1)
	assert.Contains(t, lines[0], "rejections")
	assertTakesMail(t, s)
}

// The limits are announced in EHLO, so well-behaved clients can keep to
// them; zero fields of Limits mean the defaults.
func TestLimitsAnnounced(t *testing.T) {
	for _, tc := range []struct {
		name           string
		limits         fakesmtp.Limits
		size, rcptsMax string
	}{
		{"zero limits", fakesmtp.Limits{}, "10485760", "RCPTMAX=100"},
		{"custom", fakesmtp.Limits{MaxMessageBytes: 4096, MaxRecipients: 3}, "4096", "RCPTMAX=3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSinkWith(t, tc.limits, nil)
			c, err := gosmtp.Dial(s.Addr())
			require.NoError(t, err)
			defer c.Close()
			require.NoError(t, c.Hello("client.test"))
			ok, size := c.Extension("SIZE")
			assert.True(t, ok)
			assert.Equal(t, tc.size, size)
			ok, limits := c.Extension("LIMITS")
			assert.True(t, ok)
			assert.Equal(t, tc.rcptsMax, limits)
			require.NoError(t, c.Quit())
		})
	}
}

// HangUp ends every open session; the sink keeps listening.
func TestHangUp(t *testing.T) {
	s := startSinkWith(t, fakesmtp.Limits{}, nil)
	r := dialRaw(t, s.Addr())
	r.expect(250, "EHLO client.test")
	s.HangUp()
	r.assertHungUp()
	assertTakesMail(t, s)
}

// injected is a whole SMTP transaction a hostile client hides after the
// point where a limit ends its session: none of it may reach the store.
const injected = "MAIL FROM:<evil@example.net>\r\nRCPT TO:<admin@example.com>\r\nDATA\r\nSubject: injected\r\n\r\nsmuggled\r\n.\r\n"

// assertNoInjected checks that the sink holds no message of a smuggled
// transaction.
func assertNoInjected(t *testing.T, s *fakesmtp.Sink) {
	t.Helper()
	for _, m := range s.Messages() {
		assert.NotEqual(t, "injected", m.Subject, "a smuggled message was stored")
		assert.NotEqual(t, "evil@example.net", m.From, "a smuggled message was stored")
	}
}

// smuggle sends payload after setup, in one go and without reading, as an
// attacker would, and returns the first reply to it (0 when the session
// ended before it); the sink must then hang up.
func smuggle(t *testing.T, s *fakesmtp.Sink, setup func(*rawSession), payload string, reply bool) (int, string) {
	t.Helper()
	r := dialRaw(t, s.Addr())
	setup(r)
	var wg sync.WaitGroup
	// The sink hangs up before the payload is through, so the write may
	// fail; that is the point.
	wg.Go(func() { _, _ = io.WriteString(r.conn, payload) })
	code, msg := 0, ""
	if reply {
		code, msg = r.reply()
	}
	r.assertHungUp()
	wg.Wait()
	return code, msg
}

// A message over the size limit is answered 552 and ends the session: a
// body that carries ".", then whole transactions, gets none of them in, and
// nothing after the 552 is read as a command (go-smtp alone would read the
// rest of the body up to its first "." line and then run what follows).
func TestNoSmugglingAfterTheSizeLimit(t *testing.T) {
	const limit = 64 << 10
	filler := strings.Repeat(strings.Repeat("x", 76)+"\r\n", 2*limit/78)
	evil := strings.Repeat(injected, 200) + "QUIT\r\n"
	for _, tc := range []struct {
		name    string
		setup   func(*rawSession)
		payload string
	}{
		{"DATA: dot and transactions after the limit", func(r *rawSession) { r.begin("admin@example.com") },
			"Subject: big\r\n\r\n" + filler + ".\r\n" + evil},
		{"DATA: transactions in the line that breaks the limit", func(r *rawSession) { r.begin("admin@example.com") },
			"Subject: big\r\n\r\n" + filler[:limit-40] + strings.Repeat("y", 60) + "\r\n.\r\n" + evil},
		{"MAIL FROM with SIZE= beyond the limit", func(r *rawSession) { r.expect(250, "EHLO client.test") },
			fmt.Sprintf("MAIL FROM:<%s> SIZE=%d\r\n", amazonSender, 2*limit) + evil},
		{"BDAT chunk beyond the limit", func(r *rawSession) {
			r.expect(250, "EHLO client.test")
			r.expect(250, "MAIL FROM:<%s>", amazonSender)
			r.expect(250, "RCPT TO:<admin@example.com>")
		}, fmt.Sprintf("BDAT %d LAST\r\n", 2*limit) + "Subject: big\r\n\r\n" + filler + evil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSinkWith(t, fakesmtp.Limits{MaxMessageBytes: limit}, nil)
			code, msg := smuggle(t, s, tc.setup, tc.payload, true)
			assert.Equal(t, 552, code, msg)
			assert.Contains(t, msg, "5.3.4")
			assert.Equal(t, 0, s.Len(), "nothing stored")
			assertTakesMail(t, s)
			assertNoInjected(t, s)
		})
	}
}

// The same holds for every other limit that ends a session: a line too
// long (as a command or in DATA), too many bad commands, and silence.
func TestNoSmugglingAfterOtherLimits(t *testing.T) {
	long := strings.Repeat("a", 10<<10)
	evil := strings.Repeat("\r\n.\r\n"+injected, 50) + "QUIT\r\n"
	for _, tc := range []struct {
		name    string
		limits  fakesmtp.Limits
		setup   func(*rawSession)
		payload string
		code    int
		enh     string
	}{
		{"long line in DATA", fakesmtp.Limits{}, func(r *rawSession) { r.begin("admin@example.com") },
			"Subject: x\r\n\r\n" + long + evil, 500, "5.4.0"},
		{"long command line", fakesmtp.Limits{}, func(r *rawSession) { r.expect(250, "EHLO client.test") },
			"NOOP " + long + "\r\n" + injected + "QUIT\r\n", 500, "5.4.0"},
		{"silence in DATA", fakesmtp.Limits{IdleTimeout: 200 * time.Millisecond}, func(r *rawSession) {
			r.begin("admin@example.com")
			_, err := io.WriteString(r.conn, "Subject: half\r\n\r\nthe first half")
			require.NoError(r.t, err)
			// The 421 comes after the silence; the attacker then sends.
			code, msg := r.reply()
			require.Equal(r.t, 421, code, msg)
		}, evil, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSinkWith(t, tc.limits, nil)
			code, msg := smuggle(t, s, tc.setup, tc.payload, tc.code != 0)
			if tc.code != 0 {
				assert.Equal(t, tc.code, code, msg)
				assert.Contains(t, msg, tc.enh)
			}
			assert.Equal(t, 0, s.Len(), "nothing stored")
			assertTakesMail(t, s)
			assertNoInjected(t, s)
		})
	}

	t.Run("too many errors", func(t *testing.T) {
		s := startSinkWith(t, fakesmtp.Limits{}, nil)
		r := dialRaw(t, s.Addr())
		r.expect(250, "EHLO client.test")
		// Four bad commands and a transaction, in one packet: go-smtp
		// gives up after the fourth and must not run the rest it has read.
		_, err := io.WriteString(r.conn, strings.Repeat("BOGUS\r\n", 4)+injected+"QUIT\r\n")
		require.NoError(t, err)
		for range 4 {
			code, msg := r.reply()
			assert.Equal(t, 5, code/100, msg)
		}
		code, msg := r.reply()
		assert.Equal(t, 500, code, msg)
		assert.Contains(t, msg, "Too many errors")
		r.assertHungUp()
		assert.Equal(t, 0, s.Len())
		assertTakesMail(t, s)
		assertNoInjected(t, s)
	})
}

// A crowd of idle connections fills MaxConns: the next client is greeted
// 421 4.3.2 and closed, the refusal is recorded, and once a place is free
// mail is taken again.
func TestConnectionCap(t *testing.T) {
	s := startSinkWith(t, fakesmtp.Limits{MaxConns: 3}, nil)
	var crowd []*rawSession
	for range 3 {
		crowd = append(crowd, dialRaw(t, s.Addr()))
	}
	c, err := net.DialTimeout("tcp", s.Addr(), clientDeadline)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(clientDeadline)))
	over := &rawSession{t: t, conn: c, tp: textproto.NewConn(c)}
	code, msg := over.reply()
	assert.Equal(t, 421, code, msg)
	assert.Contains(t, msg, "4.3.2")
	over.assertHungUp()
	rej := s.Rejections()
	require.Len(t, rej, 1)
	assert.Equal(t, fakesmtp.Rejection{Seq: 1, Code: 421, Command: fakesmtp.CommandConnect, At: t0}, rej[0])

	require.NoError(t, crowd[0].conn.Close())
	require.Eventually(t, func() bool {
		to := []string{"admin@example.com"}
		return sendGo(s.Addr(), amazonSender, to, message(amazonSender, to, "normal", "body")) == nil
	}, clientDeadline, 10*time.Millisecond)
}
