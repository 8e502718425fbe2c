package iac

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/renewsim/renewsim/scenarios"
)

// cval is what a property resolves to: a literal, a resource of a stack
// (and the attribute asked for), or an expression renewsim cannot
// resolve.
type cval struct {
	lit   string
	isLit bool
	ref   string // stack/LogicalID
	attr  string
	expr  string
}

// cfnExtract turns the resources of one view of a stack into a side.
type cfnExtract struct {
	st    *cfnStack
	tmpls []*cfnTemplate
	c     *collector
	view  map[string]*cfnRes
	after bool
}

// resolve evaluates Ref, Fn::GetAtt, Fn::Sub, Fn::Join and
// Fn::ImportValue where the inputs allow.
func (x *cfnExtract) resolve(n *cnode, depth int) cval {
	if n == nil || n.kind == 'n' {
		return cval{}
	}
	if depth > 16 {
		return cval{expr: n.text()}
	}
	if n.kind == 'v' {
		return cval{lit: n.str, isLit: true}
	}
	if n.kind != 'm' || len(n.keys) != 1 {
		return cval{expr: n.text()}
	}
	arg := n.vals[0]
	switch n.keys[0] {
	case "Ref":
		name, _ := arg.scalar()
		return x.ref(name, "", n, depth)
	case "Fn::GetAtt":
		var parts []string
		if s, ok := arg.scalar(); ok {
			a, b, _ := strings.Cut(s, ".")
			parts = []string{a, b}
		} else if arg.kind == 's' && len(arg.items) == 2 {
			a, _ := arg.items[0].scalar()
			b, _ := arg.items[1].scalar()
			parts = []string{a, b}
		}
		if len(parts) != 2 || x.view[parts[0]] == nil {
			return cval{expr: n.text()}
		}
		return x.ref(parts[0], parts[1], n, depth)
	case "Fn::Sub":
		return x.sub(arg, n, depth)
	case "Fn::Join":
		if arg.kind != 's' || len(arg.items) != 2 || arg.items[1].kind != 's' {
			return cval{expr: n.text()}
		}
		sep, _ := arg.items[0].scalar()
		var parts []string
		for _, it := range arg.items[1].items {
			v := x.resolve(it, depth+1)
			if !v.isLit {
				return cval{expr: n.text()}
			}
			parts = append(parts, v.lit)
		}
		return cval{lit: strings.Join(parts, sep), isLit: true}
	case "Fn::ImportValue":
		name := x.resolve(arg, depth+1)
		if !name.isLit {
			return cval{expr: n.text()}
		}
		for _, t := range x.tmpls {
			if t.outs == nil || t.outs.kind != 'm' {
				continue
			}
			for _, out := range t.outs.vals {
				other := &cfnExtract{st: &cfnStack{name: t.stack, tmpl: t, physical: x.physicalOf(t.stack), region: x.st.region, account: x.st.account},
					tmpls: x.tmpls, c: x.c, view: t.res, after: x.after}
				if en := other.resolve(out.get("Export").get("Name"), depth+1); en.isLit && en.lit == name.lit {
					return other.resolve(out.get("Value"), depth+1)
				}
			}
		}
		return cval{expr: n.text() + " (no template given exports it)"}
	}
	return cval{expr: n.text()}
}

// physicalOf is the physical ids known for a stack.
func (x *cfnExtract) physicalOf(stack string) map[string]string {
	if stack == x.st.name {
		return x.st.physical
	}
	return map[string]string{}
}

// ref resolves Ref (attr "") or Fn::GetAtt of a name: a parameter's
// default, a pseudo parameter, or a resource of the stack.
func (x *cfnExtract) ref(name, attr string, n *cnode, depth int) cval {
	switch name {
	case "AWS::Region":
		if x.st.region != "" {
			return cval{lit: x.st.region, isLit: true}
		}
		return cval{expr: n.text()}
	case "AWS::AccountId":
		if x.st.account != "" {
			return cval{lit: x.st.account, isLit: true}
		}
		return cval{expr: n.text()}
	case "AWS::StackName":
		return cval{lit: x.st.name, isLit: true}
	case "AWS::Partition":
		return cval{lit: "aws", isLit: true}
	case "AWS::URLSuffix":
		return cval{lit: "amazonaws.com", isLit: true}
	case "AWS::NoValue":
		return cval{}
	}
	if x.st.tmpl != nil {
		if d, ok := x.st.tmpl.params[name]; ok {
			if d == nil {
				return cval{expr: n.text() + " (a parameter without a Default)"}
			}
			return x.resolve(d, depth+1)
		}
	}
	if r := x.view[name]; r != nil {
		v := cval{ref: x.st.name + "/" + name, attr: attr}
		if p := x.st.physical[name]; p != "" && attr == "" {
			v.lit, v.isLit = p, true
		}
		return v
	}
	return cval{expr: n.text()}
}

// sub resolves Fn::Sub: ${Name}, ${Resource.Attribute}, ${!Literal}.
func (x *cfnExtract) sub(arg, n *cnode, depth int) cval {
	tmpl, ok := arg.scalar()
	var vars *cnode
	if !ok && arg.kind == 's' && len(arg.items) == 2 {
		tmpl, ok = arg.items[0].scalar()
		vars = arg.items[1]
	}
	if !ok {
		return cval{expr: n.text()}
	}
	var b strings.Builder
	var only *cval
	parts := 0
	for i := 0; i < len(tmpl); {
		j := strings.Index(tmpl[i:], "${")
		if j < 0 {
			b.WriteString(tmpl[i:])
			parts++
			break
		}
		if j > 0 {
			b.WriteString(tmpl[i : i+j])
			parts++
		}
		i += j
		k := strings.IndexByte(tmpl[i:], '}')
		if k < 0 {
			return cval{expr: n.text()}
		}
		name := tmpl[i+2 : i+k]
		i += k + 1
		parts++
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		var v cval
		if vn := vars.get(name); vn != nil {
			v = x.resolve(vn, depth+1)
		} else if res, attr, isAtt := strings.Cut(name, "."); isAtt && x.view[res] != nil {
			v = x.ref(res, attr, n, depth)
		} else {
			v = x.ref(name, "", n, depth)
		}
		if !v.isLit {
			if v.ref != "" {
				cp := v
				only = &cp
				continue
			}
			return cval{expr: n.text()}
		}
		b.WriteString(v.lit)
	}
	if only != nil {
		if parts == 1 {
			return *only // "${Certificate}": the resource itself
		}
		return cval{expr: n.text()}
	}
	return cval{lit: b.String(), isLit: true}
}

// link turns a resolved value into a link.
func (v cval) link() link {
	switch {
	case v.ref != "":
		l := link{addrs: []string{v.ref}, expr: v.ref}
		if v.attr != "" {
			l.expr += "." + v.attr
		}
		return l
	case v.isLit:
		return link{value: v.lit}
	case v.expr != "":
		return link{expr: v.expr}
	}
	return link{}
}

// str resolves a property that must be a string.
func (x *cfnExtract) str(r *cfnRes, n *cnode) (string, string) {
	v := x.resolve(n, 0)
	if v.isLit {
		return v.lit, ""
	}
	if v.ref != "" {
		return "", v.ref
	}
	return "", v.expr
}

// where is a resource's place for messages: its JSON path, and its line
// in YAML.
func (r *cfnRes) where() string {
	if r.node.line > 0 {
		return fmt.Sprintf("line %d (%s)", r.node.line, r.node.path)
	}
	return r.node.path
}

// extract adds the resources of one view to s.
func (x *cfnExtract) extract(view map[string]*cfnRes, order []string, after bool, s *side) {
	x.view, x.after = view, after
	created := map[string]bool{}
	if after && x.st.cs != nil {
		for _, ch := range x.st.cs.changes {
			if ch.action == "Add" || ch.action == "Modify" && ch.replacement == "True" {
				created[ch.logical] = true
			}
		}
	}
	for _, logical := range order {
		r := view[logical]
		if r == nil {
			continue
		}
		id := x.st.name + "/" + logical
		switch r.typ {
		case "AWS::CertificateManager::Certificate", "AWS::CloudFormation::CustomResource", "Custom::DnsValidatedCertificate":
			if cr := x.cert(r, id, created[logical]); cr != nil {
				s.certs = append(s.certs, cr)
			}
		case "AWS::Route53::HostedZone":
			z := &zoneRes{id: id, addr: id, file: r.file, path: r.where(), provider: "route53", zoneID: x.st.physical[logical]}
			if r.props != nil {
				z.name, _ = x.str(r, r.props.get("Name"))
			}
			s.zones = append(s.zones, z)
		case "AWS::Route53::RecordSet":
			s.records = append(s.records, x.record(r, id, r.props, nil))
		case "AWS::Route53::RecordSetGroup":
			if r.props == nil {
				continue
			}
			group := r.props
			for i, rs := range group.get("RecordSets").itemsOf() {
				s.records = append(s.records, x.record(r, fmt.Sprintf("%s[%d]", id, i), rs, group))
			}
		case "AWS::ElasticLoadBalancingV2::Listener":
			u := &userRes{id: id, addr: id, file: r.file, path: r.where(), typ: r.typ, kind: "elb", label: "load balancer listener " + id}
			if r.props != nil {
				u.arn = x.lbOf(r.props.get("LoadBalancerArn"))
				for _, c := range r.props.get("Certificates").itemsOf() {
					u.certs = append(u.certs, x.resolve(c.get("CertificateArn"), 0).link())
					break // the listener's default certificate; others go in ListenerCertificate
				}
			}
			s.users = append(s.users, u)
		case "AWS::ElasticLoadBalancingV2::ListenerCertificate":
			u := &userRes{id: id, addr: id, file: r.file, path: r.where(), typ: r.typ, kind: "elb", label: "load balancer listener certificate " + id}
			if r.props != nil {
				lv := x.resolve(r.props.get("ListenerArn"), 0)
				switch {
				case lv.ref != "" && view[strings.TrimPrefix(lv.ref, x.st.name+"/")] != nil:
					if l := view[strings.TrimPrefix(lv.ref, x.st.name+"/")]; l.props != nil {
						u.arn = x.lbOf(l.props.get("LoadBalancerArn"))
					}
				case lv.isLit:
					u.arn = listenerToLB(lv.lit)
				}
				for _, c := range r.props.get("Certificates").itemsOf() {
					u.certs = append(u.certs, x.resolve(c.get("CertificateArn"), 0).link())
				}
			}
			s.users = append(s.users, u)
		case "AWS::CloudFront::Distribution":
			u := &userRes{id: id, addr: id, file: r.file, path: r.where(), typ: r.typ, kind: "cloudfront", label: "CloudFront distribution " + id}
			if p := x.st.physical[logical]; p != "" && x.st.account != "" {
				u.arn = "arn:aws:cloudfront::" + x.st.account + ":distribution/" + p
			}
			if r.props != nil {
				u.certs = []link{x.resolve(r.props.get("DistributionConfig").get("ViewerCertificate").get("AcmCertificateArn"), 0).link()}
			}
			s.users = append(s.users, u)
		case "AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName":
			u := &userRes{id: id, addr: id, file: r.file, path: r.where(), typ: r.typ, kind: "apigateway", label: "API Gateway domain " + id}
			if r.props != nil {
				if d, _ := x.str(r, r.props.get("DomainName")); d != "" && x.st.region != "" {
					u.arn = "arn:aws:apigateway:" + x.st.region + "::/domainnames/" + d
				}
				if r.typ == "AWS::ApiGateway::DomainName" {
					u.certs = []link{x.resolve(r.props.get("CertificateArn"), 0).link(), x.resolve(r.props.get("RegionalCertificateArn"), 0).link()}
				}
				for _, dc := range r.props.get("DomainNameConfigurations").itemsOf() {
					u.certs = append(u.certs, x.resolve(dc.get("CertificateArn"), 0).link())
				}
			}
			s.users = append(s.users, u)
		}
	}
}

func (n *cnode) itemsOf() []*cnode {
	if n == nil || n.kind != 's' {
		return nil
	}
	return n.items
}

// lbOf is a load balancer's ARN from a LoadBalancerArn property: a literal,
// or the physical id of the stack's load balancer it names.
func (x *cfnExtract) lbOf(n *cnode) string {
	v := x.resolve(n, 0)
	if v.isLit {
		return v.lit
	}
	return ""
}

// cert reads AWS::CertificateManager::Certificate (and the CDK's
// DnsValidatedCertificate custom resource, which creates and deletes its
// records the same way).
func (x *cfnExtract) cert(r *cfnRes, id string, created bool) *certRes {
	custom := r.typ != "AWS::CertificateManager::Certificate"
	if custom && (r.props == nil || r.props.get("HostedZoneId") == nil || r.props.get("DomainName") == nil) {
		return nil // another custom resource
	}
	cr := &certRes{id: id, addr: id, file: r.file, path: r.where(), stateless: true, created: created, typ: "AMAZON_ISSUED", vdoms: map[string]string{}}
	if p := x.st.physical[r.logical]; p != "" && !created {
		cr.arn = p
	}
	if m := certARNRE.FindStringSubmatch(cr.arn); m != nil {
		cr.region = m[2]
	} else if cr.arn != "" {
		x.c.probs = append(x.c.probs, problemAt(r.file, r.node.line, r.node.col, r.node.path, "%s: its physical id %q is not an ACM certificate ARN", id, cr.arn))
		return nil
	} else {
		cr.region, cr.account = x.st.region, x.st.account
	}
	if r.props == nil {
		cr.unknown = "its properties (the change set does not hold them; describe it with --include-property-values)"
		return cr
	}
	p := r.props
	bad := func(n *cnode, format string, args ...any) {
		x.c.probs = append(x.c.probs, problemAt(r.file, n.line, n.col, n.path, format, args...))
	}
	d, why := x.str(r, p.get("DomainName"))
	switch {
	case d == "" && why != "":
		cr.unknown = "its DomainName, " + why
	case d == "":
		bad(p, "missing DomainName")
		return nil
	default:
		if msg := scenarios.DomainProblem(d); msg != "" {
			bad(p.get("DomainName"), "%s", msg)
			return nil
		}
	}
	cr.domain = d
	cr.sans = []string{}
	if d != "" {
		cr.sans = append(cr.sans, d)
	}
	for _, it := range p.get("SubjectAlternativeNames").itemsOf() {
		s, why := x.str(r, it)
		if s == "" {
			if cr.unknown == "" {
				cr.unknown = "a SubjectAlternativeNames entry, " + why
			}
			continue
		}
		if msg := scenarios.DomainProblem(s); msg != "" {
			bad(it, "%s", msg)
			continue
		}
		if !slices.ContainsFunc(cr.sans, func(n string) bool { return strings.EqualFold(n, s) }) {
			cr.sans = append(cr.sans, s)
		}
	}
	if ca, _ := x.str(r, p.get("CertificateAuthorityArn")); ca != "" {
		cr.typ, cr.ca = "PRIVATE", ca
	}
	cr.keyAlg, _ = x.str(r, p.get("KeyAlgorithm"))
	cr.method = "EMAIL" // ACM's default when the template names none
	if m, _ := x.str(r, p.get("ValidationMethod")); m != "" {
		cr.method = strings.ToUpper(m)
	}
	if custom {
		cr.method = "DNS"
	}
	if cr.typ == "PRIVATE" {
		cr.method = ""
	}
	if cr.method != "" && !slices.Contains([]string{"DNS", "EMAIL", "HTTP"}, cr.method) {
		bad(p.get("ValidationMethod"), "unknown ValidationMethod %q (expected one of: DNS, EMAIL, HTTP)", cr.method)
		return nil
	}
	cr.zoneOf = map[string]link{}
	if custom {
		z := x.resolve(p.get("HostedZoneId"), 0).link()
		for _, n := range cr.sans {
			cr.zoneOf[strings.ToLower(n)] = z
		}
	}
	for _, dvo := range p.get("DomainValidationOptions").itemsOf() {
		n, _ := x.str(r, dvo.get("DomainName"))
		if n == "" {
			continue
		}
		if hz := dvo.get("HostedZoneId"); hz != nil {
			cr.zoneOf[strings.ToLower(n)] = x.resolve(hz, 0).link()
		}
		if vd, _ := x.str(r, dvo.get("ValidationDomain")); vd != "" {
			cr.vdoms[strings.ToLower(n)] = vd
		}
	}
	if cr.method == "DNS" && created {
		cr.dvoUnknown = true
	}
	return cr
}

// record reads one record set (of a RecordSet, or of a RecordSetGroup,
// whose hosted zone applies to its record sets).
func (x *cfnExtract) record(r *cfnRes, id string, p, group *cnode) *recordRes {
	rec := &recordRes{id: id, addr: id, file: r.file, path: r.where(), provider: "route53", ttl: 300}
	if p == nil {
		// Only its physical id is known: a record set's is its name.
		rec.name = x.st.physical[r.logical]
		if rec.name == "" {
			rec.unknown = "name and records (the change set does not hold them)"
		}
		return rec
	}
	zoneOf := func(n *cnode) {
		if n == nil {
			return
		}
		if hz := n.get("HostedZoneId"); hz != nil {
			rec.zone = x.resolve(hz, 0).link()
		}
		if hn, _ := x.str(r, n.get("HostedZoneName")); hn != "" {
			rec.zoneName = hn
		}
	}
	zoneOf(group)
	zoneOf(p)
	var why []string
	name, w := x.str(r, p.get("Name"))
	if name == "" {
		why = append(why, "Name ("+w+")")
	}
	rec.name = name
	rec.typ, _ = x.str(r, p.get("Type"))
	rec.typ = strings.ToUpper(rec.typ)
	if t, _ := x.str(r, p.get("TTL")); t != "" {
		if n, err := strconv.Atoi(t); err == nil {
			rec.ttl = n
		}
	}
	for _, it := range p.get("ResourceRecords").itemsOf() {
		v, w := x.str(r, it)
		if v == "" {
			why = append(why, "ResourceRecords ("+w+")")
			continue
		}
		rec.values = append(rec.values, v)
	}
	if at := p.get("AliasTarget"); at != nil {
		rec.alias, _ = x.str(r, at.get("DNSName"))
		if rec.alias == "" {
			rec.alias = "an AWS resource"
		}
	}
	rec.unknown = strings.Join(why, ", ")
	return rec
}
