package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// expectKind is one kind of expectation: how an item is known to be one,
// what it is about, and how it is read.
type expectKind struct {
	kind string
	// name is what messages call the kind, when not kind.
	name string
	// claim, when set, knows an item of this kind by a key of its own:
	// the claiming kinds are tried first, in table order, and such an
	// item may have only the keys in keys (each other key is reported).
	claim func(em *mapping) bool
	keys  []string
	// group are the keys that make an item of this kind otherwise: an
	// item may use the keys of one group only. counts adds count, min and
	// max to the group (see countedKind).
	group  []string
	counts bool
	// subject is the key an item of a grouped kind is about: "cert"
	// unless set. anySubject: about every certificate unless it names
	// one.
	subject    string
	anySubject bool
	// cycle: the item may be about a later renewal cycle.
	cycle bool
	// read reads and checks the item's own keys into e (the subject of a
	// grouped kind is read before).
	read func(l *loader, b *build, em *mapping, e *sim.Expectation)
}

// expectKinds are the kinds of expectation.
var expectKinds = []expectKind{
	{kind: sim.ExpectRenewals, claim: hasAny("renewals"), keys: []string{"cert", "renewals"}, read: (*loader).renewalsExpectation},
	{kind: sim.ExpectServes, claim: hasAny("serves_renewed_after", "serves_renewed_before"),
		keys: []string{"resource", "cert", "cycle", "serves_renewed_after", "serves_renewed_before"}, read: (*loader).servesExpectation},
	{kind: sim.ExpectEventCount, name: "event content", claim: eventContent,
		keys: []string{"cert", "event", "code", "at", "detail", "cycle", "count", "min", "max"}, read: (*loader).eventContentExpectation},
	{kind: sim.ExpectOutcome, group: []string{"outcome"}, cycle: true, read: (*loader).outcomeExpectation},
	{kind: sim.ExpectFinalOutcome, name: "final outcome", group: []string{"final_outcome"}, read: (*loader).finalOutcomeExpectation},
	{kind: sim.ExpectRenewedWindow, group: []string{"renewed_after", "renewed_before"}, cycle: true, read: (*loader).renewedExpectation},
	{kind: sim.ExpectStatusAt, group: []string{"at", "status", "renewal_status", "reason"}, read: (*loader).statusExpectation},
	{kind: sim.ExpectEventCount, group: []string{"event", "code"}, counts: true, cycle: true, read: (*loader).eventExpectation},
	{kind: sim.ExpectOutage, group: []string{"outage", "outage_at_least"}, subject: "resource", read: (*loader).outageExpectation},
	{kind: sim.ExpectEmail, group: []string{"email", "to"}, counts: true, anySubject: true, cycle: true, read: (*loader).emailExpectation},
	{kind: sim.ExpectAlarm, group: alarmExpectKeys, anySubject: true, read: (*loader).alarmExpectation},
}

// expectKeys are the keys of every kind, in the order messages list them:
// the order they joined the format, which no order of the kinds gives, so
// it is written out. A key a kind gains is appended here (a test checks
// that every key of a kind is listed).
var expectKeys = []string{"cert", "resource", "outcome", "renewed_after", "renewed_before", "at", "status", "renewal_status", "reason", "event", "code", "count", "min", "max", "outage", "outage_at_least", "email", "to",
	"alarm", "fires", "fires_at_least", "fires_at_most", "false_alarms", "false_alarms_at_most", "lead_time_at_least",
	"cycle", "detail", "renewals", "serves_renewed_after", "serves_renewed_before", "false_alarms_at_least", "final_outcome"}

// countKeys are shared by the kinds that count.
var countKeys = []string{"count", "min", "max"}

const expectHint = "give one of: outcome or final_outcome; renewed_after and/or renewed_before; at with status, renewal_status and/or reason; event or email with count, min or max; outage or outage_at_least"

// hasAny claims an item that has one of keys.
func hasAny(keys ...string) func(em *mapping) bool {
	return func(em *mapping) bool { return slices.ContainsFunc(keys, em.has) }
}

// eventContent claims an event count narrowed by detail or by a time.
func eventContent(em *mapping) bool { return em.has("detail") || (em.has("event") && em.has("at")) }

func (l *loader) expectations(b *build, f *field) {
	items, _ := l.list(f)
	e := new(sim.Expectation) // reused: the kinds read into it through function values
	for _, it := range items {
		em := l.mapping(it.n, it.pos, "expectation", expectKeys)
		if em == nil {
			continue
		}
		*e = sim.Expectation{}
		if l.expectation(b, em, e) {
			e.Text = render(it.n)
			e.Line = em.pos.line
			b.sc.Expect = append(b.sc.Expect, *e)
		}
	}
}

// expectation reads one item into e; false when it checks nothing, or
// mixes kinds (reported).
func (l *loader) expectation(b *build, em *mapping, e *sim.Expectation) bool {
	for i := range expectKinds {
		k := &expectKinds[i]
		if k.claim != nil && k.claim(em) {
			e.Kind = k.kind
			l.onlyKeys(em, cmp.Or(k.name, k.kind), k.keys...)
			k.read(l, b, em, e)
			return true
		}
	}
	k := l.groupKind(em)
	if k == nil {
		return false
	}
	e.Kind = k.kind
	l.expectSubject(b, em, e, k)
	k.read(l, b, em, e)
	l.expectationCycle(em, e, k)
	return true
}

// cycleKinds names the expectations that take cycle, for messages.
const cycleKinds = "outcome, renewed_after/renewed_before, serves_renewed_after/serves_renewed_before, and event or email counts about a certificate"

// groupKind is the grouped kind whose keys the item uses, named by the
// first key written; nil when it uses none, or more than one (reported).
func (l *loader) groupKind(em *mapping) *expectKind {
	counted := countedKind(em)
	var kinds []*expectKind
	var firsts []string
	for _, fl := range em.fields {
		for i := range expectKinds {
			k := &expectKinds[i]
			in := slices.Contains(k.group, fl.name) || (k == counted && slices.Contains(countKeys, fl.name))
			if in && !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
				firsts = append(firsts, fl.name)
			}
		}
	}
	switch len(kinds) {
	case 0:
		l.errf(em.pos, "expectation checks nothing: %s", expectHint)
		return nil
	case 1:
		return kinds[0]
	}
	l.errf(em.pos, "expectation mixes %s and %s: write one check per item", firsts[0], firsts[1])
	return nil
}

// countedKind is the kind that count, min and max belong to: the first
// counting kind whose group the item uses, else the first counting kind
// (events, unless the item has e-mail keys only).
func countedKind(em *mapping) *expectKind {
	var first *expectKind
	for i := range expectKinds {
		k := &expectKinds[i]
		if !k.counts {
			continue
		}
		if slices.ContainsFunc(k.group, em.has) {
			return k
		}
		if first == nil {
			first = k
		}
	}
	return first
}

// expectSubject reads what an item of a grouped kind is about, and
// reports the subject key of another kind.
func (l *loader) expectSubject(b *build, em *mapping, e *sim.Expectation, k *expectKind) {
	subject := cmp.Or(k.subject, "cert")
	for _, key := range []string{"cert", "resource"} {
		if key != subject && em.has(key) {
			l.errf(em.field(key).kpos, "key %q is not used by %s %s expectation (it takes %s)", key, article(e.Kind), e.Kind, subject)
		}
	}
	if !k.anySubject || em.has(subject) {
		l.require(em, subject)
	}
	sf := em.get(subject)
	switch {
	case sf == nil:
	case subject == "cert":
		e.Cert, _, _ = l.certKnown(b, sf)
	default:
		l.expectResource(b, sf, e)
	}
}

// expectResource reads the resource an expectation is about.
func (l *loader) expectResource(b *build, rf *field, e *sim.Expectation) {
	if id, ok := l.scalar(rf); ok {
		e.Resource = id
		l.resourceKnown(b, id, rf.vpos, "resource")
	}
}

// expectationCycle reads cycle on an item of a grouped kind: outcome,
// renewed_after/renewed_before and counts of a certificate's events and
// e-mails may be about one cycle.
func (l *loader) expectationCycle(em *mapping, e *sim.Expectation, k *expectKind) {
	if !em.has("cycle") {
		return
	}
	if !k.cycle {
		l.errf(em.field("cycle").kpos, "key \"cycle\" is not used by %s %s expectation (cycle goes with %s)", article(e.Kind), e.Kind, cycleKinds)
		return
	}
	if e.Kind == sim.ExpectEmail && e.Cert == "" {
		l.errf(em.field("cycle").kpos, "cycle counts the e-mails of one certificate's cycle: give cert too")
		return
	}
	e.Cycle = l.cycle(em)
}

func (l *loader) renewalsExpectation(b *build, em *mapping, e *sim.Expectation) {
	l.require(em, "cert", "renewals")
	e.Cert, _, _ = l.certKnown(b, em.get("cert"))
	if n, ok := l.count(em.get("renewals")); ok {
		e.Renewals = &n
	}
}

func (l *loader) servesExpectation(b *build, em *mapping, e *sim.Expectation) {
	l.require(em, "resource", "cert")
	e.Cert, _, _ = l.certKnown(b, em.get("cert"))
	if rf := em.get("resource"); rf != nil {
		l.expectResource(b, rf, e)
	}
	e.ServesAfter, e.ServesBefore = l.bounds(b, em, "serves_renewed_after", "serves_renewed_before")
	e.Cycle = l.cycle(em)
}

func (l *loader) eventContentExpectation(b *build, em *mapping, e *sim.Expectation) {
	l.require(em, "cert", "event")
	e.Cert, _, _ = l.certKnown(b, em.get("cert"))
	e.Event, _ = l.oneOf(em.get("event"), "event", events)
	if cf := em.get("code"); cf != nil {
		l.healthCode(cf, e)
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
	e.Cycle = l.cycle(em)
	if em.has("count") || em.has("min") || em.has("max") {
		l.counts(em, e, "")
	} else {
		one := 1
		e.Min = &one // such an event was sent
	}
}

// healthCode reads the event type code an AWS Health event must have.
func (l *loader) healthCode(cf *field, e *sim.Expectation) {
	if e.Event != "" && e.Event != sim.EventHealth {
		l.errf(cf.kpos, "code applies only to %s; this expectation counts %q", sim.EventHealth, e.Event)
		return
	}
	e.Code, _ = l.oneOf(cf, "AWS Health event type code", healthCodes)
}

func (l *loader) outcomeExpectation(_ *build, em *mapping, e *sim.Expectation) {
	l.require(em, "outcome")
	outcome, _ := l.oneOf(em.get("outcome"), "outcome", outcomes)
	e.Outcome = sim.Outcome(outcome)
}

// finalOutcomeExpectation reads final_outcome: what happened last to the
// certificate, whichever cycle that was.
func (l *loader) finalOutcomeExpectation(_ *build, em *mapping, e *sim.Expectation) {
	l.require(em, "final_outcome")
	outcome, _ := l.oneOf(em.get("final_outcome"), "final outcome", outcomes)
	e.Outcome = sim.Outcome(outcome)
}

func (l *loader) renewedExpectation(b *build, em *mapping, e *sim.Expectation) {
	e.RenewedAfter, e.RenewedBefore = l.bounds(b, em, "renewed_after", "renewed_before")
}

func (l *loader) statusExpectation(b *build, em *mapping, e *sim.Expectation) {
	if !em.has("at") {
		l.errf(em.pos, "missing required key \"at\" in expectation: status, renewal_status and reason are checked at a time")
	} else if af := em.get("at"); af == nil {
		l.require(em, "at")
	} else if at, ok := l.timeValue(af, formsAll, b.env, "", nil); ok {
		e.At = at
		l.inRange(b, af, at)
	}
	if !em.has("status") && !em.has("renewal_status") && !em.has("reason") {
		l.errf(em.pos, "missing key \"status\", \"renewal_status\" or \"reason\" in expectation: at only says when to check")
	}
	if sf := em.field("status"); sf != nil {
		if sf.null() {
			l.require(em, "status")
		}
		status, _ := l.oneOf(em.get("status"), "status", statuses)
		e.Status = sim.Status(status)
	}
	if rf := em.field("renewal_status"); rf != nil {
		if rf.null() {
			l.require(em, "renewal_status")
		}
		renewal, _ := l.oneOf(em.get("renewal_status"), "renewal status", renewalStats)
		e.RenewalStatus = sim.RenewalStatus(renewal)
	}
	if rf := em.field("reason"); rf != nil {
		if rf.null() {
			l.require(em, "reason")
		}
		e.Reason, _ = l.oneOf(em.get("reason"), "renewal status reason", reasons)
		l.describedReason(rf, e.Reason)
	}
}

func (l *loader) eventExpectation(_ *build, em *mapping, e *sim.Expectation) {
	switch {
	case em.has("event"):
		l.require(em, "event")
		e.Event, _ = l.oneOf(em.get("event"), "event", events)
	case em.has("code"):
		l.errf(em.pos, "missing required key \"event\" in expectation: code is the event type of an %s", sim.EventHealth)
	default:
		l.errf(em.pos, "missing key \"event\" or \"email\" in expectation: count, min and max count events or e-mails")
	}
	if cf := em.field("code"); cf != nil {
		if cf.null() {
			l.require(em, "code")
		}
		l.healthCode(cf, e)
	}
	l.counts(em, e, fmt.Sprintf("how often should %q happen?", e.Event))
}

func (l *loader) emailExpectation(_ *build, em *mapping, e *sim.Expectation) {
	if !em.has("email") {
		l.errf(em.pos, "missing required key \"email\" in expectation: to only names the recipient; give email: approval, instruction or any")
	} else {
		l.require(em, "email")
		e.Email, _ = l.oneOf(em.get("email"), "e-mail kind", emailKinds)
	}
	if tf := em.field("to"); tf != nil {
		if tf.null() {
			l.require(em, "to")
		}
		if tf := em.get("to"); tf != nil {
			e.To, _ = l.address(tf)
		}
	}
	what := "e-mails"
	if e.Email == sim.EmailApproval || e.Email == sim.EmailInstruction {
		what = e.Email + " e-mails"
	}
	l.counts(em, e, "how many "+what+" should arrive?")
}

func (l *loader) outageExpectation(_ *build, em *mapping, e *sim.Expectation) {
	if em.has("outage") && em.has("outage_at_least") {
		l.errf(em.field("outage_at_least").kpos, "outage_at_least cannot be combined with outage: write one of them")
	}
	for _, k := range []string{"outage", "outage_at_least"} {
		if !em.has(k) {
			continue
		}
		l.require(em, k)
		if d, ok := l.duration(em.get(k)); ok {
			if k == "outage" {
				e.Outage = &d
			} else {
				e.OutageAtLeast = &d
			}
		}
	}
}

// counts reads count, or min and/or max, of an event or e-mail expectation;
// question ends the message when none is given.
func (l *loader) counts(em *mapping, e *sim.Expectation, question string) {
	hasCount, hasMin, hasMax := em.has("count"), em.has("min"), em.has("max")
	switch {
	case hasCount && (hasMin || hasMax):
		other := "min"
		if !hasMin {
			other = "max"
		}
		l.errf(em.field(other).kpos, "%s cannot be combined with count: write count for an exact number, min and/or max for a range", other)
	case !hasCount && !hasMin && !hasMax:
		l.errf(em.pos, "missing key \"count\", \"min\" or \"max\" in expectation: %s", question)
	}
	for _, k := range countKeys {
		if !em.has(k) {
			continue
		}
		l.require(em, k)
		if n, ok := l.count(em.get(k)); ok {
			switch k {
			case "count":
				e.Count = &n
			case "min":
				e.Min = &n
			default:
				e.Max = &n
			}
		}
	}
	if e.Min != nil && e.Max != nil && *e.Min > *e.Max {
		l.errf(em.field("max").vpos, "max (%d) is less than min (%d)", *e.Max, *e.Min)
	}
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
