package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/renewsim/renewsim/sim"
)

// WriteJUnit writes the run as JUnit XML for CI: one testsuite, one
// testcase per scenario named after it, with the scenario file as its
// classname. A scenario whose expectations did not all hold gets one
// failure element that lists every failed expectation, expected against
// got, and names the scenario file. The output follows the Surefire JUnit
// schema (junit-10.xsd). It has no time or timestamp attributes: a run
// takes virtual time, and wall time would make the file differ between two
// identical runs.
func WriteJUnit(w io.Writer, s *Summary) error {
	failures := 0
	for _, sc := range s.Scenarios {
		if !sc.Passed {
			failures++
		}
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<testsuites name="renewsim" tests="%d" failures="%d" errors="0">`+"\n", len(s.Scenarios), failures)
	fmt.Fprintf(&b, `  <testsuite name="renewsim" tests="%d" failures="%d" errors="0" skipped="0">`+"\n", len(s.Scenarios), failures)
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		fmt.Fprintf(&b, `    <testcase name="%s" classname="%s">`+"\n", xmlAttr(sc.Name), xmlAttr(sc.File))
		if !sc.Passed {
			var failed []Expectation
			for _, e := range sc.Expectations {
				if !e.Passed {
					failed = append(failed, e)
				}
			}
			msg := fmt.Sprintf("%d of %d expectations failed in %s", len(failed), len(sc.Expectations), sc.File)
			fmt.Fprintf(&b, `      <failure type="expectation" message="%s">`, xmlAttr(msg))
			var body strings.Builder
			fmt.Fprintf(&body, "scenario file: %s (profile %s, seed %d)\n", sc.File, sc.Profile, sc.Seed)
			for _, e := range failed {
				exp, got := splitDetail(e.Detail)
				fmt.Fprintf(&body, "\n✗ %s\n", e.Text)
				if exp != "" {
					fmt.Fprintf(&body, "    expected: %s\n    got:      %s\n", exp, got)
				} else {
					fmt.Fprintf(&body, "    %s\n", got)
				}
			}
			b.WriteString(xmlText(body.String()))
			b.WriteString("</failure>\n")
		}
		b.WriteString("      <system-out>")
		b.WriteString(xmlText(outcomeText(sc)))
		b.WriteString("</system-out>\n")
		b.WriteString("    </testcase>\n")
	}
	b.WriteString("  </testsuite>\n</testsuites>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// outcomeText says in a few lines what happened in a scenario, for a
// testcase's system-out.
func outcomeText(sc *Scenario) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s, profile %s, seed %d, %s to %s (virtual time, UTC)\n", sc.Name, sc.File, sc.Profile, sc.Seed, ts(sc.Start), ts(sc.Until))
	for _, c := range sc.Certificates {
		line := fmt.Sprintf("certificate %s (%s): %s", c.ID, c.Domain, c.Outcome)
		if c.RenewedAt != nil {
			line += " at " + ts(*c.RenewedAt)
			if m, ok := c.Margin(); ok {
				line += ", " + sim.FormatDuration(m) + " before expiry"
			}
		}
		if c.ExpiredAt != nil {
			line += " at " + ts(*c.ExpiredAt)
		}
		b.WriteString(line + "\n")
	}
	for _, r := range sc.Resources {
		if r.OutageSeconds > 0 {
			fmt.Fprintf(&b, "resource %s: OUTAGE %s\n", r.ID, r.Outage)
		} else {
			fmt.Fprintf(&b, "resource %s: no outage\n", r.ID)
		}
	}
	return b.String()
}

// xmlText escapes character data, keeping newlines as they are and leaving
// out characters XML 1.0 does not allow.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlAttr escapes an attribute value (in double quotes).
func xmlAttr(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString("&quot;")
		case r == '\n':
			b.WriteString("&#10;")
		case r == '\r':
			b.WriteString("&#13;")
		case r == '\t':
			b.WriteString("&#9;")
		default:
			b.WriteString(xmlText(string(r)))
		}
	}
	return b.String()
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}
