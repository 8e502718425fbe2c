package result

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// checkMore checks the expectations of issue 10 §4: later cycles, event
// contents and times, renewals, and when a resource serves a renewed
// certificate. cert is e.Cert's result, nil when there is none. handled
// is false for the others, which check reads as before.
func checkMore(s *Scenario, cert *Cert, e sim.Expectation) (res Expectation, handled bool) {
	res = Expectation{Text: e.Text}
	pass := func(ok bool, format string, args ...any) (Expectation, bool) {
		res.Passed = ok
		res.Detail = fmt.Sprintf(format, args...)
		return res, true
	}
	// Each of these is about one certificate: read its own entries, not
	// the whole record.
	own := s.Index().CertEntries(e.Cert)
	switch {
	case e.Kind == sim.ExpectRenewals:
		n := 0
		for _, p := range own {
			if en := &s.log[p]; en.Kind == sim.KindIssued {
				n++
			}
		}
		return pass(n == *e.Renewals, "expected %d renewals, got %d", *e.Renewals, n)
	case e.Kind == sim.ExpectServes:
		return checkServes(s, e, pass)
	case e.Kind == sim.ExpectFinalOutcome:
		return checkFinal(cert, e, pass)
	case e.Kind == sim.ExpectEmail && e.Cycle > 0:
		n := 0
		eachInCycle(s.log, own, e.Cycle, func(en *sim.Entry) {
			if en.Kind == sim.KindEmail && en.Detail.OK != nil && *en.Detail.OK &&
				(e.Email == sim.EmailAny || en.Detail.MailOf().Email == e.Email) && (e.To == "" || strings.EqualFold(en.Detail.MailOf().To, e.To)) {
				n++
			}
		})
		what := " delivered"
		if e.To != "" {
			what += " to " + e.To
		}
		return countCheck(res, e, n, e.Email+" e-mail", fmt.Sprintf("%s in cycle %d", what, e.Cycle)), true
	case e.Kind == sim.ExpectEventCount && (e.EventAt != nil || len(e.Detail) > 0 || e.Cycle > 0):
		n, seen := 0, []string{}
		inCycle := cycleOf(s.log, own)
		for i, p := range own {
			en := &s.log[p]
			if e.Cycle > 0 && inCycle[i] != e.Cycle {
				continue
			}
			if en.Kind != sim.KindEventBus || en.Detail.Event == nil || en.Detail.Event.DetailType != e.Event ||
				(e.Code != "" && healthCode(en.Detail.Event) != e.Code) {
				continue
			}
			if e.EventAt != nil && !en.Time.Equal(*e.EventAt) {
				continue
			}
			got := eventFields(en.Detail.Event)
			ok := true
			var parts []string
			for _, w := range e.Detail {
				v := got[w.Field]
				parts = append(parts, w.Field+" "+v)
				ok = ok && v == w.Value
			}
			if ok {
				n++
			} else if len(seen) < 3 {
				seen = append(seen, fmt.Sprintf("%s (%s)", stamp(en.Time), strings.Join(parts, ", ")))
			}
		}
		unit, what := fmt.Sprintf("%q event", e.Event), ""
		if e.Code != "" && e.Cycle > 0 {
			unit = fmt.Sprintf("%q event", e.Event+" "+e.Code)
		}
		if e.Cycle > 0 {
			what += fmt.Sprintf(" in cycle %d", e.Cycle)
		}
		if e.EventAt != nil {
			what += " at " + stamp(*e.EventAt)
		}
		if len(e.Detail) > 0 {
			var want []string
			for _, w := range e.Detail {
				want = append(want, w.Field+" "+w.Value)
			}
			what += " with " + strings.Join(want, ", ")
		}
		r := countCheck(res, e, n, unit, what)
		if !r.Passed && len(seen) > 0 {
			r.Detail += "; others: " + strings.Join(seen, "; ")
		}
		return r, true
	case e.Cycle > 1 && (e.Kind == sim.ExpectOutcome || e.Kind == sim.ExpectRenewedWindow):
		outcome, at := cycleOutcome(s.log, own, e.Cycle)
		if e.Kind == sim.ExpectOutcome {
			return pass(outcome == e.Outcome, "expected outcome %s in cycle %d, got %s", e.Outcome, e.Cycle, outcome)
		}
		want := "renewed"
		if e.RenewedAfter != nil {
			want += " after " + stamp(*e.RenewedAfter)
		}
		if e.RenewedBefore != nil {
			want += " before " + stamp(*e.RenewedBefore)
		}
		if outcome != sim.OutcomeRenewed {
			return pass(false, "expected %s in cycle %d, got %s", want, e.Cycle, outcome)
		}
		ok := (e.RenewedAfter == nil || !at.Before(*e.RenewedAfter)) && (e.RenewedBefore == nil || !at.After(*e.RenewedBefore))
		return pass(ok, "expected %s in cycle %d, got renewed at %s", want, e.Cycle, stamp(at))
	}
	return res, false
}

// checkFinal checks what happened last to the certificate: the outcome of
// the last cycle decided (Cert.FinalOutcome), and says which cycle that
// was.
func checkFinal(c *Cert, e sim.Expectation, pass func(bool, string, ...any) (Expectation, bool)) (Expectation, bool) {
	if c == nil {
		return pass(false, "expected final outcome %s, got no such certificate", e.Outcome)
	}
	got := string(c.Final())
	if last := c.LastDecided(); last != nil {
		got += fmt.Sprintf(" (cycle %d of %d)", last.N, len(c.Cycles))
	}
	return pass(c.Final() == e.Outcome, "expected final outcome %s, got %s", e.Outcome, got)
}

// cycleOf gives, for each of a certificate's own entries (positions in
// log), the renewal cycle whose certificate was current when it was
// recorded: 1 until the first renewal, N+1 from renewal N on (its
// renewal-issued entry and what follows it, the Available event
// included, belong to the certificate it issued).
func cycleOf(log []sim.Entry, own []int32) []int {
	out := make([]int, len(own))
	n := 1
	for i, p := range own {
		if log[p].Kind == sim.KindIssued {
			n++
		}
		out[i] = n
	}
	return out
}

// eachInCycle calls f with each of a certificate's own entries recorded
// while cycle n's certificate was current (cycleOf).
func eachInCycle(log []sim.Entry, own []int32, n int, f func(*sim.Entry)) {
	for i, c := range cycleOf(log, own) {
		if c == n {
			f(&log[own[i]])
		}
	}
}

// cycleOutcome is how renewal cycle n of a certificate ended, from its own
// entries (positions in log): renewed (and when), expired, or pending.
func cycleOutcome(log []sim.Entry, own []int32, n int) (sim.Outcome, time.Time) {
	for _, p := range own {
		en := &log[p]
		if en.Detail.Cycle != n {
			continue
		}
		switch en.Kind {
		case sim.KindIssued:
			return sim.OutcomeRenewed, en.Time
		case sim.KindExpired:
			return sim.OutcomeExpired, en.Time
		}
	}
	return sim.OutcomePending, time.Time{}
}

// checkServes finds when the resource started serving the certificate the
// renewal of the cycle issued.
func checkServes(s *Scenario, e sim.Expectation, pass func(bool, string, ...any) (Expectation, bool)) (Expectation, bool) {
	cycle := max(e.Cycle, 1)
	want := fmt.Sprintf("%s serving %s's renewed certificate (cycle %d)", e.Resource, e.Cert, cycle)
	if e.ServesAfter != nil {
		want += " from after " + stamp(*e.ServesAfter)
	}
	if e.ServesBefore != nil {
		want += " by " + stamp(*e.ServesBefore)
	}
	own := s.Index().CertEntries(e.Cert)
	serial := ""
	for _, p := range own {
		if en := &s.log[p]; en.Kind == sim.KindIssued && en.Detail.Cycle == cycle {
			serial = en.Detail.Serial
			break
		}
	}
	if serial == "" {
		return pass(false, "expected %s, got no renewal in cycle %d", want, cycle)
	}
	for _, p := range own {
		if en := &s.log[p]; en.Kind == sim.KindDeployed && en.Resource() == e.Resource && en.Detail.Serial == serial {
			at := en.Time
			ok := (e.ServesAfter == nil || !at.Before(*e.ServesAfter)) && (e.ServesBefore == nil || !at.After(*e.ServesBefore))
			return pass(ok, "expected %s, got it served from %s", want, stamp(at))
		}
	}
	return pass(false, "expected %s, got it never served there", want)
}

// eventFields writes an event's detail fields as text: numbers without a
// fraction, booleans as true or false; a field left out is absent.
func eventFields(ev *sim.Event) map[string]string {
	var m map[string]any
	switch d := ev.Detail.(type) {
	case map[string]any:
		m = d
	default:
		raw, err := json.Marshal(d)
		if err != nil || json.Unmarshal(raw, &m) != nil {
			return map[string]string{}
		}
	}
	out := map[string]string{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			out[k] = v
		case float64:
			out[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			out[k] = strconv.FormatBool(v)
		}
	}
	if _, ok := out["DomainValidationMethod"]; !ok || out["DomainValidationMethod"] == "" {
		out["DomainValidationMethod"] = "none"
	}
	return out
}
