package report

import (
	"fmt"
	"strings"
	"time"
)

// Verdicts of a fleet check, per certificate. They are the strings the
// check's -json document uses.
const (
	FleetRenews     = "renews"      // every renewal in the horizon succeeds
	FleetExpires    = "expires"     // some renewal in the horizon fails, and it expires
	FleetExpired    = "expired"     // already expired when the check looked: not simulated
	FleetNotIssued  = "not-issued"  // nothing to renew: not simulated
	FleetCannotTell = "cannot-tell" // the inputs do not say enough: not simulated
	FleetUndecided  = "undecided"   // the horizon ends before its next renewal is decided
)

// FleetVerdicts lists every verdict a FleetCert may carry, most urgent
// first.
var FleetVerdicts = []string{FleetExpired, FleetExpires, FleetCannotTell, FleetUndecided, FleetRenews, FleetNotIssued}

// FleetCheck is what `renewsim check` found about a fleet, in the plain
// terms the fleet page, JUnit and Markdown need: report does not read the
// exports or judge certificates itself. The caller builds it from the
// check's verdicts.
type FleetCheck struct {
	Account, Region string
	Profile         string
	Now, Until      time.Time // the horizon of the check
	// Certificates in the order to show them: most urgent first.
	Certificates []FleetCert
	Shared       []FleetShared
	Notes        []string // about the fleet as a whole
}

// FleetCert is one certificate and its verdict.
type FleetCert struct {
	ID        string
	ARN       string
	Domains   []string
	Type      string // AMAZON_ISSUED, PRIVATE, IMPORTED; "" when only listed
	Status    string
	NotAfter  time.Time // of the certificate as exported; zero when unknown
	Simulated bool

	Verdict  string      // one of FleetVerdicts
	Date     *time.Time  // renews: the first renewal; expires: the expiry; expired: NotAfter
	Renewals []time.Time // in the horizon
	// Headline is the verdict in one phrase, as the check prints it:
	// "renews around 2026-07-28 and 3 more times by 2028-03-31: …".
	Headline string
	Reason   string
	Fix      string
	Notes    []string
}

// FleetShared is a validation record several certificates rely on.
type FleetShared struct {
	Record, Value string
	Certificates  []string
}

// FleetCounts are how many certificates got each verdict.
type FleetCounts struct {
	Certificates                                               int
	Renews, Expires, Expired, NotIssued, CannotTell, Undecided int
}

// Counts counts the verdicts.
func (f *FleetCheck) Counts() FleetCounts {
	c := FleetCounts{Certificates: len(f.Certificates)}
	for i := range f.Certificates {
		switch f.Certificates[i].Verdict {
		case FleetRenews:
			c.Renews++
		case FleetExpires:
			c.Expires++
		case FleetExpired:
			c.Expired++
		case FleetNotIssued:
			c.NotIssued++
		case FleetCannotTell:
			c.CannotTell++
		case FleetUndecided:
			c.Undecided++
		}
	}
	return c
}

// Failed tells whether some certificate will not renew or has already
// expired: what a CI page counts as a failure.
func (c *FleetCert) Failed() bool {
	return c.Verdict == FleetExpires || c.Verdict == FleetExpired
}

// Skipped tells whether the check could not give a certificate a yes or a
// no: it cannot tell, it is not issued, or the horizon is too short.
func (c *FleetCert) Skipped() bool {
	return c.Verdict == FleetCannotTell || c.Verdict == FleetNotIssued || c.Verdict == FleetUndecided
}

// Name is how CI pages name the certificate: its id and its names.
func (c *FleetCert) Name() string {
	if len(c.Domains) == 0 {
		return c.ID
	}
	return c.ID + " (" + strings.Join(c.Domains, ", ") + ")"
}

// fleetVerdictText is the verdict as the summary counts say it.
func fleetVerdictText(v string) string {
	switch v {
	case FleetExpired:
		return "already expired"
	case FleetNotIssued:
		return "not issued"
	case FleetCannotTell:
		return "cannot tell"
	}
	return v
}

// fleetMark starts a certificate's line, as the check's text does.
func fleetMark(v string) string {
	switch v {
	case FleetRenews:
		return "✓"
	case FleetExpires, FleetExpired:
		return "✗"
	case FleetNotIssued:
		return "-"
	}
	return "?"
}

// summary is the counts in one line, in the check's words.
func (c FleetCounts) summary() string {
	s := fmt.Sprintf("%d renew, %d expire, %d already expired, %d not issued, %d cannot tell", c.Renews, c.Expires, c.Expired, c.NotIssued, c.CannotTell)
	if c.Undecided > 0 {
		s += fmt.Sprintf(", %d undecided", c.Undecided)
	}
	return s
}

// title says whose fleet over which horizon.
func (f *FleetCheck) title() string {
	return fmt.Sprintf("%s of account %s in %s", plural(len(f.Certificates), "certificate"), f.Account, f.Region)
}

func (f *FleetCheck) horizon() string {
	return fmt.Sprintf("from %s to %s under %s", fleetDay(f.Now), fleetDay(f.Until), f.Profile)
}

func fleetDay(t time.Time) string { return t.UTC().Format("2006-01-02") }

// fleetDate is a certificate's verdict date, or "—".
func fleetDate(c *FleetCert) string {
	if c.Date == nil {
		return "—"
	}
	return fleetDay(*c.Date)
}
