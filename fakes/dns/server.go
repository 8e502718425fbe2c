package dns

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	mdns "github.com/miekg/dns"

	"github.com/renewsim/renewsim/fakes/internal/conns"
)

// listenAttempts bounds the search for a port free on both UDP and TCP. A
// clash happens when a TCP socket already holds the ephemeral UDP port; on
// a machine whose loopback holds tens of thousands of connections (a big
// fleet run beside the tests) most of the ephemeral range can be taken, so
// the search tries many ports: each try costs two binds.
const listenAttempts = 128

// udpReadSize is the largest query the UDP side accepts. miekg defaults to
// 512 bytes, which would silently cut EDNS0 queries carrying options.
const udpReadSize = 4096

// Timeouts of the TCP side, so that a client that connects and stalls, or
// stops reading its answers, costs a goroutine and a socket for a bounded
// time only. UDP needs none: a datagram is read whole or not at all.
const (
	// TCPReadTimeout is how long a new connection may take to deliver its
	// first complete query (length prefix and message).
	TCPReadTimeout = 2 * time.Second
	// TCPIdleTimeout is how long a connection may wait between queries,
	// and take to deliver each query after the first.
	TCPIdleTimeout = 8 * time.Second
	// TCPWriteTimeout is how long writing one answer may block on a client
	// that does not read; the connection is closed when it runs out.
	TCPWriteTimeout = 2 * time.Second
)

// Config describes a Server: where it listens, the zones it serves and how
// long and how many TCP clients it serves. The zero value listens on a port
// of 127.0.0.1 free on both UDP and TCP, with the default limits.
type Config struct {
	// Addr is a loopback "host:port" for both UDP and TCP, such as
	// 127.0.0.1:5353 for people who want to dig at a fixed port; port 0
	// (or "") picks a port free on both.
	Addr string
	// Zones are the zones the server is authoritative for from the start
	// (more can be added with AddZone; every owner of an SOA record held
	// is one too). A name in no zone is answered REFUSED. Start fails on a
	// name that is not a domain name.
	Zones []string
	// ZoneOf, when set, names the zone of a record's owner (given in
	// canonical form: lower case, fully qualified), such as its registrable
	// domain; "" means none. Such a zone is served while it holds records,
	// so that a caller whose data names no zones still gets an apex, with
	// its SOA and NS, wherever it keeps records. It is called with the
	// server's lock held: it must be quick and must not call the server.
	ZoneOf func(owner string) string
	// MaxConns bounds the TCP connections open at once; a connection
	// beyond it is closed at once (DNS has no "busy" answer). 0 means the
	// default (512). UDP needs no bound: a datagram costs no descriptor.
	MaxConns int
	// ReadTimeout is how long a new TCP connection may take to deliver its
	// first whole query; 0 means TCPReadTimeout.
	ReadTimeout time.Duration
	// IdleTimeout is how long a TCP connection may wait between queries,
	// and take to deliver each one after the first; 0 means
	// TCPIdleTimeout.
	IdleTimeout time.Duration
	// WriteTimeout is how long writing one answer may block on a TCP
	// client that does not read; the connection is closed when it runs
	// out. 0 means TCPWriteTimeout.
	WriteTimeout time.Duration
}

type lifeState int

const (
	stateNew lifeState = iota
	stateRunning
	stateClosed
)

// Server is an authoritative DNS server for the records it holds. The zero
// value is not usable; create one with [New].
type Server struct {
	cfg Config

	// life serialises Start and Close; it is held for the whole of Close so
	// that a concurrent Close returns only once everything has stopped.
	life       sync.Mutex
	state      lifeState
	addr       string
	udp, tcp   *mdns.Server
	tcpLn      *tcpListener
	udpErr     chan error
	tcpErr     chan error
	serving    sync.WaitGroup
	releaseUDP func() // gives the UDP socket's place in the budget back

	mu       sync.RWMutex
	zones    map[string]bool      // canonical zone apexes: Config.Zones and AddZone
	cfgZones map[string]bool      // those of Config.Zones, which Reset keeps
	implied  map[string]int       // Config.ZoneOf's zones -> owners held in them
	badZone  error                // a Config.Zones entry that is no domain name
	owners   map[string][]mdns.RR // canonical owner name -> its RRs, insertion order
	below    map[string]int       // canonical name -> number of owners strictly below it
	rcodes   map[string]int       // canonical owner name -> injected rcode
	faults   map[faultKey]*activeFault
	onHold   func(id uint16, kind FaultKind)
	version  uint64

	// closing is closed when Close begins, so that a slow answer being held
	// back gives up instead of keeping Close waiting.
	closing chan struct{}

	hist history
}

// New returns a server that holds no record and does not listen until
// Start. Records may be added before Start.
func New(cfg Config) *Server {
	cfg.ReadTimeout = orDefault(cfg.ReadTimeout, TCPReadTimeout)
	cfg.IdleTimeout = orDefault(cfg.IdleTimeout, TCPIdleTimeout)
	cfg.WriteTimeout = orDefault(cfg.WriteTimeout, TCPWriteTimeout)
	s := &Server{
		cfg:      cfg,
		zones:    make(map[string]bool),
		cfgZones: make(map[string]bool),
		implied:  make(map[string]int),
		owners:   make(map[string][]mdns.RR),
		below:    make(map[string]int),
		rcodes:   make(map[string]int),
		hist:     history{enabled: true},

		closing: make(chan struct{}),
	}
	for _, z := range cfg.Zones {
		zone, err := zoneName(z)
		if err != nil {
			s.badZone = err
			continue
		}
		s.zones[zone], s.cfgZones[zone] = true, true
	}
	return s
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Start binds UDP and TCP on the same port of Config.Addr and serves both.
// It returns once both transports accept queries. It fails if the address
// is not a loopback one, or the server was already started or closed.
func (s *Server) Start() error {
	s.life.Lock()
	defer s.life.Unlock()
	switch s.state {
	case stateRunning:
		return errors.New("fakes/dns: server already started")
	case stateClosed:
		return errors.New("fakes/dns: server closed")
	}
	if s.badZone != nil {
		return s.badZone
	}

	addr := s.cfg.Addr
	var pc net.PacketConn
	var ln net.Listener
	var err error
	if host, port, _ := net.SplitHostPort(addr); addr == "" || port == "0" {
		if host == "" {
			host = "127.0.0.1"
		}
		pc, ln, err = listenPair(host)
	} else {
		pc, ln, err = listenAt(addr)
	}
	if err != nil {
		return err
	}
	budget := conns.Shared()
	s.releaseUDP = budget.Hold()

	// The handler is given directly rather than through a mux: miekg's
	// global mux would let parallel servers answer each other's queries,
	// and any mux answers a message without a question REFUSED, where
	// FORMERR says what is wrong with it.
	handler := mdns.HandlerFunc(s.serveDNS)

	udpUp, tcpUp := make(chan struct{}), make(chan struct{})
	s.udp = &mdns.Server{
		PacketConn:        pc,
		Handler:           handler,
		UDPSize:           udpReadSize,
		NotifyStartedFunc: func() { close(udpUp) },
	}
	idle := s.cfg.IdleTimeout
	s.tcpLn = &tcpListener{
		// DNS has no busy answer: a connection beyond the cap is closed.
		Listener:     conns.Wrap(ln, conns.Config{MaxConns: s.cfg.MaxConns, Budget: budget}),
		writeTimeout: s.cfg.WriteTimeout,
	}
	s.tcp = &mdns.Server{
		Listener:    s.tcpLn,
		Handler:     handler,
		ReadTimeout: s.cfg.ReadTimeout,
		IdleTimeout: func() time.Duration { return idle },
		// miekg hangs up after 128 queries by default, which a client that
		// keeps one connection for a whole sweep would see as a failure.
		MaxTCPQueries:     -1,
		NotifyStartedFunc: func() { close(tcpUp) },
	}
	s.udpErr, s.tcpErr = make(chan error, 1), make(chan error, 1)
	s.serve(s.udp, s.udpErr)
	s.serve(s.tcp, s.tcpErr)

	// miekg refuses to shut down a server that has not reported itself
	// started, so each side must be known to be either up or gone before
	// this function may return, whether it succeeds or not.
	var failed error
	udpLive, tcpLive := false, false
	for udpUp != nil || tcpUp != nil {
		select {
		case <-udpUp:
			udpUp, udpLive = nil, true
		case <-tcpUp:
			tcpUp, tcpLive = nil, true
		case err := <-s.udpErr:
			udpUp, failed = nil, errors.Join(failed, fmt.Errorf("fakes/dns: udp: %w", err))
		case err := <-s.tcpErr:
			tcpUp, failed = nil, errors.Join(failed, fmt.Errorf("fakes/dns: tcp: %w", err))
		}
	}
	if failed != nil {
		if udpLive {
			_ = s.udp.Shutdown()
		}
		if tcpLive {
			_ = s.tcp.Shutdown()
		}
		// A server that failed before starting may not have closed its
		// socket; closing twice is harmless.
		_ = pc.Close()
		_ = s.tcpLn.Close()
		s.serving.Wait()
		s.releaseUDP()
		s.state = stateClosed
		return failed
	}

	s.addr = pc.LocalAddr().String()
	s.state = stateRunning
	return nil
}

func (s *Server) serve(srv *mdns.Server, errc chan<- error) {
	s.serving.Add(1)
	go func() {
		defer s.serving.Done()
		errc <- srv.ActivateAndServe()
	}()
}

func listenAt(addr string) (net.PacketConn, net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return nil, nil, fmt.Errorf("fakes/dns: %q is not a loopback host:port", addr)
	}
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("fakes/dns: listen udp: %w", err)
	}
	ln, err := net.Listen("tcp", pc.LocalAddr().String())
	if err != nil {
		_ = pc.Close()
		return nil, nil, fmt.Errorf("fakes/dns: listen tcp: %w", err)
	}
	return pc, ln, nil
}

// listenPair finds a port free for both UDP and TCP on host.
func listenPair(host string) (net.PacketConn, net.Listener, error) {
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, nil, fmt.Errorf("fakes/dns: %q is not a loopback address", host)
	}
	var lastErr error
	for range listenAttempts {
		pc, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, nil, fmt.Errorf("fakes/dns: listen udp: %w", err)
		}
		port := pc.LocalAddr().(*net.UDPAddr).Port
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err == nil {
			return pc, ln, nil
		}
		lastErr = err
		_ = pc.Close()
	}
	return nil, nil, fmt.Errorf("fakes/dns: no port free on both udp and tcp after %d attempts: %w", listenAttempts, lastErr)
}

// Addr returns "127.0.0.1:PORT", valid for both UDP and TCP, or "" before
// Start.
func (s *Server) Addr() string {
	s.life.Lock()
	defer s.life.Unlock()
	return s.addr
}

// Close stops both transports and waits until every serving goroutine has
// returned. It may be called more than once, and before Start; only the
// first call that stops a running server can return an error.
func (s *Server) Close() error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.state != stateRunning {
		s.state = stateClosed
		return nil
	}
	s.state = stateClosed
	close(s.closing)

	// miekg's Shutdown unblocks reads but not a write stuck on a client
	// that reads nothing, so the connections are cut while it waits.
	tcpDone := make(chan error, 1)
	go func() { tcpDone <- s.tcp.Shutdown() }()
	s.tcpLn.closeConns()
	err := errors.Join(s.udp.Shutdown(), <-tcpDone)
	s.serving.Wait()
	s.releaseUDP()
	// Each serving goroutine has sent exactly once by now; a non-nil value
	// means a transport died while the server was meant to be running.
	if e := <-s.udpErr; e != nil {
		err = errors.Join(err, fmt.Errorf("fakes/dns: udp: %w", e))
	}
	if e := <-s.tcpErr; e != nil {
		err = errors.Join(err, fmt.Errorf("fakes/dns: tcp: %w", e))
	}
	return err
}

// tcpListener hands miekg connections whose writes time out, within the
// connection cap, and lets Close cut them.
type tcpListener struct {
	*conns.Listener
	writeTimeout time.Duration
}

func (l *tcpListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &tcpConn{Conn: c, writeTimeout: l.writeTimeout}, nil
}

// closeConns closes every connection accepted so far, and every one
// accepted from now on.
func (l *tcpListener) closeConns() { l.Listener.CloseConns() }

type tcpConn struct {
	net.Conn
	writeTimeout time.Duration
}

// Write gives up after the write timeout and then closes the connection:
// miekg ignores a failed write and would go on reading the next query of a
// client that reads nothing, blocking again on its answer.
func (c *tcpConn) Write(b []byte) (int, error) {
	if err := c.Conn.SetWriteDeadline(time.Now().Add(c.writeTimeout)); err != nil {
		return 0, err
	}
	n, err := c.Conn.Write(b)
	if err != nil {
		_ = c.Close()
	}
	return n, err
}
