package report

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// fleetTop is how many certificates that fail, and how many outages, a
// scenario at fleet size lists at the top of its section; the rest follow
// behind a details element. A variable only so that tests can lower it.
var fleetTop = 15

// htmlFleet is the section of a scenario at fleet size (more than
// scenarioScale certificates or resources): the counts, the failures and
// the outages first, the aggregate timeline, then each certificate on
// demand. Its size grows with the failing certificates and by one short
// table row per certificate, never with the length of the record.
type htmlFleet struct {
	Counts   []htmlCount
	Causes   []htmlCause   // the failing certificates by cause
	Failing  []htmlFailing // the fleetTop most urgent
	Failing2 []htmlFailing // the others, behind a details element
	NFailing int
	Outages  []htmlOutage // the fleetTop first
	Outages2 []htmlOutage
	NOutages int
	NExpect  int
	Failed   []htmlExpect // failed expectations, shown
	Held     []htmlExpect // expectations that held, behind a details element
	Alarms   []string     // what each alarm did, one line each
	AlarmBad []htmlAlarm  // the certificates an alarm missed
	AlarmOK  []htmlAlarm  // the others
	Changes  []eventRow   // the scenario's timeline: what it changed and when
	Details  []htmlCertDetail
	Drawn    int // timelines drawn in the drill-down
	Told     int // stories told
	NotTold  int
	Others   []htmlOther // the certificates that do not fail, in the scenario's order
	Entries  string      // entries in the record, with thousands separated
	Events   string      // the event log file of the report directory, "" without one
}

// htmlCount is one tile of the counts.
type htmlCount struct {
	N, Label, Class string
}

// htmlFailing is a certificate that expired or fails at the end.
type htmlFailing struct {
	ID, Anchor, Domain string
	What               string   // "EXPIRED 2027-03-01 20:00"
	Outage             []string // what its resources served expired
	Cause              string   // why, in a few words (failureCause)
	Brief              string   // the first line of why that names a name, "" when none
	Why                []string // from its last failing attempt, with the fix
}

// htmlOutage is one stretch in which a resource served an expired
// certificate.
type htmlOutage struct {
	Resource, Cert, Anchor string
	From, To, For          string
}

// htmlCertDetail is a failing certificate's drill-down.
type htmlCertDetail struct {
	htmlFailing
	Facts   []fleetFact
	Story   []string
	SVG     template.HTML
	Missing []string
}

// htmlOther is a certificate that renewed or is not due by the end.
type htmlOther struct {
	ID, Anchor, Domain, Outcome, RenewedAt, Margin string
	Renewals                                       int
}

// fleetScenario builds the section of a scenario at fleet size from its
// result and timeline. events names the event log of the report
// directory, "" when the page is written alone.
func fleetScenario(sc *result.Scenario, tl *Timeline, events string) (*htmlFleet, error) {
	fates := tl.fates()
	n := countFates(tl, fates)
	h := &htmlFleet{Entries: fleetThousands(len(sc.Log())), Events: events}
	count := func(v int, label string, bad bool) {
		c := htmlCount{N: fleetThousands(v), Label: label}
		if bad && v > 0 {
			c.Class = "bad"
		}
		h.Counts = append(h.Counts, c)
	}
	count(n.certs, "certificates", false)
	count(n.expired, "expired", true)
	count(n.failing, "failing at the end", true)
	count(n.renewed, "renewed", false)
	h.Counts[len(h.Counts)-1].Class = "good"
	count(n.notDue, "not due by the end", false)
	count(n.outages, fmt.Sprintf("of %s with an outage", plural1000(n.resources, "resource")), true)

	specs := specsOf(sc)
	results := make(map[string]*result.Cert, len(sc.Certificates))
	for i := range sc.Certificates {
		results[sc.Certificates[i].ID] = &sc.Certificates[i]
	}
	anchors := certAnchors(sc.Name, tl)

	// The outages, in order of start, and what each certificate's
	// resources served it expired.
	byCert := map[string][]string{}
	for _, r := range sc.Resources {
		for _, w := range r.Windows {
			o := htmlOutage{Resource: r.ID, Cert: w.Cert, Anchor: anchors[w.Cert], From: ts(w.Start), To: ts(w.End), For: sim.FormatDuration(w.End.Sub(w.Start))}
			h.Outages = append(h.Outages, o)
			byCert[w.Cert] = append(byCert[w.Cert], fmt.Sprintf("%s %s from %s", r.ID, o.For, o.From))
		}
	}
	slices.SortStableFunc(h.Outages, func(a, b htmlOutage) int { return strings.Compare(a.From, b.From) })
	h.NOutages = len(h.Outages)
	if len(h.Outages) > fleetTop {
		h.Outages, h.Outages2 = h.Outages[:fleetTop], h.Outages[fleetTop:]
	}

	// The failing certificates, most urgent first, and their drill-down.
	all, lanes := failingCerts(sc, tl, fates, byCert, anchors, specs)
	failing := map[int]bool{}
	for k, f := range all {
		l := &tl.Lanes[lanes[k]]
		failing[lanes[k]] = true
		if k < fleetTop {
			h.Failing = append(h.Failing, f)
		} else {
			h.Failing2 = append(h.Failing2, f)
		}
		d := htmlCertDetail{htmlFailing: f}
		var inUse []string
		if spec := specs[l.ID]; spec != nil {
			d.Facts = append(d.Facts, fleetFact{"names", strings.Join(append([]string{spec.Domain}, spec.SANs...), ", "), false})
			if spec.Type != "" {
				d.Facts = append(d.Facts, fleetFact{"type", spec.Type, false})
			}
			inUse = spec.InUseBy
			if len(inUse) > 0 {
				d.Facts = append(d.Facts, fleetFact{"used by", strings.Join(inUse, ", "), false})
			} else {
				d.Facts = append(d.Facts, fleetFact{"used by", "nothing", false})
			}
		}
		if r := results[l.ID]; r != nil && r.ARN != "" {
			d.Facts = append([]fleetFact{{"ARN", r.ARN, true}}, d.Facts...)
		}
		if h.Told < fleetStories {
			d.Story = story(sc.Log(), sc.Index().CertEntries(l.ID))
			h.Told++
		} else {
			d.Missing = append(d.Missing, fmt.Sprintf("Its story is left out: the page tells the %d most urgent.", fleetStories))
			h.NotTold++
		}
		if h.Drawn < fleetDrawn {
			title := l.ID
			if l.Title != "" {
				title += " (" + l.Title + ")"
			}
			b, err := certTimeline(sc, l.ID, title, inUse).svg()
			if err != nil {
				return nil, fmt.Errorf("plot %s: %w", l.ID, err)
			}
			d.SVG = inlineSVG(b, l.ID)
			h.Drawn++
		} else {
			d.Missing = append(d.Missing, fmt.Sprintf("Its timeline is not drawn: the page draws the %d most urgent.", fleetDrawn))
		}
		h.Details = append(h.Details, d)
	}
	h.NFailing = len(all)
	h.Causes = groupCauses(all)

	// Every other certificate, one row each.
	for i, l := range tl.Lanes {
		if l.Kind != LaneCertificate || failing[i] {
			continue
		}
		o := htmlOther{ID: l.ID, Anchor: anchors[l.ID], Domain: l.Title, Outcome: "not due by the end", RenewedAt: "—", Margin: "—", Renewals: fates[i].renews}
		if m := fates[i].renewed; m != nil {
			o.Outcome = "renewed"
			o.RenewedAt = ts(m.Time)
		}
		if r := results[l.ID]; r != nil {
			if m, ok := r.Margin(); ok {
				o.Margin = sim.FormatDuration(m)
			}
		}
		h.Others = append(h.Others, o)
	}

	h.NExpect = len(sc.Expectations)
	for _, e := range sc.Expectations {
		exp, got := splitDetail(e.Detail)
		x := htmlExpect{Passed: e.Passed, Text: e.Text, Expected: exp, Got: got}
		if e.Passed {
			h.Held = append(h.Held, x)
		} else {
			h.Failed = append(h.Failed, x)
		}
	}
	h.Alarms = alarmLines(sc.Alarms)
	for _, a := range htmlAlarms(sc.Alarms) {
		if a.Bad {
			h.AlarmBad = append(h.AlarmBad, a)
		} else {
			h.AlarmOK = append(h.AlarmOK, a)
		}
	}
	h.Changes = timelineChanges(sc.Log())
	return h, nil
}

// failingCerts are the certificates that expired or fail at the end, most
// urgent first, with what happened, their outage (byCert), why and its
// cause; lanes are their lanes in tl.
func failingCerts(sc *result.Scenario, tl *Timeline, fates []laneFate, byCert map[string][]string, anchors map[string]string,
	specs map[string]*sim.Certificate) (out []htmlFailing, lanes []int) {
	idx := sc.Index()
	for _, u := range tl.urgent(fates) {
		l := &tl.Lanes[u.lane]
		text := u.fate.text()
		f := htmlFailing{ID: l.ID, Anchor: anchors[l.ID], Domain: l.Title, What: strings.ToUpper(text[:1]) + text[1:], Outage: byCert[l.ID]}
		if u.fate.expired != nil {
			f.What = "EXPIRED " + ts(u.fate.expired.Time)
		}
		// Why, from the cycle that failed: an approval or a failure of an
		// earlier cycle says nothing of the last one.
		at := finalCycleEntries(sc.Log(), idx.CertEntries(l.ID))
		var typ string
		if spec := specs[l.ID]; spec != nil {
			typ = spec.Type
		}
		ev := gather(sc.Log(), at)
		f.Cause = failureCause(typ, ev)
		for j, line := range diagnoseEvidence(sc.Spec(), ev) {
			line = strings.TrimSpace(line)
			if j == 0 {
				line = strings.TrimPrefix(line, "why: ")
			}
			if j == 1 {
				f.Brief = line
			}
			f.Why = append(f.Why, line)
		}
		if len(f.Why) == 1 {
			f.Brief = f.Why[0]
		}
		if len(f.Why) == 0 && typ == sim.TypeImported {
			f.Why = []string{"ACM never renews an imported certificate: import a renewed one into the same ARN before it expires, or replace it with an ACM-issued one"}
		}
		if strings.HasPrefix(f.Brief, f.Cause) {
			f.Brief = "" // says no more than the cause
		}
		out = append(out, f)
		lanes = append(lanes, u.lane)
	}
	return out, lanes
}

// specsOf are the scenario's certificates by id, none when it was read
// back without its scenario.
func specsOf(sc *result.Scenario) map[string]*sim.Certificate {
	specs := map[string]*sim.Certificate{}
	if sc.Spec() != nil {
		for i := range sc.Spec().Certificates {
			specs[sc.Spec().Certificates[i].ID] = &sc.Spec().Certificates[i]
		}
	}
	return specs
}

// certAnchors gives every certificate lane an anchor unique on the page:
// the scenario's name and the certificate's, made safe.
func certAnchors(scenario string, tl *Timeline) map[string]string {
	out := map[string]string{}
	seen := map[string]bool{}
	prefix := "cert-" + safeName(scenario) + "-"
	for _, l := range tl.Lanes {
		if l.Kind != LaneCertificate {
			continue
		}
		base := prefix + safeName(l.ID)
		name := base
		for n := 2; seen[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		seen[name] = true
		out[l.ID] = name
	}
	return out
}

// timelineChanges are the entries of the scenario's own timeline (a CNAME
// deleted, a detach…), as rows of the event table: as many as the
// scenario file has changes.
func timelineChanges(log []sim.Entry) []eventRow {
	var out []eventRow
	for i := range log {
		if e := &log[i]; e.Kind == sim.KindTimeline {
			out = append(out, eventRow{Time: ts(e.Time), Kind: e.Kind, Cert: e.Cert, Resource: e.Resource(), Text: e.Detail.Text, Count: 1})
		}
	}
	return out
}

// fleetSummary is what the summary table says of a scenario at fleet
// size, in place of a row per certificate.
func fleetSummary(tl *Timeline, sc *result.Scenario) (certs, outage string) {
	n := countFates(tl, tl.fates())
	certs = n.certsText()
	if n.outages == 0 {
		return certs, ""
	}
	var longest *result.Resource
	for i := range sc.Resources {
		if r := &sc.Resources[i]; r.OutageSeconds > 0 && (longest == nil || r.OutageSeconds > longest.OutageSeconds) {
			longest = r
		}
	}
	outage = fmt.Sprintf("%s of %s", fleetThousands(n.outages), plural1000(n.resources, "resource"))
	if longest != nil {
		outage += fmt.Sprintf(", the longest %s %s", longest.ID, longest.Outage)
	}
	return certs, outage
}

// The section of a scenario at fleet size, and its styles: the page
// template calls them, the styles only when some scenario is at fleet
// size, so that the page of small scenarios stays as it was.
var _ = template.Must(htmlTemplate.New("fleet-css").Parse(`
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 14px; padding: 0; list-style: none; }
.counts li { border: 1px solid #e3e5e8; border-radius: 6px; padding: 6px 14px; min-width: 92px; }
.counts .n { display: block; font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.counts li.bad { border-color: #b2182b; color: #b2182b; }
.counts li.good .n { color: #1b7f3b; }
table.failing, table.outages, table.others, table.causes { font-size: 13px; }
table.failing td.what { color: #b2182b; font-weight: 700; white-space: nowrap; }
table.failing ul { margin: 0; padding-left: 16px; }
table.failing td.why { word-break: break-word; }
details.more > summary, details.others > summary { font-weight: 400; color: #1f5fa8; }
figcaption { color: #5f6368; font-size: 12.5px; padding: 2px 6px; }
details.cert { margin: 6px 0; border: 1px solid #e3e5e8; border-left: 4px solid #b2182b; border-radius: 4px; padding: 2px 10px; }
details.cert > summary { font-weight: 400; }
details.cert > summary b { margin-right: 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
dl.facts dt { color: #5f6368; }
dl.facts dd { margin: 0; }
pre.story { font: 12px/1.4 "Liberation Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; background: #f8f9fa; border-radius: 4px; padding: 8px; margin: 6px 0; }
.small { font-size: 12px; color: #5f6368; }
`))

var _ = template.Must(htmlTemplate.New("fleet-failing-rows").Parse(`
{{- range .}}
<tr><td><a href="#{{.Anchor}}">{{.ID}}</a></td><td>{{.Domain}}</td><td class="what">{{.What}}</td><td>{{if .Outage}}<span class="outage">{{join .Outage ", "}}</span>{{else}}none{{end}}</td><td class="why"><b>{{.Cause}}</b>{{if .Brief}}<br>{{.Brief}}{{end}}</td></tr>
{{- end}}`))

var _ = template.Must(htmlTemplate.New("fleet-outage-rows").Parse(`
{{- range .}}
<tr><td>{{.Resource}}</td><td>{{if .Anchor}}<a href="#{{.Anchor}}">{{.Cert}}</a>{{else}}{{.Cert}}{{end}}</td><td class="time">{{.From}}</td><td class="time">{{.To}}</td><td class="num outage">{{.For}}</td></tr>
{{- end}}`))

var _ = template.Must(htmlTemplate.New("fleet-scenario").Parse(`
{{- $name := .Sc.Name}}
{{- with .Fleet}}
<ul class="counts">
{{- range .Counts}}
<li{{if .Class}} class="{{.Class}}"{{end}}><span class="n">{{.N}}</span>{{.Label}}</li>
{{- end}}
</ul>
<h3>Certificates that expired or fail at the end: {{.NFailing}}</h3>
{{- if .Causes}}
<table class="causes">
<thead><tr><th>Why</th><th class="num">Certificates</th><th>The most urgent</th></tr></thead>
<tbody>
{{- range .Causes}}
<tr><td>{{.Cause}}</td><td class="num">{{.N}}</td><td>{{range $i, $c := .Certs}}{{if $i}}, {{end}}<a href="#{{$c.Anchor}}">{{$c.ID}}</a>{{end}}{{if .More}} and {{.More}} more{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .Failing}}
<p>The {{len .Failing}} most urgent, the first to expire first; each links to its story and its fix below.</p>
<table class="failing">
<thead><tr><th>Certificate</th><th>Domain</th><th>What happened</th><th>Outage</th><th>Why (the fix is in its story)</th></tr></thead>
<tbody>{{template "fleet-failing-rows" .Failing}}
</tbody>
</table>
{{- if .Failing2}}
<details class="more">
<summary>and {{len .Failing2}} more, most urgent first</summary>
<table class="failing">
<thead><tr><th>Certificate</th><th>Domain</th><th>What happened</th><th>Outage</th><th>Why (the fix is in its story)</th></tr></thead>
<tbody>{{template "fleet-failing-rows" .Failing2}}
</tbody>
</table>
</details>
{{- end}}
{{- else}}
<p>None: every certificate renewed or is not due by the end.</p>
{{- end}}
<h3>Outages: {{.NOutages}}</h3>
{{- if .Outages}}
<p>Stretches in which a resource served an expired certificate, in order of start.</p>
<table class="outages">
<thead><tr><th>Resource</th><th>Certificate served</th><th>From (UTC)</th><th>To (UTC)</th><th class="num">For</th></tr></thead>
<tbody>{{template "fleet-outage-rows" .Outages}}
</tbody>
</table>
{{- if .Outages2}}
<details class="more">
<summary>and {{len .Outages2}} more, in order of start</summary>
<table class="outages">
<thead><tr><th>Resource</th><th>Certificate served</th><th>From (UTC)</th><th>To (UTC)</th><th class="num">For</th></tr></thead>
<tbody>{{template "fleet-outage-rows" .Outages2}}
</tbody>
</table>
</details>
{{- end}}
{{- else}}
<p>No resource served an expired certificate.</p>
{{- end}}
{{- end}}
<figure class="plot">{{.SVG}}
<figcaption>Renewals issued and certificates that expired, per week from Monday, each on its own scale; below, the certificates that expired or fail at the end, most urgent first, coloured by state, with a red strip where a resource served one expired.</figcaption>
</figure>
{{- with .Fleet}}
<h3>Expectations</h3>
{{- if or .Failed .Held}}
<p>{{len .Failed}} of {{.NExpect}} failed.</p>
{{- if .Failed}}
<table class="expect">
<thead><tr><th></th><th>Expectation</th><th>Expected</th><th>Got</th></tr></thead>
<tbody>
{{- range .Failed}}
<tr class="failed"><td class="mark">✗</td><td><code>{{.Text}}</code></td><td>{{.Expected}}</td><td>{{.Got}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .Held}}
<details class="more">
<summary>{{len .Held}} that held</summary>
<table class="expect">
<thead><tr><th></th><th>Expectation</th><th>Expected</th><th>Got</th></tr></thead>
<tbody>
{{- range .Held}}
<tr class="ok"><td class="mark">✓</td><td><code>{{.Text}}</code></td><td>{{.Expected}}</td><td>{{.Got}}</td></tr>
{{- end}}
</tbody>
</table>
</details>
{{- end}}
{{- else}}
<p>This scenario states no expectations.</p>
{{- end}}
{{- if .Alarms}}
<h3>Alarms</h3>
<ul>
{{- range .Alarms}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- if .AlarmBad}}
<table class="alarms">
<thead><tr><th>Alarm</th><th>Rule</th><th>Certificate</th><th class="num">Fired</th><th>First fired</th><th>Lead time</th><th class="num">False alarms</th><th>Missed</th></tr></thead>
<tbody>
{{- range .AlarmBad}}
<tr class="failed"><td><code>{{.Name}}</code></td><td>{{.Rule}}</td><td>{{.Cert}}</td><td class="num">{{.Fired}}</td><td class="time">{{.First}}</td><td>{{.Lead}}</td><td class="num">{{.False}}</td><td>{{.Missed}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .AlarmOK}}
<details class="more">
<summary>{{len .AlarmOK}} certificates no alarm missed</summary>
<table class="alarms">
<thead><tr><th>Alarm</th><th>Rule</th><th>Certificate</th><th class="num">Fired</th><th>First fired</th><th>Lead time</th><th class="num">False alarms</th><th>Missed</th></tr></thead>
<tbody>
{{- range .AlarmOK}}
<tr><td><code>{{.Name}}</code></td><td>{{.Rule}}</td><td>{{.Cert}}</td><td class="num">{{.Fired}}</td><td class="time">{{.First}}</td><td>{{.Lead}}</td><td class="num">{{.False}}</td><td>{{.Missed}}</td></tr>
{{- end}}
</tbody>
</table>
</details>
{{- end}}
{{- end}}
{{- if .Changes}}
<details>
<summary>The scenario's timeline: {{len .Changes}} changes</summary>
<table class="events">
<thead><tr><th>Time (UTC)</th><th>Cert</th><th>Resource</th><th>What changed</th></tr></thead>
<tbody>
{{- range .Changes}}
<tr><td class="time">{{.Time}}</td><td>{{.Cert}}</td><td>{{.Resource}}</td><td class="text">{{.Text}}</td></tr>
{{- end}}
</tbody>
</table>
</details>
{{- end}}
<h3>Certificate by certificate</h3>
<p>Each certificate that expired or fails at the end, most urgent first: what the scenario says of it, why it failed, and from the record its story{{if .Drawn}} and its timeline{{end}}.{{if .NotTold}} The page tells the stories of the {{.Told}} most urgent.{{end}} Then one row for each of the others.</p>
{{- range .Details}}
<details class="cert" id="{{.Anchor}}">
<summary><b>✗ {{.ID}}</b> {{.Domain}}: {{.What}}{{if .Outage}} · <span class="outage">outage {{join .Outage ", "}}</span>{{end}}</summary>
<dl class="facts">
{{- range .Facts}}
<dt>{{.Label}}</dt><dd>{{if .Code}}<code>{{.Value}}</code>{{else}}{{.Value}}{{end}}</dd>
{{- end}}
{{- if .Why}}
<dt>why</dt><dd><b>{{.Cause}}</b>{{range .Why}}<br>{{.}}{{end}}</dd>
{{- end}}
</dl>
` + drillDownTail + `
{{- end}}
{{- if .Others}}
<details class="others">
<summary>The other {{len .Others}} certificates: renewed, or not due by the end</summary>
<table class="others">
<thead><tr><th>Certificate</th><th>Domain</th><th>Outcome</th><th>First renewed at</th><th class="num">Margin before expiry</th><th class="num">Renewals</th></tr></thead>
<tbody>
{{- range .Others}}
<tr id="{{.Anchor}}"><td>{{.ID}}</td><td>{{.Domain}}</td><td class="outcome-{{if eq .Outcome "renewed"}}renewed{{else}}pending{{end}}">{{.Outcome}}</td><td class="time">{{.RenewedAt}}</td><td class="num">{{.Margin}}</td><td class="num">{{.Renewals}}</td></tr>
{{- end}}
</tbody>
</table>
</details>
{{- end}}
<p class="small">The record has {{.Entries}} entries{{if .Events}}: {{.Events}} beside this page holds every one, and <code>renewsim plot {{.Events}} -scenario {{$name}}</code> draws this timeline again from it{{else}}: <code>renewsim run -events FILE</code> writes them all{{end}}.</p>
{{- end}}`))

// failureCause names in a few words why a certificate did not renew, from
// the cause codes of its entries' evidence, in the order diagnose weighs
// them: a CAA refusal after the last failing attempt, e-mail validation,
// ineligibility, then the first name of the last failing attempt.
// Certificates that fail alike share it, so that a fleet's failures can be
// counted by cause.
func failureCause(typ string, ev evidence) string {
	last, window, caa := ev.last, ev.window, ev.caa
	if caa != nil && caa.Detail.OK != nil && !*caa.Detail.OK && (last == nil || !caa.Time.Before(last.Time)) {
		for _, a := range caa.Detail.CAA {
			if !a.OK && a.Cause == sim.CauseCAALookupFailed {
				return "the CAA lookup failed (CAA_ERROR)"
			}
		}
		return "CAA forbids Amazon (CAA_ERROR)"
	}
	if len(ev.domains) > 0 {
		for _, d := range ev.domains {
			if len(ev.delivered[d]) == 0 {
				return "every approval e-mail refused (NO_AVAILABLE_CONTACTS)"
			}
		}
		return "approval e-mails nobody followed"
	}
	if last == nil {
		switch {
		case window != nil && window.Detail.StatusOf().Eligibility == sim.Ineligible && window.Detail.StatusOf().Cause != "":
			return "not eligible: " + window.Detail.StatusOf().Cause.Explain()
		case typ == sim.TypeImported:
			// ACM opens no renewal window for it: nothing in the record
			// says why but its type.
			return "imported: ACM never renews imported certificates"
		}
		return "expired with no failing attempt in the record"
	}
	for _, c := range last.Detail.Checks {
		if c.Status == sim.ValidationSuccess {
			continue
		}
		if label, ok := causeLabels[c.Cause]; ok {
			return label
		}
		switch {
		case c.Cause != "":
			return "validation failed: " + string(c.Cause)
		case c.Rcode != "":
			// A record written before the checks carried causes.
			return "validation failed: " + c.Rcode
		}
		return "validation failed"
	}
	return "validation failed"
}

// causeLabels say the causes of a failing name check in a few words.
var causeLabels = map[sim.Cause]string{
	sim.CauseCNAMEMissing:      "validation CNAME missing (NXDOMAIN)",
	sim.CauseCNAMENoData:       "validation CNAME missing (NODATA)",
	sim.CauseCNAMEWrong:        "validation CNAME points elsewhere",
	sim.CauseCNAMEChainTooLong: "validation CNAME chain too long",
	sim.CauseDNSError:          "DNS error (SERVFAIL, REFUSED or no answer)",
	sim.CauseHTTPUnreachable:   "HTTP validation: nothing answers",
	sim.CauseHTTPTokenMissing:  "HTTP validation: token missing (404)",
	sim.CauseHTTPTokenWrong:    "HTTP validation: wrong token",
	sim.CauseHTTPSProbeFailed:  "HTTPS probe: no certificate reached",
	sim.CauseHTTPSProbeOther:   "HTTPS probe: another certificate served",
	sim.CauseEmailNotSent:      "no approval e-mail sent",
	sim.CauseEmailNotApproved:  "approval e-mails nobody followed",
}

// htmlCause is one cause of failure and the certificates it struck.
type htmlCause struct {
	Cause string
	N     int
	Certs []htmlCauseCert // the first few, most urgent first
	More  int
}

type htmlCauseCert struct{ ID, Anchor string }

// fleetCauseShown is how many certificates a cause names.
const fleetCauseShown = 6

// groupCauses counts the failing certificates by cause, the most
// frequent first (in order of first appearance when as frequent).
func groupCauses(failing []htmlFailing) []htmlCause {
	var out []htmlCause
	at := map[string]int{}
	for _, f := range failing {
		k, ok := at[f.Cause]
		if !ok {
			k = len(out)
			at[f.Cause] = k
			out = append(out, htmlCause{Cause: f.Cause})
		}
		c := &out[k]
		c.N++
		if len(c.Certs) < fleetCauseShown {
			c.Certs = append(c.Certs, htmlCauseCert{f.ID, f.Anchor})
		} else {
			c.More++
		}
	}
	slices.SortStableFunc(out, func(a, b htmlCause) int { return b.N - a.N })
	return out
}
