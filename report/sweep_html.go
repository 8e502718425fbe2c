package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"os"
	"regexp"

	"github.com/renewsim/renewsim/sim"
	"github.com/renewsim/renewsim/sweep"
)

// sweepHTMLRows bounds the table of variants on the page; the CSV and
// JSON Lines files hold every variant.
const sweepHTMLRows = 1000

// SweepPage says what a sweep page shows.
type SweepPage struct {
	// Command is how the sweep was run, shown as typed (optional).
	Command  string
	Variants []sweep.Variant
	// Plots are the charts to show; nil draws SweepPlots(Variants).
	Plots []SweepPlot
	// Files are the files next to the page, linked from it (optional).
	Files []string
}

// WriteSweepHTML writes a sweep as one self-contained HTML page (inline
// SVG and CSS, no script, nothing fetched): the aggregate, the charts and a
// table of the variants (the first 1000). The same page gives the same
// bytes. The report index can link to it as sweep.html.
func WriteSweepHTML(w io.Writer, page SweepPage) error {
	plots := page.Plots
	if plots == nil {
		var err error
		if plots, err = SweepPlots(page.Variants); err != nil {
			return err
		}
	}
	agg := sweep.Sum(page.Variants)
	cols := sweep.ColumnsOf(page.Variants)
	d := sweepHTMLData{Title: "Sweep of " + agg.Scenario, Command: page.Command, Describe: describeSweep(&agg), Files: page.Files,
		Runs: cols.Runs, ParamCols: cols.Params, SampledCols: cols.Sampled, CertCols: cols.Certs, ResourceCols: cols.Resources}
	n := agg.Variants
	for _, c := range agg.Certificates {
		d.Certs = append(d.Certs, sweepHTMLCert{ID: c.ID, Renewed: c.Renewed, Expired: c.Expired, Pending: c.Pending,
			PExpired: sweepPct(c.Expired, n), P5: sweepMarginText(c.MarginP5), P50: sweepMarginText(c.MarginP50),
			P95: sweepMarginText(c.MarginP95), Min: sweepMarginText(c.MarginMin), Max: sweepMarginText(c.MarginMax), Bad: c.Expired > 0})
	}
	for _, r := range agg.Resources {
		d.Resources = append(d.Resources, sweepHTMLResource{ID: r.ID, POutage: sweepPct(r.WithOutage, n),
			P50: sim.FormatDuration(r.OutageP50), P95: sim.FormatDuration(r.OutageP95), Max: sim.FormatDuration(r.OutageMax), Bad: r.WithOutage > 0})
	}
	d.AnyExpired, d.AnyOutage = sweepPct(agg.AnyExpired, n), sweepPct(agg.AnyOutage, n)
	for _, a := range agg.Alarms {
		d.Alarms = append(d.Alarms, sweepHTMLAlarm{Name: a.Name, Fired: sweepPct(a.Fired, n), Warned: sweepPct(a.Warned, n),
			Missed: sweepPct(a.Missed, n), False: fmt.Sprintf("%d in %d", a.FalseAlarms, a.WithFalse),
			P5: sweepMarginText(a.LeadP5), P50: sweepMarginText(a.LeadP50), Min: sweepMarginText(a.LeadMin),
			Bad: a.Missed > 0, Noisy: a.FalseAlarms > 0})
	}
	for _, p := range plots {
		d.Plots = append(d.Plots, sweepHTMLPlot{Title: p.Title, SVG: sweepInlineSVG(p.SVG, p.Title)})
	}
	for i, v := range page.Variants {
		if i == sweepHTMLRows {
			d.Truncated = fmt.Sprintf("The first %d of %d variants; every variant is in the CSV and JSON Lines files.", sweepHTMLRows, n)
			break
		}
		row := sweepHTMLRow{Index: v.Index}
		if v.Run != nil {
			row.Run = fmt.Sprint(*v.Run)
		}
		for _, p := range cols.Params {
			s, _ := v.Params.Value(p)
			row.Params = append(row.Params, s)
		}
		for _, p := range cols.Sampled {
			s, _ := v.Sampled.Value(p)
			row.Params = append(row.Params, s)
		}
		certs := lastByID(v.Certificates, func(x *sweep.Cert) string { return x.ID })
		for _, id := range cols.Certs {
			cell := sweepHTMLCell{}
			if i, ok := certs[id]; ok {
				c := &v.Certificates[i]
				cell.Text = string(c.Outcome)
				if c.Margin != nil {
					cell.Text += ", margin " + *c.Margin
				}
				m, ok := c.MarginDuration()
				cell.Bad = c.Outcome != "renewed" || !ok || m < 0
			}
			row.Cells = append(row.Cells, cell)
		}
		resources := lastByID(v.Resources, func(x *sweep.Resource) string { return x.ID })
		for _, id := range cols.Resources {
			cell := sweepHTMLCell{}
			if i, ok := resources[id]; ok {
				r := &v.Resources[i]
				cell.Text = r.Outage
				cell.Bad = r.OutageSeconds > 0
			}
			row.Cells = append(row.Cells, cell)
		}
		d.Rows = append(d.Rows, row)
	}
	var buf bytes.Buffer
	if err := sweepHTMLTemplate.Execute(&buf, d); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

type sweepHTMLData struct {
	Title, Command, Describe string
	Files                    []string
	Certs                    []sweepHTMLCert
	Resources                []sweepHTMLResource
	AnyExpired, AnyOutage    string
	Alarms                   []sweepHTMLAlarm
	Plots                    []sweepHTMLPlot
	Runs                     bool
	ParamCols, SampledCols   []string
	CertCols, ResourceCols   []string
	Rows                     []sweepHTMLRow
	Truncated                string
}

type sweepHTMLCert struct {
	ID                        string
	Renewed, Expired, Pending int
	PExpired                  string
	P5, P50, P95, Min, Max    string
	Bad                       bool
}

type sweepHTMLResource struct {
	ID, POutage, P50, P95, Max string
	Bad                        bool
}

type sweepHTMLAlarm struct {
	Name, Fired, Warned, Missed, False string
	P5, P50, Min                       string
	Bad, Noisy                         bool
}

type sweepHTMLPlot struct {
	Title string
	SVG   template.HTML
}

type sweepHTMLRow struct {
	Index  int
	Run    string
	Params []string
	Cells  []sweepHTMLCell
}

type sweepHTMLCell struct {
	Text string
	Bad  bool
}

var sweepSVGHead = regexp.MustCompile(`(?s)^.*?<svg [^>]*?viewBox="([^"]*)"[^>]*>`)

// sweepInlineSVG makes an SVG document fit for an HTML page: no prologue,
// sized by CSS, labelled for screen readers.
func sweepInlineSVG(svg []byte, label string) template.HTML {
	m := sweepSVGHead.FindSubmatchIndex(svg)
	if m == nil {
		return ""
	}
	head := fmt.Sprintf(`<svg viewBox="%s" role="img" aria-label="%s">`,
		template.HTMLEscapeString(string(svg[m[2]:m[3]])), template.HTMLEscapeString(label))
	return template.HTML(head + string(svg[m[1]:]))
}

var sweepHTMLTemplate = template.Must(template.New("sweep").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:'Liberation Sans',Arial,Helvetica,sans-serif;color:#1a1a1a;margin:2rem auto;max-width:1100px;padding:0 1rem;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.25rem}
h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dadce0;padding-bottom:.25rem}
code{background:#f1f3f4;padding:.1rem .3rem;border-radius:3px;word-break:break-all}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #dadce0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f8f9fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b2182b;font-weight:bold}
.ok{color:#1b7f3b}
figure{margin:1rem 0}
figure svg{width:100%;height:auto;max-width:960px;display:block}
figcaption{color:#5f6368;font-size:.85rem}
.note{color:#5f6368;font-size:.85rem}
.scroll{overflow-x:auto}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>{{.Describe}}</p>
{{if .Command}}<p><code>{{.Command}}</code></p>{{end}}
<p class="note">A sweep explores: the scenario's expectations are not checked. The margin of a certificate is its expiry minus the time the last resource that used it began to serve the renewed certificate; below zero, clients saw an expired certificate. "none" is a certificate that was not renewed, or not served before the run ended; it counts as the smallest margin. Percentiles use the nearest-rank method.</p>

<h2>Certificates</h2>
<table>
<tr><th>certificate</th><th>renewed</th><th>expired</th><th>pending</th><th>P(expired)</th><th>margin p5</th><th>p50</th><th>p95</th><th>min</th><th>max</th></tr>
{{range .Certs}}<tr><td>{{.ID}}</td><td class="num">{{.Renewed}}</td><td class="num">{{.Expired}}</td><td class="num">{{.Pending}}</td><td class="num{{if .Bad}} bad{{end}}">{{.PExpired}}</td><td class="num">{{.P5}}</td><td class="num">{{.P50}}</td><td class="num">{{.P95}}</td><td class="num">{{.Min}}</td><td class="num">{{.Max}}</td></tr>
{{end}}</table>
{{if .Resources}}
<h2>Resources</h2>
<table>
<tr><th>resource</th><th>P(outage)</th><th>outage p50</th><th>p95</th><th>max</th></tr>
{{range .Resources}}<tr><td>{{.ID}}</td><td class="num{{if .Bad}} bad{{end}}">{{.POutage}}</td><td class="num">{{.P50}}</td><td class="num">{{.P95}}</td><td class="num">{{.Max}}</td></tr>
{{end}}</table>
{{end}}
<p>P(any certificate expired) {{.AnyExpired}}, P(any outage) {{.AnyOutage}}</p>
{{if .Alarms}}
<h2>Alarms</h2>
<table>
<tr><th>alarm</th><th>fired</th><th>warned</th><th>missed</th><th>false alarms</th><th>lead time p5</th><th>p50</th><th>min</th></tr>
{{range .Alarms}}<tr><td>{{.Name}}</td><td class="num">{{.Fired}}</td><td class="num">{{.Warned}}</td><td class="num{{if .Bad}} bad{{end}}">{{.Missed}}</td><td class="num{{if .Noisy}} bad{{end}}">{{.False}}</td><td class="num">{{.P5}}</td><td class="num">{{.P50}}</td><td class="num">{{.Min}}</td></tr>
{{end}}</table>
<p class="note">Per alarm: the share of variants in which it fired, warned before an expiry, an outage or a renewal that needed a change, and missed an expiry or outage; its false alarms (firings before renewals that happened by themselves) and in how many variants; the shortest warning it gave (nearest-rank percentiles over the variants with one).</p>
{{end}}
{{if .Plots}}
<h2>Charts</h2>
{{range .Plots}}<figure>
{{.SVG}}
<figcaption>{{.Title}}</figcaption>
</figure>
{{end}}{{end}}
{{if .Files}}<p class="note">Files: {{range $i, $f := .Files}}{{if $i}}, {{end}}<a href="{{$f}}">{{$f}}</a>{{end}}</p>{{end}}
<h2>Variants</h2>
{{if .Truncated}}<p class="note">{{.Truncated}}</p>{{end}}
<div class="scroll">
<table>
<tr><th>#</th>{{if .Runs}}<th>run</th>{{end}}{{range .ParamCols}}<th>{{.}}</th>{{end}}{{range .SampledCols}}<th>{{.}} (sampled)</th>{{end}}{{range .CertCols}}<th>{{.}}</th>{{end}}{{range .ResourceCols}}<th>{{.}} outage</th>{{end}}</tr>
{{range .Rows}}<tr><td class="num">{{.Index}}</td>{{if $.Runs}}<td class="num">{{.Run}}</td>{{end}}{{range .Params}}<td>{{.}}</td>{{end}}{{range .Cells}}<td{{if .Bad}} class="bad"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</table>
</div>
</body>
</html>
`))

// WriteSweepDir writes a sweep report directory: sweep.html, each chart as
// an SVG file, variants.jsonl, variants.csv and summary.txt (the aggregate
// table). It returns the files written, relative to dir, in the order
// written. The same page gives the same bytes.
func WriteSweepDir(dir string, page SweepPage) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	plots := page.Plots
	if plots == nil {
		var err error
		if plots, err = SweepPlots(page.Variants); err != nil {
			return nil, err
		}
	}
	out := &outDir{dir: dir}
	var files []string
	for _, p := range plots {
		if err := out.bytes(p.Name, p.SVG); err != nil {
			return out.written, err
		}
		files = append(files, p.Name)
	}
	files = append(files, "variants.jsonl", "variants.csv", "summary.txt")
	agg := sweep.Sum(page.Variants)
	page.Plots, page.Files = plots, files
	err := out.all(
		file{"variants.jsonl", func(w io.Writer) error { return sweep.WriteJSONLines(w, page.Variants) }},
		file{"variants.csv", func(w io.Writer) error { return WriteVariantsCSV(w, page.Variants) }},
		file{"summary.txt", func(w io.Writer) error { return WriteAggregate(w, &agg) }},
		file{"sweep.html", func(w io.Writer) error { return WriteSweepHTML(w, page) }},
	)
	return out.written, err
}
