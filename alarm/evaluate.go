package alarm

import (
	"slices"
	"sort"
	"time"

	"github.com/renewsim/renewsim/record"
	"github.com/renewsim/renewsim/sim"
)

// Timing of the evaluations (docs/alarms.md).
const (
	metricPeriod = 24 * time.Hour // DaysToExpiry: one datapoint a day, at 00:00 UTC
	probeScrape  = time.Minute    // Prometheus's default scrape and evaluation interval
)

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

// evaluation is what every alarm of one scenario reads.
type evaluation struct {
	sc      *sim.Scenario
	idx     *record.Index
	log     []sim.Entry
	start   time.Time
	end     time.Time
	certs   map[string]*certHistory
	order   []string // certificate ids in scenario order
	serials map[string]string
}

func newEvaluation(sc *sim.Scenario, idx *record.Index) *evaluation {
	log := idx.Log()
	x := &evaluation{sc: sc, idx: idx, log: log, start: sc.Start, end: idx.EndOr(sc.Until),
		certs: map[string]*certHistory{}, serials: map[string]string{}}
	var world []time.Time
	for i := range log {
		if e := &log[i]; e.Kind == sim.KindTimeline && e.Cert == "" && e.Resource() == "" {
			world = append(world, e.Time)
		}
	}
	for i := range sc.Certificates {
		c := &sc.Certificates[i]
		if _, dup := x.certs[c.ID]; dup {
			continue
		}
		h := &certHistory{id: c.ID}
		var cur *generation
		var own []time.Time
		for _, p := range idx.CertEntries(c.ID) {
			e := &log[p]
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
				if cur != nil && (e.Detail.TimelineOf().Do == sim.DoAttach || e.Detail.TimelineOf().Do == sim.DoDetach || e.Detail.TimelineOf().Do == sim.DoExport) {
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
	for _, r := range sc.Resources {
		for _, w := range idx.Outage(r.ID, sc.Until) {
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
	notice   bool // an event telling of gen's renewal, sent as it issued
}

// Evaluate judges every alarm of sc on idx, the record of a run of sc, in
// the order sc declares them; nil when it declares none.
func Evaluate(sc *sim.Scenario, idx *record.Index) []Result {
	if len(sc.Alarms) == 0 {
		return nil
	}
	x := newEvaluation(sc, idx)
	out := make([]Result, 0, len(sc.Alarms))
	for i := range sc.Alarms {
		out = append(out, x.evaluate(&sc.Alarms[i]))
	}
	return out
}

func (x *evaluation) evaluate(a *sim.Alarm) Result {
	res := Result{Name: a.Name, Kind: a.Kind, Rule: Rule(a), Certificates: []Cert{}}
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
// matches. The events ACM sends as a renewal issues (Certificate
// Available, AWS Health's notice of the renewal) come after the new
// certificate in the record, at the same time; they tell of the cycle
// that just ended, not of the one that starts, so they belong to it.
func (x *evaluation) eventFirings(a *sim.Alarm, h *certHistory) []firingAt {
	var out []firingAt
	var issued time.Time // the last renewal of the certificate so far
	for _, p := range x.idx.CertEntries(h.id) {
		e := &x.log[p]
		if e.Kind == sim.KindIssued {
			issued = e.Time
		}
		if e.Kind != sim.KindEventBus || e.Detail.Event == nil || e.Detail.Event.DetailType != a.DetailType {
			continue
		}
		if a.DaysToExpiryAtMost != nil {
			days, ok := sim.EventDays(e.Detail.Event.Detail)
			if !ok || days > *a.DaysToExpiryAtMost {
				continue
			}
		}
		if a.Reason != "" && eventReason(e.Detail.Event.Detail) != a.Reason {
			continue
		}
		if a.Code != "" && eventCode(e.Detail.Event.Detail) != a.Code {
			continue
		}
		f := firingAt{time: e.Time, gen: h.genAt(e.Time)}
		if e.Time.Equal(issued) && renewalNotice(e.Detail.Event) {
			if prev := h.genAt(e.Time.Add(-time.Nanosecond)); prev != f.gen && prev.renewed != nil && prev.renewed.Equal(issued) {
				f.gen, f.notice = prev, true
			}
		}
		out = append(out, f)
	}
	return out
}

// renewalNotice tells whether an event sent as a renewal issues tells of
// it: Certificate Available, or AWS Health's renewal state change.
func renewalNotice(ev *sim.Event) bool {
	switch ev.DetailType {
	case sim.EventAvailable:
		return true
	case sim.EventHealth:
		return eventCode(ev.Detail) == "AWS_ACM_RENEWAL_STATE_CHANGE"
	}
	return false
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

// The states of a CloudWatch alarm.
const (
	insufficientData = iota // where a new alarm starts
	stateOK
	stateAlarm
)

// metricFirings: the alarm's state goes to ALARM at the first datapoint
// of a certificate with at most Days whole days left; a renewal's first
// datapoint above the threshold sets it back to OK. ACM publishes nothing
// once a certificate expired: at the first daily evaluation without a
// datapoint the alarm treats the missing data as TreatMissingData says
// (missing: INSUFFICIENT_DATA; ignore: it keeps its state; breaching:
// ALARM; notBreaching: OK). A firing is any transition into ALARM, from OK
// or from INSUFFICIENT_DATA, as CloudWatch runs an alarm's actions.
func (x *evaluation) metricFirings(a *sim.Alarm, h *certHistory) []firingAt {
	var out []firingAt
	state := insufficientData
	end := x.end.Add(time.Nanosecond) // an evaluation at the end still counts
	for k, g := range h.gens {
		from := maxTime(g.from, x.start)
		to := minTime(g.notAfter, end)
		next := end // the first evaluation that is not this certificate's
		if k+1 < len(h.gens) {
			to = minTime(to, h.gens[k+1].from)
			next = minTime(next, tickAtOrAfter(maxTime(h.gens[k+1].from, x.start), metricPeriod))
		}
		first := tickAtOrAfter(from, metricPeriod)
		if first.Before(to) {
			// floor(left / day) <= Days  <=>  left < (Days+1) days.
			cross := g.notAfter.Add(-time.Duration(a.Days+1) * sim.Day)
			switch {
			case first.After(cross) && state == stateAlarm:
				// Already in ALARM, and this certificate keeps it there.
			case first.After(cross):
				out = append(out, firingAt{time: first, gen: g})
				state = stateAlarm
			default:
				state = stateOK
				if breach := tickAfter(cross, metricPeriod); breach.Before(to) {
					out = append(out, firingAt{time: breach, gen: g})
					state = stateAlarm
				}
			}
		}
		// The days after it expired, before the next certificate's first
		// datapoint (or the end): no datapoint.
		if gap := tickAtOrAfter(maxTime(to, from), metricPeriod); gap.Before(next) && !to.Before(g.notAfter) {
			switch a.TreatMissingData {
			case sim.MissingBreaching:
				if state != stateAlarm {
					out = append(out, firingAt{time: gap, gen: g})
				}
				state = stateAlarm
			case sim.MissingNotBreaching:
				state = stateOK
			case sim.MissingIgnore:
			default: // missing
				state = insufficientData
			}
		}
	}
	return out
}

// configFirings: the rule evaluates every Every (from 00:00 UTC) and on
// every change of the certificate; it fires when the certificate becomes
// NON_COMPLIANT (at most Days days left, or expired) and becomes COMPLIANT
// again at the first evaluation after a renewal that leaves more.
func (x *evaluation) configFirings(a *sim.Alarm, h *certHistory) []firingAt {
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
func (x *evaluation) probeFirings(a *sim.Alarm) map[string][]firingAt {
	out := map[string][]firingAt{}
	var resources []string
	seen := map[string]bool{}
	for _, r := range x.sc.Resources {
		if (a.Resource == "" || a.Resource == r.ID) && !seen[r.ID] {
			seen[r.ID] = true
			resources = append(resources, r.ID)
		}
	}
	for _, rid := range resources {
		at := x.idx.ResourceEntries(rid)
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
				limit = a.Share.Of(cur.notAfter.Sub(cur.gen.notBefore))
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
func (x *evaluation) judge(h *certHistory, fs []firingAt) Cert {
	ac := Cert{Cert: h.id, Firings: noFirings}
	if len(fs) > 0 {
		ac.Firings = make([]Firing, 0, len(fs))
	}
	// firstIn[cycle-1] is the first true alarm of that cycle, zero when
	// none came.
	var firstIn []time.Time
	var lead *time.Duration
	for _, f := range fs {
		g := f.gen
		fr := Firing{Time: f.time.UTC(), Resource: f.resource, Outcome: Undecided}
		if f.notice {
			// It told of the renewal that ended g's cycle: no warning.
			t := g.renewed.UTC()
			fr.Cycle, fr.Outcome, fr.Followed, fr.At = g.cycle, Notice, FollowedRenewal, &t
			ac.Firings = append(ac.Firings, fr)
			continue
		}
		if g != nil {
			fr.Cycle = g.cycle
			var until time.Time
			switch trouble, what := g.trouble(); {
			case !trouble.IsZero():
				fr.Outcome, fr.Followed, until = TrueAlarm, what, trouble
			case g.renewed != nil && h.actedBetween(f.time, *g.renewed):
				fr.Outcome, fr.Followed, until = TrueAlarm, FollowedChangeRenewal, g.notAfter
			case g.renewed != nil:
				fr.Outcome, fr.Followed = FalseAlarm, FollowedRenewal
				t := g.renewed.UTC()
				fr.At = &t
			}
			if fr.Outcome == TrueAlarm {
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
		if fr.Outcome == FalseAlarm {
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
func (g *generation) trouble() (time.Time, Followed) {
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

// eventCode is the eventTypeCode of an AWS Health event's detail, typed or
// read back from JSON.
func eventCode(d any) string {
	switch d := d.(type) {
	case sim.HealthDetail:
		return d.EventTypeCode
	case *sim.HealthDetail:
		if d != nil {
			return d.EventTypeCode
		}
	case map[string]any:
		s, _ := d["eventTypeCode"].(string)
		return s
	}
	return ""
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
