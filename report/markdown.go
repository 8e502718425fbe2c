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
// what failed, expected against got.
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
	for _, r := range rows {
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
