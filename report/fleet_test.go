package report_test

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// fleetOptions shape a synthetic record.
type fleetOptions struct {
	// perResource is how many certificates share one resource (1: each on
	// its own).
	perResource int
	// noProbes leaves out the TLS probes, so that outage comes from what
	// was deployed.
	noProbes bool
}

var (
	fleetMu    sync.Mutex
	fleetCache = map[int]fleetRun{}
)

type fleetRun struct {
	sc  *sim.Scenario
	log []sim.Entry
}

// fleetRecord is fleet(n) with each certificate on its own resource and
// probes, built once per test binary: the benchmarks share it.
func fleetRecord(n int) (*sim.Scenario, []sim.Entry) {
	fleetMu.Lock()
	defer fleetMu.Unlock()
	r, ok := fleetCache[n]
	if !ok {
		sc, log := fleet(n, fleetOptions{perResource: 1})
		r = fleetRun{sc, log}
		fleetCache[n] = r
	}
	return r.sc, r.log
}

// fleet builds a scenario of n certificates over two years under the
// acm-2026 rules (198-day certificates, a 45-day window, hourly retries) and
// the record a run of it would leave, in time order, without running
// anything. Most certificates renew on the first attempt of each window and
// are served 30 minutes later; every 25th loses its validation CNAME and
// fails hourly for 20 days before it is restored; every 50th fails hourly
// for the whole 45 days and expires, and its resource serves it expired
// until the end; every 40th is validated by e-mail; every 60th is detached
// from its resource for two days. Failing certificates get the EventBridge
// and AWS Health events ACM sends, with typed details.
func fleet(n int, opt fleetOptions) (*sim.Scenario, []sim.Entry) {
	if opt.perResource < 1 {
		opt.perResource = 1
	}
	const day = sim.Day
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	until := start.AddDate(2, 0, 0)
	sc := &sim.Scenario{
		Name: fmt.Sprintf("fleet-%d", n), File: fmt.Sprintf("synthetic/fleet-%d.yaml", n), ProfileName: "acm-2026",
		Description: fmt.Sprintf("%d certificates over two years, synthetic.", n),
		Start:       start, Until: until, Seed: 1,
	}
	all := make([]sim.Entry, 0, 96*n) // about the entries of a certificate, on average
	add := func(t time.Time, kind sim.Kind, cert, res string, d sim.Detail) {
		all = append(all, sim.Entry{Time: t, Kind: kind, Cert: cert, Resource: res, Detail: &d})
	}
	// addAttempt records attempt n of a cycle (validation or CAA).
	addAttempt := func(t time.Time, kind sim.Kind, cert string, n int, d sim.Detail) {
		all = append(all, sim.Entry{Time: t, Kind: kind, Cert: cert, Attempt: n, Detail: &d})
	}
	yes, no := true, false
	ptr := func(t time.Time) *time.Time { return &t }
	nev := 0
	event := func(t time.Time, cert, arn, detailType string, detail any) {
		nev++
		text := detailType
		if h, ok := detail.(sim.HealthDetail); ok {
			text += " " + h.EventTypeCode
		}
		add(t, sim.KindEventBus, cert, "", sim.Detail{Text: text, Event: &sim.Event{
			Version: "0", ID: fmt.Sprintf("00000000-0000-4000-8000-%012x", nev), DetailType: detailType,
			Source: "aws.acm", Account: "123456789012", Time: t.UTC().Format(time.RFC3339), Region: "us-east-1",
			Resources: []string{arn}, Detail: detail,
		}})
	}
	add(start, sim.KindStart, "", "", sim.Detail{Text: fmt.Sprintf("scenario %s, profile acm-2026, seed 1", sc.Name)})
	add(start.Add(5*day), sim.KindTimeline, "", "", sim.Detail{Do: sim.DoDNSAdd, Record: "example.com. 300 IN TXT \"v=spf1 -all\"",
		Text: "DNS record added: example.com. 300 IN TXT \"v=spf1 -all\""})

	for i := range n {
		id := fmt.Sprintf("cert-%05d", i)
		res := fmt.Sprintf("res-%05d", i/opt.perResource)
		domain := fmt.Sprintf("c%05d.example.com", i)
		names := []string{domain, "*." + domain}
		arn := fmt.Sprintf("arn:aws:acm:us-east-1:123456789012:certificate/%08x-0000-4000-8000-000000000000", i)
		issued := start.Add(-time.Duration((i*37)%150)*day - time.Duration(i%24)*time.Hour)
		notAfter := issued.Add(198 * day)
		sc.Certificates = append(sc.Certificates, sim.Certificate{
			ID: id, Domain: domain, SANs: names[1:], Validation: sim.ValidationDNS, Type: sim.TypeAmazonIssued,
			Issued: issued, NotAfter: notAfter, InUseBy: []string{res},
		})
		if i%opt.perResource == 0 {
			sc.Resources = append(sc.Resources, sim.Resource{ID: res, Kind: "elb", DeployDelay: 30 * time.Minute})
		}
		expires, recovers, email, detach := i%50 == 7, i%25 == 3, i%40 == 11, i%60 == 13
		record := fmt.Sprintf("_%032x.%s.", i, domain)
		target := fmt.Sprintf("_%032x.acm-validations.aws.", i+1)
		passed := []sim.NameCheck{
			{Domain: domain, Method: "DNS", Record: record, Expected: target, Answer: []string{target}, Status: sim.ValidationSuccess},
			{Domain: "*." + domain, Method: "DNS", Record: record, Expected: target, Answer: []string{target}, Status: sim.ValidationSuccess},
		}
		problem := record + " does not exist (NXDOMAIN): the validation CNAME was deleted, or sits in the wrong zone or under a doubled suffix"
		fix := "add " + record + " CNAME " + target + " back to the public zone"
		failed := []sim.NameCheck{
			{Domain: domain, Method: "DNS", Record: record, Expected: target, Rcode: "NXDOMAIN", Status: sim.ValidationPending, Problem: problem, Fix: fix},
			{Domain: "*." + domain, Method: "DNS", Record: record, Expected: target, Rcode: "NXDOMAIN", Status: sim.ValidationPending, Problem: problem, Fix: fix},
		}
		caa := []sim.CAAAnswer{{Name: domain, OK: true}, {Name: "*." + domain, OK: true}}
		serialOf := func(cycle int) string { return fmt.Sprintf("%02x:%02x:%02x:%02x", i>>8&0xff, i&0xff, cycle, 0x5a) }
		status := func(t time.Time, cycle int, st sim.Status, renewal sim.RenewalStatus, elig sim.Eligibility) {
			text := "status " + string(st)
			if renewal != "" {
				text += ", renewal " + string(renewal)
			}
			text += ", " + map[sim.Eligibility]string{sim.Eligible: "eligible", sim.Ineligible: "ineligible"}[elig]
			add(t, sim.KindStatus, id, "", sim.Detail{Text: text, Cycle: cycle, Status: st, RenewalStatus: renewal, Eligibility: elig})
		}
		deploy := func(t time.Time, serial string, na time.Time) {
			add(t, sim.KindDeployed, id, res, sim.Detail{Text: fmt.Sprintf("%s serves certificate %s (valid until %s)", res, serial, na.Format(time.RFC3339)),
				Serial: serial, NotAfter: ptr(na)})
			if !opt.noProbes {
				add(t, sim.KindProbe, "", res, sim.Detail{Text: fmt.Sprintf("a client connecting to %s gets %s: valid", res, serial),
					Serial: serial, NotAfter: ptr(na), Verified: &yes, Expired: &no})
			}
		}
		actionRequired := func(t time.Time, days int, na time.Time) {
			event(t, id, arn, sim.EventActionRequired, sim.ActionRequiredDetail{CertificateType: "AMAZON_ISSUED", CommonName: domain,
				DomainValidationMethod: "DNS", RenewalStatusReason: "PENDING_DOMAIN_VALIDATION", DaysToExpiry: days,
				CertificateExpirationDate: na.Format(time.RFC3339), InUse: true})
			event(t, id, arn, sim.EventHealth, sim.HealthDetail{EventArn: "arn:aws:health:us-east-1::event/ACM/AWS_ACM_RENEWAL_STATE_CHANGE",
				Service: "ACM", EventTypeCode: "AWS_ACM_RENEWAL_STATE_CHANGE", EventTypeCategory: "scheduledChange", StartTime: t.Format(time.RFC1123)})
		}

		serial := serialOf(0)
		add(start, sim.KindCert, id, "", sim.Detail{Text: fmt.Sprintf("amazon-issued certificate for %s, *.%s", domain, domain),
			ARN: arn, Serial: serial, Names: names, NotBefore: ptr(issued), NotAfter: ptr(notAfter)})
		status(start, 1, sim.StatusIssued, "", sim.Eligible)
		deploy(start, serial, notAfter)
		if expires || recovers {
			add(start.Add(time.Hour), sim.KindTimeline, id, "", sim.Detail{Do: sim.DoDeleteValidationRecord,
				Text: "validation CNAME " + record + " deleted"})
		}
		if detach {
			at := start.Add(100 * day)
			add(at, sim.KindTimeline, id, res, sim.Detail{Do: sim.DoDetach, Text: id + " detached from " + res})
			add(at, sim.KindUndeployed, id, res, sim.Detail{Text: res + " stops serving " + id, Serial: serial})
			add(at.Add(2*day), sim.KindTimeline, id, res, sim.Detail{Do: sim.DoAttach, Text: id + " attached to " + res})
			deploy(at.Add(2*day), serial, notAfter)
		}

		na := notAfter
		for cycle := 1; ; cycle++ {
			window := na.Add(-45 * day)
			if !window.Before(until) {
				break
			}
			add(window, sim.KindWindow, id, "", sim.Detail{Text: "renewal window opened 45d before expiry", Cycle: cycle,
				Eligibility: sim.Eligible, NotAfter: ptr(na)})
			status(window, cycle, sim.StatusIssued, sim.RenewalPendingAuto, sim.Eligible)
			at, attempt := window, 1
			if cycle == 1 && (expires || recovers) {
				failFor := 45 * day
				if recovers {
					failFor = 20 * day
				}
				for ; at.Before(window.Add(failFor)); at = at.Add(time.Hour) {
					addAttempt(at, sim.KindAttempt, id, attempt, sim.Detail{Text: domain + ", *." + domain + " not validated", Cycle: cycle,
						Checks: failed, OK: &no})
					attempt++
				}
				for d := 30; d >= 1; d-- {
					t := na.Add(-time.Duration(d) * day)
					if !t.Before(at) {
						break
					}
					if d == 30 {
						status(t, cycle, sim.StatusIssued, sim.RenewalPendingValidation, sim.Eligible)
					}
					if d == 30 || d == 15 || d == 7 || d == 3 || d == 1 {
						actionRequired(t, d, na)
					}
					event(t, id, arn, sim.EventApproaching, sim.ApproachingDetail{DaysToExpiry: d, CommonName: domain})
				}
				if expires {
					add(na, sim.KindExpired, id, "", sim.Detail{Text: "the certificate expired without being renewed", Cycle: cycle,
						Serial: serial, NotAfter: ptr(na)})
					status(na, cycle, sim.StatusExpired, sim.RenewalFailed, sim.Ineligible)
					event(na, id, arn, sim.EventExpired, sim.ExpiredDetail{CertificateType: "AMAZON_ISSUED", CommonName: domain,
						DomainValidationMethod: "DNS", CertificateExpirationDate: na.Format(time.RFC3339), InUse: true})
					if !opt.noProbes {
						add(na.Add(time.Second), sim.KindProbe, "", res, sim.Detail{
							Text:   fmt.Sprintf("a client connecting to %s gets %s: EXPIRED", res, serial),
							Serial: serial, NotAfter: ptr(na), Verified: &no, Expired: &yes,
							Err: "verify: x509: certificate has expired or is not yet valid"})
					}
					break
				}
				add(at, sim.KindTimeline, id, "", sim.Detail{Do: sim.DoRestoreValidationRecord, Text: "validation CNAME " + record + " restored"})
			}
			if email {
				for _, box := range []string{"admin", "administrator", "hostmaster"} {
					to := box + "@" + domain
					d := sim.Detail{Text: fmt.Sprintf("approval e-mail for %s delivered to %s", domain, to), Email: sim.EmailApproval,
						To: to, Domain: domain, SMTPCode: 250, OK: &yes}
					if box == "hostmaster" {
						d.Text, d.SMTPCode, d.OK = fmt.Sprintf("approval e-mail for %s to %s refused (550 no such user)", domain, to), 550, &no
					}
					add(at, sim.KindEmail, id, "", d)
				}
				addAttempt(at, sim.KindAttempt, id, attempt, sim.Detail{Text: domain + " not approved yet", Cycle: cycle, OK: &no})
				attempt++
				at = at.Add(2 * time.Hour)
				add(at, sim.KindClick, id, "", sim.Detail{Text: "approval link for " + domain + " followed: approved (from admin@" + domain + ")",
					Domain: domain, To: "admin@" + domain, Approved: &yes, Expired: &no})
			}
			addAttempt(at, sim.KindAttempt, id, attempt, sim.Detail{Text: "all 2 names validated", Cycle: cycle, Checks: passed, OK: &yes})
			addAttempt(at, sim.KindCAA, id, attempt, sim.Detail{Text: "CAA allows Amazon for every name", Cycle: cycle, CAA: caa, OK: &yes})
			renewed := at.Add(10 * time.Minute)
			next := renewed.Add(198 * day)
			serial = serialOf(cycle)
			add(renewed, sim.KindIssued, id, "", sim.Detail{Text: fmt.Sprintf("renewed: new certificate %s valid until %s", serial, next.Format(time.RFC3339)),
				Cycle: cycle, ARN: arn, Serial: serial, Names: names, NotBefore: ptr(renewed), NotAfter: ptr(next)})
			status(renewed, cycle+1, sim.StatusIssued, sim.RenewalSuccess, sim.Eligible)
			event(renewed, id, arn, sim.EventAvailable, sim.AvailableDetail{Action: "RENEWAL", CertificateType: "AMAZON_ISSUED", CommonName: domain,
				DomainValidationMethod: "DNS", CertificateCreatedDate: renewed.Format(time.RFC3339),
				CertificateExpirationDate: next.Format(time.RFC3339), DaysToExpiry: 198, InUse: true})
			deploy(renewed.Add(30*time.Minute), serial, next)
			na = next
		}
		sc.Expect = append(sc.Expect, fleetExpectation(i, id, notAfter, expires))
		if i%(10*opt.perResource) == 0 {
			zero := time.Duration(0)
			sc.Expect = append(sc.Expect, sim.Expectation{Kind: sim.ExpectOutage, Text: "{resource: " + res + ", outage: 0s}", Resource: res, Outage: &zero})
		}
	}
	atLeast := 1
	sc.Expect = append(sc.Expect,
		sim.Expectation{Kind: sim.ExpectEmail, Text: "{email: approval, min: 1}", Email: sim.EmailApproval, Min: &atLeast},
		sim.Expectation{Kind: sim.ExpectEmail, Text: "{email: any, to: ADMIN@c00011.example.com, min: 1}", Email: sim.EmailAny,
			To: "ADMIN@c00011.example.com", Min: &atLeast})
	add(until, sim.KindEnd, "", "", sim.Detail{Text: "simulation ended"})

	// The record is in time order; entries at one instant keep the order
	// they were made in.
	order := make([]int32, len(all))
	for k := range order {
		order[k] = int32(k)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := all[a].Time.Compare(all[b].Time); c != 0 {
			return c
		}
		return int(a - b)
	})
	log := make([]sim.Entry, len(all))
	for k, o := range order {
		log[k] = all[o]
	}
	return sc, log
}

// fleetExpectation is one claim about certificate i, of a kind that
// changes with i.
func fleetExpectation(i int, id string, notAfter time.Time, expires bool) sim.Expectation {
	one, ten := 1, 10
	switch i % 6 {
	case 0:
		outcome := sim.OutcomeRenewed
		if expires {
			outcome = sim.OutcomeExpired
		}
		return sim.Expectation{Kind: sim.ExpectOutcome, Text: "{cert: " + id + ", outcome: " + string(outcome) + "}", Cert: id, Outcome: outcome}
	case 1:
		after, before := notAfter.Add(-46*sim.Day), notAfter.Add(-44*sim.Day)
		return sim.Expectation{Kind: sim.ExpectRenewedWindow, Text: "{cert: " + id + ", renewed_after: " + id + ".expiry-46d, renewed_before: " + id + ".expiry-44d}",
			Cert: id, RenewedAfter: &after, RenewedBefore: &before}
	case 2:
		return sim.Expectation{Kind: sim.ExpectStatusAt, Text: "{cert: " + id + ", at: " + id + ".expiry-20d, status: ISSUED}",
			Cert: id, At: notAfter.Add(-20 * sim.Day), Status: sim.StatusIssued}
	case 3:
		return sim.Expectation{Kind: sim.ExpectEventCount, Text: "{cert: " + id + ", event: " + sim.EventAvailable + ", min: 1}",
			Cert: id, Event: sim.EventAvailable, Min: &one}
	case 4:
		return sim.Expectation{Kind: sim.ExpectEventCount, Text: "{cert: " + id + ", event: " + sim.EventHealth + ", code: AWS_ACM_RENEWAL_STATE_CHANGE, max: 10}",
			Cert: id, Event: sim.EventHealth, Code: "AWS_ACM_RENEWAL_STATE_CHANGE", Max: &ten}
	}
	return sim.Expectation{Kind: sim.ExpectEmail, Text: "{cert: " + id + ", email: approval, to: admin@c" + id[5:] + ".example.com, max: 10}",
		Cert: id, Email: sim.EmailApproval, To: "admin@c" + id[5:] + ".example.com", Max: &ten}
}
