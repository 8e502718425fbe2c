package sim

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIllegalTransitionsPanic tries every named transition from every
// phase: from the phases it names it moves to its target, from any other it
// panics, naming the transition, because an illegal transition is a bug in
// the model and never a property of the input.
func TestIllegalTransitionsPanic(t *testing.T) {
	all := []Phase{PhaseIdle, PhaseIneligible, PhaseValidating, PhaseIssuing, PhaseExpired}
	for _, tc := range []struct {
		name string
		do   func(c *certState)
		from []Phase
		to   Phase
	}{
		{"window opens", func(c *certState) { c.windowOpens(true) }, []Phase{PhaseIdle}, PhaseValidating},
		{"window opens ineligible", func(c *certState) { c.windowOpens(false) }, []Phase{PhaseIdle}, PhaseIneligible},
		{"becomes eligible", (*certState).becomesEligible, []Phase{PhaseIneligible}, PhaseValidating},
		{"loses eligibility", (*certState).losesEligibility, []Phase{PhaseValidating}, PhaseIneligible},
		{"stops issuing", func(c *certState) { c.stopsIssuing(true) }, []Phase{PhaseIssuing}, PhaseIneligible},
		{"stops issuing before the window", func(c *certState) { c.stopsIssuing(false) }, []Phase{PhaseIssuing}, PhaseIdle},
		{"validated", (*certState).validated, []Phase{PhaseValidating, PhaseIdle}, PhaseIssuing},
		{"renewed", (*certState).renewed, []Phase{PhaseIssuing}, PhaseIdle},
		{"renewal requested", (*certState).renewalRequested, []Phase{PhaseIdle}, PhaseValidating},
		{"reimported", (*certState).reimported, []Phase{PhaseIdle, PhaseExpired}, PhaseIdle},
		{"expires", (*certState).expires, []Phase{PhaseIdle, PhaseIneligible, PhaseValidating, PhaseIssuing}, PhaseExpired},
	} {
		for _, from := range all {
			t.Run(fmt.Sprintf("%s from %s", tc.name, from), func(t *testing.T) {
				c := &certState{spec: &Certificate{ID: "web"}, phase: from}
				if slices.Contains(tc.from, from) {
					assert.NotPanics(t, func() { tc.do(c) })
					assert.Equal(t, tc.to, c.phase)
					return
				}
				assert.PanicsWithValue(t, fmt.Sprintf("sim: certificate web: transition %q from %s to %s is not allowed (allowed from %v)", tc.name, from, tc.to, tc.from),
					func() { tc.do(c) })
				assert.Equal(t, from, c.phase, "a refused transition leaves the phase")
			})
		}
	}
}

func TestPhaseNames(t *testing.T) {
	assert.Equal(t, "validating", PhaseValidating.String())
	assert.Equal(t, "phase(9)", Phase(9).String())
}
