package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// maxDuration bounds every duration and time offset a scenario writes. Far
// beyond any certificate lifetime, it keeps arithmetic clear of overflow.
const maxDuration = 36500 * sim.Day

// Anchors of a time expression.
const (
	anchorAbs    = ""
	anchorStart  = "start"
	anchorIssued = "issued"
	anchorExpiry = "expiry"
)

// timeRef is a parsed time expression: an absolute time, or an anchor
// (start, a certificate's issue time or first expiry) plus an offset.
type timeRef struct {
	anchor string
	cert   string
	abs    time.Time
	offset time.Duration
}

// parseTimeExpr reads RFC 3339 (normalised to UTC), start±D,
// <cert>.issued±D or <cert>.expiry±D, the offset optional. It checks syntax
// only; whether the anchor exists is the caller's business.
func parseTimeExpr(s string) (timeRef, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return timeRef{}, errBadTime
	}
	var ref timeRef
	rest := ""
	if r, ok := strings.CutPrefix(s, "start"); ok && (r == "" || strings.ContainsRune("+- \t", rune(r[0]))) {
		ref.anchor, rest = anchorStart, r
	} else if id, r, ok := strings.Cut(s, "."); ok && sim.ValidID(id) && anchorWord(r) != "" {
		ref.cert = id
		ref.anchor = anchorWord(r)
		rest = r[len(ref.anchor):]
	} else {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return timeRef{}, errBadTime
		}
		ref.abs = t.UTC()
		return ref, nil
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return ref, nil
	}
	sign := rest[0]
	body := strings.TrimSpace(rest[1:])
	if (sign != '+' && sign != '-') || body == "" || body[0] == '+' || body[0] == '-' {
		return timeRef{}, fmt.Errorf("bad offset %q: want +D or -D with a duration like 45d, 1d12h or 30m", rest)
	}
	d, err := parseDuration(string(sign) + body)
	if err != nil {
		return timeRef{}, fmt.Errorf("bad offset: %v", err)
	}
	ref.offset = d
	return ref, nil
}

// errBadTime is replaced by a message naming the forms the context accepts.
var errBadTime = fmt.Errorf("bad time")

// anchorWord returns "issued" or "expiry" when r starts with one of them and
// nothing but an offset follows.
func anchorWord(r string) string {
	for _, w := range []string{anchorIssued, anchorExpiry} {
		if rest, ok := strings.CutPrefix(r, w); ok && (rest == "" || strings.ContainsRune("+- \t", rune(rest[0]))) {
			return w
		}
	}
	return ""
}

// parseDuration is sim.ParseDuration bounded to ±maxDuration, so that huge
// values are reported instead of wrapping around.
func parseDuration(s string) (time.Duration, error) {
	d, err := sim.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if durationTooLong(s) {
		return 0, fmt.Errorf("duration %q is too long (more than %s)", strings.TrimSpace(s), sim.FormatDuration(maxDuration))
	}
	return d, nil
}

// durationTooLong estimates the size of a duration the way sim.ParseDuration
// reads it, in floating point so that nothing overflows.
func durationTooLong(s string) bool {
	s = strings.TrimLeft(strings.TrimSpace(s), "+-")
	total := 0.0
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) || (s[i] != 'd' && s[i] != 'w') {
			break
		}
		n, _ := strconv.ParseFloat(s[:i], 64)
		unit := float64(sim.Day)
		if s[i] == 'w' {
			unit *= 7
		}
		total += n * unit
		s = s[i+1:]
	}
	if s != "" {
		if d, err := time.ParseDuration(s); err == nil {
			total += float64(d)
		}
	}
	return total > float64(maxDuration)
}

// Which forms a time value may take.
type timeForms int

const (
	formsRFC   timeForms = iota // start itself
	formsStart                  // issued: RFC 3339 or start±D
	formsSelf                   // not_after: also <this cert>.issued±D
	formsAll                    // everything else
)

func (f timeForms) String() string {
	switch f {
	case formsRFC:
		return "an RFC 3339 time like 2026-03-01T00:00:00Z"
	case formsStart:
		return "an RFC 3339 time like 2026-03-01T00:00:00Z or start±D"
	case formsSelf:
		return "an RFC 3339 time like 2026-03-01T00:00:00Z, start±D or <this certificate>.issued±D"
	default:
		return "an RFC 3339 time like 2026-03-01T00:00:00Z, start±D, <cert>.issued±D or <cert>.expiry±D"
	}
}

// certTimes are a certificate's resolved issue time and first expiry; the
// flags are false while unknown or when they could not be resolved (already
// reported).
type certTimes struct {
	issued, expiry     time.Time
	issuedOK, expiryOK bool
}

// times resolves time expressions against what the scenario has defined so
// far.
type times struct {
	start   time.Time
	startOK bool
	certs   map[string]*certTimes
	order   []string // certificate ids as declared
}

// timeValue reads the time in f. self names the certificate whose not_after
// is read (formsSelf) and selfTimes its times so far. ok is false when the value is bad (reported) or
// depends on something that could not be resolved (reported there).
func (l *loader) timeValue(f *field, forms timeForms, env *times, self string, selfTimes *certTimes) (time.Time, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return time.Time{}, false
	}
	ref, ok := l.timeExpr(f, s, forms, self)
	if !ok {
		return time.Time{}, false
	}
	t, ok := l.resolveTime(f, s, ref, forms, env, selfTimes)
	if !ok {
		return time.Time{}, false
	}
	if !sim.Supported(t) {
		l.errf(f.vpos, "%s: %s is outside the supported range %s", f.name, quoteTime(s, t), sim.SupportedRange())
		return time.Time{}, false
	}
	return t, true
}

// timeExpr reads s, the value of f, as a time expression of one of forms.
func (l *loader) timeExpr(f *field, s string, forms timeForms, self string) (timeRef, bool) {
	ref, err := parseTimeExpr(s)
	if err == errBadTime {
		l.errf(f.vpos, "%s: want %s, got %q", f.name, forms, s)
		return ref, false
	}
	if err != nil {
		l.errf(f.vpos, "%s: %v in %q", f.name, err, s)
		return ref, false
	}
	allowed := true
	switch ref.anchor {
	case anchorStart:
		allowed = forms >= formsStart
	case anchorIssued:
		allowed = forms == formsAll || (forms == formsSelf && ref.cert == self)
	case anchorExpiry:
		allowed = forms == formsAll
	}
	if !allowed {
		l.errf(f.vpos, "%s: want %s, got %q", f.name, forms, s)
		return ref, false
	}
	return ref, true
}

// resolveTime is the instant ref names: start, or a certificate's issue
// time or first expiry (selfTimes for the certificate being read), plus
// the offset. An anchor that could not be resolved was reported where it
// is written.
func (l *loader) resolveTime(f *field, s string, ref timeRef, forms timeForms, env *times, selfTimes *certTimes) (time.Time, bool) {
	switch ref.anchor {
	case anchorAbs:
		return ref.abs, true
	case anchorStart:
		return env.start.Add(ref.offset), env.startOK
	}
	c := env.certs[ref.cert]
	if forms == formsSelf {
		c = selfTimes
	}
	if c == nil {
		l.errf(f.vpos, "%s: unknown certificate %q in %q (known: %s)", f.name, ref.cert, s, known(env.order))
		return time.Time{}, false
	}
	if ref.anchor == anchorIssued {
		return c.issued.Add(ref.offset), c.issuedOK
	}
	return c.expiry.Add(ref.offset), c.expiryOK
}

// quoteTime writes a time as the scenario wrote it, with the resolved time
// when that differs.
func quoteTime(text string, t time.Time) string {
	if s := stamp(t); s != text {
		return fmt.Sprintf("%s (%s)", text, s)
	}
	return text
}

// maxKnown is how many ids a "known: …" hint lists; a file with thousands
// of them would otherwise repeat them all in every message.
const maxKnown = 20

// known lists ids for "known: …" hints.
func known(ids []string) string {
	switch {
	case len(ids) == 0:
		return "none"
	case len(ids) > maxKnown:
		return strings.Join(ids[:maxKnown], ", ") + fmt.Sprintf(", … (%d in all)", len(ids))
	}
	return strings.Join(ids, ", ")
}

// stamp writes a resolved time for messages.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// inRange reports an at outside [start, until].
func (l *loader) inRange(b *build, f *field, t time.Time) {
	switch {
	case b.env.startOK && t.Before(b.env.start):
		l.errf(f.vpos, "%s: %s is before start (%s)", f.name, quoteTime(f.val.Value, t), stamp(b.env.start))
	case b.untilOK && t.After(b.until):
		l.errf(f.vpos, "%s: %s is after until (%s)", f.name, quoteTime(f.val.Value, t), stamp(b.until))
	}
}
