package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxDuration bounds what a scenario may say: a century is far beyond any
// certificate, and far below where time.Duration overflows.
const maxDuration = 36500 * Day

// ParseDuration reads a Go duration extended with d (24 h) and w (7 d), in any
// combination: "45d", "1d12h", "2w", "-3d", "90m". "0" is zero.
//
// One sign at most, in front: it applies to the whole duration ("-1d12h" is
// 36 hours before). A sign inside ("-58d+30m") is refused, because it reads
// two ways (−58d + 30m, or −(58d30m) as Go's own sign rule would have it);
// the error names the single duration that means −58d + 30m.
func ParseDuration(s string) (time.Duration, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("want a duration like 45d, 1d12h or 30m, got an empty value")
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	if s == "" {
		return 0, fmt.Errorf("want a duration like 45d, 1d12h or 30m after the sign, got %q", in)
	}
	if i := strings.IndexAny(s, "+-"); i >= 0 {
		return 0, innerSign(strings.TrimSpace(in), i+len(strings.TrimSpace(in))-len(s))
	}
	if s == "0" {
		return 0, nil
	}
	var total time.Duration
	rest, body := "", s
	for len(s) > 0 {
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9') {
			i++
		}
		if i == 0 || i == len(s) || (s[i] != 'd' && s[i] != 'w') {
			rest = s
			break
		}
		n, err := strconv.ParseInt(s[:i], 10, 64)
		unit := Day
		if s[i] == 'w' {
			unit = 7 * Day
		}
		if err != nil || n > int64(maxDuration/unit) || total+time.Duration(n)*unit > maxDuration {
			return 0, fmt.Errorf("duration %q is too long (more than %dd)", in, maxDuration/Day)
		}
		total += time.Duration(n) * unit
		s = s[i+1:]
	}
	// After the day terms, whose sizes are checked as they add up, and
	// before Go reads the rest, which would add repeated units up.
	if err := unitOrder(strings.TrimSpace(in), body); err != nil {
		return 0, err
	}
	if rest != "" {
		d, err := time.ParseDuration(rest)
		if err != nil || d < 0 {
			return 0, fmt.Errorf("want a duration like 45d, 1d12h or 30m, got %q", in)
		}
		if d > maxDuration-total {
			return 0, fmt.Errorf("duration %q is too long (more than %dd)", in, maxDuration/Day)
		}
		total += d
	}
	if neg {
		total = -total
	}
	return total, nil
}

// FormatDuration writes d the way scenarios do, in days, hours, minutes and
// what is left ("45d", "1d12h", "38m50s", "1h10s", "-5h", "0s"), so that
// ParseDuration reads it back exactly.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{Day, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.unit
		}
	}
	if d > 0 {
		b.WriteString(d.String())
	}
	return b.String()
}

// unitRank orders the units of a duration, largest first.
var unitRank = map[string]int{"w": 7, "d": 6, "h": 5, "m": 4, "s": 3, "ms": 2, "us": 1, "µs": 1, "ns": 0}

// unitOrder refuses a duration that gives a unit twice or a smaller one
// before a larger ("1h1h", "30m1h"): Go adds such terms up, but a person
// who wrote them most likely meant something else. Text it cannot split
// into number-unit terms is left to the parser's own message.
func unitOrder(in, s string) error {
	last := len(unitRank)
	prev := ""
	for s != "" {
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		j := i
		for j < len(s) && !(s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		unit := s[i:j]
		rank, ok := unitRank[unit]
		if i == 0 || !ok {
			return nil
		}
		switch {
		case rank == last:
			return fmt.Errorf("duration %q gives %s twice: give each unit once, largest first, as in 1d12h", in, unit)
		case rank > last:
			return fmt.Errorf("duration %q gives %s before %s: give each unit once, largest first, as in 1d12h", in, prev, unit)
		}
		last, prev, s = rank, unit, s[j:]
	}
	return nil
}

// innerSign is the error for a duration with a sign at byte i besides the
// leading one: it says which single duration the terms add up to, when they
// do.
func innerSign(s string, i int) error {
	msg := fmt.Sprintf("duration %q has a sign inside it (at %q): a duration takes one sign, in front", s, s[i:])
	var total time.Duration
	rest := s
	for rest != "" {
		j := strings.IndexAny(rest[1:], "+-") + 1
		if j == 0 {
			j = len(rest)
		}
		d, err := ParseDuration(rest[:j])
		if err != nil {
			return fmt.Errorf("%s", msg)
		}
		total += d
		rest = rest[j:]
	}
	if total < -maxDuration || total > maxDuration {
		return fmt.Errorf("%s", msg)
	}
	return fmt.Errorf("%s; for %s write %s", msg, strings.Join(splitTerms(s), " "), FormatDuration(total))
}

// splitTerms writes the signed terms of s apart: "-58d+30m" -> "-58d", "+30m".
func splitTerms(s string) []string {
	var out []string
	for s != "" {
		j := strings.IndexAny(s[1:], "+-") + 1
		if j == 0 {
			j = len(s)
		}
		t := s[:j]
		if len(out) > 0 {
			t = t[:1] + " " + t[1:]
		}
		out = append(out, t)
		s = s[j:]
	}
	return out
}

// SpellDuration writes d for a sentence: "72 hours", "1 hour", "3 days",
// else as FormatDuration does ("1d12h"). Messages that quote a profile's
// number (the approval link's lifetime) use it, so the number is the
// profile's, never a constant.
func SpellDuration(d time.Duration) string {
	switch {
	case d > 0 && d%Day == 0 && d/Day > 3:
		return Count(int(d/Day), "day")
	case d > 0 && d%time.Hour == 0:
		return Count(int(d/time.Hour), "hour")
	}
	return FormatDuration(d)
}

// Count writes n of unit in English: "1 certificate", "2 certificates",
// "3 expiries or outages". Every count renewsim prints goes through it, so
// that one reads "1 scenario", never "1 scenarios".
func Count(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	if many, ok := irregularPlurals[unit]; ok {
		return fmt.Sprintf("%d %s", n, many)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// Verb is one when n is 1 and many otherwise: "1 file is", "2 files are".
func Verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// irregularPlurals are the units whose plural is not unit+"s".
var irregularPlurals = map[string]string{
	"expiry or outage": "expiries or outages",
	"expiry":           "expiries",
	"entry":            "entries",
	"policy":           "policies",
}
