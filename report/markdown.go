package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// WriteMarkdown writes a Markdown summary of the run, for CI pages such as
// $GITHUB_STEP_SUMMARY: the summary table, then for every failing scenario
// what failed, expected against got. A scenario at fleet size (more than
// 50 certificates or resources) gets one line of counts in the table, and
// a section with its failing certificates by cause and the most urgent of
// them, so that the summary stays a page long.
func WriteMarkdown(w io.Writer, s *result.Summary) error {
	rows := summaryRows(s)
	passed := 0
	for _, r := range rows {
		if r.Passed {
			passed++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## renewsim: %s, %d passed, %d failed\n\n", sim.Count(len(rows), "scenario"), passed, len(rows)-passed)
	b.WriteString("| Scenario | Result | Certificate | Outcome | Renewed at | Margin before expiry | Outage | Expectations passed |\n")
	b.WriteString("|---|---|---|---|---|---:|---|---:|\n")
	fleets := map[int]*Timeline{}
	for i, r := range rows {
		if tl := TimelineOf(&s.Scenarios[i]); tl.AtFleetSize() {
			fleets[i] = tl
			certs, outage := fleetSummary(tl, &s.Scenarios[i])
			if outage == "" {
				outage = "none"
			} else {
				outage = "**" + mdCell(outage) + "**"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | — | — | — | %s | %s |\n", mdCell(r.Name), mdVerdict(r.Passed), mdCell(certs), outage, r.Expect)
			continue
		}
		var ids, outcomes, renewed, margins []string
		for _, c := range r.Certs {
			ids = append(ids, mdCell(c.ID))
			outcomes = append(outcomes, mdCell(c.Outcome))
			renewed = append(renewed, c.RenewedAt)
			margins = append(margins, c.Margin)
		}
		outage := "none"
		if len(r.Outage) > 0 {
			outage = "**" + mdCell(strings.Join(r.Outage, ", ")) + "**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			mdCell(r.Name), mdVerdict(r.Passed),
			strings.Join(ids, "<br>"), strings.Join(outcomes, "<br>"), strings.Join(renewed, "<br>"), strings.Join(margins, "<br>"),
			outage, r.Expect)
	}
	for i := range rows {
		if tl := fleets[i]; tl != nil {
			writeFleetMarkdown(&b, &s.Scenarios[i], tl)
		}
	}
	for i, r := range rows {
		if r.Passed {
			continue
		}
		sc := &s.Scenarios[i]
		fmt.Fprintf(&b, "\n### %s %s (%s)\n\n", mdVerdict(false), mdCell(sc.Name), mdCode(sc.File))
		for _, e := range sc.Expectations {
			if e.Passed {
				continue
			}
			exp, got := splitDetail(e.Detail)
			if exp != "" {
				fmt.Fprintf(&b, "- %s: expected %s, got %s\n", mdCode(e.Text), mdEscape(exp), mdEscape(got))
			} else {
				fmt.Fprintf(&b, "- %s: %s\n", mdCode(e.Text), mdEscape(got))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdVerdict(ok bool) string {
	if ok {
		return "✅ PASS"
	}
	return "❌ FAIL"
}

// mdCell escapes text for a table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdEscape(s), "|", `\|`)
}

// mdEscape keeps text from being read as Markdown or HTML.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "&", "&amp;", "`", "\\`", "*", `\*`, "_", `\_`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "\n", " ")
	return r.Replace(s)
}

// mdCode puts s in a code span, with a fence longer than any run of
// backticks in it.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.Contains(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// writeFleetMarkdown says which certificates of a scenario at fleet size
// failed, by cause, and lists the most urgent.
func writeFleetMarkdown(b *strings.Builder, sc *result.Scenario, tl *Timeline) {
	fates := tl.fates()
	byCert := map[string][]string{}
	for _, r := range sc.Resources {
		for _, w := range r.Windows {
			byCert[w.Cert] = append(byCert[w.Cert], fmt.Sprintf("%s %s", r.ID, sim.FormatDuration(w.End.Sub(w.Start))))
		}
	}
	failing, _ := failingCerts(sc, tl, fates, byCert, map[string]string{}, specsOf(sc))
	if len(failing) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### %s: %s expired or fail at the end\n\n", mdCell(sc.Name), plural1000(len(failing), "certificate"))
	b.WriteString("| Why | Certificates | The most urgent |\n|---|---:|---|\n")
	for _, c := range groupCauses(failing) {
		ids := make([]string, len(c.Certs))
		for i, x := range c.Certs {
			ids[i] = mdCode(x.ID)
		}
		more := ""
		if c.More > 0 {
			more = fmt.Sprintf(" and %d more", c.More)
		}
		fmt.Fprintf(b, "| %s | %d | %s%s |\n", mdCell(c.Cause), c.N, strings.Join(ids, ", "), more)
	}
	n := min(len(failing), fleetTop)
	fmt.Fprintf(b, "\nThe %d most urgent:\n\n", n)
	for _, f := range failing[:n] {
		line := fmt.Sprintf("- %s %s: %s", mdCode(f.ID), mdEscape(f.What), mdEscape(f.Cause))
		if len(f.Outage) > 0 {
			line += "; **outage " + mdEscape(strings.Join(f.Outage, ", ")) + "**"
		}
		b.WriteString(line + "\n")
	}
}
