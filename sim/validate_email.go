package sim

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// checkEmail judges name i of an e-mail-validated certificate: approved in
// this cycle (or recently enough to reuse), found by the legacy HTTPS probe,
// or still waiting for someone to follow an approval link.
func (m *Model) checkEmail(now time.Time, c *certState, i int, n string, nc *NameCheck) {
	nc.Method = "EMAIL"
	at := c.cyc.approvedAt[i]
	if !at.IsZero() && now.Sub(at) <= m.p.Reuse(now) {
		nc.Status = ValidationSuccess
		return
	}
	if m.p.HTTPSProbe {
		nc.Method = "HTTPS"
		probe := probeName(n)
		if m.want(c, i, checkKey{'s', probe}) {
			m.emit(ProbeHTTPS{Cert: c.idx, Attempt: c.att.n, Domain: probe, Alternatives: wwwAlternatives(probe)})
		}
		return
	}
	nc.Status = ValidationPending
	nc.Cause = CauseEmailNotApproved
	nc.Problem = "waiting for someone to approve the validation e-mail"
	if !c.cyc.mailed {
		nc.Cause = CauseEmailNotSent
		nc.Problem = "no approval e-mail sent yet"
	}
	if !at.IsZero() {
		// Approved, but too long ago for the reuse period of today.
		nc.Cause = CauseEmailApprovalTooOld
		nc.Problem = fmt.Sprintf("its approval of %s is older than the %s a validation may be reused for on %s", at.UTC().Format("2006-01-02 15:04"),
			FormatDuration(m.p.Reuse(now)), now.UTC().Format("2006-01-02"))
	}
	nc.Fix = fmt.Sprintf("follow the approval link e-mailed to %s", strings.Join(AdminAddresses(c.spec.ValidationDomain(n)), ", "))
}

// probeName is the name the legacy HTTPS probe asks for name: ACM treats a
// wildcard name like its parent (*.example.com is probed at example.com,
// then www.example.com), since "*" is no host to connect to. Source: the
// 2017-2021 user guide, "How domain validation works" and "Renewal for
// domains validated by email" (docs/model.md §4; H2, H3 in docs/sources.md), table "Domain
// names that ACM tries for validation".
func probeName(name string) string {
	return strings.TrimPrefix(strings.TrimSuffix(name, "."), "*.")
}

// wwwAlternatives are the names the probe also tries for name: www.X for
// X, and X for www.X.
func wwwAlternatives(name string) []string {
	n := strings.TrimSuffix(name, ".")
	if rest, ok := strings.CutPrefix(n, "www."); ok {
		return []string{rest}
	}
	return []string{"www." + n}
}

// httpsAnswer takes the answer of the legacy HTTPS probe: the name counts as
// validated when it serves the very certificate being renewed.
func (m *Model) httpsAnswer(now time.Time, c *certState, a HTTPSAnswer) {
	serial := c.serial
	m.answer(now, c, a.Attempt, checkKey{'s', a.Domain}, func(nc *NameCheck) {
		if a.Serial != "" {
			nc.Answer = []string{a.Via + " serves " + a.Serial}
		}
		switch {
		case a.Serial == serial && serial != "":
			nc.Status = ValidationSuccess
			return
		case a.Err != "":
			nc.Cause = CauseHTTPSProbeFailed
			nc.Problem = fmt.Sprintf("the HTTPS probe of %s failed: %s", a.Domain, a.Err)
		default:
			nc.Cause = CauseHTTPSProbeOther
			nc.Problem = fmt.Sprintf("%s serves certificate %s, not the one being renewed (%s)", a.Via, a.Serial, serial)
		}
		if nc.Domain != a.Domain {
			nc.Problem += fmt.Sprintf(" (ACM probes %s for %s)", a.Domain, nc.Domain)
		}
		nc.Fix = fmt.Sprintf("route HTTPS requests for %s to the resource using this certificate, or approve the validation e-mail", a.Domain)
		nc.Status = ValidationPending
	})
}

// validating tells whether c takes approvals and e-mails now: while
// validating, but not while the CAA lookup of a validated attempt is out.
func (m *Model) validating(c *certState) bool {
	return c.phase == PhaseValidating && !c.att.caaPending
}

// mail sends fresh approval e-mails for every name not yet approved.
func (m *Model) mail(now time.Time, c *certState) {
	c.cyc.mailed = true
	c.mailings++
	sent := false
	for i, n := range c.names {
		if at := c.cyc.approvedAt[i]; !at.IsZero() && now.Sub(at) <= m.p.Reuse(now) {
			continue
		}
		if checks := c.att.checks; checks != nil && i < len(checks) && checks[i].Method == "HTTPS" && checks[i].Status == ValidationSuccess {
			continue
		}
		vd := c.spec.ValidationDomain(n)
		to := Recipients(m.sc, vd)
		d := digest(m.seed, "approval", c.spec.ID, fmt.Sprint(c.cycle), n, fmt.Sprint(c.mailings))
		code := hex.EncodeToString(d[:12])
		m.codes[code] = codeRef{cert: c.idx, name: i, cycle: c.cycle}
		subject, body := ApprovalEmail(c.p, c.arn, n, vd, LinkPlaceholder)
		m.emit(SendEmail{
			Cert: c.idx, Kind: EmailApproval, Domain: n, ValidationDomain: vd, To: to,
			Code: code, Context: uuid(digest(m.seed, "context", code)), ExpiresAt: now.Add(m.p.ApprovalLinkTTL),
			ARN: c.arn, Subject: subject, Body: body,
		})
		sent = true
	}
	if sent && c.renewalStatus != RenewalPendingValidation {
		// The customer must act from now on.
		before := m.snapshot(c)
		c.renewalStatus = RenewalPendingValidation
		m.logStatusIfChanged(now, c, before)
	}
}

// emailResult records what the mail server answered for each recipient.
func (m *Model) emailResult(now time.Time, c *certState, r EmailResult) {
	accepted := 0
	for _, d := range r.Deliveries {
		text := fmt.Sprintf("%s e-mail for %s delivered to %s", r.Kind, r.Domain, d.To)
		if !d.Accepted {
			text = fmt.Sprintf("%s e-mail for %s to %s refused (%d %s)", r.Kind, r.Domain, d.To, d.Code, d.Err)
		} else {
			accepted++
		}
		m.log(now, KindEmail, c, "", Detail{Text: text, MailDetail: &MailDetail{Email: r.Kind, To: d.To, Domain: r.Domain, SMTPCode: d.Code}, OK: boolPtr(d.Accepted)})
	}
	if r.Kind != EmailApproval || c.status != StatusIssued {
		return
	}
	before := m.snapshot(c)
	if accepted == 0 {
		c.reason = ReasonNoAvailableContacts
	} else if c.reason == ReasonNoAvailableContacts {
		c.reason = ""
	}
	m.logStatusIfChanged(now, c, before)
}

// click records that someone followed an approval link; an approval counts
// for the name its code was issued for, in the renewal under way.
func (m *Model) click(now time.Time, r ClickResult) {
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
	m.log(now, KindClick, c, "", Detail{Text: text, MailDetail: &MailDetail{Domain: r.Domain, To: r.Address, Approved: boolPtr(r.Approved)}, Expired: boolPtr(r.Expired)})
	if !known || !r.Approved || ref.cycle != c.cycle || c.status != StatusIssued {
		return
	}
	// The newest approval counts: validation reuse runs from the last time
	// the name was approved, so a name whose earlier approval has grown too
	// old (10 days in cabf-2029) validates again when approved again.
	c.cyc.approvedAt[ref.name] = now
	if m.validating(c) {
		m.startAttempt(now, c)
	}
}
