package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// expandItem expands one item of a -vary list: a range A..B[/STEP] becomes
// its values, anything else stays as it is. A range is of whole numbers,
// of durations or of times, tried in that order. A range between times of
// different bases needs resolve (the scenario's times); without it the item
// is kept as written, for NewPlan to expand.
func expandItem(s string, resolve func(timeRef) (time.Time, error)) ([]string, error) {
	if isFlow(s) || !strings.Contains(s, "..") {
		return []string{s}, nil
	}
	r, err := parseRange(s)
	if err != nil {
		return nil, err
	}
	ia, errA := strconv.ParseInt(r.a, 10, 64)
	ib, errB := strconv.ParseInt(r.b, 10, 64)
	if errA == nil && errB == nil {
		return r.numbers(ia, ib)
	}
	// Durations and times step by a duration.
	var st time.Duration
	if r.hasStep {
		d, err := parseDuration(r.step)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("range %q: the step is a duration > 0 like 6h or 1d, got %q", s, r.step)
		}
		st = d
	}
	da, errA := parseDuration(r.a)
	db, errB := parseDuration(r.b)
	if errA == nil && errB == nil {
		return r.durations(da, db, st)
	}
	return r.times(st, resolve)
}

// valueRange is a range FROM..TO/STEP as written.
type valueRange struct {
	text    string
	a, b    string
	step    string
	hasStep bool
}

func parseRange(s string) (valueRange, error) {
	a, rest, _ := strings.Cut(s, "..")
	r := valueRange{text: s, b: rest}
	if i := strings.LastIndex(rest, "/"); i >= 0 {
		r.b, r.step, r.hasStep = rest[:i], strings.TrimSpace(rest[i+1:]), true
	}
	r.a, r.b = strings.TrimSpace(a), strings.TrimSpace(r.b)
	if r.a == "" || r.b == "" || strings.Contains(r.b, "..") || (r.hasStep && r.step == "") {
		return r, fmt.Errorf("range %q: want FROM..TO/STEP, like 0h..48h/6h, web.expiry-40d..web.expiry-1d/1d or 1..10", s)
	}
	return r, nil
}

func (r valueRange) needStep(kind string) error {
	return fmt.Errorf("range %q: a range of %s needs a step, like %s/1d", r.text, kind, r.text)
}

// numbers are the whole numbers from ia to ib, in steps of 1 unless
// given.
func (r valueRange) numbers(ia, ib int64) ([]string, error) {
	st := int64(1)
	if r.hasStep {
		n, err := strconv.ParseInt(r.step, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("range %q: the step of a range of whole numbers is a whole number > 0, got %q", r.text, r.step)
		}
		st = n
	}
	count, err := rangeCount(r.text, ia, ib, st)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, count)
	for i := range int64(count) {
		v := ia + i*st
		if ib < ia {
			v = ia - i*st
		}
		out = append(out, strconv.FormatInt(v, 10))
	}
	return out, nil
}

// durations are the durations from da to db in steps of st.
func (r valueRange) durations(da, db, st time.Duration) ([]string, error) {
	if !r.hasStep {
		return nil, r.needStep("durations")
	}
	offs, err := stepDurations(r.text, da, db, st)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(offs))
	for i, d := range offs {
		out[i] = sim.FormatDuration(d)
	}
	return out, nil
}

// times are the times from a to b in steps of st, written from the same
// base as a and b when they share one, else as RFC 3339 times resolved
// against the scenario.
func (r valueRange) times(st time.Duration, resolve func(timeRef) (time.Time, error)) ([]string, error) {
	ra, errA := parseTimeExpr(r.a)
	rb, errB := parseTimeExpr(r.b)
	if errA != nil || errB != nil {
		bad := r.a
		if errA == nil {
			bad = r.b
		}
		return nil, fmt.Errorf("range %q: cannot read %q: a range goes between two whole numbers (1..10), two durations (0h..48h/6h) or two times (web.expiry-40d..web.expiry-1d/1d, start..start+30d/1d, or RFC 3339)", r.text, bad)
	}
	if !r.hasStep {
		return nil, r.needStep("times")
	}
	if ra.anchor == rb.anchor && ra.cert == rb.cert {
		if ra.anchor == anchorAbs {
			return stepTimes(r.text, ra.abs, rb.abs, st)
		}
		offs, err := stepDurations(r.text, ra.offset, rb.offset, st)
		if err != nil {
			return nil, err
		}
		out := make([]string, len(offs))
		for i, d := range offs {
			out[i] = formatRef(ra, d)
		}
		return out, nil
	}
	if resolve == nil {
		return []string{r.text}, nil
	}
	ta, err := resolve(ra)
	if err != nil {
		return nil, fmt.Errorf("range %q: %s: %v", r.text, r.a, err)
	}
	tb, err := resolve(rb)
	if err != nil {
		return nil, fmt.Errorf("range %q: %s: %v", r.text, r.b, err)
	}
	return stepTimes(r.text, ta, tb, st)
}

// rangeCount is how many values the range from a to b in steps of step
// (> 0) holds, both ends included when the step lands on b.
func rangeCount(s string, a, b, step int64) (int, error) {
	var span uint64
	if b >= a {
		span = uint64(b) - uint64(a)
	} else {
		span = uint64(a) - uint64(b)
	}
	n := span / uint64(step)
	if n >= MaxVariants {
		return 0, fmt.Errorf("range %q has more than %d values", s, MaxVariants)
	}
	return int(n) + 1, nil
}

func stepDurations(s string, a, b, st time.Duration) ([]time.Duration, error) {
	n, err := rangeCount(s, int64(a), int64(b), int64(st))
	if err != nil {
		return nil, err
	}
	out := make([]time.Duration, n)
	for i := range n {
		if b >= a {
			out[i] = a + time.Duration(i)*st
		} else {
			out[i] = a - time.Duration(i)*st
		}
	}
	return out, nil
}

func stepTimes(s string, a, b time.Time, st time.Duration) ([]string, error) {
	offs, err := stepDurations(s, 0, b.Sub(a), st)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(offs))
	for i, d := range offs {
		out[i] = stamp(a.Add(d))
	}
	return out, nil
}
