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
	d := Detail{Do: ch.Do, Record: ch.Record, Name: ch.Name, Type: ch.Type}
	switch ch.Do {
	case DoDeleteValidationRecord, DoRestoreValidationRecord:
		if err := needCert(); err != nil {
			return err
		}
		m.validationRecordChange(now, c, ch.Do == DoDeleteValidationRecord, d)
	case DoClickApproval:
		d.Domain = ch.Domain
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
		d.Text = fmt.Sprintf("RenewCertificate for %s", c.spec.ID)
		m.log(now, KindTimeline, c, "", d)
		if c.spec.Type == TypePrivate && c.status == StatusIssued && c.eligibility == Eligible &&
			(c.phase == PhaseIdle || c.phase == PhaseValidating) {
			before := m.snapshot(c)
			c.renewalStatus = RenewalPendingAuto
			c.reason = ""
			c.attemptGen++
			m.logStatusIfChanged(now, c, before)
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
			path, content, _ := HTTPToken(m.seed, m.p, n)
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
		rec, val := c.spec.ValidationCNAME(m.seed, m.p.Account, base)
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
	d.Name, d.Zone = "", ""
	if zone {
		d.Zone = owner
	} else {
		d.Name = owner
	}
	if ch.Do == DoDNSFaultClear {
		d.Text = "DNS answers normally again for " + where
		m.log(now, KindTimeline, nil, "", d)
		m.emit(DNSFault{Owner: owner, Zone: zone, Clear: true})
		return
	}
	d.Fault, d.Probability = ch.Fault, ch.Probability
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
