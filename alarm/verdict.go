package alarm

import (
	"encoding/json"
	"time"
)

// Warns says in a word what an alarm does about a certificate.
type Warns string

// What an alarm does about a certificate.
const (
	// WarnsInTime: every expiry and outage in the horizon came after a
	// firing.
	WarnsInTime Warns = "in-time"
	// WarnsMissed: some expiry or outage came with no firing before it.
	WarnsMissed Warns = "missed"
	// WarnsFalse: nothing to warn of, yet it fired.
	WarnsFalse Warns = "false-alarms"
	// WarnsSilent: nothing to warn of, and it never fired.
	WarnsSilent Warns = "silent"
	// WarnsUndecided: it fired, and the run ends before what it warned of
	// is decided.
	WarnsUndecided Warns = "undecided"
)

// Verdict is what one alarm did about one certificate, in brief: whether
// it warned in time before every expiry or outage, how far ahead, and how
// often it cried wolf. It is what `renewsim check -alarms` says per
// certificate; its fields mean what Cert's of the same names mean.
type Verdict struct {
	Alarm           string     `json:"alarm"`
	Rule            string     `json:"rule"`
	Warns           Warns      `json:"warns"`
	Fired           int        `json:"fired"`
	FirstFired      *time.Time `json:"first_fired"`
	FalseAlarms     int        `json:"false_alarms"`
	Troubles        int        `json:"troubles"`
	Missed          int        `json:"missed"`
	LeadTime        *string    `json:"lead_time"`
	LeadTimeSeconds *int64     `json:"lead_time_seconds"`
	// Before is the expiry or outage the shortest warning came before.
	Before *time.Time `json:"before"`
}

// UnmarshalJSON reads a verdict, also one written before check's JSON
// took the run's field names ("fires" and "first_fires" for "fired" and
// "first_fired"), so that the parts of a split check written by the
// release before still merge with their alarms.
func (v *Verdict) UnmarshalJSON(b []byte) error {
	type fields Verdict // Verdict's fields and tags, without this method
	var w struct {
		fields
		Fires      *int       `json:"fires"`
		FirstFires *time.Time `json:"first_fires"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*v = Verdict(w.fields)
	if w.Fires != nil && v.Fired == 0 {
		v.Fired = *w.Fires
	}
	if w.FirstFires != nil && v.FirstFired == nil {
		v.FirstFired = w.FirstFires
	}
	return nil
}

// Verdicts gives each certificate the verdicts of the alarms about it,
// keyed by certificate id, in the order of rs.
func Verdicts(rs []Result) map[string][]Verdict {
	out := map[string][]Verdict{}
	for i := range rs {
		r := &rs[i]
		for j := range r.Certificates {
			c := &r.Certificates[j]
			out[c.Cert] = append(out[c.Cert], r.verdict(c))
		}
	}
	return out
}

// verdict sums up what r did about c.
func (r *Result) verdict(c *Cert) Verdict {
	v := Verdict{Alarm: r.Name, Rule: r.Rule, Fired: c.Fired, FirstFired: c.FirstFired, FalseAlarms: c.FalseAlarms,
		Troubles: c.Troubles, Missed: c.Missed, LeadTime: c.LeadTime, LeadTimeSeconds: c.LeadTimeSeconds}
	undecided := false
	for _, f := range c.Firings {
		undecided = undecided || f.Outcome == Undecided
		if c.LeadTimeSeconds != nil && f.LeadTimeSeconds != nil && *f.LeadTimeSeconds == *c.LeadTimeSeconds && v.Before == nil {
			v.Before = f.At
		}
	}
	switch {
	case c.Missed > 0:
		v.Warns = WarnsMissed
	case c.Troubles > 0:
		v.Warns = WarnsInTime
	case undecided:
		v.Warns = WarnsUndecided
	case c.FalseAlarms > 0:
		v.Warns = WarnsFalse
	default:
		v.Warns = WarnsSilent
	}
	return v
}
