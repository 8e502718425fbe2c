package fleet

import (
	"fmt"
	"strings"
	"time"
)

// AlarmVerdict is what one alarm (renewsim check -alarms FILE) did about
// one certificate in the check's run: whether it warned in time before
// every expiry or outage, how far ahead, and how often it cried wolf. The
// caller judges the alarms on the record (package report) and hands the
// verdicts to SetAlarms.
type AlarmVerdict struct {
	Alarm string `json:"alarm"`
	Rule  string `json:"rule"`
	// Warns is in-time (every expiry and outage in the horizon came after
	// a firing), missed (some came with none before), false-alarms
	// (nothing to warn of, yet it fired), silent (nothing to warn of, and
	// it never fired) or undecided (it fired, and the horizon ends before
	// what it warned of is decided).
	Warns       string     `json:"warns"`
	Fires       int        `json:"fires"`
	FirstFires  *time.Time `json:"first_fires"`
	FalseAlarms int        `json:"false_alarms"`
	// Troubles counts the expiries and outages in the horizon; Missed
	// those no firing came before.
	Troubles int `json:"troubles"`
	Missed   int `json:"missed"`
	// LeadTime is the shortest warning before an expiry or outage.
	LeadTime        *string `json:"lead_time"`
	LeadTimeSeconds *int64  `json:"lead_time_seconds"`
	// Before is the expiry or outage that shortest warning came before.
	Before *time.Time `json:"before"`
}

// What an alarm does about a certificate.
const (
	WarnsInTime    = "in-time"
	WarnsMissed    = "missed"
	WarnsFalse     = "false-alarms"
	WarnsSilent    = "silent"
	WarnsUndecided = "undecided"
)

// SetAlarms gives each certificate the verdicts of the alarms about it,
// keyed by certificate id, in the order given.
func (r *Report) SetAlarms(byCert map[string][]AlarmVerdict) {
	for _, e := range r.Certificates {
		if vs, ok := byCert[e.ID]; ok {
			e.Alarms = vs
		}
	}
	r.finish()
}

// alarmLine says in one phrase what an alarm does about a certificate.
func alarmLine(v AlarmVerdict) string {
	first := ""
	if v.FirstFires != nil {
		first = day(*v.FirstFires)
	}
	var s string
	switch v.Warns {
	case WarnsInTime:
		lead := ""
		if v.LeadTime != nil {
			lead = *v.LeadTime
		}
		s = fmt.Sprintf("warns in time: fires %s, %s before it breaks", first, lead)
		if v.Before != nil {
			s = fmt.Sprintf("warns in time: fires %s, %s before it breaks on %s", first, lead, day(*v.Before))
		}
	case WarnsMissed:
		if v.Fires == 0 {
			s = fmt.Sprintf("MISSES %s: never fires", plural(v.Missed, "expiry or outage", "expiries or outages"))
		} else {
			s = fmt.Sprintf("MISSES %s of %d: fires too late (first %s)", plural(v.Missed, "expiry or outage", "expiries or outages"), v.Troubles, first)
		}
	case WarnsFalse:
		s = fmt.Sprintf("cries wolf: fires %s (first %s), each time before a renewal that succeeds by itself", plural(v.Fires, "time", "times"), first)
	case WarnsUndecided:
		s = fmt.Sprintf("fires %s (first %s); the horizon ends before it is decided", plural(v.Fires, "time", "times"), first)
	default:
		s = "silent: nothing to warn of"
	}
	if v.Warns != WarnsFalse && v.FalseAlarms > 0 {
		s += fmt.Sprintf("; and %s before renewals that succeed by themselves", plural(v.FalseAlarms, "false alarm", "false alarms"))
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
			out = append(out, fmt.Sprintf("alarm %s misses the expiry or outage of %s: %s", name, plural(len(a.missed), "certificate", "certificates"), strings.Join(a.missed, ", ")))
		}
		if a.falses > 0 {
			out = append(out, fmt.Sprintf("alarm %s raises %s before renewals that succeed by themselves, for %s: %s", name,
				plural(a.falses, "false alarm", "false alarms"), plural(len(a.noisy), "certificate", "certificates"), strings.Join(a.noisy, ", ")))
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
