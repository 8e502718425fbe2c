package iac

import (
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/renewsim/renewsim/sim"
)

// Resource types by what they are to the fleet.
var (
	certTypes   = []string{"aws_acm_certificate", "AWS::CertificateManager::Certificate"}
	recordTypes = []string{"aws_route53_record", "cloudflare_record", "cloudflare_dns_record", "AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup"}
	zoneTypes   = []string{"aws_route53_zone", "cloudflare_zone", "AWS::Route53::HostedZone"}
	userTypes   = []string{"aws_lb_listener", "aws_alb_listener", "aws_lb_listener_certificate", "aws_alb_listener_certificate",
		"aws_cloudfront_distribution", "aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name",
		"AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::ListenerCertificate", "AWS::CloudFront::Distribution",
		"AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName"}
	waitTypes = []string{"aws_acm_certificate_validation"}
)

// amazonCAA are the CAA issuer domains that let ACM issue.
var amazonCAA = []string{"amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"}

// actions lists the planned changes that bear on certificates, each with
// what it does to the fleet.
func (a *assembler) actions(bw, aw *world) []*Action {
	if bw == nil {
		return nil
	}
	var out []*Action
	for _, ch := range a.m.changes {
		act := &Action{Address: ch.id, Type: ch.typ, Kind: ch.kind, Source: ch.file + ": " + ch.path, Reason: ch.reason}
		switch {
		case slices.Contains(certTypes, ch.typ):
			act.Effects = append(a.certEffects(ch, bw, aw), a.recordEffects(ch, bw, aw)...)
		case slices.Contains(recordTypes, ch.typ):
			act.Effects = a.recordEffects(ch, bw, aw)
		case slices.Contains(zoneTypes, ch.typ):
			act.Effects = a.zoneEffects(ch, bw, aw)
		case slices.Contains(userTypes, ch.typ):
			act.Effects = a.userEffects(ch, bw, aw)
		case slices.Contains(waitTypes, ch.typ):
			act.Effects = a.waitEffects(ch, aw)
		default:
			continue
		}
		out = append(out, act)
	}
	return out
}

// label names a certificate in a sentence: its address, or, outside the
// code, its domain and ARN.
func (w *world) label(key string) string {
	if w.certs[key] != nil {
		return key
	}
	if c := w.fc[key]; c != nil {
		return fmt.Sprintf("the certificate of %s (%s)", c.Domain, key)
	}
	return key
}

func (w *world) labels(keys []string) string {
	var ls []string
	for _, k := range keys {
		ls = append(ls, w.label(k))
	}
	return addresses(ls)
}

// validatedWith are the certificates of a side whose validation record is
// name.
func (w *world) validatedWith(name string) []string {
	var out []string
	for _, k := range w.order {
		for _, v := range w.fc[k].Validations {
			if v.Record != nil && canon(v.Record.Name) == canon(name) && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// under are the certificates of a side with a name at owner or below it.
func (w *world) under(owner string) []string {
	var out []string
	for _, k := range w.order {
		for _, n := range w.fc[k].Names() {
			if dns.IsSubDomain(canon(owner), canon(baseName(n))) && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// recsOf are the records of a side that a resource manages: its own, and,
// for a certificate CloudFormation validates, the records it creates.
func (w *world) recsOf(id string) []dns.RR {
	var out []dns.RR
	for _, r := range w.recs {
		if r.res.id == id || r.res.owner == id {
			out = append(out, r.rrs...)
		}
	}
	return out
}

// holds tells whether the zones of a side hold rr (TTL aside).
func (w *world) holds(rr dns.RR) bool {
	z := w.zoneFor(rr.Header().Name)
	if z == nil {
		return false
	}
	k := rrKey(rr)
	for _, o := range z.RecordsAt(rr.Header().Name) {
		if rrKey(o) == k {
			return true
		}
	}
	return false
}

// recordEffects says what a change of a record does: a validation record
// destroyed or changed, a CAA record added or removed.
func (a *assembler) recordEffects(ch *change, bw, aw *world) []Effect {
	before, after := bw.recsOf(ch.id), aw.recsOf(ch.id)
	in := func(list []dns.RR, rr dns.RR) bool {
		return slices.ContainsFunc(list, func(o dns.RR) bool { return rrKey(o) == rrKey(rr) })
	}
	var out []Effect
	var gone, added []dns.RR
	for _, rr := range before {
		if !in(after, rr) && !aw.holds(rr) {
			gone = append(gone, rr)
		}
	}
	for _, rr := range after {
		if !in(before, rr) && !bw.holds(rr) {
			added = append(added, rr)
		}
	}
	for _, rr := range gone {
		name := rr.Header().Name
		switch rr.Header().Rrtype {
		case dns.TypeCNAME:
			users := bw.validatedWith(name)
			if len(users) == 0 {
				continue
			}
			var repl dns.RR
			for _, n := range added {
				if n.Header().Rrtype == dns.TypeCNAME && canon(n.Header().Name) == canon(name) {
					repl = n
				}
			}
			if repl != nil {
				out = append(out, Effect{Text: fmt.Sprintf("changes the validation record %s to point at %s, but %s %s with %s",
					strings.TrimSuffix(name, "."), repl.(*dns.CNAME).Target, bw.labels(users), sim.Verb(len(users), "validates", "validate"), rr.(*dns.CNAME).Target), Certificates: users})
				continue
			}
			verbText := "destroys"
			if slices.Contains(certTypes, ch.typ) {
				verbText = "deletes with the certificate"
			}
			out = append(out, Effect{Text: fmt.Sprintf("%s the validation record %s that %s %s with", verbText, strings.TrimSuffix(name, "."), bw.labels(users), sim.Verb(len(users), "validates", "validate")), Certificates: users})
		case dns.TypeCAA:
			users := bw.under(name)
			out = append(out, Effect{Text: fmt.Sprintf("removes the CAA record %s %s", strings.TrimSuffix(name, "."), strings.Join(strings.Fields(rr.String())[4:], " ")), Certificates: users})
		}
	}
	caaDone := map[string]bool{}
	for _, rr := range added {
		name := rr.Header().Name
		switch rr.Header().Rrtype {
		case dns.TypeCNAME:
			if slices.ContainsFunc(gone, func(g dns.RR) bool {
				return g.Header().Rrtype == dns.TypeCNAME && canon(g.Header().Name) == canon(name)
			}) {
				continue // told as a change above
			}
			users := aw.validatedWith(name)
			if len(users) > 0 {
				out = append(out, Effect{Text: fmt.Sprintf("creates the validation record %s that %s %s with", strings.TrimSuffix(name, "."), aw.labels(users), sim.Verb(len(users), "validates", "validate")), Certificates: users})
			}
		case dns.TypeCAA:
			if caaDone[canon(name)] {
				continue
			}
			caaDone[canon(name)] = true
			issuers, amazon := caaIssuers(aw, name)
			users := aw.under(name)
			text := fmt.Sprintf("adds CAA at %s naming only %s", strings.TrimSuffix(name, "."), andList(issuers))
			if amazon {
				text = fmt.Sprintf("adds CAA at %s naming %s, Amazon among them", strings.TrimSuffix(name, "."), andList(issuers))
				users = nil
			} else if len(users) > 0 {
				text += fmt.Sprintf(": Amazon may no longer issue for %s or the names below it, which %s %s", strings.TrimSuffix(name, "."), aw.labels(users), sim.Verb(len(users), "covers", "cover"))
			}
			out = append(out, Effect{Text: text, Certificates: users})
		}
	}
	return out
}

// caaIssuers are the CA domains the CAA records at name allow (issue and
// issuewild), and whether Amazon is one of them.
func caaIssuers(w *world, name string) ([]string, bool) {
	z := w.zoneFor(name)
	if z == nil {
		return nil, false
	}
	var out []string
	amazon := false
	for _, rr := range z.RecordsAt(name) {
		c, ok := rr.(*dns.CAA)
		if !ok || (c.Tag != "issue" && c.Tag != "issuewild") {
			continue
		}
		v := strings.TrimSpace(strings.SplitN(c.Value, ";", 2)[0])
		if v == "" {
			v = `";" (no CA)`
		}
		if slices.Contains(amazonCAA, strings.ToLower(v)) {
			amazon = true
		}
		out = appendNew(out, v)
	}
	return out, amazon
}

// certEffects says what a change of a certificate does.
func (a *assembler) certEffects(ch *change, bw, aw *world) []Effect {
	var out []Effect
	id := ch.id
	b, af := bw.certs[id], aw.certs[id]
	users := func(w *world) []string {
		var ls []string
		for _, u := range w.uses[id] {
			ls = appendNew(ls, u.label)
		}
		return ls
	}
	switch ch.kind {
	case ActionCreate:
		if af == nil {
			break
		}
		text := fmt.Sprintf("requests a certificate for %s", andList(fleetNames(af)))
		for _, n := range aw.notes[id] {
			text += "; " + n
		}
		if fc := aw.fc[id]; fc != nil && fc.Unsettled != nil {
			text += "; cannot tell: " + fc.Unsettled.Reason
		}
		out = append(out, Effect{Text: text, Certificates: []string{id}})
	case ActionDelete:
		text := fmt.Sprintf("deletes %s", id)
		if u := users(bw); len(u) > 0 {
			still := users(aw)
			if len(still) > 0 {
				text += fmt.Sprintf(", which %s still %s: ACM refuses to delete a certificate in use (ResourceInUseException)", andList(still), sim.Verb(len(still), "uses", "use"))
			}
		}
		out = append(out, Effect{Text: text, Certificates: []string{id}})
	case ActionReplace:
		text := fmt.Sprintf("replaces %s: the new certificate has a new ARN and must be validated again", id)
		for _, n := range aw.notes[id] {
			text += "; " + n
		}
		if ch.deleteFirst && len(users(bw)) > 0 {
			text += fmt.Sprintf("; it destroys the old one first, which ACM refuses while %s %s it (ResourceInUseException): add lifecycle { create_before_destroy = true }", andList(users(bw)), sim.Verb(len(users(bw)), "uses", "use"))
		}
		out = append(out, Effect{Text: text, Certificates: []string{id}})
	case ActionUpdate:
		if b != nil && af != nil && !slices.Equal(fleetNames(b), fleetNames(af)) {
			out = append(out, Effect{Text: fmt.Sprintf("changes the names of %s to %s", id, andList(fleetNames(af))), Certificates: []string{id}})
		}
	}
	return out
}

// userEffects says what a change of a load balancer listener, a
// distribution or an API domain does to the certificates it serves.
func (a *assembler) userEffects(ch *change, bw, aw *world) []Effect {
	keysOf := func(w *world) ([]string, string) {
		var out []string
		label := ""
		for _, u := range w.s.users {
			if u.id != ch.id {
				continue
			}
			label = u.label
			for _, l := range u.certs {
				for _, k := range w.certKeys(l, 0) {
					out = appendNew(out, k)
				}
			}
		}
		return out, label
	}
	before, lb := keysOf(bw)
	after, la := keysOf(aw)
	label := firstOf(la, lb, ch.id)
	var gone, added []string
	for _, k := range before {
		if !slices.Contains(after, k) {
			gone = append(gone, k)
		}
	}
	for _, k := range after {
		if !slices.Contains(before, k) {
			added = append(added, k)
		}
	}
	var out []Effect
	switch {
	case len(gone) > 0 && len(added) > 0:
		out = append(out, Effect{Text: fmt.Sprintf("moves %s from %s to %s", label, bw.labels(gone), aw.labels(added)), Certificates: append(slices.Clone(gone), added...)})
	case len(gone) > 0 && ch.kind == ActionDelete:
		out = append(out, Effect{Text: fmt.Sprintf("deletes %s, which serves %s", label, bw.labels(gone)), Certificates: gone})
	case len(gone) > 0:
		out = append(out, Effect{Text: fmt.Sprintf("takes %s off %s", bw.labels(gone), label), Certificates: gone})
	case len(added) > 0:
		out = append(out, Effect{Text: fmt.Sprintf("puts %s on %s", aw.labels(added), label), Certificates: added})
	}
	for _, k := range gone {
		if fc := aw.fc[k]; fc != nil && len(fc.InUseBy) == 0 && fc.Type != "IMPORTED" {
			out = append(out, Effect{Text: fmt.Sprintf("leaves %s attached to nothing: ACM does not renew a certificate nothing uses (and sends no notice)", aw.label(k)), Certificates: []string{k}})
		}
	}
	return out
}

// zoneEffects says what a change of a zone does.
func (a *assembler) zoneEffects(ch *change, bw, aw *world) []Effect {
	if ch.kind != ActionDelete && ch.kind != ActionReplace {
		return nil
	}
	z := bw.zones[ch.id]
	if z == nil || z.name == "" {
		return nil
	}
	users := bw.under(z.name)
	verbText := "deletes"
	if ch.kind == ActionReplace {
		verbText = "replaces (a new hosted zone, new name servers, empty until its records are created again)"
	}
	return []Effect{{Text: fmt.Sprintf("%s the zone %s, which holds the names of %s", verbText, strings.TrimSuffix(z.name, "."), bw.labels(users)), Certificates: users}}
}

// waitEffects says what creating an aws_acm_certificate_validation does
// when nothing validates the certificate it waits for.
func (a *assembler) waitEffects(ch *change, aw *world) []Effect {
	wt := aw.waits[ch.id]
	if wt == nil || (ch.kind != ActionCreate && ch.kind != ActionReplace) {
		return nil
	}
	var out []Effect
	for _, k := range aw.certKeys(wt.cert, 0) {
		fc := aw.fc[k]
		if fc == nil || fc.Status != "PENDING_VALIDATION" || fc.Unsettled != nil {
			continue
		}
		out = append(out, Effect{Text: fmt.Sprintf("waits for %s to be issued, but nothing validates it: terraform apply fails when the wait times out (75 minutes by default)", k), Certificates: []string{k}})
	}
	return out
}
