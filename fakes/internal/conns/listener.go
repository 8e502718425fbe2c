package conns

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// DefaultMaxConns is how many connections a listener admits at once
	// unless its fake's Config says otherwise: far more than the
	// simulator's own clients use (one at a time per listener), and few
	// enough that a flood costs a bounded amount of memory.
	DefaultMaxConns = 512
	// MaxRefusing bounds the refusals under way at once in the process.
	MaxRefusing = 64
	// RefuseLinger is how long a refused connection may take to read its
	// message: after it, the socket closes whatever the client does.
	RefuseLinger = time.Second
	// refuseDrain bounds what is read and thrown away from a refused
	// client, so that a fast sender cannot keep a refusal busy.
	refuseDrain = 64 << 10
	// maxBackoff bounds the pause after a failed accept (out of
	// descriptors, say), so that the accept loop neither spins nor sleeps
	// long once descriptors are free again.
	maxBackoff = time.Second
)

// Config says how a Listener admits and refuses connections.
type Config struct {
	// MaxConns bounds the connections admitted and open at once; 0 or
	// less means DefaultMaxConns. No listener admits more than half of its
	// budget, whatever MaxConns says.
	MaxConns int
	// Budget is where the descriptors come from; nil means Shared().
	Budget *Budget
	// Refuse writes the refusal message to a connection that is not
	// admitted; the connection's deadline is set, and the caller closes
	// it. nil means no message: the connection is closed at once.
	Refuse func(net.Conn)
}

// Listener admits connections within its cap and its budget and refuses
// the others. It is a net.Listener; Accept returns only admitted
// connections, as *Conn.
type Listener struct {
	net.Listener
	max     int
	budget  *Budget
	refuse  func(net.Conn)
	release func() // gives the listening socket's place back

	accepted, refused atomic.Uint64

	mu       sync.Mutex
	closed   bool // Close was called
	cut      bool // CloseConns was called: later connections are cut too
	open     map[*Conn]struct{}
	refusing map[net.Conn]struct{}
	wg       sync.WaitGroup // refusals under way
	done     chan struct{}  // closed by Close, to end a pause in Accept
}

// Listen listens on a TCP address and wraps the listener.
func Listen(addr string, cfg Config) (*Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return Wrap(ln, cfg), nil
}

// Wrap makes ln a Listener, which then owns it.
func Wrap(ln net.Listener, cfg Config) *Listener {
	b := cfg.Budget
	if b == nil {
		b = Shared()
	}
	n := cfg.MaxConns
	if n <= 0 {
		n = DefaultMaxConns
	}
	return &Listener{
		Listener: ln,
		max:      max(min(n, b.limit/2), 1),
		budget:   b,
		refuse:   cfg.Refuse,
		release:  b.Hold(),
		open:     map[*Conn]struct{}{},
		refusing: map[net.Conn]struct{}{},
		done:     make(chan struct{}),
	}
}

// MaxConns is how many connections the listener admits at once.
func (l *Listener) MaxConns() int { return l.max }

// Open is how many admitted connections are open now.
func (l *Listener) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.open)
}

// Accepted and Refused count the connections admitted and refused so far.
func (l *Listener) Accepted() uint64 { return l.accepted.Load() }

// Refused counts the connections refused so far.
func (l *Listener) Refused() uint64 { return l.refused.Load() }

// Accept waits for a connection it can admit. A failure to accept that may
// pass (out of descriptors, a connection aborted before it was taken) is
// waited out with a growing pause rather than returned: the protocol
// servers would retry at once (miekg/dns) or log every retry.
func (l *Listener) Accept() (net.Conn, error) {
	var pause time.Duration
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			if !isTemporary(err) {
				return nil, err
			}
			pause = min(max(2*pause, 5*time.Millisecond), maxBackoff)
			t := time.NewTimer(pause)
			select {
			case <-t.C:
				continue
			case <-l.done:
				t.Stop()
				return nil, err
			}
		}
		pause = 0
		if ac := l.admit(c); ac != nil {
			return ac, nil
		}
	}
}

// isTemporary tells the accept errors that pass by themselves.
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// admit returns c as an admitted *Conn, or refuses it and returns nil.
func (l *Listener) admit(c net.Conn) *Conn {
	l.mu.Lock()
	switch {
	case l.closed || l.cut:
		l.mu.Unlock()
		_ = c.Close()
		return nil
	case len(l.open) < l.max && l.budget.take():
		ac := &Conn{Conn: c, l: l}
		l.open[ac] = struct{}{}
		l.mu.Unlock()
		l.accepted.Add(1)
		return ac
	}
	l.mu.Unlock()
	l.refused.Add(1)
	l.refuseConn(c)
	return nil
}

// refuseConn tells c it is not admitted, if a refusal may start now, and
// closes it.
func (l *Listener) refuseConn(c net.Conn) {
	if l.refuse == nil {
		_ = c.Close()
		return
	}
	select {
	case l.budget.refusing <- struct{}{}:
	default:
		// A flood's tail: saying why costs more than the flood is worth.
		_ = c.Close()
		return
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		<-l.budget.refusing
		_ = c.Close()
		return
	}
	l.refusing[c] = struct{}{}
	l.wg.Add(1)
	l.mu.Unlock()
	go func() {
		defer func() {
			l.mu.Lock()
			delete(l.refusing, c)
			l.mu.Unlock()
			<-l.budget.refusing
			l.wg.Done()
		}()
		_ = c.SetDeadline(time.Now().Add(RefuseLinger))
		l.refuse(c)
		// Half-close, and read what the client still sends until it
		// closes too: closing with unread data would reset the
		// connection, and the client might lose the message.
		if cw, ok := c.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
			_, _ = io.CopyN(io.Discard, c, refuseDrain)
		}
		_ = c.Close()
	}()
}

// Close closes the listening socket, ends the refusals under way and
// waits for them. Admitted connections are left to their server (see
// CloseConns). Later calls return nil.
func (l *Listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.done)
	for c := range l.refusing {
		_ = c.Close()
	}
	l.mu.Unlock()
	err := l.Listener.Close()
	l.wg.Wait()
	l.release()
	return err
}

// CloseConns closes every admitted connection still open, and every one
// accepted from now on.
func (l *Listener) CloseConns() {
	l.mu.Lock()
	l.cut = true
	open := make([]*Conn, 0, len(l.open))
	for c := range l.open {
		open = append(open, c)
	}
	l.mu.Unlock()
	for _, c := range open {
		_ = c.Close()
	}
}

// Conn is an admitted connection; closing it gives its place back.
type Conn struct {
	net.Conn
	l    *Listener
	once sync.Once
}

// Close closes the connection and gives its place back, once.
func (c *Conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.open, c)
		c.l.mu.Unlock()
		c.l.budget.give()
	})
	return err
}

// CloseWrite half-closes the connection when the underlying one can:
// net/http uses it to let a client read an error before the reset.
func (c *Conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.ErrUnsupported
}

// CloseRead half-closes the reading side when the underlying connection
// can.
func (c *Conn) CloseRead() error {
	if cr, ok := c.Conn.(interface{ CloseRead() error }); ok {
		return cr.CloseRead()
	}
	return errors.ErrUnsupported
}
