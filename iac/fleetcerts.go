package iac

import (
	"fmt"
	"slices"
	"strings"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/sim"
)

// refreshFix is what refreshes a Terraform state that lags behind ACM.
const refreshFix = "run terraform apply -refresh-only (or terraform refresh) and export the state again, or give the certificate's describe-certificate output with -acm"

// certificates builds the fleet's certificates of one side: the code's,
// completed by the exports where they describe the same ARN, and the
// exports' other certificates, with what the code changes about their use.
func (a *assembler) certificates(w, bw, aw *world) {
	anyUsers := len(a.m.before.users)+len(a.m.after.users) > 0
	for _, id := range sortedKeys(w.certs) {
		c := w.certs[id]
		arn := w.arn[id]
		users := w.uses[id]
		inUse := a.inUse(w, users)
		wasUsed := bw != nil && len(bw.uses[id]) > 0
		if ex := a.base.Certificate(c.arn); c.arn != "" && ex != nil {
			cp := *ex
			cp.Address = id
			cp.InUseBy = a.mergeUse(ex.InUseBy, inUse)
			cp.Locate(c.file, c.path)
			unused(&cp, wasUsed || len(ex.InUseBy) > 0)
			w.fc[id] = &cp
			w.order = append(w.order, id)
			if c.data {
				w.note(id, fmt.Sprintf("looked up by %s; the ACM export describes it", c.addr))
			}
			continue
		}
		fc := &fleet.Certificate{ARN: arn, Domain: c.domain, SANs: slices.Clone(c.sans), Type: c.typ, Status: c.status,
			NotBefore: c.notBefore, NotAfter: c.notAfter, InUseBy: inUse, RenewalEligibility: c.eligibility, Renewal: c.renewal,
			Export: c.export, KeyAlgorithm: c.keyAlg, CertificateAuthority: c.ca, Address: id}
		fc.Locate(c.file, c.path)
		fc.Validations = validations(c)
		unused(fc, wasUsed)
		w.fc[id] = fc
		w.order = append(w.order, id)
		switch {
		case c.data:
			fc.Status = "PENDING_VALIDATION"
			fc.Unsettled = &fleet.Unsettled{
				Reason: fmt.Sprintf("%s only looks the certificate up (its ARN, name and status); its dates and validation are not in the code", c.addr),
				Fix:    fmt.Sprintf("give its describe-certificate output with -acm (aws acm describe-certificate --certificate-arn %s)", arnOr(c.arn)),
			}
			continue
		case c.unknown != "" && c.stateless:
			fc.Status = "PENDING_VALIDATION"
			fc.Unsettled = &fleet.Unsettled{
				Reason: "renewsim cannot resolve " + c.unknown,
				Fix:    "write the value in the template, or give a parameter its Default",
			}
			continue
		case c.unknown != "":
			fc.Status = "PENDING_VALIDATION"
			fc.Unsettled = &fleet.Unsettled{
				Reason: "known after apply: " + c.unknown + " is set only when the change is applied",
				Fix:    "run the check again on the plan after this one, or write the value in the configuration",
			}
			continue
		case c.stateless && !c.created:
			fc.Status = "PENDING_VALIDATION"
			fc.Unsettled = &fleet.Unsettled{
				Reason: fmt.Sprintf("the template describes %s but not its state (status, dates, validation records)", c.addr),
				Fix:    "give aws cloudformation describe-stack-resources (for its ARN) with -cloudformation and its describe-certificate output with -acm",
			}
			continue
		case c.created:
			a.created(w, c, fc)
		default:
			a.stale(w, c, fc, users)
		}
		if fc.Unsettled == nil && len(fc.InUseBy) == 0 && fc.Type != "IMPORTED" && (fc.Status == "ISSUED" || c.created) {
			if hidden := w.unresolvedUsers(); len(hidden) > 0 {
				fc.Unsettled = &fleet.Unsettled{
					Reason: "whether it is in use cannot be told: " + strings.Join(hidden, "; "),
					Fix:    "write the certificate's reference plainly (a Ref, or the resource's arn attribute), so the inputs say which certificate each user serves",
				}
			}
		}
		if fc.Unsettled == nil && !anyUsers && fc.Type != "IMPORTED" && (fc.Status == "ISSUED" || c.created) {
			fc.Unsettled = &fleet.Unsettled{
				Reason: "nothing in the inputs says what uses it: the code holds no load balancer listener, CloudFront distribution or API Gateway domain, and ACM renews only certificates in use",
				Fix:    "give the code of the resources that use it too (another -terraform or -cloudformation file), or its describe-certificate output (InUseBy) with -acm",
			}
		}
	}
	// The exports' certificates the code does not describe, unless the
	// change deletes them.
	for _, ex := range a.base.Certificates {
		if w.byARN[ex.ARN] != "" {
			continue
		}
		if a.deletedBy(ex.ARN, w, bw, aw) {
			continue
		}
		cp := *ex
		cp.InUseBy = a.mergeUse(ex.InUseBy, a.inUse(w, w.uses[ex.ARN]))
		unused(&cp, len(ex.InUseBy) > 0)
		w.fc[ex.ARN] = &cp
		w.order = append(w.order, ex.ARN)
	}
}

// unused: a certificate that was in use and is not on this side is no
// longer eligible for renewal. The ELIGIBLE the state or the export
// recorded was because of that use; left as it is, it would read as an
// export (the one other reason ACM gives).
func unused(c *fleet.Certificate, wasUsed bool) {
	if len(c.InUseBy) == 0 && wasUsed && c.RenewalEligibility == "ELIGIBLE" {
		c.RenewalEligibility = "INELIGIBLE"
	}
}

// unresolvedUsers names the users of a side whose certificate the inputs
// do not resolve: any certificate that seems unused may be theirs.
func (w *world) unresolvedUsers() []string {
	var out []string
	for _, u := range w.s.users {
		for _, l := range u.certs {
			if l.expr != "" && len(w.certKeys(l, 0)) == 0 && l.value == "" {
				out = appendNew(out, fmt.Sprintf("the certificate of %s is %s, which renewsim cannot resolve", u.label, l.expr))
			}
		}
	}
	return out
}

func arnOr(arn string) string {
	if arn == "" {
		return "ARN"
	}
	return arn
}

// deletedBy tells whether the code describes arn on the other side of the
// change but not on w's: the change deletes it.
func (a *assembler) deletedBy(arn string, w, bw, aw *world) bool {
	for _, o := range []*world{bw, aw} {
		if o != nil && o != w && o.byARN[arn] != "" {
			return true
		}
	}
	return false
}

func (w *world) note(id, s string) {
	if !slices.Contains(w.notes[id], s) {
		w.notes[id] = append(w.notes[id], s)
	}
}

// validations are a certificate's DomainValidationOptions as
// describe-certificate would show them.
func validations(c *certRes) []fleet.DomainValidation {
	switch c.method {
	case "DNS":
		return slices.Clone(c.dvos)
	case "EMAIL":
		var out []fleet.DomainValidation
		for _, n := range c.sans {
			vd := c.vdoms[strings.ToLower(n)]
			if vd == "" {
				vd = sim.DefaultValidationDomain(n)
			}
			out = append(out, fleet.DomainValidation{Domain: n, Method: "EMAIL", ValidationDomain: vd, Emails: c.emails})
		}
		return out
	case "HTTP":
		var out []fleet.DomainValidation
		for _, n := range c.sans {
			out = append(out, fleet.DomainValidation{Domain: n, Method: "HTTP"})
		}
		return out
	}
	return nil
}

// inUse is the InUseBy of a certificate the users serve.
func (a *assembler) inUse(w *world, users []*userRes) []string {
	var out []string
	for _, u := range users {
		arn := a.userARN(u)
		if !slices.Contains(out, arn) {
			out = append(out, arn)
		}
	}
	return out
}

// mergeUse is an exported InUseBy with the users the code manages taken
// out and the code's users of this side put in.
func (a *assembler) mergeUse(exported, code []string) []string {
	var out []string
	for _, arn := range exported {
		if !a.users[arn] {
			out = append(out, arn)
		}
	}
	for _, arn := range code {
		if !slices.Contains(out, arn) {
			out = append(out, arn)
		}
	}
	return out
}

// userARN is the ARN ACM lists in InUseBy for a user: its own, or, for one
// the change creates, a stand-in that names it.
func (a *assembler) userARN(u *userRes) string {
	if u.arn != "" {
		return u.arn
	}
	name := sanitize(u.addr)
	d := digest("renewsim placeholder resource", u.id)
	switch u.kind {
	case "elb":
		return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", a.region, a.account, name, d[:16])
	case "cloudfront":
		return fmt.Sprintf("arn:aws:cloudfront::%s:distribution/%s", a.account, strings.ToUpper(d[:14]))
	case "apigateway":
		return fmt.Sprintf("arn:aws:apigateway:%s::/domainnames/%s", a.region, name)
	}
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", u.kind, a.region, a.account, name)
}

// sanitize keeps letters, digits and '-' of s, for a name inside an ARN.
func sanitize(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > 32 {
		out = strings.TrimRight(out[:32], "-")
	}
	if out == "" {
		return "resource"
	}
	return out
}

// created settles a certificate the change creates: issued at Now when
// every name has its validation record, never when nothing creates one.
func (a *assembler) created(w *world, c *certRes, fc *fleet.Certificate) {
	issue := func(typ string) {
		fc.Status = "ISSUED"
		fc.NotBefore = a.opt.Now.UTC()
		fc.NotAfter = fc.NotBefore.Add(a.prof.Validity(typ, fc.NotBefore))
	}
	fc.Status = "PENDING_VALIDATION"
	fc.NotBefore, fc.NotAfter = fc.NotBefore.UTC(), fc.NotAfter.UTC()
	switch c.typ {
	case "PRIVATE":
		issue(sim.TypePrivate)
		w.note(c.id, "created by the change: ACM issues a private certificate at once, without validation; it stands as issued at -now")
		return
	case "IMPORTED":
		fc.Unsettled = &fleet.Unsettled{
			Reason: "known after apply: the dates of the certificate imported by the change",
			Fix:    "run the check again once it is applied (its state then holds not_after)",
		}
		return
	}
	switch c.method {
	case "EMAIL":
		fc.Unsettled = &fleet.Unsettled{
			Reason: "known after apply: created with e-mail validation, it is issued only when someone follows the approval link, and renewsim does not assume anyone does",
			Fix:    "validate it by DNS (validation_method = \"DNS\") with its validation records in the same change",
		}
		return
	case "HTTP", "":
		fc.Unsettled = &fleet.Unsettled{
			Reason: "known after apply: created without DNS validation",
			Fix:    "validate it by DNS with its validation records in the same change",
		}
		return
	}
	var missing, noZone, opaque []string
	var how []validatedBy
	for _, n := range fleetNames(c) {
		v := c.dvoFor(n)
		if v == nil || v.Record == nil {
			missing = append(missing, n)
			continue
		}
		by := ""
		for _, r := range w.creators(c.id) {
			for _, rr := range r.rrs {
				if canon(rr.Header().Name) == canon(v.Record.Name) {
					by = r.res.addr
					if r.res.owner == c.id {
						by = "the record CloudFormation creates with it (its DomainValidationOptions name a HostedZoneId)"
					}
				}
			}
		}
		switch {
		case by != "":
			how = addHow(how, by, n)
		case w.hasCNAME(v.Record.Name, v.Record.Value):
			how = addHow(how, fmt.Sprintf("the record %s already in place (ACM gives every certificate of the account the same record for a name)", strings.TrimSuffix(v.Record.Name, ".")), n)
		default:
			if o := w.opaqueRecords(n); o != "" {
				opaque = appendNew(opaque, o)
			} else if w.zoneFor(n) == nil {
				noZone = append(noZone, n)
			} else {
				missing = append(missing, n)
			}
		}
	}
	switch {
	case len(opaque) > 0:
		fc.Unsettled = &fleet.Unsettled{
			Reason: "known after apply: " + strings.Join(opaque, "; "),
			Fix:    "write the records' for_each over the certificate's domain_validation_options directly (for dvo in aws_acm_certificate.X.domain_validation_options : dvo.domain_name => dvo), so the plan's configuration shows it",
		}
	case len(missing) > 0:
		w.note(c.id, fmt.Sprintf("created by the change, but nothing creates the validation record of %s and none is in place: ACM never issues it (the request times out after 72 hours)", andList(missing)))
	case len(noZone) > 0:
		fc.Unsettled = &fleet.Unsettled{
			Reason: fmt.Sprintf("nothing in the change creates the validation record of %s, and no zone data for %s says whether one is in place", andList(noZone), andList(noZone)),
			Fix:    "give the zone that holds these names with -zones, or create the records in the same change",
		}
	default:
		issue(sim.TypeAmazonIssued)
		var parts []string
		for _, h := range how {
			parts = append(parts, andList(h.names)+" by "+h.by)
		}
		w.note(c.id, fmt.Sprintf("created by the change and validated (%s): it stands as issued at -now, for the profile's lifetime", strings.Join(parts, "; ")))
	}
}

// validatedBy is what validates some names of a certificate.
type validatedBy struct {
	by    string
	names []string
}

func addHow(how []validatedBy, by, name string) []validatedBy {
	for i := range how {
		if how[i].by == by {
			how[i].names = appendNew(how[i].names, name)
			return how
		}
	}
	return append(how, validatedBy{by: by, names: []string{name}})
}

// fleetNames are a certificate's names, the domain first.
func fleetNames(c *certRes) []string {
	var out []string
	for _, n := range c.sans {
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, n) }) {
			out = append(out, n)
		}
	}
	return out
}

func (c *certRes) dvoFor(name string) *fleet.DomainValidation {
	for i := range c.dvos {
		if strings.EqualFold(c.dvos[i].Domain, name) {
			return &c.dvos[i]
		}
	}
	return nil
}

// opaqueRecords names records of the side that are created with values
// unknown until apply from something the configuration does not spell out
// (a local value), in the zone of name: they may be its validation record.
func (w *world) opaqueRecords(name string) string {
	z := w.zoneFor(name)
	var out []string
	for _, r := range w.recs {
		if len(r.rrs) > 0 || r.res.unknown == "" || len(r.res.dvoOf) > 0 || !strings.Contains(r.res.unknown, "does not spell out") {
			continue
		}
		if z != nil && r.zone != "" && canon(r.zone) != z.Apex {
			continue
		}
		out = append(out, fmt.Sprintf("%s, created by the change, may be the validation record of %s, but its %s", r.res.addr, name, r.res.unknown))
	}
	return strings.Join(out, "; ")
}

// stale settles a certificate a state describes: a state written right
// after the certificate was requested (PENDING_VALIDATION, no not_after)
// while something already uses it is stale, and nothing is invented.
func (a *assembler) stale(w *world, c *certRes, fc *fleet.Certificate, users []*userRes) {
	waited := ""
	for _, id := range sortedKeys(w.waits) {
		if slices.Contains(w.certKeys(w.waits[id].cert, 0), c.id) {
			waited = w.waits[id].addr
		}
	}
	switch {
	case c.status == "PENDING_VALIDATION" && c.notAfter.IsZero() && (len(users) > 0 || waited != ""):
		by := waited + " has waited for it to be issued"
		if len(users) > 0 {
			by = users[0].label + " already uses it"
		}
		fc.Unsettled = &fleet.Unsettled{
			Reason: fmt.Sprintf("stale state: Terraform recorded it as PENDING_VALIDATION with no not_after (the state was written right after it was requested), yet %s, so it has most likely been issued since; renewsim does not invent its dates", by),
			Fix:    refreshFix,
		}
	case c.status == "":
		fc.Status = "PENDING_VALIDATION"
		fc.Unsettled = &fleet.Unsettled{Reason: "the state holds no status for it", Fix: refreshFix}
	case (c.status == "ISSUED" || c.status == "EXPIRED") && (c.notAfter.IsZero() || c.notBefore.IsZero()):
		fc.Unsettled = &fleet.Unsettled{Reason: fmt.Sprintf("the state says %s but holds no not_before or not_after", c.status), Fix: refreshFix}
	case c.status == "ISSUED" && c.method == "DNS" && len(c.dvos) == 0:
		fc.Unsettled = &fleet.Unsettled{Reason: "the state holds no domain_validation_options for it", Fix: refreshFix}
	}
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
