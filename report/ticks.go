package report

import (
	"time"

	"gonum.org/v1/plot"
)

// calendarTicks puts time ticks where people expect them: at midnight (UTC),
// on Mondays, or at the start of a month, instead of gonum's evenly spaced
// numbers. Values are Unix seconds. It picks the finest step that gives at
// most Max labelled ticks, and marks the next finer step as minor ticks.
type calendarTicks struct {
	Max int // most labelled ticks; 0 means 10
}

// tickStep is one way of cutting time.
type tickStep struct {
	hours  int // a step of hours, aligned to midnight
	days   int // a step of days, aligned to the Unix epoch (1 = every midnight)
	monday bool
	months int // a step of months, aligned to January
	format string
}

var tickSteps = []tickStep{
	{hours: 1, format: "01-02 15:04"},
	{hours: 3, format: "01-02 15:04"},
	{hours: 6, format: "01-02 15:04"},
	{hours: 12, format: "01-02 15:04"},
	{days: 1, format: "2006-01-02"},
	{days: 2, format: "2006-01-02"},
	{days: 7, monday: true, format: "2006-01-02"},
	{months: 1, format: "2006-01-02"},
	{months: 2, format: "2006-01-02"},
	{months: 3, format: "2006-01-02"},
	{months: 6, format: "2006-01-02"},
	{months: 12, format: "2006-01-02"},
	{months: 24, format: "2006"},
	{months: 60, format: "2006"},
	{months: 120, format: "2006"},
}

// approx is the step's length, near enough to skip steps far too fine
// before listing their instants.
func (s tickStep) approx() time.Duration {
	switch {
	case s.months > 0:
		return time.Duration(s.months) * 30 * 24 * time.Hour
	case s.days > 0:
		return time.Duration(s.days) * 24 * time.Hour
	}
	return time.Duration(s.hours) * time.Hour
}

// times lists the step's instants in [min, max].
func (s tickStep) times(min, max time.Time) []time.Time {
	var out []time.Time
	switch {
	case s.months > 0:
		t := time.Date(min.Year(), min.Month(), 1, 0, 0, 0, 0, time.UTC)
		for (int(t.Month())-1)%s.months != 0 || t.Before(min) {
			t = t.AddDate(0, 1, 0)
		}
		for ; !t.After(max); t = t.AddDate(0, s.months, 0) {
			out = append(out, t)
		}
	case s.days > 0:
		t := time.Date(min.Year(), min.Month(), min.Day(), 0, 0, 0, 0, time.UTC)
		for t.Before(min) || (s.monday && t.Weekday() != time.Monday) || (!s.monday && (t.Unix()/86400)%int64(s.days) != 0) {
			t = t.AddDate(0, 0, 1)
		}
		for ; !t.After(max); t = t.AddDate(0, 0, s.days) {
			out = append(out, t)
		}
	default:
		t := time.Date(min.Year(), min.Month(), min.Day(), 0, 0, 0, 0, time.UTC)
		step := time.Duration(s.hours) * time.Hour
		for t.Before(min) {
			t = t.Add(step)
		}
		for ; !t.After(max); t = t.Add(step) {
			out = append(out, t)
		}
	}
	return out
}

// step picks the step for [min, max] (Unix seconds) and its minor step.
func (ct calendarTicks) step(min, max float64) (major tickStep, minor *tickStep) {
	limit := ct.Max
	if limit <= 0 {
		limit = 10
	}
	lo, hi := unixTime(min), unixTime(max)
	i := 0
	span := hi.Sub(lo)
	for i < len(tickSteps)-1 && (span/tickSteps[i].approx() > time.Duration(2*limit) || len(tickSteps[i].times(lo, hi)) > limit) {
		i++
	}
	if i > 0 && span/tickSteps[i-1].approx() <= time.Duration(8*limit) {
		minor = &tickSteps[i-1]
	}
	return tickSteps[i], minor
}

// Ticks implements plot.Ticker.
func (ct calendarTicks) Ticks(min, max float64) []plot.Tick {
	major, minor := ct.step(min, max)
	lo, hi := unixTime(min), unixTime(max)
	var ticks []plot.Tick
	seen := map[int64]bool{}
	for _, t := range major.times(lo, hi) {
		seen[t.Unix()] = true
		// TimeTicks replaces any non-empty label with the formatted time.
		ticks = append(ticks, plot.Tick{Value: float64(t.Unix()), Label: "x"})
	}
	if minor != nil {
		for _, t := range minor.times(lo, hi) {
			if !seen[t.Unix()] {
				ticks = append(ticks, plot.Tick{Value: float64(t.Unix())})
			}
		}
	}
	return ticks
}

// timeTicks is the x axis ticker for [min, max]: calendar ticks formatted
// as dates, or as dates and times for spans of a few days.
func timeTicks(min, max float64) plot.TimeTicks {
	ct := calendarTicks{Max: 10}
	major, _ := ct.step(min, max)
	return plot.TimeTicks{Ticker: ct, Format: major.format, Time: plot.UTCUnixTime}
}

func unixTime(v float64) time.Time { return time.Unix(int64(v), 0).UTC() }
