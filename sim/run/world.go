package run

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/jonboulle/clockwork"
	mdns "github.com/miekg/dns"

	"github.com/renewsim/renewsim/fakes/approval"
	fakedns "github.com/renewsim/renewsim/fakes/dns"
	fakesmtp "github.com/renewsim/renewsim/fakes/smtp"
	faketls "github.com/renewsim/renewsim/fakes/tls"
	"github.com/renewsim/renewsim/fakes/web"
	"github.com/renewsim/renewsim/sim"
)

// world is the fakes of one run and the real clients that talk to them.
type world struct {
	// initial are the scenario's DNS records as Check parsed them, by
	// their text (parseRecords).
	initial map[string][]mdns.RR
	ctx     context.Context
	sc      *sim.Scenario

	dns     *fakedns.Server
	dnsc    *mdns.Client
	dnsConn *mdns.Conn

	sink     *fakesmtp.Sink
	smtpc    *gosmtp.Client
	approval *approval.Server
	hc       *http.Client // approval clicks and HTTP validation

	clock  *swapClock
	cas    map[uint64]*faketls.CA // per seed
	ca     *faketls.CA
	iss    *issuers // a live run's ACM-shaped CAs (issuers.go)
	seed   uint64
	tls    []*faketls.Endpoint // per resource
	http   []*web.Server       // per resource, plain HTTP side
	up     []bool              // per resource: its listeners are started
	byIP   map[string]int      // resource address -> index
	leaves map[leafKey]*faketls.Leaf

	// eager: every fake reflects every change as it happens (live runs,
	// the every-attempt mode); see resources.go.
	eager      bool
	served     []sim.Deploy // per resource: what the model deployed there
	realized   []leafKey    // per resource: what its endpoint really serves
	webVersion []uint64     // per resource: bumped on every change of its HTTP side

	queries int
	addrs   Addrs // where a live world's fakes listen; "" = a free port
	live    bool  // people watch these fakes: every change shows at once

	// cache, when not nil, remembers answers until the zone changes: the
	// explicit fast mode (Options.CacheDNS).
	cache map[dnsKey]*mdns.Msg
	deps  map[string][]dnsKey // owner name -> cached answers it can change
	// With the cache on, whole answers too — a CNAME chain followed, a CAA
	// climb — forgotten when an answer they were made of can change
	// (zoneChanged; each memo's deps: owner name -> whole answers):
	// the hourly attempts of a failing renewal then cost one lookup each,
	// not one per name of the chain and of the climb. While one is found,
	// touched collects the owner names its queries depend on, and uncached
	// notes a query that bypassed the cache (a fault).
	cnameMemo memo[cnameMemoKey, sim.CNAMEAnswer]
	caaMemo   memo[string, sim.CAAAnswer]
	touched   []string
	uncached  bool
	finding   bool // a whole answer is being found: touch collects
	// probeCache, when not nil, remembers TLS probe verdicts
	// (Options.CacheProbes); probeMemo keeps them across runs of a worker,
	// proven the classes of verdict a real handshake proved per CA
	// (resources.go, derive); hostCheck is derive's scratch certificate,
	// of which only names and validity are read; peekMemo
	// and httpMemo remember the legacy probe's and HTTP validation's
	// answers within a run.
	probeCache map[probeKey]sim.TLSAnswer
	probeMemo  map[probeKey]sim.TLSAnswer
	proven     map[*faketls.CA]probeClass
	hostCheck  x509.Certificate
	peekMemo   map[peekKey]faketls.ProbeResult
	httpMemo   map[httpKey]sim.HTTPAnswer
	clicked    map[string]bool // approval codes this world's clicks approved

	// faults are the DNS faults in force (dnsfault.go): answers for the
	// names they cover are never cached, and queries go through ask's
	// hold-aware exchange.
	faults []faultSpot
	hold   holdState
	nextID uint16 // DNS message ids, sequential so that runs are alike
}

type dnsKey struct {
	name  string
	qtype uint16
}

func needsMail(sc *sim.Scenario) bool {
	for _, c := range sc.Certificates {
		if c.Validation == sim.ValidationEmail {
			return true
		}
	}
	return sc.Profile.InstructionEmailAfter > 0 || len(sc.Profile.InstructionEmailDays) > 0
}

// prepare makes w ready for a run of sc: it starts the fakes w lacks and
// resets the ones a previous run used, so a worker can run many scenarios
// on one set of servers.
func (w *world) prepare(ctx context.Context, sc *sim.Scenario, seed uint64, clock clockwork.Clock) (err error) {
	w.ctx, w.sc, w.queries, w.seed = ctx, sc, 0, seed
	if w.clock == nil {
		w.clock = &swapClock{}
	}
	w.clock.set(clock)
	if w.byIP == nil {
		w.byIP = map[string]int{}
		w.leaves = map[leafKey]*faketls.Leaf{}
		w.cas = map[uint64]*faketls.CA{}
		w.proven = map[*faketls.CA]probeClass{}
		w.peekMemo = map[peekKey]faketls.ProbeResult{}
		w.httpMemo = map[httpKey]sim.HTTPAnswer{}
	}
	clear(w.peekMemo)
	clear(w.httpMemo)
	if w.dns == nil {
		w.dns = fakedns.New(fakedns.Config{Addr: w.addrs.DNS, ZoneOf: zoneFor, MaxConns: w.addrs.MaxConns})
		if err = w.dns.Start(); err != nil {
			w.dns = nil
			return fmt.Errorf("start fake DNS: %w", err)
		}
		w.dns.SetHistory(false)
		w.dnsc = &mdns.Client{Net: "udp", Timeout: 5 * time.Second}
		if w.dnsConn, err = w.dnsc.Dial(w.dns.Addr()); err != nil {
			return fmt.Errorf("dial fake DNS: %w", err)
		}
	} else {
		w.dns.Reset()
	}
	if err = w.addZones(sc, seed); err != nil {
		return fmt.Errorf("fake DNS zones: %w", err)
	}
	if w.hc == nil {
		w.hc = &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport:     &http.Transport{DisableKeepAlives: true},
		}
	}
	if needsMail(sc) || w.addrs.Mail {
		if w.sink == nil {
			w.sink = fakesmtp.New(fakesmtp.Config{Clock: w.clock, Addr: w.addrs.SMTP, Limits: fakesmtp.Limits{MaxConns: w.addrs.MaxConns}})
			if err = w.sink.Start(); err != nil {
				w.sink = nil
				return fmt.Errorf("start SMTP sink: %w", err)
			}
			if w.smtpc, err = gosmtp.Dial(w.sink.Addr()); err != nil {
				return fmt.Errorf("dial SMTP sink: %w", err)
			}
			w.approval = approval.New(approval.Config{Clock: w.clock, Addr: w.addrs.Approval, MaxConns: w.addrs.MaxConns})
			if err = w.approval.Start(); err != nil {
				return fmt.Errorf("start approval endpoint: %w", err)
			}
		} else {
			w.sink.Reset()
			w.sink.ClearSwitches()
		}
		for _, mb := range sc.Mailboxes {
			if mb.Rejects {
				w.sink.RejectRecipient(mb.Address)
			}
		}
	}
	// One CA per seed, valid far beyond any scenario, so runs with the same
	// seed share it (and the certificates it issued).
	if w.ca = w.cas[seed]; w.ca == nil {
		caSeed := []byte(fmt.Sprintf("renewsim-ca/%d", seed))
		if w.ca, err = faketls.NewCA("renewsim simulator CA", caSeed, caNotBefore, caNotAfter); err != nil {
			return fmt.Errorf("simulator CA: %w", err)
		}
		w.cas[seed] = w.ca
		clear(w.leaves)
		clear(w.probeMemo) // verdicts were about another CA's certificates
	}
	if w.typed() && w.iss == nil {
		if w.iss, err = newIssuers(); err != nil {
			return err
		}
	}
	if err = w.prepareResources(sc); err != nil {
		return err
	}
	if w.cache != nil {
		clear(w.cache)
	}
	clear(w.deps)
	w.forgetMemos()
	clear(w.clicked)
	w.faults = w.faults[:0]
	w.nextID = 0
	return nil
}

// Addrs are where a live run's fakes listen ("" = a free port on
// 127.0.0.1). Mail starts the SMTP sink and approval endpoint even when no
// certificate is validated by e-mail, so people can look at them.
// MaxConns bounds the connections each of their listeners holds at once
// (0: the fakes' defaults).
type Addrs struct {
	DNS, SMTP, Approval string
	Mail                bool
	MaxConns            int
}

var (
	caNotBefore = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	caNotAfter  = time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC)
)

// leafKey is what a deployed certificate is made of: the same key, the
// same bytes.
type leafKey struct {
	serial              string
	names               string
	notBefore, notAfter int64
}

// swapClock is the clock the mail and approval fakes read: the virtual clock
// of whichever run the world currently serves.
type swapClock struct {
	cur atomic.Pointer[clockwork.Clock]
}

func (c *swapClock) set(k clockwork.Clock)                      { c.cur.Store(&k) }
func (c *swapClock) get() clockwork.Clock                       { return *c.cur.Load() }
func (c *swapClock) After(d time.Duration) <-chan time.Time     { return c.get().After(d) }
func (c *swapClock) Sleep(d time.Duration)                      { c.get().Sleep(d) }
func (c *swapClock) Now() time.Time                             { return c.get().Now() }
func (c *swapClock) Since(t time.Time) time.Duration            { return c.get().Since(t) }
func (c *swapClock) Until(t time.Time) time.Duration            { return c.get().Until(t) }
func (c *swapClock) NewTicker(d time.Duration) clockwork.Ticker { return c.get().NewTicker(d) }
func (c *swapClock) NewTimer(d time.Duration) clockwork.Timer   { return c.get().NewTimer(d) }
func (c *swapClock) AfterFunc(d time.Duration, f func()) clockwork.Timer {
	return c.get().AfterFunc(d, f)
}

func (w *world) close() {
	if w.smtpc != nil {
		_ = w.smtpc.Close()
		w.smtpc = nil
	}
	if w.sink != nil {
		_ = w.sink.Close()
		w.sink = nil
	}
	if w.hc != nil {
		w.hc.CloseIdleConnections()
	}
	if w.approval != nil {
		_ = w.approval.Close()
		w.approval = nil
	}
	for _, ep := range w.tls {
		_ = ep.Close()
	}
	for _, h := range w.http {
		_ = h.Close()
	}
	w.tls, w.http, w.up = nil, nil, nil
	clear(w.byIP)
	if w.dnsConn != nil {
		_ = w.dnsConn.Close()
		w.dnsConn = nil
	}
	w.hold.mu.Lock()
	w.hold.conn = nil
	w.hold.mu.Unlock()
	if w.dns != nil {
		_ = w.dns.Close()
		w.dns = nil
	}
}

// query asks the fake DNS server one question over the reused connection.
// With the cache on, an answer is reused until the zone changes at a name it
// depends on.
func (w *world) query(name string, qtype uint16) (*mdns.Msg, error) {
	key := dnsKey{mdns.CanonicalName(name), qtype}
	cacheable := w.cache != nil && !w.faulty(key.name)
	w.uncached = w.uncached || !cacheable
	if cacheable {
		if m, ok := w.cache[key]; ok {
			w.touch(key.name, m)
			return m, nil
		}
	}
	resp, err := w.ask(name, qtype)
	if err == nil && cacheable {
		w.cache[key] = resp
		w.dependsOn(key.name, key)
		for _, rr := range resp.Answer {
			if cn, ok := rr.(*mdns.CNAME); ok {
				w.dependsOn(mdns.CanonicalName(cn.Target), key)
			}
		}
		w.touch(key.name, resp)
	}
	return resp, err
}

// touch notes, for the whole answer being found, the owner names a cached
// answer depends on: the name asked for and the CNAMEs it went through, as
// query registers them.
func (w *world) touch(name string, m *mdns.Msg) {
	if !w.finding {
		return
	}
	w.touched = append(w.touched, name)
	for _, rr := range m.Answer {
		if cn, ok := rr.(*mdns.CNAME); ok {
			w.touched = append(w.touched, mdns.CanonicalName(cn.Target))
		}
	}
}

func (w *world) dependsOn(owner string, key dnsKey) {
	if w.deps == nil {
		w.deps = map[string][]dnsKey{}
	}
	w.deps[owner] = append(w.deps[owner], key)
}

// zoneChanged forgets the cached answers that records at owner can change:
// those that asked for owner or went through it (a CNAME chain), and those
// for owner's ancestors, which exist as empty non-terminals only while
// something exists below them. The fake server has no wildcards or zone
// cuts, so nothing else can change.
func (w *world) zoneChanged(owner string) {
	if w.cache == nil {
		return
	}
	owner = mdns.CanonicalName(owner)
	// A CAA climb reads only the records at each name it visits (NODATA
	// and NXDOMAIN alike send it one level up), so only a change at one of
	// those names changes it, not an ancestor that becomes or stops being
	// an empty non-terminal: forgetting climbs by every ancestor, up to
	// the root they all pass, made each change in a fleet's zone cost a
	// new climb for every certificate. A chain's answer keeps the last
	// query's rcode, so it goes with the ancestors too.
	w.caaMemo.forget(owner)
	for {
		for _, k := range w.deps[owner] {
			delete(w.cache, k)
		}
		delete(w.deps, owner)
		w.cnameMemo.forget(owner)
		i := strings.IndexByte(owner, '.')
		if owner == "." || i < 0 {
			return
		}
		if owner = owner[i+1:]; owner == "" {
			owner = "."
		}
	}
}

func (w *world) ask(name string, qtype uint16) (*mdns.Msg, error) {
	q := new(mdns.Msg)
	q.SetQuestion(mdns.Fqdn(name), qtype)
	q.RecursionDesired = false
	w.nextID++
	q.Id = w.nextID
	w.queries++
	if len(w.faults) > 0 {
		return w.askHeld(q)
	}
	resp, _, err := w.dnsc.ExchangeWithConn(q, w.dnsConn)
	return w.asNXDOMAIN(name, resp), err
}

// noAnswer is the text of a query that got no usable answer, for the
// model's checks: what the fault did, or that nothing came.
func noAnswer(err error) string {
	var h *heldError
	if errors.As(err, &h) {
		return h.Error()
	}
	return "no answer from the name server"
}

// cnameMemoKey is what following a validation record's chain depends on,
// the zone aside.
type cnameMemoKey struct {
	record, expected string
	maxHops          int
}

// memo remembers whole answers by key, and which answers each owner
// name's records went into, so that a change there forgets just those.
type memo[K comparable, A any] struct {
	answers map[K]A
	deps    map[string][]K // owner name -> the answers made of its records
}

// forget forgets the answers made of owner's records.
func (m *memo[K, A]) forget(owner string) {
	for _, k := range m.deps[owner] {
		delete(m.answers, k)
	}
	delete(m.deps, owner)
}

// reset forgets every answer.
func (m *memo[K, A]) reset() {
	clear(m.answers)
	clear(m.deps)
}

// remembered is m's answer for key, found with find and remembered when
// no query bypassed the cache (a fault) and find gave no error (errText).
func remembered[K comparable, A any](w *world, m *memo[K, A], key K, find func() (a A, errText string)) A {
	if a, ok := m.answers[key]; ok {
		return a
	}
	w.uncached, w.touched, w.finding = false, w.touched[:0], true
	a, errText := find()
	w.finding = false
	if w.uncached || errText != "" {
		return a
	}
	if m.answers == nil {
		m.answers, m.deps = map[K]A{}, map[string][]K{}
	}
	m.answers[key] = a
	for _, owner := range w.touched {
		m.deps[owner] = append(m.deps[owner], key)
	}
	return a
}

// forgetMemos forgets every whole answer: a new run, or a fault that
// starts or ends.
func (w *world) forgetMemos() {
	w.cnameMemo.reset()
	w.caaMemo.reset()
}

// resolveCNAME follows the validation record's CNAME chain with real
// queries, as a resolver would, up to MaxHops records.
func (w *world) resolveCNAME(c sim.CheckCNAME) sim.CNAMEAnswer {
	if w.cache == nil {
		return w.followCNAME(c)
	}
	a := remembered(w, &w.cnameMemo, cnameMemoKey{c.Record, c.Expected, c.MaxHops}, func() (sim.CNAMEAnswer, string) {
		a := w.followCNAME(c)
		// The record keeps the chain: answers share it, and an append to
		// one of them must copy.
		a.Chain = slices.Clip(a.Chain)
		return a, a.Err
	})
	a.Cert, a.Attempt = c.Cert, c.Attempt
	return a
}

func (w *world) followCNAME(c sim.CheckCNAME) sim.CNAMEAnswer {
	ans := sim.CNAMEAnswer{Cert: c.Cert, Attempt: c.Attempt, Record: c.Record}
	name := c.Record
	for hop := 0; hop < c.MaxHops; hop++ {
		resp, err := w.query(name, mdns.TypeCNAME)
		if err != nil {
			ans.Err = noAnswer(err)
			return ans
		}
		ans.Rcode = mdns.RcodeToString[resp.Rcode]
		if resp.Rcode != mdns.RcodeSuccess {
			return ans
		}
		target := ""
		for _, rr := range resp.Answer {
			if cn, ok := rr.(*mdns.CNAME); ok && strings.EqualFold(cn.Hdr.Name, mdns.Fqdn(name)) {
				target = cn.Target
				break
			}
		}
		if target == "" {
			return ans
		}
		ans.Chain = append(ans.Chain, target)
		if sim.CNAMEMatches(target, c.Expected) {
			return ans
		}
		name = target
	}
	return ans
}

// resolveA finds the address a name points at, following CNAMEs as the
// server answers them.
func (w *world) resolveA(name string) (string, string) {
	resp, err := w.query(name, mdns.TypeA)
	if err != nil {
		return "", noAnswer(err)
	}
	if resp.Rcode != mdns.RcodeSuccess {
		return "", fmt.Sprintf("%s has no address (%s)", name, mdns.RcodeToString[resp.Rcode])
	}
	for _, rr := range resp.Answer {
		if a, ok := rr.(*mdns.A); ok {
			return a.A.String(), ""
		}
	}
	return "", fmt.Sprintf("%s has no A record", name)
}

// caa finds the CAA record set that governs name: the first name with CAA
// records, climbing from the name (without a leading "*.") to the root.
func (w *world) caa(name string) sim.CAAAnswer {
	if w.cache == nil {
		return w.climbCAA(name)
	}
	return remembered(w, &w.caaMemo, name, func() (sim.CAAAnswer, string) {
		a := w.climbCAA(name)
		a.Records = slices.Clip(a.Records)
		return a, a.Err
	})
}

func (w *world) climbCAA(name string) sim.CAAAnswer {
	ans := sim.CAAAnswer{Name: name}
	cand := mdns.Fqdn(strings.TrimPrefix(strings.ToLower(name), "*."))
	for {
		resp, err := w.query(cand, mdns.TypeCAA)
		if err != nil {
			ans.Err = noAnswer(err)
			return ans
		}
		if resp.Rcode == mdns.RcodeServerFailure {
			ans.Err = "SERVFAIL for " + cand
			return ans
		}
		for _, rr := range resp.Answer {
			if c, ok := rr.(*mdns.CAA); ok {
				ans.Records = append(ans.Records, fmt.Sprintf("%d %s %q", c.Flag, c.Tag, c.Value))
				ans.FoundAt = c.Hdr.Name
			}
		}
		if len(ans.Records) > 0 || cand == "." {
			return ans
		}
		if i := strings.IndexByte(cand, '.'); i >= 0 && i+1 < len(cand) {
			cand = cand[i+1:]
		} else {
			cand = "."
		}
	}
}

// where is the profile with certificate i's own account and region.
func (w *world) where(i int) *sim.Profile {
	if i < 0 || i >= len(w.sc.Certificates) {
		return &w.sc.Profile
	}
	return w.sc.Certificates[i].ProfileFor(&w.sc.Profile)
}

// sendMail delivers one message per recipient over real SMTP.
func (w *world) sendMail(e sim.SendEmail, now time.Time) (sim.EmailResult, error) {
	res := sim.EmailResult{Cert: e.Cert, Kind: e.Kind, Domain: e.Domain, Code: e.Code}
	body := e.Body
	if e.Kind == sim.EmailApproval {
		link := w.approval.Register(approval.Request{
			Code: e.Code, Context: e.Context, Domain: e.Domain, ValidationDomain: e.ValidationDomain,
			CertificateARN: e.ARN, Account: w.where(e.Cert).Account, Region: w.where(e.Cert).Region, ExpiresAt: e.ExpiresAt,
		})
		body = strings.ReplaceAll(body, sim.LinkPlaceholder, link)
	}
	for i, to := range e.To {
		if w.sc.UnlistedMailboxes == "reject" && !w.listed(to) {
			w.sink.RejectRecipient(to)
		}
		msg := fmt.Sprintf("From: Amazon Certificates <no-reply@certificates.amazon.com>\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s.%d@renewsim.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s",
			to, e.Subject, now.UTC().Format(time.RFC1123Z), e.Code+e.Kind, i, strings.ReplaceAll(body, "\n", "\r\n"))
		d := sim.Delivery{To: to, Accepted: true, Code: 250}
		if err := w.send(to, msg); err != nil {
			var se *gosmtp.SMTPError
			if !errors.As(err, &se) {
				return res, fmt.Errorf("SMTP to the sink: %w", err)
			}
			d = sim.Delivery{To: to, Code: se.Code, Err: se.Message}
			_ = w.smtpc.Reset()
		}
		res.Deliveries = append(res.Deliveries, d)
	}
	return res, nil
}

// send delivers one message on the world's SMTP session. The sink hangs up
// on a client silent for its read timeout (wall-clock minutes), which a
// paused live run or an idle sweep worker easily is: a session found dead
// (a transport error, or 421) is dialled again and the message sent once
// more.
func (w *world) send(to, msg string) error {
	err := w.smtpc.SendMail("no-reply@certificates.amazon.com", []string{to}, strings.NewReader(msg))
	var se *gosmtp.SMTPError
	if err == nil || (errors.As(err, &se) && se.Code != 421) {
		return err
	}
	c, derr := gosmtp.Dial(w.sink.Addr())
	if derr != nil {
		return err
	}
	_ = w.smtpc.Close()
	w.smtpc = c
	return w.smtpc.SendMail("no-reply@certificates.amazon.com", []string{to}, strings.NewReader(msg))
}

func (w *world) listed(addr string) bool {
	return slices.ContainsFunc(w.sc.Mailboxes, func(m sim.Mailbox) bool { return strings.EqualFold(m.Address, addr) })
}

var linkRE = regexp.MustCompile(`http://[0-9.:]+/approvals\?[^\s)]+`)

// newestLink finds, in what reached the sink, the newest approval link for
// domain (in address's mailbox when address is not "").
func (w *world) newestLink(domain, address string) (string, bool) {
	if w.sink == nil {
		return "", false
	}
	msgs := w.sink.Messages()
	if address != "" {
		msgs = w.sink.To(address)
	}
	subject := "Certificate request for " + domain
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Subject != subject {
			continue
		}
		if link := linkRE.FindString(msgs[i].Body); link != "" {
			return link, true
		}
	}
	return "", false
}

// click follows, as a person would, the newest link for domain in what
// reached the sink: a real GET of the page, then the approval POST.
func (w *world) click(domain, address string) sim.ClickResult {
	link, ok := w.newestLink(domain, address)
	if !ok {
		return sim.ClickResult{Address: address, Domain: domain, Err: "no approval e-mail for " + domain + " reached that mailbox"}
	}
	return w.clickLink(link, domain, address)
}

func (w *world) clickLink(link, domain, address string) sim.ClickResult {
	r := sim.ClickResult{Address: address, Domain: domain}
	if i := strings.Index(link, "code="); i >= 0 {
		r.Code = strings.SplitN(link[i+5:], "&", 2)[0]
	}
	res, err := approval.Click(w.ctx, w.hc, link)
	r.Approved, r.Expired, r.Status = res.Approved || res.AlreadyApproved, res.Expired, res.Status
	if err != nil {
		r.Err = "the approval page did not work"
	}
	if r.Approved {
		if w.clicked == nil {
			w.clicked = map[string]bool{}
		}
		w.clicked[r.Code] = true
	}
	return r
}

// domainsIn lists the names approval e-mails in address's mailbox are about,
// in the order first seen.
func (w *world) domainsIn(address string) []string {
	var out []string
	for _, m := range w.sink.To(address) {
		if d, ok := strings.CutPrefix(m.Subject, "Certificate request for "); ok && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}
