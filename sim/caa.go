package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// caaResult takes the CAA record sets that govern each name, after every
// name validated: Amazon allowed everywhere means the renewal issues;
// otherwise the renewal waits with CAA_ERROR and the next attempt checks
// again.
func (m *Model) caaResult(now time.Time, c *certState, r CAAResult) {
	if r.Attempt != c.att.n || !c.att.caaPending || c.phase != PhaseValidating {
		return
	}
	c.att.caaPending = false
	before := m.snapshot(c)
	ok := true
	var judged []CAAAnswer
	for i, a := range r.Answers {
		name := a.Name
		if i < len(c.names) {
			name = c.names[i]
		}
		j := JudgeCAA(name, a)
		judged = append(judged, j)
		ok = ok && j.OK
	}
	text := "CAA allows Amazon for every name"
	if !ok {
		var bad []string
		for _, j := range judged {
			if !j.OK && !slices.Contains(bad, j.Problem) {
				bad = append(bad, j.Problem)
			}
		}
		text = "CAA check failed: " + strings.Join(bad, "; ")
	}
	m.logAttempt(now, KindCAA, c, c.att.n, &Detail{Text: text, Cycle: c.cycle, CAA: judged, OK: boolPtr(ok)}, &c.att.lastCAA)
	if ok {
		if c.reason == ReasonCAAError {
			c.reason = ""
		}
		m.validated(now, c)
		m.logStatusIfChanged(now, c, before)
		return
	}
	c.reason = ReasonCAAError
	c.renewalStatus = RenewalPendingValidation
	m.failing(now, c)
	m.logStatusIfChanged(now, c, before)
	if !c.cyc.caaNotified {
		c.cyc.caaNotified = true
		m.health(now, c, "CAA_CHECK_FAILURE", fmt.Sprintf("ACM could not renew %s: %s", c.arn, text))
	}
	m.retry(now, c)
}

// sameCAACheck tells whether two caa-check details say the same thing.
func sameCAACheck(a, b *Detail) bool {
	return a.Text == b.Text && a.Cycle == b.Cycle && a.OK == b.OK && slices.EqualFunc(a.CAA, b.CAA, func(x, y CAAAnswer) bool {
		return x.Name == y.Name && x.FoundAt == y.FoundAt && x.Err == y.Err && x.OK == y.OK && x.Cause == y.Cause &&
			x.Problem == y.Problem && slices.Equal(x.Records, y.Records)
	})
}
