package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/renewsim/renewsim/fleet"

	"github.com/renewsim/renewsim/sim"
)

// WriteFleetJUnit writes a fleet check as JUnit XML for CI: one testsuite,
// one testcase per certificate, most urgent first, named by its id and
// names, with its ARN as the classname. A certificate that will not renew
// in the horizon, or has already expired, gets a failure whose message is
// the verdict and the fix; one the check cannot tell, one not issued and
// one whose renewal the horizon does not reach are skipped, with the
// reason. The output follows the Surefire schema (junit-10.xsd) and has no
// time or timestamp: it reads nothing but the verdicts, so the parts of a
// split check merged give the same bytes.
//
// For a change (a Terraform plan, a CloudFormation change set: the report
// has Change set), a failure is a renewal the change breaks; a certificate
// that does not renew before the change either is skipped, with that said,
// for it is not the change's doing; and each certificate the change
// deletes is a testcase that passes, so the suite lists everything the
// change touches.
func WriteFleetJUnit(w io.Writer, f *fleet.Report) error {
	if f.Change != "" {
		return writeFleetChangeJUnit(w, f)
	}
	c := f.Counts
	suite := fleetSuite(f, "")
	suite.Failures, suite.Skipped = c.Expires+c.Expired, c.CannotTell+c.NotIssued+c.Undecided
	for i := range f.Certificates {
		cert := f.Certificates[i]
		tc := junitCase{Name: ciName(cert), Class: ciClass(cert)}
		details := fleetCertText(f, cert)
		switch {
		case ciFailed(cert):
			msg := f.Headline(cert)
			if cert.Fix != "" {
				msg += "; fix: " + cert.Fix
			}
			tc.Failure = &junitText{Type: string(cert.Verdict), Message: msg, Text: details}
		case ciSkipped(cert):
			tc.Skipped = &junitText{Type: string(cert.Verdict), Message: f.Headline(cert), Text: details}
		default:
			tc.Out = &junitText{Text: details}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	return writeJUnit(w, junitSuites{Name: "renewsim check", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}})
}

// fleetSuite is the testsuite of a check, without its cases' counts.
func fleetSuite(f *fleet.Report, when string) junitSuite {
	suite := junitSuite{Name: "renewsim check: " + fleetTitle(f) + when, Tests: len(f.Certificates), Properties: &junitProperties{},
		Cases: make([]junitCase, 0, len(f.Certificates))}
	props := [][2]string{
		{"account", f.Account}, {"region", f.Region}, {"profile", f.Profile},
		{"now", f.Now.UTC().Format(time.RFC3339)}, {"until", f.Until.UTC().Format(time.RFC3339)},
	}
	if f.Change != "" {
		props = append(props, [2]string{"change", f.Change})
	}
	for _, p := range props {
		suite.Properties.List = append(suite.Properties.List, junitProperty{Name: p[0], Value: p[1]})
	}
	return suite
}

// ciClass is a certificate's testcase class: its ARN, or its id.
func ciClass(c *fleet.Entry) string {
	if c.ARN == "" {
		return c.ID
	}
	return c.ARN
}

// writeFleetChangeJUnit is WriteFleetJUnit for a change.
func writeFleetChangeJUnit(w io.Writer, f *fleet.Report) error {
	this := "this " + f.Change
	suite := fleetSuite(f, " after "+this)
	suite.Tests += len(f.Deleted)
	for i := range f.Certificates {
		cert := f.Certificates[i]
		tc := junitCase{Name: ciName(cert), Class: ciClass(cert)}
		details := fleetCertText(f, cert)
		before := "it did not exist: " + this + " creates it"
		if cert.Before != nil {
			before = f.BeforeHeadline(cert)
		}
		switch {
		case cert.Difference == fleet.DiffBreaks:
			msg := fmt.Sprintf("%s breaks its renewal: %s (before: %s)", this, f.Headline(cert), before)
			if cert.Fix != "" {
				msg += "; fix: " + cert.Fix
			}
			tc.Failure = &junitText{Type: "breaks", Message: msg, Text: details}
			suite.Failures++
		case fleetFailing(cert.Verdict) && cert.Before != nil && fleetFailing(cert.Before.Verdict):
			tc.Skipped = &junitText{Type: string(cert.Verdict), Message: fmt.Sprintf("does not renew before %s either, so it is not %s's doing: %s", this, this, f.Headline(cert)), Text: details}
			suite.Skipped++
		case fleetFailing(cert.Verdict):
			tc.Skipped = &junitText{Type: string(cert.Verdict), Message: fmt.Sprintf("does not renew after %s; before it: %s: %s", this, before, f.Headline(cert)), Text: details}
			suite.Skipped++
		case ciSkipped(cert):
			tc.Skipped = &junitText{Type: string(cert.Verdict), Message: f.Headline(cert), Text: details}
			suite.Skipped++
		default:
			tc.Out = &junitText{Text: details}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	for _, a := range f.Deleted {
		suite.Cases = append(suite.Cases, junitCase{Name: a + " (deleted by " + this + ")", Class: a, Out: &junitText{Text: a + ": " + this + " deletes it\n"}})
	}
	return writeJUnit(w, junitSuites{Name: "renewsim check", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}})
}

// fleetCertText tells one certificate's verdict in a few lines, as the
// check's text does, with its renewals (and, for a change, its verdict
// before it and the planned changes that bear on it).
func fleetCertText(f *fleet.Report, c *fleet.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", c.Verdict.Mark(), strings.Join(c.Domains, ", "))
	if c.Address != "" {
		fmt.Fprintf(&b, "%s  ", c.Address)
	}
	fmt.Fprintf(&b, "%s  %s\n", c.ID, c.ARN)
	var facts []string
	if c.Type != "" {
		facts = append(facts, c.Type)
	}
	if c.Status != "" {
		facts = append(facts, c.Status)
	}
	if !c.NotAfter.IsZero() {
		facts = append(facts, "not after "+ts(c.NotAfter))
	}
	if !c.Simulated {
		facts = append(facts, "not simulated")
	}
	if len(facts) > 0 {
		b.WriteString(strings.Join(facts, ", ") + "\n")
	}
	b.WriteString(f.Headline(c) + "\n")
	if f.Change != "" {
		before := "it did not exist"
		if c.Before != nil {
			before = f.BeforeHeadline(c)
		}
		fmt.Fprintf(&b, "before the %s: %s\n", f.Change, before)
		for _, p := range c.Planned {
			fmt.Fprintf(&b, "planned: %s (%s): %s\n", p.Address, p.Action, p.Effect)
		}
	}
	if len(c.Renewals) > 0 {
		b.WriteString("renewals: " + fleetDays(c.Renewals) + "\n")
	}
	if c.Fix != "" {
		fmt.Fprintf(&b, "fix: %s\n", c.Fix)
	}
	for _, n := range c.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	return b.String()
}

func fleetDays(ts []time.Time) string {
	days := make([]string, len(ts))
	for i, t := range ts {
		days[i] = fleetDay(t)
	}
	return strings.Join(days, ", ")
}

// fleetMarkdownRows bounds the table of WriteFleetMarkdown: GitHub refuses
// a step summary over 1 MiB. The most urgent certificates come first, and
// the counts cover them all.
const fleetMarkdownRows = 1000

// WriteFleetMarkdown writes a fleet check in Markdown, for CI pages such as
// $GITHUB_STEP_SUMMARY: the counts, then one row per certificate, most
// urgent first (the first 1000; the counts say how many more), then the
// shared validation records and the notes. It reads nothing but the
// verdicts.
func WriteFleetMarkdown(w io.Writer, f *fleet.Report) error {
	if f.Change != "" {
		return writeFleetChangeMarkdown(w, f)
	}
	c := f.Counts
	var b strings.Builder
	mark := "✅"
	if c.Expires+c.Expired > 0 {
		mark = "❌"
	}
	fmt.Fprintf(&b, "## %s renewsim check: %s\n\n", mark, mdEscape(fleetTitle(f)))
	fmt.Fprintf(&b, "From %s to %s under %s (virtual time, UTC).\n\n", fleetDay(f.Now), fleetDay(f.Until), mdCode(f.Profile))
	for _, a := range f.Assumptions {
		fmt.Fprintf(&b, "Assumption: %s.\n\n", mdEscape(a))
	}
	b.WriteString("| renew | expire | already expired | not issued | cannot tell | undecided |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %s | %s | %d | %d | %d |\n\n", c.Renews, fleetMDBold(c.Expires), fleetMDBold(c.Expired), c.NotIssued, c.CannotTell, c.Undecided)
	b.WriteString("| | Domains | ID | Verdict | Date | Reason | Fix | Notes |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for i := range f.Certificates {
		if i == fleetMarkdownRows {
			break
		}
		cert := f.Certificates[i]
		notes := make([]string, len(cert.Notes))
		for k, n := range cert.Notes {
			notes[k] = mdCell(n)
		}
		date := fleetDate(cert)
		if n := len(cert.Renewals); cert.Verdict == fleet.VerdictRenews && n > 1 {
			date += fmt.Sprintf(" (+%d by %s)", n-1, fleetDay(f.Until))
		}
		id := mdCell(cert.ID)
		if cert.Address != "" {
			id = mdCellCode(cert.Address) + "<br>" + id
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			fleetMDMark(cert.Verdict), mdCell(strings.Join(cert.Domains, ", ")), id, fleetVerdictText(cert.Verdict),
			date, mdCell(cert.Reason), mdCell(cert.Fix), strings.Join(notes, "<br>"))
	}
	if more := len(f.Certificates) - fleetMarkdownRows; more > 0 {
		fmt.Fprintf(&b, "\n%s more, less urgent, are not listed: the counts above include them; `renewsim check -json` and `-report DIR` list them all.\n",
			sim.Count(more, "certificate"))
	}
	if len(f.Shared) > 0 {
		b.WriteString("\n### Shared validation records\n\nDeleting one breaks every certificate listed.\n\n")
		for _, s := range f.Shared {
			fmt.Fprintf(&b, "- %s → %s\n", mdCode(s.Record), mdEscape(strings.Join(s.Certificates, ", ")))
		}
	}
	if len(f.Notes) > 0 {
		b.WriteString("\n### Notes\n\n")
		for _, n := range f.Notes {
			fmt.Fprintf(&b, "- %s\n", mdEscape(n))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fleetMDMark(verdict fleet.Verdict) string {
	switch verdict {
	case fleet.VerdictRenews:
		return "✅"
	case fleet.VerdictExpires, fleet.VerdictExpired:
		return "❌"
	case fleet.VerdictNotIssued:
		return "➖"
	}
	return "❔"
}

// mdBold puts a count that is bad news in bold.
func fleetMDBold(n int) string {
	if n > 0 {
		return fmt.Sprintf("**%d**", n)
	}
	return "0"
}
