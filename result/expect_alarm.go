package result

import (
	"fmt"
	"strings"
	"time"

	"github.com/renewsim/renewsim/alarm"
	"github.com/renewsim/renewsim/sim"
)

// checkAlarm checks an alarm expectation against the alarms' results.
func checkAlarm(res Expectation, e sim.Expectation, alarms []alarm.Result) Expectation {
	var r *alarm.Result
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
	var certs []*alarm.Cert
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
	case e.FalseAlarms != nil || e.FalseAlarmsMin != nil || e.FalseAlarmsMax != nil:
		want, ok := within(falses, e.FalseAlarms, e.FalseAlarmsMin, e.FalseAlarmsMax, "false alarm")
		res.Passed = ok
		res.Detail = fmt.Sprintf("expected %s%s, got %d (of %s)", want, of, falses, sim.Count(fired, "firing"))
		return res
	case e.Count != nil && *e.Count == 0:
		res.Passed = fired == 0
		res.Detail = fmt.Sprintf("expected alarm %s never to fire%s, got %s", e.Alarm, of, firstFiring(fired, certs))
		return res
	}
	want, ok := within(fired, e.Count, e.Min, e.Max, "firing")
	res.Passed = ok
	res.Detail = fmt.Sprintf("expected %s of alarm %s%s, got %d", want, e.Alarm, of, fired)
	return res
}

// within checks n against an exact number or bounds (nil when not given)
// and says what was wanted: "exactly 1 firing", "at least 1 and at most 3
// false alarms", the unit agreeing with the number next to it.
func within(n int, exact, least, most *int, unit string) (string, bool) {
	var want []string
	ok, last := true, 0
	if exact != nil {
		ok, last = n == *exact, *exact
		want = append(want, fmt.Sprintf("exactly %d", *exact))
	}
	if least != nil {
		ok, last = ok && n >= *least, *least
		want = append(want, fmt.Sprintf("at least %d", *least))
	}
	if most != nil {
		ok, last = ok && n <= *most, *most
		want = append(want, fmt.Sprintf("at most %d", *most))
	}
	if last != 1 {
		unit += "s"
	}
	return strings.Join(want, " and ") + " " + unit, ok
}

// firstFiring says how often and first when certs fired.
func firstFiring(n int, certs []*alarm.Cert) string {
	if n == 0 {
		return "no firing"
	}
	var first *alarm.Cert
	for _, c := range certs {
		if c.FirstFired != nil && (first == nil || c.FirstFired.Before(*first.FirstFired)) {
			first = c
		}
	}
	return fmt.Sprintf("%s, the first at %s (%s)", sim.Count(n, "firing"), stamp(*first.FirstFired), first.Cert)
}

// checkLeadTime holds when every expiry and outage of the certificates came
// at least d after a firing, and the alarm warned of at least one thing
// with at least that lead time.
func checkLeadTime(res Expectation, d time.Duration, certs []*alarm.Cert) Expectation {
	want := fmt.Sprintf("expected a warning at least %s before each expiry or outage", sim.FormatDuration(d))
	var missed []string
	falses := 0
	for _, c := range certs {
		falses += c.FalseAlarms
		if c.Missed > 0 {
			missed = append(missed, c.Cert)
		}
	}
	lead := alarm.ShortestLead(certs)
	switch {
	case len(missed) > 0:
		res.Detail = fmt.Sprintf("%s, got none before %s", want, missedText(certs))
	case lead == nil && falses > 0:
		res.Detail = fmt.Sprintf("%s, got only %s: nothing expired and nothing needed a change", want, sim.Count(falses, "false alarm"))
	case lead == nil:
		res.Detail = fmt.Sprintf("%s, got no warning: the alarm never fired before anything", want)
	default:
		l, _ := lead.Lead()
		res.Passed = l >= d
		res.Detail = fmt.Sprintf("%s, got %s (%s)", want, sim.FormatDuration(l), lead.LeadBefore())
	}
	return res
}

// missedText names the expiries and outages no firing came before.
func missedText(certs []*alarm.Cert) string {
	var parts []string
	for _, c := range certs {
		if c.Missed > 0 {
			parts = append(parts, fmt.Sprintf("%s's %s", c.Cert, sim.Count(c.Missed, "expiry or outage")))
		}
	}
	return strings.Join(parts, ", ")
}
