package sim

import (
	"fmt"
	"strings"
	"time"
)

// Cycle is one renewal cycle of a certificate as the record tells it.
// Cycle N renews the certificate that was current when it began: the first
// certificate for N = 1, the one renewal N-1 issued after that. It ends
// when that certificate is renewed or expires; a cycle still open when the
// run stopped is pending.
type Cycle struct {
	N int `json:"cycle"`
	// NotAfter is the expiry of the certificate the cycle renews.
	NotAfter time.Time `json:"not_after"`
	// WindowOpened is when its renewal window opened; nil when it never
	// did (a certificate ACM never renews, a run that stopped first, a
	// renewal RenewCertificate asked for before the window).
	WindowOpened *time.Time `json:"window_opened"`
	Outcome      Outcome    `json:"outcome"`
	// Reason says why an expired cycle was not renewed, and what holds a
	// pending one up (not eligible, failing validation); "" for a renewed
	// cycle and for a pending one nothing holds up.
	Reason    string     `json:"reason"`
	RenewedAt *time.Time `json:"renewed_at"`
	ExpiredAt *time.Time `json:"expired_at"`
}

// FinalOutcome is what happened last to a certificate with these cycles:
// the outcome of the last cycle that was decided (renewed or expired), or
// pending when none was. A certificate renewed in cycle 1 that expires
// unrenewed in cycle 2 ends expired; one whose cycle 2 is still open when
// the run stops ends renewed.
func FinalOutcome(cycles []Cycle) Outcome {
	if last := LastDecided(cycles); last != nil {
		return last.Outcome
	}
	return OutcomePending
}

// LastDecided is the last of cycles that was renewed or expired, nil when
// none was.
func LastDecided(cycles []Cycle) *Cycle {
	for i := len(cycles) - 1; i >= 0; i-- {
		if cycles[i].Outcome != OutcomePending {
			return &cycles[i]
		}
	}
	return nil
}

// CycleReader reads the renewal cycles of one certificate from its entries,
// fed to Add in record order. Callers that hold the entries in another form
// (positions in a record, pointers) feed them one by one; every reader of
// cycles — results, expectations, the fleet's verdicts — reads them here,
// so they agree.
type CycleReader struct {
	cycles []Cycle
	// times holds the open cycle's window, renewal and expiry times, one
	// allocation for the three a cycle may point at: a fleet's result
	// reads millions of entries into cycles.
	times *[3]time.Time
	// What the open cycle's entries said, for its reason.
	ineligible     Cause  // the eligibility cause last recorded, "" while eligible
	ineligibleText string // the window's words for it (the IDN rule names the name)
	failed         *Entry // the last failing attempt
	caa            *Entry // the last CAA check
	reason         string // the last renewal status reason recorded (PCA_*, CAA_ERROR)
}

// Add reads one entry of the certificate. Entries of other kinds than
// those that mark a cycle or say why it fails change nothing.
func (r *CycleReader) Add(e *Entry) {
	d := e.Detail
	switch e.Kind {
	case KindCert:
		if len(r.cycles) == 0 && d.NotAfter != nil {
			r.open(*d.NotAfter)
		}
	case KindWindow:
		c := r.current()
		if c == nil {
			return
		}
		r.times[0] = e.Time
		c.WindowOpened = &r.times[0]
		r.ineligible, r.ineligibleText = "", ""
		if d.StatusOf().Eligibility == Ineligible {
			r.ineligible = d.StatusOf().Cause
			if _, why, ok := strings.Cut(d.Text, notEligibleText); ok {
				r.ineligibleText = strings.TrimSuffix(why, notTriedText)
			}
		}
	case KindStatus:
		s := d.StatusOf()
		if s.Eligibility == Ineligible && s.Cause != CauseExpired {
			if s.Cause != r.ineligible {
				r.ineligibleText = ""
			}
			r.ineligible = s.Cause
		} else if s.Eligibility == Eligible {
			r.ineligible, r.ineligibleText = "", ""
		}
		r.reason = s.Reason
	case KindAttempt:
		if d.OK != nil && !*d.OK {
			r.failed = e
		}
	case KindCAA:
		r.caa = e
	case KindIssued:
		c := r.current()
		if c == nil {
			return
		}
		r.times[1] = e.Time
		c.Outcome, c.RenewedAt, c.Reason = OutcomeRenewed, &r.times[1], ""
		next := c.NotAfter
		if d.NotAfter != nil {
			next = *d.NotAfter
		}
		r.open(next)
	case KindExpired:
		c := r.current()
		if c == nil {
			return
		}
		r.times[2] = e.Time
		c.Outcome, c.ExpiredAt = OutcomeExpired, &r.times[2]
		c.Reason = r.why(true)
	}
}

// Cycles are the cycles read so far; the open one, if any, pending with
// what holds it up.
func (r *CycleReader) Cycles() []Cycle {
	if c := r.current(); c != nil && c.WindowOpened != nil {
		c.Reason = r.why(false)
	}
	return r.cycles
}

// open starts the next cycle, renewing a certificate valid until notAfter.
func (r *CycleReader) open(notAfter time.Time) {
	if r.cycles == nil {
		r.cycles = make([]Cycle, 0, 2) // most runs see a renewal and the cycle it opens
	}
	r.cycles = append(r.cycles, Cycle{N: len(r.cycles) + 1, NotAfter: notAfter, Outcome: OutcomePending})
	r.times = new([3]time.Time)
	r.failed, r.caa, r.reason = nil, nil, ""
}

// current is the open cycle, nil when there is none (before the
// certificate's entry, after it expired).
func (r *CycleReader) current() *Cycle {
	n := len(r.cycles)
	if n == 0 || r.cycles[n-1].Outcome != OutcomePending {
		return nil
	}
	return &r.cycles[n-1]
}

// why says, from the open cycle's entries, why it was not renewed
// (expired) or what holds it up (pending): not eligible, a CAA record
// that forbids Amazon, the names the last attempt could not validate, a
// renewal status reason (a Private CA's refusal).
func (r *CycleReader) why(expired bool) string {
	switch {
	case r.ineligible != "" && r.ineligible != CauseExpired:
		if r.ineligibleText != "" {
			return "not eligible: " + r.ineligibleText
		}
		return "not eligible: " + r.ineligible.Explain()
	case r.caa != nil && r.caa.Detail.OK != nil && !*r.caa.Detail.OK && (r.failed == nil || !r.caa.Time.Before(r.failed.Time)):
		var probs []string
		for _, a := range r.caa.Detail.CAA {
			if !a.OK {
				probs = appendOnce(probs, a.Name+": "+a.Problem)
			}
		}
		return "CAA forbids Amazon (CAA_ERROR): " + strings.Join(probs, "; ")
	case r.failed != nil:
		return "validation failed: " + failedNames(r.failed.Detail.Checks)
	case strings.HasPrefix(r.reason, "PCA_"):
		return "AWS Private CA refused to issue it (" + r.reason + ")"
	case r.reason != "":
		return "renewal failed: " + r.reason
	case expired:
		return "no renewal before it expired"
	}
	return ""
}

// failedNames says what the checks of a failing attempt found, names that
// failed the same way together.
func failedNames(checks []NameCheck) string {
	var order []string
	names := map[string][]string{}
	for _, ch := range checks {
		if ch.Status == ValidationSuccess {
			continue
		}
		p := ch.Problem
		if p == "" {
			p = string(ch.Cause)
		}
		if _, ok := names[p]; !ok {
			order = append(order, p)
		}
		names[p] = append(names[p], ch.Domain)
	}
	parts := make([]string, len(order))
	for i, p := range order {
		parts[i] = fmt.Sprintf("%s: %s", strings.Join(names[p], ", "), p)
	}
	return strings.Join(parts, "; ")
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
