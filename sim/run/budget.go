package run

import (
	"time"

	"github.com/renewsim/renewsim/sim"
)

// budgetFactor is the headroom of Budget over its estimate of the events a
// scenario can need.
const budgetFactor = 4

// Budget is the default engine budget of a run of sc: budgetFactor times an
// upper estimate of the events its certificates, resources, mailboxes and
// timeline can need between start and until. The profile's ranges
// (sim.Profile.Check) keep that estimate finite; a run that still uses it
// up is a model that keeps itself busy, and stops with an error naming the
// event instead of running without end.
func Budget(sc *sim.Scenario) uint64 {
	p := &sc.Profile
	horizon := max(sc.Until.Sub(sc.Start), 0)
	per := func(d time.Duration) uint64 { return uint64(horizon / max(d, time.Minute)) }
	// A renewal cycle lasts at least a lifetime minus its window, the
	// shortest of every lifetime the profile gives.
	cycles := per(p.ShortestCycle()) + 2
	notices := uint64(len(p.ActionRequiredDays) + len(p.PrivateActionRequired) + max(p.ApproachingDaysPublic, p.ApproachingDaysPrivate))
	resources := uint64(len(sc.Resources))
	clickers := uint64(len(sc.Mailboxes))
	var need, mailed uint64 // mailed: the most names of an e-mail-validated certificate
	for i := range sc.Certificates {
		c := &sc.Certificates[i]
		// Timers of one cycle: window, expiry, issue, instruction and
		// e-mail, the notices, a deploy and a probe per resource.
		cycle := 8 + notices + 2*resources
		if c.Validation == sim.ValidationEmail {
			// Approval e-mails per name, first and resent, each clicked
			// after a delay by every mailbox that clicks.
			names := uint64(len(c.Names()))
			mailed = max(mailed, names)
			cycle += (1 + uint64(len(p.EmailResendDays))) * names * (1 + clickers)
		}
		need += per(p.RetryInterval) + cycles*cycle
	}
	// A timeline entry runs once, redeploys to every resource and, when it
	// resends approval e-mails, brings their clicks.
	need += uint64(len(sc.Timeline))*(1+resources+mailed*clickers) + clickers + 1000
	return budgetFactor * need
}
