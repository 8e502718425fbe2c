package report

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// WriteJSON writes the summary as one indented JSON document.
func WriteJSON(w io.Writer, s *result.Summary) error {
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

// MarshalJSON writes the scenario first, then the entry's own fields.
func (l LogLine) MarshalJSON() ([]byte, error) {
	entry, err := l.Entry.MarshalJSON()
	if err != nil {
		return nil, err
	}
	name, err := json.Marshal(l.Scenario)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(name)+len(entry)+16)
	out = append(out, `{"scenario":`...)
	out = append(out, name...)
	if len(entry) > 2 {
		out = append(out, ',')
	}
	return append(out, entry[1:]...), nil
}

// UnmarshalJSON reads a line of the event log.
func (l *LogLine) UnmarshalJSON(b []byte) error {
	var head struct {
		Scenario string `json:"scenario"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return err
	}
	l.Scenario = head.Scenario
	return l.Entry.UnmarshalJSON(b)
}

// WriteEvents writes the record of every scenario as JSON Lines, in order.
func WriteEvents(w io.Writer, s *result.Summary) error {
	for _, sc := range s.Scenarios {
		if err := WriteEventLines(w, sc.Name, sc.Log()); err != nil {
			return err
		}
	}
	return nil
}

// WriteEventsGzip writes what WriteEvents writes, gzip-compressed: a
// fleet's record is hundreds of megabytes of JSON Lines and compresses
// eight- to fourteenfold. The header has no name and no time, so that the
// same summary gives the same bytes; ReadEvents reads it back, and so do
// zcat and gzip -d. Encoding and compressing take about as long as each
// other, so they run side by side, a buffer apart.
func WriteEventsGzip(w io.Writer, s *result.Summary) error {
	// The fastest level: the default costs two and a half times the CPU
	// for a fifth less.
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	aw := newAsyncWriter(zw)
	err = WriteEvents(aw, s)
	if cerr := aw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return zw.Close()
}

// asyncWriter hands what is written to it, in buffers of a fixed size, to
// a goroutine that writes them to w in order: the writer and the one
// written to work at the same time. Close must be called; it returns the
// first error of w.
type asyncWriter struct {
	buf  []byte
	full chan []byte // to the goroutine
	free chan []byte // back from it
	done chan error
}

const asyncBuf = 256 << 10

func newAsyncWriter(w io.Writer) *asyncWriter {
	a := &asyncWriter{full: make(chan []byte, 2), free: make(chan []byte, 3), done: make(chan error, 1)}
	for range 2 {
		a.free <- make([]byte, 0, asyncBuf)
	}
	a.buf = make([]byte, 0, asyncBuf)
	go func() {
		var err error
		for b := range a.full {
			if err == nil {
				_, err = w.Write(b)
			}
			a.free <- b[:0]
		}
		a.done <- err
	}()
	return a
}

func (a *asyncWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := copy(a.buf[len(a.buf):cap(a.buf)], p)
		a.buf = a.buf[:len(a.buf)+k]
		p = p[k:]
		if len(a.buf) == cap(a.buf) {
			a.full <- a.buf
			a.buf = <-a.free
		}
	}
	return n, nil
}

// Close writes what is left and waits for the goroutine.
func (a *asyncWriter) Close() error {
	if len(a.buf) > 0 {
		a.full <- a.buf
	}
	close(a.full)
	return <-a.done
}

// WriteEventLines appends entries of one scenario to a JSON Lines event
// log, as the serve mode does while a run grows.
func WriteEventLines(w io.Writer, scenario string, entries []sim.Entry) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	// A line is what json.Encoder would write for it, without its
	// second pass: the encoder validates and compacts what a Marshaler
	// returns, which took half the time of a fleet's log, and
	// LogLine.MarshalJSON returns compact JSON already.
	for _, e := range entries {
		b, err := LogLine{Scenario: scenario, Entry: e}.MarshalJSON()
		if err != nil {
			return err
		}
		bw.Write(b)
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadEvents reads a JSON Lines event log back, grouped by scenario in the
// order scenarios first appear. A gzip-compressed log (events.jsonl.gz of
// a report directory at fleet size) is read as well, told by its first
// bytes.
func ReadEvents(r io.Reader) (names []string, logs map[string][]sim.Entry, err error) {
	logs = map[string][]sim.Entry{}
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("event log: %w", err)
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
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
func WriteText(w io.Writer, s *result.Summary) error {
	// Written as it goes: a fleet's summary runs to tens of megabytes.
	b := bufio.NewWriterSize(w, 64<<10)
	for i, sc := range s.Scenarios {
		if i > 0 {
			b.WriteString("\n")
		}
		writeScenario(b, &sc)
	}
	failed := 0
	for _, sc := range s.Scenarios {
		if !sc.Passed {
			failed++
		}
	}
	fmt.Fprintf(b, "\n%s, %d passed, %d failed\n", sim.Count(len(s.Scenarios), "scenario"), len(s.Scenarios)-failed, failed)
	return b.Flush()
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

func writeScenario(b *bufio.Writer, sc *result.Scenario) {
	fmt.Fprintf(b, "%s %s (%s, profile %s, seed %d)\n", verdict(sc.Passed), sc.Name, sc.File, sc.Profile, sc.Seed)
	if sc.Spec() != nil && sc.Spec().Description != "" {
		fmt.Fprintf(b, "  %s\n", strings.TrimSpace(sc.Spec().Description))
	}
	idx := sc.Index()
	for _, c := range sc.Certificates {
		fmt.Fprintf(b, "  certificate %s (%s), expires %s\n", c.ID, c.Domain, ts(c.NotAfter))
		at := idx.CertEntries(c.ID)
		for _, line := range story(sc.Log(), at) {
			fmt.Fprintf(b, "    %s\n", line)
		}
		fmt.Fprintf(b, "    outcome: %s\n", outcomeLine(&c))
		if c.Final() != sim.OutcomeRenewed {
			for _, line := range diagnose(sc.Spec(), sc.Log(), finalCycleEntries(sc.Log(), at)) {
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
	if len(sc.Alarms) > 0 {
		b.WriteString("  alarms:\n")
		for _, line := range alarmLines(sc.Alarms) {
			fmt.Fprintf(b, "    %s\n", line)
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

// story tells a certificate's life in a few lines, from its entries at
// those positions of log. Entries at one instant form a step; a run of
// steps that read the same (hourly attempts failing the same way) is told
// once, with how often and until when.
func story(log []sim.Entry, at []int32) []string {
	// A line is kept as its parts until it is written: most steps are
	// hourly attempts that fold into one line, and formatting each of a
	// fleet's million attempts only to compare it was most of the cost.
	type line struct {
		attempt int // the attempt number, -1 when the line is not an attempt
		text    string
	}
	// Two steps read the same when they say the same but for attempt
	// numbers ("attempt 12" anywhere in a line, as the digits pattern says).
	sameShape := func(a, b []line) bool {
		if len(a) != len(b) {
			return false
		}
		for k := range a {
			if (a[k].attempt >= 0) != (b[k].attempt >= 0) || maskAttempts(a[k].text) != maskAttempts(b[k].text) {
				return false
			}
		}
		return true
	}
	// Steps are folded as they complete: a run of steps that read the
	// same keeps only its first step's lines, how many steps it has and
	// the last one's time, so a failing renewal's thousands of hourly
	// attempts cost no memory each (collecting every step first made
	// three quarters of what a fleet's summary allocated).
	var (
		out      []string
		cur      []line // the lines of the step at curAt, still open
		curAt    time.Time
		run      []line // the first step of the current run of same-reading steps
		runAt    time.Time
		runLast  time.Time
		runSteps int
	)
	text := func(l line) string {
		if l.attempt < 0 {
			return l.text
		}
		return "attempt " + strconv.Itoa(l.attempt) + ": " + l.text
	}
	flushRun := func() {
		switch {
		case runSteps == 1:
			for _, l := range run {
				out = append(out, ts(runAt)+"  "+text(l))
			}
		case runSteps > 1:
			out = append(out, fmt.Sprintf("%s  %d times, the last at %s:", ts(runAt), runSteps, ts(runLast)))
			for _, l := range run {
				out = append(out, fmt.Sprintf("%18s %s", "", digits.ReplaceAllStringFunc(text(l), func(string) string { return "attempt N" })))
			}
		}
		runSteps = 0
	}
	closeStep := func() {
		if len(cur) == 0 {
			return
		}
		if runSteps > 0 && sameShape(run, cur) {
			runSteps++
			runLast = curAt
		} else {
			flushRun()
			run = append(run[:0:0], cur...)
			runAt, runLast, runSteps = curAt, curAt, 1
		}
		cur = cur[:0]
	}
	add := func(at time.Time, l line) {
		if len(cur) > 0 && !curAt.Equal(at) {
			closeStep()
		}
		curAt = at
		cur = append(cur, l)
	}
	var mails []sim.Entry
	flushMails := func() {
		if len(mails) > 0 {
			for _, l := range foldMails(mails) {
				add(mails[0].Time, line{-1, l})
			}
			mails = nil
		}
	}
	for _, p := range at {
		e := &log[p]
		if e.Kind != sim.KindEmail || (len(mails) > 0 && !mails[0].Time.Equal(e.Time)) {
			flushMails()
		}
		switch e.Kind {
		case sim.KindEmail:
			mails = append(mails, *e)
		case sim.KindAttempt:
			add(e.Time, line{e.Attempt, e.Detail.Text})
		case sim.KindClick, sim.KindCAA, sim.KindWindow, sim.KindIssued, sim.KindExpired,
			sim.KindTimeline, sim.KindNotice, sim.KindDeployed, sim.KindUndeployed:
			add(e.Time, line{-1, e.Detail.Text})
		case sim.KindEventBus:
			if ev := e.Detail.Event; ev != nil && ev.DetailType == sim.EventActionRequired {
				text := "Renewal Action Required sent"
				if d, ok := ev.Detail.(sim.ActionRequiredDetail); ok {
					text = fmt.Sprintf("Renewal Action Required sent (%s to expiry)", sim.Count(d.DaysToExpiry, "day"))
				}
				add(e.Time, line{-1, text})
			}
		case sim.KindStatus:
			if e.Detail.StatusOf().RenewalStatus == sim.RenewalPendingValidation {
				add(e.Time, line{-1, e.Detail.Text})
			}
		}
	}
	flushMails()
	closeStep()
	flushRun()
	return out
}

// digits finds attempt numbers and other counters that differ between
// otherwise identical steps.
var digits = regexp.MustCompile(`\battempt [0-9]+`)

// maskAttempts is digits.ReplaceAllString(s, "#") without the regexp
// engine, which was half the cost of the summary: story reads the shape of
// every step of every certificate.
func maskAttempts(s string) string {
	const word = "attempt "
	var b strings.Builder
	done := 0 // s[:done] is written
	for i := 0; ; {
		k := strings.Index(s[i:], word)
		if k < 0 {
			break
		}
		k += i
		end := k + len(word)
		for end < len(s) && '0' <= s[end] && s[end] <= '9' {
			end++
		}
		if end == k+len(word) || (k > 0 && isWordByte(s[k-1])) {
			i = k + 1
			continue
		}
		b.WriteString(s[done:k])
		b.WriteByte('#')
		done, i = end, end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// isWordByte is \w of regexp: an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// foldMails says what a batch of e-mails sent at one instant did: per kind
// and name, how many were delivered and which addresses refused them.
func foldMails(mails []sim.Entry) []string {
	type key struct{ kind, domain string }
	var order []key
	delivered := map[key][]string{}
	refused := map[key][]string{}
	for _, m := range mails {
		k := key{m.Detail.MailOf().Email, m.Detail.MailOf().Domain}
		if _, ok := delivered[k]; !ok {
			if _, ok := refused[k]; !ok {
				order = append(order, k)
			}
		}
		if m.Detail.OK != nil && *m.Detail.OK {
			delivered[k] = append(delivered[k], m.Detail.MailOf().To)
		} else {
			refused[k] = append(refused[k], fmt.Sprintf("%s (%d)", m.Detail.MailOf().To, m.Detail.MailOf().SMTPCode))
		}
	}
	var out []string
	for _, k := range order {
		s := fmt.Sprintf("%s e-mail for %s", k.kind, k.domain)
		if d := delivered[k]; len(d) > 0 {
			s += fmt.Sprintf(" delivered to %s", strings.Join(d, ", "))
		}
		if r := refused[k]; len(r) > 0 {
			if len(delivered[k]) > 0 {
				s += ";"
			}
			s += fmt.Sprintf(" refused by the mail server for %s", strings.Join(r, ", "))
		}
		out = append(out, s)
	}
	return out
}

// evidence is what a certificate's entries say about why it failed: the
// last failing validation attempt, the last window opened and CAA check,
// and the approval e-mails by domain (in the order first sent).
type evidence struct {
	last, window, caa *sim.Entry
	domains           []string
	delivered         map[string][]string // domain -> recipients the mail reached
	refused           map[string][]string // domain -> recipients that refused it
	approved          map[string]bool     // domain -> a link followed and accepted approved it
}

// gather reads the evidence from a certificate's entries at those
// positions of log.
func gather(log []sim.Entry, at []int32) evidence {
	ev := evidence{delivered: map[string][]string{}, refused: map[string][]string{}, approved: map[string]bool{}}
	for _, p := range at {
		e := &log[p]
		switch e.Kind {
		case sim.KindAttempt:
			if e.Detail.OK != nil && !*e.Detail.OK {
				ev.last = e
			}
		case sim.KindWindow:
			ev.window = e
		case sim.KindCAA:
			ev.caa = e
		case sim.KindClick:
			if m := e.Detail.MailOf(); m.Approved != nil && *m.Approved {
				ev.approved[m.Domain] = true
			}
		case sim.KindEmail:
			m := e.Detail.MailOf()
			if m.Email != sim.EmailApproval {
				continue
			}
			ev.domains = appendNew(ev.domains, m.Domain)
			if e.Detail.OK != nil && *e.Detail.OK {
				ev.delivered[m.Domain] = appendNew(ev.delivered[m.Domain], m.To)
			} else {
				ev.refused[m.Domain] = appendNew(ev.refused[m.Domain], m.To)
			}
		}
	}
	// A click counts only if the last failing attempt found the name
	// validated: a link of an earlier cycle is followed and accepted by the
	// page, but approves nothing now.
	if ev.last != nil {
		for _, c := range ev.last.Detail.Checks {
			if ev.approved[c.Domain] && c.Status != sim.ValidationSuccess {
				ev.approved[c.Domain] = false
			}
		}
	}
	return ev
}

// diagnose explains, from the last failing attempt, which names failed,
// what DNS answered and what to fix. It reads a certificate's entries at
// those positions of log; sc gives the profile's numbers (nil when the
// record was read back without its scenario).
func diagnose(sc *sim.Scenario, log []sim.Entry, at []int32) []string {
	return diagnoseEvidence(sc, gather(log, at))
}

// diagnoseEvidence is diagnose on the evidence gathered already.
func diagnoseEvidence(sc *sim.Scenario, ev evidence) []string {
	last, window, caa := ev.last, ev.window, ev.caa
	domains, delivered, refused, approved := ev.domains, ev.delivered, ev.refused, ev.approved
	if caa != nil && caa.Detail.OK != nil && !*caa.Detail.OK && (last == nil || !caa.Time.Before(last.Time)) {
		out := []string{fmt.Sprintf("why: every name validated, but the last CAA check (%s) refused Amazon (CAA_ERROR):", ts(caa.Time))}
		for _, a := range caa.Detail.CAA {
			if !a.OK {
				out = append(out, fmt.Sprintf("  %s: %s", a.Name, a.Problem))
			}
		}
		return append(out, "    fix: add a CAA record that names amazon.com (issue, or issuewild for wildcard names), or remove the one that forbids it")
	}
	if len(domains) > 0 {
		out := []string{"why: not every name was approved by e-mail:"}
		for _, d := range domains {
			var tooOld *sim.NameCheck
			if last != nil {
				for i, c := range last.Detail.Checks {
					if c.Domain == d && c.Cause == sim.CauseEmailApprovalTooOld {
						tooOld = &last.Detail.Checks[i]
					}
				}
			}
			switch {
			case approved[d]:
				out = append(out, fmt.Sprintf("  %s: approved", d))
			case tooOld != nil:
				out = append(out, fmt.Sprintf("  %s: approved, but %s", d, tooOld.Problem),
					"    fix: approve it again with the newest e-mail "+withinLinkTTL(sc)+": the approvals of all names must be within the reuse period when the last one comes")
				continue
			case len(delivered[d]) == 0:
				out = append(out, fmt.Sprintf("  %s: every approval e-mail was refused by the mail server (NO_AVAILABLE_CONTACTS): %s", d, strings.Join(refused[d], ", ")),
					"    fix: create one of these mailboxes, or move the certificate to DNS validation")
			default:
				out = append(out, fmt.Sprintf("  %s: approval e-mails reached %s, but no one followed a valid link", d, strings.Join(delivered[d], ", ")),
					"    fix: approve the newest e-mail "+withinLinkTTL(sc)+" (ResendValidationEmail sends a new one), or move the certificate to DNS validation")
			}
			if last != nil && !approved[d] {
				for _, c := range last.Detail.Checks {
					if c.Domain == d && c.Method == "HTTPS" && c.Problem != "" {
						out = append(out, "    and "+c.Problem)
					}
				}
			}
		}
		return out
	}
	if last == nil {
		if window != nil && window.Detail.StatusOf().Eligibility == sim.Ineligible {
			if c := window.Detail.StatusOf().Cause; c != "" && c != sim.CauseIDN {
				return []string{"why: not eligible: " + c.Explain() + ", so ACM does not try to renew"}
			}
			// The IDN rule names the name in the record's words; so does an
			// event log written before causes were recorded.
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

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// withinLinkTTL says how soon an approval link must be followed, from the
// profile's approval_link_ttl.
func withinLinkTTL(sc *sim.Scenario) string {
	if sc == nil {
		return "before its link expires"
	}
	return "within " + sim.SpellDuration(sc.Profile.ApprovalLinkTTL)
}
