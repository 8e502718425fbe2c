package fleet

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// A check of infrastructure code (renewsim check -terraform,
// -cloudformation) runs the fleet before a change and after it over one
// horizon and reports the fleet after it, each certificate with what it
// was before: the Report's Change, Breaks, Fixes and Deleted, and each
// Entry's Address, Before, Difference and Planned. The caller fills in
// Address, Before and Planned, then calls SetChange, which is the one
// place that decides what the change does to each renewal.

// Before is a certificate's verdict before the change.
type Before struct {
	// ARN is the certificate's ARN before the change, when the change
	// replaces it (a new certificate, under a new ARN); "" when the same.
	ARN     string     `json:"arn,omitempty"`
	Verdict Verdict    `json:"verdict"`
	Date    *time.Time `json:"date"`
	Reason  string     `json:"reason"`
}

// Planned is a planned change (of a Terraform plan, a CloudFormation
// change set) that bears on a certificate, and what it does to it.
type Planned struct {
	Address string `json:"address"` // the resource changed: a Terraform address, or stack/LogicalID
	Action  string `json:"action"`  // create, update, delete or replace
	Effect  string `json:"effect"`  // what it does to the fleet
}

// What a change does to a certificate's renewal (Entry.Difference).
const (
	// DiffBreaks: it renewed before the change and does not after (expires,
	// or is not issued), or the change creates it and it never issues or
	// does not renew.
	DiffBreaks = "breaks"
	// DiffFixes: it did not renew before (expired, expires, not issued)
	// and renews after.
	DiffFixes = "fixes"
	// DiffCreated: the change creates it, and it does not break.
	DiffCreated = "created"
	// DiffUnchanged: anything else — the same verdict, or a change renewsim
	// cannot pin on the change (it could not tell before, or cannot after).
	DiffUnchanged = "unchanged"
)

// renewing and failing are the verdicts a difference is judged on; cannot
// tell and undecided are neither.
func renewing(v Verdict) bool { return v == VerdictRenews }

func failing(v Verdict) bool {
	return v == VerdictExpires || v == VerdictExpired || v == VerdictNotIssued
}

// SetChange marks the report as the fleet after a change of kind (how the
// text names it: "plan", "change set", "change"): every certificate gets
// its Difference from its verdicts before (Before; nil: the change creates
// it) and after, Breaks and Fixes list them (by address, or ARN for a
// certificate only the exports describe) in the report's order, and
// Deleted lists the addresses of the certificates the change deletes.
func (r *Report) SetChange(kind string, deleted []string) {
	r.Change = kind
	r.Breaks, r.Fixes = []string{}, []string{}
	r.Deleted = slices.Sorted(slices.Values(deleted))
	if r.Deleted == nil {
		r.Deleted = []string{}
	}
	for _, e := range r.Certificates {
		e.Difference = difference(e)
		switch e.Difference {
		case DiffBreaks:
			r.Breaks = append(r.Breaks, e.Name())
		case DiffFixes:
			r.Fixes = append(r.Fixes, e.Name())
		}
	}
}

func difference(e *Entry) string {
	switch {
	case e.Before == nil && failing(e.Verdict):
		return DiffBreaks
	case e.Before == nil:
		return DiffCreated
	case renewing(e.Before.Verdict) && failing(e.Verdict):
		return DiffBreaks
	case failing(e.Before.Verdict) && renewing(e.Verdict):
		return DiffFixes
	}
	return DiffUnchanged
}

// Name is how a check of code names a certificate: its address, or its
// ARN when only the exports describe it.
func (e *Entry) Name() string { return cmp.Or(e.Address, e.ARN, e.ID) }

// BeforeHeadline is a certificate's verdict before the change in one
// phrase, as Headline says the one after it; "" when the change creates it.
func (r *Report) BeforeHeadline(e *Entry) string {
	if e.Before == nil {
		return ""
	}
	return headline(&Entry{Verdict: e.Before.Verdict, Date: e.Before.Date, Reason: e.Before.Reason}, r.Until)
}

// Combine joins the reports of fleets checked over one horizon — one per
// account and region: infrastructure code often spans regions, and Build
// takes one at a time — into one report, its entries ordered by urgency
// across them all, with notes about the inputs as a whole first. The
// entries are the reports' own, not copies. With no report, it is the
// report of a fleet without certificates.
func Combine(now, until time.Time, profile string, notes []string, reports ...*Report) *Report {
	out := &Report{Profile: profile, Now: now, Until: until}
	var accounts, regions []string
	for _, n := range notes {
		out.planNotes = appendNew(out.planNotes, n)
	}
	// Every region's fleet holds every zone of the inputs: a zone unused
	// in one region is used in another unless every region says so.
	unused := map[string]int{}
	for _, r := range reports {
		for _, n := range r.unusedZones {
			unused[n]++
		}
	}
	for _, r := range reports {
		accounts = appendNew(accounts, r.Account)
		regions = appendNew(regions, r.Region)
		out.Certificates = append(out.Certificates, r.Certificates...)
		out.Shared = append(out.Shared, r.Shared...)
		for _, a := range r.Assumptions { // one profile and horizon: the same for every fleet
			out.Assumptions = appendNew(out.Assumptions, a)
		}
		for _, n := range r.planNotes {
			if k, ok := unused[n]; ok && k < len(reports) {
				continue
			}
			out.planNotes = appendNew(out.planNotes, n)
		}
	}
	// One account and region is the common case; several read as a list
	// (each certificate's ARN names its own).
	out.Account, out.Region = strings.Join(accounts, ", "), strings.Join(regions, ", ")
	out.finish()
	out.Certificates = orEmpty(out.Certificates)
	return out
}

// writeChange writes what the change does, before the fleet after it: the
// certificates it breaks, each with its verdict after and before and the
// planned changes that bear on it, then in a line each what it fixes,
// creates, deletes and leaves as it was.
func writeChange(b *strings.Builder, r *Report) {
	this := "this " + r.Change
	by := map[string][]*Entry{}
	for _, e := range r.Certificates {
		by[e.Difference] = append(by[e.Difference], e)
	}
	if n := len(by[DiffBreaks]); n == 0 {
		fmt.Fprintf(b, "%s breaks no renewal\n", this)
	} else {
		fmt.Fprintf(b, "%s breaks the renewal of %s\n", this, sim.Count(n, "certificate"))
	}
	for _, e := range by[DiffBreaks] {
		fmt.Fprintf(b, "\n%s %s  %s\n", e.Verdict.Mark(), e.Name(), strings.Join(e.Domains, ", "))
		fmt.Fprintf(b, "    after the %s: %s\n", r.Change, r.Headline(e))
		if e.Before == nil {
			fmt.Fprintf(b, "    before the %s: it did not exist (the %s creates it)\n", r.Change, r.Change)
		} else {
			fmt.Fprintf(b, "    before the %s: %s\n", r.Change, r.BeforeHeadline(e))
		}
		writePlanned(b, e)
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "it fixes %d, creates %d, deletes %d and leaves %d unchanged\n",
		len(by[DiffFixes]), len(by[DiffCreated]), len(r.Deleted), len(by[DiffUnchanged]))
	for _, e := range by[DiffFixes] {
		fmt.Fprintf(b, "  fixes %s: %s (before: %s)\n", e.Name(), r.Headline(e), r.BeforeHeadline(e))
	}
	for _, e := range by[DiffCreated] {
		fmt.Fprintf(b, "  creates %s: %s\n", e.Name(), r.Headline(e))
	}
	for _, a := range r.Deleted {
		fmt.Fprintf(b, "  deletes %s\n", a)
	}
	for _, e := range by[DiffUnchanged] {
		switch {
		case failing(e.Verdict) && failing(e.Before.Verdict):
			fmt.Fprintf(b, "  %s does not renew before the %s either, so it is not the %s's doing: %s\n", e.Name(), r.Change, r.Change, r.Headline(e))
		case failing(e.Verdict):
			fmt.Fprintf(b, "  %s does not renew after the %s; before it: %s\n", e.Name(), r.Change, r.BeforeHeadline(e))
		case e.Verdict != e.Before.Verdict:
			fmt.Fprintf(b, "  %s after the %s: %s (before: %s)\n", e.Name(), r.Change, r.Headline(e), r.BeforeHeadline(e))
		}
	}
}

// writePlanned writes the planned changes that bear on a certificate.
func writePlanned(b *strings.Builder, e *Entry) {
	for _, p := range e.Planned {
		fmt.Fprintf(b, "    planned: %s (%s): %s\n", p.Address, p.Action, p.Effect)
	}
}
