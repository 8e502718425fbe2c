package sim

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"
)

// apply carries out a world change from the timeline. A change that names
// a certificate or resource the scenario does not have, or an action the
// model does not know, is refused.
func (m *Model) apply(now time.Time, ch Change) error {
	var c *certState
	if ch.Cert != "" {
		i, ok := m.certByID[ch.Cert]
		if !ok {
			return fmt.Errorf("%s: no certificate %q", ch.Do, ch.Cert)
		}
		c = m.certs[i]
	}
	ri := -1
	if ch.Resource != "" {
		i, ok := m.resByID[ch.Resource]
		if !ok {
			return fmt.Errorf("%s: no resource %q", ch.Do, ch.Resource)
		}
		ri = i
	}
	needCert := func() error {
		if c == nil {
			return fmt.Errorf("%s needs a certificate", ch.Do)
		}
		return nil
	}
	d := Detail{TimelineDetail: &TimelineDetail{Do: ch.Do, Record: ch.Record, Name: ch.Name, Type: ch.Type}}
	switch ch.Do {
	case DoDeleteValidationRecord, DoRestoreValidationRecord:
		if err := needCert(); err != nil {
			return err
		}
		m.validationRecordChange(now, c, ch.Do == DoDeleteValidationRecord, d)
	case DoClickApproval:
		d.MailDetail = &MailDetail{Domain: ch.Domain}
		d.Text = "someone follows the newest approval link for " + ch.Domain
		m.log(now, KindTimeline, nil, "", d)
		m.emit(ClickApproval{Domain: ch.Domain})
	case DoResendValidationEmail:
		if err := needCert(); err != nil {
			return err
		}
		d.Text = fmt.Sprintf("ResendValidationEmail for %s", c.spec.ID)
		m.log(now, KindTimeline, c, "", d)
		if m.validating(c) {
			m.mail(now, c)
		}
	case DoRenewCertificate:
		if err := needCert(); err != nil {
			return err
		}
		m.renewCertificate(now, c, d)
	case DoReimport:
		if err := needCert(); err != nil {
			return err
		}
		if c.spec.Type != TypeImported || !ch.NotAfter.After(now) {
			return fmt.Errorf("reimport of %s: needs an imported certificate and a NotAfter after now", c.spec.ID)
		}
		m.reimport(now, c, ch.NotAfter, d)
	case DoPCAFailure, DoPCARestore:
		if err := needCert(); err != nil {
			return err
		}
		if c.spec.Type != TypePrivate || (ch.Do == DoPCAFailure && !strings.HasPrefix(ch.Reason, "PCA_")) {
			return fmt.Errorf("%s of %s: needs a private certificate (and a PCA_* reason)", ch.Do, c.spec.ID)
		}
		if ch.Do == DoPCAFailure {
			c.pcaFailure = ch.Reason
			d.StatusDetail = &StatusDetail{Reason: ch.Reason}
			d.Text = fmt.Sprintf("AWS Private CA refuses to issue %s's certificates (%s)", c.spec.ID, ch.Reason)
		} else {
			c.pcaFailure = ""
			d.Text = fmt.Sprintf("AWS Private CA issues %s's certificates again", c.spec.ID)
		}
		m.log(now, KindTimeline, c, "", d)
	case DoMailboxReject, DoMailboxAccept:
		d.MailDetail = &MailDetail{To: ch.Address}
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
	case DoAttach, DoDetach:
		if err := needCert(); err != nil {
			return err
		}
		if ri < 0 {
			return fmt.Errorf("%s needs a resource", ch.Do)
		}
		if ch.Do == DoAttach {
			m.attach(now, c, ri, d)
		} else {
			m.detach(now, c, ri, d)
		}
	case DoDNSFault, DoDNSFaultClear:
		m.dnsFault(now, ch, d)
	case DoExport:
		if err := needCert(); err != nil {
			return err
		}
		d.Text = fmt.Sprintf("%s exported", c.spec.ID)
		m.log(now, KindTimeline, c, "", d)
		c.exported = true
		m.eligibilityChanged(now, c)
	default:
		return fmt.Errorf("unknown timeline action %q", ch.Do)
	}
	return nil
}

// validationRecordChange deletes or restores c's validation records: the
// CNAMEs of a DNS-validated certificate, the token files of an
// HTTP-validated one.
func (m *Model) validationRecordChange(now time.Time, c *certState, del bool, d Detail) {
	verb := "restored"
	if del {
		verb = "deleted"
	}
	if c.spec.Validation == ValidationHTTP {
		var paths []string
		for _, n := range c.names {
			path, content, _ := HTTPToken(m.seed, c.p, n)
			paths = append(paths, "http://"+n+path)
			for _, ri := range c.attached {
				m.emit(WebChange{Resource: ri, Path: path, Body: content, Delete: del})
			}
		}
		d.Text = fmt.Sprintf("HTTP validation token %s %s", strings.Join(paths, ", "), verb)
		m.log(now, KindTimeline, c, "", d)
		return
	}
	var z DNSChange
	var recs []string
	for _, base := range recordBases(c.names) {
		rec, val := c.spec.ValidationCNAME(m.seed, c.p.Account, base)
		recs = append(recs, rec)
		z.Remove = append(z.Remove, DNSRemove{Name: rec, Type: "CNAME"})
		if !del {
			z.Add = append(z.Add, cnameLine(rec, val))
		}
	}
	d.Text = fmt.Sprintf("validation CNAME %s %s", strings.Join(recs, ", "), verb)
	m.log(now, KindTimeline, c, "", d)
	m.emit(z)
}

func (m *Model) attach(now time.Time, c *certState, ri int, d Detail) {
	id := m.res[ri].spec.ID
	d.Text = fmt.Sprintf("%s attached to %s", c.spec.ID, id)
	m.log(now, KindTimeline, c, id, d)
	if !slices.Contains(c.attached, ri) {
		c.attached = append(c.attached, ri)
		m.serve(now, ri, c)
	}
	m.eligibilityChanged(now, c)
}

func (m *Model) detach(now time.Time, c *certState, ri int, d Detail) {
	id := m.res[ri].spec.ID
	d.Text = fmt.Sprintf("%s detached from %s", c.spec.ID, id)
	m.log(now, KindTimeline, c, id, d)
	if i := slices.Index(c.attached, ri); i >= 0 {
		c.attached = slices.Delete(c.attached, i, i+1)
		r := m.res[ri]
		if j := slices.Index(r.serving, c.idx); j >= 0 {
			r.serving = slices.Delete(r.serving, j, j+1)
		}
		r.gen++
		m.log(now, KindUndeployed, c, id, Detail{Text: fmt.Sprintf("%s no longer serves %s", id, c.spec.ID), Serial: c.serial})
		m.emit(Deploy{Resource: ri, Cert: c.idx})
	}
	m.eligibilityChanged(now, c)
}

// eligibilityChanged re-evaluates eligibility after attach, detach or
// export: ACM re-evaluates it all the time, so detaching the last resource
// stops a renewal and attaching one starts it.
func (m *Model) eligibilityChanged(now time.Time, c *certState) {
	before := m.snapshot(c)
	m.refreshEligibility(c)
	switch {
	case c.eligibility == Eligible:
	case c.phase == PhaseValidating:
		c.losesEligibility()
		c.attemptGen++
	case c.phase == PhaseIssuing:
		// The issue timer finds the phase changed and issues nothing.
		c.stopsIssuing(!now.Before(c.notAfter.Add(-c.window)))
		c.attemptGen++
	}
	m.logStatusIfChanged(now, c, before)
	if c.eligibility == Eligible && c.phase == PhaseIneligible && c.status == StatusIssued {
		c.becomesEligible()
		m.startRenewal(now, c)
	}
}

func (m *Model) refreshEligibility(c *certState) {
	if m.ineligibleCause(c) == "" {
		c.eligibility = Eligible
	} else {
		c.eligibility = Ineligible
	}
}

// ineligibleWhy says why ACM would not renew c now, or "" when it would.
func (m *Model) ineligibleWhy(c *certState) (Cause, string) {
	cause := m.ineligibleCause(c)
	if cause == CauseIDN {
		for _, n := range c.names {
			if p := IDNProblem(n); p != "" {
				return cause, p
			}
		}
	}
	return cause, cause.Explain()
}

func (m *Model) ineligibleCause(c *certState) Cause {
	switch {
	case c.spec.Type == TypeImported:
		return CauseImported
	case c.spec.Type == TypePrivateCA:
		return CausePrivateCA
	case c.status == StatusExpired:
		return CauseExpired
	}
	for _, n := range c.names {
		if IDNProblem(n) != "" {
			return CauseIDN
		}
	}
	switch {
	case len(c.attached) > 0:
		return ""
	case c.exported && m.p.Eligibility == EligibleInUseOrExported:
		return ""
	case c.exported:
		return CauseExportedNotInUse
	}
	return CauseNotInUse
}

// dnsFault starts or ends a DNS fault. Its seed derives from the run's
// seed and how many faults came before, so a run strikes the same queries
// every time.
func (m *Model) dnsFault(now time.Time, ch Change, d Detail) {
	owner, zone := ch.Name, false
	if ch.Zone != "" {
		owner, zone = ch.Zone, true
	}
	owner = strings.ToLower(strings.TrimSuffix(owner, ".")) + "."
	where := owner
	if zone {
		where = owner + " and every name below it"
	}
	// A group of its own: d's is the caller's.
	td := d.TimelineOf()
	d.TimelineDetail = &td
	td.Name, td.Zone = "", ""
	if zone {
		td.Zone = owner
	} else {
		td.Name = owner
	}
	if ch.Do == DoDNSFaultClear {
		d.Text = "DNS answers normally again for " + where
		m.log(now, KindTimeline, nil, "", d)
		m.emit(DNSFault{Owner: owner, Zone: zone, Clear: true})
		return
	}
	td.Fault, td.Probability = ch.Fault, ch.Probability
	what := map[string]string{
		FaultServfail: "answers SERVFAIL",
		FaultTimeout:  "does not answer",
		FaultSlow:     "answers after ACM's resolver has given up",
	}[ch.Fault]
	share := "every query"
	if ch.Probability > 0 && ch.Probability < 1 {
		share = fmt.Sprintf("%g%% of the queries", 100*ch.Probability)
	}
	d.Text = fmt.Sprintf("DNS %s for %s of %s", what, share, where)
	m.log(now, KindTimeline, nil, "", d)
	m.nflt++
	dg := digest(m.seed, "dns-fault", owner, fmt.Sprint(zone), fmt.Sprint(m.nflt))
	m.emit(DNSFault{Owner: owner, Zone: zone, Kind: ch.Fault, Probability: ch.Probability, Seed: binary.BigEndian.Uint64(dg[:8])})
}

// renewCertificate is RenewCertificate (forced renewal). ACM renews on
// request an eligible private or amazon-issued certificate that was
// exported since it was issued or last renewed ("You can only renew
// certificates that have been previously exported": S18,
// https://docs.aws.amazon.com/acm/latest/userguide/force-certificate-renewal.html).
// A private certificate is reissued at once; an amazon-issued one has its
// names validated now, as when its window opens, and renews when they are.
func (m *Model) renewCertificate(now time.Time, c *certState, d Detail) {
	why := ""
	switch {
	case c.spec.Type != TypePrivate && c.spec.Type != TypeAmazonIssued:
		why = fmt.Sprintf("%s certificates cannot be renewed by ACM", c.spec.Type)
	case c.status != StatusIssued:
		why = "the certificate has expired"
	case !c.exported:
		why = "it was not exported since it was issued or last renewed, and ACM renews on request only exported certificates"
	case c.eligibility != Eligible:
		_, why = m.ineligibleWhy(c)
		why = "it is not eligible for renewal: " + why
	case c.phase == PhaseIssuing:
		why = "its renewal is already being issued"
	}
	if why != "" {
		d.Text = fmt.Sprintf("RenewCertificate for %s refused: %s", c.spec.ID, why)
		d.OK = boolPtr(false)
		m.log(now, KindTimeline, c, "", d)
		return
	}
	d.Text = fmt.Sprintf("RenewCertificate for %s", c.spec.ID)
	m.log(now, KindTimeline, c, "", d)
	switch {
	case c.spec.Type == TypePrivate:
		before := m.snapshot(c)
		c.renewalStatus = RenewalPendingAuto
		c.reason = ""
		c.attemptGen++
		m.logStatusIfChanged(now, c, before)
		m.requestIssue(now, c)
	case c.phase == PhaseIdle:
		c.renewalRequested()
		m.startRenewal(now, c)
	default: // validating: an attempt now; the old retry timer is stale
		c.attemptGen++
		m.startAttempt(now, c)
	}
}

// requestIssue asks AWS Private CA for a private certificate's renewal: it
// issues (the renewal follows after the issue delay) unless a pca-failure
// is in force, in which case the renewal FAILED with the PCA_* reason, AWS
// Health sends AWS_ACM_RENEWAL_FAILURE (once a cycle), and ACM asks again
// at the next retry interval while the renewal window is open (S7: the
// Health code "for certificates signed by a private CA").
func (m *Model) requestIssue(now time.Time, c *certState) {
	if c.pcaFailure == "" {
		before := m.snapshot(c)
		if c.renewalStatus == RenewalFailed {
			c.renewalStatus = RenewalPendingAuto
		}
		c.reason = ""
		m.validated(now, c)
		m.logStatusIfChanged(now, c, before)
		return
	}
	c.att.n++
	before := m.snapshot(c)
	c.renewalStatus = RenewalFailed
	c.reason = c.pcaFailure
	text := fmt.Sprintf("AWS Private CA could not issue the renewal (%s)", c.pcaFailure)
	m.logAttempt(now, KindAttempt, c, c.att.n, &Detail{Text: text, Cycle: c.cycle, OK: boolPtr(false)}, &c.att.lastDetail)
	m.failing(now, c)
	m.logStatusIfChanged(now, c, before)
	if !c.cyc.pcaNotified {
		c.cyc.pcaNotified = true
		m.health(now, c, "AWS_ACM_RENEWAL_FAILURE", fmt.Sprintf("ACM could not renew the private certificate %s: %s", c.arn, c.pcaFailure))
	}
	if c.phase == PhaseValidating {
		m.retry(now, c)
	}
}

// reimport replaces an imported certificate in place: same ARN, a new
// serial, valid from now to notAfter; an expired one is ISSUED again. ACM
// announces it ("ACM Certificate Available", Action REIMPORT, S7) and the
// resources using it serve it after their deploy delays.
func (m *Model) reimport(now time.Time, c *certState, notAfter time.Time, d Detail) {
	d.Text = fmt.Sprintf("%s reimported: a new certificate valid until %s", c.spec.ID, notAfter.Format(time.RFC3339))
	d.NotAfter = timePtr(notAfter)
	m.log(now, KindTimeline, c, "", d)
	before := m.snapshot(c)
	c.reimported()
	c.cyc = cycleState{approvedAt: make([]time.Time, len(c.names))}
	replaced := c.cycle
	c.cycle++
	c.attemptGen++
	c.serial = m.newSerial(c.spec.ID, replaced)
	c.notBefore, c.notAfter = now, notAfter
	c.status = StatusIssued
	m.refreshEligibility(c)
	m.log(now, KindIssued, c, "", Detail{
		Text:  fmt.Sprintf("reimported: new certificate %s valid until %s", c.serial, c.notAfter.Format(time.RFC3339)),
		Cycle: replaced, TimelineDetail: &TimelineDetail{Do: DoReimport}, ARN: c.arn, Serial: c.serial, Names: c.names,
		NotBefore: timePtr(c.notBefore), NotAfter: timePtr(c.notAfter),
	})
	m.logStatusIfChanged(now, c, before)
	m.event(now, c, EventAvailable, AvailableDetail{
		Action: "REIMPORT", CertificateType: certificateType(c.spec.Type), CommonName: c.spec.Domain,
		CertificateCreatedDate: awsTime(c.notBefore), CertificateExpirationDate: awsTime(c.notAfter),
		DaysToExpiry: int(c.notAfter.Sub(now) / Day), InUse: len(c.attached) > 0, Exported: c.exported,
	})
	for _, ri := range c.attached {
		m.wake(now.Add(m.res[ri].spec.DeployDelay), TimerDeploy, c, c.cycle, ri)
	}
	m.scheduleCycle(now, c)
}
