package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// expandItem expands one item of a -vary list: a range A..B[/STEP] becomes
// its values, anything else stays as it is. A range between times of
// different bases needs resolve (the scenario's times); without it the item
// is kept as written, for NewPlan to expand.
func expandItem(s string, resolve func(timeRef) (time.Time, error)) ([]string, error) {
	if isFlow(s) || !strings.Contains(s, "..") {
		return []string{s}, nil
	}
	a, rest, _ := strings.Cut(s, "..")
	b, step, hasStep := rest, "", false
	if i := strings.LastIndex(rest, "/"); i >= 0 {
		b, step, hasStep = rest[:i], strings.TrimSpace(rest[i+1:]), true
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" || b == "" || strings.Contains(b, "..") || (hasStep && step == "") {
		return nil, fmt.Errorf("range %q: want FROM..TO/STEP, like 0h..48h/6h, web.expiry-40d..web.expiry-1d/1d or 1..10", s)
	}

	// Whole numbers.
	ia, errA := strconv.ParseInt(a, 10, 64)
	ib, errB := strconv.ParseInt(b, 10, 64)
	if errA == nil && errB == nil {
		st := int64(1)
		if hasStep {
			n, err := strconv.ParseInt(step, 10, 64)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("range %q: the step of a range of whole numbers is a whole number > 0, got %q", s, step)
			}
			st = n
		}
		count, err := rangeCount(s, ia, ib, st)
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

	// Durations and times step by a duration.
	var st time.Duration
	if hasStep {
		d, err := parseDuration(step)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("range %q: the step is a duration > 0 like 6h or 1d, got %q", s, step)
		}
		st = d
	}
	needStep := func(kind string) error {
		return fmt.Errorf("range %q: a range of %s needs a step, like %s/1d", s, kind, s)
	}

	da, errA := parseDuration(a)
	db, errB := parseDuration(b)
	if errA == nil && errB == nil {
		if !hasStep {
			return nil, needStep("durations")
		}
		offs, err := stepDurations(s, da, db, st)
		if err != nil {
			return nil, err
		}
		out := make([]string, len(offs))
		for i, d := range offs {
			out[i] = sim.FormatDuration(d)
		}
		return out, nil
	}

	ra, errA := parseTimeExpr(a)
	rb, errB := parseTimeExpr(b)
	if errA != nil || errB != nil {
		bad := a
		if errA == nil {
			bad = b
		}
		return nil, fmt.Errorf("range %q: cannot read %q: a range goes between two whole numbers (1..10), two durations (0h..48h/6h) or two times (web.expiry-40d..web.expiry-1d/1d, start..start+30d/1d, or RFC 3339)", s, bad)
	}
	if !hasStep {
		return nil, needStep("times")
	}
	if ra.anchor == rb.anchor && ra.cert == rb.cert {
		if ra.anchor == anchorAbs {
			return stepTimes(s, ra.abs, rb.abs, st)
		}
		offs, err := stepDurations(s, ra.offset, rb.offset, st)
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
		return []string{s}, nil
	}
	ta, err := resolve(ra)
	if err != nil {
		return nil, fmt.Errorf("range %q: %s: %v", s, a, err)
	}
	tb, err := resolve(rb)
	if err != nil {
		return nil, fmt.Errorf("range %q: %s: %v", s, b, err)
	}
	return stepTimes(s, ta, tb, st)
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
