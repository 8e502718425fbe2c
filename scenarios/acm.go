package scenarios

import (
	"slices"
	"strings"

	"github.com/renewsim/renewsim/sim"
)

// The rules of ACM that a scenario must keep, beyond the form of each
// value: which keys a kind of certificate takes, what each validation
// method allows, and ACM's limits. The key tables say when each is
// judged.

// maxNames is how many names (the domain and the sans) a certificate may
// have: ACM's limit.
const maxNames = 100

// namesLimit reports more sans than ACM allows beside the domain, and
// keeps those it allows.
func (l *loader) namesLimit(f *field, sans []stringItem) []stringItem {
	if len(sans) < maxNames {
		return sans
	}
	l.errf(f.vpos, "sans: a certificate has at most %d names, the domain and %d sans (ACM's limit); got %d sans", maxNames, maxNames-1, len(sans))
	return sans[:maxNames-1]
}

// validationOmitted reports a validation key written for a certificate
// that ACM does not validate (not amazon-issued); why ends the message. A
// type that could not be read was reported, and is not judged.
func (l *loader) validationOmitted(d *certDraft, f *field, why string) bool {
	if !d.typeOK || d.validated() {
		return false
	}
	l.errf(f.kpos, "%s must be omitted for %s %s certificate: %s", f.name, article(d.c.Type), d.c.Type, why)
	return true
}

// wrongMethod reports a key of the given validation methods written for a
// certificate that is not validated, or uses another method. A method that
// could not be read was reported, and is not judged.
func (l *loader) wrongMethod(d *certDraft, f *field, methods ...string) bool {
	if l.validationOmitted(d, f, "it has no validation") {
		return true
	}
	if m := d.c.Validation; m != "" && !slices.Contains(methods, m) {
		l.errf(f.kpos, "%s applies only to %s validation; this certificate uses %s validation", f.name, strings.Join(methods, " and "), m)
		return true
	}
	return false
}

// recordApplies: dns and http validation have a record; when the method
// is unknown the record is still read, in the states of either.
func recordApplies(l *loader, _ *build, d *certDraft, f *field) bool {
	return !l.wrongMethod(d, f, sim.ValidationDNS, sim.ValidationHTTP)
}

// emailDomainApplies: only e-mail validation has validation domains.
func emailDomainApplies(l *loader, _ *build, d *certDraft, f *field) bool {
	return !l.wrongMethod(d, f, sim.ValidationEmail) && d.c.Validation == sim.ValidationEmail
}

// cnamesApply: only dns validation has validation CNAMEs.
func cnamesApply(l *loader, _ *build, d *certDraft, f *field) bool {
	return !l.wrongMethod(d, f, sim.ValidationDNS) && d.c.Validation == sim.ValidationDNS
}

// httpNoWildcards: http validation cannot validate a wildcard name.
func (l *loader) httpNoWildcards(_ *build, d *certDraft) {
	if d.c.Validation != sim.ValidationHTTP {
		return
	}
	for _, n := range d.c.Names() {
		if p, ok := d.places[n]; ok && !d.bad[n] && strings.HasPrefix(n, "*.") {
			l.errf(p.pos, "%s: http validation cannot validate the wildcard name %q: use dns or email validation", p.key, n)
		}
	}
}

// httpUsers is the rule for the resources of an http-validated certificate.
const httpUsers = "http validation is for CloudFront distributions: in_use_by must name cloudfront resources"

// httpUserKind reports a resource of an http-validated certificate that
// is not a CloudFront distribution.
func (l *loader) httpUserKind(b *build, d *certDraft, s stringItem) {
	if kind := b.resKinds[s.s]; d.c.Validation == sim.ValidationHTTP && kind != "" && kind != "cloudfront" {
		l.errf(s.pos, "in_use_by: %q is %s %s resource; %s", s.s, article(kind), kind, httpUsers)
	}
}

// httpNeedsUsers reports an http-validated certificate that no resource
// uses (unless one it names is unknown, which was reported).
func (l *loader) httpNeedsUsers(_ *build, d *certDraft) {
	if d.c.Validation != sim.ValidationHTTP || len(d.c.InUseBy) > 0 || !d.usersOK {
		return
	}
	p := d.validationPos
	if f := d.m.get("in_use_by"); f != nil {
		p = f.vpos
	}
	l.errf(p, "%s", httpUsers)
}

// profileExpiry is the first expiry of a certificate without not_after:
// issued plus the lifetime the profile gives its type then.
func (l *loader) profileExpiry(b *build, d *certDraft, _ *field) {
	ct := d.meta.times
	if !ct.issuedOK || !d.typeOK {
		return
	}
	v := b.sc.Profile.Validity(d.c.Type, ct.issued)
	switch na := ct.issued.Add(v); {
	case v <= 0:
		l.errf(d.m.pos, "certificate %q: profile %s gives it a lifetime of %s; set not_after or change the overrides", d.c.ID, b.sc.ProfileName, sim.FormatDuration(v))
	case !sim.Supported(na):
		l.errf(d.meta.issuedPos, "certificate %q expires at %s (issued + %s, the profile's lifetime), outside the supported range %s", d.c.ID, stamp(na), sim.FormatDuration(v), sim.SupportedRange())
	default:
		ct.expiry, ct.expiryOK = na, true
	}
}

// certNeedsMethod is the rule of a timeline action that works on the
// validation of one method (want says which, in messages).
func certNeedsMethod(want string, methods ...string) func(*loader, *build, *changeDraft) {
	return func(l *loader, _ *build, d *changeDraft) {
		meta := d.cmeta
		if meta == nil || slices.Contains(methods, meta.validation) {
			return
		}
		cf := d.m.get("cert")
		switch {
		case meta.typ != sim.TypeAmazonIssued:
			l.errf(cf.vpos, "cert: %s needs %s; %q is %s %s certificate, which has no validation", d.ch.Do, want, d.ch.Cert, article(meta.typ), meta.typ)
		case meta.validation != "":
			l.errf(cf.vpos, "cert: %s needs %s; %q uses %s validation", d.ch.Do, want, d.ch.Cert, meta.validation)
		}
	}
}

// certOfTypes is the rule of a timeline action that applies to some
// types of certificate only (want says which, in messages).
func certOfTypes(want string, types ...string) func(*loader, *build, *changeDraft) {
	return func(l *loader, b *build, d *changeDraft) {
		cf := d.m.get("cert")
		meta := b.certs[d.ch.Cert]
		if cf == nil || meta == nil || meta.typ == "" || slices.Contains(types, meta.typ) {
			return
		}
		l.errf(cf.vpos, "cert: %s needs %s; %q is %s %s certificate", d.ch.Do, want, d.ch.Cert, article(meta.typ), meta.typ)
	}
}

// httpAttach: an http-validated certificate can be attached to CloudFront
// distributions only.
func (l *loader) httpAttach(b *build, d *changeDraft) {
	if !d.resOK || d.cmeta == nil || d.cmeta.validation != sim.ValidationHTTP {
		return
	}
	kind := b.resKinds[d.ch.Resource]
	if kind == "" || kind == "cloudfront" {
		return
	}
	l.errf(d.m.get("resource").vpos, "resource: %q is %s %s resource; http validation is for CloudFront distributions: %q can be attached to cloudfront resources only", d.ch.Resource, article(kind), kind, d.ch.Cert)
}
