package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/renewsim/renewsim/fakes/acmapi"
	"github.com/renewsim/renewsim/fakes/httpd"
	"github.com/renewsim/renewsim/fakes/route53"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

var serveDoc = commandDoc{
	name:    "serve",
	args:    "[flags] SCENARIO",
	purpose: "run one scenario on an accelerated clock with every fake reachable",
	about: `Runs one scenario on an accelerated clock with every fake reachable:
dig the DNS server, read the mail sink, openssl s_client a resource, call
the ACM and Route 53 APIs with the AWS SDK or CLI, and step the clock
through the control API. Ctrl-C (SIGINT) or SIGTERM stops everything.

Every address must be a loopback IP and port (port 0 picks a free one),
and no two may be the same. See docs/serve.md.`,
}

// serveConfig is what the serve command was asked for.
type serveConfig struct {
	dns, smtp, approval, acm, route53, control string
	// privateZones are private hosted zones the Route 53 API lists
	// beside the DNS server's public ones.
	privateZones []string
	// throttle is the AWS APIs' request rate limit a second (0: none);
	// deny the "service:Operation" actions they refuse.
	throttle               float64
	deny                   map[string][]string // service -> operations
	speed                  float64
	seed                   *uint64
	eventbridgeURL, events string
	tick                   time.Duration
	// maxConns bounds the connections each listener holds at once (0:
	// the fakes' defaults); tests set it to reach the caps cheaply.
	maxConns int
}

// server is a running serve session.
type server struct {
	live    *simrun.Live
	acm     *acmapi.Server
	route53 *route53.Server
	control *httpd.Server
	ctlAddr string
	done    chan struct{}
	errc    chan error
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// main stops on SIGINT; a service manager or container runtime stops
	// with SIGTERM, and serve must close its listeners then too.
	ctx, stopSignals := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stopSignals()
	fs := commandFlags(&serveDoc, stderr)
	var cfg serveConfig
	fs.StringVar(&cfg.dns, "dns", "127.0.0.1:5353", "listen for DNS on `ADDR` (UDP and TCP)")
	fs.StringVar(&cfg.smtp, "smtp", "127.0.0.1:2525", "listen for SMTP (the mail sink) on `ADDR`")
	fs.StringVar(&cfg.approval, "approval", "127.0.0.1:8025", "serve the approval pages on `ADDR`")
	fs.StringVar(&cfg.acm, "acm-api", "127.0.0.1:4566", "serve the ACM API (awsJson1_1) on `ADDR`")
	deprecated(fs, "acm", "acm-api", false) // -acm is check's input path
	fs.StringVar(&cfg.route53, "route53-api", "127.0.0.1:4567", "serve the Route 53 API (REST/XML) on `ADDR`, over the DNS server's zones")
	privateZones := fs.String("private-zones", "", "also list these comma-separated `ZONES` as Route 53 private hosted zones")
	fs.Float64Var(&cfg.throttle, "throttle", 0, "answer the AWS APIs' requests beyond `N` a second with a throttling error (ACM: per operation and region; Route 53: per account)")
	denyText := fs.String("deny", "", "answer these comma-separated `ACTIONS` with AccessDenied, e.g. acm:ListCertificates,route53:ListResourceRecordSets")
	fs.StringVar(&cfg.control, "control", "127.0.0.1:8080", "serve the control API on `ADDR`")
	fs.Float64Var(&cfg.speed, "speed", 3600, "run `N` virtual seconds per wall-clock second (0: paused; step with POST /advance)")
	seedText := fs.String("seed", "", "replace the scenario's seed with `N`")
	fs.StringVar(&cfg.eventbridgeURL, "eventbridge-url", "", "POST every EventBridge event to `URL`")
	fs.StringVar(&cfg.events, "events", "", "write the event log as JSON Lines to `FILE` as it grows")
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return usagef("serve: want exactly one scenario, got %d", len(rest))
	}
	if cfg.speed < 0 {
		return usagef("-speed must not be negative")
	}
	if cfg.throttle < 0 {
		return usagef("-throttle must not be negative")
	}
	if cfg.deny, err = parseDeny(*denyText); err != nil {
		return usagef("-deny: %v", err)
	}
	for _, z := range strings.Split(*privateZones, ",") {
		if z = strings.TrimSpace(z); z != "" {
			cfg.privateZones = append(cfg.privateZones, z)
		}
	}
	if err := checkAddrs(cfg.addrFlags()); err != nil {
		return err
	}
	if *seedText != "" {
		n, err := strconv.ParseUint(*seedText, 10, 64)
		if err != nil {
			return usagef("-seed: want an unsigned integer, got %q", *seedText)
		}
		cfg.seed = &n
	}
	scs, err := loadAll(rest)
	if err != nil {
		return err
	}
	cfg.tick = 100 * time.Millisecond
	s, err := startServer(ctx, scs[0], cfg, stderr)
	if err != nil {
		return err
	}
	printAddrs(stdout, s, cfg)
	<-ctx.Done()
	return s.stop()
}

func printAddrs(w io.Writer, s *server, cfg serveConfig) {
	dns, smtp, appr, res := s.live.Addrs()
	sc := s.live.Scenario()
	fmt.Fprintf(w, "renewsim serve %s (profile %s), virtual time %s, speed %gx\n", sc.Name, sc.ProfileName, s.live.Now().UTC().Format(time.RFC3339), cfg.speed)
	fmt.Fprintf(w, "  DNS       %s   dig @%s -p %s <name> CNAME\n", dns, host(dns), port(dns))
	fmt.Fprintf(w, "  SMTP      %s\n", smtp)
	fmt.Fprintf(w, "  approval  %s\n", appr)
	fmt.Fprintf(w, "  ACM API   %s   aws acm list-certificates --endpoint-url %s --region %s\n", s.acm.URL(), s.acm.URL(), sc.Profile.Region)
	fmt.Fprintf(w, "  Route 53  %s   aws route53 list-hosted-zones --endpoint-url %s\n", s.route53.URL(), s.route53.URL())
	fmt.Fprintf(w, "  control   http://%s   (GET /now, POST /advance?d=24h, POST /timeline, GET /mail)\n", s.ctlAddr)
	// The chains look like Amazon's; say where they come from before
	// anyone pastes one into a ticket.
	fmt.Fprintf(w, "  TLS       certificates from simulated CAs named like Amazon's (roots: OU=renewsim simulator); trusted nowhere else\n")
	for _, r := range res {
		fmt.Fprintf(w, "  resource  %-12s https://%s  http://%s\n", r.ID, r.TLS, r.HTTP)
	}
}

func host(addr string) string { h, _, _ := net.SplitHostPort(addr); return h }
func port(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }

// addrFlag is one of serve's address flags and its value.
type addrFlag struct{ name, addr string }

// addrFlags are serve's address flags, in the order their servers start.
func (cfg serveConfig) addrFlags() []addrFlag {
	return []addrFlag{{"dns", cfg.dns}, {"smtp", cfg.smtp}, {"approval", cfg.approval}, {"acm-api", cfg.acm}, {"route53-api", cfg.route53}, {"control", cfg.control}}
}

// checkAddrs refuses, before anything starts, an address that is not a
// loopback IP and port, and two flags asking for the same port: the second
// server would fail to start after the first had.
func checkAddrs(flags []addrFlag) error {
	seen := map[string]string{}
	for _, f := range flags {
		host, portText, err := net.SplitHostPort(f.addr)
		ip := net.ParseIP(host)
		if err != nil || ip == nil || !ip.IsLoopback() {
			return usagef("-%s %s: want a loopback IP address and port, such as 127.0.0.1:0", f.name, f.addr)
		}
		port, err := strconv.ParseUint(portText, 10, 16)
		if err != nil {
			return usagef("-%s %s: want a port number from 0 to 65535, got %q", f.name, f.addr, portText)
		}
		if port == 0 {
			continue
		}
		key := net.JoinHostPort(ip.String(), strconv.FormatUint(port, 10))
		if other, ok := seen[key]; ok {
			return usagef("-%s and -%s both ask for %s", other, f.name, key)
		}
		seen[key] = f.name
	}
	return nil
}

// flagged names the address flag behind a failure to listen, so that the
// message says what to change.
func flagged(err error, flags []addrFlag) error {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "listen" || op.Addr == nil {
		return err
	}
	for _, f := range flags {
		if !sameAddr(f.addr, op.Addr.String()) {
			continue
		}
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("-%s %s: the address is in use (another renewsim serve?); pick another port with -%s: %w", f.name, f.addr, f.name, err)
		}
		return fmt.Errorf("-%s %s: %w", f.name, f.addr, err)
	}
	return err
}

func sameAddr(a, b string) bool {
	ah, ap, err1 := net.SplitHostPort(a)
	bh, bp, err2 := net.SplitHostPort(b)
	return err1 == nil && err2 == nil && ap == bp && net.ParseIP(ah).Equal(net.ParseIP(bh))
}

// controlBusy is what a client of the control API beyond its connection
// cap gets, with a 503: the API's own error shape.
const controlBusy = `{"error": "too many connections to the control API; try again shortly"}` + "\n"

// startServer starts the fakes, the ACM API, the control API and the clock.
// When one of them cannot start, those already started are closed again,
// and the error names the address flag to change.
func startServer(ctx context.Context, sc *sim.Scenario, cfg serveConfig, stderr io.Writer) (*server, error) {
	flags := cfg.addrFlags()
	live, err := simrun.StartLive(ctx, sc, simrun.Options{Seed: cfg.seed}, simrun.Addrs{DNS: cfg.dns, SMTP: cfg.smtp, Approval: cfg.approval, MaxConns: cfg.maxConns})
	if err != nil {
		return nil, flagged(err, flags)
	}
	s := &server{live: live, done: make(chan struct{}), errc: make(chan error, 1)}
	s.acm = acmapi.New(acmapi.Config{Backend: simrun.NewACMBackend(live), Addr: cfg.acm, MaxConns: cfg.maxConns,
		Region: sc.Profile.Region, RateLimit: cfg.throttle, Deny: cfg.deny["acm"], Account: sc.Profile.Account})
	if err := s.acm.Start(); err != nil {
		live.Close()
		return nil, flagged(fmt.Errorf("ACM API: %w", err), flags)
	}
	r53, err := simrun.NewRoute53Backend(live, cfg.privateZones)
	if err != nil {
		s.acm.Close()
		live.Close()
		return nil, usagef("-private-zones: %v", err)
	}
	s.route53 = route53.New(route53.Config{Backend: r53, Addr: cfg.route53, MaxConns: cfg.maxConns,
		RateLimit: cfg.throttle, Deny: cfg.deny["route53"], Account: sc.Profile.Account})
	if err := s.route53.Start(); err != nil {
		s.acm.Close()
		live.Close()
		return nil, flagged(fmt.Errorf("the Route 53 API: %w", err), flags)
	}
	// The control API gets the fakes' server, timeouts and connection cap:
	// a request must arrive within 30 s, an idle connection lasts 2 min,
	// and a stalled client holds stop up for a few seconds at most.
	s.control = httpd.New(httpd.Config{Name: "control API", Handler: simrun.ControlHandler(live), Addr: cfg.control,
		MaxConns: cfg.maxConns, BusyType: "application/json", BusyBody: controlBusy})
	if err := s.control.Start(); err != nil {
		s.route53.Close()
		s.acm.Close()
		live.Close()
		return nil, flagged(err, flags)
	}
	s.ctlAddr = s.control.Addr()
	go func() {
		defer close(s.done)
		s.clock(ctx, cfg, stderr)
	}()
	return s, nil
}

// clock moves virtual time with the wall clock at cfg.speed and hands new
// entries to the event outputs.
func (s *server) clock(ctx context.Context, cfg serveConfig, stderr io.Writer) {
	var out io.WriteCloser
	if cfg.events != "" {
		f, err := os.Create(cfg.events)
		if err != nil {
			fmt.Fprintln(stderr, "renewsim: -events:", err)
		} else {
			out = f
			defer f.Close()
		}
	}
	var fwd *simrun.Forwarder
	if cfg.eventbridgeURL != "" {
		fwd = &simrun.Forwarder{URL: cfg.eventbridgeURL, Client: &http.Client{Timeout: 10 * time.Second},
			Retries: 5, Backoff: 500 * time.Millisecond, Sleep: time.Sleep, Warn: stderr}
	}
	name := s.live.Scenario().Name
	next := 0
	flush := func() {
		entries := s.live.Entries(next)
		next += len(entries)
		if out != nil {
			_ = report.WriteEventLines(out, name, entries)
		}
		if fwd != nil {
			_ = fwd.Forward(ctx, entries)
		}
	}
	start, virt := time.Now(), s.live.Now()
	ticker := time.NewTicker(cfg.tick)
	defer ticker.Stop()
	flush()
	for {
		select {
		case <-ctx.Done():
			flush()
			return
		case <-ticker.C:
		}
		if cfg.speed > 0 {
			elapsed := time.Since(start)
			target := virt.Add(time.Duration(float64(elapsed) * cfg.speed))
			if err := s.live.AdvanceTo(target); err != nil {
				select {
				case s.errc <- err:
				default:
				}
			}
		}
		flush()
	}
}

// stop shuts everything down and waits for it. Control requests in flight
// get a few seconds to finish; then their connections are cut.
func (s *server) stop() error {
	err := s.control.Close()
	<-s.done
	err = errors.Join(err, s.route53.Close(), s.acm.Close(), s.live.Close())
	select {
	case e := <-s.errc:
		err = errors.Join(err, e)
	default:
	}
	return err
}

// awsServices are the services serve answers and their operations, for
// -deny.
var awsServices = map[string][]string{"acm": acmapi.Operations(), "route53": route53.Operations()}

// parseDeny reads -deny: comma-separated IAM action names of the APIs
// serve answers, "service:Operation" or "service:*".
func parseDeny(list string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		svc, op, ok := strings.Cut(item, ":")
		ops, known := awsServices[strings.ToLower(svc)]
		if !ok || !known {
			return nil, fmt.Errorf("%q: want service:Operation, such as acm:ListCertificates or route53:ListResourceRecordSets", item)
		}
		if op != "*" && !slices.ContainsFunc(ops, func(o string) bool { return strings.EqualFold(o, op) }) {
			return nil, fmt.Errorf("%q: serve's %s API has no operation %q (it has %s)", item, svc, op, strings.Join(ops, ", "))
		}
		out[strings.ToLower(svc)] = append(out[strings.ToLower(svc)], op)
	}
	return out, nil
}
