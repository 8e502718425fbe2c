package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/renewsim/renewsim/result"
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
func WriteJUnit(w io.Writer, s *result.Summary) error {
	suite := junitSuite{Name: "renewsim", Tests: len(s.Scenarios), Cases: make([]junitCase, 0, len(s.Scenarios))}
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		tc := junitCase{Name: sc.Name, Class: sc.File, Out: &junitText{Text: outcomeText(sc)}}
		if !sc.Passed {
			suite.Failures++
			tc.Failure = failedExpectations(sc)
		}
		suite.Cases = append(suite.Cases, tc)
	}
	return writeJUnit(w, junitSuites{Name: "renewsim", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}})
}

// failedExpectations is the failure of a scenario: every expectation that
// did not hold, expected against got.
func failedExpectations(sc *result.Scenario) *junitText {
	var failed []result.Expectation
	for _, e := range sc.Expectations {
		if !e.Passed {
			failed = append(failed, e)
		}
	}
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
	return &junitText{Type: "expectation", Message: fmt.Sprintf("%d of %s failed in %s", len(failed), sim.Count(len(sc.Expectations), "expectation"), sc.File), Text: body.String()}
}

// outcomeText says in a few lines what happened in a scenario, for a
// testcase's system-out.
func outcomeText(sc *result.Scenario) string {
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
		if note := finalNote(&c); note != "" {
			line += ", " + note
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

// The JUnit document, as the Surefire schema (junit-10.xsd) has it: only
// the elements and attributes renewsim writes, in the schema's order.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Properties *junitProperties `xml:"properties"`
	Cases      []junitCase      `xml:"testcase"`
}

type junitProperties struct {
	List []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name    string     `xml:"name,attr"`
	Class   string     `xml:"classname,attr"`
	Failure *junitText `xml:"failure"`
	Skipped *junitText `xml:"skipped"`
	Out     *junitText `xml:"system-out"`
}

// junitText is an element of text (failure, skipped, system-out) with its
// type and message, when it has them. It writes its text as a token:
// encoding/xml writes a ",chardata" field with every newline escaped as
// &#xA;, which would fold a failure's lines into one in the file.
type junitText struct {
	Type, Message string
	Text          string
}

// MarshalXML writes the element with its text, newlines as they are.
func (t *junitText) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	for _, a := range [...]xml.Attr{{Name: xml.Name{Local: "type"}, Value: t.Type}, {Name: xml.Name{Local: "message"}, Value: t.Message}} {
		if a.Value != "" {
			start.Attr = append(start.Attr, a)
		}
	}
	for _, tok := range [...]xml.Token{start, xml.CharData(t.Text), start.End()} {
		if err := e.EncodeToken(tok); err != nil {
			return err
		}
	}
	return nil
}

// writeJUnit writes the document, indented, after the XML declaration.
func writeJUnit(w io.Writer, doc junitSuites) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	b.WriteString("\n")
	_, err := w.Write(b.Bytes())
	return err
}
