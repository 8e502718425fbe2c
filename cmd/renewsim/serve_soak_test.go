package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	gosmtp "github.com/emersion/go-smtp"
	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/scenarios"
)

// The soak test runs a fixed number of hostile operations, a seeded mix,
// against every listener of `renewsim serve` at once, while idle clients
// hold half of every listener's places; then it lets go and checks that
// correct clients are answered correctly, that nothing was smuggled into
// the mail sink, and that goroutines and RSS are back under a bound.
//
// It counts operations, not time, so it does the same work on a fast and a
// slow machine. By default it is short enough for CI under -race (a few
// seconds); to run it longer, set RENEWSIM_SOAK_OPS:
//
//	RENEWSIM_SOAK_OPS=200000 go test ./cmd/renewsim -run TestServeSoak -v
//
// Figures (connections held, answers per second, RSS) come from
// BenchmarkServeUnderFlood, not from this test.

// soakOpsEnv names the environment variable that sets the number of
// hostile operations.
const soakOpsEnv = "RENEWSIM_SOAK_OPS"

const (
	defaultSoakOps = 1500
	// soakCap is every listener's connection cap in the soak test: low, so
	// that a few dozen idle clients reach it.
	soakCap = 16
	// soakWorkers run the hostile operations side by side.
	soakWorkers = 8
	// soakDeadline bounds every connection a hostile operation opens.
	soakDeadline = 3 * time.Second
	// goroutineSlack and rssSlack are how far above their level before the
	// soak goroutines and RSS may stay once the hostile clients are gone:
	// the fakes keep bounded records of what they saw, and the runtime
	// keeps some memory it grew into. Under the race detector, whose shadow
	// memory is not given back, RSS may stay higher.
	goroutineSlack = 25
	rssSlack       = 48 << 20
	rssSlackRace   = 320 << 20
)

// target is what a hostile operation aims at.
type target struct {
	dns, smtp, approval, acm, route53, control, tls, web string
}

func soakOps(t *testing.T) int {
	text := os.Getenv(soakOpsEnv)
	if text == "" {
		return defaultSoakOps
	}
	n, err := strconv.Atoi(text)
	require.NoError(t, err, "%s=%q: want a number of operations", soakOpsEnv, text)
	return n
}

func TestServeSoak(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) }) // runs last
	sc, err := scenarios.LoadLibrary("dns-happy")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cfg := freeConfig()
	cfg.maxConns = soakCap
	s, err := startServer(ctx, sc, cfg, io.Discard)
	require.NoError(t, err)
	t.Cleanup(func() {
		cancel()
		require.NoError(t, s.stop())
	})
	tg := soakTarget(s)
	check := correctClients(t, s, tg)
	check()

	settle()
	goroutinesBefore, rssBefore := runtime.NumGoroutine(), rss()

	// Idle clients take half of every TCP listener's places for the whole
	// soak; the hostile operations fight over the rest, and overflow.
	var holders []net.Conn
	for _, addr := range tg.tcp() {
		for range soakCap / 2 {
			c, err := dialHostile(addr)
			require.NoError(t, err)
			holders = append(holders, c)
		}
	}

	ops := soakOps(t)
	var next atomic.Int64
	var done [len(hostile)]atomic.Int64
	var wg sync.WaitGroup
	for w := range soakWorkers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 16))
			for next.Add(1) <= int64(ops) {
				k := rng.IntN(len(hostile))
				hostile[k].run(tg, rng)
				done[k].Add(1)
			}
		})
	}
	wg.Wait()
	for _, c := range holders {
		_ = c.Close()
	}
	for k, h := range hostile {
		t.Logf("%-28s %d", h.name, done[k].Load())
	}

	// Correct clients are answered correctly, and the oversized bodies
	// smuggled nothing in.
	check()
	for _, m := range s.live.Messages() {
		require.NotEqual(t, "evil@example.net", m.From, "a smuggled message reached the sink")
	}

	// Goroutines end once their clients are gone, and memory goes back.
	var goroutines int
	require.Eventually(t, func() bool {
		goroutines = runtime.NumGoroutine()
		return goroutines <= goroutinesBefore+goroutineSlack
	}, 30*time.Second, 50*time.Millisecond, "goroutines: %d before the soak, %d after", goroutinesBefore, goroutines)
	settle()
	rssAfter := rss()
	t.Logf("%d operations; goroutines %d before, %d after; RSS %d MiB before, %d MiB after",
		ops, goroutinesBefore, goroutines, rssBefore>>20, rssAfter>>20)
	if slack := int64(rssSlack); rssBefore > 0 {
		if raceEnabled {
			slack = rssSlackRace
		}
		assert.LessOrEqual(t, rssAfter, rssBefore+slack, "RSS after the soak")
	}
}

func soakTarget(s *server) target {
	dns, smtp, appr, res := s.live.Addrs()
	return target{dns: dns, smtp: smtp, approval: strings.TrimPrefix(appr, "http://"),
		acm: strings.TrimPrefix(s.acm.URL(), "http://"), route53: strings.TrimPrefix(s.route53.URL(), "http://"),
		control: s.ctlAddr, tls: res[0].TLS, web: res[0].HTTP}
}

// tcp lists every TCP listener of the target.
func (tg target) tcp() []string {
	return []string{tg.dns, tg.smtp, tg.approval, tg.acm, tg.route53, tg.control, tg.tls, tg.web}
}

// correctClients returns a check that a well-behaved client of every
// listener gets the right answer. Each retries briefly: right after a
// flood, a place may still be freeing.
func correctClients(t *testing.T, s *server, tg target) func() {
	views := s.live.View()
	require.NotEmpty(t, views)
	record := views[0].NameStatus[0].Record
	require.NotEmpty(t, record)
	hc := &http.Client{Timeout: soakDeadline, Transport: &http.Transport{DisableKeepAlives: true,
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	client := acm.New(acm.Options{BaseEndpoint: aws.String(s.acm.URL()), Region: "us-east-1", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), HTTPClient: hc})
	zones := r53.New(r53.Options{BaseEndpoint: aws.String(s.route53.URL()), Region: "us-east-1", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), HTTPClient: hc})
	eventually := func(what string, ok func() error) {
		t.Helper()
		var err error
		require.Eventually(t, func() bool { err = ok(); return err == nil }, 20*time.Second, 20*time.Millisecond, "%s: %v", what, err)
	}
	status := func(url string, want int) func() error {
		return func() error {
			resp, err := hc.Get(url)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				return fmt.Errorf("status %d, want %d", resp.StatusCode, want)
			}
			return nil
		}
	}
	sent := 0
	return func() {
		t.Helper()
		for _, proto := range []string{"udp", "tcp"} {
			eventually("DNS over "+proto, func() error {
				c := &mdns.Client{Net: proto, Timeout: soakDeadline}
				r, _, err := c.Exchange(new(mdns.Msg).SetQuestion(record, mdns.TypeCNAME), tg.dns)
				if err == nil && (r.Rcode != mdns.RcodeSuccess || len(r.Answer) != 1) {
					err = fmt.Errorf("answer %v", r)
				}
				return err
			})
		}
		eventually("SMTP", func() error {
			c, err := gosmtp.Dial(tg.smtp)
			if err != nil {
				return err
			}
			defer c.Close()
			body := "From: a@example.com\r\nSubject: check\r\n\r\nhello\r\n"
			if err := c.SendMail("a@example.com", []string{"admin@example.com"}, strings.NewReader(body)); err != nil {
				return err
			}
			sent++
			return nil
		})
		assert.Len(t, s.live.Messages(), sent, "every correct message stored")
		eventually("approval", status("http://"+tg.approval+"/approvals?code=nope&context=nope", http.StatusNotFound))
		eventually("control", status("http://"+tg.control+"/now", http.StatusOK))
		eventually("resource HTTPS", status("https://"+tg.tls+"/", http.StatusOK))
		eventually("resource HTTP", status("http://"+tg.web+"/nothing", http.StatusNotFound))
		eventually("ACM API", func() error {
			out, err := client.ListCertificates(context.Background(), &acm.ListCertificatesInput{})
			if err == nil && len(out.CertificateSummaryList) != 1 {
				err = fmt.Errorf("%d certificates", len(out.CertificateSummaryList))
			}
			return err
		})
		eventually("Route 53 API", func() error {
			out, err := zones.ListHostedZones(context.Background(), &r53.ListHostedZonesInput{})
			if err != nil {
				return err
			}
			if len(out.HostedZones) != 1 {
				return fmt.Errorf("%d zones", len(out.HostedZones))
			}
			sets, err := zones.ListResourceRecordSets(context.Background(), &r53.ListResourceRecordSetsInput{HostedZoneId: out.HostedZones[0].Id})
			if err == nil && len(sets.ResourceRecordSets) != 3 {
				err = fmt.Errorf("%d record sets, want SOA, NS and the validation CNAME", len(sets.ResourceRecordSets))
			}
			return err
		})
	}
}

// hostile is the mix: each operation opens its own connections with a
// deadline, does one bad thing, and closes them.
var hostile = [...]struct {
	name string
	run  func(target, *rand.Rand)
}{
	{"dns: garbage datagram", func(tg target, rng *rand.Rand) {
		b := make([]byte, 1+rng.IntN(600))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		udp(tg.dns, b)
	}},
	{"dns: query flood", func(tg target, rng *rand.Rand) {
		c := &mdns.Client{Net: "udp", Timeout: soakDeadline}
		m := new(mdns.Msg).SetQuestion(fmt.Sprintf("nx%d.example.com.", rng.IntN(1000)), mdns.TypeA)
		_, _, _ = c.Exchange(m, tg.dns)
	}},
	{"dns: outside, AXFR, EDNS 1", func(tg target, rng *rand.Rand) {
		c := &mdns.Client{Net: "tcp", Timeout: soakDeadline}
		for _, m := range []*mdns.Msg{
			new(mdns.Msg).SetQuestion("www.google.com.", mdns.TypeA),
			new(mdns.Msg).SetAxfr("example.com."),
			new(mdns.Msg).SetQuestion("example.com.", mdns.TypeSOA).SetEdns0(4096, true),
		} {
			if rng.IntN(2) == 0 {
				m.SetEdns0(1232, false).IsEdns0().SetVersion(1)
			}
			_, _, _ = c.Exchange(m, tg.dns)
		}
	}},
	{"dns: tcp length then stall", func(tg target, _ *rand.Rand) {
		raw(tg.dns, []byte{0, 200, 1, 2}, false)
	}},
	{"smtp: smuggling after 552", func(tg target, _ *rand.Rand) {
		evil := strings.Repeat(".\r\nMAIL FROM:<evil@example.net>\r\nRCPT TO:<admin@example.com>\r\nDATA\r\nSubject: injected\r\n\r\nx\r\n.\r\n", 20)
		raw(tg.smtp, []byte("EHLO x\r\nMAIL FROM:<a@example.com> SIZE=20000000\r\n"+evil+"QUIT\r\n"), true)
	}},
	{"smtp: long line, then more", func(tg target, _ *rand.Rand) {
		raw(tg.smtp, []byte("EHLO x\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<admin@example.com>\r\nDATA\r\nSubject: x\r\n\r\n"+
			strings.Repeat("y", 5000)+"\r\n.\r\nMAIL FROM:<evil@example.net>\r\n"), true)
	}},
	{"smtp: 300 RCPT TO", func(tg target, _ *rand.Rand) {
		var b strings.Builder
		b.WriteString("EHLO x\r\nMAIL FROM:<a@example.com>\r\n")
		for i := range 300 {
			fmt.Fprintf(&b, "RCPT TO:<u%d@example.com>\r\n", i)
		}
		b.WriteString("QUIT\r\n")
		raw(tg.smtp, []byte(b.String()), true)
	}},
	{"approval: forged and traversal", func(tg target, rng *rand.Rand) {
		paths := []string{"/approvals?code=forged&context=x", "/approvals/../approvals", "//approvals", "/approvals%00"}
		raw(tg.approval, []byte("GET "+paths[rng.IntN(len(paths))]+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), true)
	}},
	{"approval: body beyond the form cap", func(tg target, _ *rand.Rand) {
		body := strings.Repeat("a", 100<<10)
		raw(tg.approval, []byte(fmt.Sprintf("POST /approvals HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)), true)
	}},
	{"acm: deep JSON, big body", func(tg target, rng *rand.Rand) {
		body := strings.Repeat("[", 20000)
		if rng.IntN(4) == 0 {
			body = `{"CertificateArn":"` + strings.Repeat("x", 2<<20) + `"}`
		}
		raw(tg.acm, []byte(fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: CertificateManager.DescribeCertificate\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)), true)
	}},
	{"route53: bad XML, big body, no such zone", func(tg target, rng *rand.Rand) {
		var req string
		switch rng.IntN(3) {
		case 0:
			body := strings.Repeat("<a>", 20000)
			req = fmt.Sprintf("POST /2013-04-01/hostedzone/ZNOPE/rrset HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
		case 1:
			req = fmt.Sprintf("POST /2013-04-01/hostedzone/ZNOPE/rrset HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", 9<<20)
		default:
			req = "GET /2013-04-01/hostedzone/../change/x?maxitems=-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
		}
		raw(tg.route53, []byte(req), true)
	}},
	{"control: bad input", func(tg target, rng *rand.Rand) {
		reqs := []string{"POST /advance?d=1h1h", "POST /advance?d=1h;2h", "GET /mail/abc", "POST /mail/0/click", "GET /events?from=x"}
		raw(tg.control, []byte(reqs[rng.IntN(len(reqs))]+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), true)
	}},
	{"tls: garbage and half handshakes", func(tg target, rng *rand.Rand) {
		if rng.IntN(2) == 0 {
			raw(tg.tls, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), true)
			return
		}
		raw(tg.tls, []byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01}, false)
	}},
	{"web: slow and odd requests", func(tg target, rng *rand.Rand) {
		if rng.IntN(2) == 0 {
			raw(tg.web, []byte("GET /"+strings.Repeat("a", 4000)+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), true)
			return
		}
		raw(tg.web, []byte("GET / HTTP/1.1\r\nHost: x\r\n"), false)
	}},
	{"every listener: a crowd", func(tg target, rng *rand.Rand) {
		addrs := tg.tcp()
		addr := addrs[rng.IntN(len(addrs))]
		var cs []net.Conn
		for range soakCap {
			if c, err := dialHostile(addr); err == nil {
				cs = append(cs, c)
			}
		}
		for _, c := range cs {
			_ = c.Close()
		}
	}},
}

// udp sends one datagram and does not wait for an answer.
func udp(addr string, b []byte) {
	c, err := net.Dial("udp", addr)
	if err != nil {
		return
	}
	defer c.Close()
	_, _ = c.Write(b)
}

// dialHostile opens a hostile client's connection. It is reset, not
// closed, when the client leaves, so that a long soak does not run the
// loopback interface out of ports with connections in TIME_WAIT.
func dialHostile(addr string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, soakDeadline)
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	return c, err
}

// raw sends b over TCP; with wait, it reads until the server hangs up (or
// the deadline), otherwise it leaves at once.
func raw(addr string, b []byte, wait bool) {
	c, err := dialHostile(addr)
	if err != nil {
		return
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(soakDeadline))
	go func() { _, _ = c.Write(b) }()
	if wait {
		_, _ = io.Copy(io.Discard, bufio.NewReader(c))
	}
}

// settle collects garbage and hands free memory back, so that RSS says
// what is in use.
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// rss is the process's resident set size in bytes, or 0 where
// /proc/self/statm does not exist.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// BenchmarkServeUnderFlood holds as many idle connections to every TCP
// listener of `renewsim serve` as each admits (the default caps) plus as
// many again, which are refused, and measures how fast the DNS server
// answers a correct client meanwhile. It reports the connections held and
// refused, the answers per second, and RSS before the flood, while it is
// held, and after it left.
//
//	go test ./cmd/renewsim -run '^$' -bench ServeUnderFlood -benchtime 20000x
func BenchmarkServeUnderFlood(b *testing.B) {
	sc, err := scenarios.LoadLibrary("dns-happy")
	require.NoError(b, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := startServer(ctx, sc, freeConfig(), io.Discard)
	require.NoError(b, err)
	defer func() {
		cancel()
		_ = s.stop()
	}()
	tg := soakTarget(s)
	addrs := tg.tcp()
	// Each listener admits 512 by default; the client side of every
	// connection is a descriptor of this process too.
	perListener := min(1024, (openFileLimit()-2000)/(2*len(addrs)))
	settle()
	rssBefore := rss()

	var mu sync.Mutex
	var flood []net.Conn
	var wg sync.WaitGroup
	for _, addr := range addrs {
		wg.Go(func() {
			for range perListener {
				c, err := net.DialTimeout("tcp", addr, soakDeadline)
				if err != nil {
					continue
				}
				mu.Lock()
				flood = append(flood, c)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// A connection still open after a second and a half is held; a refused
	// one has been answered (421, 503) or closed by then.
	var held atomic.Int64
	for _, c := range flood {
		wg.Go(func() {
			_ = c.SetReadDeadline(time.Now().Add(1500 * time.Millisecond))
			_, err := c.Read(make([]byte, 1))
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				held.Add(1)
			}
		})
	}
	wg.Wait()
	rssHeld := rss()

	c := &mdns.Client{Net: "udp", Timeout: soakDeadline}
	conn, err := c.Dial(tg.dns)
	require.NoError(b, err)
	defer conn.Close()
	q := new(mdns.Msg).SetQuestion("example.com.", mdns.TypeSOA)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		r, _, err := c.ExchangeWithConn(q, conn)
		if err != nil || len(r.Answer) != 1 {
			b.Fatalf("answer %v, %v", r, err)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()

	goroutines := runtime.NumGoroutine()
	for _, c := range flood {
		_ = c.Close()
	}
	// Let the servers see the clients leave.
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > goroutines-int(held.Load()) && time.Now().Before(deadline); {
		runtime.Gosched()
	}
	settle()
	b.ReportMetric(float64(held.Load()), "conns-held")
	b.ReportMetric(float64(int64(len(flood))-held.Load()), "conns-refused")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "answers/s")
	b.ReportMetric(float64(rssBefore)/(1<<20), "rss-before-MiB")
	b.ReportMetric(float64(rssHeld)/(1<<20), "rss-held-MiB")
	b.ReportMetric(float64(rss())/(1<<20), "rss-after-MiB")
}
