package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// WriteHTML writes the HTML report of a run: one self-contained page
// (inline SVG and CSS, no script, nothing fetched) with a summary table and,
// per scenario, its timeline, its expectations and its event log.
func WriteHTML(w io.Writer, s *result.Summary) error {
	svgs := make([][]byte, len(s.Scenarios))
	for i := range s.Scenarios {
		b, err := TimelineOf(&s.Scenarios[i]).svg()
		if err != nil {
			return fmt.Errorf("plot %s: %w", s.Scenarios[i].Name, err)
		}
		svgs[i] = b
	}
	return writeHTML(w, s, svgs)
}

type htmlPage struct {
	Title               string
	Passed              bool
	N, NPassed, NFailed int
	Lines               []htmlSummaryLine
	Scenarios           []htmlScenario
}

// htmlSummaryLine is one row of the summary table: one certificate, with
// the scenario's cells spanning its certificates.
type htmlSummaryLine struct {
	First bool
	Span  int
	Row   summaryRow
	Cert  certCell
}

type htmlScenario struct {
	Anchor      string
	Sc          *result.Scenario
	Description string
	Span        string
	Verdict     string
	Bad         bool
	SVG         template.HTML
	Expect      []htmlExpect
	Why         []string
	Events      []eventRow
	Entries     int
	Alarms      []htmlAlarm
}

type htmlExpect struct {
	Passed              bool
	Text, Expected, Got string
}

func writeHTML(w io.Writer, s *result.Summary, svgs [][]byte) error {
	rows := summaryRows(s)
	page := htmlPage{N: len(s.Scenarios), Passed: s.Passed()}
	for _, r := range rows {
		if r.Passed {
			page.NPassed++
		}
		n := max(len(r.Certs), 1)
		for i := 0; i < n; i++ {
			l := htmlSummaryLine{First: i == 0, Span: n, Row: r}
			if i < len(r.Certs) {
				l.Cert = r.Certs[i]
			}
			page.Lines = append(page.Lines, l)
		}
	}
	page.NFailed = page.N - page.NPassed
	page.Title = fmt.Sprintf("%s, %d passed, %d failed", sim.Count(page.N, "scenario"), page.NPassed, page.NFailed)
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		tl := TimelineOf(sc)
		h := htmlScenario{Anchor: rows[i].Anchor, Sc: sc, Entries: len(sc.Log()), Events: eventRows(sc.Log())}
		h.Verdict, h.Bad = tl.Verdict()
		h.Span = fmt.Sprintf("%s → %s", ts(sc.Start), ts(sc.Until))
		if sc.Spec() != nil {
			h.Description = strings.TrimSpace(sc.Spec().Description)
		}
		if i < len(svgs) {
			h.SVG = inlineSVG(svgs[i], sc.Name)
		}
		for _, e := range sc.Expectations {
			exp, got := splitDetail(e.Detail)
			h.Expect = append(h.Expect, htmlExpect{Passed: e.Passed, Text: e.Text, Expected: exp, Got: got})
		}
		h.Alarms = htmlAlarms(sc.Alarms)
		idx := sc.Index()
		for _, c := range sc.Certificates {
			if c.Final() == sim.OutcomeRenewed {
				continue
			}
			for j, line := range diagnose(sc.Spec(), sc.Log(), finalCycleEntries(sc.Log(), idx.CertEntries(c.ID))) {
				line = strings.TrimPrefix(strings.TrimSpace(line), "why: ")
				if j == 0 {
					line = c.ID + ": " + line
				}
				h.Why = append(h.Why, line)
			}
		}
		page.Scenarios = append(page.Scenarios, h)
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, page); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

var svgPrologue = regexp.MustCompile(`(?s)^.*?<svg [^>]*?viewBox="([^"]*)"[^>]*>`)

// inlineSVG makes a standalone SVG document fit for an HTML page: no XML
// prologue, no namespaces (the HTML parser knows SVG), and sized by CSS.
func inlineSVG(svg []byte, name string) template.HTML {
	m := svgPrologue.FindSubmatchIndex(svg)
	if m == nil {
		return ""
	}
	viewBox := string(svg[m[2]:m[3]])
	head := fmt.Sprintf(`<svg viewBox="%s" role="img" aria-label="%s">`, template.HTMLEscapeString(viewBox),
		template.HTMLEscapeString("timeline of "+name))
	return template.HTML(head + string(svg[m[1]:]))
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"verdict": verdict,
	"lower":   strings.ToLower,
	"join":    strings.Join,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>renewsim: {{.Title}}</title>
<style>
:root { color-scheme: light; }
body { font: 14px/1.45 "Liberation Sans", Arial, Helvetica, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 1240px; padding: 20px 24px 48px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 20px; margin: 0 0 4px; display: flex; align-items: center; gap: 10px; }
h3 { font-size: 15px; margin: 18px 0 4px; }
a { color: #1f5fa8; }
.totals { font-size: 16px; font-weight: 700; margin: 0 0 14px; }
.totals.pass, .verdict.good { color: #1b7f3b; }
.totals.fail, .verdict.bad, .outage, .outcome-expired { color: #b2182b; }
.outage, .outcome-expired { font-weight: 700; }
.outcome-renewed { color: #1b7f3b; font-weight: 700; }
.outcome-pending { color: #9c3d00; font-weight: 700; }
.badge { display: inline-block; min-width: 40px; text-align: center; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; color: #fff; letter-spacing: .03em; }
.badge.pass { background: #1b7f3b; }
.badge.fail { background: #b2182b; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid #e3e5e8; vertical-align: top; }
th { background: #f3f4f6; font-weight: 700; font-size: 13px; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.scenario-start td { border-top: 2px solid #c9ccd1; }
section.scenario { margin: 32px 0 0; padding-top: 16px; border-top: 3px solid #e3e5e8; }
section.scenario.fail { border-top-color: #b2182b; }
.meta { color: #5f6368; margin: 0 0 4px; }
.verdict { font-weight: 700; margin: 2px 0 6px; }
.desc { margin: 4px 0 8px; max-width: 900px; }
figure.plot { margin: 10px 0; border: 1px solid #e3e5e8; border-radius: 6px; padding: 4px; background: #fff; }
figure.plot svg { display: block; width: 100%; height: auto; }
table.expect td.mark { width: 1.5em; font-weight: 700; }
tr.ok td.mark { color: #1b7f3b; }
tr.failed td { background: #fdecea; }
tr.failed td.mark { color: #b2182b; }
code { font-family: "Liberation Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
ul.why { margin: 4px 0 8px; padding-left: 20px; }
ul.why li:first-child { color: #b2182b; font-weight: 700; }
details { margin: 8px 0; }
details > summary { cursor: pointer; font-weight: 700; padding: 4px 0; }
table.events { font-size: 12.5px; }
table.events tr.bad td { background: #fdf1ef; }
table.events td.text { word-break: break-word; }
footer { margin-top: 40px; color: #5f6368; font-size: 12px; }
@media print { details { display: block; } }
</style>
</head>
<body>
<header>
<h1>renewsim report</h1>
<p class="totals {{if .Passed}}pass{{else}}fail{{end}}">{{.N}} scenario{{if ne .N 1}}s{{end}} · {{.NPassed}} passed · {{.NFailed}} failed</p>
</header>
<table class="summary">
<thead><tr><th>Scenario</th><th>Result</th><th>Certificate</th><th>Outcome</th><th>Renewed at</th><th>Margin before expiry</th><th>Outage</th><th class="num">Expectations passed</th></tr></thead>
<tbody>
{{- range .Lines}}
<tr{{if .First}} class="scenario-start"{{end}}>
{{- if .First}}<td rowspan="{{.Span}}"><a href="#{{.Row.Anchor}}">{{.Row.Name}}</a></td><td rowspan="{{.Span}}"><span class="badge {{lower (verdict .Row.Passed)}}">{{verdict .Row.Passed}}</span></td>{{end -}}
{{- if .Cert.ID}}<td>{{.Cert.ID}}</td><td class="outcome-{{.Cert.Final}}">{{.Cert.Outcome}}</td><td class="time">{{.Cert.RenewedAt}}</td><td class="num">{{.Cert.Margin}}</td>{{else}}<td colspan="4">no certificate</td>{{end -}}
{{- if .First}}<td rowspan="{{.Span}}"{{if .Row.Outage}} class="outage"{{end}}>{{if .Row.Outage}}{{join .Row.Outage ", "}}{{else}}none{{end}}</td><td rowspan="{{.Span}}" class="num">{{.Row.Expect}}</td>{{end -}}
</tr>
{{- end}}
</tbody>
</table>
{{range .Scenarios}}
<section class="scenario {{lower (verdict .Sc.Passed)}}" id="{{.Anchor}}">
<h2><span class="badge {{lower (verdict .Sc.Passed)}}">{{verdict .Sc.Passed}}</span> {{.Sc.Name}}</h2>
<p class="meta">{{.Sc.File}} · profile {{.Sc.Profile}} · seed {{.Sc.Seed}} · {{.Span}} (virtual time, UTC)</p>
<p class="verdict {{if .Bad}}bad{{else}}good{{end}}">{{.Verdict}}</p>
{{- if .Description}}
<p class="desc">{{.Description}}</p>
{{- end}}
<figure class="plot">{{.SVG}}</figure>
{{- if .Why}}
<h3>Why</h3>
<ul class="why">
{{- range .Why}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Alarms}}
<h3>Alarms</h3>
<table class="alarms">
<thead><tr><th>Alarm</th><th>Rule</th><th>Certificate</th><th class="num">Fired</th><th>First fired</th><th>Lead time</th><th class="num">False alarms</th><th>Missed</th></tr></thead>
<tbody>
{{- range .Alarms}}
<tr{{if .Bad}} class="failed"{{end}}><td><code>{{.Name}}</code></td><td>{{.Rule}}</td><td>{{.Cert}}</td><td class="num">{{.Fired}}</td><td class="time">{{.First}}</td><td>{{.Lead}}</td><td class="num">{{.False}}</td><td>{{.Missed}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
<h3>Expectations</h3>
{{- if .Expect}}
<table class="expect">
<thead><tr><th></th><th>Expectation</th><th>Expected</th><th>Got</th></tr></thead>
<tbody>
{{- range .Expect}}
<tr class="{{if .Passed}}ok{{else}}failed{{end}}"><td class="mark">{{if .Passed}}✓{{else}}✗{{end}}</td><td><code>{{.Text}}</code></td><td>{{.Expected}}</td><td>{{.Got}}</td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>This scenario states no expectations.</p>
{{- end}}
<details>
<summary>Event log: {{.Entries}} entries{{if ne .Entries (len .Events)}} in {{len .Events}} rows (runs of validation attempts folded){{end}}</summary>
<table class="events">
<thead><tr><th>Time (UTC)</th><th>Kind</th><th>Cert</th><th>Resource</th><th>What happened</th></tr></thead>
<tbody>
{{- range .Events}}
<tr{{if .Bad}} class="bad"{{end}}><td class="time">{{.Time}}{{if .Until}} –<br>{{.Until}}{{end}}</td><td>{{.Kind}}{{if gt .Count 1}} ×{{.Count}}{{end}}</td><td>{{.Cert}}</td><td>{{.Resource}}</td><td class="text">{{.Text}}</td></tr>
{{- end}}
</tbody>
</table>
</details>
</section>
{{- end}}
<footer>Written by renewsim. Every time in this report is virtual (UTC); the same scenarios and seeds give the same report.</footer>
</body>
</html>
`))
