package smtp_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	netsmtp "net/smtp"
	"net/textproto"
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

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// startSink starts a sink on a fake clock; at the end of the test it closes
// the sink and checks that no goroutine is left.
func startSink(t *testing.T) (*fakesmtp.Sink, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	s := fakesmtp.New(fakesmtp.Config{Clock: clock})
	require.NoError(t, s.Start())
	t.Cleanup(func() {
		require.NoError(t, s.Close())
		goleak.VerifyNone(t)
	})
	return s, clock
}

func message(from string, to []string, subject, body string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: <%s>\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(to, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", subject)
	fmt.Fprintf(&b, "Message-Id: <%s@renewsim.test>\r\n", strings.ReplaceAll(subject, " ", "."))
	b.WriteString("\r\n")
	b.WriteString(body)
	b.WriteString("\r\n")
	return b.Bytes()
}

// sender delivers one message over a fresh connection.
type sender func(addr, from string, to []string, raw []byte) error

func sendGo(addr, from string, to []string, raw []byte) error {
	c, err := gosmtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SendMail(from, to, bytes.NewReader(raw)); err != nil {
		return err
	}
	return c.Quit()
}

func sendStd(addr, from string, to []string, raw []byte) error {
	c, err := netsmtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

var clients = []struct {
	name string
	send sender
}{
	{"go-smtp", sendGo},
	{"net/smtp", sendStd},
}

// replyCode extracts the SMTP reply code from either client's error type.
func replyCode(t *testing.T, err error) int {
	t.Helper()
	require.Error(t, err)
	var se *gosmtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	t.Fatalf("error %T %v carries no SMTP reply code", err, err)
	return 0
}

func TestDeliveryStoresMessage(t *testing.T) {
	for _, tc := range clients {
		t.Run(tc.name, func(t *testing.T) {
			s, clock := startSink(t)
			to := []string{"admin@example.com", "Hostmaster@Example.com"}
			raw := message("no-reply@certificates.amazon.com", to,
				"Certificate approval for www.example.com",
				"Approve: https://approval.example/approvals?code=abc&context=def")

			require.NoError(t, tc.send(s.Addr(), "no-reply@certificates.amazon.com", to, raw))

			require.Equal(t, 1, s.Len())
			m := s.Messages()[0]
			assert.Equal(t, 1, m.Seq)
			assert.Equal(t, "no-reply@certificates.amazon.com", m.From)
			assert.Equal(t, to, m.To)
			assert.Equal(t, "Certificate approval for www.example.com", m.Subject)
			assert.Equal(t, "<Certificate.approval.for.www.example.com@renewsim.test>", m.Header.Get("Message-Id"))
			assert.Equal(t, "Approve: https://approval.example/approvals?code=abc&context=def\r\n", m.Body)
			assert.Equal(t, raw, m.Raw)
			assert.True(t, m.ReceivedAt.Equal(clock.Now()), "ReceivedAt %v, want %v", m.ReceivedAt, clock.Now())
			assert.Empty(t, s.Rejections())
		})
	}
}

func TestQueries(t *testing.T) {
	s, clock := startSink(t)
	const from = "no-reply@certificates.amazon.com"
	send := func(subject string, to ...string) {
		t.Helper()
		require.NoError(t, sendGo(s.Addr(), from, to, message(from, to, subject, "body")))
	}

	send("one", "alice@example.com")
	clock.Advance(time.Hour)
	send("two", "bob@example.com", "ALICE@example.com")
	clock.Advance(time.Hour)
	send("three", "bob@example.com")

	subjects := func(ms []fakesmtp.Message) []string {
		out := []string{}
		for _, m := range ms {
			out = append(out, m.Subject)
		}
		return out
	}

	for _, tc := range []struct {
		name string
		got  []fakesmtp.Message
		want []string
	}{
		{"all", s.Messages(), []string{"one", "two", "three"}},
		{"to alice, any case", s.To("Alice@Example.COM"), []string{"one", "two"}},
		{"to bob with brackets", s.To(" <bob@example.com> "), []string{"two", "three"}},
		{"to nobody", s.To("carol@example.com"), []string{}},
		{"first hour", s.Between(t0, t0.Add(time.Hour)), []string{"one"}},
		{"upper bound exclusive", s.Between(t0, t0.Add(2*time.Hour)), []string{"one", "two"}},
		{"lower bound inclusive", s.Between(t0.Add(time.Hour), t0.Add(3*time.Hour)), []string{"two", "three"}},
		{"empty window", s.Between(t0.Add(2*time.Hour), t0.Add(2*time.Hour)), []string{}},
		{"before everything", s.Between(t0.Add(-time.Hour), t0), []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, subjects(tc.got))
		})
	}

	m, ok := s.Latest("BOB@example.com")
	require.True(t, ok)
	assert.Equal(t, "three", m.Subject)
	assert.Equal(t, 3, m.Seq)
	assert.True(t, m.ReceivedAt.Equal(t0.Add(2*time.Hour)))
	m, ok = s.Latest("alice@example.com")
	require.True(t, ok)
	assert.Equal(t, "two", m.Subject)
	_, ok = s.Latest("carol@example.com")
	assert.False(t, ok)

	// Results are copies.
	got := s.Messages()
	got[0].To[0] = "mallory@example.com"
	got[0].Raw[0] = 'X'
	got[0].Header["Subject"][0] = "changed"
	again := s.Messages()[0]
	assert.Equal(t, []string{"alice@example.com"}, again.To)
	assert.Equal(t, byte('F'), again.Raw[0])
	assert.Equal(t, "one", again.Header.Get("Subject"))

	// Reset forgets messages but keeps numbering.
	s.Reset()
	assert.Equal(t, 0, s.Len())
	assert.Empty(t, s.Messages())
	send("four", "alice@example.com")
	m, ok = s.Latest("alice@example.com")
	require.True(t, ok)
	assert.Equal(t, 4, m.Seq)
}

func TestRejectRecipient(t *testing.T) {
	const from = "no-reply@certificates.amazon.com"
	good, bad := "admin@example.com", "webmaster@example.com"

	for _, tc := range clients {
		t.Run(tc.name+" whole transaction fails", func(t *testing.T) {
			s, clock := startSink(t)
			s.RejectRecipient("WebMaster@Example.com")
			err := tc.send(s.Addr(), from, []string{bad}, message(from, []string{bad}, "x", "y"))
			assert.Equal(t, 550, replyCode(t, err))
			assert.Equal(t, 0, s.Len())
			assert.Equal(t, []fakesmtp.Rejection{{
				Seq: 1, Addr: bad, Code: 550, Command: fakesmtp.CommandRcpt, At: clock.Now(),
			}}, s.Rejections())

			s.AcceptRecipient(bad)
			require.NoError(t, tc.send(s.Addr(), from, []string{bad}, message(from, []string{bad}, "x", "y")))
			assert.Equal(t, 1, s.Len())
		})
	}

	t.Run("go-smtp error details", func(t *testing.T) {
		s, _ := startSink(t)
		s.RejectRecipient(bad)
		c, err := gosmtp.Dial(s.Addr())
		require.NoError(t, err)
		defer c.Close()
		require.NoError(t, c.Mail(from, nil))
		require.NoError(t, c.Rcpt(good, nil))
		err = c.Rcpt(bad, nil)
		var se *gosmtp.SMTPError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, 550, se.Code)
		assert.Equal(t, gosmtp.EnhancedCode{5, 1, 1}, se.EnhancedCode)
		assert.False(t, se.Temporary())

		// The transaction goes on for the accepted recipient only.
		w, err := c.Data()
		require.NoError(t, err)
		_, err = w.Write(message(from, []string{good, bad}, "partial", "body"))
		require.NoError(t, err)
		require.NoError(t, w.Close())
		require.NoError(t, c.Quit())

		msgs := s.Messages()
		require.Len(t, msgs, 1)
		assert.Equal(t, []string{good}, msgs[0].To)
		assert.Empty(t, s.To(bad))
	})

	t.Run("net/smtp error details", func(t *testing.T) {
		s, _ := startSink(t)
		s.RejectRecipient(bad)
		c, err := netsmtp.Dial(s.Addr())
		require.NoError(t, err)
		defer c.Close()
		require.NoError(t, c.Mail(from))
		err = c.Rcpt(bad)
		var te *textproto.Error
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 550, te.Code)
		assert.Contains(t, te.Msg, "5.1.1")
		require.NoError(t, c.Quit())
	})
}

func TestTempFail(t *testing.T) {
	const from = "no-reply@certificates.amazon.com"
	to := []string{"admin@example.com"}
	for _, tc := range clients {
		t.Run(tc.name, func(t *testing.T) {
			s, clock := startSink(t)
			s.SetTempFail(true)
			err := tc.send(s.Addr(), from, to, message(from, to, "x", "y"))
			assert.Equal(t, 451, replyCode(t, err))
			assert.Equal(t, 0, s.Len())
			assert.Equal(t, []fakesmtp.Rejection{{
				Seq: 1, Addr: from, Code: 451, Command: fakesmtp.CommandMail, At: clock.Now(),
			}}, s.Rejections())

			s.SetTempFail(false)
			require.NoError(t, tc.send(s.Addr(), from, to, message(from, to, "x", "y")))
			assert.Equal(t, 1, s.Len())
		})
	}

	t.Run("flipped during a session", func(t *testing.T) {
		s, _ := startSink(t)
		c, err := gosmtp.Dial(s.Addr())
		require.NoError(t, err)
		defer c.Close()
		require.NoError(t, c.Hello("client.test"))

		s.SetTempFail(true)
		err = c.Mail(from, nil)
		var se *gosmtp.SMTPError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, 451, se.Code)
		assert.Equal(t, gosmtp.EnhancedCode{4, 3, 0}, se.EnhancedCode)
		assert.True(t, se.Temporary())

		s.SetTempFail(false)
		require.NoError(t, c.SendMail(from, to, bytes.NewReader(message(from, to, "retry", "y"))))
		require.NoError(t, c.Quit())
		assert.Equal(t, 1, s.Len())
	})
}

func TestRefuse(t *testing.T) {
	const from = "no-reply@certificates.amazon.com"
	to := []string{"admin@example.com"}
	s, clock := startSink(t)

	// A connection opened before refusing keeps working.
	open, err := gosmtp.Dial(s.Addr())
	require.NoError(t, err)
	defer open.Close()
	require.NoError(t, open.Hello("client.test"))

	s.SetRefuse(true)

	// net/smtp reads the greeting in Dial, so Dial itself fails.
	_, err = netsmtp.Dial(s.Addr())
	var te *textproto.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 554, te.Code)

	// go-smtp reads the greeting lazily: the first command fails.
	c, err := gosmtp.Dial(s.Addr())
	require.NoError(t, err)
	err = c.SendMail(from, to, bytes.NewReader(message(from, to, "x", "y")))
	c.Close()
	var se *gosmtp.SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 554, se.Code)

	require.NoError(t, open.SendMail(from, to, bytes.NewReader(message(from, to, "old conn", "y"))))
	require.NoError(t, open.Quit())

	want := []fakesmtp.Rejection{
		{Seq: 1, Code: 554, Command: fakesmtp.CommandConnect, At: clock.Now()},
		{Seq: 2, Code: 554, Command: fakesmtp.CommandConnect, At: clock.Now()},
	}
	assert.Equal(t, want, s.Rejections())

	s.SetRefuse(false)
	require.NoError(t, sendStd(s.Addr(), from, to, message(from, to, "after", "y")))
	assert.Equal(t, 2, s.Len())
}

func TestMalformedMessageRejected(t *testing.T) {
	const from = "no-reply@certificates.amazon.com"
	to := []string{"admin@example.com"}
	for _, tc := range []struct {
		name string
		data string
	}{
		{"bare text", "hello world"},
		{"header line without colon", "this is not a header\r\n\r\nbody\r\n"},
		{"broken continuation", "Subject: hi\r\nbroken\r\n\r\nbody\r\n"},
		{"leading space", " Subject: hi\r\n\r\nbody\r\n"},
	} {
		for _, cl := range clients {
			t.Run(tc.name+"/"+cl.name, func(t *testing.T) {
				s, clock := startSink(t)
				err := cl.send(s.Addr(), from, to, []byte(tc.data))
				assert.Equal(t, 554, replyCode(t, err))
				assert.Equal(t, 0, s.Len())
				assert.Equal(t, []fakesmtp.Rejection{{
					Seq: 1, Addr: from, Code: 554, Command: fakesmtp.CommandData, At: clock.Now(),
				}}, s.Rejections())
			})
		}
	}
}

func TestBodyAndSubjectDecoding(t *testing.T) {
	const from = "no-reply@certificates.amazon.com"
	to := []string{"admin@example.com"}
	link := "https://127.0.0.1:8443/approvals?code=0123456789abcdef0123456789abcdef&context=fedcba98-7654-3210-fedc-ba9876543210"
	for _, tc := range []struct {
		name, raw, wantSubject, wantBody string
	}{
		{
			name: "quoted-printable with soft line breaks",
			raw: "Subject: plain\r\nContent-Type: text/plain; charset=utf-8\r\n" +
				"Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
				"Link: https://127.0.0.1:8443/approvals?code=3D0123456789abcdef0123456789ab=\r\n" +
				"cdef&context=3Dfedcba98-7654-3210-fedc-ba9876543210\r\n",
			wantSubject: "plain",
			wantBody:    "Link: " + link + "\r\n",
		},
		{
			name: "base64 with encoded-word subject",
			raw: "Subject: =?utf-8?q?Zertifikat_f=C3=BCr_example.com?=\r\n" +
				"Content-Transfer-Encoding: base64\r\n\r\n" +
				"TGluazog\r\naHR0cHM6Ly9leGFtcGxlLmNvbS8=\r\n",
			wantSubject: "Zertifikat für example.com",
			wantBody:    "Link: https://example.com/",
		},
		{
			name: "multipart left as is",
			raw: "Subject: mp\r\nContent-Type: multipart/alternative; boundary=b\r\n" +
				"Content-Transfer-Encoding: base64\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n",
			wantSubject: "mp",
			wantBody:    "--b\r\n\r\nx\r\n--b--\r\n",
		},
		{
			name:        "invalid base64 kept raw",
			raw:         "Subject: bad\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n",
			wantSubject: "bad",
			wantBody:    "!!!!\r\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := startSink(t)
			require.NoError(t, sendGo(s.Addr(), from, to, []byte(tc.raw)))
			m, ok := s.Latest(to[0])
			require.True(t, ok)
			assert.Equal(t, tc.wantSubject, m.Subject)
			assert.Equal(t, tc.wantBody, m.Body)
			assert.Equal(t, []byte(tc.raw), m.Raw)
		})
	}
}

func TestConcurrentSenders(t *testing.T) {
	s, _ := startSink(t)
	const senders, perSender = 8, 10
	const from = "no-reply@certificates.amazon.com"

	var wg sync.WaitGroup
	errs := make(chan error, senders)
	for i := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := gosmtp.Dial(s.Addr())
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			for j := range perSender {
				to := []string{fmt.Sprintf("owner%d@example.com", i)}
				raw := message(from, to, fmt.Sprintf("s%d m%d", i, j), "body")
				if err := c.SendMail(from, to, bytes.NewReader(raw)); err != nil {
					errs <- err
					return
				}
				if err := c.Reset(); err != nil {
					errs <- err
					return
				}
			}
			errs <- c.Quit()
		}()
	}
	// Queries and switches run concurrently with the deliveries.
	for range 20 {
		_ = s.Messages()
		_ = s.Len()
		s.RejectRecipient("nobody@example.com")
		s.AcceptRecipient("nobody@example.com")
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	msgs := s.Messages()
	require.Len(t, msgs, senders*perSender)
	for i, m := range msgs {
		assert.Equal(t, i+1, m.Seq)
	}
	for i := range senders {
		got := s.To(fmt.Sprintf("owner%d@example.com", i))
		require.Len(t, got, perSender)
		for j, m := range got {
			assert.Equal(t, fmt.Sprintf("s%d m%d", i, j), m.Subject, "per-connection order is kept")
		}
	}
}

func TestLifecycle(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	assert.Panics(t, func() { fakesmtp.New(fakesmtp.Config{}) }, "no clock")
	for _, addr := range []string{"192.0.2.1:0", "0.0.0.0:0", "localhost:0", "127.0.0.1"} {
		assert.Error(t, fakesmtp.New(fakesmtp.Config{Clock: clock, Addr: addr}).Start(), addr)
	}

	never := fakesmtp.New(fakesmtp.Config{Clock: clock})
	assert.Equal(t, "", never.Addr())
	require.NoError(t, never.Close())
	assert.ErrorIs(t, never.Start(), fakesmtp.ErrServerClosed)

	s := fakesmtp.New(fakesmtp.Config{Clock: clock, Addr: "127.0.0.1:0"})
	require.NoError(t, s.Start())
	assert.Error(t, s.Start(), "second Start")
	assert.True(t, strings.HasPrefix(s.Addr(), "127.0.0.1:"), s.Addr())
	const from = "a@example.com"
	to := []string{"b@example.com"}
	require.NoError(t, sendStd(s.Addr(), from, to, message(from, to, "own", "listener")))
	addr := s.Addr()
	require.NoError(t, s.Close())
	_, err := net.DialTimeout("tcp", addr, time.Second)
	assert.Error(t, err, "nothing listens after Close")
	assert.ErrorIs(t, s.Start(), fakesmtp.ErrServerClosed)

	// Stored messages survive Close.
	assert.Equal(t, 1, s.Len())
	require.NoError(t, s.Close())
	goleak.VerifyNone(t)
}

func TestCloseEndsOpenSessions(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	s := fakesmtp.New(fakesmtp.Config{Clock: clock})
	require.NoError(t, s.Start())

	// Clients in the middle of a session, and one that never spoke.
	c1, err := gosmtp.Dial(s.Addr())
	require.NoError(t, err)
	defer c1.Close()
	require.NoError(t, c1.Hello("client.test"))
	require.NoError(t, c1.Mail("a@example.com", nil))
	c2, err := netsmtp.Dial(s.Addr())
	require.NoError(t, err)
	defer c2.Close()
	raw, err := net.Dial("tcp", s.Addr())
	require.NoError(t, err)
	defer raw.Close()

	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close is idempotent")

	assert.Error(t, c1.Rcpt("b@example.com", nil))
	assert.Error(t, c2.Noop())
	_, err = net.Dial("tcp", s.Addr())
	assert.Error(t, err, "listener is closed")
	goleak.VerifyNone(t)
}

func TestConcurrentClose(t *testing.T) {
	s := fakesmtp.New(fakesmtp.Config{Clock: clockwork.NewFakeClockAt(t0)})
	require.NoError(t, s.Start())
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, s.Close())
			// Every Close returns only once the sink is fully stopped.
			_, err := net.Dial("tcp", s.Addr())
			assert.Error(t, err)
		}()
	}
	wg.Wait()
	goleak.VerifyNone(t)
}

func benchMessage() []byte {
	return message("no-reply@certificates.amazon.com", []string{"admin@example.com"},
		"Certificate approval for www.example.com",
		strings.Repeat("Approve: https://127.0.0.1:8443/approvals?code=0123456789abcdef\r\n", 8))
}

func BenchmarkSendReusedConnection(b *testing.B) {
	s := fakesmtp.New(fakesmtp.Config{Clock: clockwork.NewFakeClockAt(t0)})
	require.NoError(b, s.Start())
	defer s.Close()
	raw := benchMessage()
	to := []string{"admin@example.com"}

	c, err := gosmtp.Dial(s.Addr())
	require.NoError(b, err)
	defer c.Close()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.Mail("no-reply@certificates.amazon.com", nil); err != nil {
			b.Fatal(err)
		}
		if err := c.Rcpt(to[0], nil); err != nil {
			b.Fatal(err)
		}
		w, err := c.Data()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write(raw); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		if err := c.Reset(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	require.NoError(b, c.Quit())
	require.Equal(b, b.N, s.Len())
}

func BenchmarkSendNewConnection(b *testing.B) {
	s := fakesmtp.New(fakesmtp.Config{Clock: clockwork.NewFakeClockAt(t0)})
	require.NoError(b, s.Start())
	defer s.Close()
	raw := benchMessage()
	to := []string{"admin@example.com"}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := sendGo(s.Addr(), "no-reply@certificates.amazon.com", to, raw); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	require.Equal(b, b.N, s.Len())
}
