package conns

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

const clientDeadline = 10 * time.Second

// noLeak checks, once every cleanup registered after it has run, that no
// goroutine is left.
func noLeak(t *testing.T) {
	t.Helper()
	t.Cleanup(func() { goleak.VerifyNone(t) })
}

// echoServer serves l the way a protocol server does: one goroutine per
// admitted connection, which echoes lines until the client hangs up.
func echoServer(t *testing.T, l *Listener) {
	t.Helper()
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			})
		}
	})
	t.Cleanup(func() {
		require.NoError(t, l.Close())
		l.CloseConns()
		wg.Wait()
	})
}

func dial(t *testing.T, l *Listener) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", l.Addr().String(), clientDeadline)
	require.NoError(t, err)
	require.NoError(t, c.SetDeadline(time.Now().Add(clientDeadline)))
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// echoes tells whether c is served: a line sent comes back.
func echoes(t *testing.T, c net.Conn) bool {
	t.Helper()
	if _, err := io.WriteString(c, "ping\n"); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && line == "ping\n"
}

var busy = func(c net.Conn) { _, _ = io.WriteString(c, "busy\n") }

// Beyond its cap a listener refuses with its message, and admits again
// once a place is free.
func TestCapAndPoliteRefusal(t *testing.T) {
	noLeak(t)
	l, err := Listen("127.0.0.1:0", Config{MaxConns: 3, Budget: NewBudget(100), Refuse: busy})
	require.NoError(t, err)
	echoServer(t, l)

	held := make([]net.Conn, 3)
	for i := range held {
		held[i] = dial(t, l)
		require.True(t, echoes(t, held[i]), "connection %d within the cap", i)
	}
	assert.Equal(t, 3, l.Open())

	extra := dial(t, l)
	got, err := io.ReadAll(extra)
	require.NoError(t, err, "a refusal ends with a clean close, not a reset")
	assert.Equal(t, "busy\n", string(got))
	assert.Equal(t, uint64(1), l.Refused())

	require.NoError(t, held[0].Close())
	require.Eventually(t, func() bool { return l.Open() == 2 }, clientDeadline, time.Millisecond)
	assert.True(t, echoes(t, dial(t, l)), "a freed place is taken again")
}

// A refused client that keeps sending still reads its message: what it
// sends is read and thrown away, so the close is not a reset.
func TestRefusalWhileTheClientSends(t *testing.T) {
	noLeak(t)
	l, err := Listen("127.0.0.1:0", Config{MaxConns: 1, Budget: NewBudget(100), Refuse: busy})
	require.NoError(t, err)
	echoServer(t, l)
	require.True(t, echoes(t, dial(t, l)))

	c := dial(t, l)
	_, err = c.Write(make([]byte, 32<<10))
	require.NoError(t, err)
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "busy\n", string(got))
}

// One listener's flood takes at most half the shared budget: another
// listener still admits.
func TestFloodCannotStarveAnotherListener(t *testing.T) {
	noLeak(t)
	b := NewBudget(20)
	flooded, err := Listen("127.0.0.1:0", Config{MaxConns: 1000, Budget: b, Refuse: busy})
	require.NoError(t, err)
	echoServer(t, flooded)
	other, err := Listen("127.0.0.1:0", Config{MaxConns: 1000, Budget: b})
	require.NoError(t, err)
	echoServer(t, other)
	assert.Equal(t, 10, flooded.MaxConns())

	for range 30 {
		c := dial(t, flooded)
		_, _ = io.WriteString(c, "x\n")
	}
	require.Eventually(t, func() bool { return flooded.Accepted()+flooded.Refused() == 30 }, clientDeadline, time.Millisecond)
	assert.Equal(t, uint64(10), flooded.Accepted())
	assert.Equal(t, 12, b.Held(), "two listening sockets and ten connections")
	assert.True(t, echoes(t, dial(t, other)), "the other listener still admits")
}

// The budget is shared: when it is used up, every listener refuses, and
// the listening sockets count in it.
func TestBudgetUsedUp(t *testing.T) {
	noLeak(t)
	b := NewBudget(6)
	var ls []*Listener
	for range 2 {
		l, err := Listen("127.0.0.1:0", Config{Budget: b})
		require.NoError(t, err)
		echoServer(t, l)
		ls = append(ls, l)
	}
	for _, l := range ls {
		for range 2 {
			require.True(t, echoes(t, dial(t, l)))
		}
	}
	assert.Equal(t, 6, b.Held())
	for _, l := range ls {
		c := dial(t, l)
		_, err := io.ReadAll(c)
		assert.NoError(t, err, "closed at once, without a message")
	}
	release := b.Hold()
	assert.Equal(t, 7, b.Held(), "Hold counts beyond the limit")
	release()
	release()
	assert.Equal(t, 6, b.Held())
}

// Close ends the refusals under way at once, and leaves no goroutine.
func TestCloseEndsRefusals(t *testing.T) {
	noLeak(t)
	stuck := make(chan struct{})
	l, err := Listen("127.0.0.1:0", Config{MaxConns: 1, Budget: NewBudget(100), Refuse: func(c net.Conn) {
		close(stuck)
		_, _ = io.WriteString(c, "busy\n")
	}})
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	})
	dial(t, l)
	c := dial(t, l)
	<-stuck
	// The refused client sends nothing more and does not close: the
	// refusal lingers, reading, until Close ends it.
	done := make(chan struct{})
	go func() {
		assert.NoError(t, l.Close())
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(clientDeadline):
		t.Fatal("Close waited for a refusal")
	}
	wg.Wait()
	l.CloseConns()
	_, err = io.ReadAll(c)
	assert.False(t, isTimeout(err), "the refused connection was left open: %v", err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestReserve(t *testing.T) {
	for _, tc := range []struct{ n, want int }{
		{20000, 2000},
		{1024, 128},
		{200, 100},
		{1 << 20, 1 << 20 / 10},
	} {
		assert.Equal(t, tc.want, Reserve(tc.n), "n=%d", tc.n)
	}
	b := Shared()
	assert.Greater(t, b.Limit(), 0)
	assert.Same(t, b, Shared())
}

// flaky fails its first accepts the way a process out of descriptors does.
type flaky struct {
	net.Listener
	failures int
}

func (f *flaky) Accept() (net.Conn, error) {
	if f.failures > 0 {
		f.failures--
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	return f.Listener.Accept()
}

// A failure to accept that passes by itself is waited out, not handed to
// the protocol server (miekg/dns would retry at once, in a busy loop).
func TestAcceptWaitsOutTemporaryFailures(t *testing.T) {
	noLeak(t)
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	l := Wrap(&flaky{Listener: inner, failures: 3}, Config{Budget: NewBudget(100)})
	echoServer(t, l)
	assert.True(t, echoes(t, dial(t, l)))
}
