package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/renewsim/renewsim/sim"
	"github.com/renewsim/renewsim/sweep"
)

// Sweep charts are 720×405 pt SVG documents (960×540 CSS pixels).
const (
	sweepPlotW = 720 * vg.Length(1)
	sweepPlotH = 405 * vg.Length(1)
)

var (
	sweepSans      = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sweepOK        = color.NRGBA{R: 0x1b, G: 0x7f, B: 0x3b, A: 255}
	sweepBad       = color.NRGBA{R: 0xb2, G: 0x18, B: 0x2b, A: 255}
	sweepInk       = color.NRGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 255}
	sweepFaint     = color.NRGBA{R: 0x5f, G: 0x63, B: 0x68, A: 255}
	sweepScatterFg = color.NRGBA{R: 0x1f, G: 0x4e, B: 0x9a, A: 0x90}
	// Okabe–Ito, colour-blind safe, for series.
	sweepSeries = []color.NRGBA{
		{R: 0x00, G: 0x72, B: 0xb2, A: 255}, {R: 0xe6, G: 0x9f, B: 0x00, A: 255}, {R: 0x00, G: 0x9e, B: 0x73, A: 255},
		{R: 0xcc, G: 0x79, B: 0xa7, A: 255}, {R: 0x56, G: 0xb4, B: 0xe9, A: 255}, {R: 0xd5, G: 0x5e, B: 0x00, A: 255},
		{R: 0x00, G: 0x00, B: 0x00, A: 255}, {R: 0xf0, G: 0xe4, B: 0x42, A: 255},
	}
)

// SweepPlot is one chart of a sweep.
type SweepPlot struct {
	// Name is a file name for it, like margin-1.svg.
	Name  string
	Title string
	SVG   []byte
}

// SweepPlots draws the charts that suit the variants: margin against each
// parameter that takes several values (at most six charts), an outcome heat
// map of the first two -vary parameters, and a margin histogram for Monte
// Carlo runs. The same variants always give the same bytes.
func SweepPlots(vs []sweep.Variant) ([]SweepPlot, error) {
	var out []SweepPlot
	c := sweep.ColumnsOf(vs)
	var multi []string // -vary paths with several values
	for _, p := range c.Params {
		if len(sweepDistinct(vs, p, false)) > 1 {
			multi = append(multi, p)
		}
	}
	var axes []sweepAxisSpec
	for _, p := range multi {
		axes = append(axes, sweepAxisSpec{p, false})
	}
	for _, p := range c.Sampled {
		if len(sweepDistinct(vs, p, true)) > 1 {
			axes = append(axes, sweepAxisSpec{p, true})
		}
	}
	for i, ax := range axes {
		if i == 6 {
			break
		}
		svg, err := marginPlot(vs, ax.path, ax.sampled)
		if err != nil {
			return nil, err
		}
		title := "margin vs " + ax.path
		if ax.sampled {
			title += " (sampled)"
		}
		out = append(out, SweepPlot{Name: fmt.Sprintf("margin-%d.svg", i+1), Title: title, SVG: svg})
	}
	more, err := alarmPlots(vs, axes)
	if err != nil {
		return nil, err
	}
	out = append(out, more...)
	if len(multi) >= 2 {
		svg, err := OutcomeHeatMap(vs, multi[0], multi[1])
		if err != nil {
			return nil, err
		}
		out = append(out, SweepPlot{Name: "outcomes.svg", SVG: svg,
			Title: fmt.Sprintf("outcomes by %s and %s: green renewed and served in time, red an outage or an expiry; a cell of several variants shows the share of red ones", multi[0], multi[1])})
	}
	if c.Runs || (len(vs) >= 20 && len(multi) == 0) {
		svg, err := MarginHistogram(vs)
		if err != nil {
			return nil, err
		}
		out = append(out, SweepPlot{Name: "margin-histogram.svg", Title: "margin histogram", SVG: svg})
	}
	return out, nil
}

func sweepParamOf(v *sweep.Variant, path string, sampled bool) (string, bool) {
	if sampled {
		return v.Sampled.Value(path)
	}
	return v.Params.Value(path)
}

func sweepDistinct(vs []sweep.Variant, path string, sampled bool) []string {
	var out []string
	seen := map[string]bool{}
	for i := range vs {
		if s, ok := sweepParamOf(&vs[i], path, sampled); ok && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// sweepDurationUnit picks hours or days for durations spanning up to span.
func sweepDurationUnit(span time.Duration) (time.Duration, string) {
	if span < 3*sim.Day {
		return time.Hour, "hours"
	}
	return sim.Day, "days"
}

var sweepTimeExpr = regexp.MustCompile(`^(start|[A-Za-z0-9][A-Za-z0-9_-]*\.(?:issued|expiry))\s*(?:([+-])\s*(.+))?$`)

// sweepAxis places a parameter's values on a chart axis: numbers as they
// are, durations in hours or days, times as days (or hours) from the
// earliest, time expressions of one base as their offset, anything else as
// evenly spaced categories in order of appearance.
type sweepAxis struct {
	label  string
	x      map[string]float64
	ticks  []plot.Tick // categories only
	values []string
}

func newSweepAxis(path string, values []string) sweepAxis {
	ax := sweepAxis{x: map[string]float64{}, values: values}
	all := func(f func(string) (float64, bool)) bool {
		m := map[string]float64{}
		for _, v := range values {
			x, ok := f(v)
			if !ok {
				return false
			}
			m[v] = x
		}
		ax.x = m
		return true
	}
	if all(func(s string) (float64, bool) {
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
	}) {
		ax.label = path
		return ax
	}
	var ds []time.Duration
	if all(func(s string) (float64, bool) {
		d, err := sim.ParseDuration(s)
		ds = append(ds, d)
		return float64(d), err == nil
	}) {
		unit, name := sweepDurationUnit(slices.Max(ds) - min(slices.Min(ds), 0))
		for k, x := range ax.x {
			ax.x[k] = x / float64(unit)
		}
		ax.label = fmt.Sprintf("%s (%s)", path, name)
		return ax
	}
	var ts []time.Time
	if all(func(s string) (float64, bool) {
		t, err := time.Parse(time.RFC3339, s)
		ts = append(ts, t)
		return float64(t.Unix()), err == nil
	}) {
		first := slices.MinFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		last := slices.MaxFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		unit, name := sweepDurationUnit(last.Sub(first))
		for k, x := range ax.x {
			ax.x[k] = (x - float64(first.Unix())) * float64(time.Second) / float64(unit)
		}
		ax.label = fmt.Sprintf("%s (%s after %s)", path, name, first.UTC().Format("2006-01-02 15:04Z"))
		return ax
	}
	base := ""
	var offs []time.Duration
	if all(func(s string) (float64, bool) {
		m := sweepTimeExpr.FindStringSubmatch(strings.TrimSpace(s))
		if m == nil || (base != "" && m[1] != base) {
			return 0, false
		}
		base = m[1]
		var d time.Duration
		if m[2] != "" {
			var err error
			if d, err = sim.ParseDuration(m[2] + m[3]); err != nil {
				return 0, false
			}
		}
		offs = append(offs, d)
		return float64(d), true
	}) {
		unit, name := sweepDurationUnit(slices.Max(offs) - slices.Min(offs))
		for k, x := range ax.x {
			ax.x[k] = x / float64(unit)
		}
		ax.label = fmt.Sprintf("%s (%s from %s)", path, name, base)
		return ax
	}
	ax.x = map[string]float64{}
	for i, v := range values {
		ax.x[v] = float64(i)
	}
	ax.ticks = sweepCategoryTicks(values)
	ax.label = path
	return ax
}

// sweepCategoryTicks labels categories 0..n-1, thinned so that the labels
// do not overlap across about 600 pt of axis.
func sweepCategoryTicks(values []string) []plot.Tick {
	longest := 1
	for _, v := range values {
		longest = max(longest, min(24, utf8.RuneCountInString(v)))
	}
	fit := max(1, 600/(longest*6+12)) // labels that fit, at about 6 pt a character
	every := max(1, (len(values)+fit-1)/fit)
	var ticks []plot.Tick
	for i, v := range values {
		label := ""
		if i%every == 0 {
			label = v
			if r := []rune(label); len(r) > 24 {
				label = string(r[:23]) + "…"
			}
		}
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: label})
	}
	return ticks
}

// newSweepPlot is a plot in the house style: sans-serif text, light grid.
func newSweepPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	sans := func(size vg.Length) font.Font { return font.From(sweepSans, size) }
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(13)
	p.Title.TextStyle.Color = sweepInk
	p.Title.Padding = 8
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = sans(11)
		ax.Label.TextStyle.Color = sweepInk
		ax.Tick.Label.Font = sans(10)
		ax.Tick.Label.Color = sweepFaint
		ax.Color = sweepFaint
		ax.Tick.Color = sweepFaint
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font = sans(10)
	p.Legend.TextStyle.Color = sweepInk
	p.Legend.Top = true
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.NRGBA{R: 0xe8, G: 0xea, B: 0xed, A: 255}
	grid.Horizontal.Color = grid.Vertical.Color
	p.Add(grid)
	return p
}

// sweepSVG renders p as an SVG document.
func sweepSVG(p *plot.Plot) ([]byte, error) {
	cv := vgsvg.New(sweepPlotW, sweepPlotH)
	p.Draw(draw.New(cv))
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")), nil
}

// sweepMarginUnit picks hours or days for the margins of vs.
func sweepMarginUnit(vs []sweep.Variant) (time.Duration, string) {
	var span time.Duration
	for i := range vs {
		if m, ok := vs[i].SmallestMargin(); ok {
			span = max(span, m, -m)
		}
	}
	return sweepDurationUnit(span)
}

// MarginPlot draws the margin of every variant against the -vary
// parameter path, with the outage line at zero. Variants without a margin
// (not renewed, or not served in time) are crosses below the lowest point.
// When the other -vary parameters take at most eight combinations and there
// are no Monte Carlo runs, each combination is a line; otherwise the
// variants are dots and a line joins the median at each value.
func MarginPlot(vs []sweep.Variant, path string) ([]byte, error) {
	return marginPlot(vs, path, false)
}

func marginPlot(vs []sweep.Variant, path string, sampled bool) ([]byte, error) {
	values := sweepDistinct(vs, path, sampled)
	if len(values) == 0 {
		return nil, fmt.Errorf("no variant has the parameter %s", path)
	}
	ax := newSweepAxis(path, values)
	unit, unitName := sweepMarginUnit(vs)
	name := "the sweep"
	if len(vs) > 0 {
		name = vs[0].Scenario
	}
	yLabel := fmt.Sprintf("margin (%s): expiry − served everywhere", unitName)
	if len(sweep.ColumnsOf(vs).Certs) > 1 {
		yLabel = fmt.Sprintf("smallest margin of the certificates (%s)", unitName)
	}
	p := newSweepPlot(fmt.Sprintf("%s: margin vs %s", name, path), ax.label, yLabel)
	if ax.ticks != nil {
		p.X.Tick.Marker = plot.ConstantTicks(ax.ticks)
	}
	m := collectMargins(vs, path, sampled, ax, unit)
	var err error
	if !m.runs && !sampled && len(m.keys) <= len(sweepSeries) {
		err = m.addLines(p)
	} else {
		err = m.addScatter(p, len(vs), unit)
	}
	if err != nil {
		return nil, err
	}
	lo, hi := m.lo, m.hi
	if len(m.none) > 0 {
		if lo, err = addUnrenewed(p, m.none, lo, hi); err != nil {
			return nil, err
		}
	}
	xmin, xmax := ax.span()
	if err := addLimitLine(p, plotter.XY{X: xmin}, plotter.XY{X: xmax}, "outage below this line"); err != nil {
		return nil, err
	}
	if hi == lo {
		hi = lo + 1
	}
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, lo), math.Max(p.Y.Max, hi+(hi-lo)*0.25)
	return sweepSVG(p)
}

// marginPoint is one variant's smallest margin at its parameter's place.
type marginPoint struct{ x, y float64 }

// margins are the variants' smallest margins, ready to draw.
type margins struct {
	keys   []string                     // series in the order first met: one per combination of the other -vary parameters
	series map[string][]marginPoint     // by key
	byX    map[float64][]*time.Duration // every margin at each x, nil for none
	none   []float64                    // the x of each variant with no margin (not renewed or not served)
	runs   bool                         // some variant is a Monte Carlo run
	lo, hi float64                      // the margins' range, 0 included
}

func collectMargins(vs []sweep.Variant, path string, sampled bool, ax sweepAxis, unit time.Duration) *margins {
	seriesKey := func(v *sweep.Variant) string {
		var parts []string
		for _, pr := range v.Params {
			if pr.Path != path || sampled {
				parts = append(parts, pr.Path+"="+pr.Value)
			}
		}
		return strings.Join(parts, ", ")
	}
	m := &margins{series: map[string][]marginPoint{}, byX: map[float64][]*time.Duration{}}
	for i := range vs {
		v := &vs[i]
		s, ok := sweepParamOf(v, path, sampled)
		if !ok {
			continue
		}
		m.runs = m.runs || v.Run != nil
		x := ax.x[s]
		d, ok := v.SmallestMargin()
		if !ok {
			m.none = append(m.none, x)
			m.byX[x] = append(m.byX[x], nil)
			continue
		}
		y := float64(d) / float64(unit)
		m.lo, m.hi = min(m.lo, y), max(m.hi, y)
		k := seriesKey(v)
		if _, seen := m.series[k]; !seen {
			m.keys = append(m.keys, k)
		}
		m.series[k] = append(m.series[k], marginPoint{x, y})
		m.byX[x] = append(m.byX[x], &d)
	}
	return m
}

// addLines draws each series as a line through its points, for a small
// grid without runs.
func (m *margins) addLines(p *plot.Plot) error {
	for i, k := range m.keys {
		pts := m.series[k]
		slices.SortStableFunc(pts, func(a, b marginPoint) int { return sweepCmpFloat(a.x, b.x) })
		xys := make(plotter.XYs, len(pts))
		for j, pt := range pts {
			xys[j] = plotter.XY{X: pt.x, Y: pt.y}
		}
		l, sc, err := plotter.NewLinePoints(xys)
		if err != nil {
			return err
		}
		col := sweepSeries[i%len(sweepSeries)]
		l.Color, l.Width = col, 1.5
		sc.Color, sc.Shape, sc.Radius = col, draw.CircleGlyph{}, 2.5
		p.Add(l, sc)
		if k != "" {
			p.Legend.Add(k, l, sc)
		}
	}
	return nil
}

// addScatter draws every variant as a point and, where values repeat, the
// median at each value.
func (m *margins) addScatter(p *plot.Plot, variants int, unit time.Duration) error {
	var xys plotter.XYs
	for _, k := range m.keys {
		for _, pt := range m.series[k] {
			xys = append(xys, plotter.XY{X: pt.x, Y: pt.y})
		}
	}
	if len(xys) > 0 {
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return err
		}
		sc.Color, sc.Shape, sc.Radius = sweepScatterFg, draw.CircleGlyph{}, 1.8
		p.Add(sc)
		p.Legend.Add("a variant", sc)
	}
	var xs []float64
	for x := range m.byX {
		xs = append(xs, x)
	}
	slices.Sort(xs)
	var med plotter.XYs
	for _, x := range xs {
		ms := m.byX[x]
		slices.SortStableFunc(ms, sweep.CompareMargins)
		if d, ok := sweep.Percentile(ms, 50); ok && d != nil {
			med = append(med, plotter.XY{X: x, Y: float64(*d) / float64(unit)})
		}
	}
	// A median per value only when values repeat (a grid with runs), not
	// for a sampled parameter, whose values are nearly all different.
	repeated := len(xs) > 0 && variants >= 2*len(xs)
	if !repeated || len(med) == 0 {
		return nil
	}
	l, err := plotter.NewLine(med)
	if err != nil {
		return err
	}
	l.Color, l.Width = sweepSeries[0], 2
	p.Add(l)
	p.Legend.Add("median", l)
	return nil
}

// addUnrenewed marks the variants with no margin with crosses below the
// lowest margin, and returns the new bottom of the range.
func addUnrenewed(p *plot.Plot, none []float64, lo, hi float64) (float64, error) {
	y := lo - math.Max((hi-lo)*0.08, 0.5)
	xys := make(plotter.XYs, len(none))
	for i, x := range none {
		xys[i] = plotter.XY{X: x, Y: y}
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return lo, err
	}
	sc.Color, sc.Shape, sc.Radius = sweepBad, draw.CrossGlyph{}, 3.5
	p.Add(sc)
	p.Legend.Add(fmt.Sprintf("not renewed or not served (%d)", len(none)), sc)
	return y, nil
}

// span is the smallest and largest x, widened by half a unit each way
// when they are one.
func (ax sweepAxis) span() (xmin, xmax float64) {
	xmin, xmax = axisMin(ax), axisMax(ax)
	if xmax == xmin {
		xmin, xmax = xmin-0.5, xmax+0.5
	}
	return xmin, xmax
}

func sweepCmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sweepHeatCells draws a grid of coloured cells with labels.
type sweepHeatCells struct {
	nx, ny int
	fill   [][]color.Color // [y][x]
	label  [][]string
	font   text.Style
}

func (h *sweepHeatCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(h.nx) - 0.5, -0.5, float64(h.ny) - 0.5
}

func (h *sweepHeatCells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for j := range h.ny {
		for i := range h.nx {
			x0, x1 := trX(float64(i)-0.5), trX(float64(i)+0.5)
			y0, y1 := trY(float64(j)-0.5), trY(float64(j)+0.5)
			if h.fill[j][i] == nil {
				continue
			}
			c.FillPolygon(h.fill[j][i], []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
			c.StrokeLines(draw.LineStyle{Color: color.White, Width: 1},
				[]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
			l := h.label[j][i]
			if l == "" {
				continue
			}
			sty := h.font
			if w := sty.Width(l); w > (x1-x0)-2 || sty.Height(l) > (y1-y0)-2 {
				continue
			}
			c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, l)
		}
	}
}

// sweepMix blends green (share 0) into red (share 1).
func sweepMix(share float64) color.Color {
	lerp := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + share*(float64(b)-float64(a)))) }
	return color.NRGBA{R: lerp(sweepOK.R, sweepBad.R), G: lerp(sweepOK.G, sweepBad.G), B: lerp(sweepOK.B, sweepBad.B), A: 255}
}

// OutcomeHeatMap draws a cell for each pair of values of the -vary
// parameters xPath and yPath, green when no variant in it had an outage or
// an expiry, red when all did, in between by their share. A cell of one
// variant says ok, the longest outage, or expired; a cell of several says
// the share.
func OutcomeHeatMap(vs []sweep.Variant, xPath, yPath string) ([]byte, error) {
	xs, ys := sweepDistinct(vs, xPath, false), sweepDistinct(vs, yPath, false)
	if len(xs) == 0 || len(ys) == 0 {
		return nil, fmt.Errorf("the variants do not have both %s and %s", xPath, yPath)
	}
	type cell struct {
		n, bad, expired int
		outage          time.Duration
	}
	cells := make([][]cell, len(ys))
	for j := range cells {
		cells[j] = make([]cell, len(xs))
	}
	for i := range vs {
		xv, ok1 := vs[i].Params.Value(xPath)
		yv, ok2 := vs[i].Params.Value(yPath)
		if !ok1 || !ok2 {
			continue
		}
		c := &cells[slices.Index(ys, yv)][slices.Index(xs, xv)]
		expired, outage := vs[i].Trouble()
		c.n++
		if expired {
			c.expired++
		}
		if expired || outage > 0 {
			c.bad++
		}
		c.outage = max(c.outage, outage)
	}
	h := &sweepHeatCells{nx: len(xs), ny: len(ys)}
	h.font = text.Style{Color: color.White, Font: font.From(sweepSans, 9), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	for j := range ys {
		h.fill = append(h.fill, make([]color.Color, len(xs)))
		h.label = append(h.label, make([]string, len(xs)))
		for i := range xs {
			c := cells[j][i]
			if c.n == 0 {
				continue
			}
			h.fill[j][i] = sweepMix(float64(c.bad) / float64(c.n))
			switch {
			case c.n > 1:
				h.label[j][i] = fmt.Sprintf("%.0f%%", 100*float64(c.bad)/float64(c.n))
			case c.expired > 0:
				h.label[j][i] = "expired"
			case c.outage > 0:
				h.label[j][i] = sim.FormatDuration(c.outage)
			default:
				h.label[j][i] = "ok"
			}
		}
	}
	name := vs[0].Scenario
	p := newSweepPlot(fmt.Sprintf("%s: outage or expiry by %s and %s", name, xPath, yPath), xPath, yPath)
	p.Add(h)
	p.X.Tick.Marker = plot.ConstantTicks(sweepCategoryTicks(xs))
	p.Y.Tick.Marker = plot.ConstantTicks(sweepCategoryTicks(ys))
	p.X.Padding, p.Y.Padding = 0, 0
	return sweepSVG(p)
}

// MarginHistogram draws how the margins of the variants are distributed,
// with the outage line at zero; the variants without a margin are counted
// in the title.
func MarginHistogram(vs []sweep.Variant) ([]byte, error) {
	unit, unitName := sweepMarginUnit(vs)
	var vals plotter.Values
	none := 0
	for i := range vs {
		if m, ok := vs[i].SmallestMargin(); ok {
			vals = append(vals, float64(m)/float64(unit))
		} else {
			none++
		}
	}
	name := "the sweep"
	if len(vs) > 0 {
		name = vs[0].Scenario
	}
	title := fmt.Sprintf("%s: margin of %s", name, sim.Count(len(vs), "variant"))
	if none > 0 {
		title += fmt.Sprintf("; %d not renewed or not served (not shown)", none)
	}
	p := newSweepPlot(title, fmt.Sprintf("margin (%s): expiry − served everywhere", unitName), "variants")
	lo, hi := 0.0, 0.0
	if len(vals) > 0 {
		bins := max(5, min(40, int(math.Ceil(math.Sqrt(float64(len(vals)))))))
		h, err := plotter.NewHist(vals, bins)
		if err != nil {
			return nil, err
		}
		h.FillColor = sweepSeries[0]
		h.LineStyle.Color = color.White
		h.LineStyle.Width = 0.5
		p.Add(h)
		for _, b := range h.Bins {
			hi = max(hi, b.Weight)
		}
	}
	hi = max(hi, 1)
	if err := addLimitLine(p, plotter.XY{Y: lo}, plotter.XY{Y: hi * 1.05}, "outage left of this line"); err != nil {
		return nil, err
	}
	p.Legend.Left = true
	p.Y.Min = 0
	p.Y.Max = math.Max(p.Y.Max, hi*1.15)
	return sweepSVG(p)
}

// addLimitLine draws the dashed line from a to b past which a sweep's
// values mean trouble, with its legend entry.
func addLimitLine(p *plot.Plot, a, b plotter.XY, label string) error {
	line, err := plotter.NewLine(plotter.XYs{a, b})
	if err != nil {
		return err
	}
	line.Color, line.Width, line.Dashes = sweepBad, 1.2, []vg.Length{5, 3}
	p.Add(line)
	p.Legend.Add(label, line)
	return nil
}
