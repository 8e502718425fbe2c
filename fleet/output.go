package fleet

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// Counts are how many certificates got each verdict.
type Counts struct {
	Certificates int `json:"certificates"`
	Renews       int `json:"renews"`
	Expires      int `json:"expires"`
	Undecided    int `json:"undecided"`
	Expired      int `json:"expired"`
	NotIssued    int `json:"not_issued"`
	CannotTell   int `json:"cannot_tell"`
}

// CountsOf counts the verdicts of certs.
func CountsOf(certs []*Entry) Counts {
	c := Counts{Certificates: len(certs)}
	for _, e := range certs {
		switch e.Verdict {
		case VerdictRenews:
			c.Renews++
		case VerdictExpires:
			c.Expires++
		case VerdictUndecided:
			c.Undecided++
		case VerdictExpired:
			c.Expired++
		case VerdictNotIssued:
			c.NotIssued++
		case VerdictCannotTell:
			c.CannotTell++
		}
	}
	return c
}

// WriteJSON writes the report as one indented JSON document: the -json
// output of check and merge, and results.json of the fleet page.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Mark is the sign a certificate's line starts with in the check's text:
// ✓ renews, ✗ expires or expired, - not issued, ? cannot tell or
// undecided.
func (v Verdict) Mark() string {
	switch v {
	case VerdictRenews:
		return "✓"
	case VerdictExpires, VerdictExpired:
		return "✗"
	case VerdictNotIssued:
		return "-"
	}
	return "?"
}

// WriteText writes the report for people: one block per certificate,
// most urgent first — renews around DATE, or expires on DATE because
// REASON, what to fix, and the traps it falls into — then the shared
// validation records, the notes and the counts. The report of a change
// starts with what the change does (the renewals it breaks first), and
// each certificate says its verdict before the change too; a certificate
// that infrastructure code describes is named by its address as well.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	c := r.Counts
	switch {
	case c.Certificates == 0 && r.Account == "" && len(r.Deleted) == 0:
		// Infrastructure code without a certificate, before or after.
		b.WriteString("no certificates: nothing in the inputs is an ACM certificate, so there is no renewal to check\n")
	case r.Change != "":
		writeChange(&b, r)
		fmt.Fprintf(&b, "\nafter the %s: ", r.Change)
	}
	switch {
	case c.Certificates == 0 && r.Account == "" && len(r.Deleted) == 0:
	case c.Certificates == 0 && r.Account == "":
		fmt.Fprintf(&b, "no certificates, from %s to %s under %s\n", day(r.Now), day(r.Until), r.Profile)
	default:
		fmt.Fprintf(&b, "%s of %s, from %s to %s under %s\n",
			sim.Count(c.Certificates, "certificate"), r.Whose(), day(r.Now), day(r.Until), r.Profile)
		for _, a := range r.Assumptions {
			fmt.Fprintf(&b, "%s\n", a)
		}
	}
	account := ""
	for i, e := range r.Certificates {
		if len(r.Accounts) > 1 && (i == 0 || e.Account != account) {
			account = e.Account
			fmt.Fprintf(&b, "\n== account %s: %s ==\n", account, accountSummary(r, account))
		}
		b.WriteString("\n")
		names := strings.Join(e.Domains, ", ")
		if names == "" && e.Address != "" {
			// The code did not say its names (an expression renewsim cannot
			// resolve): its address says which one it is.
			names = e.Address
		}
		fmt.Fprintf(&b, "%s %s  %s\n", e.Verdict.Mark(), names, headline(e, r.Until))
		if e.Address != "" {
			fmt.Fprintf(&b, "    %s  %s  %s\n", e.Address, e.ID, e.ARN)
		} else {
			fmt.Fprintf(&b, "    %s  %s\n", e.ID, e.ARN)
		}
		if r.Change != "" {
			if e.Before == nil {
				fmt.Fprintf(&b, "    before the %s: it did not exist\n", r.Change)
			} else if e.Before.ARN != "" {
				fmt.Fprintf(&b, "    before the %s, as %s: %s\n", r.Change, e.Before.ARN, r.BeforeHeadline(e))
			} else {
				fmt.Fprintf(&b, "    before the %s: %s\n", r.Change, r.BeforeHeadline(e))
			}
		}
		if e.Fix != "" {
			fmt.Fprintf(&b, "    fix: %s\n", e.Fix)
		}
		for _, n := range e.Notes {
			fmt.Fprintf(&b, "    note: %s\n", n)
		}
		for _, v := range e.Alarms {
			fmt.Fprintf(&b, "    alarm %s: %s\n", v.Alarm, alarmLine(v))
		}
	}
	if len(r.Shared) > 0 {
		b.WriteString("\nshared validation records (deleting one breaks every certificate listed):\n")
		for _, s := range r.Shared {
			fmt.Fprintf(&b, "  %s → %s\n", s.Record, strings.Join(s.Certificates, ", "))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nnotes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	if c.Certificates > 0 || r.Account != "" {
		b.WriteString("\n" + c.Line() + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// accountSummary counts the certificates of one account of a fleet that
// spans several, and names their regions.
func accountSummary(r *Report, account string) string {
	var certs []*Entry
	var regions []string
	for _, e := range r.Certificates {
		if e.Account == account {
			certs = append(certs, e)
			if e.Region != "" && !slices.Contains(regions, e.Region) {
				regions = append(regions, e.Region)
			}
		}
	}
	slices.Sort(regions)
	c := CountsOf(certs)
	s := sim.Count(c.Certificates, "certificate")
	if len(regions) > 0 {
		s += " in " + andList(regions)
	}
	return s + "; " + c.verdicts()
}

// Line is the counts in one line, in the check's words: "6 renew,
// 1 expires, 1 already expired, 0 not issued, 1 cannot tell", and the
// undecided ones when there are any.
func (c Counts) Line() string {
	s := c.verdicts()
	if c.Undecided > 0 {
		s += fmt.Sprintf(", %d undecided", c.Undecided)
	}
	return s
}

func (c Counts) verdicts() string {
	verb := func(n int, v string) string { return fmt.Sprintf("%d %s", n, sim.Verb(n, v+"s", v)) }
	return fmt.Sprintf("%s, %s, %d already expired, %d not issued, %d cannot tell", verb(c.Renews, "renew"), verb(c.Expires, "expire"), c.Expired, c.NotIssued, c.CannotTell)
}

// Headline is a certificate's verdict in one phrase, as WriteText prints
// it after the certificate's names: "renews around DATE …: REASON",
// "expires on DATE because REASON", "cannot tell: REASON"…
func (r *Report) Headline(e *Entry) string { return headline(e, r.Until) }

// headline is the verdict in one phrase.
func headline(e *Entry, horizon time.Time) string {
	// A verdict with a date always has one from Assess; one built by hand
	// without it reads "an unknown date" rather than failing.
	date := "an unknown date"
	if e.Date != nil {
		date = day(*e.Date)
	}
	switch e.Verdict {
	case VerdictRenews:
		s := "renews around " + date
		if n := len(e.Renewals); n > 1 {
			s += " and " + more(n-1) + " by " + day(horizon)
		}
		return s + ": " + e.Reason
	case VerdictExpires:
		s := ""
		if n := len(e.Renewals); n > 0 {
			s = "renews " + day(e.Renewals[0])
			if n > 1 {
				s += " and " + more(n-1)
			}
			s += ", then "
		}
		return s + "expires on " + date + " because " + e.Reason
	case VerdictExpired:
		return e.Reason + " (not simulated)"
	case VerdictNotIssued:
		return "not issued: " + e.Reason + " (not simulated)"
	case VerdictCannotTell:
		return "cannot tell: " + e.Reason
	case VerdictUndecided:
		return "undecided: " + e.Reason
	}
	return string(e.Verdict)
}

// more counts further occurrences: "once more", "twice more", "3 more
// times".
func more(n int) string {
	switch n {
	case 1:
		return "once more"
	case 2:
		return "twice more"
	}
	return fmt.Sprintf("%d more times", n)
}
