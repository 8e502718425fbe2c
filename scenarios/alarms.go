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

// Keys of an alarm and of each kind's mapping, in the order messages list
// them.
var (
	alarmKeys       = []string{"name", sim.AlarmEventBridge, sim.AlarmMetric, sim.AlarmConfig, sim.AlarmSecurityHub, sim.AlarmProbe, "certs"}
	alarmKinds      = []string{sim.AlarmEventBridge, sim.AlarmMetric, sim.AlarmConfig, sim.AlarmSecurityHub, sim.AlarmProbe}
	eventBridgeKeys = []string{"detail_type", "days_to_expiry_at_most", "reason"}
	metricKeys      = []string{"threshold"}
	configKeys      = []string{"days_to_expiration", "frequency"}
	probeKeys       = []string{"expires_within", "resource"}
	// alarmFileKeys are the keys of a file given with -alarms.
	alarmFileKeys = []string{"alarms"}
)

// Values an alarm may use.
var (
	// withDaysToExpiry are the detail types whose detail has DaysToExpiry.
	withDaysToExpiry = []string{sim.EventApproaching, sim.EventActionRequired, sim.EventAvailable}
	// securityHubControls are the Security Hub controls about ACM.
	securityHubControls = []string{"acm.1"}
	// configFrequencies are AWS Config's MaximumExecutionFrequency values.
	configFrequencies = []time.Duration{time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}
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
		am := l.mapping(it.n, it.pos, "alarm", alarmKeys)
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
	a := sim.Alarm{File: l.file, Line: am.pos.line, Col: am.pos.col}
	var ref alarmRefs
	named := false
	if !l.require(am, "name") {
		// reported
	} else if nf := am.get("name"); nf != nil {
		if name, ok := l.scalar(nf); ok {
			a.Name, a.Line, a.Col = name, nf.vpos.line, nf.vpos.col
			if nameRE.MatchString(name) {
				named = true
			} else {
				l.errf(nf.vpos, "name: want lower-case letters, digits and hyphens (like days-to-expiry-30), got %q", name)
			}
		}
	}
	var kinds []*field
	for _, fl := range am.fields {
		if slices.Contains(alarmKinds, fl.name) {
			kinds = append(kinds, fl)
		}
	}
	switch len(kinds) {
	case 0:
		l.errf(am.pos, "alarm checks nothing: give one of %s", strings.Join(alarmKinds, ", "))
	case 1:
		a.Kind = kinds[0].name
		l.alarmKind(&a, &ref, kinds[0])
	default:
		l.errf(kinds[1].kpos, "alarm has two kinds, %s and %s: write one alarm per rule", kinds[0].name, kinds[1].name)
	}
	if cf := am.field("certs"); cf != nil {
		if cf.null() {
			l.errf(cf.vpos, "key \"certs\" in alarm has no value: give a list of certificate ids, or leave it out for every certificate")
		}
		seen := map[string]bool{}
		for _, s := range l.stringList(cf) {
			if seen[s.s] {
				l.errf(s.pos, "certs: certificate %q is listed twice", s.s)
				continue
			}
			seen[s.s] = true
			ref.certs = append(ref.certs, s)
			a.Certs = append(a.Certs, s.s)
		}
	}
	return a, ref, named
}

// alarmKind reads the mapping (or, for securityhub, the value) of the
// alarm's kind.
func (l *loader) alarmKind(a *sim.Alarm, ref *alarmRefs, kf *field) {
	if kf.null() && kf.name != sim.AlarmConfig {
		l.errf(kf.vpos, "key %q in alarm has no value", kf.name)
		return
	}
	switch kf.name {
	case sim.AlarmSecurityHub:
		s, ok := l.scalar(kf)
		if !ok {
			return
		}
		if !slices.Contains(securityHubControls, strings.ToLower(s)) {
			l.errf(kf.vpos, "securityhub: unknown control %q (known: %s, which is acm-certificate-expiration-check with daysToExpiration %d)",
				s, strings.Join(securityHubControls, ", "), sim.SecurityHubACM1Days)
			return
		}
		a.Days, a.Every = sim.SecurityHubACM1Days, sim.ConfigDefaultEvery
		return
	case sim.AlarmConfig:
		a.Days, a.Every = sim.ConfigDefaultDays, sim.ConfigDefaultEvery
		if kf.null() {
			return // config: with no value takes the rule's defaults
		}
	}
	keys := map[string][]string{sim.AlarmEventBridge: eventBridgeKeys, sim.AlarmMetric: metricKeys, sim.AlarmConfig: configKeys, sim.AlarmProbe: probeKeys}[kf.name]
	km := l.mapping(kf.val, kf.vpos, kf.name, keys)
	if km == nil {
		return
	}
	switch kf.name {
	case sim.AlarmEventBridge:
		l.require(km, "detail_type")
		dt, ok := l.oneOf(km.get("detail_type"), "detail type", events)
		a.DetailType = dt
		if df := km.field("days_to_expiry_at_most"); df != nil {
			if df.null() {
				l.require(km, "days_to_expiry_at_most")
			} else if ok && !slices.Contains(withDaysToExpiry, dt) {
				l.errf(df.kpos, "days_to_expiry_at_most: %q events have no DaysToExpiry (these do: %s)", dt, strings.Join(withDaysToExpiry, ", "))
			} else if n, ok := l.days(df); ok {
				a.DaysToExpiryAtMost = &n
			}
		}
		if rf := km.field("reason"); rf != nil {
			if rf.null() {
				l.require(km, "reason")
			} else if ok && dt != sim.EventActionRequired {
				l.errf(rf.kpos, "reason: only %q events carry a RenewalStatusReason", sim.EventActionRequired)
			} else {
				a.Reason, _ = l.oneOf(rf, "renewal status reason", eventReasons())
			}
		}
	case sim.AlarmMetric:
		l.require(km, "threshold")
		if tf := km.get("threshold"); tf != nil {
			a.Days, _ = l.days(tf)
		}
	case sim.AlarmConfig:
		if df := km.field("days_to_expiration"); df != nil {
			if df.null() {
				l.require(km, "days_to_expiration")
			} else if n, ok := l.days(df); ok {
				a.Days = n
			}
		}
		if ff := km.field("frequency"); ff != nil {
			if ff.null() {
				l.require(km, "frequency")
			} else if d, ok := l.duration(ff); ok {
				if !slices.Contains(configFrequencies, d) {
					l.errf(ff.vpos, "frequency: AWS Config evaluates a periodic rule every 1h, 3h, 6h, 12h or 24h, got %q", ff.val.Value)
				} else {
					a.Every = d
				}
			}
		}
	case sim.AlarmProbe:
		l.require(km, "expires_within")
		if wf := km.get("expires_within"); wf != nil {
			a.Within, a.Share, _ = l.within(wf)
		}
		if rf := km.field("resource"); rf != nil {
			if rf.null() {
				l.require(km, "resource")
			} else if s, ok := l.scalar(rf); ok {
				ref.resource = &stringItem{s: s, pos: rf.vpos}
				a.Resource = s
			}
		}
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
// a share of the lifetime above 0% and below 100% (33%).
func (l *loader) within(f *field) (time.Duration, float64, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return 0, 0, false
	}
	if num, isShare := strings.CutSuffix(strings.TrimSpace(s), "%"); isShare {
		p, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || !(p > 0 && p < 100) {
			l.errf(f.vpos, "%s: want a share of the lifetime above 0%% and below 100%% like 33%%, got %q", f.name, s)
			return 0, 0, false
		}
		return 0, p / 100, true
	}
	d, err := parseDuration(s)
	switch {
	case err != nil:
		l.errf(f.vpos, "%s: want a duration like 14d or a share of the lifetime like 33%%, got %q", f.name, s)
		return 0, 0, false
	case d <= 0:
		l.errf(f.vpos, "%s: want a duration above zero, got %q", f.name, s)
		return 0, 0, false
	}
	return d, 0, true
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
	keyFalseMax      = "false_alarms_at_most"
	keyLeadTimeAtLst = "lead_time_at_least"
)

// alarmExpectKeys are the keys of the alarm expectation group.
var alarmExpectKeys = []string{"alarm", keyFires, keyFiresMin, keyFiresMax, keyFalse, keyFalseMax, keyLeadTimeAtLst}

// alarmExpectation reads {alarm: NAME, …}: one of fires (never or a
// number), fires_at_least and/or fires_at_most, false_alarms or
// false_alarms_at_most, lead_time_at_least (with cert).
func (l *loader) alarmExpectation(b *build, em *mapping, e *sim.Expectation) {
	var alarm *sim.Alarm
	if !em.has("alarm") {
		l.errf(em.pos, "missing required key \"alarm\" in expectation: which alarm does it check?")
	} else if l.require(em, "alarm") {
		if name, ok := l.scalar(em.get("alarm")); ok {
			e.Alarm = name
			alarm = b.alarms.byName[name]
			if alarm == nil {
				if len(b.alarms.order) == 0 {
					l.errf(em.get("alarm").vpos, "alarm: unknown alarm %q (the scenario declares no alarms; expectations name alarms of its own alarms: list)", name)
				} else {
					l.errf(em.get("alarm").vpos, "alarm: unknown alarm %q (known: %s)", name, known(b.alarms.order))
				}
			}
		}
	}
	if alarm != nil && e.Cert != "" && !alarm.Watches(e.Cert) {
		l.errf(em.get("cert").vpos, "cert: alarm %q watches only %s, not %q", alarm.Name, strings.Join(alarm.Certs, ", "), e.Cert)
	}
	// One family of checks per item.
	families := [][]string{{keyFires, keyFiresMin, keyFiresMax}, {keyFalse, keyFalseMax}, {keyLeadTimeAtLst}}
	var used []string // the first key written of each family used
	for _, fl := range em.fields {
		for _, fam := range families {
			if slices.Contains(fam, fl.name) && !slices.ContainsFunc(used, func(k string) bool { return slices.Contains(fam, k) }) {
				used = append(used, fl.name)
			}
		}
	}
	switch len(used) {
	case 0:
		l.errf(em.pos, "alarm expectation checks nothing: give fires (never or a number), fires_at_least and/or fires_at_most, false_alarms, false_alarms_at_most, or lead_time_at_least with cert")
		return
	case 1:
	default:
		l.errf(em.field(used[1]).kpos, "expectation mixes %s and %s: write one check per item", used[0], used[1])
		return
	}
	for _, pair := range [][2]string{{keyFires, keyFiresMin}, {keyFires, keyFiresMax}, {keyFalse, keyFalseMax}} {
		if em.has(pair[0]) && em.has(pair[1]) {
			l.errf(em.field(pair[1]).kpos, "%s cannot be combined with %s: write %s for an exact number", pair[1], pair[0], pair[0])
			return
		}
	}
	for _, k := range []string{keyFires, keyFiresMin, keyFiresMax, keyFalse, keyFalseMax, keyLeadTimeAtLst} {
		if !em.has(k) {
			continue
		}
		if !l.require(em, k) {
			continue
		}
		f := em.get(k)
		switch k {
		case keyFires:
			if s, ok := l.scalar(f); ok && s == "never" {
				zero := 0
				e.Count = &zero
			} else if ok {
				n, err := strconv.Atoi(s)
				if err != nil || n < 0 {
					l.errf(f.vpos, "fires: want never or a whole number >= 0, got %q", s)
				} else {
					e.Count = &n
				}
			}
		case keyFiresMin, keyFiresMax, keyFalse, keyFalseMax:
			n, ok := l.count(f)
			if !ok {
				continue
			}
			switch k {
			case keyFiresMin:
				e.Min = &n
			case keyFiresMax:
				e.Max = &n
			case keyFalse:
				e.FalseAlarms = &n
			default:
				e.FalseAlarmsMax = &n
			}
		case keyLeadTimeAtLst:
			if !em.has("cert") {
				l.errf(f.kpos, "lead_time_at_least needs cert: the lead time before which certificate's expiry or outage?")
			}
			if d, ok := l.duration(f); ok {
				e.LeadTimeAtLeast = &d
			}
		}
	}
	if e.Min != nil && e.Max != nil && *e.Min > *e.Max {
		l.errf(em.field(keyFiresMax).vpos, "fires_at_most (%d) is less than fires_at_least (%d)", *e.Max, *e.Min)
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
