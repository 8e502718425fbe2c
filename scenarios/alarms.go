package scenarios

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// Alarms: the alert rules people run against their certificates, in a
// scenario's alarms: list or in a file of their own (renewsim -alarms FILE)
// that is added to every scenario. They change nothing in a run; the
// report package judges them on its record.

// alarmKind is one kind of alarm rule: the key that names it in an alarm,
// and how its value is read.
type alarmKind struct {
	kind string
	// keys reads the kind's mapping; nil when its value is a single value,
	// read by value.
	keys  *keyTable[kindDraft]
	value func(l *loader, d *kindDraft, f *field)
	// defaults, when set, are the rule's defaults: such a kind may also
	// be written without a value.
	defaults func(a *sim.Alarm)
}

// alarmKinds are the kinds of alarm, in the order messages list them.
var alarmKinds = []alarmKind{
	{kind: sim.AlarmEventBridge, keys: newKeyTable(sim.AlarmEventBridge, []keyRow[kindDraft]{
		{key: "detail_type", required: true, read: (*loader).eventBridgeDetailType},
		{key: "days_to_expiry_at_most", read: (*loader).eventBridgeDays, absent: needsValue},
		{key: "reason", read: (*loader).eventBridgeReason, absent: needsValue},
		{key: "code", read: (*loader).eventBridgeCode, absent: needsValue},
	})},
	{kind: sim.AlarmMetric, keys: newKeyTable(sim.AlarmMetric, []keyRow[kindDraft]{
		{key: "threshold", required: true, read: (*loader).metricThreshold},
		{key: "treat_missing_data", read: (*loader).metricMissingData, absent: needsValue},
	})},
	{kind: sim.AlarmConfig, defaults: configDefaults, keys: newKeyTable(sim.AlarmConfig, []keyRow[kindDraft]{
		{key: "days_to_expiration", read: (*loader).configDays, absent: needsValue},
		{key: "frequency", read: (*loader).configFrequency, absent: needsValue},
	})},
	{kind: sim.AlarmSecurityHub, value: (*loader).securityHubControl},
	{kind: sim.AlarmProbe, keys: newKeyTable(sim.AlarmProbe, []keyRow[kindDraft]{
		{key: "expires_within", required: true, read: (*loader).probeWithin},
		{key: "resource", read: (*loader).probeResource, absent: needsValue},
	})},
}

// alarmKindSchemas are what a -vary finds under an alarm's kind: the keys
// of its mapping, so that a key the alarm leaves out (a metric's
// treat_missing_data) can be varied too.
func alarmKindSchemas() map[string]*varySchema {
	out := map[string]*varySchema{}
	for _, k := range alarmKinds {
		if k.keys != nil {
			out[k.kind] = &varySchema{name: k.kind, keys: func() []string { return k.keys.keys }, mapping: true}
		}
	}
	return out
}

// alarmDraft is one alarm while its keys are read.
type alarmDraft struct {
	m     *mapping
	a     sim.Alarm
	ref   alarmRefs
	named bool   // the name is usable
	kind  *field // the one kind written, once known
}

// kindDraft is the mapping of an alarm's kind while it is read into the
// alarm.
type kindDraft struct {
	m        *mapping
	a        *sim.Alarm
	ref      *alarmRefs
	detailOK bool // eventbridge: the detail type was read
}

// The steps in which an alarm is read.
const (
	alarmNamed = iota // name; then which kind it is
	alarmRule         // the kind's mapping
	alarmScope        // certs
)

// alarmTable is how an alarm is read: its name, the one kind it has, and
// the certificates it watches.
var alarmTable = func() *keyTable[alarmDraft] {
	rows := []keyRow[alarmDraft]{{key: "name", required: true, step: alarmNamed, read: (*loader).alarmName}}
	for _, k := range alarmKinds {
		rows = append(rows, keyRow[alarmDraft]{key: k.kind, step: alarmRule, read: (*loader).alarmKindKey, absent: (*loader).alarmKindKey})
	}
	rows = append(rows, keyRow[alarmDraft]{key: "certs", step: alarmScope, read: (*loader).alarmCerts, absent: (*loader).alarmNoCerts})
	return newKeyTable("alarm", rows, itemRule[alarmDraft]{step: alarmNamed, check: (*loader).oneAlarmKind})
}()

// Keys of an alarm, and of a file given with -alarms, in the order
// messages list them.
var (
	alarmKeys     = alarmTable.keys
	alarmFileKeys = []string{"alarms"}
)

// Values an alarm may use.
var (
	// withDaysToExpiry are the detail types whose detail has DaysToExpiry.
	withDaysToExpiry = []string{sim.EventApproaching, sim.EventActionRequired, sim.EventAvailable}
	// securityHubControls are the Security Hub controls about ACM.
	securityHubControls = []string{"acm.1"}
	// configFrequencies are AWS Config's MaximumExecutionFrequency values,
	// as durations and by the names the API, CloudFormation and Terraform
	// give them.
	configFrequencies    = []time.Duration{time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	configFrequencyNames = []string{"One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"}
)

// eventReasons are the RenewalStatusReason values an event can carry (the
// empty reason is not sent).
func eventReasons() []string {
	return slices.DeleteFunc(slices.Clone(reasons), func(r string) bool { return r == reasonNone })
}

// maxAlarmDays bounds a number of days an alarm counts: ten years, more
// than any lifetime a profile allows.
const maxAlarmDays = 3650

// alarmRefs are where an alarm names certificates and a resource, checked
// against the scenario it ends up in.
type alarmRefs struct {
	certs    []stringItem
	resource *stringItem
}

// alarmState is what the loader knows about a scenario's alarms, for its
// expectations.
type alarmState struct {
	byName map[string]*sim.Alarm
	order  []string
}

// alarmList reads a list of alarms from f. Names must be unique in it;
// certificates and resources are not checked here.
func (l *loader) alarmList(f *field) ([]sim.Alarm, []alarmRefs) {
	items, _ := l.list(f)
	var out []sim.Alarm
	var refs []alarmRefs
	first := map[string]pos{}
	for _, it := range items {
		am := alarmTable.mapping(l, it.n, it.pos)
		if am == nil {
			continue
		}
		a, ref, ok := l.alarm(am)
		if !ok {
			continue
		}
		if p, dup := first[a.Name]; dup {
			l.errf(pos{a.Line, a.Col}, "duplicate alarm name %q (first at line %d)", a.Name, p.line)
			continue
		}
		first[a.Name] = pos{a.Line, a.Col}
		out = append(out, a)
		refs = append(refs, ref)
	}
	return out, refs
}

// alarm reads one alarm; ok is false when it has no usable name.
func (l *loader) alarm(am *mapping) (sim.Alarm, alarmRefs, bool) {
	d := &alarmDraft{m: am, a: sim.Alarm{File: l.file, Line: am.pos.line, Col: am.pos.col}}
	alarmTable.read(l, nil, am, d)
	return d.a, d.ref, d.named
}

func (l *loader) alarmName(_ *build, d *alarmDraft, f *field) {
	name, ok := l.scalar(f)
	if !ok {
		return
	}
	d.a.Name, d.a.Line, d.a.Col = name, f.vpos.line, f.vpos.col
	if nameRE.MatchString(name) {
		d.named = true
	} else {
		l.errf(f.vpos, "name: want lower-case letters, digits and hyphens (like days-to-expiry-30), got %q", name)
	}
}

// oneAlarmKind finds the one kind the alarm has.
func (l *loader) oneAlarmKind(_ *build, d *alarmDraft) {
	var kinds []*field
	for _, fl := range d.m.fields {
		if slices.ContainsFunc(alarmKinds, func(k alarmKind) bool { return k.kind == fl.name }) {
			kinds = append(kinds, fl)
		}
	}
	switch len(kinds) {
	case 0:
		var names []string
		for _, k := range alarmKinds {
			names = append(names, k.kind)
		}
		l.errf(d.m.pos, "alarm checks nothing: give one of %s", strings.Join(names, ", "))
	case 1:
		d.kind = kinds[0]
		d.a.Kind = d.kind.name
	default:
		l.errf(kinds[1].kpos, "alarm has two kinds, %s and %s: write one alarm per rule", kinds[0].name, kinds[1].name)
	}
}

// alarmKindKey reads the value of the alarm's kind: its mapping or, for
// a kind that takes one, its single value.
func (l *loader) alarmKindKey(_ *build, d *alarmDraft, kf *field) {
	if kf == nil || kf != d.kind {
		return
	}
	k := &alarmKinds[slices.IndexFunc(alarmKinds, func(k alarmKind) bool { return k.kind == kf.name })]
	if kf.null() && k.defaults == nil {
		l.errf(kf.vpos, "key %q in alarm has no value", kf.name)
		return
	}
	kd := &kindDraft{a: &d.a, ref: &d.ref}
	if k.value != nil {
		k.value(l, kd, kf)
		return
	}
	if k.defaults != nil {
		k.defaults(&d.a)
		if kf.null() {
			return // written with no value: the rule's defaults
		}
	}
	if kd.m = k.keys.mapping(l, kf.val, kf.vpos); kd.m != nil {
		k.keys.read(l, nil, kd.m, kd)
	}
}

func (l *loader) alarmCerts(_ *build, d *alarmDraft, f *field) {
	seen := map[string]bool{}
	for _, s := range l.stringList(f) {
		if seen[s.s] {
			l.errf(s.pos, "certs: certificate %q is listed twice", s.s)
			continue
		}
		seen[s.s] = true
		d.ref.certs = append(d.ref.certs, s)
		d.a.Certs = append(d.a.Certs, s.s)
	}
}

// alarmNoCerts reports certs written without a value.
func (l *loader) alarmNoCerts(_ *build, _ *alarmDraft, f *field) {
	if f != nil {
		l.errf(f.vpos, "key \"certs\" in alarm has no value: give a list of certificate ids, or leave it out for every certificate")
	}
}

// needsValue reports a key of an alarm's kind written without a value.
func needsValue(l *loader, _ *build, d *kindDraft, f *field) {
	if f != nil {
		l.require(d.m, f.name)
	}
}

func (l *loader) eventBridgeDetailType(_ *build, d *kindDraft, f *field) {
	d.a.DetailType, d.detailOK = l.oneOf(f, "detail type", events)
}

func (l *loader) eventBridgeDays(_ *build, d *kindDraft, f *field) {
	if dt := d.a.DetailType; d.detailOK && !slices.Contains(withDaysToExpiry, dt) {
		l.errf(f.kpos, "days_to_expiry_at_most: %q events have no DaysToExpiry (these do: %s)", dt, strings.Join(withDaysToExpiry, ", "))
	} else if n, ok := l.days(f); ok {
		d.a.DaysToExpiryAtMost = &n
	}
}

func (l *loader) eventBridgeReason(_ *build, d *kindDraft, f *field) {
	if d.detailOK && d.a.DetailType != sim.EventActionRequired {
		l.errf(f.kpos, "reason: only %q events carry a RenewalStatusReason", sim.EventActionRequired)
		return
	}
	d.a.Reason, _ = l.oneOf(f, "renewal status reason", eventReasons())
}

// eventBridgeCode reads the eventTypeCode an AWS Health event must have,
// as an EventBridge pattern on detail.eventTypeCode matches it.
func (l *loader) eventBridgeCode(_ *build, d *kindDraft, f *field) {
	if d.detailOK && d.a.DetailType != sim.EventHealth {
		l.errf(f.kpos, "code: only %q events carry an eventTypeCode", sim.EventHealth)
		return
	}
	d.a.Code, _ = l.oneOf(f, "AWS Health event type code", healthCodes)
}

func (l *loader) metricThreshold(_ *build, d *kindDraft, f *field) {
	d.a.Days, _ = l.days(f)
}

// metricMissingData reads the alarm's TreatMissingData, spelled as
// CloudWatch spells it.
func (l *loader) metricMissingData(_ *build, d *kindDraft, f *field) {
	d.a.TreatMissingData, _ = l.oneOf(f, "treatment of missing data", sim.MissingDataTreatments)
}

// configDefaults are the defaults of acm-certificate-expiration-check.
func configDefaults(a *sim.Alarm) {
	a.Days, a.Every = sim.ConfigDefaultDays, sim.ConfigDefaultEvery
}

func (l *loader) configDays(_ *build, d *kindDraft, f *field) {
	if n, ok := l.days(f); ok {
		d.a.Days = n
	}
}

// configFrequency reads how often the rule runs periodically: one of
// MaximumExecutionFrequency's names (One_Hour … TwentyFour_Hours, as AWS
// spells them) or the duration it stands for (1h … 24h).
func (l *loader) configFrequency(_ *build, d *kindDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	if i := slices.Index(configFrequencyNames, strings.TrimSpace(s)); i >= 0 {
		d.a.Every = configFrequencies[i]
		return
	}
	every, err := parseDuration(s)
	if err != nil || !slices.Contains(configFrequencies, every) {
		l.errf(f.vpos, "frequency: AWS Config evaluates a periodic rule every 1h, 3h, 6h, 12h or 24h (MaximumExecutionFrequency %s), got %q",
			strings.Join(configFrequencyNames, ", "), s)
		return
	}
	d.a.Every = every
}

// securityHubControl reads the control of a securityhub alarm: the
// Config rule it runs, with that rule's defaults.
func (l *loader) securityHubControl(d *kindDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	if !slices.Contains(securityHubControls, strings.ToLower(s)) {
		l.errf(f.vpos, "securityhub: unknown control %q (known: %s, which is acm-certificate-expiration-check with daysToExpiration %d)",
			s, strings.Join(securityHubControls, ", "), sim.SecurityHubACM1Days)
		return
	}
	d.a.Days, d.a.Every = sim.SecurityHubACM1Days, sim.ConfigDefaultEvery
}

func (l *loader) probeWithin(_ *build, d *kindDraft, f *field) {
	d.a.Within, d.a.Share, _ = l.within(f)
}

func (l *loader) probeResource(_ *build, d *kindDraft, f *field) {
	if s, ok := l.scalar(f); ok {
		d.ref.resource = &stringItem{s: s, pos: f.vpos}
		d.a.Resource = s
	}
}

// days reads a whole number of days from 0 to maxAlarmDays.
func (l *loader) days(f *field) (int, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxAlarmDays {
		l.errf(f.vpos, "%s: want a whole number of days from 0 to %d, got %q", f.name, maxAlarmDays, s)
		return 0, false
	}
	return n, true
}

// within reads a probe's expires_within: a duration above zero (14d), or
// a share of the lifetime above 0 and below 1, written as every share is
// (1/3, 0.33, 33%: sim.ParseShare).
func (l *loader) within(f *field) (time.Duration, sim.Share, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return 0, sim.Share{}, false
	}
	share, err := sim.ParseShare(s)
	switch {
	case err == nil && share.Num > 0:
		return 0, share, true
	case err == nil || strings.ContainsAny(s, "%/"):
		// Written as a share, but not one above 0 and below 1.
		l.errf(f.vpos, "%s: want %s (above 0, below 1), got %q", f.name, sim.ShareForms, s)
		return 0, sim.Share{}, false
	}
	d, err := parseDuration(s)
	switch {
	case err != nil:
		l.errf(f.vpos, "%s: want a duration like 14d or %s (above 0, below 1), got %q", f.name, sim.ShareForms, s)
		return 0, sim.Share{}, false
	case d <= 0:
		l.errf(f.vpos, "%s: want a duration above zero, got %q", f.name, s)
		return 0, sim.Share{}, false
	}
	return d, sim.Share{}, true
}

// alarms reads the scenario's alarms: list, checking what they name
// against the certificates and resources declared above it.
func (l *loader) alarms(b *build, f *field) {
	b.alarms = &alarmState{byName: map[string]*sim.Alarm{}}
	list, refs := l.alarmList(f)
	for i := range list {
		for _, c := range refs[i].certs {
			if _, ok := b.certs[c.s]; !ok {
				l.errf(c.pos, "certs: unknown certificate %q (known: %s)", c.s, known(b.env.order))
			}
		}
		if r := refs[i].resource; r != nil {
			l.resourceKnown(b, r.s, r.pos, "resource")
		}
	}
	b.sc.Alarms = list
	for i := range b.sc.Alarms {
		a := &b.sc.Alarms[i]
		b.alarms.byName[a.Name] = a
		b.alarms.order = append(b.alarms.order, a.Name)
	}
}

// Keys of an alarm expectation.
const (
	keyFires         = "fires"
	keyFiresMin      = "fires_at_least"
	keyFiresMax      = "fires_at_most"
	keyFalse         = "false_alarms"
	keyFalseMin      = "false_alarms_at_least"
	keyFalseMax      = "false_alarms_at_most"
	keyLeadTimeAtLst = "lead_time_at_least"
)

// alarmCheck is one key of an alarm expectation: the family of checks it
// belongs to (an item checks one family), and how it is read into e.
type alarmCheck struct {
	key    string
	family int
	read   func(l *loader, f *field, em *mapping, e *sim.Expectation)
}

// alarmChecks are what an alarm expectation may check, in the order they
// are read.
var alarmChecks = []alarmCheck{
	{keyFires, 0, (*loader).firesExactly},
	{keyFiresMin, 0, countInto(func(e *sim.Expectation) **int { return &e.Min })},
	{keyFiresMax, 0, countInto(func(e *sim.Expectation) **int { return &e.Max })},
	{keyFalse, 1, countInto(func(e *sim.Expectation) **int { return &e.FalseAlarms })},
	{keyFalseMin, 1, countInto(func(e *sim.Expectation) **int { return &e.FalseAlarmsMin })},
	{keyFalseMax, 1, countInto(func(e *sim.Expectation) **int { return &e.FalseAlarmsMax })},
	{keyLeadTimeAtLst, 2, (*loader).leadTime},
}

// alarmExclusive are the keys of a family that cannot go together: an
// exact number, and a bound.
var alarmExclusive = [][2]string{{keyFires, keyFiresMin}, {keyFires, keyFiresMax}, {keyFalse, keyFalseMin}, {keyFalse, keyFalseMax}}

// alarmExpectKeys are the keys of the alarm expectation group.
var alarmExpectKeys = func() []string {
	keys := []string{"alarm"}
	for _, c := range alarmChecks {
		keys = append(keys, c.key)
	}
	return keys
}()

// alarmExpectation reads {alarm: NAME, …}: one of fires (never or a
// number), fires_at_least and/or fires_at_most, false_alarms or
// false_alarms_at_least and/or false_alarms_at_most, lead_time_at_least
// (with cert).
func (l *loader) alarmExpectation(b *build, em *mapping, e *sim.Expectation) {
	alarm := l.expectedAlarm(b, em, e)
	if alarm != nil && e.Cert != "" && !alarm.Watches(e.Cert) {
		l.errf(em.get("cert").vpos, "cert: alarm %q watches only %s, not %q", alarm.Name, strings.Join(alarm.Certs, ", "), e.Cert)
	}
	if !l.oneAlarmCheck(em) {
		return
	}
	for _, c := range alarmChecks {
		if em.has(c.key) && l.require(em, c.key) {
			c.read(l, em.get(c.key), em, e)
		}
	}
	if e.Min != nil && e.Max != nil && *e.Min > *e.Max {
		l.errf(em.field(keyFiresMax).vpos, "fires_at_most (%d) is less than fires_at_least (%d)", *e.Max, *e.Min)
	}
	if e.FalseAlarmsMin != nil && e.FalseAlarmsMax != nil && *e.FalseAlarmsMin > *e.FalseAlarmsMax {
		l.errf(em.field(keyFalseMax).vpos, "false_alarms_at_most (%d) is less than false_alarms_at_least (%d)", *e.FalseAlarmsMax, *e.FalseAlarmsMin)
	}
}

// expectedAlarm resolves the alarm an expectation names among the
// scenario's alarms.
func (l *loader) expectedAlarm(b *build, em *mapping, e *sim.Expectation) *sim.Alarm {
	if !em.has("alarm") {
		l.errf(em.pos, "missing required key \"alarm\" in expectation: which alarm does it check?")
		return nil
	}
	if !l.require(em, "alarm") {
		return nil
	}
	af := em.get("alarm")
	name, ok := l.scalar(af)
	if !ok {
		return nil
	}
	e.Alarm = name
	alarm := b.alarms.byName[name]
	switch {
	case alarm != nil:
	case len(b.alarms.order) == 0:
		l.errf(af.vpos, "alarm: unknown alarm %q (the scenario declares no alarms; expectations name alarms of its own alarms: list)", name)
	default:
		l.errf(af.vpos, "alarm: unknown alarm %q (known: %s)", name, known(b.alarms.order))
	}
	return alarm
}

// oneAlarmCheck reports an alarm expectation that checks no family of
// keys, or more than one, or an exact number with a bound.
func (l *loader) oneAlarmCheck(em *mapping) bool {
	var used []string // the first key written of each family used
	var families []int
	for _, fl := range em.fields {
		i := slices.IndexFunc(alarmChecks, func(c alarmCheck) bool { return c.key == fl.name })
		if i >= 0 && !slices.Contains(families, alarmChecks[i].family) {
			used = append(used, fl.name)
			families = append(families, alarmChecks[i].family)
		}
	}
	switch len(used) {
	case 0:
		l.errf(em.pos, "alarm expectation checks nothing: give fires (never or a number), fires_at_least and/or fires_at_most, false_alarms, false_alarms_at_least and/or false_alarms_at_most, or lead_time_at_least with cert")
		return false
	case 1:
	default:
		l.errf(em.field(used[1]).kpos, "expectation mixes %s and %s: write one check per item", used[0], used[1])
		return false
	}
	for _, pair := range alarmExclusive {
		if em.has(pair[0]) && em.has(pair[1]) {
			l.errf(em.field(pair[1]).kpos, "%s cannot be combined with %s: write %s for an exact number", pair[1], pair[0], pair[0])
			return false
		}
	}
	return true
}

// firesExactly reads fires: never, or how many times.
func (l *loader) firesExactly(f *field, _ *mapping, e *sim.Expectation) {
	s, ok := l.scalar(f)
	switch {
	case !ok:
	case s == "never":
		zero := 0
		e.Count = &zero
	default:
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			l.errf(f.vpos, "fires: want never or a whole number >= 0, got %q", s)
		} else {
			e.Count = &n
		}
	}
}

// countInto reads a whole number into the field of e that into names.
func countInto(into func(e *sim.Expectation) **int) func(*loader, *field, *mapping, *sim.Expectation) {
	return func(l *loader, f *field, _ *mapping, e *sim.Expectation) {
		if n, ok := l.count(f); ok {
			*into(e) = &n
		}
	}
}

// leadTime reads how long before the certificate's expiry or outage the
// alarm must first fire.
func (l *loader) leadTime(f *field, em *mapping, e *sim.Expectation) {
	if !em.has("cert") {
		l.errf(f.kpos, "lead_time_at_least needs cert: the lead time before which certificate's expiry or outage?")
	}
	if d, ok := l.duration(f); ok {
		e.LeadTimeAtLeast = &d
	}
}

// AlarmSet is the alarms of a file given with -alarms, to be added to
// scenarios with AddTo.
type AlarmSet struct {
	File   string
	Alarms []sim.Alarm
	refs   []alarmRefs
}

// LoadAlarms reads a file that holds just an alarms: list, in the format
// of a scenario's. Problems are Errors with file:line:col. What the alarms
// name (certificates, a resource) is checked by AddTo, against each
// scenario.
func LoadAlarms(path string) (*AlarmSet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseAlarms(path, data)
}

// ParseAlarms is LoadAlarms on data read from file.
func ParseAlarms(file string, data []byte) (set *AlarmSet, err error) {
	defer func() {
		if r := recover(); r != nil {
			set = nil
			err = Errors{{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("internal error: %v (please report this file)", r)}}
		}
	}()
	const empty = "empty file: an alarms file holds an alarms: list"
	doc, errs := decode(file, data)
	if errs != nil {
		if len(errs) == 1 && errs[0].Msg == emptyMsg {
			errs[0].Msg = empty
		}
		return nil, errs
	}
	l := &loader{file: file}
	root, top := docRoot(doc)
	if isNull(root) {
		return nil, Errors{{File: file, Line: top.line, Col: top.col, Msg: empty}}
	}
	m := l.mapping(root, posOf(root, top), "alarms file", alarmFileKeys)
	set = &AlarmSet{File: file}
	if m != nil {
		if l.require(m, "alarms") {
			set.Alarms, set.refs = l.alarmList(m.get("alarms"))
			if len(set.Alarms) == 0 && len(l.errs) == 0 {
				l.errf(m.get("alarms").vpos, "alarms: want at least one alarm")
			}
		}
	}
	if len(l.errs) > 0 {
		return nil, sortErrors(l.errs)
	}
	return set, nil
}

// AddTo adds the set's alarms to sc, after its own. An alarm whose name the
// scenario already uses is an error at both places; certificates and a
// resource the scenario does not have are errors at the alarm file. On any
// problem sc is left as it was.
func (set *AlarmSet) AddTo(sc *sim.Scenario) error {
	if set == nil || len(set.Alarms) == 0 {
		return nil
	}
	var errs Errors
	errf := func(file string, line, col int, format string, args ...any) {
		errs = append(errs, &Error{File: file, Line: max(line, 1), Col: max(col, 1), Msg: fmt.Sprintf(format, args...)})
	}
	own := map[string]*sim.Alarm{}
	for i := range sc.Alarms {
		own[sc.Alarms[i].Name] = &sc.Alarms[i]
	}
	certs := map[string]bool{}
	var certIDs []string
	for _, c := range sc.Certificates {
		if !certs[c.ID] {
			certs[c.ID] = true
			certIDs = append(certIDs, c.ID)
		}
	}
	resources := map[string]bool{}
	var resIDs []string
	for _, r := range sc.Resources {
		if !resources[r.ID] {
			resources[r.ID] = true
			resIDs = append(resIDs, r.ID)
		}
	}
	for i := range set.Alarms {
		a := &set.Alarms[i]
		if o := own[a.Name]; o != nil {
			errf(set.File, a.Line, a.Col, "alarm %q is also declared by scenario %s at %s:%d:%d", a.Name, sc.Name, o.File, o.Line, o.Col)
			errf(o.File, o.Line, o.Col, "alarm %q is also declared in %s:%d:%d (given with -alarms)", a.Name, set.File, a.Line, a.Col)
		}
		for _, c := range set.refs[i].certs {
			if !certs[c.s] {
				errf(set.File, c.pos.line, c.pos.col, "certs: scenario %s has no certificate %q (known: %s)", sc.Name, c.s, known(certIDs))
			}
		}
		if r := set.refs[i].resource; r != nil && !resources[r.s] {
			if len(resIDs) == 0 {
				errf(set.File, r.pos.line, r.pos.col, "resource: scenario %s declares no resources, so it has no %q", sc.Name, r.s)
			} else {
				errf(set.File, r.pos.line, r.pos.col, "resource: scenario %s has no resource %q (known: %s)", sc.Name, r.s, known(resIDs))
			}
		}
	}
	if len(errs) > 0 {
		return sortErrors(errs)
	}
	for _, a := range set.Alarms {
		a.Certs = slices.Clone(a.Certs)
		sc.Alarms = append(sc.Alarms, a)
	}
	return nil
}

// AddToPart is AddTo for a scenario that holds one part of a larger one
// (renewsim check -shard i/n): a certificate an alarm names that the part
// lacks but whole lists is left out of the alarm's list, an alarm left
// with none is left out of the part, and so is a probe alarm whose
// resource the part lacks (a resource stays in the part of its
// certificates). Names whole does not list either are errors, as in
// AddTo.
func (set *AlarmSet) AddToPart(sc *sim.Scenario, whole []string) error {
	if set == nil {
		return nil
	}
	have := map[string]bool{}
	for _, c := range sc.Certificates {
		have[c.ID] = true
	}
	part := &AlarmSet{File: set.File}
	for i, a := range set.Alarms {
		ref := set.refs[i]
		var certs []stringItem
		for _, c := range ref.certs {
			if have[c.s] || !slices.Contains(whole, c.s) {
				certs = append(certs, c) // here, or an error AddTo reports
			}
		}
		if len(ref.certs) > 0 && len(certs) == 0 {
			continue // every certificate it watches is in another part
		}
		if r := ref.resource; r != nil && !slices.ContainsFunc(sc.Resources, func(x sim.Resource) bool { return x.ID == r.s }) {
			continue
		}
		a.Certs = nil
		for _, c := range certs {
			a.Certs = append(a.Certs, c.s)
		}
		part.Alarms = append(part.Alarms, a)
		part.refs = append(part.refs, alarmRefs{certs: certs, resource: ref.resource})
	}
	return part.AddTo(sc)
}
