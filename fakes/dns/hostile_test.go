package dns_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
)

// Hostile clients: every test sends a bounded amount of traffic to
// loopback, puts a deadline on every connection it opens, and checks that
// the server still answers a normal query afterwards.

// clientDeadline bounds every read and write a hostile test makes, so a
// server that misbehaves fails the test instead of hanging it.
const clientDeadline = 10 * time.Second

// dialDeadline opens a connection whose reads and writes give up after
// clientDeadline.
func dialDeadline(t *testing.T, proto, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout(proto, addr, clientDeadline)
	require.NoError(t, err)
	require.NoError(t, c.SetDeadline(time.Now().Add(clientDeadline)))
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// assertServes asks a fresh client for example.com. A over proto and
// checks the answer.
func assertServes(t *testing.T, s *fakedns.Server, proto string) {
	t.Helper()
	c := &mdns.Client{Net: proto, Timeout: clientDeadline}
	m := new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA)
	r, _, err := c.Exchange(m, s.Addr())
	require.NoError(t, err, "a normal %s query after the hostile traffic", proto)
	assert.Equal(t, mdns.RcodeSuccess, r.Rcode, proto)
	assert.Len(t, r.Answer, 1, proto)
}

// header is a 12-byte DNS header: ID 0x1234, a standard query, qd
// questions and no other records.
func header(qd uint16) []byte {
	h := make([]byte, 12)
	binary.BigEndian.PutUint16(h[0:], 0x1234)
	binary.BigEndian.PutUint16(h[4:], qd)
	return h
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// malformed are messages no well-behaved client sends. wantFormErr marks
// those whose header is readable: the server answers them FORMERR rather
// than guessing.
var malformed = []struct {
	name        string
	msg         []byte
	wantFormErr bool
}{
	{name: "random bytes", msg: randomBytes(1, 300)},
	{name: "more random bytes", msg: randomBytes(2, 37)},
	{name: "empty", msg: []byte{}},
	{name: "truncated header", msg: header(1)[:7]},
	{name: "header without its question", msg: header(1), wantFormErr: true},
	{name: "question cut in the name", msg: concat(header(1), []byte{7, 'e', 'x', 'a'}), wantFormErr: true},
	{name: "question without type and class", msg: concat(header(1), []byte{7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0}), wantFormErr: true},
	// The name is a compression pointer to itself (offset 12): a parser
	// that follows pointers without a bound never returns.
	{name: "compression pointer loop", msg: concat(header(1), []byte{0xC0, 12, 0, 1, 0, 1}), wantFormErr: true},
	// Two labels pointing at each other.
	{name: "two-pointer loop", msg: concat(header(1), []byte{1, 'a', 0xC0, 16, 0xC0, 12, 0, 1, 0, 1}), wantFormErr: true},
	{name: "pointer past the end", msg: concat(header(1), []byte{0xC0, 0xFF, 0, 1, 0, 1}), wantFormErr: true},
	{name: "label longer than the message", msg: concat(header(1), []byte{63, 'a', 'b', 0, 1, 0, 1}), wantFormErr: true},
	{name: "65535 questions announced", msg: concat(header(65535), []byte{0, 0, 1, 0, 1}), wantFormErr: true},
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	// Mark it a query: a response (QR set) would be dropped silently, which
	// tests less of the parser.
	if n > 2 {
		b[2] &^= 0x80
	}
	return b
}

// Malformed datagrams are answered FORMERR or dropped, never crash or
// wedge the server.
func TestMalformedUDP(t *testing.T) {
	s := startServer(t, "example.com. A 192.0.2.1")
	for _, tc := range malformed {
		t.Run(tc.name, func(t *testing.T) {
			c := dialDeadline(t, "udp", s.Addr())
			_, err := c.Write(tc.msg)
			require.NoError(t, err)
			if tc.wantFormErr {
				r := readUDPReply(t, c)
				assert.Equal(t, mdns.RcodeFormatError, r.Rcode)
				assert.Equal(t, uint16(0x1234), r.Id)
			}
			assertServes(t, s, "udp")
		})
	}
	// Whatever of the garbage was answered is on record as FORMERR.
	for _, q := range s.History() {
		if q.Name != "example.com." {
			assert.Equal(t, "FORMERR", q.Rcode, "%+v", q)
		}
	}
}

func readUDPReply(t *testing.T, c net.Conn) *mdns.Msg {
	t.Helper()
	buf := make([]byte, 65535)
	n, err := c.Read(buf)
	require.NoError(t, err)
	r := new(mdns.Msg)
	require.NoError(t, r.Unpack(buf[:n]))
	return r
}

// Over TCP, a malformed message does not cost the connection its next,
// well-formed query.
func TestMalformedTCP(t *testing.T) {
	s := startServer(t, "example.com. A 192.0.2.1")
	const goodID = 0xBEEF
	q := new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA)
	q.Id = goodID
	good, err := q.Pack()
	require.NoError(t, err)
	for _, tc := range malformed {
		t.Run(tc.name, func(t *testing.T) {
			c := dialDeadline(t, "tcp", s.Addr())
			co := &mdns.Conn{Conn: c}
			_, err := co.Write(tc.msg)
			require.NoError(t, err)
			if tc.wantFormErr {
				r, err := co.ReadMsg()
				require.NoError(t, err)
				assert.Equal(t, mdns.RcodeFormatError, r.Rcode)
			}
			_, err = co.Write(good)
			require.NoError(t, err)
			// Garbage with a readable header may have been answered
			// (FORMERR, NOTIMP) before the good query: skip such replies.
			for {
				r, err := co.ReadMsg()
				require.NoError(t, err, "the same connection answers a normal query")
				if r.Id == goodID {
					assert.Len(t, r.Answer, 1)
					break
				}
			}
			assertServes(t, s, "tcp")
		})
	}
}

// A TCP client that announces a message and never sends it is cut off by
// the server's read timeout, while other clients are served meanwhile.
func TestTCPLengthPrefixThenStall(t *testing.T) {
	s := fakedns.New(fakedns.Config{Zones: testZones, ReadTimeout: 100 * time.Millisecond, IdleTimeout: 200 * time.Millisecond, WriteTimeout: fakedns.TCPWriteTimeout})
	require.NoError(t, s.Start())
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	require.NoError(t, s.Add("example.com. A 192.0.2.1"))

	for _, tc := range []struct {
		name string
		send []byte
	}{
		{"length prefix only", []byte{0, 64}},
		{"half a length prefix", []byte{0}},
		{"prefix and part of the message", concat([]byte{0, 64}, header(1))},
		{"nothing at all", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dialDeadline(t, "tcp", s.Addr())
			if len(tc.send) > 0 {
				_, err := c.Write(tc.send)
				require.NoError(t, err)
			}
			assertServes(t, s, "tcp")
			assertServes(t, s, "udp")
			// The server hangs up: the read ends with EOF (or a reset),
			// not with the client's own deadline.
			_, err := io.ReadAll(c)
			var ne net.Error
			assert.False(t, errors.As(err, &ne) && ne.Timeout(), "the server kept the stalled connection open: %v", err)
		})
	}
}

// The defaults stay what doc.go promises.
func TestDefaultTimeouts(t *testing.T) {
	read, idle, write := fakedns.Timeouts(fakedns.New(fakedns.Config{Zones: testZones}))
	assert.Equal(t, fakedns.TCPReadTimeout, read)
	assert.Equal(t, fakedns.TCPIdleTimeout, idle)
	assert.Equal(t, fakedns.TCPWriteTimeout, write)
	assert.Positive(t, fakedns.TCPReadTimeout)
	assert.Positive(t, fakedns.TCPIdleTimeout)
	assert.Positive(t, fakedns.TCPWriteTimeout)
}

// bigAnswers starts a server whose big.example.com. TXT answer is about
// 4 KB, and returns it with that query framed for TCP, 1000 times over:
// a client that sends it and reads nothing soon fills the socket buffers.
func bigAnswers(t *testing.T, s *fakedns.Server) []byte {
	t.Helper()
	require.NoError(t, s.Start())
	for i := range 16 {
		require.NoError(t, s.Add(fmt.Sprintf(`big.example.com. TXT "%02d%s"`, i, strings.Repeat("x", 250))))
	}
	require.NoError(t, s.Add("example.com. A 192.0.2.1"))
	s.SetHistory(false)
	wire, err := new(mdns.Msg).SetQuestion("big.example.com.", mdns.TypeTXT).Pack()
	require.NoError(t, err)
	framed := binary.BigEndian.AppendUint16(nil, uint16(len(wire)))
	framed = append(framed, wire...)
	return bytes.Repeat(framed, 1000)
}

// A TCP client that pipelines queries and never reads the answers: the
// server gives up on it after the write timeout, closing the connection
// (the client's writes then fail with a reset, not its own deadline), and
// serves others meanwhile.
func TestTCPClientThatNeverReads(t *testing.T) {
	s := fakedns.New(fakedns.Config{Zones: testZones, ReadTimeout: fakedns.TCPReadTimeout, IdleTimeout: fakedns.TCPIdleTimeout, WriteTimeout: 100 * time.Millisecond})
	batch := bigAnswers(t, s)
	t.Cleanup(func() { require.NoError(t, s.Close()) })

	c := dialDeadline(t, "tcp", s.Addr())
	var err error
	for err == nil {
		_, err = c.Write(batch)
	}
	var ne net.Error
	assert.False(t, errors.As(err, &ne) && ne.Timeout(), "the server never gave up on a client that reads nothing: %v", err)
	assertServes(t, s, "tcp")
	assertServes(t, s, "udp")
}

// Close does not wait for a client that reads nothing, however long the
// write timeout.
func TestCloseWhileAnswerBlocked(t *testing.T) {
	s := fakedns.New(fakedns.Config{Zones: testZones, ReadTimeout: fakedns.TCPReadTimeout, IdleTimeout: fakedns.TCPIdleTimeout, WriteTimeout: time.Hour})
	batch := bigAnswers(t, s)
	closed := false
	t.Cleanup(func() {
		if !closed {
			_ = s.Close()
		}
	})

	c := dialDeadline(t, "tcp", s.Addr())
	// Write until the writes block: the server stopped reading because it
	// is stuck writing an answer nobody reads.
	var err error
	for err == nil {
		_ = c.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
		_, err = c.Write(batch)
	}
	var ne net.Error
	require.True(t, errors.As(err, &ne) && ne.Timeout(), "writes should block, got %v", err)
	assertServes(t, s, "udp")

	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		closed = true
		assert.NoError(t, err)
	case <-time.After(clientDeadline):
		t.Fatal("Close did not return while a client was not reading its answers")
	}
}

// Many TCP clients at once, each holding its connection open: all are
// answered, and a newcomer still is.
func TestManyConcurrentTCPClients(t *testing.T) {
	s := startServer(t, "example.com. A 192.0.2.1", "many.example.com. A 192.0.2.2")
	s.SetHistory(false)
	const clients = 200

	conns := make([]*mdns.Conn, clients)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			c, err := net.DialTimeout("tcp", s.Addr(), clientDeadline)
			if err != nil {
				errs[i] = err
				return
			}
			_ = c.SetDeadline(time.Now().Add(clientDeadline))
			conns[i] = &mdns.Conn{Conn: c}
			if err := conns[i].WriteMsg(new(mdns.Msg).SetQuestion("many.example.com.", mdns.TypeA)); err != nil {
				errs[i] = err
				return
			}
			r, err := conns[i].ReadMsg()
			if err == nil && len(r.Answer) != 1 {
				err = errors.New("no answer")
			}
			errs[i] = err
		})
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, c := range conns {
			if c != nil {
				_ = c.Close()
			}
		}
	})
	for i, err := range errs {
		require.NoError(t, err, "client %d", i)
	}
	// All 200 are still connected.
	assertServes(t, s, "tcp")
	assertServes(t, s, "udp")
}

// Beyond MaxConns a TCP connection is closed at once (DNS has no busy
// answer); UDP is not affected, and a freed place is taken again.
func TestTCPConnectionCap(t *testing.T) {
	s := fakedns.New(fakedns.Config{Zones: testZones, MaxConns: 3})
	require.NoError(t, s.Start())
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	require.NoError(t, s.Add("example.com. A 192.0.2.1"))

	var held []*mdns.Conn
	for range 3 {
		c := &mdns.Conn{Conn: dialDeadline(t, "tcp", s.Addr())}
		require.NoError(t, c.WriteMsg(new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA)))
		_, err := c.ReadMsg()
		require.NoError(t, err)
		held = append(held, c)
	}
	over := dialDeadline(t, "tcp", s.Addr())
	_, err := io.ReadAll(over)
	var ne net.Error
	assert.False(t, errors.As(err, &ne) && ne.Timeout(), "a connection beyond the cap was kept open: %v", err)
	assertServes(t, s, "udp")

	require.NoError(t, held[0].Close())
	require.Eventually(t, func() bool {
		c := &mdns.Client{Net: "tcp", Timeout: clientDeadline}
		r, _, err := c.Exchange(new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA), s.Addr())
		return err == nil && len(r.Answer) == 1
	}, clientDeadline, 10*time.Millisecond)
}
