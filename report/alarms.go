package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// Alarms: would the monitoring people run have told them in time, and
// would it have cried wolf? Each alarm of the scenario is evaluated on the
// record alone, at virtual time, the way the real service evaluates it
// (docs/alarms.md gives the sources of every timing):
//
//   - an EventBridge rule fires on every matching event;
//   - a CloudWatch alarm on DaysToExpiry sees one datapoint a day, at 00:00
//     UTC, of the whole days left (ACM stops publishing at expiry), and
//     fires when it goes from OK to ALARM;
//   - AWS Config's acm-certificate-expiration-check (and Security Hub's
//     ACM.1) evaluates periodically, at multiples of its frequency from
//     00:00 UTC, and on every change of the certificate, and fires when a
//     certificate becomes NON_COMPLIANT;
//   - a TLS probe (blackbox_exporter, ssl_exporter) is scraped and its
//     rule evaluated every minute, on the minute, and fires when the
//     certificate a resource serves starts to expire within the limit.
//
// Every firing belongs to the certificate it is about and to the cycle of
// that certificate it came in. It was a true alarm when that certificate
// then expired, a resource served it expired, or it renewed only after a
// change (a timeline change or an approval click after the firing): its
// lead time runs to the expiry or outage, the earlier (to the expiry for a
// renewal after a change). It was a false alarm when the certificate then
// renewed by itself and no resource served it expired. A firing whose
// cycle the run ended before deciding is undecided.

// Firing outcomes.
const (
	FiringTrue      = "true-alarm"
	FiringFalse     = "false-alarm"
	FiringUndecided = "undecided"
)

// What followed a firing.
const (
	FollowedExpiry        = "expiry"
	FollowedOutage        = "outage"
	FollowedChangeRenewal = "renewal-after-change"
	FollowedRenewal       = "renewal"
)

// AlarmResult is what one alarm did over a run.
type AlarmResult struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Rule string `json:"rule"` // the rule in words
	// Fired counts every firing, FalseAlarms the false ones, Missed the
	// expiries and outages no firing came before.
	Fired        int         `json:"fired"`
	FalseAlarms  int         `json:"false_alarms"`
	Missed       int         `json:"missed"`
	Certificates []AlarmCert `json:"certificates"`
}

// AlarmCert is what one alarm did about one certificate it watches.
type AlarmCert struct {
	Cert        string     `json:"cert"`
	Fired       int        `json:"fired"`
	FirstFired  *time.Time `json:"first_fired"`
	FalseAlarms int        `json:"false_alarms"`
	// Troubles counts the cycles that ended in an expiry or an outage;
	// Missed those no firing came before.
	Troubles int `json:"troubles"`
	Missed   int `json:"missed"`
	// LeadTime is the shortest warning the alarm gave: over the cycles with
	// a true alarm, the time from the cycle's first firing to its expiry or
	// outage (to the expiry for a renewal after a change). Null when it
	// never gave a true alarm.
	LeadTime        *string  `json:"lead_time"`
	LeadTimeSeconds *int64   `json:"lead_time_seconds"`
	Firings         []Firing `json:"firings"`
}

// Firing is one time an alarm fired about a certificate.
type Firing struct {
	Time     time.Time `json:"time"`
	Cycle    int       `json:"cycle"`              // 1: while the first certificate was current
	Resource string    `json:"resource,omitempty"` // a probe's resource
	Outcome  string    `json:"outcome"`            // true-alarm | false-alarm | undecided
	// Followed is what came of the certificate it warned of, and At when.
	Followed        string     `json:"followed,omitempty"`
	At              *time.Time `json:"at"`
	LeadTime        *string    `json:"lead_time"`
	LeadTimeSeconds *int64     `json:"lead_time_seconds"`
}

// Lead is the firing's lead time, and whether it has one.
func (f *Firing) Lead() (time.Duration, bool) {
	if f.LeadTimeSeconds == nil {
		return 0, false
	}
	return time.Duration(*f.LeadTimeSeconds) * time.Second, true
}

// Lead is the certificate's shortest warning, and whether there was one.
func (c *AlarmCert) Lead() (time.Duration, bool) {
	if c.LeadTimeSeconds == nil {
		return 0, false
	}
	return time.Duration(*c.LeadTimeSeconds) * time.Second, true
}

// InTime reports whether every expiry and outage of the certificate came
// after a firing, and there was at least one.
func (c *AlarmCert) InTime() bool { return c.Troubles > 0 && c.Missed == 0 }

// Timing of the evaluations (docs/alarms.md).
const (
	metricPeriod = 24 * time.Hour // DaysToExpiry: one datapoint a day, at 00:00 UTC
	probeScrape  = time.Minute    // Prometheus's default scrape and evaluation interval
)

// AlarmRule says what an alarm checks, in words.
func AlarmRule(a *sim.Alarm) string {
	switch a.Kind {
	case sim.AlarmEventBridge:
		s := "EventBridge rule on " + a.DetailType
		if a.DaysToExpiryAtMost != nil {
			s += fmt.Sprintf(", DaysToExpiry <= %d", *a.DaysToExpiryAtMost)
		}
		if a.Reason != "" {
			s += ", RenewalStatusReason " + a.Reason
		}
		return s
	case sim.AlarmMetric:
		return fmt.Sprintf("CloudWatch DaysToExpiry <= %d, a datapoint a day at 00:00 UTC", a.Days)
	case sim.AlarmConfig:
		return fmt.Sprintf("AWS Config acm-certificate-expiration-check, daysToExpiration %d, every %dh and on changes", a.Days, int(a.Every/time.Hour))
	case sim.AlarmSecurityHub:
		return fmt.Sprintf("Security Hub ACM.1: acm-certificate-expiration-check, daysToExpiration %d, every %dh and on changes", a.Days, int(a.Every/time.Hour))
	case sim.AlarmProbe:
		s := "TLS probe: the served certificate expires within "
		if a.Within > 0 {
			s += sim.FormatDuration(a.Within)
		} else {
			s += shareText(a.Share) + " of its lifetime"
		}
		if a.Resource != "" {
			s += " at " + a.Resource
		}
		return s + ", scraped every minute"
	}
	return a.Kind
}

func shareText(s float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", s*100), "0"), ".") + "%"
}

// generation is one certificate of an ARN: the first one, or a renewal.
type generation struct {
	cycle     int // the cycle that renews it: 1 for the first certificate
	from      time.Time
	notBefore time.Time
	notAfter  time.Time
	serial    string
	renewed   *time.Time
	expired   *time.Time
	changes   []time.Time // when AWS Config sees the certificate change while it is current
	outage    *time.Time  // the first time a resource served it expired
}

// certHistory is what the alarms need to know of one certificate.
type certHistory struct {
	id      string
	gens    []*generation
	actions []time.Time // timeline changes and approval clicks about it
	world   []time.Time // timeline changes about the world, shared by every certificate
}

// genAt is the generation current at t (the last one begun at or before
// it; the first one before it began).
func (h *certHistory) genAt(t time.Time) *generation {
	k := sort.Search(len(h.gens), func(i int) bool { return h.gens[i].from.After(t) })
	if k == 0 {
		if len(h.gens) == 0 {
			return nil
		}
		return h.gens[0]
	}
	return h.gens[k-1]
}

func (h *certHistory) genOf(serial string) *generation {
	for _, g := range h.gens {
		if g.serial == serial {
			return g
		}
	}
	return nil
}

// actedBetween reports a change or a click in [from, to].
func (h *certHistory) actedBetween(from, to time.Time) bool {
	return anyBetween(h.actions, from, to) || anyBetween(h.world, from, to)
}

// anyBetween reports a time of the ascending list ts in [from, to].
func anyBetween(ts []time.Time, from, to time.Time) bool {
	k := sort.Search(len(ts), func(i int) bool { return !ts[i].Before(from) })
	return k < len(ts) && !ts[k].After(to)
}

// alarmContext is what every alarm of one scenario reads.
type alarmContext struct {
	s       *Scenario
	log     []sim.Entry
	start   time.Time
	end     time.Time
	certs   map[string]*certHistory
	order   []string // certificate ids in scenario order
	serials map[string]string
}

func newAlarmContext(s *Scenario) *alarmContext {
	idx := s.index()
	x := &alarmContext{s: s, log: s.log, start: s.Start, end: idx.EndOr(s.Until),
		certs: map[string]*certHistory{}, serials: map[string]string{}}
	var world []time.Time
	for i := range s.log {
		if e := &s.log[i]; e.Kind == sim.KindTimeline && e.Cert == "" && e.Resource == "" {
			world = append(world, e.Time)
		}
	}
	for _, c := range s.Certificates {
		if _, dup := x.certs[c.ID]; dup {
			continue
		}
		h := &certHistory{id: c.ID}
		var cur *generation
		var own []time.Time
		for _, p := range idx.CertEntries(c.ID) {
			e := &s.log[p]
			switch e.Kind {
			case sim.KindCert:
				if cur == nil {
					cur = &generation{cycle: 1, from: e.Time, serial: e.Detail.Serial}
					setValidity(cur, e.Detail, c.NotAfter)
					h.gens = append(h.gens, cur)
				}
				cur.changes = append(cur.changes, e.Time)
			case sim.KindIssued:
				if cur != nil {
					t := e.Time
					cur.renewed = &t
				}
				next := &generation{cycle: len(h.gens) + 1, from: e.Time, serial: e.Detail.Serial}
				setValidity(next, e.Detail, time.Time{})
				next.changes = append(next.changes, e.Time)
				h.gens = append(h.gens, next)
				cur = next
			case sim.KindExpired:
				if cur != nil && cur.expired == nil {
					t := e.Time
					cur.expired = &t
				}
			case sim.KindStatus:
				if cur != nil {
					cur.changes = append(cur.changes, e.Time)
				}
			case sim.KindTimeline:
				own = append(own, e.Time)
				if cur != nil && (e.Detail.Do == sim.DoAttach || e.Detail.Do == sim.DoDetach || e.Detail.Do == sim.DoExport) {
					cur.changes = append(cur.changes, e.Time)
				}
			case sim.KindClick:
				own = append(own, e.Time)
			}
		}
		for _, g := range h.gens {
			x.serials[g.serial] = c.ID
		}
		h.actions, h.world = own, world
		x.certs[c.ID] = h
		x.order = append(x.order, c.ID)
	}
	// The first outage of each certificate, from the outage windows.
	for _, r := range s.Resources {
		for _, w := range r.Windows {
			h := x.certs[x.serials[w.Serial]]
			if h == nil {
				continue
			}
			if g := h.genOf(w.Serial); g != nil && (g.outage == nil || w.Start.Before(*g.outage)) {
				t := w.Start
				g.outage = &t
			}
		}
	}
	return x
}

// setValidity copies a certificate's validity from an entry, with
// fallback for NotAfter when the entry has none.
func setValidity(g *generation, d *sim.Detail, fallback time.Time) {
	g.notAfter = fallback
	if d.NotAfter != nil {
		g.notAfter = *d.NotAfter
	}
	if d.NotBefore != nil {
		g.notBefore = *d.NotBefore
	}
}

// noFirings is the list of a certificate an alarm never fired about: it
// is written [] in JSON, and appending to it makes a new list.
var noFirings = []Firing{}

// firingAt is a firing before it is judged.
type firingAt struct {
	time     time.Time
	gen      *generation
	resource string
}

// evaluateAlarms judges every alarm of the scenario on its record.
func evaluateAlarms(s *Scenario) []AlarmResult {
	if s.sc == nil || len(s.sc.Alarms) == 0 {
		return nil
	}
	x := newAlarmContext(s)
	out := make([]AlarmResult, 0, len(s.sc.Alarms))
	for i := range s.sc.Alarms {
		out = append(out, x.evaluate(&s.sc.Alarms[i]))
	}
	return out
}

func (x *alarmContext) evaluate(a *sim.Alarm) AlarmResult {
	res := AlarmResult{Name: a.Name, Kind: a.Kind, Rule: AlarmRule(a), Certificates: []AlarmCert{}}
	byCert := map[string][]firingAt{}
	switch a.Kind {
	case sim.AlarmEventBridge:
		for _, id := range x.order {
			if a.Watches(id) {
				byCert[id] = x.eventFirings(a, x.certs[id])
			}
		}
	case sim.AlarmMetric:
		for _, id := range x.order {
			if a.Watches(id) {
				byCert[id] = x.metricFirings(a, x.certs[id])
			}
		}
	case sim.AlarmConfig, sim.AlarmSecurityHub:
		for _, id := range x.order {
			if a.Watches(id) {
				byCert[id] = x.configFirings(a, x.certs[id])
			}
		}
	case sim.AlarmProbe:
		byCert = x.probeFirings(a)
	}
	for _, id := range x.order {
		if !a.Watches(id) {
			continue
		}
		ac := x.judge(x.certs[id], byCert[id])
		res.Fired += ac.Fired
		res.FalseAlarms += ac.FalseAlarms
		res.Missed += ac.Missed
		res.Certificates = append(res.Certificates, ac)
	}
	return res
}

// eventFirings: every event of the certificate that the rule's pattern
// matches.
func (x *alarmContext) eventFirings(a *sim.Alarm, h *certHistory) []firingAt {
	var out []firingAt
	for _, p := range x.s.index().CertEntries(h.id) {
		e := &x.log[p]
		if e.Kind != sim.KindEventBus || e.Detail.Event == nil || e.Detail.Event.DetailType != a.DetailType {
			continue
		}
		if a.DaysToExpiryAtMost != nil {
			days, ok := eventDays(e.Detail.Event.Detail)
			if !ok || days > *a.DaysToExpiryAtMost {
				continue
			}
		}
		if a.Reason != "" && eventReason(e.Detail.Event.Detail) != a.Reason {
			continue
		}
		out = append(out, firingAt{time: e.Time, gen: h.genAt(e.Time)})
	}
	return out
}

// tickAtOrAfter is the first multiple of period since the Unix epoch at
// or after t (for a day: 00:00 UTC).
func tickAtOrAfter(t time.Time, period time.Duration) time.Time {
	r := t.Truncate(period)
	if r.Before(t) {
		r = r.Add(period)
	}
	return r
}

// tickAfter is the first multiple of period strictly after t.
func tickAfter(t time.Time, period time.Duration) time.Time {
	return t.Truncate(period).Add(period)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// metricFirings: the alarm's state goes to ALARM at the first datapoint
// of a certificate with at most Days whole days left; a renewal's first
// datapoint above the threshold sets it back to OK. ACM publishes nothing
// after the certificate expired, and the alarm keeps its state.
func (x *alarmContext) metricFirings(a *sim.Alarm, h *certHistory) []firingAt {
	var out []firingAt
	alarm := false
	for k, g := range h.gens {
		from := maxTime(g.from, x.start)
		to := minTime(g.notAfter, x.end.Add(time.Nanosecond))
		if k+1 < len(h.gens) {
			to = minTime(to, h.gens[k+1].from)
		}
		first := tickAtOrAfter(from, metricPeriod)
		if !first.Before(to) {
			continue // no datapoint of this certificate
		}
		// floor(left / day) <= Days  <=>  left < (Days+1) days.
		cross := g.notAfter.Add(-time.Duration(a.Days+1) * sim.Day)
		breach := maxTime(first, tickAfter(cross, metricPeriod))
		if alarm && first.After(cross) {
			continue // already in ALARM, and this certificate keeps it there
		}
		alarm = false
		if breach.Before(to) {
			out = append(out, firingAt{time: breach, gen: g})
			alarm = true
		}
	}
	return out
}

// configFirings: the rule evaluates every Every (from 00:00 UTC) and on
// every change of the certificate; it fires when the certificate becomes
// NON_COMPLIANT (at most Days days left, or expired) and becomes COMPLIANT
// again at the first evaluation after a renewal that leaves more.
func (x *alarmContext) configFirings(a *sim.Alarm, h *certHistory) []firingAt {
	var out []firingAt
	bad := false
	for k, g := range h.gens {
		from := maxTime(g.from, x.start)
		to := x.end.Add(time.Nanosecond) // evaluations at the end still count
		if k+1 < len(h.gens) {
			to = h.gens[k+1].from
		}
		if !from.Before(to) {
			continue
		}
		cross := g.notAfter.Add(-time.Duration(a.Days) * sim.Day)
		// The first evaluation of this certificate is at from: the change
		// that made it current (the rule's first run, for the first one).
		if bad && !from.Before(cross) {
			continue // still NON_COMPLIANT
		}
		bad = false
		at := maxTime(from, cross)
		when := tickAtOrAfter(at, a.Every)
		for _, c := range g.changes {
			if !c.Before(at) {
				when = minTime(when, c)
				break
			}
		}
		if !cross.After(from) {
			when = from
		}
		if when.Before(to) {
			out = append(out, firingAt{time: when, gen: g})
			bad = true
		}
	}
	return out
}

// probeServed is what a client got from a resource since a time.
type probeServed struct {
	serial   string
	since    time.Time
	notAfter time.Time
	gen      *generation
	cert     string
}

// probeFirings: per resource, the certificate clients get (from the
// record's TLS probes) is scraped every minute; the alert fires when what
// is served expires within the limit and resolves when a certificate with
// more time left is served, or nothing known is.
func (x *alarmContext) probeFirings(a *sim.Alarm) map[string][]firingAt {
	out := map[string][]firingAt{}
	idx := x.s.index()
	var resources []string
	seen := map[string]bool{}
	for _, r := range x.s.Resources {
		if (a.Resource == "" || a.Resource == r.ID) && !seen[r.ID] {
			seen[r.ID] = true
			resources = append(resources, r.ID)
		}
	}
	for _, rid := range resources {
		at := idx.ResourceEntries(rid)
		if at == nil {
			continue
		}
		firing := false
		var cur *probeServed
		// settle judges what was served from cur.since until until.
		settle := func(until time.Time) {
			if cur == nil {
				return
			}
			limit := a.Within
			if limit == 0 {
				limit = time.Duration(a.Share * float64(cur.notAfter.Sub(cur.gen.notBefore)))
			}
			// probe_ssl_earliest_cert_expiry - time() < limit
			cross := cur.notAfter.Add(-limit)
			first := tickAtOrAfter(cur.since, probeScrape)
			if !first.Before(until) {
				return
			}
			if firing && first.After(cross) {
				return
			}
			firing = false
			if at := maxTime(first, tickAfter(cross, probeScrape)); at.Before(until) {
				out[cur.cert] = append(out[cur.cert], firingAt{time: at, gen: cur.gen, resource: rid})
				firing = true
			}
		}
		for _, p := range at {
			e := &x.log[p]
			switch e.Kind {
			case sim.KindProbe:
				if cur != nil && cur.serial == e.Detail.Serial {
					continue
				}
				settle(e.Time)
				cur = nil
				cert := x.serials[e.Detail.Serial]
				h := x.certs[cert]
				if h == nil || e.Detail.NotAfter == nil || !a.Watches(cert) {
					firing = false // nothing this alarm watches: the series is gone
					continue
				}
				g := h.genOf(e.Detail.Serial)
				if g == nil {
					continue
				}
				cur = &probeServed{serial: e.Detail.Serial, since: e.Time, notAfter: *e.Detail.NotAfter, gen: g, cert: cert}
			case sim.KindUndeployed:
				if cur != nil && e.Cert == cur.cert {
					settle(e.Time)
					cur = nil
					firing = false
				}
			}
		}
		settle(x.end.Add(time.Nanosecond))
	}
	for cert := range out {
		slices.SortStableFunc(out[cert], func(p, q firingAt) int { return p.time.Compare(q.time) })
	}
	return out
}

// judge says what each firing of an alarm about one certificate was worth.
func (x *alarmContext) judge(h *certHistory, fs []firingAt) AlarmCert {
	ac := AlarmCert{Cert: h.id, Firings: noFirings}
	if len(fs) > 0 {
		ac.Firings = make([]Firing, 0, len(fs))
	}
	// firstIn[cycle-1] is the first true alarm of that cycle, zero when
	// none came.
	var firstIn []time.Time
	var lead *time.Duration
	for _, f := range fs {
		g := f.gen
		fr := Firing{Time: f.time.UTC(), Resource: f.resource, Outcome: FiringUndecided}
		if g != nil {
			fr.Cycle = g.cycle
			var until time.Time
			switch trouble, what := g.trouble(); {
			case !trouble.IsZero():
				fr.Outcome, fr.Followed, until = FiringTrue, what, trouble
			case g.renewed != nil && h.actedBetween(f.time, *g.renewed):
				fr.Outcome, fr.Followed, until = FiringTrue, FollowedChangeRenewal, g.notAfter
			case g.renewed != nil:
				fr.Outcome, fr.Followed = FiringFalse, FollowedRenewal
				t := g.renewed.UTC()
				fr.At = &t
			}
			if fr.Outcome == FiringTrue {
				u := until.UTC()
				fr.At = &u
				d := until.Sub(f.time)
				setLead(&fr.LeadTime, &fr.LeadTimeSeconds, d)
				if firstIn == nil {
					firstIn = make([]time.Time, len(h.gens))
				}
				if k := g.cycle - 1; firstIn[k].IsZero() {
					firstIn[k] = f.time
					if lead == nil || d < *lead {
						lead = &d
					}
				}
			}
		}
		if fr.Outcome == FiringFalse {
			ac.FalseAlarms++
		}
		ac.Firings = append(ac.Firings, fr)
	}
	ac.Fired = len(ac.Firings)
	if ac.Fired > 0 {
		t := ac.Firings[0].Time
		ac.FirstFired = &t
	}
	for k, g := range h.gens {
		trouble, _ := g.trouble()
		if trouble.IsZero() {
			continue
		}
		ac.Troubles++
		if firstIn == nil || firstIn[k].IsZero() || !firstIn[k].Before(trouble) {
			ac.Missed++
		}
	}
	if lead != nil {
		setLead(&ac.LeadTime, &ac.LeadTimeSeconds, *lead)
	}
	return ac
}

// trouble is when the certificate of g expired or a resource began to
// serve it expired, the earlier, and which it was; zero when neither
// happened.
func (g *generation) trouble() (time.Time, string) {
	switch {
	case g.outage != nil && (g.expired == nil || g.outage.Before(*g.expired)):
		return *g.outage, FollowedOutage
	case g.expired != nil:
		return *g.expired, FollowedExpiry
	}
	return time.Time{}, ""
}

func setLead(text **string, secs **int64, d time.Duration) {
	s := sim.FormatDuration(d)
	n := int64(d / time.Second)
	*text, *secs = &s, &n
}

// eventDays is the DaysToExpiry of an event's detail, typed or read back
// from JSON.
func eventDays(d any) (int, bool) {
	switch d := d.(type) {
	case sim.ApproachingDetail:
		return d.DaysToExpiry, true
	case *sim.ApproachingDetail:
		return d.DaysToExpiry, d != nil
	case sim.AvailableDetail:
		return d.DaysToExpiry, true
	case *sim.AvailableDetail:
		return d.DaysToExpiry, d != nil
	}
	return daysToExpiry(d)
}

// eventReason is the RenewalStatusReason of an event's detail.
func eventReason(d any) string {
	switch d := d.(type) {
	case sim.ActionRequiredDetail:
		return d.RenewalStatusReason
	case *sim.ActionRequiredDetail:
		if d != nil {
			return d.RenewalStatusReason
		}
	case map[string]any:
		s, _ := d["RenewalStatusReason"].(string)
		return s
	}
	return ""
}

// alarmLines says in a few lines what each alarm did, for the text summary.
func alarmLines(rs []AlarmResult) []string {
	var out []string
	for i := range rs {
		r := &rs[i]
		out = append(out, fmt.Sprintf("alarm %s (%s): %s", r.Name, r.Rule, alarmSummary(r)))
	}
	return out
}

// alarmSummary is what one alarm did: how often it fired and first when,
// its lead time before the expiries and outages it warned of, its false
// alarms and what it missed.
func alarmSummary(r *AlarmResult) string {
	var first *AlarmCert
	for i := range r.Certificates {
		c := &r.Certificates[i]
		if c.FirstFired != nil && (first == nil || c.FirstFired.Before(*first.FirstFired)) {
			first = c
		}
	}
	var parts []string
	if first == nil {
		parts = append(parts, "never fired")
	} else {
		parts = append(parts, fmt.Sprintf("fired %s, first at %s (%s)", plural(r.Fired, "time"), ts(*first.FirstFired), first.Cert))
	}
	// The shortest warning, and what it was before.
	var worst *AlarmCert
	for i := range r.Certificates {
		c := &r.Certificates[i]
		if d, ok := c.Lead(); ok {
			if w, _ := worstLead(worst); worst == nil || d < w {
				worst = c
			}
		}
	}
	if worst != nil {
		d, _ := worst.Lead()
		parts = append(parts, fmt.Sprintf("lead time %s (%s)", sim.FormatDuration(d), worstFollowed(worst)))
	} else if first != nil {
		parts = append(parts, "no expiry or outage to warn of")
	}
	parts = append(parts, plural(r.FalseAlarms, "false alarm"))
	if r.Missed > 0 {
		var missed []string
		for i := range r.Certificates {
			c := &r.Certificates[i]
			if c.Missed > 0 {
				missed = append(missed, c.Cert)
			}
		}
		parts = append(parts, fmt.Sprintf("MISSED %s (%s)", plural(r.Missed, "expiry or outage"), strings.Join(missed, ", ")))
	}
	return strings.Join(parts, ", ")
}

func worstLead(c *AlarmCert) (time.Duration, bool) {
	if c == nil {
		return 0, false
	}
	return c.Lead()
}

// worstFollowed says what the shortest warning of c was before.
func worstFollowed(c *AlarmCert) string {
	d, _ := c.Lead()
	for _, f := range c.Firings {
		if l, ok := f.Lead(); ok && l == d && f.At != nil {
			what := map[string]string{FollowedExpiry: "expired", FollowedOutage: "outage from", FollowedChangeRenewal: "would have expired"}[f.Followed]
			return fmt.Sprintf("%s %s %s", c.Cert, what, ts(*f.At))
		}
	}
	return c.Cert
}

// checkAlarm checks an alarm expectation against the alarms' results.
func checkAlarm(res Expectation, e sim.Expectation, alarms []AlarmResult) Expectation {
	var r *AlarmResult
	for i := range alarms {
		if alarms[i].Name == e.Alarm {
			r = &alarms[i]
			break
		}
	}
	if r == nil {
		res.Detail = fmt.Sprintf("expected alarm %s, but the scenario has no such alarm", e.Alarm)
		return res
	}
	// The certificates the expectation is about.
	var certs []*AlarmCert
	for i := range r.Certificates {
		if e.Cert == "" || r.Certificates[i].Cert == e.Cert {
			certs = append(certs, &r.Certificates[i])
		}
	}
	of := ""
	if e.Cert != "" {
		of = " about " + e.Cert
	}
	fired, falses := 0, 0
	for _, c := range certs {
		fired += c.Fired
		falses += c.FalseAlarms
	}
	switch {
	case e.LeadTimeAtLeast != nil:
		return checkLeadTime(res, *e.LeadTimeAtLeast, certs)
	case e.FalseAlarms != nil:
		res.Passed = falses == *e.FalseAlarms
		res.Detail = fmt.Sprintf("expected exactly %s%s, got %d (of %s)", plural(*e.FalseAlarms, "false alarm"), of, falses, plural(fired, "firing"))
		return res
	case e.FalseAlarmsMax != nil:
		res.Passed = falses <= *e.FalseAlarmsMax
		res.Detail = fmt.Sprintf("expected at most %s%s, got %d (of %s)", plural(*e.FalseAlarmsMax, "false alarm"), of, falses, plural(fired, "firing"))
		return res
	case e.Count != nil && *e.Count == 0:
		res.Passed = fired == 0
		res.Detail = fmt.Sprintf("expected alarm %s never to fire%s, got %s", e.Alarm, of, firstFiring(fired, certs))
		return res
	}
	return countCheck(res, e, fired, fmt.Sprintf("firings of alarm %s%s", e.Alarm, of))
}

// firstFiring says how often and first when certs fired.
func firstFiring(n int, certs []*AlarmCert) string {
	if n == 0 {
		return "no firing"
	}
	var first *AlarmCert
	for _, c := range certs {
		if c.FirstFired != nil && (first == nil || c.FirstFired.Before(*first.FirstFired)) {
			first = c
		}
	}
	return fmt.Sprintf("%s, the first at %s (%s)", plural(n, "firing"), stamp(*first.FirstFired), first.Cert)
}

// checkLeadTime holds when every expiry and outage of the certificates came
// at least d after a firing, and the alarm warned of at least one thing
// with at least that lead time.
func checkLeadTime(res Expectation, d time.Duration, certs []*AlarmCert) Expectation {
	want := fmt.Sprintf("expected a warning at least %s before each expiry or outage", sim.FormatDuration(d))
	var missed []string
	var lead *AlarmCert
	falses := 0
	for _, c := range certs {
		falses += c.FalseAlarms
		if c.Missed > 0 {
			missed = append(missed, c.Cert)
		}
		if l, ok := c.Lead(); ok {
			if w, _ := worstLead(lead); lead == nil || l < w {
				lead = c
			}
		}
	}
	switch {
	case len(missed) > 0:
		res.Detail = fmt.Sprintf("%s, got none before %s", want, missedText(certs))
	case lead == nil && falses > 0:
		res.Detail = fmt.Sprintf("%s, got only %s: nothing expired and nothing needed a change", want, plural(falses, "false alarm"))
	case lead == nil:
		res.Detail = fmt.Sprintf("%s, got no warning: the alarm never fired before anything", want)
	default:
		l, _ := lead.Lead()
		res.Passed = l >= d
		res.Detail = fmt.Sprintf("%s, got %s (%s)", want, sim.FormatDuration(l), worstFollowed(lead))
	}
	return res
}

// missedText names the expiries and outages no firing came before.
func missedText(certs []*AlarmCert) string {
	var parts []string
	for _, c := range certs {
		if c.Missed > 0 {
			parts = append(parts, fmt.Sprintf("%s's %s", c.Cert, plural(c.Missed, "expiry or outage")))
		}
	}
	return strings.Join(parts, ", ")
}
