package report

import (
	"fmt"
	"strings"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// summaryRow is one scenario in the summary table of the HTML and Markdown
// reports.
type summaryRow struct {
	Name   string
	Anchor string
	File   string
	Passed bool
	Certs  []certCell
	Outage []string // "alb-prod 7d" per resource with an outage
	Expect string   // "4/5"
	Failed int      // failed expectations
}

type certCell struct {
	ID, Outcome, RenewedAt, Margin string
	// Final is what happened last (renewed, expired, pending), which the
	// HTML table colours the cell by.
	Final string
}

func summaryRows(s *result.Summary) []summaryRow {
	anchors := uniqueNames(s)
	var rows []summaryRow
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		r := summaryRow{Name: sc.Name, Anchor: anchors[i], File: sc.File, Passed: sc.Passed}
		for _, c := range sc.Certificates {
			cell := certCell{ID: c.ID, Outcome: string(c.Outcome), RenewedAt: "—", Margin: "—", Final: string(c.Final())}
			if note := finalNote(&c); note != "" {
				cell.Outcome += ", " + note
			}
			if c.RenewedAt != nil {
				cell.RenewedAt = ts(*c.RenewedAt)
			}
			if m, ok := c.Margin(); ok {
				cell.Margin = sim.FormatDuration(m)
			}
			r.Certs = append(r.Certs, cell)
		}
		for _, res := range sc.Resources {
			if res.OutageSeconds > 0 {
				r.Outage = append(r.Outage, res.ID+" "+res.Outage)
			}
		}
		passed := 0
		for _, e := range sc.Expectations {
			if e.Passed {
				passed++
			}
		}
		r.Failed = len(sc.Expectations) - passed
		r.Expect = fmt.Sprintf("%d/%d", passed, len(sc.Expectations))
		rows = append(rows, r)
	}
	return rows
}

// uniqueNames gives every scenario a name usable as a file name and an
// HTML anchor: its name with anything but letters, digits, '.', '_' and
// '-' replaced, made unique with a numeric suffix.
func uniqueNames(s *result.Summary) []string {
	seen := map[string]bool{}
	var out []string
	for _, sc := range s.Scenarios {
		base := safeName(sc.Name)
		name := base
		for n := 2; seen[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}

func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	if b.Len() == 0 {
		return "scenario"
	}
	return b.String()
}

// splitDetail cuts an expectation's detail, "expected X, got Y", into X and
// Y; details in another form come back whole as got.
func splitDetail(d string) (expected, got string) {
	rest, ok := strings.CutPrefix(d, "expected ")
	if !ok {
		return "", d
	}
	i := strings.LastIndex(rest, ", got ")
	if i < 0 {
		return "", d
	}
	return rest[:i], rest[i+len(", got "):]
}

// eventRow is one row of a scenario's event table: one entry, or a run of
// failing validation attempts folded into one.
type eventRow struct {
	Time, Until string // Until is set for a folded run
	Kind        sim.Kind
	Cert        string
	Resource    string
	Text        string
	Count       int
	Bad         bool // expiry, outage, failure

	last *sim.Entry // of a folded run, its last entry
}

// eventRows lists the record for people: a run of validation attempts (or
// CAA checks) of one certificate with the same result becomes one row,
// until something else happens to that certificate.
func eventRows(log []sim.Entry) []eventRow {
	var rows []eventRow
	// Per certificate, the row of each open run: by kind (attempt, CAA
	// check) and result (failed, passed), plus one; 0 when none is open.
	type runs [2][2]int
	open := map[string]*runs{}
	for i := range log {
		e := &log[i]
		if e.Kind == sim.KindAttempt || e.Kind == sim.KindCAA {
			ok := e.Detail.OK == nil || *e.Detail.OK
			r := open[e.Cert]
			if r == nil {
				r = &runs{}
				open[e.Cert] = r
			}
			slot := &r[b2i(e.Kind == sim.KindCAA)][b2i(ok)]
			if *slot > 0 {
				row := &rows[*slot-1]
				row.Count++
				row.last = e
				continue
			}
			*slot = len(rows) + 1
			rows = append(rows, eventRow{Time: ts(e.Time), Kind: e.Kind, Cert: e.Cert, Resource: e.Resource(), Text: e.Detail.Text, Count: 1, Bad: !ok})
			continue
		}
		if e.Cert != "" && !minorEvent(e) {
			if r := open[e.Cert]; r != nil {
				*r = runs{}
			}
		}
		text := e.Detail.Text
		if e.Kind == sim.KindEventBus && e.Detail.Event != nil && text == "" {
			text = e.Detail.Event.DetailType
		}
		bad := e.Kind == sim.KindExpired
		if e.Kind == sim.KindEventBus && e.Detail.Event != nil {
			bad = e.Detail.Event.DetailType == sim.EventActionRequired || e.Detail.Event.DetailType == sim.EventExpired
		}
		if e.Kind == sim.KindProbe && e.Detail.Expired != nil && *e.Detail.Expired {
			bad = true
		}
		rows = append(rows, eventRow{Time: ts(e.Time), Kind: e.Kind, Cert: e.Cert, Resource: e.Resource(), Text: text, Count: 1, Bad: bad})
	}
	// A folded run says how many, and what the last one said.
	for i := range rows {
		r := &rows[i]
		if r.last == nil {
			continue
		}
		what, result := "validation attempt", "failed"
		if r.Kind == sim.KindCAA {
			what = "CAA check"
		}
		if !r.Bad {
			result = "passed"
		}
		r.Until = ts(r.last.Time)
		r.Text = fmt.Sprintf("%s %s; the last: %s", sim.Count(r.Count, what), result, r.last.Detail.Text)
		r.last = nil
	}
	return rows
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// minorEvent is an entry that does not interrupt a run of failing attempts.
func minorEvent(e *sim.Entry) bool {
	if e.Kind != sim.KindEventBus || e.Detail.Event == nil {
		return false
	}
	switch e.Detail.Event.DetailType {
	case sim.EventApproaching, sim.EventHealth:
		return true
	}
	return false
}
