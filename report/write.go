package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// WriteJSON writes the summary as one indented JSON document.
func WriteJSON(w io.Writer, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// LogLine is one line of the JSON Lines event log: an entry and the
// scenario it belongs to.
type LogLine struct {
	Scenario string `json:"scenario"`
	sim.Entry
}

// WriteEvents writes the record of every scenario as JSON Lines, in order.
func WriteEvents(w io.Writer, s *Summary) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, sc := range s.Scenarios {
		for _, e := range sc.log {
			if err := enc.Encode(LogLine{Scenario: sc.Name, Entry: e}); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// ReadEvents reads a JSON Lines event log back, grouped by scenario in the
// order scenarios first appear.
func ReadEvents(r io.Reader) (names []string, logs map[string][]sim.Entry, err error) {
	logs = map[string][]sim.Entry{}
	dec := json.NewDecoder(r)
	for line := 1; ; line++ {
		var l LogLine
		if err := dec.Decode(&l); err == io.EOF {
			break
		} else if err != nil {
			return nil, nil, fmt.Errorf("event log entry %d: %w", line, err)
		}
		if _, ok := logs[l.Scenario]; !ok {
			names = append(names, l.Scenario)
		}
		logs[l.Scenario] = append(logs[l.Scenario], l.Entry)
	}
	return names, logs, nil
}

// WriteText writes the human summary: per certificate what happened, with
// virtual timestamps; for a renewal that did not happen, why and what to fix;
// then the expectations.
func WriteText(w io.Writer, s *Summary) error {
	var b strings.Builder
	for i, sc := range s.Scenarios {
		if i > 0 {
			b.WriteString("\n")
		}
		writeScenario(&b, &sc)
	}
	failed := 0
	for _, sc := range s.Scenarios {
		if !sc.Passed {
			failed++
		}
	}
	fmt.Fprintf(&b, "\n%d scenarios, %d passed, %d failed\n", len(s.Scenarios), len(s.Scenarios)-failed, failed)
	_, err := io.WriteString(w, b.String())
	return err
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

func writeScenario(b *strings.Builder, sc *Scenario) {
	fmt.Fprintf(b, "%s %s (%s, profile %s, seed %d)\n", verdict(sc.Passed), sc.Name, sc.File, sc.Profile, sc.Seed)
	if sc.sc != nil && sc.sc.Description != "" {
		fmt.Fprintf(b, "  %s\n", strings.TrimSpace(sc.sc.Description))
	}
	for _, c := range sc.Certificates {
		fmt.Fprintf(b, "  certificate %s (%s), expires %s\n", c.ID, c.Domain, ts(c.NotAfter))
		for _, line := range story(sc.log, c.ID) {
			fmt.Fprintf(b, "    %s\n", line)
		}
		if c.Outcome != sim.OutcomeRenewed {
			for _, line := range diagnose(sc.log, c.ID) {
				fmt.Fprintf(b, "    %s\n", line)
			}
		}
	}
	for _, r := range sc.Resources {
		if r.OutageSeconds == 0 {
			fmt.Fprintf(b, "  resource %s: no outage\n", r.ID)
			continue
		}
		fmt.Fprintf(b, "  resource %s: OUTAGE %s\n", r.ID, r.Outage)
		for _, w := range r.Windows {
			fmt.Fprintf(b, "    served expired %s (%s) from %s to %s\n", w.Cert, w.Serial, ts(w.Start), ts(w.End))
		}
	}
	if len(sc.Expectations) > 0 {
		b.WriteString("  expectations:\n")
	}
	for _, e := range sc.Expectations {
		mark := "✓"
		if !e.Passed {
			mark = "✗"
		}
		fmt.Fprintf(b, "    %s %s\n", mark, e.Text)
		if !e.Passed {
			fmt.Fprintf(b, "        %s\n", e.Detail)
		}
	}
}

// story tells a certificate's life in a few lines: runs of failing attempts
// are folded into one line.
func story(log []sim.Entry, cert string) []string {
	var out []string
	var failFrom, failTo time.Time
	failCount := 0
	flushFails := func() {
		if failCount > 0 {
			out = append(out, fmt.Sprintf("%s  %d validation attempts failed, the last at %s", ts(failFrom), failCount, ts(failTo)))
			failCount = 0
		}
	}
	line := func(e sim.Entry, text string) {
		flushFails()
		out = append(out, fmt.Sprintf("%s  %s", ts(e.Time), text))
	}
	for _, e := range log {
		if e.Cert != cert {
			continue
		}
		switch e.Kind {
		case sim.KindAttempt:
			if e.Detail.OK != nil && !*e.Detail.OK {
				if failCount == 0 {
					failFrom = e.Time
				}
				failTo = e.Time
				failCount++
				continue
			}
			line(e, e.Detail.Text)
		case sim.KindEventBus:
			if ev := e.Detail.Event; ev != nil && ev.DetailType == sim.EventActionRequired {
				text := "Renewal Action Required sent"
				if d, ok := ev.Detail.(sim.ActionRequiredDetail); ok {
					text = fmt.Sprintf("Renewal Action Required sent (%s to expiry)", plural(d.DaysToExpiry, "day"))
				}
				line(e, text)
			}
		case sim.KindWindow, sim.KindIssued, sim.KindExpired, sim.KindTimeline, sim.KindNotice, sim.KindDeployed, sim.KindUndeployed:
			line(e, e.Detail.Text)
		case sim.KindStatus:
			if e.Detail.RenewalStatus == sim.RenewalPendingValidation {
				line(e, e.Detail.Text)
			}
		}
	}
	flushFails()
	return out
}

// diagnose explains, from the last failing attempt, which names failed,
// what DNS answered and what to fix.
func diagnose(log []sim.Entry, cert string) []string {
	var last *sim.Entry
	var window *sim.Entry
	for i := range log {
		e := &log[i]
		if e.Cert != cert {
			continue
		}
		if e.Kind == sim.KindAttempt && e.Detail.OK != nil && !*e.Detail.OK {
			last = e
		}
		if e.Kind == sim.KindWindow {
			window = e
		}
	}
	if last == nil {
		if window != nil && window.Detail.Eligibility == sim.Ineligible {
			return []string{"why: " + strings.TrimPrefix(window.Detail.Text[strings.Index(window.Detail.Text, ";")+1:], " ")}
		}
		return nil
	}
	out := []string{fmt.Sprintf("why: the last attempt (%s) could not validate:", ts(last.Time))}
	// Names that share a validation record fail the same way: say it once.
	var order []string
	names := map[string][]string{}
	fixes := map[string]string{}
	for _, c := range last.Detail.Checks {
		if c.Status == sim.ValidationSuccess {
			continue
		}
		if _, ok := names[c.Problem]; !ok {
			order = append(order, c.Problem)
			fixes[c.Problem] = c.Fix
		}
		names[c.Problem] = append(names[c.Problem], c.Domain)
	}
	for _, p := range order {
		out = append(out, fmt.Sprintf("  %s: %s", strings.Join(names[p], ", "), p))
		if fixes[p] != "" {
			out = append(out, fmt.Sprintf("    fix: %s", fixes[p]))
		}
	}
	return out
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
