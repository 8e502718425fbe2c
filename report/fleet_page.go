package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/record"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// Bounds of the drill-down, so that a fleet of 10,000 certificates gives
// a page a browser opens: the most urgent failing certificates get their
// own timeline, more of them their story; the others their verdict.
// Variables only so that tests can lower them.
var (
	fleetDrawn   = 50
	fleetStories = 500
)

// FleetPage is what the fleet page shows: a check's result and the run of
// its scenario.
type FleetPage struct {
	Check *fleet.Report
	// Run is the run of the check's scenario, from result.Build; nil when
	// no certificate could be simulated. Its record tells the stories and
	// draws the timelines of the failing certificates.
	Run *result.Scenario
	// Runs, for a check that ran several scenarios (infrastructure code:
	// one fleet per account and region), is the run of each certificate;
	// a certificate it does not hold is in Run, if anywhere.
	Runs map[*fleet.Entry]*result.Scenario
}

// runOf is the run that holds a certificate's record, or nil.
func (p *FleetPage) runOf(c *fleet.Entry) *result.Scenario {
	if r, ok := p.Runs[c]; ok {
		return r
	}
	return p.Run
}

// runs are every run of the page, in the order of the certificates.
func (p *FleetPage) runs() []*result.Scenario {
	var out []*result.Scenario
	if p.Run != nil {
		out = append(out, p.Run)
	}
	for _, c := range p.Check.Certificates {
		if r := p.Runs[c]; r != nil && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// WriteFleetDir writes the fleet page's directory: fleet-timeline.svg (the
// fleet timeline), index.html (the page, with every plot inline),
// results.json (the check's -json document) and events.jsonl (the record of the run,
// empty when nothing ran). It returns the files written, relative to dir,
// in the order written. The same page gives the same bytes.
func WriteFleetDir(dir string, page *FleetPage) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	out := &outDir{dir: dir}
	svg, err := fleetTimelineSVG(page)
	if err != nil {
		return nil, fmt.Errorf("plot the fleet: %w", err)
	}
	err = out.all(
		file{"fleet-timeline.svg", func(w io.Writer) error { _, err := w.Write(svg); return err }},
		file{"index.html", func(w io.Writer) error { return writeFleetHTML(w, page, svg) }},
		file{"results.json", func(w io.Writer) error { return fleet.WriteJSON(w, page.Check) }},
		file{"events.jsonl", func(w io.Writer) error {
			for _, run := range page.runs() {
				if err := WriteEventLines(w, run.Name, run.Log()); err != nil {
					return err
				}
			}
			return nil
		}},
	)
	return out.written, err
}

// WriteFleetHTML writes the fleet page: one self-contained HTML page
// (inline SVG and CSS, no script, nothing fetched) with the counts, the
// fleet timeline, every certificate in a table most urgent first, the
// shared validation records and the notes, then certificate by
// certificate: for each one that does not renew, its verdict, its
// resources, its story and its own timeline (the story for the 500 most
// urgent, the timeline for the 50 most urgent failing ones), and one line
// with the renewals of each one that renews. Its cost grows with the
// record and the number of certificates, not with their product.
func WriteFleetHTML(w io.Writer, page *FleetPage) error {
	svg, err := fleetTimelineSVG(page)
	if err != nil {
		return fmt.Errorf("plot the fleet: %w", err)
	}
	return writeFleetHTML(w, page, svg)
}

type fleetHTML struct {
	Title, Horizon string
	Assumptions    []string // what the profile assumes where AWS is silent
	Counts         fleet.Counts
	Failing        int
	SVG            template.HTML
	Rows           []fleetHTMLRow
	Shared         []fleet.SharedRecord
	Notes          []string
	Details        []fleetHTMLDetail
	Healthy        []fleetHTMLRow
	Drawn, Told    int // timelines drawn and stories told
	NotTold        int // simulated certificates in the drill-down without a story
	NoRun          bool
	// Change is what a change does to the fleet, nil when the check
	// looked at the fleet as it stands.
	Change *fleetHTMLChange
}

// fleetHTMLChange is the top of the page of a change: the renewals it
// breaks, then what else it does.
type fleetHTMLChange struct {
	Title, When string // "this plan breaks …", "after this plan"
	Breaks      []fleetHTMLRow
	Summary     string
	Lines       []string
}

// fleetHTMLRow is a certificate in the table and in the drill-down.
type fleetHTMLRow struct {
	C           *fleet.Entry
	Headline    string
	Row, Anchor string
	Mark, Class string
	Verdict     string
	Date, More  string
	Domains     string
	Renewals    string
	// For a change: its verdict before the change, and the planned
	// changes that bear on it.
	Before  string
	Planned []string
}

type fleetHTMLDetail struct {
	fleetHTMLRow
	Facts     []fleetFact
	Resources []fleetHTMLResource
	Story     []string
	SVG       template.HTML
	Missing   []string // what the drill-down leaves out, and why
}

type fleetHTMLResource struct {
	ID, Outage string
	Bad        bool
}

func writeFleetHTML(w io.Writer, page *FleetPage, svg []byte) error {
	f := page.Check
	d := fleetHTML{Title: fleetTitle(f), Horizon: fleetHorizon(f), Assumptions: f.Assumptions, Counts: f.Counts, Shared: f.Shared, Notes: f.Notes,
		SVG: inlineSVG(svg, "the fleet timeline"), NoRun: len(page.runs()) == 0}
	d.Failing = d.Counts.Expires + d.Counts.Expired
	if f.Change != "" {
		d.Change = fleetChangeHTML(f)
	}

	// What each run knows of its certificates: their resources and what
	// they served. Built once per run, then looked up.
	type runInfo struct {
		specs     map[string]*sim.Certificate
		resources map[string]*result.Resource
	}
	infos := map[*result.Scenario]*runInfo{}
	infoOf := func(run *result.Scenario) *runInfo {
		if in := infos[run]; in != nil {
			return in
		}
		in := &runInfo{specs: map[string]*sim.Certificate{}, resources: make(map[string]*result.Resource, len(run.Resources))}
		if run.Spec() != nil {
			for i := range run.Spec().Certificates {
				in.specs[run.Spec().Certificates[i].ID] = &run.Spec().Certificates[i]
			}
		}
		for i := range run.Resources {
			in.resources[run.Resources[i].ID] = &run.Resources[i]
		}
		infos[run] = in
		return in
	}

	anchors := map[string]bool{}
	for i := range f.Certificates {
		c := f.Certificates[i]
		base := safeName(c.ID)
		name := base
		for n := 2; anchors[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		anchors[name] = true
		r := fleetHTMLRow{C: c, Headline: f.Headline(c), Row: "row-" + name, Anchor: "cert-" + name, Mark: c.Verdict.Mark(), Class: fleetClass(c.Verdict),
			Verdict: fleetVerdictText(c.Verdict), Date: fleetDate(c), Domains: strings.Join(c.Domains, ", "), Renewals: fleetDays(c.Renewals)}
		if n := len(c.Renewals); c.Verdict == fleet.VerdictRenews && n > 1 {
			r.More = fmt.Sprintf("and %s by %s", fleetMore(n-1), fleetDay(f.Until))
		}
		if f.Change != "" {
			r.Before = "did not exist: this " + f.Change + " creates it"
			if c.Before != nil {
				r.Before = f.BeforeHeadline(c)
			}
			for _, p := range c.Planned {
				r.Planned = append(r.Planned, fmt.Sprintf("%s (%s): %s", p.Address, p.Action, p.Effect))
			}
			if c.Difference == fleet.DiffBreaks {
				d.Change.Breaks = append(d.Change.Breaks, r)
			}
		}
		if c.Verdict == fleet.VerdictRenews {
			d.Healthy = append(d.Healthy, r)
			d.Rows = append(d.Rows, r)
			continue
		}
		d.Rows = append(d.Rows, r)
		det := fleetHTMLDetail{fleetHTMLRow: r}
		det.Facts = fleetFacts(c)
		if c.Address != "" {
			det.Facts = append([]fleetFact{{"address", c.Address, true}}, det.Facts...)
		}
		if run := page.runOf(c); run != nil && c.Simulated {
			info := infoOf(run)
			var inUse []string
			if spec := info.specs[c.ID]; spec != nil {
				inUse = spec.InUseBy
			}
			for _, id := range inUse {
				res := fleetHTMLResource{ID: id, Outage: "no outage"}
				if rr := info.resources[id]; rr != nil && rr.OutageSeconds > 0 && len(rr.Windows) > 0 {
					res.Outage = fmt.Sprintf("OUTAGE %s: serves an expired certificate from %s UTC", rr.Outage, ts(rr.Windows[0].Start))
					res.Bad = true
				}
				det.Resources = append(det.Resources, res)
			}
			idx := run.Index()
			if d.Told < fleetStories {
				det.Story = story(run.Log(), idx.CertEntries(c.ID))
				d.Told++
			} else {
				det.Missing = append(det.Missing, fmt.Sprintf("Its story is left out: the page tells the %d most urgent; events.jsonl holds every entry.", fleetStories))
				d.NotTold++
			}
			if ciFailed(c) && d.Drawn < fleetDrawn {
				title := c.ID
				if len(c.Domains) > 0 {
					title += " (" + c.Domains[0] + ")"
				}
				b, err := certTimeline(run, c.ID, title, inUse).svg()
				if err != nil {
					return fmt.Errorf("plot %s: %w", c.ID, err)
				}
				det.SVG = inlineSVG(b, c.ID)
				d.Drawn++
			} else if ciFailed(c) {
				det.Missing = append(det.Missing, fmt.Sprintf("Its timeline is not drawn: the page draws the %d most urgent.", fleetDrawn))
			}
		}
		d.Details = append(d.Details, det)
	}
	var buf bytes.Buffer
	if err := fleetTemplate.Execute(&buf, d); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// fleetChangeHTML says at the top of the page what the change does; the
// breaks are added row by row.
func fleetChangeHTML(f *fleet.Report) *fleetHTMLChange {
	this := "this " + f.Change
	ch := &fleetHTMLChange{When: "after " + this, Title: this + " breaks no certificate renewal"}
	if len(f.Breaks) > 0 {
		ch.Title = this + " breaks the renewal of " + sim.Count(len(f.Breaks), "certificate")
	}
	by := map[string][]*fleet.Entry{}
	for _, e := range f.Certificates {
		by[e.Difference] = append(by[e.Difference], e)
	}
	ch.Summary = fmt.Sprintf("It fixes %d, creates %d, deletes %d and leaves %d unchanged.", len(by[fleet.DiffFixes]), len(by[fleet.DiffCreated]), len(f.Deleted), len(by[fleet.DiffUnchanged]))
	for _, e := range by[fleet.DiffFixes] {
		ch.Lines = append(ch.Lines, fmt.Sprintf("fixes %s: %s (before: %s)", e.Name(), f.Headline(e), f.BeforeHeadline(e)))
	}
	for _, e := range by[fleet.DiffCreated] {
		ch.Lines = append(ch.Lines, fmt.Sprintf("creates %s: %s", e.Name(), f.Headline(e)))
	}
	for _, a := range f.Deleted {
		ch.Lines = append(ch.Lines, "deletes "+a)
	}
	for _, e := range by[fleet.DiffUnchanged] {
		switch {
		case fleetFailing(e.Verdict) && e.Before != nil && fleetFailing(e.Before.Verdict):
			ch.Lines = append(ch.Lines, fmt.Sprintf("%s does not renew before %s either, so it is not %s's doing: %s", e.Name(), this, this, f.Headline(e)))
		case fleetFailing(e.Verdict):
			ch.Lines = append(ch.Lines, fmt.Sprintf("%s does not renew after %s: %s (before: %s)", e.Name(), this, f.Headline(e), f.BeforeHeadline(e)))
		}
	}
	return ch
}

// fleetFact is one line of a certificate's drill-down.
type fleetFact struct {
	Label, Value string
	Code         bool
}

// fleetFacts are what the exports said of a certificate.
func fleetFacts(c *fleet.Entry) []fleetFact {
	var out []fleetFact
	if c.ARN != "" {
		out = append(out, fleetFact{"ARN", c.ARN, true})
	}
	var kind []string
	if c.Type != "" {
		kind = append(kind, c.Type)
	}
	if c.Status != "" {
		kind = append(kind, c.Status)
	}
	if !c.NotAfter.IsZero() {
		kind = append(kind, "not after "+ts(c.NotAfter)+" UTC")
	}
	if len(kind) > 0 {
		out = append(out, fleetFact{"exported", strings.Join(kind, ", "), false})
	}
	if !c.Simulated {
		out = append(out, fleetFact{"simulated", "no: the verdict comes from the exports alone", false})
	}
	return out
}

func fleetClass(verdict fleet.Verdict) string {
	switch verdict {
	case fleet.VerdictRenews:
		return "good"
	case fleet.VerdictExpires, fleet.VerdictExpired:
		return "bad"
	case fleet.VerdictNotIssued:
		return "muted"
	}
	return "unknown"
}

// fleetMore counts further occurrences: "once more", "twice more", "3
// more times", as the check says it.
func fleetMore(n int) string {
	switch n {
	case 1:
		return "once more"
	case 2:
		return "twice more"
	}
	return fmt.Sprintf("%d more times", n)
}

// certTimeline is the timeline of one certificate and the resources that
// use it, read from their own entries: a copy of those entries, in record
// order, is all it visits.
func certTimeline(s *result.Scenario, id, title string, resources []string) *Timeline {
	idx := s.Index()
	at := slices.Clone(idx.CertEntries(id))
	for _, r := range resources {
		at = append(at, idx.ResourceEntries(r)...)
	}
	slices.Sort(at)
	at = slices.Compact(at)
	sub := make([]sim.Entry, len(at))
	for i, p := range at {
		sub[i] = s.Log()[p]
	}
	end := idx.EndOr(s.Until)
	t := &Timeline{Scenario: title, Profile: s.Profile, Seed: fmt.Sprint(s.Seed), Start: s.Start, End: end}
	sx := record.New(sub)
	t.Lanes = append(t.Lanes, certLane(id, sub, sx.CertEntries(id), end))
	for _, r := range resources {
		t.Lanes = append(t.Lanes, resourceLane(r, sub, sx, end))
	}
	t.markers(sub)
	return t
}

var fleetTemplate = template.Must(template.New("fleet").Funcs(template.FuncMap{
	"num": fleetThousands,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>renewsim check: {{.Title}}</title>
<style>
:root { color-scheme: light; }
body { font: 14px/1.45 "Liberation Sans", Arial, Helvetica, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 1240px; padding: 20px 24px 48px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 20px; margin: 32px 0 6px; padding-top: 12px; border-top: 3px solid #e3e5e8; }
h3 { font-size: 15px; margin: 18px 0 4px; }
a { color: #1f5fa8; }
.meta { color: #5f6368; margin: 0 0 12px; }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 14px; padding: 0; list-style: none; }
.counts li { border: 1px solid #e3e5e8; border-radius: 6px; padding: 6px 14px; min-width: 92px; }
.counts .n { display: block; font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.counts li.bad { border-color: #b2182b; color: #b2182b; }
.counts li.good .n { color: #1b7f3b; }
.counts li.unknown .n { color: #9c3d00; }
figure.plot { margin: 10px 0; border: 1px solid #e3e5e8; border-radius: 6px; padding: 4px; background: #fff; }
figure.plot svg { display: block; width: 100%; height: auto; }
figcaption { color: #5f6368; font-size: 12.5px; padding: 2px 6px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e3e5e8; vertical-align: top; }
th { background: #f3f4f6; font-weight: 700; font-size: 13px; position: sticky; top: 0; }
table.certs { font-size: 13px; }
table.certs td.mark { font-weight: 700; width: 1.2em; }
table.certs td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.certs td.text { word-break: break-word; }
tr.bad td { background: #fdecea; }
tr.bad td.mark, tr.bad td.verdict { color: #b2182b; font-weight: 700; }
tr.good td.mark { color: #1b7f3b; }
tr.unknown td { background: #fff6e5; }
tr.unknown td.mark, tr.unknown td.verdict { color: #9c3d00; font-weight: 700; }
tr.muted td { color: #5f6368; }
.small { font-size: 12px; color: #5f6368; }
ul.notes { margin: 0; padding-left: 18px; }
code { font-family: "Liberation Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; word-break: break-all; }
details.cert { margin: 6px 0; border: 1px solid #e3e5e8; border-left: 4px solid #9aa0a6; border-radius: 4px; padding: 2px 10px; }
details.cert.bad { border-left-color: #b2182b; }
details.cert.unknown { border-left-color: #d35400; }
details.cert > summary { cursor: pointer; padding: 4px 0; }
details.cert > summary b { margin-right: 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
dl.facts dt { color: #5f6368; }
dl.facts dd { margin: 0; }
.outage { color: #b2182b; font-weight: 700; }
pre.story { font: 12px/1.4 "Liberation Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; background: #f8f9fa; border-radius: 4px; padding: 8px; margin: 6px 0; }
ul.healthy { columns: 1; padding-left: 18px; font-size: 13px; }
footer { margin-top: 40px; color: #5f6368; font-size: 12px; }
@media print { details { display: block; } th { position: static; } }
</style>
</head>
<body>
<header>
<h1>renewsim check</h1>
<p class="meta">{{with .Change}}{{.When}}: {{end}}{{.Title}}, {{.Horizon}} (virtual time, UTC)</p>
{{- range .Assumptions}}
<p class="meta">{{.}}</p>
{{- end}}
<ul class="counts">
<li class="good"><span class="n">{{num .Counts.Renews}}</span>renew</li>
<li{{if .Counts.Expires}} class="bad"{{end}}><span class="n">{{num .Counts.Expires}}</span>expire</li>
<li{{if .Counts.Expired}} class="bad"{{end}}><span class="n">{{num .Counts.Expired}}</span>already expired</li>
<li><span class="n">{{num .Counts.NotIssued}}</span>not issued</li>
<li{{if .Counts.CannotTell}} class="unknown"{{end}}><span class="n">{{num .Counts.CannotTell}}</span>cannot tell</li>
<li{{if .Counts.Undecided}} class="unknown"{{end}}><span class="n">{{num .Counts.Undecided}}</span>undecided</li>
</ul>
</header>
{{- with .Change}}
<h2 id="change">{{.Title}}</h2>
{{- if .Breaks}}
<table class="certs breaks">
<thead><tr><th></th><th>Certificate</th><th>Domains</th><th>{{.When}}</th><th>Before</th><th>Planned changes that bear on it</th></tr></thead>
<tbody>
{{- range .Breaks}}
<tr class="{{.Class}}"><td class="mark">{{.Mark}}</td><td><a href="#{{.Anchor}}"><code>{{.C.Name}}</code></a></td><td class="text">{{.Domains}}</td><td class="text">{{.Headline}}{{if .C.Fix}}<br><span class="small">fix: {{.C.Fix}}</span>{{end}}</td><td class="text">{{.Before}}</td><td class="text">{{if .Planned}}<ul class="notes">{{range .Planned}}<li>{{.}}</li>{{end}}</ul>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
<p>{{.Summary}}</p>
{{- if .Lines}}
<ul>
{{- range .Lines}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- end}}
<figure class="plot">{{.SVG}}
<figcaption>Renewals issued and certificates that expire without renewal, per week from Monday; below, the certificates that expire or have already expired, most urgent first, coloured by state. Certificates already expired before the check are counted above the table, not in the weekly bars.</figcaption>
</figure>
<h2 id="certificates">Certificates, most urgent first</h2>
<table class="certs">
<thead><tr><th></th><th>Domains</th><th>ID</th><th>Verdict</th><th>Date</th><th>Reason</th><th>Fix</th>{{if .Change}}<th>Before</th>{{end}}<th>Notes</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr id="{{.Row}}" class="{{.Class}}"><td class="mark">{{.Mark}}</td><td class="text">{{.Domains}}</td><td><a href="#{{.Anchor}}">{{.C.ID}}</a>{{if .C.Address}}<br><code>{{.C.Address}}</code>{{end}}</td><td class="verdict">{{.Verdict}}</td><td class="date">{{.Date}}{{if .More}}<br><span class="small">{{.More}}</span>{{end}}</td><td class="text">{{.C.Reason}}</td><td class="text">{{.C.Fix}}</td>{{if $.Change}}<td class="text">{{.Before}}</td>{{end}}<td class="text">{{if .C.Notes}}<ul class="notes">{{range .C.Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if .Shared}}
<h2 id="shared">Shared validation records</h2>
<p>Deleting one of these records (for example with the stack that created it) breaks the renewal of every certificate listed.</p>
<table>
<thead><tr><th>Record</th><th>Value</th><th>Certificates</th></tr></thead>
<tbody>
{{- range .Shared}}
<tr><td><code>{{.Record}}</code></td><td><code>{{.Value}}</code></td><td>{{range $i, $c := .Certificates}}{{if $i}}, {{end}}{{$c}}{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .Notes}}
<h2 id="notes">Notes on the fleet</h2>
<ul>
{{- range .Notes}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
<h2 id="drill-down">Certificate by certificate</h2>
{{- if .Details}}
<p>Every certificate that does not renew, most urgent first: what the exports said, its verdict, the resources that use it and, from the run, its story{{if .Drawn}} and its timeline{{end}}.{{if .NoRun}} Nothing was simulated, so there is no story to tell.{{end}}{{if .NotTold}} The page tells the stories of the {{num .Told}} most urgent; events.jsonl holds every entry.{{end}}</p>
{{- range .Details}}
<details class="cert {{.Class}}" id="{{.Anchor}}">
<summary><b>{{.Mark}} {{.Domains}}</b> {{.Headline}}</summary>
<dl class="facts">
<dt>id</dt><dd>{{.C.ID}} (<a href="#{{.Row}}">in the table</a>)</dd>
{{- range .Facts}}
<dt>{{.Label}}</dt><dd>{{if .Code}}<code>{{.Value}}</code>{{else}}{{.Value}}{{end}}</dd>
{{- end}}
{{- if .C.Renewals}}
<dt>renewals</dt><dd>{{.Renewals}}</dd>
{{- end}}
{{- if .C.Fix}}
<dt>fix</dt><dd>{{.C.Fix}}</dd>
{{- end}}
{{- range .C.Notes}}
<dt>note</dt><dd>{{.}}</dd>
{{- end}}
{{- if $.Change}}
<dt>before</dt><dd>{{.Before}}</dd>
{{- range .Planned}}
<dt>planned</dt><dd>{{.}}</dd>
{{- end}}
{{- end}}
{{- range .Resources}}
<dt>used by</dt><dd>{{.ID}}: <span{{if .Bad}} class="outage"{{end}}>{{.Outage}}</span></dd>
{{- end}}
</dl>
` + drillDownTail + `
{{- end}}
{{- else}}
<p>Every certificate renews.</p>
{{- end}}
{{- if .Healthy}}
<h3 id="renewing">Certificates that renew: {{num (len .Healthy)}}</h3>
<ul class="healthy">
{{- range .Healthy}}
<li id="{{.Anchor}}"><a href="#{{.Row}}">{{.C.ID}}</a> ({{.Domains}}): renewed {{.Renewals}}</li>
{{- end}}
</ul>
{{- end}}
<footer>Written by renewsim check. Every time on this page is virtual (UTC); the same exports, -now and profile give the same page.</footer>
</body>
</html>
`))

// drillDownTail ends a certificate's drill-down section, on the fleet page
// and in a scenario's report at fleet size alike: its timeline, its story
// from the record, what the record does not say.
const drillDownTail = `{{- if .SVG}}
<figure class="plot">{{.SVG}}</figure>
{{- end}}
{{- if .Story}}
<pre class="story">{{range .Story}}{{.}}
{{end}}</pre>
{{- end}}
{{- range .Missing}}
<p class="small">{{.}}</p>
{{- end}}
</details>`
