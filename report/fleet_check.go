package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/renewsim/renewsim/fleet"

	"github.com/renewsim/renewsim/sim"
)

// The fleet page, JUnit and Markdown of `renewsim check` read the check's
// own result, a fleet.Report: its certificates in the check's order (most
// urgent first), each with its verdict and, through Report.Headline, the
// verdict in the check's words. What follows is how CI pages count and
// name them.

// ciFailed tells whether a certificate will not renew or has already
// expired: what a CI page counts as a failure.
func ciFailed(c *fleet.Entry) bool {
	return c.Verdict == fleet.VerdictExpires || c.Verdict == fleet.VerdictExpired
}

// ciSkipped tells whether the check could not give a certificate a yes or
// a no: it cannot tell, it is not issued, or the horizon is too short.
func ciSkipped(c *fleet.Entry) bool {
	return c.Verdict == fleet.VerdictCannotTell || c.Verdict == fleet.VerdictNotIssued || c.Verdict == fleet.VerdictUndecided
}

// ciName is how CI pages name a certificate: its id (its address, when
// infrastructure code describes it) and its names.
func ciName(c *fleet.Entry) string {
	name := c.ID
	if c.Address != "" {
		name = c.Address
	}
	if len(c.Domains) == 0 {
		return name
	}
	return name + " (" + strings.Join(c.Domains, ", ") + ")"
}

// fleetVerdictText is the verdict as the summary counts say it.
func fleetVerdictText(v fleet.Verdict) string {
	switch v {
	case fleet.VerdictExpired:
		return "already expired"
	case fleet.VerdictNotIssued:
		return "not issued"
	case fleet.VerdictCannotTell:
		return "cannot tell"
	}
	return string(v)
}

// fleetTitle says whose fleet it is.
func fleetTitle(f *fleet.Report) string {
	return fmt.Sprintf("%s of %s", sim.Count(len(f.Certificates), "certificate"), f.Whose())
}

// fleetHorizon says over which horizon and under which rules.
func fleetHorizon(f *fleet.Report) string {
	return fmt.Sprintf("from %s to %s under %s", fleetDay(f.Now), fleetDay(f.Until), f.Profile)
}

func fleetDay(t time.Time) string { return t.UTC().Format("2006-01-02") }

// fleetDate is a certificate's verdict date, or "—".
func fleetDate(c *fleet.Entry) string {
	if c.Date == nil {
		return "—"
	}
	return fleetDay(*c.Date)
}
