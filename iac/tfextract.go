package iac

import (
	"fmt"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/miekg/dns"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/scenarios"
)

// tfSide turns the instances of one side of a Terraform document into
// certificates, records, zones and users.
type tfSide struct {
	d     *tfDoc
	insts []*tfInst
	after bool
	id    func(*tfDoc, string) string
	c     *collector
	byRes map[string][]*tfInst // module path without keys | resource address
}

func newTFSide(d *tfDoc, insts []*tfInst, after bool, id func(*tfDoc, string) string, c *collector) *tfSide {
	x := &tfSide{d: d, insts: insts, after: after, id: id, c: c, byRes: map[string][]*tfInst{}}
	for _, in := range insts {
		k := in.configModule() + "|" + in.resourceAddr()
		x.byRes[k] = append(x.byRes[k], in)
	}
	return x
}

// extract adds what the instances describe to s. Resource types that do
// not bear on certificates are skipped; attributes not used are ignored.
func (x *tfSide) extract(s *side) {
	for _, in := range x.insts {
		a := attrs{file: x.d.file, path: in.path, m: in.vals, c: x.c}
		if x.after {
			a.unk = in.unknown
		}
		switch in.typ {
		case "aws_acm_certificate":
			if cr := x.cert(in, a); cr != nil {
				s.certs = append(s.certs, cr)
			}
		case "aws_acm_certificate_validation":
			if in.mode == "managed" {
				s.waits = append(s.waits, &waitRes{id: x.id(x.d, in.addr), addr: in.addr, file: x.d.file, path: in.path,
					cert: x.link(in, a, "certificate_arn"), fqdn: a.strs("validation_record_fqdns")})
			}
		case "aws_route53_zone":
			s.zones = append(s.zones, &zoneRes{id: x.id(x.d, in.addr), addr: in.addr, file: x.d.file, path: in.path, provider: "route53",
				zoneID: firstOf(a.str("zone_id"), a.str("id")), name: a.str("name"), data: in.mode == "data"})
		case "cloudflare_zone":
			s.zones = append(s.zones, &zoneRes{id: x.id(x.d, in.addr), addr: in.addr, file: x.d.file, path: in.path, provider: "cloudflare",
				zoneID: firstOf(a.str("zone_id"), a.str("id")), name: firstOf(a.str("name"), a.str("zone")), data: in.mode == "data"})
		case "aws_route53_record":
			if in.mode == "managed" {
				s.records = append(s.records, x.route53Record(in, a))
			}
		case "cloudflare_record", "cloudflare_dns_record":
			if in.mode == "managed" {
				s.records = append(s.records, x.cloudflareRecord(in, a))
			}
		case "aws_lb_listener", "aws_alb_listener":
			if in.mode == "managed" {
				u := x.user(in, "elb", "load balancer listener")
				u.arn = x.lbARN(in, a, "load_balancer_arn", "")
				u.certs = []link{x.link(in, a, "certificate_arn")}
				s.users = append(s.users, u)
			}
		case "aws_lb_listener_certificate", "aws_alb_listener_certificate":
			if in.mode == "managed" {
				u := x.user(in, "elb", "load balancer listener certificate")
				u.arn = x.lbARN(in, a, "", "listener_arn")
				u.certs = []link{x.link(in, a, "certificate_arn")}
				s.users = append(s.users, u)
			}
		case "aws_cloudfront_distribution":
			if in.mode == "managed" {
				u := x.user(in, "cloudfront", "CloudFront distribution")
				u.arn = a.str("arn")
				if vc, ok := a.block("viewer_certificate"); ok || a.unknown("viewer_certificate") {
					u.certs = []link{x.link(in, vc, "acm_certificate_arn", "viewer_certificate", "acm_certificate_arn")}
				}
				s.users = append(s.users, u)
			}
		case "aws_api_gateway_domain_name":
			if in.mode == "managed" {
				u := x.user(in, "apigateway", "API Gateway domain")
				u.arn = x.apiARN(in, a)
				u.certs = []link{x.link(in, a, "certificate_arn"), x.link(in, a, "regional_certificate_arn")}
				s.users = append(s.users, u)
			}
		case "aws_apigatewayv2_domain_name":
			if in.mode == "managed" {
				u := x.user(in, "apigateway", "API Gateway domain")
				u.arn = x.apiARN(in, a)
				if dc, ok := a.block("domain_name_configuration"); ok || a.unknown("domain_name_configuration") {
					u.certs = []link{x.link(in, dc, "certificate_arn", "domain_name_configuration", "certificate_arn")}
				}
				s.users = append(s.users, u)
			}
		}
	}
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// cert reads aws_acm_certificate, the resource or the data source.
func (x *tfSide) cert(in *tfInst, a attrs) *certRes {
	cr := &certRes{id: x.id(x.d, in.addr), addr: in.addr, file: x.d.file, path: in.path, data: in.mode == "data"}
	cr.arn = a.str("arn")
	if cr.arn != "" && !certARNRE.MatchString(cr.arn) {
		a.bad("arn", "want an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012, got %q", cr.arn)
		return nil
	}
	cr.region = x.region(in, a, cr.arn)
	if cr.data {
		// The data source looks a certificate up: its ARN, its name and its
		// status; the rest comes from the exports.
		cr.domain = a.str("domain")
		cr.status = a.str("status")
		if cr.domain != "" {
			if msg := scenarios.DomainProblem(cr.domain); msg != "" {
				a.bad("domain", "%s", msg)
				return nil
			}
		}
		if cr.arn == "" {
			cr.unknown = "its ARN (the data source is read during apply)"
		}
		return cr
	}
	if x.after && in.change != nil && (in.change.kind == ActionCreate || in.change.kind == ActionReplace) {
		cr.created = true
	}
	before := x.c.count()
	cr.domain = a.str("domain_name")
	switch {
	case cr.domain == "" && a.unknown("domain_name"):
		cr.unknown = "its domain_name"
	case cr.domain == "":
		a.bad("domain_name", "missing domain_name")
	default:
		if msg := scenarios.DomainProblem(cr.domain); msg != "" {
			a.bad("domain_name", "%s", msg)
		}
	}
	cr.sans = []string{}
	if cr.domain != "" {
		cr.sans = append(cr.sans, cr.domain)
	}
	for i, s := range a.strs("subject_alternative_names") {
		if msg := scenarios.DomainProblem(s); msg != "" {
			a.bad(fmt.Sprintf("subject_alternative_names[%d]", i), "%s", msg)
			continue
		}
		if !slices.ContainsFunc(cr.sans, func(n string) bool { return strings.EqualFold(n, s) }) {
			cr.sans = append(cr.sans, s)
		}
	}
	if a.unknown("subject_alternative_names") && cr.unknown == "" {
		cr.unknown = "its subject_alternative_names"
	}
	cr.status = a.str("status")
	cr.typ = a.str("type")
	cr.ca = a.str("certificate_authority_arn")
	switch {
	case cr.typ != "":
	case cr.ca != "":
		cr.typ = "PRIVATE"
	case a.has("certificate_body") || a.has("private_key"):
		cr.typ = "IMPORTED"
	default:
		cr.typ = "AMAZON_ISSUED"
	}
	if !slices.Contains([]string{"AMAZON_ISSUED", "PRIVATE", "IMPORTED"}, cr.typ) {
		a.bad("type", "unknown value %q (expected one of: AMAZON_ISSUED, PRIVATE, IMPORTED)", cr.typ)
	}
	cr.method = strings.ToUpper(a.str("validation_method"))
	if cr.method == "NONE" || cr.typ != "AMAZON_ISSUED" {
		cr.method = ""
	}
	if cr.method != "" && !slices.Contains([]string{"DNS", "EMAIL", "HTTP"}, cr.method) {
		a.bad("validation_method", "unknown value %q (expected one of: DNS, EMAIL, NONE)", cr.method)
	}
	cr.emails = a.strs("validation_emails")
	cr.keyAlg = a.str("key_algorithm")
	cr.eligibility = a.str("renewal_eligibility")
	cr.notBefore = a.stamp("not_before")
	cr.notAfter = a.stamp("not_after")
	if rs, ok := a.block("renewal_summary"); ok {
		cr.renewal = &fleet.RenewalSummary{Status: rs.str("renewal_status"), Reason: rs.str("renewal_status_reason"), UpdatedAt: rs.stamp("updated_at")}
		if cr.renewal.Status == "" {
			cr.renewal = nil
		}
	}
	if o, ok := a.block("options"); ok {
		cr.export = o.str("export")
	}
	cr.vdoms = map[string]string{}
	for _, vo := range a.blocks("validation_option") {
		if n, vd := vo.str("domain_name"), vo.str("validation_domain"); n != "" && vd != "" {
			cr.vdoms[strings.ToLower(n)] = vd
		}
	}
	if cr.method == "DNS" {
		for _, dv := range a.blocks("domain_validation_options") {
			n := dv.str("domain_name")
			rn, rt, rv := dv.str("resource_record_name"), dv.str("resource_record_type"), dv.str("resource_record_value")
			if n == "" {
				continue
			}
			v := fleet.DomainValidation{Domain: n, Method: "DNS"}
			if rn != "" && rv != "" {
				rn, rv = dns.Fqdn(rn), dns.Fqdn(rv)
				if _, ok := dns.IsDomainName(rn); !ok || !dns.IsSubDomain(dns.Fqdn(baseName(n)), dns.CanonicalName(rn)) {
					dv.bad("resource_record_name", "want the validation record of %s, a name under %s (like _<hash>.%s.), got %q", n, baseName(n), baseName(n), rn)
					continue
				}
				if rt == "" {
					rt = "CNAME"
				}
				v.Record = &fleet.ResourceRecord{Name: rn, Type: rt, Value: rv}
			}
			cr.dvos = append(cr.dvos, v)
		}
		if a.unknown("domain_validation_options") || (cr.created && len(cr.dvos) == 0) {
			cr.dvoUnknown = true
		}
	}
	if cr.arn == "" && !a.unknown("arn") && !cr.created {
		a.bad("arn", "missing arn: a certificate in the state has one")
	}
	if x.c.count() > before {
		return nil
	}
	return cr
}

// route53Record reads aws_route53_record.
func (x *tfSide) route53Record(in *tfInst, a attrs) *recordRes {
	r := &recordRes{id: x.id(x.d, in.addr), addr: in.addr, file: x.d.file, path: in.path, provider: "route53"}
	r.zone = x.link(in, a, "zone_id")
	r.name = firstOf(a.str("fqdn"), a.str("name"))
	r.typ = strings.ToUpper(a.str("type"))
	r.ttl = 300
	if n, ok := a.num("ttl"); ok {
		r.ttl = n
	}
	r.values = a.strs("records")
	if al, ok := a.block("alias"); ok {
		r.alias = al.str("name")
	}
	var unk []string
	for _, k := range []string{"name", "type", "records"} {
		if a.unknown(k) && (k != "name" || r.name == "") && (k != "records" || len(r.values) == 0) {
			unk = append(unk, k)
		}
	}
	if a.unknown("alias") && r.alias == "" && len(r.values) == 0 {
		unk = append(unk, "alias")
	}
	r.unknown = strings.Join(unk, ", ")
	x.dvo(in, r)
	return r
}

// cloudflareRecord reads cloudflare_record (provider v4) and
// cloudflare_dns_record (v5).
func (x *tfSide) cloudflareRecord(in *tfInst, a attrs) *recordRes {
	r := &recordRes{id: x.id(x.d, in.addr), addr: in.addr, file: x.d.file, path: in.path, provider: "cloudflare"}
	r.zone = x.link(in, a, "zone_id")
	r.name = firstOf(a.str("hostname"), a.str("name"))
	r.typ = strings.ToUpper(a.str("type"))
	r.ttl = 300
	if n, ok := a.num("ttl"); ok && n > 1 { // 1 is Cloudflare's "automatic"
		r.ttl = n
	}
	r.proxied = a.boolean("proxied")
	v := firstOf(a.str("content"), a.str("value"))
	if d, ok := a.block("data"); ok && v == "" && r.typ == "CAA" {
		flags, _ := d.num("flags")
		v = fmt.Sprintf("%d %s %q", flags, d.str("tag"), d.str("value"))
	}
	if v != "" {
		r.values = []string{v}
	}
	var unk []string
	if r.name == "" && (a.unknown("name") || a.unknown("hostname")) {
		unk = append(unk, "name")
	}
	if a.unknown("type") {
		unk = append(unk, "type")
	}
	if v == "" && (a.unknown("content") || a.unknown("value") || a.unknown("data")) {
		unk = append(unk, "content")
	}
	r.unknown = strings.Join(unk, ", ")
	x.dvo(in, r)
	return r
}

// dvo notes which certificates' domain_validation_options a record is made
// from, as the configuration's references say (a for_each over them is
// the usual pattern), and the name its key gives.
func (x *tfSide) dvo(in *tfInst, r *recordRes) {
	cfg := x.d.config.resource(in.module, in.resourceAddr())
	if cfg == nil {
		return
	}
	var refs []tfRef
	for _, e := range []*tfjson.Expression{cfg.ForEachExpression, cfg.CountExpression, cfg.Expressions["name"], cfg.Expressions["records"], cfg.Expressions["content"], cfg.Expressions["value"]} {
		refs = append(refs, x.d.config.follow(in.module, e)...)
	}
	var opaque []string
	for _, ref := range refs {
		switch {
		case ref.opaque != "":
			opaque = append(opaque, ref.opaque)
		case strings.HasPrefix(ref.res, "aws_acm_certificate."):
			for _, t := range x.find(ref) {
				if !slices.Contains(r.dvoOf, x.id(x.d, t.addr)) {
					r.dvoOf = append(r.dvoOf, x.id(x.d, t.addr))
				}
			}
		}
	}
	if s, ok := in.key.(string); ok && len(r.dvoOf) > 0 {
		r.dvoName = s
	}
	if len(r.dvoOf) == 0 && len(opaque) > 0 && r.unknown != "" {
		slices.Sort(opaque)
		r.unknown += fmt.Sprintf(" (from %s, which the plan's configuration does not spell out)", strings.Join(slices.Compact(opaque), ", "))
	}
}

// user starts a resource that serves certificates.
func (x *tfSide) user(in *tfInst, kind, what string) *userRes {
	return &userRes{id: x.id(x.d, in.addr), addr: in.addr, file: x.d.file, path: in.path, typ: in.typ, kind: kind, label: what + " " + in.addr}
}

// link reads an attribute that names another resource: its value, or,
// unknown until apply, where the configuration says it comes from. cfg is
// the attribute's path in the configuration when it is in a nested block.
func (x *tfSide) link(in *tfInst, a attrs, key string, cfg ...string) link {
	if v := a.str(key); v != "" {
		return link{value: v}
	}
	if len(cfg) == 0 {
		cfg = []string{key}
	}
	if x.d.config == nil {
		if a.unknown(key) {
			return link{expr: in.addr + "." + strings.Join(cfg, ".") + " (known after apply)"}
		}
		return link{}
	}
	res := x.d.config.resource(in.module, in.resourceAddr())
	e := expr(res, cfg...)
	refs := x.d.config.follow(in.module, e)
	if usesEach(e) && res.ForEachExpression != nil {
		// certificate_arn = each.value, for_each over a map of them: the
		// instance's key picks its entry, when an instance has that key.
		for _, r := range x.d.config.follow(in.module, res.ForEachExpression) {
			if r.res != "" && !r.hasKey && in.key != nil {
				keyed := r
				keyed.key, keyed.hasKey = in.key, true
				if len(x.find(keyed)) == 1 {
					r = keyed
				}
			}
			refs = append(refs, r)
		}
	}
	if len(refs) == 0 {
		if a.unknown(key) {
			return link{expr: in.addr + "." + strings.Join(cfg, ".") + " (known after apply)"}
		}
		return link{}
	}
	l := link{expr: refText(refs)}
	for _, r := range refs {
		switch {
		case r.isLit:
			if l.value == "" {
				l.value = r.literal
			}
		case r.opaque == "":
			for _, t := range x.find(r) {
				l.addrs = append(l.addrs, x.id(x.d, t.addr))
			}
		}
	}
	if len(l.addrs) > 0 {
		l.value = ""
	}
	return l
}

// usesEach tells whether an expression reads each.key or each.value.
func usesEach(e *tfjson.Expression) bool {
	if e == nil || e.ExpressionData == nil {
		return false
	}
	for _, r := range e.References {
		if strings.HasPrefix(r, "each.") {
			return true
		}
	}
	return false
}

// find lists the instances a reference names on this side.
func (x *tfSide) find(r tfRef) []*tfInst {
	cands := x.byRes[stripKeys(r.module)+"|"+r.res]
	var exact []*tfInst
	for _, c := range cands {
		if c.module == r.module {
			exact = append(exact, c)
		}
	}
	if len(exact) > 0 {
		cands = exact
	}
	if !r.hasKey {
		return cands
	}
	var out []*tfInst
	for _, c := range cands {
		if fmt.Sprint(c.key) == fmt.Sprint(r.key) {
			out = append(out, c)
		}
	}
	return out
}

// region is where a resource lives: its ARN says, or its region attribute
// (AWS provider 6), or its provider configuration.
func (x *tfSide) region(in *tfInst, a attrs, arn string) string {
	if m := certARNRE.FindStringSubmatch(arn); m != nil {
		return m[2]
	}
	if r := a.str("region"); r != "" {
		return r
	}
	return x.d.config.region(in)
}

// lbARN is the ARN of the load balancer a listener belongs to, as ACM
// lists it in InUseBy: the listener's load_balancer_arn, or the listener
// ARN's load balancer part.
func (x *tfSide) lbARN(in *tfInst, a attrs, lbKey, listenerKey string) string {
	if lbKey != "" {
		if v := a.str(lbKey); v != "" {
			return v
		}
		return ""
	}
	if v := a.str(listenerKey); v != "" {
		return listenerToLB(v)
	}
	// The listener is created with it: its load balancer's ARN, when the
	// listener's instance knows it.
	l := x.link(in, a, listenerKey)
	for _, id := range l.addrs {
		for _, c := range x.insts {
			if x.id(x.d, c.addr) == id {
				if v, _ := c.vals["load_balancer_arn"].(string); v != "" {
					return v
				}
			}
		}
	}
	return ""
}

// listenerToLB turns a listener ARN into its load balancer's:
// …:listener/app/NAME/LBID/LID → …:loadbalancer/app/NAME/LBID.
func listenerToLB(arn string) string {
	i := strings.Index(arn, ":listener/")
	if i < 0 {
		return arn
	}
	res := arn[i+len(":listener/"):]
	j := strings.LastIndexByte(res, '/')
	if j < 0 {
		return arn
	}
	return arn[:i] + ":loadbalancer/" + res[:j]
}

// apiARN is the ARN ACM lists for an API Gateway custom domain.
func (x *tfSide) apiARN(in *tfInst, a attrs) string {
	if v := a.str("arn"); v != "" {
		return v
	}
	if d := a.str("domain_name"); d != "" {
		region := x.region(in, a, "")
		return fmt.Sprintf("arn:aws:apigateway:%s::/domainnames/%s", region, d)
	}
	return ""
}
