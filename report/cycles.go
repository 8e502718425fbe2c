package report

import (
	"fmt"
	"strings"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// outcomeLine says in one sentence what happened to a certificate over
// the whole run, from its cycles: how often it renewed and when last, and
// how it ended — expired without being renewed (and in which cycle), or a
// cycle still open when the run stopped and what held it up. It is the
// text's "outcome:" line; the JUnit, Markdown and HTML outcomes say the
// same in fewer words (finalNote).
func outcomeLine(c *result.Cert) string {
	if len(c.Cycles) == 0 {
		// Made by hand, or read from results written before cycles.
		switch {
		case c.RenewedAt != nil:
			return fmt.Sprintf("renewed (cycle 1, %s)", ts(*c.RenewedAt))
		case c.ExpiredAt != nil:
			return fmt.Sprintf("expired without being renewed (cycle 1, %s)", ts(*c.ExpiredAt))
		}
		return string(c.Outcome)
	}
	var renewed []*sim.Cycle
	for i := range c.Cycles {
		if c.Cycles[i].Outcome == sim.OutcomeRenewed {
			renewed = append(renewed, &c.Cycles[i])
		}
	}
	var parts []string
	switch n := len(renewed); {
	case n == 1:
		parts = append(parts, fmt.Sprintf("renewed (cycle %d, %s)", renewed[0].N, ts(*renewed[0].RenewedAt)))
	case n > 1:
		last := renewed[n-1]
		parts = append(parts, fmt.Sprintf("renewed %s (cycles %d to %d, the last %s)", times(n), renewed[0].N, last.N, ts(*last.RenewedAt)))
	}
	last := &c.Cycles[len(c.Cycles)-1]
	switch last.Outcome {
	case sim.OutcomeExpired:
		s := fmt.Sprintf("expired without being renewed (cycle %d, %s)", last.N, ts(*last.ExpiredAt))
		if len(parts) > 0 {
			s = "then " + s
		}
		parts = append(parts, s)
	case sim.OutcomePending:
		s := fmt.Sprintf("cycle %d still open when the run ended", last.N)
		if len(parts) == 0 {
			s = fmt.Sprintf("pending: %s", s)
		}
		if last.Reason != "" {
			s += " (" + last.Reason + ")"
		}
		// A renewed certificate whose next window has not opened says no
		// more: nothing holds it up.
		if len(parts) == 0 || last.WindowOpened != nil {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// times writes "twice", "3 times".
func times(n int) string {
	if n == 2 {
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// finalNote is what the short outcomes (JUnit, the Markdown and HTML
// tables) add to the first cycle's outcome when the certificate ended
// otherwise: "then expired 2027-02-15 00:10 (cycle 2)". "" when the first
// cycle's outcome is also the final one.
func finalNote(c *result.Cert) string {
	last := c.LastDecided()
	if last == nil || last.N == 1 || c.Final() == c.Outcome {
		return ""
	}
	return fmt.Sprintf("then %s %s (cycle %d)", last.Outcome, ts(*last.ExpiredAt), last.N)
}

// finalCycleEntries are the positions, among at (a certificate's entries),
// of the entries of its last cycle: those after its last renewal. Why a
// certificate ended expired is told from them alone, not from a failure
// an earlier cycle recovered from.
func finalCycleEntries(log []sim.Entry, at []int32) []int32 {
	for i := len(at) - 1; i >= 0; i-- {
		if log[at[i]].Kind == sim.KindIssued {
			return at[i+1:]
		}
	}
	return at
}
