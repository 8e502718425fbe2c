package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// scheduleCycle asks for the timers of the current certificate: window,
// notices, e-mails, daily expiry events and the expiry itself.
func (m *Model) scheduleCycle(now time.Time, c *certState) {
	t := c.notAfter
	if c.spec.Type != TypeImported && c.spec.Type != TypePrivateCA {
		// How long before NotAfter this certificate's renewal starts: ACM's
		// window, or the time a comparison profile's policy draws.
		c.window = t.Sub(m.p.RenewalStart(m.seed, c.spec.ID, c.cycle, c.spec.Type, c.notBefore, t))
		m.wake(maxTime(now, t.Add(-c.window)), TimerWindow, c, c.cycle, 0)
		m.wakeDays(now, c, TimerNotice, m.p.NoticeDays(c.spec.Type), time.Time{})
		m.wakeDays(now, c, TimerInstruction, m.p.InstructionEmailDays, time.Time{})
		if c.spec.Validation == ValidationEmail {
			m.wake(maxTime(now, t.Add(-m.p.EmailBefore)), TimerEmail, c, c.cycle, 0)
			// Resends come after the first e-mails, strictly.
			m.wakeDays(now, c, TimerResend, m.p.EmailResendDays, t.Add(-m.p.EmailBefore))
		}
	}
	m.wakeDays(now, c, TimerApproaching, m.countdown(m.p.ApproachingDays(c.spec.Type)), time.Time{})
	m.wake(maxTime(now, t), TimerExpire, c, c.cycle, 0)
}

// wakeDays asks for a timer on each day of days (descending) before c's
// NotAfter that has not passed (and, when after is set, comes strictly
// after it), as one series: a cycle that ends early cancels the rest
// (CancelWakes) instead of leaving a month of stale timers behind.
func (m *Model) wakeDays(now time.Time, c *certState, kind TimerKind, days []int, after time.Time) {
	at := func(d int) time.Time { return c.notAfter.Add(-time.Duration(d) * Day) }
	i := 0
	for i < len(days) && (at(days[i]).Before(now) || (!after.IsZero() && (!at(days[i]).After(after) || !at(days[i]).After(now)))) {
		i++
	}
	if i == len(days) {
		return
	}
	if !slices.IsSortedFunc(days[i:], func(a, b int) int { return b - a }) {
		panic(fmt.Sprintf("sim: %s days %v are not in descending order", kind, days))
	}
	m.emit(WakeDays{Timer: Timer{Kind: kind, Cert: c.idx, Gen: c.cycle}, NotAfter: c.notAfter, Days: days[i:]})
}

// countdown is the days n, n-1, …, 1, shared by every certificate.
func (m *Model) countdown(n int) []int {
	if len(m.days) < n {
		m.days = make([]int, n)
		for i := range m.days {
			m.days[i] = n - i
		}
	}
	return m.days[len(m.days)-n:]
}

// The window entry of an ineligible certificate says why in its text,
// between these two; CycleReader reads the reason back from there.
const (
	notEligibleText = "; not eligible: "
	notTriedText    = ", so ACM does not try to renew"
)

func (m *Model) openWindow(now time.Time, c *certState) {
	m.refreshEligibility(c)
	text := fmt.Sprintf("renewal window opened %s before expiry", FormatDuration(c.notAfter.Sub(now)))
	var cause Cause
	if c.eligibility != Eligible {
		var why string
		cause, why = m.ineligibleWhy(c)
		text += notEligibleText + why + notTriedText
	}
	m.log(now, KindWindow, c, "", Detail{Text: text, Cycle: c.cycle, StatusDetail: &StatusDetail{Eligibility: c.eligibility, Cause: cause}, NotAfter: timePtr(c.notAfter)})
	if c.phase != PhaseIdle {
		// RenewCertificate got there first: the renewal is already issuing.
		return
	}
	c.windowOpens(c.eligibility == Eligible)
	if c.phase == PhaseValidating {
		m.startRenewal(now, c)
	}
}

// startRenewal begins validating in the window: the renewal summary
// appears, and the first attempt runs at once. Private certificates need
// no domain validation: ACM reissues them.
func (m *Model) startRenewal(now time.Time, c *certState) {
	before := m.snapshot(c)
	if c.renewalStatus == "" || c.renewalStatus == RenewalSuccess {
		c.renewalStatus = RenewalPendingAuto
		c.reason = ""
		c.nameStatus = make([]ValidationStatus, len(c.names))
		for i := range c.nameStatus {
			c.nameStatus[i] = ValidationPending
		}
	}
	m.logStatusIfChanged(now, c, before)
	c.attemptGen++
	m.startAttempt(now, c)
}

// startAttempt checks every name by its validation method. Checks that need
// the world go out as effects; the attempt finishes when the last answer is
// in.
func (m *Model) startAttempt(now time.Time, c *certState) {
	if c.spec.Type != TypeAmazonIssued {
		// Private certificates need no validation: ACM asks the CA.
		m.requestIssue(now, c)
		return
	}
	a := &c.att
	a.n++
	a.prev = a.checks
	// Write into a scratch slice: an attempt that ends like the previous
	// one logs the previous (immutable) slice again instead of a copy.
	if cap(a.scratch) < len(c.names) {
		a.scratch = make([]NameCheck, len(c.names))
	}
	a.checks = a.scratch[:len(c.names)]
	clear(a.checks)
	if cap(a.keys) < len(c.names) {
		a.keys = make([]checkKey, len(c.names))
	}
	a.keys = a.keys[:len(c.names)]
	clear(a.keys)
	a.pending = a.pending[:0]
	for i, n := range c.names {
		nc := &a.checks[i]
		nc.Domain = n
		switch c.spec.Validation {
		case ValidationDNS:
			m.checkDNS(c, i, nc)
		case ValidationHTTP:
			m.checkHTTP(c, i, n, nc)
		case ValidationEmail:
			m.checkEmail(now, c, i, n, nc)
		}
	}
	if len(a.pending) == 0 {
		m.finishAttempt(now, c)
	}
}

// want notes that name i waits on the check called key, and tells whether
// that check still has to be sent: names that share a validation record
// share the query.
func (m *Model) want(c *certState, i int, key checkKey) bool {
	a := &c.att
	a.keys[i] = key
	if slices.Contains(a.pending, key) {
		return false
	}
	a.pending = append(a.pending, key)
	return true
}

// answer applies judge to every name waiting on key, and finishes the attempt
// when nothing else is outstanding. An answer to an earlier attempt, or to a
// check nobody waits for, changes nothing.
func (m *Model) answer(now time.Time, c *certState, attempt int, key checkKey, judge func(nc *NameCheck)) {
	a := &c.att
	if attempt != a.n || c.phase != PhaseValidating || a.caaPending {
		return
	}
	k := slices.Index(a.pending, key)
	if k < 0 {
		return
	}
	a.pending = slices.Delete(a.pending, k, k+1)
	for i := range a.checks {
		if a.keys[i] == key {
			judge(&a.checks[i])
		}
	}
	if len(a.pending) == 0 {
		m.finishAttempt(now, c)
	}
}

// sameAttempt tells whether two attempt details say the same thing; an
// attempt that found what the previous one found reuses its checks slice.
func sameAttempt(a, b *Detail) bool {
	return a.Text == b.Text && a.Cycle == b.Cycle && a.OK == b.OK && sameSlice(a.Checks, b.Checks)
}

func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// sameCheck tells whether two checks say the same thing.
func sameCheck(a, b NameCheck) bool {
	return a.Domain == b.Domain && a.Method == b.Method && a.Record == b.Record && a.Expected == b.Expected &&
		a.Rcode == b.Rcode && a.Status == b.Status && a.Cause == b.Cause && a.Problem == b.Problem && a.Fix == b.Fix &&
		slices.Equal(a.Answer, b.Answer)
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

func (m *Model) finishAttempt(now time.Time, c *certState) {
	a := &c.att
	before := m.snapshot(c)
	ok := true
	for i := range a.checks {
		c.nameStatus[i] = a.checks[i].Status
		if a.checks[i].Status != ValidationSuccess {
			ok = false
		}
	}
	text := attemptText(a.checks, a.prev, a.lastText)
	a.lastText = text
	if slices.EqualFunc(a.checks, a.prev, sameCheck) {
		a.checks = a.prev
	} else {
		a.checks = slices.Clone(a.checks)
	}
	m.logAttempt(now, KindAttempt, c, a.n, &Detail{Text: text, Cycle: c.cycle, Checks: a.checks, OK: boolPtr(ok)}, &a.lastDetail)
	if ok {
		m.logStatusIfChanged(now, c, before)
		a.caaPending = true
		m.emit(CheckCAA{Cert: c.idx, Attempt: a.n, Names: slices.Clone(c.names)})
		return
	}
	m.failing(now, c)
	m.logStatusIfChanged(now, c, before)
	if c.spec.Validation == ValidationEmail && !c.cyc.mailed && !now.Before(c.notAfter.Add(-m.p.EmailBefore)) {
		m.mail(now, c)
	}
	if m.periodic(c) {
		m.retry(now, c)
	}
}

// failing notes that an attempt failed: the failing time decides when the
// renewal turns PENDING_VALIDATION and when the legacy instruction goes out.
func (m *Model) failing(now time.Time, c *certState) {
	if c.cyc.failingSince.IsZero() {
		c.cyc.failingSince = now
		if m.p.InstructionEmailAfter > 0 && !c.cyc.instructed {
			m.wake(now.Add(m.p.InstructionEmailAfter), TimerInstruction, c, c.attemptGen, 0)
		}
	}
	if c.renewalStatus == RenewalPendingAuto && now.Sub(c.cyc.failingSince) >= m.p.PendingValidationAfter {
		c.renewalStatus = RenewalPendingValidation
	}
}

func (m *Model) retry(now time.Time, c *certState) {
	if next := now.Add(m.p.RetryInterval); next.Before(c.notAfter) {
		m.wake(next, TimerAttempt, c, c.attemptGen, 0)
	}
}

// periodic tells whether ACM retries on its own: DNS and HTTP checks and the
// legacy probe are repeated; an e-mail approval is waited for.
func (m *Model) periodic(c *certState) bool {
	return c.spec.Validation != ValidationEmail || m.p.HTTPSProbe
}

// validated: every name passed; the new certificate follows after the issue
// delay.
func (m *Model) validated(now time.Time, c *certState) {
	c.validated()
	c.cyc.failingSince = time.Time{}
	// The attempt generation, not the cycle: an issuance stopped by lost
	// eligibility (stopsIssuing) and validated again leaves its first
	// timer stale.
	m.wake(now.Add(m.p.IssueDelay), TimerIssue, c, c.attemptGen, 0)
}

// issue makes the new certificate: same ARN, new serial, a lifetime from
// the profile; the resources serve it after their deploy delays, and the
// next cycle's timers start.
func (m *Model) issue(now time.Time, c *certState) {
	before := m.snapshot(c)
	c.renewed()
	c.cyc = cycleState{approvedAt: make([]time.Time, len(c.names))}
	renewedCycle := c.cycle
	m.emit(CancelWakes{Cert: c.idx, Gen: renewedCycle})
	c.cycle++
	c.att.n = 0
	c.serial = m.newSerial(c.spec.ID, renewedCycle)
	c.notBefore = now
	c.notAfter = now.Add(m.p.Validity(c.spec.Type, now))
	c.renewalStatus = RenewalSuccess
	c.reason = ""
	// "Exported since issued or last renewed": a renewal resets it.
	c.exported = false
	m.refreshEligibility(c)
	m.log(now, KindIssued, c, "", Detail{
		Text:  fmt.Sprintf("renewed: new certificate %s valid until %s", c.serial, c.notAfter.Format(time.RFC3339)),
		Cycle: renewedCycle, ARN: c.arn, Serial: c.serial, Names: c.names,
		NotBefore: timePtr(c.notBefore), NotAfter: timePtr(c.notAfter),
	})
	m.logStatusIfChanged(now, c, before)
	m.available(now, c)
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
	m.emit(Deploy{Resource: ri, Cert: c.idx, Serial: c.serial, Names: c.names, NotBefore: c.notBefore, NotAfter: c.notAfter})
	// A client's view changes only when the certificate changes or stops
	// being valid: look then, with a real handshake.
	r.gen++
	m.emit(ProbeTLS{Resource: ri, ServerName: m.serverName(r)})
	m.emit(Wake{At: c.notAfter.Add(time.Second), Timer: Timer{Kind: TimerProbe, Cert: c.idx, Gen: r.gen, N: ri}})
}

func (m *Model) expire(now time.Time, c *certState) {
	before := m.snapshot(c)
	wasEligible := c.eligibility == Eligible
	c.expires()
	c.status = StatusExpired
	c.attemptGen++
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
	m.logStatusIfChanged(now, c, before)
	if c.spec.Type != TypeImported {
		m.expired(now, c, wasEligible)
	}
}
