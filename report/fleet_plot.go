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
	first := mondayOf(f.Now)
	n := int(f.Until.Sub(first)/(7*sim.Day)) + 1
	if n < 1 {
		n = 1
	}
	weeks := make([]fleetWeek, n)
	for i := range weeks {
		weeks[i].start = first.AddDate(0, 0, 7*i)
	}
	at := func(t time.Time) int {
		if t.Before(first) {
			return -1
		}
		i := int(t.Sub(first) / (7 * sim.Day))
		if i >= n {
			return -1
		}
		return i
	}
	for k := range f.Certificates {
		c := f.Certificates[k]
		for _, r := range c.Renewals {
			if i := at(r); i >= 0 {
				weeks[i].renewals++
			}
		}
		if c.Verdict == fleet.VerdictExpires && c.Date != nil {
			if i := at(*c.Date); i >= 0 {
				weeks[i].expiries++
			}
		}
	}
	return weeks
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

// fleetTimelineSVG draws the fleet over the check's horizon, in a size
// that does not grow with the fleet: renewals per week and expiries per
// week (each with its own scale, so that a few expiries among thousands of
// renewals still show), then the failing certificates as lanes, at most
// fleetLanes of them, with how many more there are.
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
	weeks := fleetWeeks(f)
	lanes, more := fleetLanesOf(page, end)
	th := newTheme()

	const pad = 12
	header := vg.Length(62)
	lanesHead := vg.Length(22)
	moreH := vg.Length(0)
	if more > 0 || len(lanes) == 0 {
		moreH = 18
	}
	legend := fleetLegend(lanes)
	legendRows := layoutLegend(legend, func(e fleetLegendEntry) string { return e.text }, th, fleetPlotW-2*pad)
	legendH := vg.Length(len(legendRows))*16 + 8
	height := header + fleetPanelsH + lanesHead + vg.Length(len(lanes))*fleetLaneH + moreH + legendH + pad
	cv := vgsvg.New(fleetPlotW, height)
	c := draw.New(cv)
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	// Header.
	y := c.Max.Y - pad
	tsty := th.title
	tsty.YAlign = draw.YTop
	c.FillText(tsty, vg.Point{X: c.Min.X + pad, Y: y}, "Fleet timeline: "+fleetTitle(f))
	y -= tsty.Height("F") + 6
	cnt := f.Counts
	msty := th.meta
	msty.YAlign = draw.YTop
	c.FillText(msty, vg.Point{X: c.Min.X + pad, Y: y}, fleetHorizon(f)+" · "+cnt.Line())

	// Lane labels set the left column; the panels' data area starts there
	// too, so that weeks and lanes share one time axis.
	// A tenth more than Liberation Sans needs: a viewer without it
	// substitutes a wider font.
	labelW := fleetLabelMin
	for _, l := range lanes {
		labelW = max(labelW, max(th.laneID.Width(l.name), th.laneTitle.Width(l.sub))*1.1+2*pad)
	}
	labelW = min(labelW, fleetLabelMax)

	x0u, x1u := unixOf(f.Now), unixOf(end)
	renewals := fleetPanel(weeks, x0u, x1u, "renewals / week", colRenewals, func(w fleetWeek) int { return w.renewals }, false, th)
	expiries := fleetPanel(weeks, x0u, x1u, "expiries / week", colExpiries, func(w fleetWeek) int { return w.expiries }, true, th)
	panelTop := c.Max.Y - header
	panels := func(left vg.Length) [][]draw.Canvas {
		area := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: c.Min.X + left, Y: panelTop - fleetPanelsH},
			Max: vg.Point{X: c.Max.X - pad - 6, Y: panelTop},
		}}
		return plot.Align([][]*plot.Plot{{renewals}, {expiries}}, draw.Tiles{Rows: 2, Cols: 1, PadY: 8}, area)
	}
	tiles := panels(pad)
	shift := renewals.DataCanvas(tiles[0][0]).Min.X - (c.Min.X + pad)
	tiles = panels(max(labelW-shift, pad))
	renewals.Draw(tiles[0][0])
	expiries.Draw(tiles[1][0])
	dc := expiries.DataCanvas(tiles[1][0])
	trX, _ := expiries.Transforms(&dc)
	xOf := func(t time.Time) vg.Length { return min(max(trX(unixOf(t)), dc.Min.X), dc.Max.X) }

	// Lanes of the failing certificates.
	y = panelTop - fleetPanelsH - 6
	hsty := th.subtitle
	hsty.YAlign = draw.YTop
	failing := cnt.Expires + cnt.Expired
	head := fmt.Sprintf("Certificates that expire or have expired: %d", failing)
	if failing > len(lanes) {
		head += fmt.Sprintf(" (the %d most urgent drawn)", len(lanes))
	}
	hsty.Color = colText
	if failing > 0 {
		hsty.Color = colOutage
	}
	c.FillText(hsty, vg.Point{X: c.Min.X + pad, Y: y}, head)
	y -= lanesHead - 6
	lanesTop := y
	lanesBottom := y - vg.Length(len(lanes))*fleetLaneH
	if len(lanes) > 0 {
		// The time grid of the panels, carried down through the lanes.
		grid := draw.LineStyle{Color: colRule, Width: 0.6}
		for _, tk := range timeTicks(x0u, x1u).Ticks(x0u, x1u) {
			if tk.Label == "" {
				continue
			}
			x := trX(tk.Value)
			if x >= dc.Min.X && x <= dc.Max.X {
				c.StrokeLine2(grid, x, lanesBottom, x, lanesTop)
			}
		}
	}
	for i, l := range lanes {
		top := lanesTop - vg.Length(i)*fleetLaneH
		mid := top - fleetLaneH/2
		if i > 0 {
			c.StrokeLine2(draw.LineStyle{Color: colRule, Width: 0.6}, c.Min.X+pad, top, dc.Max.X, top)
		}
		id := th.laneID
		id.YAlign = draw.YBottom
		c.FillText(id, vg.Point{X: c.Min.X + pad, Y: mid + 0.5}, fitText(id, l.name, labelW-2*pad))
		sub := th.laneTitle
		sub.YAlign = draw.YTop
		c.FillText(sub, vg.Point{X: c.Min.X + pad, Y: mid - 0.5}, fitText(sub, l.sub, labelW-2*pad))
		for _, b := range l.bands {
			bx0, bx1 := xOf(b.Start), xOf(b.End)
			if bx1 <= bx0 {
				continue
			}
			c.SetColor(styleOf(b.State).fill)
			c.Fill(rectOf(bx0, mid-fleetBandH/2, bx1, mid+fleetBandH/2).Path())
		}
		if l.expiry != nil {
			x := xOf(*l.expiry)
			drawGlyph(c, MarkExpired, vg.Point{X: x, Y: mid}, laneGeom{bandLo: mid - fleetBandH/2, bandHi: mid + fleetBandH/2, mid: mid})
			// The date on the expired band, in its ink, where it fits.
			lsty := th.labelBold
			lsty.Color = styleOf(StateExpired).ink
			lsty.YAlign = draw.YCenter
			label := fleetDay(*l.expiry)
			if lx := x + 8; lx+lsty.Width(label) <= dc.Max.X {
				c.FillText(lsty, vg.Point{X: lx, Y: mid}, label)
			}
		}
	}
	y = lanesBottom
	if moreH > 0 {
		msg := fmt.Sprintf("and %s more that expire or have expired, not drawn: see the table", fleetThousands(more))
		if len(lanes) == 0 {
			msg = "no certificate expires or has expired in the horizon"
		}
		s := th.labelBold
		s.YAlign = draw.YTop
		if more > 0 {
			s.Color = colOutage
		}
		c.FillText(s, vg.Point{X: c.Min.X + pad, Y: y - 4}, msg)
		y -= moreH
	}

	// Legend: the bars, then the lane states in use.
	ly := c.Min.Y + legendH - 4
	for _, row := range legendRows {
		x := c.Min.X + pad
		mid := ly - 8
		for _, e := range row {
			c.SetColor(e.fill)
			c.Fill(rectOf(x, mid-5, x+legendSwatch, mid+5).Path())
			sty := th.legend
			sty.YAlign = draw.YCenter
			c.FillText(sty, vg.Point{X: x + legendSwatch + 4, Y: mid}, e.text)
			x += legendSwatch + 4 + th.legend.Width(e.text) + 14
		}
		ly -= 16
	}

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
