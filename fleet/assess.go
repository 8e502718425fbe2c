package fleet

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/renewsim/renewsim/sim"
)

// scheduleProfile is the profile whose lifetimes follow the CA/B Forum's
// schedule (SC-081v3, written once in package sim): a renewal another
// profile gives a longer lifetime than this one does, on its date, is
// told so.
const scheduleProfile = "acm-cabf"

// schedule is scheduleProfile, looked up once: renewalNotes compares every
// renewal of every certificate with it.
var schedule, scheduleKnown = sim.LookupProfile(scheduleProfile)

// Report is what a check found: every certificate with its verdict, sorted
// by urgency, and the notes about the fleet. It is the one result of a
// check: the text, the -json document (its tagged fields, in their order),
// the parts of a split check and what package report renders (JUnit,
// Markdown, the fleet page) all read it. Assess, MergeShards and SetAlarms
// keep Counts and the order in step with the certificates; whoever builds
// or changes one otherwise sets Counts with CountsOf.
type Report struct {
	Account  string    `json:"account"` // where most certificates are
	Region   string    `json:"region"`
	Accounts []string  `json:"accounts"` // every account and region, Account and Region first
	Regions  []string  `json:"regions"`
	Profile  string    `json:"profile"`
	Now      time.Time `json:"now"`
	Until    time.Time `json:"until"`
	// Assumptions are the profile's numbers AWS has not announced that the
	// horizon reaches (Plan.Assumptions), said under the header.
	Assumptions  []string       `json:"assumptions"`
	Counts       Counts         `json:"counts"`
	Certificates []*Entry       `json:"certificates"`
	Shared       []SharedRecord `json:"shared_records"`
	Notes        []string       `json:"notes"`
	// Change, Breaks, Fixes and Deleted say what a change does to the
	// fleet, when the check compared it before and after one (see
	// change.go); a check of the fleet as it stands leaves them out.
	Change  string   `json:"change,omitempty"`
	Breaks  []string `json:"breaks,omitzero"`
	Fixes   []string `json:"fixes,omitzero"`
	Deleted []string `json:"deleted,omitzero"`
	// Shard of Shards when the report is one part of a split check.
	Shard  int `json:"-"`
	Shards int `json:"-"`

	planNotes   []string // the notes the inputs gave, before the run's
	unusedZones []string // those of planNotes that say a zone is not used
}

// Failed tells whether some simulated certificate will not renew in the
// horizon: check then exits 1, as `renewsim run` does on the plan's
// scenario. Certificates listed without simulation do not count (nothing
// in the horizon changes them). For a report of a change (Change set), it
// tells whether the change breaks some renewal.
func (r *Report) Failed() bool {
	if r.Change != "" {
		// A change is judged by what it does: a certificate that expires
		// before and after it is not its doing.
		return len(r.Breaks) > 0
	}
	return slices.ContainsFunc(r.Certificates, func(e *Entry) bool { return e.Simulated && e.Verdict == VerdictExpires })
}

// Assess reads the record of the run of p's scenario and gives every
// simulated certificate its verdict, reason and fix.
func Assess(p *Plan, log []sim.Entry) *Report {
	byCert := map[string][]*sim.Entry{}
	for i := range log {
		if id := log[i].Cert; id != "" {
			byCert[id] = append(byCert[id], &log[i])
		}
	}
	// Each certificate is judged on its own entries alone: on every core.
	parts := min(runtime.GOMAXPROCS(0), len(p.Entries)/256+1)
	var wg sync.WaitGroup
	for part := range parts {
		wg.Go(func() {
			for _, e := range p.Entries[part*len(p.Entries)/parts : (part+1)*len(p.Entries)/parts] {
				if !e.Simulated {
					continue
				}
				judge(p, e, byCert[e.ID])
				e.ApproachingBeforeRenewal = approachingBeforeRenewal(byCert[e.ID])
			}
		})
	}
	wg.Wait()
	r := &Report{
		Account: p.Account, Region: p.Region, Profile: p.ProfileName, Now: p.Now, Until: p.Until, Assumptions: p.Assumptions,
		Certificates: slices.Clone(p.Entries), Shared: p.Shared, planNotes: p.Notes, unusedZones: p.unusedZones, Shard: p.Shard, Shards: p.Shards,
	}
	r.finish()
	return r
}

// finish adds the notes that come from the run to the inputs' and orders
// the certificates by urgency. It reads nothing but the certificates, so a
// merged split check finishes the same way.
func (r *Report) finish() {
	r.Notes = slices.Clone(r.planNotes)
	approaching, noisy := 0, 0
	for _, e := range r.Certificates {
		if n := e.ApproachingBeforeRenewal; n > 0 {
			approaching += n
			noisy++
		}
	}
	if approaching > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("in this run %s raised %s before renewals that then succeeded: an alarm on those events fires on healthy renewals",
			sim.Count(noisy, "certificate"), sim.Count(approaching, "Approaching Expiration event")))
	}
	var late []string
	for _, e := range r.Certificates {
		if slices.ContainsFunc(e.Notes, func(n string) bool { return strings.HasPrefix(n, "renewals from ") }) {
			late = append(late, e.ID)
		}
	}
	if len(late) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("renewals of %s get longer lifetimes under %s than the CA/B Forum allows on their dates (100 days from 2027-03-15, 47 from 2029-03-15): run again with -profile %s (check's default) to see the fleet on the dated schedule",
			sim.Count(len(late), "certificate"), r.Profile, scheduleProfile))
	}
	r.Accounts, r.Regions = spread(r.Account, r.Region, r.Certificates)
	slices.SortStableFunc(r.Certificates, urgency)
	if len(r.Accounts) > 1 {
		// Account by account, each most urgent first: whoever owns an
		// account reads their part.
		slices.SortStableFunc(r.Certificates, func(a, b *Entry) int {
			return cmp.Compare(slices.Index(r.Accounts, a.Account), slices.Index(r.Accounts, b.Account))
		})
	}
	r.Notes = append(r.Notes, alarmNotes(r.Certificates)...)
	r.Counts = CountsOf(r.Certificates)
	// Lists are [] in JSON, never null, so that readers iterate without a
	// check.
	r.Shared, r.Notes, r.Assumptions = orEmpty(r.Shared), orEmpty(r.Notes), orEmpty(r.Assumptions)
	for _, e := range r.Certificates {
		e.Domains, e.Renewals, e.Notes = orEmpty(e.Domains), orEmpty(e.Renewals), orEmpty(e.Notes)
	}
}

// Whose says whose certificates the report is about: "account A in R", or
// every account and region of a fleet that spans several.
func (r *Report) Whose() string { return whose(r.Account, r.Region, r.Certificates) }

// approachingBeforeRenewal counts the Approaching Expiration events of
// cycles that then renewed.
func approachingBeforeRenewal(log []*sim.Entry) int {
	n, pending := 0, 0
	for _, en := range log {
		switch {
		case en.Kind == sim.KindEventBus && en.Detail.Event != nil && en.Detail.Event.DetailType == sim.EventApproaching:
			pending++
		case en.Kind == sim.KindIssued:
			n += pending
			pending = 0
		case en.Kind == sim.KindExpired:
			pending = 0
		}
	}
	return n
}

// judge gives a simulated certificate its verdict from the record of the
// run: the structured parts of its entries (kinds, the checks of the last
// failing attempt with their rcode and answer, CAA answers, eligibility at
// the window, e-mails) and what the zones showed (doubled suffixes,
// wildcards, shared records). It is the one place that decides a reason.
func judge(p *Plan, e *Entry, log []*sim.Entry) {
	// The cycles, as every reader of the record reads them; the entries
	// of the cycle that decides the verdict, for its reason.
	var cycles sim.CycleReader
	var expired, window, failed, caa *sim.Entry
	var issued []*sim.Entry
	delivered := map[string][]string{}
	refused := map[string][]string{}
	var mailed []string
	for _, en := range log {
		if expired != nil {
			break
		}
		cycles.Add(en)
		d := en.Detail
		switch en.Kind {
		case sim.KindIssued:
			issued = append(issued, en)
			// Why a later cycle fails is its own entries' business.
			failed, caa, mailed = nil, nil, nil
			clear(delivered)
			clear(refused)
		case sim.KindExpired:
			expired = en
		case sim.KindWindow:
			window = en
		case sim.KindAttempt:
			if d.OK != nil && !*d.OK {
				failed = en
			}
		case sim.KindCAA:
			caa = en
		case sim.KindEmail:
			if d.MailOf().Email != sim.EmailApproval {
				continue
			}
			domain := d.MailOf().Domain
			mailed = appendNew(mailed, domain)
			if d.OK != nil && *d.OK {
				delivered[domain] = appendNew(delivered[domain], d.MailOf().To)
			} else {
				refused[domain] = appendNew(refused[domain], d.MailOf().To)
			}
		}
	}
	var renewals []time.Time
	cs := cycles.Cycles()
	for _, c := range cs {
		if c.RenewedAt != nil {
			renewals = append(renewals, *c.RenewedAt)
		}
	}
	e.Renewals = renewals
	if e.Type == "AMAZON_ISSUED" {
		e.Notes = append(e.Notes, renewalNotes(p, e, issued)...)
	}
	switch sim.FinalOutcome(cs) {
	case sim.OutcomePending:
		e.Verdict = VerdictUndecided
		e.Reason = fmt.Sprintf("the horizon ends on %s, before its renewal is decided (it expires on %s)", day(p.Until), day(e.NotAfter))
		e.Fix = "run again with a later -until"
		return
	case sim.OutcomeRenewed:
		t := renewals[0]
		e.Verdict, e.Date = VerdictRenews, &t
		e.Reason = renewsBecause(e)
		return
	}
	t := expired.Time
	e.Verdict, e.Date = VerdictExpires, &t
	switch {
	case e.Type == "IMPORTED":
		e.Reason = "imported: ACM never renews imported certificates"
		e.Fix = fmt.Sprintf("import a renewed certificate into the same ARN before %s (aws acm import-certificate --certificate-arn %s …), or replace it with an ACM-issued one", day(t), e.ARN)
	case window != nil && window.Detail.StatusOf().Eligibility == sim.Ineligible:
		why := window.Detail.StatusOf().Cause.Explain()
		if window.Detail.StatusOf().Cause == sim.CauseNotInUse {
			e.Reason = "not in use: nothing uses it and it was not exported since it was last issued, so ACM never tries to renew it (and sends no notice)"
			if len(renewals) > 0 && e.exported {
				e.Reason = "not in use: its export made one renewal eligible, but a renewal resets that, so ACM does not try again (and sends no notice)"
			}
			e.Fix = fmt.Sprintf("attach it to the load balancer, CloudFront distribution or API that needs it before %s (when the renewal window opens), or delete it if nobody needs it", day(window.Time))
		} else {
			e.Reason = "not eligible for renewal: " + why
			e.Fix = "request a new certificate for a valid name"
		}
	case caa != nil && caa.Detail.OK != nil && !*caa.Detail.OK && (failed == nil || !caa.Time.Before(failed.Time)):
		var probs, at []string
		for _, a := range caa.Detail.CAA {
			if !a.OK {
				probs = appendNew(probs, a.Problem)
				at = appendNew(at, a.FoundAt)
			}
		}
		e.Reason = "CAA forbids Amazon: " + strings.Join(probs, "; ")
		e.Fix = fmt.Sprintf("add CAA 0 issue \"amazon.com\" at %s (issuewild for wildcard names), or remove the record that forbids Amazon", strings.Join(at, ", "))
	case e.Method == "EMAIL":
		e.Reason = emailWhy(mailed, delivered, refused)
		e.Fix = "follow the approval link within " + sim.SpellDuration(p.Profile.ApprovalLinkTTL) + " at every renewal (ResendValidationEmail sends a new one), or replace it with a DNS-validated certificate"
	case failed != nil:
		e.Reason, e.Fix = dnsWhy(e, failed.Detail.Checks)
	default:
		e.Reason = "it expired without being renewed"
		e.Fix = "look at the scenario's run (renewsim run -scenario-out FILE) for what happened"
	}
}

// emailWhy says what happened to the approval e-mails of the failing
// cycle: names that went to the same addresses are told together.
func emailWhy(mailed []string, delivered, refused map[string][]string) string {
	if len(mailed) == 0 {
		return "e-mail validation nobody answers: no approval e-mail went out before expiry"
	}
	var order []string
	names := map[string][]string{}
	anyDelivered := false
	for _, n := range mailed {
		var k string
		if d := delivered[n]; len(d) > 0 {
			anyDelivered = true
			k = "went to " + addresses(d)
		} else {
			k = "were refused by the mail server for " + addresses(refused[n]) + " (NO_AVAILABLE_CONTACTS)"
		}
		if _, ok := names[k]; !ok {
			order = append(order, k)
		}
		names[k] = append(names[k], n)
	}
	var parts []string
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("approval e-mails for %s %s", andList(names[k]), k))
	}
	if !anyDelivered {
		return "e-mail validation: every approval address was refused: " + strings.Join(parts, "; ")
	}
	return "e-mail validation nobody answers: " + strings.Join(parts, "; ") + ", and renewsim assumes nobody follows the links"
}

// addresses lists e-mail addresses; the five ACM writes to at one domain
// read as one phrase.
func addresses(list []string) string {
	if len(list) == 5 {
		_, domain, _ := strings.Cut(list[0], "@")
		admin := sim.AdminAddresses(domain)
		if !slices.ContainsFunc(list, func(a string) bool { return !slices.Contains(admin, a) }) {
			return "admin@, administrator@, hostmaster@, postmaster@ and webmaster@" + domain
		}
	}
	return strings.Join(list, ", ")
}

// andList joins "a", "a and b", "a, b and c".
func andList(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// dnsWhy says, in the troubleshooting guide's terms, why the DNS checks of
// the last failing attempt failed and what to fix, one clause per record.
func dnsWhy(e *Entry, checks []sim.NameCheck) (string, string) {
	type verdict struct {
		names       []string
		reason, fix string
	}
	var order []string
	out := map[string]*verdict{}
	for _, ch := range checks {
		if ch.Status == sim.ValidationSuccess {
			continue
		}
		var r *recordInfo
		for _, ri := range e.records {
			if strings.EqualFold(ri.Name, ch.Record) {
				r = ri
			}
		}
		reason, fix := checkWhy(ch, r)
		if v, ok := out[reason]; ok {
			v.names = append(v.names, ch.Domain)
			continue
		}
		order = append(order, reason)
		out[reason] = &verdict{names: []string{ch.Domain}, reason: reason, fix: fix}
	}
	var reasons, fixes []string
	for _, k := range order {
		v := out[k]
		if len(e.Domains) > 1 {
			reasons = append(reasons, fmt.Sprintf("%s: %s", strings.Join(v.names, ", "), v.reason))
		} else {
			reasons = append(reasons, v.reason)
		}
		fixes = appendNew(fixes, v.fix)
	}
	if len(reasons) == 0 {
		return "DNS validation failed", "check the validation records"
	}
	return strings.Join(reasons, "; "), strings.Join(fixes, "; ")
}

// checkWhy names what one failing DNS check found.
func checkWhy(ch sim.NameCheck, r *recordInfo) (string, string) {
	zone := "the zone"
	shared := ""
	if r != nil {
		zone = "zone " + strings.TrimSuffix(r.Zone, ".")
		if len(r.Users) > 1 {
			shared = fmt.Sprintf(" (%d certificates rely on it: %s)", len(r.Users), strings.Join(r.Users, ", "))
		}
	}
	n := len(ch.Answer)
	switch ch.Cause {
	case sim.CauseCNAMEMissing:
		if r != nil && r.Doubled != "" {
			return fmt.Sprintf("CNAME doubled suffix: %s does not exist, but %s does in %s: the DNS provider appended the zone to an absolute name", ch.Record, r.Doubled, zone),
				fmt.Sprintf("create %s CNAME %s (a name relative to the zone, or absolute with its trailing dot where the provider allows it) and delete %s%s", ch.Record, ch.Expected, r.Doubled, shared)
		}
		return fmt.Sprintf("CNAME missing: %s does not exist (NXDOMAIN)%s", ch.Record, shared),
			fmt.Sprintf("add %s CNAME %s to %s", ch.Record, ch.Expected, zone)
	case sim.CauseCNAMENoData:
		if r != nil && r.Wildcard != "" {
			return fmt.Sprintf("CNAME missing: %s does not exist; the wildcard %s answers for it, with no CNAME (NODATA)%s", ch.Record, r.Wildcard, shared),
				fmt.Sprintf("add %s CNAME %s to %s", ch.Record, ch.Expected, zone)
		}
		return fmt.Sprintf("CNAME missing: %s exists but has no CNAME (NODATA)%s", ch.Record, shared),
			fmt.Sprintf("add %s CNAME %s to %s", ch.Record, ch.Expected, zone)
	case sim.CauseCNAMEChainTooLong:
		return "CNAME chain too long: " + ch.Problem, ch.Fix
	case sim.CauseCNAMEWrong:
		via := ""
		if r != nil && r.Wildcard != "" {
			via = fmt.Sprintf(" (the answer comes from the wildcard %s)", r.Wildcard)
		}
		return fmt.Sprintf("CNAME wrong: %s points at %s, but ACM expects %s%s%s", ch.Record, ch.Answer[n-1], ch.Expected, via, shared),
			fmt.Sprintf("set %s CNAME %s in %s", ch.Record, ch.Expected, zone)
	}
	return "DNS: " + ch.Problem, ch.Fix
}

// renewsBecause says briefly what keeps a certificate renewing.
func renewsBecause(e *Entry) string {
	switch {
	case e.Type == "PRIVATE" && len(e.InUseBy) > 0:
		return "private and in use: ACM renews it without validation"
	case e.Type == "PRIVATE":
		return "private and exported: ACM renews it without validation"
	case e.Method == "DNS" && len(e.records) > 0:
		names := make([]string, len(e.records))
		for i, r := range e.records {
			names[i] = r.Name
		}
		return "its validation CNAME " + strings.Join(names, ", ") + " is in place"
	}
	return "ACM validates and renews it"
}

// Verdicts are every verdict a certificate may get, most urgent first.
var Verdicts = []Verdict{VerdictExpired, VerdictExpires, VerdictCannotTell, VerdictUndecided, VerdictRenews, VerdictNotIssued}

// rank is the place of each verdict in Verdicts.
var rank = func() map[Verdict]int {
	m := map[Verdict]int{}
	for i, v := range Verdicts {
		m[v] = i
	}
	return m
}()

// urgency orders certificates: those that expire without renewal first
// (already expired, then by expiry date), then the cannot-tell lines (they
// may be either; their NotAfter orders them), then undecided ones, then
// those that renew (soonest renewal first), then the never-issued ones.
func urgency(a, b *Entry) int {
	key := func(e *Entry) time.Time {
		if e.Date != nil && e.Verdict != VerdictCannotTell {
			return *e.Date
		}
		if e.NotAfter.IsZero() {
			return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		return e.NotAfter
	}
	return cmp.Or(cmp.Compare(rank[a.Verdict], rank[b.Verdict]), key(a).Compare(key(b)),
		compareNames(dns.Fqdn(sim.BaseName(first(a.Domains))), dns.Fqdn(sim.BaseName(first(b.Domains)))), cmp.Compare(a.ID, b.ID))
}

// renewalNotes are the notes a certificate's renewals call for, read from
// the record (issued: its renewal-issued entries, in order), so that they
// are said only of renewals that happen:
//
//   - a certificate from before ACM's move to 198-day certificates renews
//     at T−60 into a shorter one, and its renewals then come far more often
//     than yearly (and more often again once the schedule reaches 100 and
//     47 days);
//   - under a profile that gives a renewal a longer lifetime than the CA/B
//     Forum allows on its date (acm-2026 in 2027, cabf-2027 in 2029), the
//     note that check's default profile follows the schedule.
func renewalNotes(p *Plan, e *Entry, issued []*sim.Entry) []string {
	if len(issued) == 0 || e.cert == nil {
		return nil
	}
	var out []string
	type renewal struct {
		at       time.Time
		lifetime time.Duration
		window   time.Duration
	}
	var rs []renewal
	for _, en := range issued {
		d := en.Detail
		if d.NotBefore == nil || d.NotAfter == nil {
			continue
		}
		life := time.Duration(lifetimeDays(*d.NotBefore, *d.NotAfter)) * sim.Day
		rs = append(rs, renewal{en.Time, life, p.Profile.Window(sim.TypeAmazonIssued, *d.NotBefore)})
	}
	if len(rs) == 0 {
		return nil
	}
	c := e.cert
	first := lifetimeDays(c.NotBefore, c.NotAfter)
	if tr := p.Profile.TransitionDate; !tr.IsZero() && c.NotBefore.Before(tr) && time.Duration(first)*sim.Day > rs[0].lifetime {
		s := fmt.Sprintf("issued on %s with a %d-day lifetime, before ACM moved to %s-day certificates on %s: it renews at T−%s (%s) into a %s-day certificate, which then renews every ~%s at T−%s",
			day(c.NotBefore), first, dayCount(p.Profile.PublicValidity), day(tr),
			dayCount(p.Profile.Window(sim.TypeAmazonIssued, c.NotBefore)), day(rs[0].at), dayCount(rs[0].lifetime),
			days(rs[0].lifetime-rs[0].window), dayCount(rs[0].window))
		for i := 1; i < len(rs); i++ {
			if rs[i].lifetime != rs[i-1].lifetime {
				s += fmt.Sprintf(", and from %s into %s-day certificates every ~%s at T−%s", day(rs[i].at), dayCount(rs[i].lifetime),
					days(rs[i].lifetime-rs[i].window), dayCount(rs[i].window))
			}
		}
		out = append(out, s+" — scripts and alarms written for yearly renewals need updating")
	}
	if p.ProfileName != scheduleProfile {
		if sched := &schedule; scheduleKnown {
			for _, r := range rs {
				step := time.Time{}
				for _, t := range []time.Time{sched.From100d, sched.From47d} {
					if !t.IsZero() && !r.at.Before(t) {
						step = t
					}
				}
				if limit := sched.Validity(sim.TypeAmazonIssued, r.at); !step.IsZero() && r.lifetime > limit {
					out = append(out, fmt.Sprintf("renewals from %s (the first on %s) get %s-day certificates under %s, longer than the CA/B Forum allows from %s (%s days): see -profile %s",
						day(step), day(r.at), dayCount(r.lifetime), p.ProfileName, day(step), dayCount(limit), scheduleProfile))
					break
				}
			}
		}
	}
	return out
}
