package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// scenarioScale is the most certificates, and the most resources, a
// scenario's reports show one by one: a timeline with a lane each, a row
// each in the summary table, the whole event log on the page. A scenario
// with more is at fleet size: its timeline is the aggregate chart of the
// fleet page and its report leads with the counts, the failures and the
// outages. A variable only so that tests can lower it.
var scenarioScale = 50

// AtFleetSize reports whether the timeline has more certificate lanes or
// more resource lanes than a scenario's timeline draws one by one (50):
// then it draws the aggregate chart instead — renewals and expiries per
// week, and the failing certificates as lanes, most urgent first.
func (t *Timeline) AtFleetSize() bool {
	certs, resources := 0, 0
	for _, l := range t.Lanes {
		switch l.Kind {
		case LaneCertificate:
			certs++
		case LaneResource:
			resources++
		}
	}
	return certs > scenarioScale || resources > scenarioScale
}

// laneFate is how the run ended for one lane.
type laneFate struct {
	renewed *Marker // the first renewal before any expiry
	expired *Marker // the first expiry
	renews  int     // renewals issued
	// failing is a certificate not expired whose renewal fails when the
	// run ends: PENDING_VALIDATION, in the window but not eligible, or a
	// status renewsim does not model; since says from when.
	failing bool
	since   time.Time
	state   string // the last band's state
	// outage is how long a resource served an expired certificate, from
	// first on.
	outage time.Duration
	first  time.Time
}

// fates reads how the run ended for every lane, in lane order.
func (t *Timeline) fates() []laneFate {
	fates := make([]laneFate, len(t.Lanes))
	for j := range t.Markers {
		m := &t.Markers[j]
		if m.Lane < 0 || m.Lane >= len(fates) {
			continue
		}
		f := &fates[m.Lane]
		if m.Class == MarkRenewed {
			f.renews++
			if f.renewed == nil && f.expired == nil {
				f.renewed = m
			}
		}
		if m.Class == MarkExpired && f.expired == nil {
			f.expired = m
		}
	}
	for i, l := range t.Lanes {
		f := &fates[i]
		switch l.Kind {
		case LaneCertificate:
			if n := len(l.Bands); n > 0 {
				last := l.Bands[n-1]
				f.state = last.State
				switch last.State {
				case StateValid, StatePendingAuto, StateExpired:
				default:
					f.failing = f.expired == nil
					f.since = last.Start
				}
			}
		case LaneResource:
			for _, b := range l.Bands {
				if b.State == StateOutage {
					if f.first.IsZero() {
						f.first = b.Start
					}
					f.outage += b.End.Sub(b.Start)
				}
			}
		}
	}
	return fates
}

// timelineCounts are how many lanes ended which way.
type timelineCounts struct {
	certs, expired, failing, renewed, notDue int
	resources, outages                       int
}

func countFates(t *Timeline, fates []laneFate) timelineCounts {
	var n timelineCounts
	for i, l := range t.Lanes {
		f := &fates[i]
		switch l.Kind {
		case LaneCertificate:
			n.certs++
			switch {
			case f.expired != nil:
				n.expired++
			case f.failing:
				n.failing++
			case f.renews > 0:
				n.renewed++
			default:
				n.notDue++
			}
		case LaneResource:
			n.resources++
			if f.outage > 0 {
				n.outages++
			}
		}
	}
	return n
}

// bad reports whether a certificate expired or a resource served one.
func (n timelineCounts) bad() bool { return n.expired > 0 || n.outages > 0 }

// text says the counts in one line, the bad news first: "1,000
// certificates: 30 expired · 12 failing at the end · 950 renewed · 8 not
// due by the end · outage on 63 of 1,000 resources".
func (n timelineCounts) text() string {
	if n.resources == 0 {
		return n.certsText()
	}
	return n.certsText() + " · " + n.resourcesText()
}

// certsText is what the counts say of the certificates.
func (n timelineCounts) certsText() string {
	var parts []string
	if n.expired > 0 {
		parts = append(parts, fleetThousands(n.expired)+" expired")
	}
	if n.failing > 0 {
		parts = append(parts, fleetThousands(n.failing)+" failing at the end")
	}
	parts = append(parts, fleetThousands(n.renewed)+" renewed")
	if n.notDue > 0 {
		parts = append(parts, fleetThousands(n.notDue)+" not due by the end")
	}
	return plural1000(n.certs, "certificate") + ": " + strings.Join(parts, " · ")
}

// resourcesText is what the counts say of the resources.
func (n timelineCounts) resourcesText() string {
	if n.outages > 0 {
		return fmt.Sprintf("outage on %s of %s", fleetThousands(n.outages), plural1000(n.resources, "resource"))
	}
	return "no outage on " + plural1000(n.resources, "resource")
}

// plural1000 is plural with thousands separated: "10,000 certificates".
func plural1000(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fleetThousands(n) + " " + strings.TrimPrefix(sim.Count(n, unit), fmt.Sprint(n)+" ")
}

// urgentLane is a certificate lane that expired or fails at the end.
type urgentLane struct {
	lane int
	fate *laneFate
}

// urgent lists the certificates that expired or fail at the end, most
// urgent first: the expired by their first expiry, then the failing by
// when they started failing, each in lane order when equal.
func (t *Timeline) urgent(fates []laneFate) []urgentLane {
	var out []urgentLane
	for i, l := range t.Lanes {
		if f := &fates[i]; l.Kind == LaneCertificate && (f.expired != nil || f.failing) {
			out = append(out, urgentLane{i, f})
		}
	}
	key := func(u urgentLane) (int, time.Time) {
		if u.fate.expired != nil {
			return 0, u.fate.expired.Time
		}
		return 1, u.fate.since
	}
	slices.SortStableFunc(out, func(a, b urgentLane) int {
		ka, ta := key(a)
		kb, tb := key(b)
		return cmp.Or(cmp.Compare(ka, kb), ta.Compare(tb))
	})
	return out
}

// fateText says how a failing certificate ended: "expired 2027-03-01",
// "PENDING_VALIDATION from 2027-02-10".
func (f *laneFate) text() string {
	if f.expired != nil {
		return "expired " + fleetDay(f.expired.Time)
	}
	return styleOf(f.state).inside + " from " + fleetDay(f.since)
}

// outagesByCert are the outage bands of every resource lane, by the
// certificate served expired.
func (t *Timeline) outagesByCert() map[string][]Band {
	out := map[string][]Band{}
	for _, l := range t.Lanes {
		if l.Kind != LaneResource {
			continue
		}
		for _, b := range l.Bands {
			if b.State == StateOutage && b.Note != "" {
				out[b.Note] = append(out[b.Note], b)
			}
		}
	}
	for id := range out {
		slices.SortStableFunc(out[id], func(a, b Band) int { return a.Start.Compare(b.Start) })
	}
	return out
}

// aggregate is the timeline as the aggregate chart of the fleet page:
// renewals and expiries per week, then the certificates that expired or
// fail at the end, most urgent first, with what their resources served
// expired.
func (t *Timeline) aggregate(th theme) *aggChart {
	fates := t.fates()
	counts := countFates(t, fates)
	var renewals, expiries []time.Time
	for _, m := range t.Markers {
		if m.Lane < 0 || m.Lane >= len(t.Lanes) || t.Lanes[m.Lane].Kind != LaneCertificate {
			continue
		}
		switch m.Class {
		case MarkRenewed:
			renewals = append(renewals, m.Time)
		case MarkExpired:
			expiries = append(expiries, m.Time)
		}
	}
	end := t.End
	if !end.After(t.Start) {
		end = t.Start.Add(24 * time.Hour)
	}
	urgent := t.urgent(fates)
	outages := t.outagesByCert()
	var lanes []fleetLane
	for _, u := range urgent {
		if len(lanes) == fleetLanes {
			break
		}
		l := t.Lanes[u.lane]
		fl := fleetLane{name: l.Title, sub: l.ID + " · " + u.fate.text(), bands: l.Bands, outage: outages[l.ID]}
		if fl.name == "" {
			fl.name = l.ID
		}
		if u.fate.expired != nil {
			at := u.fate.expired.Time
			fl.expiry = &at
		}
		lanes = append(lanes, fl)
	}
	verdict := th.subtitle
	verdict.Color = colGood
	if counts.bad() {
		verdict.Color = colOutage
	}
	title := t.Scenario
	if title == "" {
		title = "scenario"
	}
	n := len(urgent)
	a := &aggChart{
		title: title,
		lines: []aggLine{{t.meta(), th.meta}, {counts.text(), verdict}},
		from:  t.Start, to: end,
		weeks:   weeksOf(t.Start, end, renewals, expiries),
		lanes:   lanes,
		head:    fmt.Sprintf("Certificates that expired or fail at the end: %s", fleetThousands(n)) + mostUrgent(n, len(lanes)),
		headBad: n > 0,
		moreBad: n > len(lanes),
	}
	switch {
	case n > len(lanes):
		a.more = fmt.Sprintf("and %s more that expired or fail at the end, not drawn: see the report's table", fleetThousands(n-len(lanes)))
	case n == 0:
		a.more = "no certificate expired or fails at the end"
	}
	return a
}
