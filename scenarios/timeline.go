package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/renewsim/renewsim/sim"
)

// timelineAction is one action a timeline entry may do: the keys it takes
// besides at and do (required ones first), and the ACM rule about what it
// acts on, judged once the keys that name it are read.
type timelineAction struct {
	do       string
	required []string
	optional []string
	rule     func(l *loader, b *build, d *changeDraft)
	takes    []string // required then optional
}

// timelineActions are the actions, in the order messages list them.
var timelineActions = newActions([]timelineAction{
	{do: sim.DoDeleteValidationRecord, required: []string{"cert"}, rule: certNeedsMethod("a dns- or http-validated certificate", sim.ValidationDNS, sim.ValidationHTTP)},
	{do: sim.DoRestoreValidationRecord, required: []string{"cert"}, rule: certNeedsMethod("a dns- or http-validated certificate", sim.ValidationDNS, sim.ValidationHTTP)},
	{do: sim.DoDNSAdd, required: []string{"record"}},
	{do: sim.DoDNSDelete, required: []string{"name"}, optional: []string{"type"}},
	{do: sim.DoAttach, required: []string{"cert", "resource"}, rule: (*loader).httpAttach},
	{do: sim.DoDetach, required: []string{"cert", "resource"}},
	{do: sim.DoExport, required: []string{"cert"}},
	{do: sim.DoClickApproval, required: []string{"domain"}},
	{do: sim.DoResendValidationEmail, required: []string{"cert"}, rule: certNeedsMethod("an e-mail-validated certificate", sim.ValidationEmail)},
	{do: sim.DoMailboxReject, required: []string{"address"}},
	{do: sim.DoMailboxAccept, required: []string{"address"}},
	{do: sim.DoDNSFault, required: []string{"fault"}, optional: []string{"name", "zone", "probability", "duration"}},
	{do: sim.DoDNSFaultClear, optional: []string{"name", "zone"}},
	{do: sim.DoRenewCertificate, required: []string{"cert"}, rule: certOfTypes("a private or amazon-issued certificate", sim.TypePrivate, sim.TypeAmazonIssued)},
	{do: sim.DoReimport, required: []string{"cert", "not_after"}, rule: certOfTypes("an imported certificate", sim.TypeImported)},
	{do: sim.DoPCAFailure, required: []string{"cert", "reason"}, rule: certOfTypes("a private certificate", sim.TypePrivate)},
	{do: sim.DoPCARestore, required: []string{"cert"}, rule: certOfTypes("a private certificate", sim.TypePrivate)},
})

func newActions(acts []timelineAction) []timelineAction {
	for i := range acts {
		acts[i].takes = append(slices.Clone(acts[i].required), acts[i].optional...)
	}
	return acts
}

// actions are the names of the actions, for messages.
var actions = func() []string {
	var out []string
	for _, a := range timelineActions {
		out = append(out, a.do)
	}
	return out
}()

// changeDraft is one timeline entry while its keys are read.
type changeDraft struct {
	m     *mapping
	ch    sim.Change
	act   *timelineAction // nil until do names a known action
	cmeta *certMeta       // the certificate named, when it is known
	resOK bool            // the resource named is known
	extra []sim.Change    // the changes the entry implies besides itself
}

// The steps in which a timeline entry is read.
const (
	changeWhen   = iota // at and do; then which keys the action takes
	changeTarget        // what the action acts on; then the action's rule
	changeDetail        // how it acts
)

// changeTable is how a timeline entry is read: at and do, then only the
// keys its action takes.
var changeTable = newKeyTable("timeline entry", []keyRow[changeDraft]{
	{key: "at", required: true, step: changeWhen, read: (*loader).changeAt},
	{key: "do", required: true, step: changeWhen, read: (*loader).changeDo},
	{key: "cert", step: changeTarget, read: (*loader).changeCert},
	{key: "resource", step: changeTarget, read: (*loader).changeResource},
	{key: "record", step: changeTarget, read: (*loader).changeRecord},
	{key: "name", step: changeTarget, read: (*loader).changeName},
	{key: "type", step: changeTarget, read: (*loader).changeType},
	{key: "domain", step: changeTarget, read: (*loader).changeDomain},
	{key: "address", step: changeTarget, read: (*loader).changeAddress},
	{key: "zone", step: changeTarget, read: (*loader).dnsFaultTarget, absent: (*loader).dnsFaultTarget},
	{key: "fault", step: changeDetail, read: (*loader).changeFault},
	{key: "probability", step: changeDetail, read: (*loader).changeProbability},
	{key: "duration", step: changeDetail, read: (*loader).changeDuration},
	{key: "not_after", step: changeDetail, read: (*loader).changeNotAfter},
	{key: "reason", step: changeDetail, read: (*loader).changeReason},
},
	itemRule[changeDraft]{step: changeWhen, check: (*loader).actionKeys},
	itemRule[changeDraft]{step: changeTarget, check: (*loader).actionRule},
).onlyTaken(func(d *changeDraft, key string) bool {
	return key == "at" || key == "do" || (d.act != nil && slices.Contains(d.act.takes, key))
})

// timelineCap bounds the entries of a timeline (a variable only so that a
// test can lower it).
var timelineCap = 1_000_000

func (l *loader) timeline(b *build, f *field) {
	if tb := l.block; tb != nil && f != nil && f.kpos.line == tb.keyLine && f.null() {
		l.timelineBatches(b, tb)
		return
	}
	items, _ := l.list(f)
	if len(items) > timelineCap {
		l.errf(f.vpos, "timeline: %d entries is too many (at most %d)", len(items), timelineCap)
		return
	}
	b.sc.Timeline = make([]sim.Change, 0, len(items))
	d := new(changeDraft)
	for _, it := range items {
		l.timelineEntry(b, d, it)
	}
	sortTimeline(b.sc.Timeline)
}

// timelineBatches reads a timeline block a batch at a time (see chunked.go).
func (l *loader) timelineBatches(b *build, tb *timelineBlock) {
	tb.used = true
	if tb.count > timelineCap {
		l.errf(tb.first, "timeline: %d entries is too many (at most %d)", tb.count, timelineCap)
		return
	}
	b.sc.Timeline = make([]sim.Change, 0, tb.count)
	d := new(changeDraft)
	for _, bt := range tb.batches {
		entries, ok := tb.decodeBatch(bt)
		if !ok {
			tb.failed = true
			return
		}
		for _, c := range entries {
			l.timelineEntry(b, d, item{n: resolve(c), pos: posOf(c, tb.first), line: c.Line})
		}
	}
	sortTimeline(b.sc.Timeline)
}

// timelineEntry reads one entry of the timeline into b.sc.Timeline; d is
// reused from entry to entry.
func (l *loader) timelineEntry(b *build, d *changeDraft, it item) {
	tm := changeTable.mapping(l, it.n, it.pos)
	if tm == nil {
		return
	}
	*d = changeDraft{m: tm, ch: sim.Change{Line: tm.pos.line}, extra: d.extra[:0]}
	changeTable.read(l, b, tm, d)
	b.sc.Timeline = append(b.sc.Timeline, d.ch)
	b.sc.Timeline = append(b.sc.Timeline, d.extra...)
}

// sortTimeline puts the changes in time order, keeping the file's order
// among changes at the same time.
func sortTimeline(tl []sim.Change) {
	byTime := func(x, y sim.Change) int { return x.At.Compare(y.At) }
	if !slices.IsSortedFunc(tl, byTime) {
		slices.SortStableFunc(tl, byTime)
	}
}

func (l *loader) changeAt(b *build, d *changeDraft, f *field) {
	if at, ok := l.timeValue(f, formsAll, b.env, "", nil); ok {
		d.ch.At = at
		l.inRange(b, f, at)
	}
	d.ch.AtText = f.val.Value
}

func (l *loader) changeDo(_ *build, d *changeDraft, f *field) {
	do, ok := l.oneOf(f, "action", actions)
	if !ok {
		return
	}
	d.ch.Do = do
	d.act = &timelineActions[slices.Index(actions, do)]
}

// actionKeys reports the keys the entry's action does not take, and the
// ones it needs that are missing.
func (l *loader) actionKeys(_ *build, d *changeDraft) {
	a := d.act
	if a == nil {
		return
	}
	for _, fl := range d.m.fields {
		if fl.name == "at" || fl.name == "do" || slices.Contains(a.takes, fl.name) {
			continue
		}
		l.errf(fl.kpos, "key %q is not used by %s (it takes: %s)", fl.name, a.do, strings.Join(a.takes, ", "))
	}
	for _, k := range a.required {
		if !d.m.has(k) {
			l.errf(d.m.pos, "missing required key %q for %s", k, a.do)
		} else if d.m.field(k).null() {
			l.errf(d.m.field(k).vpos, "key %q in timeline entry has no value", k)
		}
	}
}

// actionRule judges what the action acts on.
func (l *loader) actionRule(b *build, d *changeDraft) {
	if d.act != nil && d.act.rule != nil {
		d.act.rule(l, b, d)
	}
}

func (l *loader) changeCert(b *build, d *changeDraft, f *field) {
	id, meta, ok := l.certKnown(b, f)
	d.ch.Cert = id
	if ok {
		d.cmeta = meta
	}
}

func (l *loader) changeResource(b *build, d *changeDraft, f *field) {
	if id, ok := l.scalar(f); ok {
		d.ch.Resource = id
		d.resOK = l.resourceKnown(b, id, f.vpos, "resource")
	}
}

func (l *loader) changeRecord(b *build, d *changeDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	if strings.TrimSpace(s) == "" {
		l.errf(f.vpos, "record: want a zone-file line, got a blank value")
	} else {
		l.zoneText(b, f.vpos, "record", s)
	}
	d.ch.Record = s
}

func (l *loader) changeName(_ *build, d *changeDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	if strings.TrimSpace(s) == "" {
		l.errf(f.vpos, "name: want an owner name like example.com., got a blank value")
	}
	d.ch.Name = s
}

func (l *loader) changeType(_ *build, d *changeDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	if !rrTypeRE.MatchString(s) {
		l.errf(f.vpos, "type: want an upper-case RR type name like CAA or CNAME, got %q", s)
	}
	d.ch.Type = s
}

func (l *loader) changeDomain(b *build, d *changeDraft, f *field) {
	if name, ok := l.scalar(f); ok {
		d.ch.Domain = name
		l.approvalName(b, f, d.ch.Do, name)
	}
}

func (l *loader) changeAddress(_ *build, d *changeDraft, f *field) {
	d.ch.Address, _ = l.address(f)
}

// faultKinds are the DNS faults a dns-fault action takes.
var faultKinds = []string{sim.FaultServfail, sim.FaultTimeout, sim.FaultSlow}

// dnsFaultTarget reads where a DNS fault applies: name or zone, exactly
// one.
func (l *loader) dnsFaultTarget(_ *build, d *changeDraft, _ *field) {
	tm, ch := d.m, &d.ch
	nf, zf := tm.get("name"), tm.get("zone")
	switch {
	case nf != nil && zf != nil:
		l.errf(zf.kpos, "%s takes name or zone, not both: name is one DNS name, zone a name and everything below it", ch.Do)
	case nf == nil && zf == nil && !tm.has("name") && !tm.has("zone"):
		l.errf(tm.pos, "missing key \"name\" or \"zone\" for %s: which DNS names misbehave?", ch.Do)
	}
	for _, f := range []*field{nf, zf} {
		if f == nil {
			continue
		}
		s, ok := l.scalar(f)
		if !ok {
			continue
		}
		if msg := faultNameProblem(s); msg != "" {
			l.errf(f.vpos, "%s: %s", f.name, msg)
			continue
		}
		if f == zf {
			ch.Zone, ch.Name = s, ""
		} else {
			ch.Name = s
		}
	}
	if tm.has("name") && tm.field("name").null() {
		l.errf(tm.field("name").vpos, "key \"name\" in timeline entry has no value")
	}
	if zf == nil && tm.has("zone") {
		l.errf(tm.field("zone").vpos, "key \"zone\" in timeline entry has no value")
	}
}

func (l *loader) changeFault(_ *build, d *changeDraft, f *field) {
	d.ch.Fault, _ = l.oneOf(f, "DNS fault", faultKinds)
}

func (l *loader) changeProbability(_ *build, d *changeDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	p, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(p > 0 && p <= 1) {
		l.errf(f.vpos, "probability: want a share of the queries above 0 and at most 1, like 0.3, got %q", s)
		return
	}
	d.ch.Probability = p
}

// changeDuration reads how long a DNS fault lasts: a fault with a
// duration ends by itself, with a dns-fault-clear after it (unless it
// outlasts the run).
func (l *loader) changeDuration(b *build, d *changeDraft, f *field) {
	dur, ok := l.duration(f)
	if !ok {
		return
	}
	if dur == 0 {
		l.errf(f.vpos, "duration: want a positive duration like 6h, got %q (leave it out for a fault that lasts until dns-fault-clear or the end)", f.val.Value)
		return
	}
	ch := &d.ch
	if ch.At.IsZero() {
		return
	}
	end := ch.At.Add(dur)
	if b.untilOK && end.After(b.until) {
		return
	}
	clear := *ch
	clear.Do, clear.At, clear.Fault, clear.Probability = sim.DoDNSFaultClear, end, "", 0
	clear.AtText = fmt.Sprintf("%s+%s", ch.AtText, sim.FormatDuration(dur))
	d.extra = append(d.extra, clear)
}

func (l *loader) changeNotAfter(b *build, d *changeDraft, f *field) {
	na, ok := l.timeValue(f, formsAll, b.env, "", nil)
	if !ok {
		return
	}
	d.ch.NotAfter = na
	if !d.ch.At.IsZero() && !na.After(d.ch.At) {
		l.errf(f.vpos, "not_after (%s) is not after the reimport (%s): the new certificate must be valid", stamp(na), stamp(d.ch.At))
	}
}

// pcaReasons are the reasons a Private CA failure gives.
var pcaReasons = func() []string {
	var out []string
	for _, r := range reasons {
		if strings.HasPrefix(r, "PCA_") {
			out = append(out, r)
		}
	}
	return out
}()

func (l *loader) changeReason(_ *build, d *changeDraft, f *field) {
	d.ch.Reason, _ = l.oneOf(f, "Private CA failure reason", pcaReasons)
}

// faultNameProblem says what is wrong with the name or zone of a DNS
// fault: a DNS name (underscores allowed, the trailing dot optional), or
// "." for the root.
func faultNameProblem(s string) string {
	n := strings.TrimSuffix(s, ".")
	if s == "." {
		return ""
	}
	if n == "" || len(n) > 253 || strings.HasPrefix(n, "*") {
		return fmt.Sprintf("want a DNS name like example.com or _x.example.com, got %q", s)
	}
	for _, lb := range strings.Split(n, ".") {
		if lb == "" || len(lb) > 63 || strings.Trim(lb, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
			return fmt.Sprintf("want a DNS name like example.com or _x.example.com, got %q", s)
		}
	}
	return ""
}
