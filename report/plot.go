package report

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The plot is 1200×600 CSS pixels (900×450 pt; PNGs are rendered at 96 dpi)
// and grows taller when lanes would get cramped.
const (
	plotWidth     = 900 * vg.Length(1)
	plotHeight    = 450 * vg.Length(1)
	minLaneHeight = 110 * vg.Length(1)
	pngDPI        = 96
)

// Liberation Sans is metric-compatible with Arial and Helvetica: text
// measured with it fits wherever a browser substitutes those.
var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	boldFont = func() font.Font {
		for _, f := range liberation.Collection() {
			if f.Font.Variant == "Sans" && f.Font.Weight > 0 && f.Font.Style == 0 {
				return f.Font
			}
		}
		return sansFont
	}()
)

// svgFontFamily is what the SVG asks the viewer for: the font the text was
// measured with, then the ones metric-compatible with it.
const svgFontFamily = "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"

func rgb(hex uint32) color.NRGBA {
	return color.NRGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 255}
}

var (
	colText     = rgb(0x1a1a1a)
	colMuted    = rgb(0x5f6368)
	colLine     = rgb(0x9aa0a6)
	colRule     = rgb(0xdadce0)
	colOutage   = rgb(0xb2182b)
	colGood     = rgb(0x1b7f3b)
	colShade    = color.NRGBA{R: 0xb2, G: 0x18, B: 0x2b, A: 0x24}
	colLabelBg  = color.NRGBA{R: 255, G: 255, B: 255, A: 0xd8}
	colInkLight = rgb(0xffffff)
)

// bandStyle is how a state is drawn, and what the legend calls it.
type bandStyle struct {
	fill   color.Color
	ink    color.Color // text drawn on the band
	inside string      // text drawn on the band when it fits
	legend string
}

func styleOf(state string) bandStyle {
	switch state {
	case StateValid:
		return bandStyle{rgb(0xa6dba0), colText, "valid", "valid, before the renewal window"}
	case StatePendingAuto:
		return bandStyle{rgb(0xfee08b), colText, "PENDING_AUTO_RENEWAL", "PENDING_AUTO_RENEWAL (in window)"}
	case StatePendingVal:
		return bandStyle{rgb(0xfdae61), colText, "PENDING_VALIDATION", "PENDING_VALIDATION (failing)"}
	case StateIneligible:
		return bandStyle{rgb(0xc9c5de), colText, "in window, not eligible", "in window, not eligible"}
	case StateExpired:
		return bandStyle{rgb(0xe34a33), colInkLight, "EXPIRED", "EXPIRED"}
	case StateServing:
		return bandStyle{rgb(0x74add1), colText, "serving", "serving a valid cert"}
	case StateOutage:
		return bandStyle{colOutage, colInkLight, "OUTAGE", "OUTAGE: serving an expired cert"}
	case StateTLSError:
		return bandStyle{rgb(0x9e9e9e), colText, "TLS handshake fails", "TLS fails (not expiry)"}
	}
	return bandStyle{rgb(0xd9d9d9), colText, state, state}
}

var stateOrder = []string{StateValid, StatePendingAuto, StatePendingVal, StateIneligible, StateExpired, StateServing, StateOutage, StateTLSError}

// glyphStyle is how a marker class is drawn, and what the legend calls it.
type glyphStyle struct {
	glyph  draw.GlyphStyle
	ink    color.Color // label colour
	bold   bool
	legend string
}

func glyphOf(class string) glyphStyle {
	g := func(c uint32, r vg.Length, s draw.GlyphDrawer) draw.GlyphStyle {
		return draw.GlyphStyle{Color: rgb(c), Radius: r, Shape: s}
	}
	switch class {
	case MarkWorld:
		return glyphStyle{g(0x6a3d9a, 4.5, draw.PyramidGlyph{}), rgb(0x4a2570), false, "world change"}
	case MarkActionRequired:
		return glyphStyle{g(0xd35400, 4, draw.CircleGlyph{}), rgb(0x9c3d00), false, "Renewal Action Required"}
	case MarkNotice:
		return glyphStyle{g(0x1f5fa8, 3.5, draw.RingGlyph{}), colText, false, "ACM event"}
	case MarkMinor:
		return glyphStyle{g(0x80868b, 2, draw.CircleGlyph{}), colMuted, false, "other ACM events"}
	case MarkEmail:
		return glyphStyle{g(0x00838f, 3.5, draw.BoxGlyph{}), colText, false, "e-mail"}
	case MarkClick:
		return glyphStyle{g(0x00838f, 4, draw.PlusGlyph{}), colText, false, "approval click"}
	case MarkAttempts:
		return glyphStyle{g(0x5f6368, 4, draw.TriangleGlyph{}), colMuted, false, "attempts failing"}
	case MarkRenewed:
		return glyphStyle{g(0x1b7f3b, 4.5, draw.CircleGlyph{}), colGood, true, "renewal issued"}
	case MarkDeployed:
		return glyphStyle{g(0x1f5fa8, 4, draw.SquareGlyph{}), colText, false, "deployed"}
	case MarkUndeployed:
		return glyphStyle{g(0x5f6368, 4, draw.BoxGlyph{}), colText, false, "undeployed"}
	case MarkExpired:
		return glyphStyle{g(0x7f0000, 5, draw.CrossGlyph{}), colOutage, true, "expired"}
	case classOutage:
		return glyphStyle{g(0xb2182b, 0, draw.CircleGlyph{}), colOutage, true, "outage"}
	}
	if k, ok := alarmIndex(class); ok {
		return alarmGlyph(k)
	}
	return glyphStyle{g(0x80868b, 3, draw.CircleGlyph{}), colMuted, false, "other entry"}
}

var markOrder = []string{MarkWorld, MarkAttempts, MarkActionRequired, MarkEmail, MarkClick, MarkNotice, MarkRenewed, MarkDeployed, MarkUndeployed, MarkExpired, MarkOther, MarkMinor}

// theme holds the text styles of one drawing.
type theme struct {
	title, subtitle, meta text.Style
	laneID, laneTitle     text.Style
	label, labelBold      text.Style
	band, bandBold        text.Style
	legend, tick, axis    text.Style
}

func newTheme() theme {
	hdlr := plot.DefaultTextHandler
	st := func(f font.Font, size vg.Length, c color.Color) text.Style {
		f.Size = size
		return text.Style{Font: f, Color: c, Handler: hdlr}
	}
	return theme{
		title:     st(boldFont, 16, colText),
		subtitle:  st(boldFont, 11, colText),
		meta:      st(sansFont, 11, colMuted),
		laneID:    st(boldFont, 11, colText),
		laneTitle: st(sansFont, 9, colMuted),
		label:     st(sansFont, 9, colText),
		labelBold: st(boldFont, 9, colText),
		band:      st(sansFont, 8.5, colText),
		bandBold:  st(boldFont, 10, colInkLight),
		legend:    st(sansFont, 9, colText),
		tick:      st(sansFont, 9, colText),
		axis:      st(sansFont, 9, colMuted),
	}
}

// Size is the size the timeline is drawn at: 1200×600 CSS pixels, taller
// when its lanes need more room for labels.
func (t *Timeline) Size() (w, h vg.Length) {
	if t.AtFleetSize() {
		th := newTheme()
		return fleetPlotW, t.aggregate(th).height(th)
	}
	w, h = plotWidth, plotHeight
	if n := 150 + minLaneHeight*vg.Length(len(t.Lanes)); n > h {
		h = n
	}
	// A dry run says how many rows of labels the busiest lane needs.
	var rec recorder.Canvas
	need := t.draw(draw.NewCanvas(&rec, w, h))
	if len(t.Lanes) > 0 {
		half := func(rows int) vg.Length { return maxBand/2 + 6 + labelGap + vg.Length(rows)*labelRow + 4 }
		if want := 2 * max(half(need.above), half(need.below)); want > need.laneH {
			h += vg.Length(len(t.Lanes)) * (want - need.laneH)
		}
	}
	return w, h
}

// layoutNeed is what the lanes of a drawing needed: rows of labels above
// and below the band of the busiest lane, and the lane height they got.
type layoutNeed struct {
	above, below int
	laneH        vg.Length
}

// WriteSVG draws the timeline as an SVG document.
func (t *Timeline) WriteSVG(w io.Writer) error {
	b, err := t.svg()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func (t *Timeline) svg() ([]byte, error) {
	width, height := t.Size()
	cv := vgsvg.New(width, height)
	t.Draw(draw.New(cv))
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"), []byte(svgFontFamily)), nil
}

// WritePNG draws the timeline as a PNG image, 1200 pixels wide.
func (t *Timeline) WritePNG(w io.Writer) error {
	width, height := t.Size()
	cv := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))
	t.Draw(draw.New(cv))
	_, err := vgimg.PngCanvas{Canvas: cv}.WriteTo(w)
	return err
}

// Draw draws the timeline on c, which should have the timeline's Size: a
// header that says what happened, the lanes over virtual time, and a
// legend.
func (t *Timeline) Draw(c draw.Canvas) { t.draw(c) }

func (t *Timeline) draw(c draw.Canvas) layoutNeed {
	th := newTheme()
	if t.AtFleetSize() {
		t.aggregate(th).draw(c, th)
		return layoutNeed{}
	}
	need := &layoutNeed{}
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	const pad = 12

	// Header: the scenario, then in one line how it ended.
	y := c.Max.Y - pad
	title := t.Scenario
	if title == "" {
		title = "scenario"
	}
	tsty := th.title
	tsty.YAlign = draw.YTop
	width := c.Size().X - 2*pad
	title = fitText(tsty, title, width)
	c.FillText(tsty, vg.Point{X: c.Min.X + pad, Y: y}, title)
	msty := th.meta
	msty.YAlign = draw.YTop
	meta := t.meta()
	if mx := tsty.Width(title) + 10; mx+msty.Width(meta) <= width {
		c.FillText(msty, vg.Point{X: c.Min.X + pad + mx, Y: y - 4}, meta)
		y -= tsty.Height(title) + 4
	} else {
		// A long name: the profile, seed and span go under it.
		y -= tsty.Height(title) + 2
		c.FillText(msty, vg.Point{X: c.Min.X + pad, Y: y}, fitText(msty, meta, width))
		y -= msty.Height(meta) + 4
	}
	parts, bad := t.verdictParts()
	ssty := th.subtitle
	ssty.YAlign = draw.YTop
	ssty.Color = colGood
	if bad {
		ssty.Color = colOutage
	}
	for _, line := range caption(parts, ssty, c.Size().X-2*pad) {
		c.FillText(ssty, vg.Point{X: c.Min.X + pad, Y: y}, line)
		y -= ssty.Height(line) + 2
	}
	y -= 4
	header := c.Max.Y - y

	// Legend, along the bottom.
	entries := t.legend()
	rows := layoutLegend(entries, func(e legendEntry) string { return e.text }, th, c.Size().X-2*pad)
	legendH := vg.Length(len(rows))*16 + 8
	drawLegend(c, th, rows, c.Min.X+pad, c.Min.Y+legendH-4)

	// Lane labels on the left, the plot to their right.
	const maxLabel = 200
	labelW := vg.Length(0)
	for _, l := range t.Lanes {
		labelW = max(labelW, th.laneID.Width(laneName(l)), th.laneTitle.Width(laneTitle(l)))
	}
	labelW = min(labelW, maxLabel) + 2*pad
	area := draw.Crop(c, labelW, -pad-6, legendH, -header)
	p := t.plot(th, need)
	p.Draw(area)
	dc := p.DataCanvas(area)
	_, trY := p.Transforms(&dc)
	for i, l := range t.Lanes {
		g := t.geom(i, trY)
		id := th.laneID
		id.YAlign = draw.YBottom
		c.FillText(id, vg.Point{X: c.Min.X + pad, Y: g.mid + 1}, fitText(id, laneName(l), maxLabel))
		sub := th.laneTitle
		sub.YAlign = draw.YTop
		c.FillText(sub, vg.Point{X: c.Min.X + pad, Y: g.mid - 1}, fitText(sub, laneTitle(l), maxLabel))
	}
	return *need
}

// fitText shortens s with an ellipsis until it is no wider than width.
func fitText(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && sty.Width(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// wrapParts breaks a list joined by sep into lines no wider than width.
func wrapParts(s, sep string, sty text.Style, width vg.Length) []string {
	var lines []string
	cur := ""
	for _, part := range strings.Split(s, sep) {
		if cur != "" && sty.Width(cur+sep+part) > width {
			lines = append(lines, cur)
			cur = part
			continue
		}
		if cur != "" {
			cur += sep
		}
		cur += part
	}
	return append(lines, cur)
}

func laneName(l Lane) string {
	if l.Kind == LaneWorld {
		return "world"
	}
	return l.ID
}

func laneTitle(l Lane) string {
	switch {
	case l.Kind == LaneWorld:
		return l.Title
	case l.Title != "":
		return l.Kind + " · " + l.Title
	}
	return l.Kind
}

func (t *Timeline) meta() string {
	var parts []string
	if t.Profile != "" {
		parts = append(parts, "profile "+t.Profile)
	}
	if t.Seed != "" {
		parts = append(parts, "seed "+t.Seed)
	}
	parts = append(parts, fmt.Sprintf("%s → %s", t.Start.UTC().Format("2006-01-02"), t.End.UTC().Format("2006-01-02")))
	return strings.Join(parts, " · ")
}

// Verdict says in one line how the run ended for every certificate and
// resource, and whether that is bad news (an expiry or an outage).
func (t *Timeline) Verdict() (string, bool) {
	parts, bad := t.verdictParts()
	if len(parts) == 0 {
		return "nothing happened", false
	}
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = p.text
	}
	return strings.Join(texts, verdictSep), bad
}

// verdictSep separates the parts of a verdict.
const verdictSep = "  ·  "

// verdictPart is what a verdict says of one lane.
type verdictPart struct {
	text string
	bad  bool
}

// verdictParts says how the run ended for each certificate and resource,
// in lane order.
func (t *Timeline) verdictParts() (parts []verdictPart, bad bool) {
	fates := t.fates()
	for i, l := range t.Lanes {
		f := &fates[i]
		switch l.Kind {
		case LaneCertificate:
			switch {
			case f.expired != nil:
				parts = append(parts, verdictPart{fmt.Sprintf("%s EXPIRED %s", l.ID, ts(f.expired.Time)), true})
			case f.renewed != nil:
				parts = append(parts, verdictPart{fmt.Sprintf("%s %s", l.ID, f.renewed.Label), false})
			default:
				parts = append(parts, verdictPart{l.ID + " not renewed by the end", false})
			}
		case LaneResource:
			if f.outage > 0 {
				parts = append(parts, verdictPart{fmt.Sprintf("%s OUTAGE %s from %s", l.ID, shortDuration(f.outage), ts(f.first)), true})
			} else {
				parts = append(parts, verdictPart{l.ID + " no outage", false})
			}
		}
	}
	for _, p := range parts {
		bad = bad || p.bad
	}
	return parts, bad
}

// captionLines is how many lines the verdict under a timeline's title may
// take: a scenario with more lanes says the rest with "… and N more".
const captionLines = 3

// caption lays the verdict out in lines no wider than width, at most
// captionLines of them. When it needs more, the bad news comes first and
// the last line ends with how many parts were left out: the lanes below
// say the rest.
func caption(parts []verdictPart, sty text.Style, width vg.Length) []string {
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = p.text
	}
	if len(texts) == 0 {
		texts = []string{"nothing happened"}
	}
	lines := wrapParts(strings.Join(texts, verdictSep), verdictSep, sty, width)
	if len(lines) > captionLines {
		ordered := slices.Clone(parts)
		slices.SortStableFunc(ordered, func(a, b verdictPart) int { return cmpBool(b.bad, a.bad) })
		lines = packCaption(ordered, sty, width)
	}
	for i, l := range lines {
		lines[i] = fitText(sty, l, width)
	}
	return lines
}

// packCaption fills captionLines lines with parts, in order, and ends the
// last with "… and N more" for the parts that did not fit.
func packCaption(parts []verdictPart, sty text.Style, width vg.Length) []string {
	var lines [][]string
	used := 0
	for _, p := range parts {
		n := len(lines)
		if n > 0 && sty.Width(strings.Join(append(slices.Clone(lines[n-1]), p.text), verdictSep)) <= width {
			lines[n-1] = append(lines[n-1], p.text)
			used++
			continue
		}
		if n == captionLines {
			break
		}
		lines = append(lines, []string{p.text})
		used++
	}
	more := func(n int) string { return fmt.Sprintf("… and %d more", n) }
	last := &lines[len(lines)-1]
	for used < len(parts) {
		if sty.Width(strings.Join(append(slices.Clone(*last), more(len(parts)-used)), verdictSep)) <= width || len(*last) == 0 {
			break
		}
		*last = (*last)[:len(*last)-1]
		used--
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.Join(l, verdictSep)
	}
	if used < len(parts) {
		out[len(out)-1] = strings.Join(append(slices.Clone(*last), more(len(parts)-used)), verdictSep)
	}
	return out
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func unixOf(t time.Time) float64 { return float64(t.Unix()) }

func (t *Timeline) plot(th theme, need *layoutNeed) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.X.Min, p.X.Max = unixOf(t.Start), unixOf(t.End)
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + 86400
	}
	n := max(len(t.Lanes), 1)
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Tick.Marker = timeTicks(p.X.Min, p.X.Max)
	p.X.Tick.Label = th.tick
	p.X.Tick.Label.XAlign = draw.XCenter
	p.X.Tick.Label.YAlign = draw.YTop
	p.X.Tick.LineStyle.Color = colLine
	p.X.LineStyle.Color = colLine
	p.X.Padding = 0
	p.X.Label.Text = "virtual time (UTC)"
	p.X.Label.TextStyle = th.axis
	p.X.Label.TextStyle.XAlign = draw.XCenter
	p.X.Label.Padding = 2
	p.HideY()
	p.Y.Padding = 0
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	grid.Vertical = draw.LineStyle{Color: colRule, Width: 0.6}
	p.Add(grid, &Bands{T: t, theme: th}, &markerPlotter{t: t, th: th, need: need})
	return p
}

// Label rows: the space between a band and its first row, the height of a
// row, the most rows on either side, and the tallest band.
const (
	labelGap  = 5
	labelRow  = 12
	labelRows = 6
	maxBand   = 30
)

// laneGeom is where a lane is on the data canvas.
type laneGeom struct {
	lo, hi, mid    vg.Length // the lane's extent and middle
	bandLo, bandHi vg.Length
}

func (t *Timeline) geom(i int, trY func(float64) vg.Length) laneGeom {
	y := float64(len(t.Lanes) - 1 - i)
	lo, hi := trY(y-0.5), trY(y+0.5)
	bh := min(max((hi-lo)*0.26, 14), maxBand)
	mid := (lo + hi) / 2
	return laneGeom{lo: lo, hi: hi, mid: mid, bandLo: mid - bh/2, bandHi: mid + bh/2}
}

// Bands is a plot.Plotter for Gantt-like timelines, which gonum lacks: it
// draws every lane of a Timeline as a row of coloured rectangles, one per
// stretch of state, with the state written on it where it fits. Stretches
// in which a resource served an expired certificate are also shaded across
// all lanes, so that an outage cannot be missed.
type Bands struct {
	T     *Timeline
	theme theme
}

// Plot implements plot.Plotter.
func (b *Bands) Plot(c draw.Canvas, p *plot.Plot) {
	t := b.T
	th := b.theme
	if th.band.Handler == nil {
		th = newTheme()
	}
	trX, trY := p.Transforms(&c)
	xOf := func(at time.Time) vg.Length {
		return min(max(trX(unixOf(at)), c.Min.X), c.Max.X)
	}
	// Outage shading behind everything, once where outages overlap: a
	// translucent shade drawn for each of six resources turns the lanes
	// dark red behind their labels.
	var shade []labelSpan
	for _, o := range t.Outages() {
		x0, x1 := widenOutage(xOf(o.Start), xOf(o.End), c)
		if n := len(shade); n > 0 && x0 <= shade[n-1].x1 {
			shade[n-1].x0, shade[n-1].x1 = min(shade[n-1].x0, x0), max(shade[n-1].x1, x1)
			continue
		}
		shade = append(shade, labelSpan{x0, x1})
	}
	for _, s := range shade {
		c.SetColor(colShade)
		c.Fill(rectOf(s.x0, c.Min.Y, s.x1, c.Max.Y).Path())
	}
	// Rules between lanes, heavier between certificates and resources.
	for i := 1; i < len(t.Lanes); i++ {
		g := t.geom(i, trY)
		sty := draw.LineStyle{Color: colRule, Width: 0.6}
		if t.Lanes[i].Kind != t.Lanes[i-1].Kind {
			sty = draw.LineStyle{Color: colLine, Width: 1}
		}
		c.StrokeLine2(sty, c.Min.X, g.hi, c.Max.X, g.hi)
	}
	glyphs := glyphsByLane(t, trX)
	for i, l := range t.Lanes {
		g := t.geom(i, trY)
		for _, band := range l.Bands {
			x0, x1 := xOf(band.Start), xOf(band.End)
			if x1 <= x0 {
				continue
			}
			st := styleOf(band.State)
			lo, hi := g.bandLo, g.bandHi
			if band.State == StateOutage {
				lo, hi = lo-5, hi+5
				x0, x1 = widenOutage(x0, x1, c)
			}
			c.SetColor(st.fill)
			c.Fill(rectOf(x0, lo, x1, hi).Path())
			c.StrokeLine2(draw.LineStyle{Color: color.White, Width: 1}, x0, lo, x0, hi)
			b.bandText(c, th, g, x0, x1, band, st, glyphs[i])
		}
	}
	// Margins: a bracket under the band from the renewal to the old
	// certificate's expiry.
	for _, m := range t.Margins {
		g := t.geom(m.Lane, trY)
		x0, x1 := xOf(m.Renewed), xOf(m.Expiry)
		y := g.bandLo - 4
		sty := draw.LineStyle{Color: colGood, Width: 1.2}
		c.StrokeLine2(sty, x0, y, x1, y)
		c.StrokeLine2(sty, x0, y-3, x0, y+3)
		c.StrokeLine2(sty, x1, y-3, x1, y+3)
	}
}

// widenOutage makes a stretch of outage at least minOutage wide, so that an
// outage of minutes still shows on a plot of months.
func widenOutage(x0, x1 vg.Length, c draw.Canvas) (vg.Length, vg.Length) {
	const minOutage = 4
	if x1-x0 >= minOutage {
		return x0, x1
	}
	x1 = min(x0+minOutage, c.Max.X)
	return x1 - minOutage, x1
}

// glyphsByLane lists where each lane's glyphs are, in ascending order:
// band text keeps clear of them.
func glyphsByLane(t *Timeline, trX func(float64) vg.Length) [][]vg.Length {
	xs := make([][]vg.Length, len(t.Lanes))
	for _, m := range t.Markers {
		if m.Lane >= 0 && m.Lane < len(xs) && m.Class != MarkMinor {
			xs[m.Lane] = append(xs[m.Lane], trX(unixOf(m.Time)))
		}
	}
	for _, l := range xs {
		slices.Sort(l)
	}
	return xs
}

// widestGap is the widest stretch of [x0, x1] free of glyphs (in ascending
// order).
func widestGap(x0, x1 vg.Length, glyphs []vg.Length) (lo, hi vg.Length) {
	const clear = 7
	from, _ := slices.BinarySearch(glyphs, x0-clear)
	for from < len(glyphs) && glyphs[from] <= x0-clear {
		from++
	}
	to, _ := slices.BinarySearch(glyphs, x1+clear)
	cuts := make([]vg.Length, 0, to-from+2)
	cuts = append(cuts, x0)
	cuts = append(cuts, glyphs[from:to]...)
	cuts = append(cuts, x1)
	slices.Sort(cuts)
	lo, hi = x0, x0
	for i := 1; i < len(cuts); i++ {
		a, b := cuts[i-1], cuts[i]
		if i > 1 {
			a += clear
		}
		if i < len(cuts)-1 {
			b -= clear
		}
		if b-a > hi-lo {
			lo, hi = a, b
		}
	}
	return lo, hi
}

func (b *Bands) bandText(c draw.Canvas, th theme, g laneGeom, x0, x1 vg.Length, band Band, st bandStyle, glyphs []vg.Length) {
	sty := th.band
	sty.Color = st.ink
	txt := st.inside
	switch band.State {
	case StateOutage:
		sty = th.bandBold
		txt = "OUTAGE " + shortDuration(band.End.Sub(band.Start))
		if band.Note != "" {
			if long := txt + ": serves expired " + band.Note; sty.Width(long)+10 <= x1-x0 {
				txt = long
			}
		}
	case StateServing:
		if band.Note != "" {
			txt = "serves " + band.Note
		}
	}
	x0, x1 = widestGap(x0, x1, glyphs)
	if sty.Width(txt)+10 > x1-x0 {
		return
	}
	sty.XAlign = draw.XCenter
	sty.YAlign = draw.YCenter
	c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: g.mid}, txt)
}

func rectOf(x0, y0, x1, y1 vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
}

// markerPlotter draws the markers of a timeline with their labels, laid out
// in rows above and below the bands so that no two labels overlap.
type markerPlotter struct {
	t    *Timeline
	th   theme
	need *layoutNeed
}

// labelGroup is one label on the plot: markers of one lane close enough
// to share it.
type labelGroup struct {
	lane   int
	class  string
	x      vg.Length // where the label's leader starts
	at     time.Time // the time of its first marker
	labels []string
	count  int
	last   vg.Length
}

func (g *labelGroup) text() string {
	if g.count <= 1 {
		return strings.Join(slices.Compact(slices.Clone(g.labels)), " · ")
	}
	// Repeats: "Action Required ×5 (30d…1d)".
	base, first := splitLabel(g.labels[0])
	_, last := splitLabel(g.labels[len(g.labels)-1])
	s := fmt.Sprintf("%s ×%d", base, g.count)
	if first != "" && last != "" {
		s += " (" + first + "…" + last + ")"
	}
	return s
}

// splitLabel cuts "Action Required (30d)" into "Action Required" and "30d".
func splitLabel(l string) (base, paren string) {
	if i := strings.LastIndex(l, " ("); i >= 0 && strings.HasSuffix(l, ")") {
		return l[:i], l[i+2 : len(l)-1]
	}
	return l, ""
}

// Plot implements plot.Plotter.
func (mp *markerPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	t, th := mp.t, mp.th
	trX, trY := p.Transforms(&c)
	byLane := make([][]Marker, len(t.Lanes))
	for _, m := range t.Markers {
		if m.Lane >= 0 && m.Lane < len(byLane) {
			byLane[m.Lane] = append(byLane[m.Lane], m)
		}
	}
	for lane := range t.Lanes {
		g := t.geom(lane, trY)
		mp.need.laneH = g.hi - g.lo
		ms := byLane[lane]
		// Glyphs: the ones that matter most drawn last, on top.
		for r := 0; r <= 3; r++ {
			for _, m := range ms {
				if classRank(m.Class) != r {
					continue
				}
				x := trX(unixOf(m.Time))
				if !c.ContainsX(x) && x != c.Max.X {
					continue
				}
				y := g.mid
				if _, alarm := alarmIndex(m.Class); alarm {
					y = g.bandHi // on the band's upper edge, clear of the entry markers
				}
				drawGlyph(c, m.Class, vg.Point{X: x, Y: y}, g)
			}
		}
		groups := groupLabels(ms, lane, trX, th)
		for _, b := range t.Lanes[lane].Bands {
			if b.State == StateOutage {
				groups = append(groups, &labelGroup{lane: lane, class: classOutage, x: trX(unixOf(b.Start)),
					labels: []string{"OUTAGE " + shortDuration(b.End.Sub(b.Start)) + " from " + ts(b.Start)}, count: 1})
			}
		}
		slices.SortStableFunc(groups, func(a, b *labelGroup) int { return cmpLength(a.x, b.x) })
		mp.labels(c, th, g, groups)
	}
}

func drawGlyph(c draw.Canvas, class string, pt vg.Point, g laneGeom) {
	gs := glyphOf(class)
	if class == MarkMinor {
		// A short tick on the band's top edge.
		c.StrokeLine2(draw.LineStyle{Color: gs.glyph.Color, Width: 0.8}, pt.X, g.bandHi-3, pt.X, g.bandHi+3)
		return
	}
	halo := draw.GlyphStyle{Color: color.White, Radius: gs.glyph.Radius + 1.6, Shape: draw.CircleGlyph{}}
	c.DrawGlyphNoClip(halo, pt)
	c.DrawGlyphNoClip(gs.glyph, pt)
	if class == MarkExpired {
		thick := gs.glyph
		thick.Radius -= 0.6
		c.DrawGlyphNoClip(thick, vg.Point{X: pt.X + 0.5, Y: pt.Y})
		c.DrawGlyphNoClip(thick, vg.Point{X: pt.X - 0.5, Y: pt.Y})
	}
}

// groupLabels merges the labels of markers that would crowd each other:
// repeated notices become one "×N" label, and markers at the same place
// share one label.
func groupLabels(ms []Marker, lane int, trX func(float64) vg.Length, th theme) []*labelGroup {
	var groups []*labelGroup
	open := map[string]*labelGroup{}
	for _, m := range ms {
		if m.Label == "" || m.Class == MarkMinor {
			continue
		}
		x := trX(unixOf(m.Time))
		base, _ := splitLabel(m.Label)
		key := m.Class + "\x00" + base
		if g, ok := open[key]; ok && x-g.last < th.label.Width(g.labels[0])+12 {
			g.labels = append(g.labels, m.Label)
			g.count++
			g.last = x
			continue
		}
		g := &labelGroup{lane: lane, class: m.Class, x: x, at: m.Time, labels: []string{m.Label}, count: 1, last: x}
		open[key] = g
		groups = append(groups, g)
	}
	// Markers at the same time share a label.
	var out []*labelGroup
	for _, g := range groups {
		if n := len(out); n > 0 && g.at.Equal(out[n-1].at) {
			prev := out[n-1]
			prev.labels = []string{prev.text(), g.text()}
			if classRank(g.class) > classRank(prev.class) {
				prev.class = g.class
			}
			prev.count = 1
			continue
		}
		out = append(out, g)
	}
	return out
}

func cmpLength(a, b vg.Length) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// classOutage labels an outage band; it has no glyph.
const classOutage = "outage"

// classRank orders classes by how much they matter, for the style of a shared
// label.
func classRank(class string) int {
	switch class {
	case MarkExpired, classOutage:
		return 3
	case MarkRenewed:
		return 2
	case MarkMinor, MarkOther:
		return 0
	}
	return 1
}

type labelSpan struct{ x0, x1 vg.Length }

// labels places every label in the first row, above or below the band,
// where it overlaps no other label and its leader crosses none.
func (mp *markerPlotter) labels(c draw.Canvas, th theme, g laneGeom, groups []*labelGroup) {
	const gap, rowH, pad = labelGap, labelRow, 6
	nAbove := int((g.hi - g.bandHi - gap) / rowH)
	nBelow := int((g.bandLo - 6 - g.lo - gap) / rowH)
	// Rows are chosen as if there were always labelRows on either side, so
	// that a dry run can tell Size how tall the lanes must be; a label in a
	// row that does not fit is left out.
	var slots []int // >0: above row k-1; <0: below row -k-1
	for k := 0; k < labelRows; k++ {
		slots = append(slots, k+1, -k-1)
	}
	used := map[int][]labelSpan{}
	free := func(slot int, s labelSpan) bool {
		for _, o := range used[slot] {
			if s.x0 < o.x1+pad && o.x0 < s.x1+pad {
				return false
			}
		}
		return true
	}
	crosses := func(slot int, x vg.Length) bool {
		step := 1
		if slot < 0 {
			step = -1
		}
		for s := step; s != slot; s += step {
			for _, o := range used[s] {
				if x >= o.x0-2 && x <= o.x1+2 {
					return true
				}
			}
		}
		return false
	}
	type placed struct {
		g    *labelGroup
		slot int
		s    labelSpan
		txt  string
		sty  text.Style
	}
	var out []placed
	for _, grp := range groups {
		txt := grp.text()
		gs := glyphOf(grp.class)
		sty := th.label
		if gs.bold {
			sty = th.labelBold
		}
		sty.Color = gs.ink
		// A label wider than the room on either side of its leader (a
		// user's long alarm name) is cut to the wider side.
		if room := max(c.Max.X-grp.x-3, grp.x-3-c.Min.X); sty.Width(txt) > room {
			txt = fitText(sty, txt, room)
		}
		w := sty.Width(txt)
		// Right of the leader, or left of it near the right edge or when
		// the right is taken.
		right, left := labelSpan{grp.x + 3, grp.x + 3 + w}, labelSpan{grp.x - 3 - w, grp.x - 3}
		sides := []labelSpan{right, left}
		if right.x1 > c.Max.X {
			sides = []labelSpan{left}
		} else if left.x0 < c.Min.X {
			sides = []labelSpan{right}
		}
		best, fallback := 0, 0
		var bestSpan, fallbackSpan labelSpan
	search:
		for _, slot := range slots {
			for _, s := range sides {
				if !free(slot, s) {
					continue
				}
				if fallback == 0 {
					fallback, fallbackSpan = slot, s
				}
				if !crosses(slot, grp.x) {
					best, bestSpan = slot, s
					break search
				}
			}
		}
		if best == 0 {
			best, bestSpan = fallback, fallbackSpan
		}
		if best == 0 {
			continue // no room at all: the glyph stays, the label goes
		}
		used[best] = append(used[best], bestSpan)
		if best > 0 {
			mp.need.above = max(mp.need.above, best)
		} else {
			mp.need.below = max(mp.need.below, -best)
		}
		if best > nAbove || -best > nBelow {
			continue
		}
		out = append(out, placed{grp, best, bestSpan, txt, sty})
	}
	rowY := func(slot int) (lo, hi vg.Length) {
		if slot > 0 {
			lo = g.bandHi + gap + vg.Length(slot-1)*rowH
		} else {
			hi = g.bandLo - 6 - gap - vg.Length(-slot-1)*rowH
			lo = hi - rowH
			return lo, hi
		}
		return lo, lo + rowH
	}
	// Leaders first, then labels on a light background over them.
	for _, p := range out {
		lo, hi := rowY(p.slot)
		from, to := g.bandHi, lo+2
		if p.slot < 0 {
			from, to = g.bandLo, hi-2
		}
		c.StrokeLine2(draw.LineStyle{Color: colLine, Width: 0.6}, p.g.x, from, p.g.x, to)
	}
	for _, p := range out {
		lo, hi := rowY(p.slot)
		c.SetColor(colLabelBg)
		c.Fill(rectOf(p.s.x0-1.5, lo+1, p.s.x1+1.5, hi-1).Path())
		sty := p.sty
		sty.YAlign = draw.YCenter
		c.FillText(sty, vg.Point{X: p.s.x0, Y: (lo + hi) / 2}, p.txt)
	}
}

// legendEntry is one item of the legend.
type legendEntry struct {
	state, class string // one of them
	margin       bool
	text         string
}

// legend lists what the plot uses, in a fixed order.
func (t *Timeline) legend() []legendEntry {
	var out []legendEntry
	states := map[string]bool{}
	for _, l := range t.Lanes {
		for _, b := range l.Bands {
			states[b.State] = true
		}
	}
	for _, s := range stateOrder {
		if states[s] {
			out = append(out, legendEntry{state: s, text: styleOf(s).legend})
			delete(states, s)
		}
	}
	var rest []string
	for s := range states {
		rest = append(rest, s)
	}
	slices.Sort(rest)
	for _, s := range rest {
		out = append(out, legendEntry{state: s, text: styleOf(s).legend})
	}
	if len(t.Margins) > 0 {
		out = append(out, legendEntry{margin: true, text: "margin: renewed before expiry"})
	}
	classes := map[string]bool{}
	for _, m := range t.Markers {
		classes[m.Class] = true
	}
	for _, cl := range markOrder {
		if classes[cl] {
			out = append(out, legendEntry{class: cl, text: glyphOf(cl).legend})
		}
	}
	for k, name := range t.AlarmNames {
		if classes[AlarmClass(k)] {
			// An alarm's name is the user's: a long one is cut, so that its
			// entry fits a legend row.
			out = append(out, legendEntry{class: AlarmClass(k), text: fitText(newTheme().legend, "alarm "+name+" fired", plotWidth/2)})
		}
	}
	return out
}

const legendSwatch = 18

// layoutLegend breaks a legend into rows no wider than width; text gives
// an entry's label.
func layoutLegend[E any](entries []E, text func(E) string, th theme, width vg.Length) [][]E {
	var rows [][]E
	var x vg.Length
	for _, e := range entries {
		w := legendSwatch + 4 + th.legend.Width(text(e)) + 14
		if len(rows) == 0 || (x+w > width && x > 0) {
			rows = append(rows, nil)
			x = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], e)
		x += w
	}
	return rows
}

func drawLegend(c draw.Canvas, th theme, rows [][]legendEntry, x0, top vg.Length) {
	y := top
	for _, row := range rows {
		x := x0
		mid := y - 8
		for _, e := range row {
			switch {
			case e.state != "":
				st := styleOf(e.state)
				c.SetColor(st.fill)
				c.Fill(rectOf(x, mid-5, x+legendSwatch, mid+5).Path())
			case e.margin:
				sty := draw.LineStyle{Color: colGood, Width: 1.2}
				c.StrokeLine2(sty, x+1, mid, x+legendSwatch-1, mid)
				c.StrokeLine2(sty, x+1, mid-3, x+1, mid+3)
				c.StrokeLine2(sty, x+legendSwatch-1, mid-3, x+legendSwatch-1, mid+3)
			default:
				g := laneGeom{bandLo: mid - 5, bandHi: mid + 5, mid: mid}
				drawGlyph(c, e.class, vg.Point{X: x + legendSwatch/2, Y: mid}, g)
			}
			sty := th.legend
			sty.YAlign = draw.YCenter
			c.FillText(sty, vg.Point{X: x + legendSwatch + 4, Y: mid}, e.text)
			x += legendSwatch + 4 + th.legend.Width(e.text) + 14
		}
		y -= 16
	}
}
