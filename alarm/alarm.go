package alarm

import (
	"fmt"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// Outcome is what a firing turned out to be.
type Outcome string

// Firing outcomes.
const (
	TrueAlarm  Outcome = "true-alarm"
	FalseAlarm Outcome = "false-alarm"
	Undecided  Outcome = "undecided" // the run ended before its cycle was decided
	// Notice: the event told of a renewal that had just happened (ACM
	// Certificate Available, AWS Health's notice of a successful
	// renewal); it warned of nothing and cried no wolf.
	Notice Outcome = "notice"
)

// Followed is what came of the certificate a firing warned of.
type Followed string

// What followed a firing.
const (
	FollowedExpiry        Followed = "expiry"
	FollowedOutage        Followed = "outage"
	FollowedChangeRenewal Followed = "renewal-after-change"
	FollowedRenewal       Followed = "renewal"
)

// Result is what one alarm did over a run.
type Result struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Rule string `json:"rule"` // the rule in words
	// Fired counts every firing, FalseAlarms the false ones, Missed the
	// expiries and outages no firing came before.
	Fired        int    `json:"fired"`
	FalseAlarms  int    `json:"false_alarms"`
	Missed       int    `json:"missed"`
	Certificates []Cert `json:"certificates"`
}

// Cert is what one alarm did about one certificate it watches.
type Cert struct {
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
	Outcome  Outcome   `json:"outcome"`
	// Followed is what came of the certificate it warned of, and At when.
	Followed        Followed   `json:"followed,omitempty"`
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
func (c *Cert) Lead() (time.Duration, bool) {
	if c.LeadTimeSeconds == nil {
		return 0, false
	}
	return time.Duration(*c.LeadTimeSeconds) * time.Second, true
}

// InTime reports whether every expiry and outage of the certificate came
// after a firing, and there was at least one.
func (c *Cert) InTime() bool { return c.Troubles > 0 && c.Missed == 0 }

// Rule says what an alarm checks, in words.
func Rule(a *sim.Alarm) string {
	switch a.Kind {
	case sim.AlarmEventBridge:
		s := "EventBridge rule on " + a.DetailType
		if a.DaysToExpiryAtMost != nil {
			s += fmt.Sprintf(", DaysToExpiry <= %d", *a.DaysToExpiryAtMost)
		}
		if a.Reason != "" {
			s += ", RenewalStatusReason " + a.Reason
		}
		if a.Code != "" {
			s += ", eventTypeCode " + a.Code
		}
		return s
	case sim.AlarmMetric:
		s := fmt.Sprintf("CloudWatch DaysToExpiry <= %d, a datapoint a day at 00:00 UTC", a.Days)
		if a.TreatMissingData != "" && a.TreatMissingData != sim.MissingMissing {
			s += ", TreatMissingData " + a.TreatMissingData
		}
		return s
	case sim.AlarmConfig:
		return fmt.Sprintf("AWS Config acm-certificate-expiration-check, daysToExpiration %d, every %dh and on changes", a.Days, int(a.Every/time.Hour))
	case sim.AlarmSecurityHub:
		return fmt.Sprintf("Security Hub ACM.1: acm-certificate-expiration-check, daysToExpiration %d, every %dh and on changes", a.Days, int(a.Every/time.Hour))
	case sim.AlarmProbe:
		s := "TLS probe: the served certificate expires within "
		if a.Within > 0 {
			s += sim.FormatDuration(a.Within)
		} else {
			s += a.Share.Percent() + " of its lifetime"
		}
		if a.Resource != "" {
			s += " at " + a.Resource
		}
		return s + ", scraped every minute"
	}
	return a.Kind
}

// ShortestLead is the certificate of certs that had the shortest warning
// (the first of equals); nil when none had one.
func ShortestLead(certs []*Cert) *Cert {
	var worst *Cert
	var w time.Duration
	for _, c := range certs {
		if d, ok := c.Lead(); ok && (worst == nil || d < w) {
			worst, w = c, d
		}
	}
	return worst
}

// LeadBefore says what the shortest warning about the certificate came
// before: "web expired 2026-09-15 00:00", "web outage from …", "web would
// have expired …"; the certificate alone when it had no warning.
func (c *Cert) LeadBefore() string {
	d, _ := c.Lead()
	for _, f := range c.Firings {
		if l, ok := f.Lead(); ok && l == d && f.At != nil {
			what := map[Followed]string{FollowedExpiry: "expired", FollowedOutage: "outage from", FollowedChangeRenewal: "would have expired"}[f.Followed]
			return fmt.Sprintf("%s %s %s", c.Cert, what, ts(*f.At))
		}
	}
	return c.Cert
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }
