package fleet

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
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

// Counts counts the verdicts.
func (r *Report) Counts() Counts {
	c := Counts{Certificates: len(r.Certificates)}
	for _, e := range r.Certificates {
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

// jsonReport is the -json document; its field order is part of the format.
type jsonReport struct {
	Account      string         `json:"account"`
	Region       string         `json:"region"`
	Profile      string         `json:"profile"`
	Now          time.Time      `json:"now"`
	Until        time.Time      `json:"until"`
	Counts       Counts         `json:"counts"`
	Certificates []jsonCert     `json:"certificates"`
	Shared       []SharedRecord `json:"shared_records"`
	Notes        []string       `json:"notes"`
}

type jsonCert struct {
	ID        string      `json:"id"`
	ARN       string      `json:"arn"`
	Domains   []string    `json:"domains"`
	Type      string      `json:"type"`
	Status    string      `json:"status"`
	Simulated bool        `json:"simulated"`
	Verdict   Verdict     `json:"verdict"`
	Date      *time.Time  `json:"date"`
	Renewals  []time.Time `json:"renewals"`
	Reason    string      `json:"reason"`
	Fix       string      `json:"fix"`
	Notes     []string    `json:"notes"`
	// Alarms appear with check -alarms only.
	Alarms []AlarmVerdict `json:"alarms,omitempty"`
}

// WriteJSON writes the report as one indented JSON document.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		Account: r.Account, Region: r.Region, Profile: r.Profile, Now: r.Now, Until: r.Until,
		Counts: r.Counts(), Certificates: []jsonCert{}, Shared: orEmpty(r.Shared), Notes: orEmpty(r.Notes),
	}
	for _, e := range r.Certificates {
		out.Certificates = append(out.Certificates, certJSON(e))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func certJSON(e *Entry) jsonCert {
	return jsonCert{
		ID: e.ID, ARN: e.ARN, Domains: orEmpty(e.Domains), Type: e.Type, Status: e.Status, Simulated: e.Simulated,
		Verdict: e.Verdict, Date: e.Date, Renewals: orEmpty(e.Renewals), Reason: e.Reason, Fix: e.Fix, Notes: orEmpty(e.Notes), Alarms: e.Alarms,
	}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// marks start each certificate's line by verdict.
var marks = map[Verdict]string{
	VerdictRenews: "✓", VerdictExpires: "✗", VerdictExpired: "✗", VerdictUndecided: "?", VerdictCannotTell: "?", VerdictNotIssued: "-",
}

// WriteText writes the report for people: one block per certificate,
// most urgent first — renews around DATE, or expires on DATE because
// REASON, what to fix, and the traps it falls into — then the shared
// validation records, the notes and the counts.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	c := r.Counts()
	fmt.Fprintf(&b, "%s of account %s in %s, from %s to %s under %s\n",
		count(c.Certificates, "certificate"), r.Account, r.Region, day(r.Now), day(r.Until), r.Profile)
	for _, e := range r.Certificates {
		b.WriteString("\n")
		fmt.Fprintf(&b, "%s %s  %s\n", marks[e.Verdict], strings.Join(orEmpty(e.Domains), ", "), headline(e, r.Until))
		fmt.Fprintf(&b, "    %s  %s\n", e.ID, e.ARN)
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
	fmt.Fprintf(&b, "\n%d renew, %d expire, %d already expired, %d not issued, %d cannot tell", c.Renews, c.Expires, c.Expired, c.NotIssued, c.CannotTell)
	if c.Undecided > 0 {
		fmt.Fprintf(&b, ", %d undecided", c.Undecided)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Headline is a certificate's verdict in one phrase, as WriteText prints
// it after the certificate's names: "renews around DATE …: REASON",
// "expires on DATE because REASON", "cannot tell: REASON"…
func (r *Report) Headline(e *Entry) string { return headline(e, r.Until) }

// headline is the verdict in one phrase.
func headline(e *Entry, horizon time.Time) string {
	switch e.Verdict {
	case VerdictRenews:
		s := "renews around " + day(*e.Date)
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
		return s + "expires on " + day(*e.Date) + " because " + e.Reason
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

// count writes "1 certificate", "2 certificates".
func count(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
