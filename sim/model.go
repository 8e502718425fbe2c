package sim

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
)

// Certificate statuses, renewal statuses and eligibility, as ACM writes them.
const (
	StatusIssued  = "ISSUED"
	StatusExpired = "EXPIRED"

	RenewalPendingAuto       = "PENDING_AUTO_RENEWAL"
	RenewalPendingValidation = "PENDING_VALIDATION"
	RenewalSuccess           = "SUCCESS"
	RenewalFailed            = "FAILED"

	ValidationPending = "PENDING_VALIDATION"
	ValidationSuccess = "SUCCESS"
	ValidationFailed  = "FAILED"

	Eligible   = "ELIGIBLE"
	Ineligible = "INELIGIBLE"
)

// Model is ACM's managed renewal for the certificates of one scenario. It is
// a pure state machine: the driver passes in the virtual time and what the
// world answered, and carries out the effects it returns. Calls must come in
// time order from one goroutine.
type Model struct {
	sc    *Scenario
	p     *Profile
	seed  uint64
	certs []*certState
	res   []*resState
	out   []Effect
	nev   int // events sent, for event ids
	codes map[string]codeRef

	record []Entry
}

type certState struct {
	idx  int
	spec *Certificate

	arn       string
	serial    string
	notBefore time.Time
	notAfter  time.Time
	window    time.Duration // of the current certificate

	cycle int // renewal cycle under way: 1 renews the first certificate
	gen   int // bumped to invalidate attempt timers

	status        string
	renewalStatus string // "" until a renewal window opens for an eligible certificate
	reason        string
	eligibility   string
	exported      bool
	attached      []int // resource indices

	inWindow     bool
	attempting   bool
	issuing      bool
	attempt      int
	failingSince time.Time
	instructed   bool
	nameStatus   []string // per name, aligned with names
	names        []string
	pending      []string // keys of the checks of the attempt still out
	checks       []NameCheck
	keys         []string // per name: the key of the check it waits on
	pendingCAA   bool     // all names validated, CAA lookup out
	caaNotified  bool     // CAA_CHECK_FAILURE sent in this cycle

	records         []validationRec // per name: the DNS validation record, computed once
	prevChecks      []NameCheck     // the checks of the previous attempt
	scratch         []NameCheck     // where an attempt\'s checks are written
	lastAttemptText string

	// E-mail validation, per cycle.
	approvedAt []time.Time // per name
	mailed     bool        // first approval e-mails sent
	mailings   int
}

type validationRec struct{ name, value, key string }

type resState struct {
	spec    *Resource
	serving []int // certificate indices it serves
	gen     int   // bumped on each deployment, to ignore stale probe timers
}

// codeRef is what an approval code was issued for.
type codeRef struct {
	cert, name, cycle int
}

// NewModel builds the model for sc. Identifiers (ARNs, serials, validation
// records, event ids) derive from seed.
func NewModel(sc *Scenario, seed uint64) *Model {
	m := &Model{sc: sc, p: &sc.Profile, seed: seed, codes: map[string]codeRef{}}
	for i := range sc.Resources {
		m.res = append(m.res, &resState{spec: &sc.Resources[i]})
	}
	for i := range sc.Certificates {
		spec := &sc.Certificates[i]
		c := &certState{
			idx:       i,
			spec:      spec,
			notBefore: spec.Issued,
			notAfter:  spec.NotAfter,
			window:    m.p.Window(spec.Type, spec.Issued),
			cycle:     1,
			status:    StatusIssued,
			exported:  spec.Exported,
			names:     spec.Names(),
		}
		c.approvedAt = make([]time.Time, len(c.names))
		for _, n := range c.names {
			rec, val := spec.ValidationCNAME(seed, m.p.Account, n)
			c.records = append(c.records, validationRec{rec, val, "dns:" + rec})
		}
		c.arn = spec.ARN
		if c.arn == "" {
			d := digest(seed, "arn", spec.ID)
			c.arn = fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", m.p.Region, m.p.Account, uuid(d))
		}
		c.serial = m.newSerial(spec.ID, 0)
		for _, r := range spec.InUseBy {
			if ri := m.resourceIndex(r); ri >= 0 {
				c.attached = append(c.attached, ri)
			}
		}
		m.certs = append(m.certs, c)
	}
	return m
}

func uuid(d [32]byte) string {
	b := d[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (m *Model) newSerial(id string, cycle int) string {
	d := digest(m.seed, "serial", id, fmt.Sprint(cycle))
	b := d[:16]
	b[0] &= 0x7f
	if b[0] == 0 {
		b[0] = 1
	}
	return FormatSerial(new(big.Int).SetBytes(b).Bytes())
}

// FormatSerial writes serial bytes the way ACM shows them: lower-case hex
// pairs joined by colons.
func FormatSerial(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02x", x)
	}
	return strings.Join(parts, ":")
}

func (m *Model) resourceIndex(id string) int {
	for i, r := range m.res {
		if r.spec.ID == id {
			return i
		}
	}
	return -1
}

func (m *Model) cert(id string) *certState {
	for _, c := range m.certs {
		if c.spec.ID == id {
			return c
		}
	}
	return nil
}

// flush hands the pending effects over. The slice is reused by the next
// call into the model, so drivers copy the effects out before calling again
// (appending them to a queue does).
func (m *Model) flush() []Effect {
	out := m.out
	m.out = m.out[:0]
	return out
}

func (m *Model) emit(e Effect) { m.out = append(m.out, e) }

// log appends to the record. Effects are carried out in the order they
// are emitted, so writing the record here, at emission, gives the same
// order as a log effect would, without boxing every entry.
func (m *Model) log(now time.Time, kind string, c *certState, resource string, d Detail) {
	m.record = append(m.record, Entry{Time: now, Kind: kind, Resource: resource, Detail: d})
	if c != nil {
		m.record[len(m.record)-1].Cert = c.spec.ID
	}
}

// Record is everything that happened so far, in order. The slice is the
// model's: callers copy what they keep beyond the next call.
func (m *Model) Record() []Entry { return m.record }

// UseRecord makes the model write its record into buf (from its start):
// drivers that run many scenarios recycle one buffer.
func (m *Model) UseRecord(buf []Entry) { m.record = buf[:0] }

func (m *Model) wake(at time.Time, kind string, c *certState, gen, n int) {
	m.emit(Wake{At: at, Timer: Timer{Kind: kind, Cert: c.idx, Gen: gen, N: n}})
}

// Start sets up the world at the scenario start: the zone, the certificates,
// what each resource serves, and the first timers.
func (m *Model) Start(now time.Time) []Effect {
	m.log(now, KindStart, nil, "", Detail{Text: fmt.Sprintf("scenario %s, profile %s, seed %d", m.sc.Name, m.p.Name, m.seed)})
	zone := DNSChange{Add: slices.Clone(m.sc.DNSRecords)}
	for i, r := range m.res {
		for _, h := range r.spec.Hostnames {
			zone.Add = append(zone.Add, fmt.Sprintf("%s. 300 IN A %s", strings.TrimSuffix(h, "."), ResourceAddress(i)))
		}
	}
	for _, c := range m.certs {
		zone.Add = append(zone.Add, m.initialRecords(c)...)
	}
	if len(zone.Add) > 0 {
		m.emit(zone)
	}
	for _, c := range m.certs {
		m.initialTokens(c)
	}
	for _, c := range m.certs {
		m.log(now, KindCert, c, "", Detail{
			Text: fmt.Sprintf("%s certificate for %s, valid %s to %s", c.spec.Type, strings.Join(c.names, ", "),
				c.notBefore.Format(time.RFC3339), c.notAfter.Format(time.RFC3339)),
			Cycle: 0, ARN: c.arn, Serial: c.serial, Names: c.names,
			NotBefore: timePtr(c.notBefore), NotAfter: timePtr(c.notAfter),
		})
		m.refreshEligibility(now, c)
		m.logStatus(now, c, "")
		for _, ri := range c.attached {
			m.serve(now, ri, c)
		}
		m.scheduleCycle(now, c)
	}
	return m.flush()
}

// initialRecords are the validation records in DNS at the start, as the
// scenario's validation_record says.
func (m *Model) initialRecords(c *certState) []string {
	if c.spec.Type != TypeAmazonIssued || c.spec.Validation != ValidationDNS || c.spec.ValidationRecord == RecordZone {
		return nil
	}
	var out []string
	for _, base := range m.recordBases(c) {
		rec, val := c.spec.ValidationCNAME(m.seed, m.p.Account, base)
		switch mode := c.spec.ValidationRecord; {
		case mode == "" || mode == RecordPresent:
			out = append(out, cnameLine(rec, val))
		case mode == RecordWrong:
			_, other := ValidationRecord(m.seed, m.p.Account, "wrong."+base)
			out = append(out, cnameLine(rec, other))
		case mode == RecordDoubledSuffix:
			out = append(out, cnameLine(strings.TrimSuffix(rec, ".")+"."+base+".", val))
		case mode == RecordNoUnderscore:
			out = append(out, cnameLine(rec, strings.TrimPrefix(val, "_")))
		case strings.HasPrefix(mode, "chain-"):
			var n int
			fmt.Sscanf(mode, "chain-%d", &n)
			from := rec
			for i := 1; i < n; i++ {
				d := digest(m.seed, "chain", base, fmt.Sprint(i))
				hop := fmt.Sprintf("_hop%d-%s.%s.", i, hex.EncodeToString(d[:4]), base)
				out = append(out, cnameLine(from, hop))
				from = hop
			}
			out = append(out, cnameLine(from, val))
		}
	}
	return out
}

func cnameLine(name, target string) string { return name + " 300 IN CNAME " + target }

// initialTokens puts HTTP validation tokens on the resources using c, as
// the scenario's validation_record says.
func (m *Model) initialTokens(c *certState) {
	if c.spec.Type != TypeAmazonIssued || c.spec.Validation != ValidationHTTP {
		return
	}
	for _, n := range c.names {
		path, content, redirect := HTTPToken(m.seed, m.p, n)
		for _, ri := range c.attached {
			w := WebChange{Resource: m.res[ri].spec.ID, Path: path}
			switch c.spec.ValidationRecord {
			case "", RecordPresent:
				w.Body = content
			case RecordRedirect:
				w.Location = redirect
			case RecordWrong:
				w.Body = "not the token"
			default:
				continue
			}
			m.emit(w)
		}
	}
}

// recordBases are the distinct names that need a validation record.
func (m *Model) recordBases(c *certState) []string {
	var out []string
	for _, n := range c.names {
		b := BaseName(n)
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// scheduleCycle asks for the timers of the current certificate: window,
// notices, daily expiry events and the expiry itself.
func (m *Model) scheduleCycle(now time.Time, c *certState) {
	t := c.notAfter
	if c.spec.Type != TypeImported && c.spec.Type != TypePrivateCA {
		m.wake(maxTime(now, t.Add(-c.window)), TimerWindow, c, c.cycle, 0)
		for _, d := range m.p.NoticeDays(c.spec.Type) {
			if at := t.Add(-time.Duration(d) * Day); !at.Before(now) {
				m.wake(at, TimerNotice, c, c.cycle, d)
			}
		}
		if c.spec.Validation == ValidationEmail {
			m.wake(maxTime(now, t.Add(-m.p.EmailBefore)), TimerEmail, c, c.cycle, 0)
			for _, d := range m.p.EmailResendDays {
				if at := t.Add(-time.Duration(d) * Day); at.After(now) && at.After(t.Add(-m.p.EmailBefore)) {
					m.wake(at, TimerResend, c, c.cycle, d)
				}
			}
		}
	}
	for d := m.p.ApproachingDays(c.spec.Type); d >= 1; d-- {
		if at := t.Add(-time.Duration(d) * Day); !at.Before(now) {
			m.wake(at, TimerApproaching, c, c.cycle, d)
		}
	}
	m.wake(maxTime(now, t), TimerExpire, c, c.cycle, 0)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Fire handles a timer the model asked for.
func (m *Model) Fire(now time.Time, t Timer) []Effect {
	c := m.certs[t.Cert]
	if t.Kind == TimerProbe {
		c = nil
	}
	switch t.Kind {
	case TimerWindow:
		if t.Gen == c.cycle {
			m.openWindow(now, c)
		}
	case TimerAttempt:
		if t.Gen == c.gen && c.attempting {
			m.startAttempt(now, c)
		}
	case TimerNotice:
		if t.Gen == c.cycle {
			m.notice(now, c, t.N)
		}
	case TimerApproaching:
		if t.Gen == c.cycle && c.status == StatusIssued {
			m.event(now, c, EventApproaching, ApproachingDetail{DaysToExpiry: t.N, CommonName: c.spec.Domain})
		}
	case TimerInstruction:
		if t.Gen == c.gen && c.attempting && !c.instructed {
			m.instruct(now, c)
		}
	case TimerIssue:
		if t.Gen == c.cycle && c.issuing {
			m.issue(now, c)
		}
	case TimerDeploy:
		if t.Gen == c.cycle {
			m.deploy(now, c, t.N)
		}
	case TimerExpire:
		if t.Gen == c.cycle {
			m.expire(now, c)
		}
	case TimerEmail:
		if t.Gen == c.cycle && c.attempting && !c.mailed && !c.issuing && !c.pendingCAA {
			m.mail(now, c)
		}
	case TimerResend:
		if t.Gen == c.cycle && c.attempting && c.mailed && !c.issuing && !c.pendingCAA {
			m.mail(now, c)
		}
	case TimerProbe:
		r := m.res[t.N]
		if r.gen == t.Gen && len(r.serving) > 0 {
			m.emit(ProbeTLS{Resource: r.spec.ID, ServerName: m.serverName(r)})
		}
	}
	return m.flush()
}

func (m *Model) openWindow(now time.Time, c *certState) {
	c.inWindow = true
	m.refreshEligibility(now, c)
	text := fmt.Sprintf("renewal window opened %s before expiry", FormatDuration(c.notAfter.Sub(now)))
	if c.eligibility != Eligible {
		text += "; not eligible: " + m.ineligibleWhy(c) + ", so ACM does not try to renew"
	}
	m.log(now, KindWindow, c, "", Detail{Text: text, Cycle: c.cycle, Eligibility: c.eligibility, NotAfter: timePtr(c.notAfter)})
	m.maybeStartRenewal(now, c)
}

// maybeStartRenewal starts attempts when the certificate is in its window,
// eligible and not already renewing.
func (m *Model) maybeStartRenewal(now time.Time, c *certState) {
	if !c.inWindow || c.attempting || c.issuing || c.status != StatusIssued || c.eligibility != Eligible {
		return
	}
	before := m.snapshot(c)
	if c.renewalStatus == "" || c.renewalStatus == RenewalSuccess {
		c.renewalStatus = RenewalPendingAuto
		c.reason = ""
		c.nameStatus = make([]string, len(c.names))
		for i := range c.nameStatus {
			c.nameStatus[i] = ValidationPending
		}
	}
	m.logStatusIfChanged(now, c, before, "")
	c.attempting = true
	c.gen++
	if m.needsValidation(c) {
		m.startAttempt(now, c)
		return
	}
	// Private certificates need no domain validation: ACM reissues them.
	m.validated(now, c)
}

func (m *Model) needsValidation(c *certState) bool {
	return c.spec.Type == TypeAmazonIssued
}

func (m *Model) startAttempt(now time.Time, c *certState) {
	c.attempt++
	c.prevChecks = c.checks
	// Write into a scratch slice: an attempt that ends like the previous
	// one logs the previous (immutable) slice again instead of a copy.
	if cap(c.scratch) < len(c.names) {
		c.scratch = make([]NameCheck, len(c.names))
	}
	c.checks = c.scratch[:len(c.names)]
	clear(c.checks)
	c.keys = make([]string, len(c.names))
	c.pending = c.pending[:0]
	for i, n := range c.names {
		nc := &c.checks[i]
		nc.Domain = n
		switch c.spec.Validation {
		case ValidationDNS:
			r := &c.records[i]
			nc.Method, nc.Record, nc.Expected = "DNS", r.name, r.value
			if m.want(c, i, r.key) {
				m.emit(CheckCNAME{Cert: c.spec.ID, Attempt: c.attempt, Record: r.name, Expected: r.value, MaxHops: m.p.MaxCNAMEChain + 1})
			}
		case ValidationHTTP:
			path, content, _ := HTTPToken(m.seed, m.p, n)
			nc.Method, nc.Record, nc.Expected = "HTTP", "http://"+n+path, content
			if m.want(c, i, "http:"+n) {
				m.emit(CheckHTTP{Cert: c.spec.ID, Attempt: c.attempt, Domain: n, Path: path})
			}
		case ValidationEmail:
			nc.Method = "EMAIL"
			if at := c.approvedAt[i]; !at.IsZero() && now.Sub(at) <= m.p.ValidationReuse {
				nc.Status = ValidationSuccess
				continue
			}
			if m.p.HTTPSProbe {
				nc.Method = "HTTPS"
				if m.want(c, i, "https:"+n) {
					m.emit(ProbeHTTPS{Cert: c.spec.ID, Attempt: c.attempt, Domain: n, Alternatives: wwwAlternatives(n)})
				}
				continue
			}
			nc.Status = ValidationPending
			nc.Problem = "waiting for someone to approve the validation e-mail"
			if !c.mailed {
				nc.Problem = "no approval e-mail sent yet"
			}
			nc.Fix = fmt.Sprintf("follow the approval link e-mailed to %s", strings.Join(AdminAddresses(c.spec.ValidationDomain(n)), ", "))
		}
	}
	if len(c.pending) == 0 {
		m.finishAttempt(now, c)
	}
}

// want notes that name i waits on the check called key, and tells whether
// that check still has to be sent: names that share a validation record
// share the query.
func (m *Model) want(c *certState, i int, key string) bool {
	c.keys[i] = key
	if slices.Contains(c.pending, key) {
		return false
	}
	c.pending = append(c.pending, key)
	return true
}

// answer applies judge to every name waiting on key, and finishes the attempt
// when nothing else is outstanding.
func (m *Model) answer(now time.Time, certID string, attempt int, key string, judge func(nc *NameCheck)) []Effect {
	c := m.cert(certID)
	k := -1
	if c != nil && attempt == c.attempt {
		k = slices.Index(c.pending, key)
	}
	if k < 0 {
		return m.flush()
	}
	c.pending = slices.Delete(c.pending, k, k+1)
	for i := range c.checks {
		if c.keys[i] == key {
			judge(&c.checks[i])
		}
	}
	if len(c.pending) == 0 {
		m.finishAttempt(now, c)
	}
	return m.flush()
}

// sameCheck tells whether two checks say the same thing.
func sameCheck(a, b NameCheck) bool {
	return a.Domain == b.Domain && a.Method == b.Method && a.Record == b.Record && a.Expected == b.Expected &&
		a.Rcode == b.Rcode && a.Status == b.Status && a.Problem == b.Problem && a.Fix == b.Fix && slices.Equal(a.Answer, b.Answer)
}

// attemptText sums up an attempt ("all 2 names validated", "example.com
// not validated"); the attempt number is in the entry. An attempt that ends
// like the previous one reuses its text.
func attemptText(checks, prev []NameCheck, prevText string) string {
	same := prevText != "" && len(prev) == len(checks)
	var bad []string
	for i, ch := range checks {
		if ch.Status != ValidationSuccess {
			bad = append(bad, ch.Domain)
		}
		if same && (prev[i].Status == ValidationSuccess) != (ch.Status == ValidationSuccess) {
			same = false
		}
	}
	if same {
		return prevText
	}
	if len(bad) == 0 {
		return fmt.Sprintf("all %d names validated", len(checks))
	}
	return strings.Join(bad, ", ") + " not validated"
}

func wwwAlternatives(name string) []string {
	n := strings.TrimSuffix(name, ".")
	if strings.HasPrefix(n, "*.") {
		return nil
	}
	if rest, ok := strings.CutPrefix(n, "www."); ok {
		return []string{rest}
	}
	return []string{"www." + n}
}

// CNAMEResult takes the answer to a CheckCNAME.
func (m *Model) CNAMEResult(now time.Time, a CNAMEAnswer) []Effect {
	c := m.cert(a.Cert)
	return m.answer(now, a.Cert, a.Attempt, "dns:"+a.Record, func(nc *NameCheck) {
		// Hourly attempts mostly see what the last one saw: judge that once.
		if i := slices.IndexFunc(c.prevChecks, func(p NameCheck) bool { return p.Domain == nc.Domain }); i >= 0 {
			p := &c.prevChecks[i]
			if p.Method == "DNS" && p.Rcode == a.Rcode && a.Err == "" && slices.Equal(p.Answer, a.Chain) {
				nc.Answer, nc.Rcode, nc.Status, nc.Problem, nc.Fix = p.Answer, p.Rcode, p.Status, p.Problem, p.Fix
				return
			}
		}
		judgeCNAME(nc, a, m.p.MaxCNAMEChain)
	})
}

// HTTPResult takes the answer to a CheckHTTP: the resource must serve the
// token content, or redirect to ACM's copy of it.
func (m *Model) HTTPResult(now time.Time, a HTTPAnswer) []Effect {
	_, content, redirect := HTTPToken(m.seed, m.p, a.Domain)
	return m.answer(now, a.Cert, a.Attempt, "http:"+a.Domain, func(nc *NameCheck) {
		nc.Answer = []string{fmt.Sprint(a.Status)}
		if a.Location != "" {
			nc.Answer = append(nc.Answer, a.Location)
		}
		switch {
		case a.Err != "":
			nc.Problem = fmt.Sprintf("GET %s failed: %s", nc.Record, a.Err)
			nc.Fix = fmt.Sprintf("make %s resolve to the CloudFront distribution and serve the token", a.Domain)
		case a.Status == 200 && strings.TrimSpace(a.Body) == content:
			nc.Status = ValidationSuccess
			return
		case a.Status >= 300 && a.Status < 400 && a.Location == redirect:
			nc.Status = ValidationSuccess
			return
		case a.Status == 404:
			nc.Problem = fmt.Sprintf("GET %s answered 404: the validation token is not served", nc.Record)
			nc.Fix = fmt.Sprintf("serve the token at %s or redirect it to %s", nc.Record, redirect)
		default:
			nc.Problem = fmt.Sprintf("GET %s answered %d with other content than ACM's token", nc.Record, a.Status)
			nc.Fix = fmt.Sprintf("serve the token at %s or redirect it to %s", nc.Record, redirect)
		}
		nc.Status = ValidationPending
	})
}

// HTTPSResult takes the answer of the legacy HTTPS probe: the name counts as
// validated when it serves the very certificate being renewed.
func (m *Model) HTTPSResult(now time.Time, a HTTPSAnswer) []Effect {
	c := m.cert(a.Cert)
	serial := ""
	if c != nil {
		serial = c.serial
	}
	return m.answer(now, a.Cert, a.Attempt, "https:"+a.Domain, func(nc *NameCheck) {
		if a.Serial != "" {
			nc.Answer = []string{a.Via + " serves " + a.Serial}
		}
		switch {
		case a.Serial == serial && serial != "":
			nc.Status = ValidationSuccess
			return
		case a.Err != "":
			nc.Problem = fmt.Sprintf("the HTTPS probe of %s failed: %s", a.Domain, a.Err)
		default:
			nc.Problem = fmt.Sprintf("%s serves certificate %s, not the one being renewed (%s)", a.Via, a.Serial, serial)
		}
		nc.Fix = fmt.Sprintf("route HTTPS requests for %s to the resource using this certificate, or approve the validation e-mail", a.Domain)
		nc.Status = ValidationPending
	})
}

func (m *Model) finishAttempt(now time.Time, c *certState) {
	before := m.snapshot(c)
	ok := true
	for i := range c.checks {
		c.nameStatus[i] = c.checks[i].Status
		if c.checks[i].Status != ValidationSuccess {
			ok = false
		}
	}
	text := attemptText(c.checks, c.prevChecks, c.lastAttemptText)
	c.lastAttemptText = text
	if slices.EqualFunc(c.checks, c.prevChecks, sameCheck) {
		c.checks = c.prevChecks
	} else {
		c.checks = slices.Clone(c.checks)
	}
	m.log(now, KindAttempt, c, "", Detail{Text: text, Cycle: c.cycle, Attempt: c.attempt, Checks: c.checks, OK: boolPtr(ok)})
	if ok {
		m.logStatusIfChanged(now, c, before, "")
		c.pendingCAA = true
		m.emit(CheckCAA{Cert: c.spec.ID, Attempt: c.attempt, Names: slices.Clone(c.names)})
		return
	}
	m.failing(now, c)
	m.logStatusIfChanged(now, c, before, "")
	if c.spec.Validation == ValidationEmail && !c.mailed && !now.Before(c.notAfter.Add(-m.p.EmailBefore)) {
		m.mail(now, c)
	}
	if m.periodic(c) {
		m.retry(now, c)
	}
}

// failing notes that an attempt failed: the failing time decides when the
// renewal turns PENDING_VALIDATION and when the legacy instruction goes out.
func (m *Model) failing(now time.Time, c *certState) {
	if c.failingSince.IsZero() {
		c.failingSince = now
		if m.p.InstructionEmailAfter > 0 && !c.instructed {
			m.wake(now.Add(m.p.InstructionEmailAfter), TimerInstruction, c, c.gen, 0)
		}
	}
	if c.renewalStatus == RenewalPendingAuto && now.Sub(c.failingSince) >= m.p.PendingValidationAfter {
		c.renewalStatus = RenewalPendingValidation
	}
}

func (m *Model) retry(now time.Time, c *certState) {
	if next := now.Add(m.p.RetryInterval); next.Before(c.notAfter) {
		m.wake(next, TimerAttempt, c, c.gen, 0)
	}
}

// periodic tells whether ACM retries on its own: DNS and HTTP checks and the
// legacy probe are repeated; an e-mail approval is waited for.
func (m *Model) periodic(c *certState) bool {
	return c.spec.Validation != ValidationEmail || m.p.HTTPSProbe
}

// CAAResult takes the CAA record sets that govern each name.
func (m *Model) CAAResult(now time.Time, r CAAResult) []Effect {
	c := m.cert(r.Cert)
	if c == nil || r.Attempt != c.attempt || !c.pendingCAA {
		return m.flush()
	}
	c.pendingCAA = false
	before := m.snapshot(c)
	ok := true
	var judged []CAAAnswer
	for i, a := range r.Answers {
		name := a.Name
		if i < len(c.names) {
			name = c.names[i]
		}
		j := JudgeCAA(name, a)
		judged = append(judged, j)
		ok = ok && j.OK
	}
	text := "CAA allows Amazon for every name"
	if !ok {
		var bad []string
		for _, j := range judged {
			if !j.OK && !slices.Contains(bad, j.Problem) {
				bad = append(bad, j.Problem)
			}
		}
		text = "CAA check failed: " + strings.Join(bad, "; ")
	}
	m.log(now, KindCAA, c, "", Detail{Text: text, Cycle: c.cycle, Attempt: c.attempt, CAA: judged, OK: boolPtr(ok)})
	if ok {
		if c.reason == "CAA_ERROR" {
			c.reason = ""
		}
		m.validated(now, c)
		m.logStatusIfChanged(now, c, before, "")
		return m.flush()
	}
	c.reason = "CAA_ERROR"
	c.renewalStatus = RenewalPendingValidation
	m.failing(now, c)
	m.logStatusIfChanged(now, c, before, "")
	if !c.caaNotified {
		c.caaNotified = true
		m.health(now, c, "CAA_CHECK_FAILURE", fmt.Sprintf("ACM could not renew %s: %s", c.arn, text))
	}
	m.retry(now, c)
	return m.flush()
}

// mail sends fresh approval e-mails for every name not yet approved.
func (m *Model) mail(now time.Time, c *certState) {
	c.mailed = true
	c.mailings++
	sent := false
	for i, n := range c.names {
		if at := c.approvedAt[i]; !at.IsZero() && now.Sub(at) <= m.p.ValidationReuse {
			continue
		}
		if c.checks != nil && i < len(c.checks) && c.checks[i].Method == "HTTPS" && c.checks[i].Status == ValidationSuccess {
			continue
		}
		vd := c.spec.ValidationDomain(n)
		to := Recipients(m.sc, vd)
		d := digest(m.seed, "approval", c.spec.ID, fmt.Sprint(c.cycle), n, fmt.Sprint(c.mailings))
		code := hex.EncodeToString(d[:12])
		m.codes[code] = codeRef{cert: c.idx, name: i, cycle: c.cycle}
		subject, body := ApprovalEmail(m.p, c.arn, n, vd, LinkPlaceholder)
		m.emit(SendEmail{
			Cert: c.spec.ID, Kind: EmailApproval, Domain: n, ValidationDomain: vd, To: to,
			Code: code, Context: uuid(digest(m.seed, "context", code)), ExpiresAt: now.Add(m.p.ApprovalLinkTTL),
			ARN: c.arn, Subject: subject, Body: body,
		})
		sent = true
	}
	if sent && c.renewalStatus != RenewalPendingValidation {
		// The customer must act from now on.
		before := m.snapshot(c)
		c.renewalStatus = RenewalPendingValidation
		m.logStatusIfChanged(now, c, before, "")
	}
}

// EmailResult records what the mail server answered for each recipient.
func (m *Model) EmailResult(now time.Time, r EmailResult) []Effect {
	c := m.cert(r.Cert)
	if c == nil {
		return m.flush()
	}
	accepted := 0
	for _, d := range r.Deliveries {
		text := fmt.Sprintf("%s e-mail for %s delivered to %s", r.Kind, r.Domain, d.To)
		if !d.Accepted {
			text = fmt.Sprintf("%s e-mail for %s to %s refused (%d %s)", r.Kind, r.Domain, d.To, d.Code, d.Err)
		} else {
			accepted++
		}
		m.log(now, KindEmail, c, "", Detail{Text: text, Email: r.Kind, To: d.To, Domain: r.Domain, SMTPCode: d.Code, OK: boolPtr(d.Accepted)})
	}
	if r.Kind != EmailApproval || c.status != StatusIssued {
		return m.flush()
	}
	before := m.snapshot(c)
	if accepted == 0 {
		c.reason = "NO_AVAILABLE_CONTACTS"
	} else if c.reason == "NO_AVAILABLE_CONTACTS" {
		c.reason = ""
	}
	m.logStatusIfChanged(now, c, before, "")
	return m.flush()
}

// Click records that someone followed an approval link; an approval counts
// for the name its code was issued for, in the renewal under way.
func (m *Model) Click(now time.Time, r ClickResult) []Effect {
	ref, known := m.codes[r.Code]
	var c *certState
	if known {
		c = m.certs[ref.cert]
	}
	text := fmt.Sprintf("approval link for %s followed", r.Domain)
	switch {
	case r.Err != "":
		text += ": " + r.Err
	case r.Expired:
		text += ": the link had expired"
	case r.Approved:
		text += ": approved"
	}
	if r.Address != "" {
		text += " (from " + r.Address + ")"
	}
	m.log(now, KindClick, c, "", Detail{Text: text, Domain: r.Domain, To: r.Address, Approved: boolPtr(r.Approved), Expired: boolPtr(r.Expired)})
	if !known || !r.Approved || ref.cycle != c.cycle || c.status != StatusIssued {
		return m.flush()
	}
	if c.approvedAt[ref.name].IsZero() {
		c.approvedAt[ref.name] = now
	}
	if c.attempting && !c.issuing && !c.pendingCAA {
		m.startAttempt(now, c)
	}
	return m.flush()
}

// TLSResult records what a client saw when it connected to a resource.
func (m *Model) TLSResult(now time.Time, a TLSAnswer) []Effect {
	text := fmt.Sprintf("a client connecting to %s gets %s: ", a.Resource, a.Serial)
	switch {
	case a.Verified:
		text += "valid"
	case a.Expired:
		text += "EXPIRED"
	case a.Serial == "":
		text = fmt.Sprintf("a client connecting to %s gets no certificate: %s", a.Resource, a.Err)
	default:
		text += "invalid: " + a.Err
	}
	var na *time.Time
	if !a.NotAfter.IsZero() {
		na = timePtr(a.NotAfter)
	}
	m.log(now, KindProbe, nil, a.Resource, Detail{Text: text, Serial: a.Serial, NotAfter: na, Verified: boolPtr(a.Verified), Expired: boolPtr(a.Expired), Err: a.Err})
	return m.flush()
}

// validated: every name passed; the new certificate follows after the issue
// delay.
func (m *Model) validated(now time.Time, c *certState) {
	c.attempting = false
	c.issuing = true
	c.failingSince = time.Time{}
	m.wake(now.Add(m.p.IssueDelay), TimerIssue, c, c.cycle, 0)
}

func (m *Model) issue(now time.Time, c *certState) {
	before := m.snapshot(c)
	c.issuing = false
	c.inWindow = false
	c.instructed = false
	c.caaNotified = false
	c.mailed = false
	c.approvedAt = make([]time.Time, len(c.names))
	renewedCycle := c.cycle
	c.cycle++
	c.attempt = 0
	c.serial = m.newSerial(c.spec.ID, renewedCycle)
	c.notBefore = now
	c.notAfter = now.Add(m.p.Validity(c.spec.Type, now))
	c.window = m.p.Window(c.spec.Type, now)
	c.renewalStatus = RenewalSuccess
	c.reason = ""
	// "Exported since issued or last renewed": a renewal resets it.
	c.exported = false
	m.refreshEligibility(now, c)
	m.log(now, KindIssued, c, "", Detail{
		Text:  fmt.Sprintf("renewed: new certificate %s valid until %s", c.serial, c.notAfter.Format(time.RFC3339)),
		Cycle: renewedCycle, ARN: c.arn, Serial: c.serial, Names: c.names,
		NotBefore: timePtr(c.notBefore), NotAfter: timePtr(c.notAfter),
	})
	m.logStatusIfChanged(now, c, before, "")
	m.event(now, c, EventAvailable, AvailableDetail{
		Action: "RENEWAL", CertificateType: certificateType(c.spec.Type), CommonName: c.spec.Domain,
		DomainValidationMethod: validationMethod(c.spec), CertificateCreatedDate: awsTime(c.notBefore),
		CertificateExpirationDate: awsTime(c.notAfter), DaysToExpiry: int(c.notAfter.Sub(now) / Day),
		InUse: len(c.attached) > 0, Exported: c.exported,
	})
	m.health(now, c, "AWS_ACM_RENEWAL_STATE_CHANGE", fmt.Sprintf("ACM renewed the certificate %s; it is valid until %s.", c.arn, awsTime(c.notAfter)))
	for _, ri := range c.attached {
		m.wake(now.Add(m.res[ri].spec.DeployDelay), TimerDeploy, c, c.cycle, ri)
	}
	m.scheduleCycle(now, c)
}

func (m *Model) deploy(now time.Time, c *certState, ri int) {
	if !slices.Contains(c.attached, ri) {
		return
	}
	m.serve(now, ri, c)
}

// serve records that resource ri now serves c's current certificate.
func (m *Model) serve(now time.Time, ri int, c *certState) {
	r := m.res[ri]
	if !slices.Contains(r.serving, c.idx) {
		r.serving = append(r.serving, c.idx)
	}
	m.log(now, KindDeployed, c, r.spec.ID, Detail{
		Text:   fmt.Sprintf("%s serves certificate %s (valid until %s)", r.spec.ID, c.serial, c.notAfter.Format(time.RFC3339)),
		Serial: c.serial, NotAfter: timePtr(c.notAfter), NotBefore: timePtr(c.notBefore),
	})
	m.emit(Deploy{Resource: r.spec.ID, Cert: c.spec.ID, Serial: c.serial, Names: c.names, NotBefore: c.notBefore, NotAfter: c.notAfter})
	// A client's view changes only when the certificate changes or stops
	// being valid: look then, with a real handshake.
	r.gen++
	m.emit(ProbeTLS{Resource: r.spec.ID, ServerName: m.serverName(r)})
	m.emit(Wake{At: c.notAfter.Add(time.Second), Timer: Timer{Kind: TimerProbe, Cert: c.idx, Gen: r.gen, N: ri}})
}

// serverName is the name a client asks a resource for: its first hostname,
// else the first name of the certificate it serves.
func (m *Model) serverName(r *resState) string {
	if len(r.spec.Hostnames) > 0 {
		return r.spec.Hostnames[0]
	}
	if len(r.serving) > 0 {
		c := m.certs[r.serving[len(r.serving)-1]]
		return strings.TrimPrefix(c.names[0], "*.")
	}
	return r.spec.ID
}

func (m *Model) expire(now time.Time, c *certState) {
	before := m.snapshot(c)
	c.status = StatusExpired
	c.attempting = false
	c.issuing = false
	c.inWindow = false
	c.gen++
	if c.renewalStatus != "" {
		c.renewalStatus = RenewalFailed
		for i, s := range c.nameStatus {
			if s != ValidationSuccess {
				c.nameStatus[i] = ValidationFailed
			}
		}
	}
	c.eligibility = Ineligible
	m.log(now, KindExpired, c, "", Detail{Text: "the certificate expired without being renewed", Cycle: c.cycle, Serial: c.serial, NotAfter: timePtr(c.notAfter)})
	m.logStatusIfChanged(now, c, before, "")
	if c.spec.Type != TypeImported {
		m.event(now, c, EventExpired, ExpiredDetail{
			CertificateType: certificateType(c.spec.Type), CommonName: c.spec.Domain,
			DomainValidationMethod: validationMethod(c.spec), CertificateCreatedDate: awsTime(c.notBefore),
			CertificateExpirationDate: awsTime(c.notAfter), InUse: len(c.attached) > 0, Exported: c.exported,
		})
		m.health(now, c, "AWS_ACM_RENEWAL_STATE_CHANGE", fmt.Sprintf("The certificate %s expired on %s.", c.arn, awsTime(c.notAfter)))
	}
}

func (m *Model) notice(now time.Time, c *certState, days int) {
	if c.status != StatusIssued || !c.attempting || c.attempt == 0 {
		return
	}
	// A notice means the customer must act: the renewal is pending
	// validation from here on, whatever the failing-time knob said.
	before := m.snapshot(c)
	c.renewalStatus = RenewalPendingValidation
	m.logStatusIfChanged(now, c, before, "")
	reason := c.reason
	if reason == "" {
		reason = "PENDING_DOMAIN_VALIDATION"
	}
	m.event(now, c, EventActionRequired, ActionRequiredDetail{
		CertificateType: certificateType(c.spec.Type), CommonName: c.spec.Domain,
		DomainValidationMethod: validationMethod(c.spec), RenewalStatusReason: reason,
		DaysToExpiry: days, CertificateExpirationDate: awsTime(c.notAfter),
		InUse: len(c.attached) > 0, Exported: c.exported,
	})
	m.health(now, c, "AWS_ACM_RENEWAL_STATE_CHANGE", fmt.Sprintf("ACM could not renew the certificate %s; it expires in %d days. Action is required.", c.arn, days))
}

// instruct is the legacy notice: after failing for a while ACM e-mails the
// account with instructions to fix the renewal by hand.
func (m *Model) instruct(now time.Time, c *certState) {
	c.instructed = true
	m.log(now, KindNotice, c, "", Detail{
		Text:    fmt.Sprintf("renewal has failed for %s: ACM e-mails instructions to fix it by hand to %s", FormatDuration(now.Sub(c.failingSince)), m.sc.AccountEmail),
		Channel: "email", Days: int(c.notAfter.Sub(now) / Day),
	})
	if m.sc.AccountEmail != "" {
		subject, body := InstructionEmail(m.p, c.arn, c.spec.Domain, validationMethod(c.spec), c.notAfter)
		m.emit(SendEmail{Cert: c.spec.ID, Kind: EmailInstruction, Domain: c.spec.Domain, To: []string{m.sc.AccountEmail}, ARN: c.arn, Subject: subject, Body: body})
	}
}

// Apply carries out a world change from the timeline.
func (m *Model) Apply(now time.Time, ch Change) []Effect {
	d := Detail{Do: ch.Do, Record: ch.Record, Name: ch.Name, Type: ch.Type}
	c := m.cert(ch.Cert)
	switch ch.Do {
	case DoDeleteValidationRecord, DoRestoreValidationRecord:
		verb := "deleted"
		if ch.Do == DoRestoreValidationRecord {
			verb = "restored"
		}
		if c.spec.Validation == ValidationHTTP {
			var paths []string
			for _, n := range c.names {
				path, content, _ := HTTPToken(m.seed, m.p, n)
				paths = append(paths, "http://"+n+path)
				for _, ri := range c.attached {
					m.emit(WebChange{Resource: m.res[ri].spec.ID, Path: path, Body: content, Delete: ch.Do == DoDeleteValidationRecord})
				}
			}
			d.Text = fmt.Sprintf("HTTP validation token %s %s", strings.Join(paths, ", "), verb)
			m.log(now, KindTimeline, c, "", d)
			break
		}
		var z DNSChange
		var recs []string
		for _, base := range m.recordBases(c) {
			rec, val := c.spec.ValidationCNAME(m.seed, m.p.Account, base)
			recs = append(recs, rec)
			z.Remove = append(z.Remove, DNSRemove{Name: rec, Type: "CNAME"})
			if ch.Do == DoRestoreValidationRecord {
				z.Add = append(z.Add, cnameLine(rec, val))
			}
		}
		d.Text = fmt.Sprintf("validation CNAME %s %s", strings.Join(recs, ", "), verb)
		m.log(now, KindTimeline, c, "", d)
		m.emit(z)
	case DoClickApproval:
		d.Domain = ch.Domain
		d.Text = "someone follows the newest approval link for " + ch.Domain
		m.log(now, KindTimeline, nil, "", d)
		m.emit(ClickApproval{Domain: ch.Domain})
	case DoResendValidationEmail:
		d.Text = fmt.Sprintf("ResendValidationEmail for %s", c.spec.ID)
		m.log(now, KindTimeline, c, "", d)
		if c.attempting && !c.issuing && !c.pendingCAA {
			m.mail(now, c)
		}
	case DoRenewCertificate:
		d.Text = fmt.Sprintf("RenewCertificate for %s", c.spec.ID)
		m.log(now, KindTimeline, c, "", d)
		if c.spec.Type == TypePrivate && c.status == StatusIssued && c.eligibility == Eligible && !c.issuing {
			before := m.snapshot(c)
			c.inWindow = true
			c.renewalStatus = RenewalPendingAuto
			c.reason = ""
			c.gen++
			m.logStatusIfChanged(now, c, before, "")
			m.validated(now, c)
		}
	case DoMailboxReject, DoMailboxAccept:
		d.To = ch.Address
		d.Text = "the mail server now refuses mail for " + ch.Address
		if ch.Do == DoMailboxAccept {
			d.Text = "the mail server now accepts mail for " + ch.Address
		}
		m.log(now, KindTimeline, nil, "", d)
		m.emit(MailboxChange{Address: ch.Address, Reject: ch.Do == DoMailboxReject})
	case DoDNSAdd:
		d.Text = "DNS record added: " + ch.Record
		m.log(now, KindTimeline, nil, "", d)
		m.emit(DNSChange{Add: []string{ch.Record}})
	case DoDNSDelete:
		d.Text = "DNS records deleted: " + ch.Name
		if ch.Type != "" {
			d.Text += " " + ch.Type
		}
		m.log(now, KindTimeline, nil, "", d)
		m.emit(DNSChange{Remove: []DNSRemove{{Name: ch.Name, Type: ch.Type}}})
	case DoAttach:
		ri := m.resourceIndex(ch.Resource)
		d.Text = fmt.Sprintf("%s attached to %s", c.spec.ID, ch.Resource)
		m.log(now, KindTimeline, c, ch.Resource, d)
		if !slices.Contains(c.attached, ri) {
			c.attached = append(c.attached, ri)
			m.serve(now, ri, c)
		}
		m.eligibilityChanged(now, c)
	case DoDetach:
		ri := m.resourceIndex(ch.Resource)
		d.Text = fmt.Sprintf("%s detached from %s", c.spec.ID, ch.Resource)
		m.log(now, KindTimeline, c, ch.Resource, d)
		if i := slices.Index(c.attached, ri); i >= 0 {
			c.attached = slices.Delete(c.attached, i, i+1)
			r := m.res[ri]
			if j := slices.Index(r.serving, c.idx); j >= 0 {
				r.serving = slices.Delete(r.serving, j, j+1)
			}
			r.gen++
			m.log(now, KindUndeployed, c, ch.Resource, Detail{Text: fmt.Sprintf("%s no longer serves %s", ch.Resource, c.spec.ID), Serial: c.serial})
			m.emit(Deploy{Resource: ch.Resource, Cert: c.spec.ID})
		}
		m.eligibilityChanged(now, c)
	case DoExport:
		d.Text = fmt.Sprintf("%s exported", c.spec.ID)
		m.log(now, KindTimeline, c, "", d)
		c.exported = true
		m.eligibilityChanged(now, c)
	}
	return m.flush()
}

// eligibilityChanged re-evaluates eligibility after attach, detach or
// export: ACM re-evaluates it all the time, so detaching the last resource
// stops a renewal and attaching one starts it.
func (m *Model) eligibilityChanged(now time.Time, c *certState) {
	before := m.snapshot(c)
	m.refreshEligibility(now, c)
	if c.eligibility != Eligible && c.attempting {
		c.attempting = false
		c.gen++
	}
	m.logStatusIfChanged(now, c, before, "")
	m.maybeStartRenewal(now, c)
}

func (m *Model) refreshEligibility(now time.Time, c *certState) {
	if m.ineligibleWhy(c) == "" {
		c.eligibility = Eligible
	} else {
		c.eligibility = Ineligible
	}
}

// ineligibleWhy says why ACM would not renew c now, or "" when it would.
func (m *Model) ineligibleWhy(c *certState) string {
	switch {
	case c.spec.Type == TypeImported:
		return "imported certificates are never renewed by ACM"
	case c.spec.Type == TypePrivateCA:
		return "issued directly by AWS Private CA, outside ACM"
	case c.status == StatusExpired:
		return "the certificate has expired"
	}
	for _, n := range c.names {
		if p := IDNProblem(n); p != "" {
			return p
		}
	}
	if len(c.attached) > 0 {
		return ""
	}
	if c.exported && m.p.Eligibility == EligibleInUseOrExported {
		return ""
	}
	if c.exported {
		return "exported, but this profile renews only certificates in use"
	}
	return "not in use by any integrated service and not exported"
}

// Finish closes the record at the end of the run.
func (m *Model) Finish(now time.Time) []Effect {
	m.log(now, KindEnd, nil, "", Detail{Text: "simulation ended"})
	return m.flush()
}

type snap struct{ status, renewal, reason, elig string }

func (m *Model) snapshot(c *certState) snap {
	return snap{c.status, c.renewalStatus, c.reason, c.eligibility}
}

func (m *Model) logStatusIfChanged(now time.Time, c *certState, before snap, text string) {
	if m.snapshot(c) != before {
		m.logStatus(now, c, text)
	}
}

func (m *Model) logStatus(now time.Time, c *certState, text string) {
	if text == "" {
		text = "status " + c.status
		if c.renewalStatus != "" {
			text += ", renewal " + c.renewalStatus
		}
		if c.reason != "" {
			text += " (" + c.reason + ")"
		}
		text += ", " + strings.ToLower(c.eligibility)
	}
	m.log(now, KindStatus, c, "", Detail{Text: text, Cycle: c.cycle, Status: c.status, RenewalStatus: c.renewalStatus, Reason: c.reason, Eligibility: c.eligibility})
}

func (m *Model) event(now time.Time, c *certState, detailType string, detail any) {
	m.nev++
	e := &Event{
		Version: "0", ID: uuid(digest(m.seed, "event", fmt.Sprint(m.nev))), DetailType: detailType,
		Source: "aws.acm", Account: m.p.Account, Time: awsTime(now), Region: m.p.Region,
		Resources: []string{c.arn}, Detail: detail,
	}
	m.log(now, KindEventBus, c, "", Detail{Text: detailType, Event: e})
}

func (m *Model) health(now time.Time, c *certState, code, text string) {
	m.nev++
	id := uuid(digest(m.seed, "event", fmt.Sprint(m.nev)))
	hd := HealthDetail{
		EventArn:          fmt.Sprintf("arn:aws:health:%s::event/ACM/%s/%s", m.p.Region, code, id),
		Service:           "ACM",
		EventTypeCode:     code,
		EventTypeCategory: "scheduledChange",
		StartTime:         now.UTC().Format(time.RFC1123),
	}
	hd.EventDescription = append(hd.EventDescription, struct {
		Language    string `json:"language"`
		LatestDescr string `json:"latestDescription"`
	}{"en_US", text})
	e := &Event{
		Version: "0", ID: id, DetailType: EventHealth, Source: "aws.health",
		Account: m.p.Account, Time: awsTime(now), Region: m.p.Region,
		Resources: []string{c.arn}, Detail: hd,
	}
	m.log(now, KindEventBus, c, "", Detail{Text: EventHealth + " " + code, Event: e})
}

func certificateType(t string) string {
	switch t {
	case TypePrivate, TypePrivateCA:
		return "PRIVATE"
	case TypeImported:
		return "IMPORTED"
	}
	return "AMAZON_ISSUED"
}

func validationMethod(c *Certificate) string {
	switch c.Validation {
	case ValidationEmail:
		return "EMAIL"
	case ValidationHTTP:
		return "HTTP"
	case ValidationDNS:
		return "DNS"
	}
	return ""
}

// judgeCNAME applies ACM's DNS rules to what DNS answered.
func judgeCNAME(nc *NameCheck, a CNAMEAnswer, maxChain int) {
	nc.Answer = a.Chain
	nc.Rcode = a.Rcode
	n := len(a.Chain)
	switch {
	case a.Err != "":
		nc.Problem = "the DNS query failed: " + a.Err
		nc.Fix = "make the validation record resolvable in public DNS"
	case n > 0 && CNAMEMatches(a.Chain[n-1], nc.Expected) && n <= maxChain:
		nc.Status = ValidationSuccess
		return
	case n > 0 && CNAMEMatches(a.Chain[n-1], nc.Expected):
		nc.Problem = fmt.Sprintf("the CNAME chain from %s has %d records; ACM follows at most %d", nc.Record, n, maxChain)
		nc.Fix = fmt.Sprintf("point %s directly at %s", nc.Record, nc.Expected)
	case n > maxChain:
		nc.Problem = fmt.Sprintf("the CNAME chain from %s is longer than %d records and never reaches %s", nc.Record, maxChain, nc.Expected)
		nc.Fix = fmt.Sprintf("point %s directly at %s", nc.Record, nc.Expected)
	case a.Rcode == "NXDOMAIN" && n == 0:
		nc.Problem = fmt.Sprintf("%s does not exist (NXDOMAIN): the validation CNAME was deleted, or sits in the wrong zone or under a doubled suffix", nc.Record)
		nc.Fix = fmt.Sprintf("add %s CNAME %s back to the public zone", nc.Record, nc.Expected)
	case a.Rcode != "NOERROR" && a.Rcode != "NXDOMAIN":
		nc.Problem = fmt.Sprintf("DNS answered %s for %s", a.Rcode, chainEnd(nc.Record, a.Chain))
		nc.Fix = "repair the zone's name servers (or DNSSEC) so the validation record resolves"
	case n == 0:
		nc.Problem = fmt.Sprintf("%s exists but has no CNAME record (NODATA)", nc.Record)
		nc.Fix = fmt.Sprintf("add %s CNAME %s", nc.Record, nc.Expected)
	default:
		nc.Problem = fmt.Sprintf("%s points at %s, but ACM expects %s", chainEnd(nc.Record, a.Chain[:n-1]), a.Chain[n-1], nc.Expected)
		nc.Fix = fmt.Sprintf("set %s CNAME %s", nc.Record, nc.Expected)
	}
	nc.Status = ValidationPending
}

func chainEnd(record string, chain []string) string {
	if len(chain) == 0 {
		return record
	}
	return chain[len(chain)-1]
}
