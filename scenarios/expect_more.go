package scenarios

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// The expectations of issue 10 §4: event contents and times, later cycles,
// the number of renewals, and when a resource starts serving a renewed
// certificate. They are read here, beside the others.
func init() {
	expectKeys = append(expectKeys, "cycle", "detail", "renewals", "serves_renewed_after", "serves_renewed_before")
}

// eventFields are the detail fields an expectation may check, per event,
// and how their values are written.
var eventFields = map[string][]detailField{
	sim.EventApproaching: {{"DaysToExpiry", "days"}, {"CommonName", "text"}},
	sim.EventActionRequired: {{"CertificateType", "type"}, {"CommonName", "text"}, {"DomainValidationMethod", "method"},
		{"RenewalStatusReason", "reason"}, {"DaysToExpiry", "days"}, {"CertificateExpirationDate", "time"}, {"InUse", "bool"}, {"Exported", "bool"}},
	sim.EventAvailable: {{"Action", "action"}, {"CertificateType", "type"}, {"CommonName", "text"}, {"DomainValidationMethod", "method"},
		{"CertificateCreatedDate", "time"}, {"CertificateExpirationDate", "time"}, {"DaysToExpiry", "days"}, {"InUse", "bool"}, {"Exported", "bool"}},
	sim.EventExpired: {{"CertificateType", "type"}, {"CommonName", "text"}, {"DomainValidationMethod", "method"},
		{"CertificateCreatedDate", "time"}, {"CertificateExpirationDate", "time"}, {"InUse", "bool"}, {"Exported", "bool"}},
	sim.EventHealth: {{"eventTypeCode", "code"}, {"eventTypeCategory", "text"}, {"service", "text"}},
}

type detailField struct{ name, kind string }

// Values of the enumerated fields.
var (
	certTypeValues = []string{"AMAZON_ISSUED", "PRIVATE", "IMPORTED"}
	methodValues   = []string{"DNS", "EMAIL", "HTTP", "none"}
	actionValues   = []string{"ISSUANCE", "RENEWAL", "IMPORT", "REIMPORT"}
)

// moreExpectation reads the items only §4 knows: renewals, serves_renewed_*,
// and event counts narrowed by at or detail. handled is false for every
// other item, which expectation reads as before.
func (l *loader) moreExpectation(b *build, em *mapping) (e sim.Expectation, ok, handled bool) {
	switch {
	case em.has("renewals"):
		e.Kind = sim.ExpectRenewals
		l.onlyKeys(em, e.Kind, "cert", "renewals")
		l.require(em, "cert", "renewals")
		e.Cert, _, _ = l.certKnown(b, em.get("cert"))
		if n, ok := l.count(em.get("renewals")); ok {
			e.Renewals = &n
		}
	case em.has("serves_renewed_after") || em.has("serves_renewed_before"):
		e.Kind = sim.ExpectServes
		l.onlyKeys(em, e.Kind, "resource", "cert", "cycle", "serves_renewed_after", "serves_renewed_before")
		l.require(em, "resource", "cert")
		e.Cert, _, _ = l.certKnown(b, em.get("cert"))
		if rf := em.get("resource"); rf != nil {
			if id, ok := l.scalar(rf); ok {
				e.Resource = id
				l.resourceKnown(b, id, rf.vpos, "resource")
			}
		}
		e.ServesAfter, e.ServesBefore = l.bounds(b, em, "serves_renewed_after", "serves_renewed_before")
		e.Cycle = l.cycle(em)
	case em.has("detail") || (em.has("event") && em.has("at")):
		e.Kind = sim.ExpectEventCount
		l.onlyKeys(em, "event content", "cert", "event", "code", "at", "detail", "count", "min", "max")
		l.require(em, "cert", "event")
		e.Cert, _, _ = l.certKnown(b, em.get("cert"))
		e.Event, _ = l.oneOf(em.get("event"), "event", events)
		if cf := em.get("code"); cf != nil {
			if e.Event != "" && e.Event != sim.EventHealth {
				l.errf(cf.kpos, "code applies only to %s; this expectation counts %q", sim.EventHealth, e.Event)
			} else {
				e.Code, _ = l.oneOf(cf, "AWS Health event type code", healthCodes)
			}
		}
		if af := em.get("at"); af != nil {
			if at, ok := l.timeValue(af, formsAll, b.env, "", nil); ok {
				e.EventAt = &at
				l.inRange(b, af, at)
			}
		}
		if df := em.get("detail"); df != nil {
			e.Detail = l.detailWants(b, df, e.Event)
		}
		if em.has("count") || em.has("min") || em.has("max") {
			l.counts(em, &e, "")
		} else {
			one := 1
			e.Min = &one // such an event was sent
		}
	default:
		return e, false, false
	}
	return e, true, true
}

// onlyKeys reports the keys of em that an expectation of kind does not
// take.
func (l *loader) onlyKeys(em *mapping, kind string, keys ...string) {
	for _, f := range em.fields {
		if !slices.Contains(keys, f.name) {
			l.errf(f.kpos, "key %q is not used by %s %s expectation (it takes: %s)", f.name, article(kind), kind, strings.Join(keys, ", "))
		}
	}
}

// bounds reads two optional times, the second after the first.
func (l *loader) bounds(b *build, em *mapping, afterKey, beforeKey string) (after, before *time.Time) {
	if af := em.get(afterKey); af != nil {
		if t, ok := l.timeValue(af, formsAll, b.env, "", nil); ok {
			after = &t
		}
	}
	if bf := em.get(beforeKey); bf != nil {
		if t, ok := l.timeValue(bf, formsAll, b.env, "", nil); ok {
			before = &t
			if after != nil && !t.After(*after) {
				l.errf(bf.vpos, "%s (%s) is not after %s (%s)", beforeKey, stamp(t), afterKey, stamp(*after))
			}
		}
	}
	if em.get(afterKey) == nil && em.get(beforeKey) == nil {
		l.errf(em.pos, "expectation needs a value for %s or %s", afterKey, beforeKey)
	}
	return after, before
}

// cycle reads the renewal cycle an expectation is about (1 when absent).
func (l *loader) cycle(em *mapping) int {
	cf := em.get("cycle")
	if cf == nil {
		if em.has("cycle") {
			l.require(em, "cycle")
		}
		return 0
	}
	n, ok := l.count(cf)
	if ok && n < 1 {
		l.errf(cf.vpos, "cycle: want 1 (renewing the first certificate) or more, got %d", n)
		return 0
	}
	return n
}

// expectationCycle reads cycle on the items expectation read: outcome and
// renewed_after/renewed_before may be about a later cycle.
func (l *loader) expectationCycle(em *mapping, e *sim.Expectation) {
	if !em.has("cycle") {
		return
	}
	if e.Kind != sim.ExpectOutcome && e.Kind != sim.ExpectRenewedWindow {
		l.errf(em.field("cycle").kpos, "key \"cycle\" is not used by %s %s expectation (cycle goes with outcome, renewed_after/renewed_before and serves_renewed_after/serves_renewed_before)", article(e.Kind), e.Kind)
		return
	}
	e.Cycle = l.cycle(em)
}

// detailWants reads the fields an event's detail must hold.
func (l *loader) detailWants(b *build, df *field, event string) []sim.DetailWant {
	dm := l.mapping(df.val, df.vpos, "detail", nil)
	if dm == nil || event == "" {
		return nil
	}
	known := eventFields[event]
	var names []string
	for _, k := range known {
		names = append(names, k.name)
	}
	var out []sim.DetailWant
	for _, f := range dm.fields {
		i := slices.IndexFunc(known, func(k detailField) bool { return k.name == f.name })
		if i < 0 {
			l.errf(f.kpos, "detail: %q is not a field of %s events (fields: %s)", f.name, event, strings.Join(names, ", "))
			continue
		}
		s, ok := l.scalar(f)
		if !ok {
			if f.null() {
				l.errf(f.vpos, "key %q in detail has no value", f.name)
			}
			continue
		}
		if v, ok := l.detailValue(b, f, known[i].kind, s); ok {
			out = append(out, sim.DetailWant{Field: f.name, Value: v})
		}
	}
	return out
}

// detailValue checks one wanted value and writes it the way the event
// does.
func (l *loader) detailValue(b *build, f *field, kind, s string) (string, bool) {
	bad := func(want string) (string, bool) {
		l.errf(f.vpos, "detail: %s: want %s, got %q", f.name, want, s)
		return "", false
	}
	oneOf := func(values []string) (string, bool) {
		if slices.Contains(values, s) {
			return s, true
		}
		return bad("one of " + strings.Join(values, ", "))
	}
	switch kind {
	case "days":
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 36500 {
			return bad("a whole number of days")
		}
		return strconv.Itoa(n), true
	case "bool":
		switch strings.ToLower(s) {
		case "true", "false":
			return strings.ToLower(s), true
		}
		return bad("true or false")
	case "type":
		return oneOf(certTypeValues)
	case "method":
		return oneOf(methodValues)
	case "action":
		return oneOf(actionValues)
	case "code":
		return oneOf(healthCodes)
	case "reason":
		return oneOf(reasons)
	case "time":
		t, ok := l.timeValue(f, formsAll, b.env, "", nil)
		if !ok {
			return "", false
		}
		return t.UTC().Format("2006-01-02T15:04:05Z"), true
	}
	return s, true
}
