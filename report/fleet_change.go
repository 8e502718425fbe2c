package report

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/renewsim/renewsim/fleet"

	"github.com/renewsim/renewsim/sim"
)

// The CI pages of a check of infrastructure code (renewsim check
// -terraform, -cloudformation): the report is of the fleet after the change
// (fleet.Report.Change set), each certificate with its address, its verdict
// before the change and what the change does to its renewal.

// fleetChangeMarkdownBytes bounds the Markdown of a change: it is posted as
// a pull-request comment, which GitHub cuts at 65,536 characters (GitLab
// takes 1,000,000), and written to $GITHUB_STEP_SUMMARY (1 MiB). Bytes are
// at least as many as characters, so the bound holds for both. A variable
// only so that tests can lower it.
var fleetChangeMarkdownBytes = 60000

// fleetChangeReserve is kept free for the lines that say what was left out.
const fleetChangeReserve = 600

// mdBudget is Markdown written up to a size: parts that do not fit are
// counted, not written, so the most important parts go first.
type mdBudget struct {
	b     strings.Builder
	limit int
}

// fits tells whether s can be written and still leave room for the notes
// on what was left out.
func (m *mdBudget) fits(s string) bool {
	return m.b.Len()+len(s)+fleetChangeReserve <= m.limit
}

// add writes s when it fits and tells whether it did.
func (m *mdBudget) add(s string) bool {
	if !m.fits(s) {
		return false
	}
	m.b.WriteString(s)
	return true
}

// rows writes a table's header and as many rows as fit, and how many more
// there are; it tells how many were written.
func (m *mdBudget) rows(header string, rows []string, what string) int {
	if len(rows) == 0 {
		return 0
	}
	m.b.WriteString(header)
	n := 0
	for _, r := range rows {
		if !m.add(r) {
			break
		}
		n++
	}
	if more := len(rows) - n; more > 0 {
		fmt.Fprintf(&m.b, "\n%s %s not listed: the comment would outgrow what GitHub takes (65,536 characters); `renewsim check -json` and `-report DIR` list them all.\n",
			sim.Count(more, "more "+what), sim.Verb(more, "is", "are"))
	}
	return n
}

// writeFleetChangeMarkdown writes a pull-request comment about a change:
// a title that says whether it breaks a renewal, the breaks first (each
// with its verdict after and before the change and the planned changes
// that bear on it), a line on what else it does, then, folded away, every
// certificate after the change, the shared validation records and the
// notes. It stays under fleetChangeMarkdownBytes however large the fleet:
// what does not fit is counted.
func writeFleetChangeMarkdown(w io.Writer, f *fleet.Report) error {
	m := &mdBudget{limit: fleetChangeMarkdownBytes}
	this := "this " + f.Change
	by := map[string][]*fleet.Entry{}
	for _, e := range f.Certificates {
		by[e.Difference] = append(by[e.Difference], e)
	}
	breaks := by[fleet.DiffBreaks]
	switch {
	case len(breaks) > 0:
		fmt.Fprintf(&m.b, "## ❌ renewsim: %s breaks the renewal of %s\n\n", this, sim.Count(len(breaks), "certificate"))
	case len(f.Certificates) == 0 && len(f.Deleted) == 0:
		fmt.Fprintf(&m.b, "## ✅ renewsim: no certificates in %s\n\nNothing in the inputs is an ACM certificate, so there is no renewal to check.\n", this)
		_, err := io.WriteString(w, m.b.String())
		return err
	default:
		fmt.Fprintf(&m.b, "## ✅ renewsim: %s breaks no certificate renewal\n\n", this)
	}
	if len(f.Certificates) > 0 {
		fmt.Fprintf(&m.b, "After %s: %s, %s (virtual time, UTC): %s.\n\n", this, mdEscape(fleetTitle(f)), mdEscape(fleetHorizon(f)), f.Counts.Line())
	}
	var rows []string
	for _, e := range breaks {
		before := "did not exist: " + this + " creates it"
		if e.Before != nil {
			before = mdCell(f.BeforeHeadline(e))
		}
		after := "**" + mdCell(f.Headline(e)) + "**"
		if e.Fix != "" {
			after += "<br>fix: " + mdCell(e.Fix)
		}
		var planned []string
		for _, p := range e.Planned {
			planned = append(planned, fmt.Sprintf("%s (%s): %s", mdCellCode(p.Address), p.Action, mdCell(p.Effect)))
		}
		rows = append(rows, fmt.Sprintf("| %s | %s<br>%s | %s | %s | %s |\n", fleetMDMark(e.Verdict), mdCellCode(e.Name()), mdCell(strings.Join(e.Domains, ", ")),
			after, before, strings.Join(planned, "<br>")))
	}
	m.rows("| | Certificate | After "+this+" | Before "+this+" | Planned changes that bear on it |\n|---|---|---|---|---|\n", rows, "broken certificate")
	if len(breaks) > 0 {
		m.b.WriteString("\n")
	}
	fmt.Fprintf(&m.b, "It fixes %d, creates %d, deletes %d and leaves %d unchanged.\n", len(by[fleet.DiffFixes]), len(by[fleet.DiffCreated]), len(f.Deleted), len(by[fleet.DiffUnchanged]))
	var lines []string
	for _, e := range by[fleet.DiffFixes] {
		lines = append(lines, fmt.Sprintf("- ✅ fixes %s: %s (before: %s)\n", mdCode(e.Name()), mdEscape(f.Headline(e)), mdEscape(f.BeforeHeadline(e))))
	}
	for _, e := range by[fleet.DiffCreated] {
		lines = append(lines, fmt.Sprintf("- %s creates %s: %s\n", fleetMDMark(e.Verdict), mdCode(e.Name()), mdEscape(f.Headline(e))))
	}
	for _, a := range f.Deleted {
		lines = append(lines, fmt.Sprintf("- ➖ deletes %s\n", mdCode(a)))
	}
	for _, e := range by[fleet.DiffUnchanged] {
		switch {
		case fleetFailing(e.Verdict) && e.Before != nil && fleetFailing(e.Before.Verdict):
			lines = append(lines, fmt.Sprintf("- ⚠️ %s does not renew before %s either, so it is not %s's doing: %s\n", mdCode(e.Name()), this, this, mdEscape(f.Headline(e))))
		case fleetFailing(e.Verdict):
			lines = append(lines, fmt.Sprintf("- ⚠️ %s does not renew after %s: %s (before: %s)\n", mdCode(e.Name()), this, mdEscape(f.Headline(e)), mdEscape(f.BeforeHeadline(e))))
		case e.Before != nil && e.Verdict != e.Before.Verdict:
			lines = append(lines, fmt.Sprintf("- ❔ %s after %s: %s (before: %s)\n", mdCode(e.Name()), this, mdEscape(f.Headline(e)), mdEscape(f.BeforeHeadline(e))))
		}
	}
	if len(lines) > 0 {
		m.b.WriteString("\n")
		m.list(lines)
	}
	writeFleetMarkdownDetails(m, f, "after "+this)
	_, err := io.WriteString(w, m.b.String())
	return err
}

// writeFleetMarkdownDetails writes, folded away, the table of every
// certificate, the shared validation records and the notes, as far as
// they fit.
func writeFleetMarkdownDetails(m *mdBudget, f *fleet.Report, when string) {
	if len(f.Certificates) > 0 && m.fits("\n<details><summary></summary>\n\n") {
		fmt.Fprintf(&m.b, "\n<details><summary>Every certificate %s (%d)</summary>\n\n", when, len(f.Certificates))
		var rows []string
		for _, e := range f.Certificates {
			notes := make([]string, len(e.Notes))
			for k, n := range e.Notes {
				notes[k] = mdCell(n)
			}
			before := "—"
			if f.Change != "" {
				before = "did not exist"
			}
			if e.Before != nil {
				before = mdCell(f.BeforeHeadline(e))
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", fleetMDMark(e.Verdict), mdCellCode(cmp.Or(e.Address, e.ID)),
				mdCell(strings.Join(e.Domains, ", ")), fleetVerdictText(e.Verdict), fleetDate(e), mdCell(e.Reason), mdCell(e.Fix), before, strings.Join(notes, "<br>")))
		}
		m.rows("| | Certificate | Domains | Verdict | Date | Reason | Fix | Before | Notes |\n|---|---|---|---|---|---|---|---|---|\n", rows, "certificate")
		m.b.WriteString("\n</details>\n")
	}
	if len(f.Shared) > 0 && m.fits("\n<details><summary></summary>\n\n") {
		fmt.Fprintf(&m.b, "\n<details><summary>Shared validation records (%d): deleting one breaks every certificate listed</summary>\n\n", len(f.Shared))
		var lines []string
		for _, s := range f.Shared {
			lines = append(lines, fmt.Sprintf("- %s → %s\n", mdCode(s.Record), mdEscape(strings.Join(s.Certificates, ", "))))
		}
		m.list(lines)
		m.b.WriteString("\n</details>\n")
	}
	if len(f.Notes) > 0 && m.fits("\n<details><summary></summary>\n\n") {
		fmt.Fprintf(&m.b, "\n<details><summary>Notes (%d)</summary>\n\n", len(f.Notes))
		var lines []string
		for _, n := range f.Notes {
			lines = append(lines, fmt.Sprintf("- %s\n", mdEscape(n)))
		}
		m.list(lines)
		m.b.WriteString("\n</details>\n")
	}
}

// list writes as many lines as fit, and how many more there are.
func (m *mdBudget) list(lines []string) {
	n := 0
	for _, l := range lines {
		if !m.add(l) {
			break
		}
		n++
	}
	if more := len(lines) - n; more > 0 {
		fmt.Fprintf(&m.b, "- and %d more, not listed: the comment would outgrow what GitHub takes.\n", more)
	}
}

// fleetFailing tells whether a verdict is a renewal that does not happen:
// expires, already expired, never issued.
func fleetFailing(v fleet.Verdict) bool {
	return v == fleet.VerdictExpires || v == fleet.VerdictExpired || v == fleet.VerdictNotIssued
}

// mdCellCode is a code span in a table cell: a pipe in it would end the
// cell.
func mdCellCode(s string) string { return strings.ReplaceAll(mdCode(s), "|", `\|`) }
