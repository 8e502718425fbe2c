package report

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/renewsim/renewsim/fleet"
)

// Every verdict fleet gives has its place on CI pages: a failure, a skip,
// or (renews) a pass, and a class and marks of its own where it differs.
func TestEveryVerdictHasItsPlace(t *testing.T) {
	for _, v := range fleet.Verdicts {
		c := &fleet.Entry{Verdict: v}
		places := 0
		for _, in := range []bool{ciFailed(c), ciSkipped(c), v == fleet.VerdictRenews} {
			if in {
				places++
			}
		}
		assert.Equal(t, 1, places, "%s is exactly one of failed, skipped and passed", v)
		assert.NotEmpty(t, fleetVerdictText(v), v)
		if v != fleet.VerdictCannotTell && v != fleet.VerdictUndecided {
			assert.NotEqual(t, "unknown", fleetClass(v), "%s has a class of its own", v)
			assert.NotEqual(t, "❔", fleetMDMark(v), "%s has a mark of its own", v)
		}
	}
}
