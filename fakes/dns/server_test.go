package dns_test

import (
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
)

func TestStartCloseCloseAgain(t *testing.T) {
	defer goleak.VerifyNone(t)

	s := fakedns.New(fakedns.Config{Zones: testZones})
	assert.Empty(t, s.Addr(), "no address before Start")
	require.NoError(t, s.Start())
	require.Error(t, s.Start(), "second Start")

	host, port, err := net.SplitHostPort(s.Addr())
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", host)
	p, err := strconv.Atoi(port)
	require.NoError(t, err)
	assert.NotZero(t, p)

	require.NoError(t, s.Add("example.com. A 192.0.2.1"))
	for _, proto := range protos {
		r := exchange(t, s, proto, "example.com.", mdns.TypeA)
		assert.Equal(t, mdns.RcodeSuccess, r.Rcode, proto)
		assert.Len(t, r.Answer, 1, proto)
	}

	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "second Close")
	require.Error(t, s.Start(), "Start after Close")
}

func TestCloseBeforeStart(t *testing.T) {
	defer goleak.VerifyNone(t)

	s := fakedns.New(fakedns.Config{Zones: testZones})
	require.NoError(t, s.Close())
	require.Error(t, s.Start())
	require.NoError(t, s.Close())
}

func TestConcurrentClose(t *testing.T) {
	defer goleak.VerifyNone(t)

	s := fakedns.New(fakedns.Config{Zones: testZones})
	require.NoError(t, s.Start())
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = s.Close() })
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "Close #%d", i)
	}
}

// An idle client connection must not keep the server's goroutines alive:
// Close has to unblock the server side of every open TCP connection.
func TestCloseWithOpenTCPConnLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t)

	s := fakedns.New(fakedns.Config{Zones: testZones})
	require.NoError(t, s.Start())
	require.NoError(t, s.Add("example.com. A 192.0.2.1"))

	c := &mdns.Client{Net: "tcp"}
	conn, err := c.Dial(s.Addr())
	require.NoError(t, err)
	defer conn.Close()
	m := new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA)
	_, _, err = c.ExchangeWithConn(m, conn)
	require.NoError(t, err)

	require.NoError(t, s.Close())

	// The server hung up, so the reused connection now fails.
	_, _, err = c.ExchangeWithConn(m, conn)
	assert.Error(t, err)
}

func TestUDPAndTCPSharePort(t *testing.T) {
	s := startServer(t, "example.com. A 192.0.2.1")
	for _, proto := range protos {
		conn, err := net.Dial(proto, s.Addr())
		require.NoError(t, err, proto)
		co := &mdns.Conn{Conn: conn}
		require.NoError(t, co.WriteMsg(new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA)), proto)
		r, err := co.ReadMsg()
		require.NoError(t, err, proto)
		assert.Len(t, r.Answer, 1, proto)
		require.NoError(t, co.Close())
	}
}

// miekg closes a TCP connection after 128 queries unless told otherwise; a
// client that keeps one connection for a long sweep must not notice.
func TestTCPManyQueriesOneConn(t *testing.T) {
	s := startServer(t, "example.com. A 192.0.2.1")
	s.SetHistory(false)

	c := &mdns.Client{Net: "tcp"}
	conn, err := c.Dial(s.Addr())
	require.NoError(t, err)
	defer conn.Close()
	for i := range 300 {
		m := new(mdns.Msg).SetQuestion("example.com.", mdns.TypeA)
		r, _, err := c.ExchangeWithConn(m, conn)
		require.NoError(t, err, "query %d", i+1)
		require.Len(t, r.Answer, 1, "query %d", i+1)
	}
}

// Changing records while queries are in flight must be race-free (run with
// -race) and every answer must reflect some consistent state.
func TestConcurrentChangesWhileServing(t *testing.T) {
	s := startServer(t, "example.com. A 192.0.2.1")
	var wg sync.WaitGroup
	for _, proto := range protos {
		wg.Go(func() {
			c := &mdns.Client{Net: proto}
			conn, err := c.Dial(s.Addr())
			if !assert.NoError(t, err) {
				return
			}
			defer conn.Close()
			for range 100 {
				m := new(mdns.Msg).SetQuestion("x.example.com.", mdns.TypeTXT)
				r, _, err := c.ExchangeWithConn(m, conn)
				if !assert.NoError(t, err) {
					return
				}
				assert.Contains(t, []int{mdns.RcodeSuccess, mdns.RcodeNameError}, r.Rcode)
			}
		})
	}
	for i := range 100 {
		require.NoError(t, s.Add(fmt.Sprintf(`x.example.com. TXT "v%d"`, i)))
		_ = s.Records()
		s.Remove("x.example.com.", 0)
		_ = s.History()
	}
	wg.Wait()
}
