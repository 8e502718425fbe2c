package report

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/renewsim/renewsim/sweep"
)

// alarmCSVFields are the CSV columns of each alarm, after "alarm.NAME.".
var alarmCSVFields = []string{"fired", "false_alarms", "troubles", "missed", "lead_time", "lead_time_seconds"}

// alarmCSVCells are the cells of a variant for the alarms names.
func alarmCSVCells(v *sweep.Variant, names []string) []string {
	var row []string
	byName := firstByID(v.Alarms, func(a *sweep.Alarm) string { return a.Name })
	for _, n := range names {
		cells := make([]string, len(alarmCSVFields))
		if i, ok := byName[n]; ok {
			a := &v.Alarms[i]
			cells[0], cells[1], cells[2], cells[3] = strconv.Itoa(a.Fired), strconv.Itoa(a.FalseAlarms), strconv.Itoa(a.Troubles), strconv.Itoa(a.Missed)
			if a.LeadTime != nil {
				cells[4], cells[5] = *a.LeadTime, strconv.FormatInt(*a.LeadTimeSeconds, 10)
			}
		}
		row = append(row, cells...)
	}
	return row
}

// writeAlarmAggregate prints the alarm table of a sweep's summary.
func writeAlarmAggregate(b *bytes.Buffer, a *sweep.Aggregate) {
	if len(a.Alarms) == 0 {
		return
	}
	n := a.Variants
	fmt.Fprintln(b)
	rows := [][]string{{"alarm", "fired", "warned", "missed", "false alarms", "lead time p5", "p50", "min"}}
	for _, x := range a.Alarms {
		rows = append(rows, []string{x.Name, sweepPct(x.Fired, n), sweepPct(x.Warned, n), sweepPct(x.Missed, n),
			fmt.Sprintf("%d in %d", x.FalseAlarms, x.WithFalse), sweepMarginText(x.LeadP5), sweepMarginText(x.LeadP50), sweepMarginText(x.LeadMin)})
	}
	sweepTable(b, rows)
	fmt.Fprintln(b, "alarms: share of variants in which each fired, warned before an expiry, outage or needed change, and missed one;")
	fmt.Fprintln(b, "false alarms: firings before a renewal that happened by itself, in that many variants; lead time: the shortest warning")
}

// alarmPlots draws, for each parameter that takes several values (at most
// six), the lead time of every alarm against it, and the false alarms
// against it when there are any.
func alarmPlots(vs []sweep.Variant, axes []sweepAxisSpec) ([]SweepPlot, error) {
	names := sweep.AlarmNames(vs)
	if len(names) == 0 {
		return nil, nil
	}
	anyLead, anyFalse := false, false
	for i := range vs {
		for _, a := range vs[i].Alarms {
			_, ok := a.Lead()
			anyLead = anyLead || ok || a.Missed > 0
			anyFalse = anyFalse || a.FalseAlarms > 0
		}
	}
	var out []SweepPlot
	for i, ax := range axes {
		if i == 6 {
			break
		}
		suffix := ""
		if ax.sampled {
			suffix = " (sampled)"
		}
		if anyLead {
			svg, err := alarmPlot(vs, names, ax, true)
			if err != nil {
				return nil, err
			}
			out = append(out, SweepPlot{Name: fmt.Sprintf("lead-time-%d.svg", i+1), SVG: svg,
				Title: "alarm lead time vs " + ax.path + suffix + ": the shortest warning each alarm gave before an expiry, an outage or a renewal that needed a change; crosses at the bottom: it missed one"})
		}
		if anyFalse {
			svg, err := alarmPlot(vs, names, ax, false)
			if err != nil {
				return nil, err
			}
			out = append(out, SweepPlot{Name: fmt.Sprintf("false-alarms-%d.svg", i+1), SVG: svg,
				Title: "false alarms vs " + ax.path + suffix + ": firings before renewals that happened by themselves"})
		}
	}
	return out, nil
}

// sweepAxisSpec is a parameter a chart is drawn against.
type sweepAxisSpec struct {
	path    string
	sampled bool
}

// alarmPlot draws one series per alarm against the parameter: the lead
// time (lead) or the number of false alarms.
func alarmPlot(vs []sweep.Variant, names []string, ax sweepAxisSpec, lead bool) ([]byte, error) {
	values := sweepDistinct(vs, ax.path, ax.sampled)
	if len(values) == 0 {
		return nil, fmt.Errorf("no variant has the parameter %s", ax.path)
	}
	axis := newSweepAxis(ax.path, values)
	name := vs[0].Scenario
	unit, unitName := sweepDurationUnit(longestLead(vs))
	title, yLabel := fmt.Sprintf("%s: alarm lead time vs %s", name, ax.path), fmt.Sprintf("lead time (%s): first firing → expiry or outage", unitName)
	if !lead {
		title, yLabel = fmt.Sprintf("%s: false alarms vs %s", name, ax.path), "false alarms"
	}
	p := newSweepPlot(title, axis.label, yLabel)
	if axis.ticks != nil {
		p.X.Tick.Marker = plot.ConstantTicks(axis.ticks)
	}
	a := collectAlarmPoints(vs, names, ax, axis, lead, unit)
	// Series drawn side by side a little, so that equal values of two
	// alarms stay visible.
	nudge := func(k int) float64 {
		if len(names) < 2 || axis.ticks == nil {
			return 0
		}
		return (float64(k) - float64(len(names)-1)/2) * 0.06
	}
	// Lines join the values of a numeric parameter (a threshold, a
	// delay); categories (profiles) stay points.
	runs := slices.ContainsFunc(vs, func(v sweep.Variant) bool { return v.Run != nil })
	if err := a.addSeries(p, names, nudge, !runs && !ax.sampled && axis.ticks == nil); err != nil {
		return nil, err
	}
	lo, hi := a.lo, a.hi
	if lead {
		var err error
		if lo, err = a.addMissed(p, names, nudge); err != nil {
			return nil, err
		}
		if err := addLimitLine(p, plotter.XY{X: axisMin(axis)}, plotter.XY{X: axisMax(axis)}, "too late below this line"); err != nil {
			return nil, err
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, lo), math.Max(p.Y.Max, hi+(hi-lo)*0.3)
	if !lead {
		p.Y.Min = 0
	}
	pad := 0.5
	if axis.ticks == nil {
		pad = (axisMax(axis) - axisMin(axis)) * 0.04
	}
	p.X.Min, p.X.Max = axisMin(axis)-pad, axisMax(axis)+pad
	return sweepSVG(p)
}

// longestLead is the longest lead time of any alarm, either way, which
// picks the unit of the chart: days, or hours when all are short.
func longestLead(vs []sweep.Variant) time.Duration {
	var span time.Duration
	for i := range vs {
		for _, a := range vs[i].Alarms {
			if d, ok := a.Lead(); ok {
				span = max(span, d, -d)
			}
		}
	}
	return span
}

// alarmPoints are, per alarm (in the order of names), its values against
// the parameter and where it missed a trouble.
type alarmPoints struct {
	series [][]marginPoint
	missed [][]float64
	lo, hi float64 // the values' range, 0 included
}

func collectAlarmPoints(vs []sweep.Variant, names []string, ax sweepAxisSpec, axis sweepAxis, lead bool, unit time.Duration) *alarmPoints {
	a := &alarmPoints{series: make([][]marginPoint, len(names)), missed: make([][]float64, len(names))}
	for i := range vs {
		v := &vs[i]
		s, ok := sweepParamOf(v, ax.path, ax.sampled)
		if !ok {
			continue
		}
		x := axis.x[s]
		for _, al := range v.Alarms {
			k := slices.Index(names, al.Name)
			if k < 0 {
				continue
			}
			if !lead {
				y := float64(al.FalseAlarms)
				a.series[k] = append(a.series[k], marginPoint{x, y})
				a.hi = max(a.hi, y)
				continue
			}
			if al.Missed > 0 {
				a.missed[k] = append(a.missed[k], x)
			}
			if d, ok := al.Lead(); ok {
				y := float64(d) / float64(unit)
				a.lo, a.hi = min(a.lo, y), max(a.hi, y)
				a.series[k] = append(a.series[k], marginPoint{x, y})
			}
		}
	}
	return a
}

// addSeries draws each alarm's values as points, joined by a line when
// lines is set.
func (a *alarmPoints) addSeries(p *plot.Plot, names []string, nudge func(int) float64, lines bool) error {
	for k, n := range names {
		col := sweepSeries[k%len(sweepSeries)]
		pts := a.series[k]
		if len(pts) == 0 {
			continue
		}
		slices.SortStableFunc(pts, func(u, w marginPoint) int { return sweepCmpFloat(u.x, w.x) })
		xys := make(plotter.XYs, len(pts))
		for j, pt := range pts {
			xys[j] = plotter.XY{X: pt.x + nudge(k), Y: pt.y}
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return err
		}
		sc.Color, sc.Shape, sc.Radius = col, draw.CircleGlyph{}, 3
		p.Add(sc)
		if !lines || len(xys) < 2 {
			p.Legend.Add(n, sc)
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return err
		}
		l.Color, l.Width = col, 1.5
		p.Add(l)
		p.Legend.Add(n, l, sc)
	}
	return nil
}

// addMissed marks with crosses below the lowest lead time where each alarm
// missed a trouble, and returns the new bottom of the range.
func (a *alarmPoints) addMissed(p *plot.Plot, names []string, nudge func(int) float64) (float64, error) {
	lo := a.lo
	y := a.lo - math.Max((a.hi-a.lo)*0.08, 0.5)
	for k, n := range names {
		if len(a.missed[k]) == 0 {
			continue
		}
		lo = y
		xys := make(plotter.XYs, len(a.missed[k]))
		for j, x := range a.missed[k] {
			xys[j] = plotter.XY{X: x + nudge(k), Y: y}
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return lo, err
		}
		sc.Color, sc.Shape, sc.Radius = sweepSeries[k%len(sweepSeries)], draw.CrossGlyph{}, 4
		p.Add(sc)
		p.Legend.Add(fmt.Sprintf("%s missed (%d)", n, len(a.missed[k])), sc)
	}
	return lo, nil
}

func axisMin(ax sweepAxis) float64 {
	m := math.Inf(1)
	for _, x := range ax.x {
		m = math.Min(m, x)
	}
	return m
}

func axisMax(ax sweepAxis) float64 {
	m := math.Inf(-1)
	for _, x := range ax.x {
		m = math.Max(m, x)
	}
	return m
}

// AlarmLeadPlot draws the lead time of every alarm of the variants against
// the -vary parameter path.
func AlarmLeadPlot(vs []sweep.Variant, path string) ([]byte, error) {
	return alarmPlot(vs, sweep.AlarmNames(vs), sweepAxisSpec{path: path}, true)
}
