package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/sim"
)

// fleetLanes is how many failing certificates the fleet timeline draws as
// lanes, most urgent first; it says how many more there are. A variable
// only so that tests can lower it.
var fleetLanes = 40

// The fleet timeline's geometry, in points (1200 CSS pixels wide).
const (
	fleetPlotW    = 900 * vg.Length(1)
	fleetPanelsH  = 250 * vg.Length(1) // both weekly panels with their axes
	fleetLaneH    = 24 * vg.Length(1)
	fleetBandH    = 10 * vg.Length(1)
	fleetLabelMin = 90 * vg.Length(1)
	fleetLabelMax = 230 * vg.Length(1)
)

var (
	colRenewals = colGood
	colExpiries = colOutage
)

// fleetWeek is one week of the fleet timeline, from Monday 00:00 UTC.
type fleetWeek struct {
	start              time.Time
	renewals, expiries int
}

// fleetWeeks counts, per week from the week of f.Now to f.Until, the
// renewals the check found and the certificates that expire unrenewed.
// It reads the verdicts only, once each.
func fleetWeeks(f *fleet.Report) []fleetWeek {
	var renewals, expiries []time.Time
	for k := range f.Certificates {
		c := f.Certificates[k]
		renewals = append(renewals, c.Renewals...)
		if c.Verdict == fleet.VerdictExpires && c.Date != nil {
			expiries = append(expiries, *c.Date)
		}
	}
	return weeksOf(f.Now, f.Until, renewals, expiries)
}

// mondayOf is 00:00 UTC of the Monday on or before t.
func mondayOf(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// fleetLane is one failing certificate on the fleet timeline.
type fleetLane struct {
	name, sub string
	bands     []Band
	outage    []Band     // when a resource served it expired
	expiry    *time.Time // in the horizon
}

// fleetLanesOf lays out the failing certificates, most urgent first, at
// most fleetLanes of them: from the record of the run where it has their
// entries, else from the verdict (valid until it expires, expired after).
// It returns the lanes and how many failing certificates were left out.
func fleetLanesOf(page *FleetPage, end time.Time) ([]fleetLane, int) {
	f := page.Check
	var lanes []fleetLane
	more := 0
	for k := range f.Certificates {
		c := f.Certificates[k]
		if !ciFailed(c) {
			continue
		}
		if len(lanes) == fleetLanes {
			more++
			continue
		}
		l := fleetLane{name: fleetFirst(c.Domains), sub: c.ID + " · " + fleetVerdictText(c.Verdict) + " " + fleetDate(c)}
		if l.name == "" {
			l.name = c.ID
		}
		var at []int32
		run := page.runOf(c)
		if run != nil && c.Simulated {
			at = run.Index().CertEntries(c.ID)
		}
		if len(at) > 0 {
			l.bands = certLane(c.ID, run.Log(), at, end).Bands
		} else {
			l.bands = verdictBands(c, f.Now, end)
		}
		if c.Verdict == fleet.VerdictExpires && c.Date != nil {
			l.expiry = c.Date
		}
		lanes = append(lanes, l)
	}
	return lanes, more
}

// verdictBands is what a verdict says of a certificate without its
// record: valid until its expiry, expired after.
func verdictBands(c *fleet.Entry, start, end time.Time) []Band {
	exp := start
	if c.Date != nil && c.Date.After(start) {
		exp = *c.Date
	}
	var out []Band
	if exp.After(start) {
		out = append(out, Band{Start: start, End: fleetMinT(exp, end), State: StateValid})
	}
	if end.After(exp) {
		out = append(out, Band{Start: exp, End: end, State: StateExpired})
	}
	return out
}

func fleetMinT(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func fleetFirst(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// fleetTimelineSVG draws the fleet over the check's horizon as an
// aggregate chart: renewals and expiries per week, then the failing
// certificates as lanes, at most fleetLanes of them, with how many more
// there are.
func fleetTimelineSVG(page *FleetPage) ([]byte, error) {
	f := page.Check
	end := f.Until
	for i, run := range page.runs() {
		if e := run.Index().EndOr(f.Until); i == 0 || e.After(end) {
			end = e
		}
	}
	if !end.After(f.Now) {
		end = f.Now.Add(sim.Day)
	}
	th := newTheme()
	lanes, more := fleetLanesOf(page, end)
	failing := f.Counts.Expires + f.Counts.Expired
	a := &aggChart{
		title: "Fleet timeline: " + fleetTitle(f),
		lines: []aggLine{{fleetHorizon(f) + " · " + f.Counts.Line(), th.meta}},
		from:  f.Now, to: end,
		weeks:   fleetWeeks(f),
		lanes:   lanes,
		head:    fmt.Sprintf("Certificates that expire or have expired: %d", failing) + mostUrgent(failing, len(lanes)),
		headBad: failing > 0,
		moreBad: more > 0,
	}
	switch {
	case more > 0:
		a.more = fmt.Sprintf("and %s more that expire or have expired, not drawn: see the table", fleetThousands(more))
	case len(lanes) == 0:
		a.more = "no certificate expires or has expired in the horizon"
	}
	return chartSVG(fleetPlotW, a.height(th), func(c draw.Canvas) { a.draw(c, th) })
}

// chartSVG draws a chart of that size as an SVG document, naming the font
// it was measured with and those metric-compatible with it.
func chartSVG(w, h vg.Length, drawFn func(draw.Canvas)) ([]byte, error) {
	cv := vgsvg.New(w, h)
	drawFn(draw.New(cv))
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"), []byte(svgFontFamily)), nil
}

// fleetLegendEntry is one swatch of the fleet timeline's legend.
type fleetLegendEntry struct {
	fill color.Color
	text string
}

// fleetLegend lists the bars, then the lane states in use, in the
// timeline's order.
func fleetLegend(lanes []fleetLane) []fleetLegendEntry {
	out := []fleetLegendEntry{{colRenewals, "renewal issued"}, {colExpiries, "expired without renewal"}}
	states := map[string]bool{}
	for _, l := range lanes {
		for _, b := range l.bands {
			states[b.State] = true
		}
	}
	for _, s := range stateOrder {
		if states[s] {
			out = append(out, fleetLegendEntry{styleOf(s).fill, styleOf(s).legend})
		}
	}
	return out
}

// fleetPanel is one weekly panel: a bar per week on a time axis, with
// count ticks. Only the bottom panel labels the time axis.
func fleetPanel(weeks []fleetWeek, x0, x1 float64, label string, fill color.Color, count func(fleetWeek) int, timeAxis bool, th theme) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.X.Min, p.X.Max = x0, x1
	top := 0
	for _, w := range weeks {
		top = max(top, count(w))
	}
	p.Y.Min, p.Y.Max = 0, float64(max(top, 1))*1.12
	p.Y.Tick.Marker = fleetCountTicks{}
	p.Y.Tick.Label = th.tick
	// As gonum sets them for a vertical axis: left of the axis, centred on
	// the tick. The theme's alignment drew "2000" over the first bar.
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter
	p.Y.Label.Text = label
	p.Y.Label.TextStyle = th.axis
	p.Y.Label.TextStyle.XAlign = draw.XCenter
	p.Y.LineStyle.Color = colLine
	p.Y.Tick.LineStyle.Color = colLine
	p.Y.Padding = 0
	p.X.LineStyle.Color = colLine
	p.X.Tick.LineStyle.Color = colLine
	p.X.Padding = 0
	if timeAxis {
		p.X.Tick.Marker = timeTicks(x0, x1)
		p.X.Tick.Label = th.tick
		p.X.Tick.Label.XAlign = draw.XCenter
		p.X.Tick.Label.YAlign = draw.YTop
		p.X.Label.Text = "weeks from Monday, virtual time (UTC)"
		p.X.Label.TextStyle = th.axis
		p.X.Label.TextStyle.XAlign = draw.XCenter
		p.X.Label.Padding = 2
	} else {
		p.X.Tick.Marker = fleetUnlabelled{timeTicks(x0, x1)}
	}
	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: colRule, Width: 0.6}
	grid.Horizontal = draw.LineStyle{Color: colRule, Width: 0.4}
	p.Add(grid, &fleetWeekBars{weeks: weeks, count: count, fill: fill})
	return p
}

// fleetWeekBars draws one bar per week, from its Monday to the next, with the
// count written over the tallest bars when a panel has few.
type fleetWeekBars struct {
	weeks []fleetWeek
	count func(fleetWeek) int
	fill  color.Color
}

// Plot implements plot.Plotter.
func (wb *fleetWeekBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, w := range wb.weeks {
		n := wb.count(w)
		if n == 0 {
			continue
		}
		x0 := max(trX(unixOf(w.start)), c.Min.X)
		x1 := min(trX(unixOf(w.start.AddDate(0, 0, 7))), c.Max.X)
		if x1-x0 > 2 {
			x0, x1 = x0+0.5, x1-0.5
		}
		if x1 <= x0 {
			continue
		}
		c.SetColor(wb.fill)
		c.Fill(rectOf(x0, trY(0), x1, trY(float64(n))).Path())
	}
}

// fleetCountTicks labels a count axis with whole numbers: 1, 2 or 5 times a
// power of ten apart, at most six labels.
type fleetCountTicks struct{}

// Ticks implements plot.Ticker.
func (fleetCountTicks) Ticks(lo, hi float64) []plot.Tick {
	step := math.Inf(1)
	for pow := 1.0; pow < 1e12; pow *= 10 {
		for _, f := range []float64{1, 2, 5} {
			if s := f * pow; (hi-lo)/s <= 5 && s < step {
				step = s
			}
		}
	}
	var out []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		out = append(out, plot.Tick{Value: v, Label: fmt.Sprintf("%.0f", v)})
	}
	return out
}

// fleetUnlabelled keeps a ticker's ticks and drops their labels.
type fleetUnlabelled struct{ plot.Ticker }

// Ticks implements plot.Ticker.
func (u fleetUnlabelled) Ticks(lo, hi float64) []plot.Tick {
	ticks := u.Ticker.Ticks(lo, hi)
	for i := range ticks {
		ticks[i].Label = ""
	}
	return ticks
}

// thousands writes n with commas: 10,000.
func fleetThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
