package fleet

import (
	"fmt"
	"strings"

	"github.com/renewsim/renewsim/alarm"

	"github.com/renewsim/renewsim/sim"
)

// SetAlarms gives each certificate the verdicts of the alarms judged on
// the run of the check's scenario (check -alarms), in the order given, and
// adds to the notes which alarms miss something and which cry wolf.
func (r *Report) SetAlarms(rs []alarm.Result) {
	byCert := alarm.Verdicts(rs)
	for _, e := range r.Certificates {
		if vs, ok := byCert[e.ID]; ok {
			e.Alarms = vs
		}
	}
	r.finish()
}

// alarmLine says in one phrase what an alarm does about a certificate.
func alarmLine(v alarm.Verdict) string {
	first := ""
	if v.FirstFired != nil {
		first = day(*v.FirstFired)
	}
	var s string
	switch v.Warns {
	case alarm.WarnsInTime:
		lead := ""
		if v.LeadTime != nil {
			lead = *v.LeadTime
		}
		s = fmt.Sprintf("warns in time: fires %s, %s before it breaks", first, lead)
		if v.Before != nil {
			s = fmt.Sprintf("warns in time: fires %s, %s before it breaks on %s", first, lead, day(*v.Before))
		}
	case alarm.WarnsMissed:
		if v.Fired == 0 {
			s = fmt.Sprintf("MISSES %s: never fires", sim.Count(v.Missed, "expiry or outage"))
		} else {
			s = fmt.Sprintf("MISSES %s of %d: fires too late (first %s)", sim.Count(v.Missed, "expiry or outage"), v.Troubles, first)
		}
	case alarm.WarnsFalse:
		s = fmt.Sprintf("cries wolf: fires %s (first %s), each time before a renewal that succeeds by itself", sim.Count(v.Fired, "time"), first)
	case alarm.WarnsUndecided:
		s = fmt.Sprintf("fires %s (first %s); the horizon ends before it is decided", sim.Count(v.Fired, "time"), first)
	default:
		s = "silent: nothing to warn of"
	}
	if v.Warns != alarm.WarnsFalse && v.FalseAlarms > 0 {
		s += fmt.Sprintf("; and %s before renewals that succeed by themselves", sim.Count(v.FalseAlarms, "false alarm"))
	}
	return s
}

// alarmNotes sums up the alarms over the fleet, for the notes: which miss
// something, and which cry wolf.
func alarmNotes(entries []*Entry) []string {
	type tally struct {
		missed, noisy []string
		falses        int
	}
	var order []string
	t := map[string]*tally{}
	for _, e := range entries {
		for _, v := range e.Alarms {
			a := t[v.Alarm]
			if a == nil {
				a = &tally{}
				t[v.Alarm] = a
				order = append(order, v.Alarm)
			}
			if v.Missed > 0 {
				a.missed = append(a.missed, e.ID)
			}
			if v.FalseAlarms > 0 {
				a.noisy = append(a.noisy, e.ID)
				a.falses += v.FalseAlarms
			}
		}
	}
	var out []string
	for _, name := range order {
		a := t[name]
		if len(a.missed) > 0 {
			out = append(out, fmt.Sprintf("alarm %s misses the expiry or outage of %s: %s", name, sim.Count(len(a.missed), "certificate"), strings.Join(a.missed, ", ")))
		}
		if a.falses > 0 {
			out = append(out, fmt.Sprintf("alarm %s raises %s before renewals that succeed by themselves, for %s: %s", name,
				sim.Count(a.falses, "false alarm"), sim.Count(len(a.noisy), "certificate"), strings.Join(a.noisy, ", ")))
		}
	}
	return out
}
