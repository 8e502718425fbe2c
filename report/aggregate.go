package report

import (
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/renewsim/renewsim/sim"
)

// aggChart is the timeline of many certificates in a size that does not
// grow with their number: renewals per week and expiries per week, each
// panel on its own scale (a few expiries among thousands of renewals would
// not show on a shared one), then the failing certificates as lanes, most
// urgent first, at most fleetLanes of them, with a line that says how many
// more there are. The fleet page draws a check with it, and a scenario's
// timeline draws itself with it above scenarioScale certificates.
type aggChart struct {
	title    string
	lines    []aggLine // under the title: what the chart is about
	from, to time.Time // the time axis
	weeks    []fleetWeek
	lanes    []fleetLane
	head     string // over the lanes
	headBad  bool   // the heading in red: something fails
	more     string // under the lanes, "" for nothing
	moreBad  bool
}

// aggLine is one line of an aggregate chart's header.
type aggLine struct {
	text  string
	style text.Style
}

// aggHeader is the height of the title and one line under it.
const aggHeader = 62 * vg.Length(1)

// height is how tall the chart is drawn, 1200 CSS pixels wide.
func (a *aggChart) height(th theme) vg.Length {
	const pad = 12
	h := a.header() + fleetPanelsH + 22 + vg.Length(len(a.lanes))*fleetLaneH + pad
	if a.more != "" {
		h += 18
	}
	rows := layoutLegend(a.legend(), func(e fleetLegendEntry) string { return e.text }, th, fleetPlotW-2*pad)
	return h + vg.Length(len(rows))*16 + 8
}

// header is the height above the panels: the title and the first line in
// aggHeader, every further line in a row of its own.
func (a *aggChart) header() vg.Length {
	h := aggHeader
	for i, l := range a.lines {
		if i > 0 {
			h += l.style.Height(l.text) + 4
		}
	}
	return h
}

// legend lists the bars, then the lane states in use in the timeline's
// order, then the outage strip when a lane has one.
func (a *aggChart) legend() []fleetLegendEntry {
	out := fleetLegend(a.lanes)
	for _, l := range a.lanes {
		if len(l.outage) > 0 {
			return append(out, fleetLegendEntry{colOutage, styleOf(StateOutage).legend})
		}
	}
	return out
}

// draw draws the chart on c, which should be fleetPlotW wide and height
// tall.
func (a *aggChart) draw(c draw.Canvas, th theme) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	const pad = 12
	width := c.Size().X

	// Header: every line fitted to the width, so that nothing runs off it.
	y := c.Max.Y - pad
	tsty := th.title
	tsty.YAlign = draw.YTop
	c.FillText(tsty, vg.Point{X: c.Min.X + pad, Y: y}, fitText(tsty, a.title, width-2*pad))
	y -= tsty.Height("F") + 6
	for _, l := range a.lines {
		sty := l.style
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: c.Min.X + pad, Y: y}, fitText(sty, l.text, width-2*pad))
		y -= sty.Height(l.text) + 4
	}

	// Lane labels set the left column; the panels' data area starts there
	// too, so that weeks and lanes share one time axis.
	// A tenth more than Liberation Sans needs: a viewer without it
	// substitutes a wider font.
	labelW := fleetLabelMin
	for _, l := range a.lanes {
		labelW = max(labelW, max(th.laneID.Width(l.name), th.laneTitle.Width(l.sub))*1.1+2*pad)
	}
	labelW = min(labelW, fleetLabelMax)

	x0u, x1u := unixOf(a.from), unixOf(a.to)
	renewals := fleetPanel(a.weeks, x0u, x1u, "renewals / week", colRenewals, func(w fleetWeek) int { return w.renewals }, false, th)
	expiries := fleetPanel(a.weeks, x0u, x1u, "expiries / week", colExpiries, func(w fleetWeek) int { return w.expiries }, true, th)
	panelTop := c.Max.Y - a.header()
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
	hsty.Color = colText
	if a.headBad {
		hsty.Color = colOutage
	}
	c.FillText(hsty, vg.Point{X: c.Min.X + pad, Y: y}, fitText(hsty, a.head, width-2*pad))
	y -= 22 - 6
	lanesTop := y
	lanesBottom := y - vg.Length(len(a.lanes))*fleetLaneH
	if len(a.lanes) > 0 {
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
	for i, l := range a.lanes {
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
		// What a resource served expired: a strip under the band, at
		// least a few points wide, as on a scenario's own timeline.
		for _, b := range l.outage {
			bx0, bx1 := widenOutage(xOf(b.Start), xOf(b.End), dc)
			c.SetColor(colOutage)
			c.Fill(rectOf(bx0, mid-fleetBandH/2-5, bx1, mid-fleetBandH/2-1.5).Path())
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
	if a.more != "" {
		s := th.labelBold
		s.YAlign = draw.YTop
		if a.moreBad {
			s.Color = colOutage
		}
		c.FillText(s, vg.Point{X: c.Min.X + pad, Y: lanesBottom - 4}, fitText(s, a.more, width-2*pad))
	}

	// Legend: the bars, then the lane states in use.
	rows := layoutLegend(a.legend(), func(e fleetLegendEntry) string { return e.text }, th, width-2*pad)
	ly := c.Min.Y + vg.Length(len(rows))*16 + 8 - 4
	for _, row := range rows {
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
}

// weeksOf counts per week, from the Monday on or before from to until,
// the renewals and expiries at those times; times outside are left out.
func weeksOf(from, until time.Time, renewals, expiries []time.Time) []fleetWeek {
	first := mondayOf(from)
	n := int(until.Sub(first)/(7*sim.Day)) + 1
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
	for _, t := range renewals {
		if i := at(t); i >= 0 {
			weeks[i].renewals++
		}
	}
	for _, t := range expiries {
		if i := at(t); i >= 0 {
			weeks[i].expiries++
		}
	}
	return weeks
}

// mostUrgent says how many lanes of n are drawn, for the heading.
func mostUrgent(n, drawn int) string {
	if n > drawn {
		return fmt.Sprintf(" (the %d most urgent drawn)", drawn)
	}
	return ""
}
