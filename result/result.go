package result

import (
	"fmt"
	"strings"
	"time"

	"github.com/renewsim/renewsim/alarm"
	"github.com/renewsim/renewsim/record"
	"github.com/renewsim/renewsim/sim"
)

// Summary is the result of a run of one or more scenarios.
type Summary struct {
	Scenarios []Scenario `json:"scenarios"`
}

// Passed reports whether every expectation of every scenario held.
func (s *Summary) Passed() bool {
	for _, sc := range s.Scenarios {
		if !sc.Passed {
			return false
		}
	}
	return true
}

// Scenario is the result of one scenario.
type Scenario struct {
	Name         string        `json:"name"`
	File         string        `json:"file"`
	Profile      string        `json:"profile"`
	Seed         uint64        `json:"seed"`
	Passed       bool          `json:"passed"`
	Start        time.Time     `json:"start"`
	Until        time.Time     `json:"until"`
	Certificates []Cert        `json:"certificates"`
	Resources    []Resource    `json:"resources"`
	Expectations []Expectation `json:"expectations"`
	// Alarms are the scenario's alarms judged on the record (absent when
	// it has none).
	Alarms []alarm.Result `json:"alarms,omitempty"`

	log []sim.Entry
	sc  *sim.Scenario
	idx *record.Index // where each certificate's and resource's entries are in log
}

// Log is the record the result was built from; nil for a Scenario made
// another way (by hand, or read back from JSON).
func (s *Scenario) Log() []sim.Entry { return s.log }

// Spec is the scenario that ran; nil for a Scenario made another way.
func (s *Scenario) Spec() *sim.Scenario { return s.sc }

// Index is the index of the record, built by Build; a Scenario made
// another way has no record, and gets the index of an empty one.
func (s *Scenario) Index() *record.Index {
	if s.idx == nil {
		return record.New(s.log)
	}
	return s.idx
}

// Cert is what happened to one certificate. Outcome, NotAfter, RenewedAt
// and ExpiredAt are about the first renewal cycle, as they always were;
// Cycles tells every cycle, and FinalOutcome what happened last: a
// certificate renewed once that then expires unrenewed has Outcome renewed
// and FinalOutcome expired, and every renderer says both.
type Cert struct {
	ID          string      `json:"id"`
	ARN         string      `json:"arn"`
	Domain      string      `json:"domain"`
	Outcome     sim.Outcome `json:"outcome"`
	NotAfter    time.Time   `json:"not_after"` // of the first certificate
	RenewedAt   *time.Time  `json:"renewed_at"`
	ExpiredAt   *time.Time  `json:"expired_at"`
	FinalStatus sim.Status  `json:"final_status"`
	Renewals    int         `json:"renewals"`
	Attempts    int         `json:"attempts"`
	// FinalOutcome is the outcome of the last cycle decided in the run
	// (sim.FinalOutcome), pending when none was.
	FinalOutcome sim.Outcome `json:"final_outcome"`
	// Cycles are the renewal cycles the certificate went through, in order;
	// the last may be pending.
	Cycles []sim.Cycle `json:"cycles"`
}

// Final is what happened last to the certificate: FinalOutcome, or for a
// Cert made by hand or read from results written before cycles were,
// Outcome.
func (c *Cert) Final() sim.Outcome {
	if c.FinalOutcome == "" {
		return c.Outcome
	}
	return c.FinalOutcome
}

// LastDecided is the last cycle that was renewed or expired, nil when none
// was (or the Cert has no cycles).
func (c *Cert) LastDecided() *sim.Cycle { return sim.LastDecided(c.Cycles) }

// Margin is how long before the first certificate's expiry it was renewed
// (negative or absent when it was not).
func (c *Cert) Margin() (time.Duration, bool) {
	if c.RenewedAt == nil {
		return 0, false
	}
	return c.NotAfter.Sub(*c.RenewedAt), true
}

// Resource is what one resource served, and for how long that was an
// expired certificate.
type Resource struct {
	ID            string          `json:"id"`
	Outage        string          `json:"outage"`
	OutageSeconds int64           `json:"outage_seconds"`
	Windows       []record.Window `json:"outage_windows"`
}

// Expectation is one checked claim.
type Expectation struct {
	Text   string `json:"text"`
	Passed bool   `json:"passed"`
	Detail string `json:"detail"`
}

// Build reads the record of a run of sc.
func Build(sc *sim.Scenario, seed uint64, log []sim.Entry) Scenario {
	idx := record.New(log)
	out := Scenario{
		Name: sc.Name, File: sc.File, Profile: sc.ProfileName, Seed: seed,
		Start: sc.Start, Until: sc.Until, log: log, sc: sc, idx: idx,
		Certificates: make([]Cert, 0, len(sc.Certificates)), Resources: make([]Resource, 0, len(sc.Resources)),
		Expectations: make([]Expectation, 0, len(sc.Expect)),
	}
	for i := range sc.Certificates {
		c := &sc.Certificates[i]
		out.Certificates = append(out.Certificates, certResult(c, log, idx.CertEntries(c.ID)))
	}
	for _, r := range sc.Resources {
		out.Resources = append(out.Resources, resourceResult(r.ID, idx, sc.Until))
	}
	out.Alarms = alarm.Evaluate(sc, idx)
	out.Passed = true
	chk := newChecker(&out)
	for _, e := range sc.Expect {
		res := chk.check(e)
		out.Expectations = append(out.Expectations, res)
		out.Passed = out.Passed && res.Passed
	}
	return out
}

// certResult reads the entries of spec, at those positions of log.
func certResult(spec *sim.Certificate, log []sim.Entry, at []int32) Cert {
	c := Cert{ID: spec.ID, Domain: spec.Domain, Outcome: sim.OutcomePending, NotAfter: spec.NotAfter}
	var cycles sim.CycleReader
	for _, p := range at {
		e := &log[p]
		cycles.Add(e)
		switch e.Kind {
		case sim.KindCert:
			if c.ARN == "" {
				c.ARN = e.Detail.ARN
			}
		case sim.KindStatus:
			c.FinalStatus = e.Detail.StatusOf().Status
		case sim.KindAttempt:
			c.Attempts++
		case sim.KindIssued:
			c.Renewals++
			if e.Detail.Cycle == 1 && c.RenewedAt == nil {
				t := e.Time
				c.RenewedAt = &t
				c.Outcome = sim.OutcomeRenewed
			}
		case sim.KindExpired:
			if e.Detail.Cycle == 1 && c.ExpiredAt == nil {
				t := e.Time
				c.ExpiredAt = &t
				c.Outcome = sim.OutcomeExpired
			}
		}
	}
	c.Cycles = cycles.Cycles()
	if c.Cycles == nil {
		c.Cycles = []sim.Cycle{} // [] in JSON: a list to iterate, never null
	}
	c.FinalOutcome = sim.FinalOutcome(c.Cycles)
	return c
}

// resourceResult is what resource id served expired, and for how long
// (record.Index.Outage).
func resourceResult(id string, idx *record.Index, until time.Time) Resource {
	windows := idx.Outage(id, until)
	total := record.Total(windows)
	return Resource{ID: id, Outage: sim.FormatDuration(total), OutageSeconds: int64(total / time.Second), Windows: windows}
}

// checker checks the expectations of one scenario: it finds certificates
// and resources by id, and counts events and e-mails once for all of them.
type checker struct {
	s         *Scenario
	certs     map[string]int // id -> index in s.Certificates (the last one)
	resources map[string]int // id -> index in s.Resources (the last one)
	events    map[eventKey]int
	emails    map[emailKey]int
}

func newChecker(s *Scenario) *checker {
	c := &checker{s: s, certs: make(map[string]int, len(s.Certificates)), resources: make(map[string]int, len(s.Resources))}
	for i := range s.Certificates {
		c.certs[s.Certificates[i].ID] = i
	}
	for i := range s.Resources {
		c.resources[s.Resources[i].ID] = i
	}
	return c
}

func (c *checker) check(e sim.Expectation) Expectation {
	s := c.s
	var cert *Cert
	if i, ok := c.certs[e.Cert]; ok {
		cert = &s.Certificates[i]
	}
	if res, ok := checkMore(s, cert, e); ok {
		return res
	}
	res := Expectation{Text: e.Text}
	pass := func(ok bool, format string, args ...any) Expectation {
		res.Passed = ok
		res.Detail = fmt.Sprintf(format, args...)
		return res
	}
	switch e.Kind {
	case sim.ExpectOutcome:
		return pass(cert.Outcome == e.Outcome, "expected outcome %s, got %s", e.Outcome, cert.Outcome)
	case sim.ExpectRenewedWindow:
		want := "renewed"
		if e.RenewedAfter != nil {
			want += " after " + stamp(*e.RenewedAfter)
		}
		if e.RenewedBefore != nil {
			want += " before " + stamp(*e.RenewedBefore)
		}
		if cert.RenewedAt == nil {
			return pass(false, "expected %s, got %s (not renewed)", want, cert.Outcome)
		}
		at := *cert.RenewedAt
		ok := (e.RenewedAfter == nil || !at.Before(*e.RenewedAfter)) && (e.RenewedBefore == nil || !at.After(*e.RenewedBefore))
		return pass(ok, "expected %s, got renewed at %s", want, stamp(at))
	case sim.ExpectStatusAt:
		// What DescribeCertificate shows at that time, from the same
		// function the ACM API fake answers from (sim.View): a private
		// certificate has no renewal summary, whatever its renewal did.
		status, renewal, reason := "", "", ""
		if i, ok := c.certs[e.Cert]; ok && s.sc != nil {
			v := sim.ViewCert(s.sc, s.Seed, i, s.log, s.Index().CertEntries(e.Cert), e.At)
			status, renewal, reason = string(v.Status), string(v.RenewalStatus), v.Reason
		}
		wantReason, wantRenewal := e.Reason, string(e.RenewalStatus)
		if wantReason == "none" {
			wantReason = ""
		}
		if wantRenewal == "none" {
			wantRenewal = ""
		}
		ok := (e.Status == "" || string(e.Status) == status) && (e.RenewalStatus == "" || wantRenewal == renewal) &&
			(e.Reason == "" || wantReason == reason)
		want := statusText(string(e.Status), string(e.RenewalStatus))
		got := statusText(status, orNone(renewal))
		if e.Reason != "" {
			want += ", reason " + e.Reason
			got += ", reason " + orNone(reason)
		}
		return pass(ok, "expected %s at %s, got %s", want, stamp(e.At), got)
	case sim.ExpectEventCount:
		if c.events == nil {
			c.events = eventCounts(s.log)
		}
		key := eventKey{cert: e.Cert, detailType: e.Event, code: e.Code, anyCode: e.Code == ""}
		n := c.events[key]
		what := e.Event
		if e.Code != "" {
			what += " " + e.Code
		}
		return countCheck(res, e, n, fmt.Sprintf("%q event", what), "")
	case sim.ExpectEmail:
		if c.emails == nil {
			c.emails = emailCounts(s.log)
		}
		key := emailKey{cert: e.Cert, anyCert: e.Cert == "", kind: e.Email, anyKind: e.Email == sim.EmailAny, anyTo: e.To == ""}
		if key.anyKind {
			key.kind = ""
		}
		if !key.anyTo {
			key.to = foldKey(e.To)
		}
		n := c.emails[key]
		what := " delivered"
		if e.To != "" {
			what += " to " + e.To
		}
		return countCheck(res, e, n, e.Email+" e-mail", what)
	case sim.ExpectOutage:
		var r *Resource
		if i, ok := c.resources[e.Resource]; ok {
			r = &s.Resources[i]
		}
		got := time.Duration(r.OutageSeconds) * time.Second
		if e.Outage != nil {
			return pass(got == *e.Outage, "expected outage %s, got %s", sim.FormatDuration(*e.Outage), r.Outage)
		}
		return pass(got >= *e.OutageAtLeast, "expected outage of at least %s, got %s", sim.FormatDuration(*e.OutageAtLeast), r.Outage)
	case sim.ExpectAlarm:
		return checkAlarm(res, e, s.Alarms)
	}
	return pass(false, "unknown expectation kind %q", e.Kind)
}

// countCheck compares a count with count, min and max: n of unit (in
// the singular), and what follows it in the message.
func countCheck(res Expectation, e sim.Expectation, n int, unit, rest string) Expectation {
	ok := true
	want, last := "", 0
	switch {
	case e.Count != nil:
		ok, want, last = n == *e.Count, fmt.Sprintf("exactly %d", *e.Count), *e.Count
	default:
		if e.Min != nil {
			ok = ok && n >= *e.Min
			want, last = fmt.Sprintf("at least %d", *e.Min), *e.Min
		}
		if e.Max != nil {
			ok = ok && n <= *e.Max
			if want != "" {
				want += " and "
			}
			want, last = want+fmt.Sprintf("at most %d", *e.Max), *e.Max
		}
	}
	res.Passed = ok
	if last != 1 {
		unit += "s"
	}
	res.Detail = fmt.Sprintf("expected %s %s%s, got %d", want, unit, rest, n)
	return res
}

// healthCode is the eventTypeCode of an AWS Health event, typed or read back
// from JSON.
func healthCode(ev *sim.Event) string {
	switch d := ev.Detail.(type) {
	case sim.HealthDetail:
		return d.EventTypeCode
	case map[string]any:
		s, _ := d["eventTypeCode"].(string)
		return s
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func statusText(status, renewal string) string {
	var parts []string
	if status != "" {
		parts = append(parts, "status "+status)
	}
	if renewal != "" {
		parts = append(parts, "renewal "+renewal)
	}
	if len(parts) == 0 {
		return "no status"
	}
	return strings.Join(parts, ", ")
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04Z") }
