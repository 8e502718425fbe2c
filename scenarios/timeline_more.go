package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/renewsim/renewsim/sim"
)

// The timeline actions of issue 10 §4, registered beside the others: what
// they take, and the keys they add to a timeline entry.
func init() {
	actions = append(actions, sim.DoDNSFault, sim.DoDNSFaultClear, sim.DoRenewCertificate, sim.DoReimport, sim.DoPCAFailure, sim.DoPCARestore)
	changeKeys = append(changeKeys, "zone", "fault", "probability", "duration", "not_after", "reason")
	actionKeys[sim.DoRenewCertificate] = struct{ required, optional []string }{required: []string{"cert"}}
	actionKeys[sim.DoReimport] = struct{ required, optional []string }{required: []string{"cert", "not_after"}}
	actionKeys[sim.DoPCAFailure] = struct{ required, optional []string }{required: []string{"cert", "reason"}}
	actionKeys[sim.DoPCARestore] = struct{ required, optional []string }{required: []string{"cert"}}
	actionKeys[sim.DoDNSFault] = struct{ required, optional []string }{
		required: []string{"fault"}, optional: []string{"name", "zone", "probability", "duration"}}
	actionKeys[sim.DoDNSFaultClear] = struct{ required, optional []string }{optional: []string{"name", "zone"}}
}

// faultKinds are the DNS faults a dns-fault action takes.
var faultKinds = []string{sim.FaultServfail, sim.FaultTimeout, sim.FaultSlow}

// moreChange reads the keys of the §4 actions into ch, and returns the
// changes the entry implies besides itself (a dns-fault with a duration
// ends by itself: a dns-fault-clear after it).
func (l *loader) moreChange(b *build, tm *mapping, ch *sim.Change) []sim.Change {
	switch ch.Do {
	case sim.DoDNSFault, sim.DoDNSFaultClear:
		return l.dnsFaultChange(b, tm, ch)
	case sim.DoRenewCertificate:
		l.certTypes(b, tm, ch, "a private or amazon-issued certificate", sim.TypePrivate, sim.TypeAmazonIssued)
	case sim.DoReimport:
		l.certTypes(b, tm, ch, "an imported certificate", sim.TypeImported)
		if nf := tm.get("not_after"); nf != nil {
			if na, ok := l.timeValue(nf, formsAll, b.env, "", nil); ok {
				ch.NotAfter = na
				if !ch.At.IsZero() && !na.After(ch.At) {
					l.errf(nf.vpos, "not_after (%s) is not after the reimport (%s): the new certificate must be valid", stamp(na), stamp(ch.At))
				}
			}
		}
	case sim.DoPCAFailure, sim.DoPCARestore:
		l.certTypes(b, tm, ch, "a private certificate", sim.TypePrivate)
		if ch.Do == sim.DoPCAFailure {
			var pca []string
			for _, r := range reasons {
				if strings.HasPrefix(r, "PCA_") {
					pca = append(pca, r)
				}
			}
			ch.Reason, _ = l.oneOf(tm.get("reason"), "Private CA failure reason", pca)
		}
	}
	return nil
}

// certTypes reports a certificate the action does not apply to.
func (l *loader) certTypes(b *build, tm *mapping, ch *sim.Change, want string, types ...string) {
	cf := tm.get("cert")
	meta := b.certs[ch.Cert]
	if cf == nil || meta == nil || meta.typ == "" || slices.Contains(types, meta.typ) {
		return
	}
	l.errf(cf.vpos, "cert: %s needs %s; %q is %s %s certificate", ch.Do, want, ch.Cert, article(meta.typ), meta.typ)
}

// dnsFaultChange reads where a DNS fault applies (name or zone, exactly
// one), and for dns-fault its kind, probability and duration.
func (l *loader) dnsFaultChange(b *build, tm *mapping, ch *sim.Change) []sim.Change {
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
	if ch.Do == sim.DoDNSFaultClear {
		return nil
	}
	ch.Fault, _ = l.oneOf(tm.get("fault"), "DNS fault", faultKinds)
	if pf := tm.get("probability"); pf != nil {
		if s, ok := l.scalar(pf); ok {
			p, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || !(p > 0 && p <= 1) {
				l.errf(pf.vpos, "probability: want a share of the queries above 0 and at most 1, like 0.3, got %q", s)
			} else {
				ch.Probability = p
			}
		}
	}
	df := tm.get("duration")
	if df == nil {
		return nil
	}
	d, ok := l.duration(df)
	if !ok {
		return nil
	}
	if d == 0 {
		l.errf(df.vpos, "duration: want a positive duration like 6h, got %q (leave it out for a fault that lasts until dns-fault-clear or the end)", df.val.Value)
		return nil
	}
	if ch.At.IsZero() {
		return nil
	}
	end := ch.At.Add(d)
	if b.untilOK && end.After(b.until) {
		return nil // the fault outlasts the run
	}
	clear := *ch
	clear.Do, clear.At, clear.Fault, clear.Probability = sim.DoDNSFaultClear, end, "", 0
	clear.AtText = fmt.Sprintf("%s+%s", ch.AtText, sim.FormatDuration(d))
	return []sim.Change{clear}
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
