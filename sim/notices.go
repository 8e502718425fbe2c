package sim

import (
	"fmt"
	"time"
)

// What ACM tells the customer: EventBridge events, AWS Health events and the
// legacy instruction e-mail.

func (m *Model) approaching(now time.Time, c *certState, days int) {
	m.event(now, c, EventApproaching, ApproachingDetail{DaysToExpiry: days, CommonName: c.spec.Domain})
}

// notice is Renewal Action Required on a notice day, while the renewal is
// being attempted and failing.
func (m *Model) notice(now time.Time, c *certState, days int) {
	if c.status != StatusIssued || c.phase != PhaseValidating || c.att.n == 0 {
		return
	}
	// A notice means the customer must act: the renewal is pending
	// validation from here on, whatever the failing-time knob said.
	before := m.snapshot(c)
	if c.renewalStatus != RenewalFailed {
		c.renewalStatus = RenewalPendingValidation
	}
	m.logStatusIfChanged(now, c, before)
	reason := c.reason
	if reason == "" {
		reason = ReasonPendingDomainValidation
	}
	m.event(now, c, EventActionRequired, ActionRequiredDetail{
		CertificateType: certificateType(c.spec.Type), CommonName: c.spec.Domain,
		DomainValidationMethod: validationMethod(c.spec), RenewalStatusReason: reason,
		DaysToExpiry: days, CertificateExpirationDate: awsTime(c.notAfter),
		InUse: len(c.attached) > 0, Exported: c.exported,
	})
	m.health(now, c, "AWS_ACM_RENEWAL_STATE_CHANGE", fmt.Sprintf("ACM could not renew the certificate %s; it expires in %s. Action is required.", c.arn, Count(days, "day")))
}

// instruct is the legacy notice: while renewal fails ACM e-mails the account
// instructions to fix it by hand and posts the same notice to the AWS Health
// dashboard, from 45 days before expiry (15 days into the window) and again
// 30, 15, 7, 3 and 1 days before (instruction_email_days). Sources: the
// 2021 user guide, "Troubleshooting managed certificate renewal" (after 15
// days of failure "you will receive an email with further instructions",
// H1) and "Check a certificate's renewal status" (Personal Health Dashboard
// notices "at 45 day, 30 day, 15 day, 7 day, 3 day, and 1 day intervals from
// expiration"); docs/model.md.
func (m *Model) instruct(now time.Time, c *certState) {
	c.cyc.instructed = true
	days := int(c.notAfter.Sub(now) / Day)
	m.log(now, KindNotice, c, "", Detail{
		Text: fmt.Sprintf("renewal has failed for %s, %s before expiry: ACM e-mails instructions to fix it by hand to %s and posts them to AWS Health",
			FormatDuration(now.Sub(c.cyc.failingSince)), Count(days, "day"), m.sc.AccountEmail),
		NoticeDetail: &NoticeDetail{Channel: "email", Days: days},
	})
	if m.sc.AccountEmail != "" {
		subject, body := InstructionEmail(c.p, c.arn, c.spec.Domain, validationMethod(c.spec), c.notAfter)
		m.emit(SendEmail{Cert: c.idx, Kind: EmailInstruction, Domain: c.spec.Domain, To: []string{m.sc.AccountEmail}, ARN: c.arn, Subject: subject, Body: body})
	}
	m.health(now, c, "AWS_ACM_RENEWAL_STATE_CHANGE", fmt.Sprintf("ACM could not renew the certificate %s; it expires in %s. Action is required.", c.arn, Count(days, "day")))
}

// available announces a renewed certificate.
func (m *Model) available(now time.Time, c *certState) {
	m.event(now, c, EventAvailable, AvailableDetail{
		Action: "RENEWAL", CertificateType: certificateType(c.spec.Type), CommonName: c.spec.Domain,
		DomainValidationMethod: validationMethod(c.spec), CertificateCreatedDate: awsTime(c.notBefore),
		CertificateExpirationDate: awsTime(c.notAfter), DaysToExpiry: int(c.notAfter.Sub(now) / Day),
		InUse: len(c.attached) > 0, Exported: c.exported,
	})
	m.health(now, c, "AWS_ACM_RENEWAL_STATE_CHANGE", fmt.Sprintf("ACM renewed the certificate %s; it is valid until %s.", c.arn, awsTime(c.notAfter)))
}

// expired announces a certificate that expired unrenewed: the EventBridge
// event for every ACM certificate, the AWS Health event only for one that
// was eligible for renewal when it expired. AWS Health events "are
// generated for ACM certificates that are eligible for renewal" (S7,
// https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html,
// "AWS health events"): a certificate nothing uses expires without one.
func (m *Model) expired(now time.Time, c *certState, eligible bool) {
	m.event(now, c, EventExpired, ExpiredDetail{
		CertificateType: certificateType(c.spec.Type), CommonName: c.spec.Domain,
		DomainValidationMethod: validationMethod(c.spec), CertificateCreatedDate: awsTime(c.notBefore),
		CertificateExpirationDate: awsTime(c.notAfter), InUse: len(c.attached) > 0, Exported: c.exported,
	})
	if eligible {
		m.health(now, c, "AWS_ACM_RENEWAL_STATE_CHANGE", fmt.Sprintf("The certificate %s expired on %s.", c.arn, awsTime(c.notAfter)))
	}
}

func (m *Model) event(now time.Time, c *certState, detailType string, detail any) {
	m.nev++
	e := &Event{
		Version: "0", ID: uuid(digest(m.seed, "event", fmt.Sprint(m.nev))), DetailType: detailType,
		Source: "aws.acm", Account: c.p.Account, Time: awsTime(now), Region: c.p.Region,
		Resources: []string{c.arn}, Detail: detail,
	}
	m.log(now, KindEventBus, c, "", Detail{Text: detailType, Event: e})
}

func (m *Model) health(now time.Time, c *certState, code, text string) {
	m.nev++
	id := uuid(digest(m.seed, "event", fmt.Sprint(m.nev)))
	hd := HealthDetail{
		EventArn:          fmt.Sprintf("arn:aws:health:%s::event/ACM/%s/%s", c.p.Region, code, id),
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
		Account: c.p.Account, Time: awsTime(now), Region: c.p.Region,
		Resources: []string{c.arn}, Detail: hd,
	}
	m.log(now, KindEventBus, c, "", Detail{Text: EventHealth + " " + code, Event: e})
}

// The status entries of the record: one whenever what ACM shows changes.

type snap struct {
	status  Status
	renewal RenewalStatus
	reason  string
	elig    Eligibility
}

func (m *Model) snapshot(c *certState) snap {
	return snap{c.status, c.renewalStatus, c.reason, c.eligibility}
}

func (m *Model) logStatusIfChanged(now time.Time, c *certState, before snap) {
	if m.snapshot(c) != before {
		m.logStatus(now, c)
	}
}

func (m *Model) logStatus(now time.Time, c *certState) {
	var cause Cause
	if c.eligibility == Ineligible {
		cause = m.ineligibleCause(c)
	}
	// A status entry says nothing of its certificate but its state, so
	// entries that say the same share one Detail: a fleet has a handful of
	// states and a million status changes.
	key := statusKey{c.cycle, c.status, c.renewalStatus, c.reason, c.eligibility, cause}
	d, ok := m.statuses[key]
	if !ok {
		text := "status " + string(c.status)
		if c.renewalStatus != "" {
			text += ", renewal " + string(c.renewalStatus)
		}
		if c.reason != "" {
			text += " (" + c.reason + ")"
		}
		text += ", " + lowerEligibility(c.eligibility)
		d = m.newDetail(Detail{Text: text, Cycle: c.cycle, StatusDetail: &StatusDetail{Status: c.status, RenewalStatus: c.renewalStatus, Reason: c.reason, Eligibility: c.eligibility, Cause: cause}})
		if m.statuses == nil {
			m.statuses = map[statusKey]*Detail{}
		}
		m.statuses[key] = d
	}
	m.append(now, KindStatus, c, 0, d)
}

type statusKey struct {
	cycle       int
	status      Status
	renewal     RenewalStatus
	reason      string
	eligibility Eligibility
	cause       Cause
}

func lowerEligibility(e Eligibility) string {
	switch e {
	case Eligible:
		return "eligible"
	case Ineligible:
		return "ineligible"
	}
	return string(e)
}
