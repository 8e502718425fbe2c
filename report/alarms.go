package report

import (
	"fmt"
	"strings"

	"github.com/renewsim/renewsim/alarm"
	"github.com/renewsim/renewsim/sim"
)

// alarmLines says in a few lines what each alarm did, for the text summary.
func alarmLines(rs []alarm.Result) []string {
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
func alarmSummary(r *alarm.Result) string {
	var first *alarm.Cert
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
		parts = append(parts, fmt.Sprintf("fired %s, first at %s (%s)", sim.Count(r.Fired, "time"), ts(*first.FirstFired), first.Cert))
	}
	// The shortest warning, and what it was before.
	certs := make([]*alarm.Cert, len(r.Certificates))
	for i := range r.Certificates {
		certs[i] = &r.Certificates[i]
	}
	if worst := alarm.ShortestLead(certs); worst != nil {
		d, _ := worst.Lead()
		parts = append(parts, fmt.Sprintf("lead time %s (%s)", sim.FormatDuration(d), worst.LeadBefore()))
	} else if first != nil {
		parts = append(parts, "no expiry or outage to warn of")
	}
	parts = append(parts, sim.Count(r.FalseAlarms, "false alarm"))
	if r.Missed > 0 {
		var missed []string
		for i := range r.Certificates {
			c := &r.Certificates[i]
			if c.Missed > 0 {
				missed = append(missed, c.Cert)
			}
		}
		parts = append(parts, fmt.Sprintf("MISSED %s (%s)", sim.Count(r.Missed, "expiry or outage"), strings.Join(missed, ", ")))
	}
	return strings.Join(parts, ", ")
}
