package iac

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/renewsim/renewsim/scenarios"
)

// cfnTemplate is a CloudFormation template (or cdk synth output).
type cfnTemplate struct {
	file   string
	stack  string
	params map[string]*cnode // parameters: their Default
	res    map[string]*cfnRes
	order  []string
	outs   *cnode // Outputs
}

// cfnRes is a resource of a template or a change set: its type and
// properties (nil when they are not known: a resource a change set names
// without its properties).
type cfnRes struct {
	logical string
	typ     string
	props   *cnode
	node    *cnode // where it is described
	file    string
}

// cfnChangeSet is aws cloudformation describe-change-set output.
type cfnChangeSet struct {
	file    string
	stack   string
	stackID string
	changes []*cfnChange
}

type cfnChange struct {
	action      string // Add | Modify | Remove | Import | Dynamic
	logical     string
	physical    string
	typ         string
	replacement string // True | False | Conditional
	before      *cnode // BeforeContext (describe-change-set --include-property-values)
	after       *cnode // AfterContext
	path        string
}

// cfnStackResources is describe-stack-resources (or list-stack-resources)
// output: the physical ids of a stack's resources.
type cfnStackResources struct {
	file     string
	stack    string
	stackID  string
	physical map[string]string
}

// cfnStack is everything given about one stack.
type cfnStack struct {
	name     string
	tmpl     *cfnTemplate
	cs       *cfnChangeSet
	physical map[string]string
	region   string
	account  string
	notes    []string
}

// readCloudFormation reads the CloudFormation inputs into m.
func readCloudFormation(paths []string, m *Model, c *collector) {
	var tmpls []*cfnTemplate
	var sets []*cfnChangeSet
	var resources []*cfnStackResources
	for _, p := range paths {
		for _, file := range listFiles(p, cfnFile, "CloudFormation templates or outputs (*.json, *.yaml, *.yml, *.template)", c) {
			m.Files = append(m.Files, file)
			data, err := os.ReadFile(file)
			if err != nil {
				c.line(file, 0, 0, "%v", unwrapPath(err))
				continue
			}
			root := parseCFN(file, data, c)
			if root == nil {
				continue
			}
			switch {
			case root.kind != 'm':
				c.probs = append(c.probs, problemAt(file, root.line, root.col, "$", "want a CloudFormation template or an aws cloudformation command's output: an object"))
			case root.get("Resources") != nil || root.get("AWSTemplateFormatVersion") != nil:
				if t := readTemplate(file, root, c); t != nil {
					tmpls = append(tmpls, t)
				}
			case root.get("Changes") != nil:
				if cs := readChangeSet(file, root, c); cs != nil {
					sets = append(sets, cs)
				}
			case root.get("StackResources") != nil || root.get("StackResourceSummaries") != nil:
				if sr := readStackResources(file, root, c); sr != nil {
					resources = append(resources, sr)
				}
			case root.get("artifacts") != nil && filepath.Base(file) == "manifest.json":
				// cdk.out's manifest: the templates beside it say it all.
			default:
				c.probs = append(c.probs, problemAt(file, root.line, root.col, "$", "not a CloudFormation input: want a template (\"Resources\"), aws cloudformation describe-change-set output (\"Changes\") or describe-stack-resources output (\"StackResources\"); got an object with keys %s", strings.Join(root.keys, ", ")))
			}
		}
	}
	stacks := pairStacks(tmpls, sets, resources, c)
	for _, st := range stacks {
		st.read(m, tmpls, c)
	}
}

func cfnFile(name string) bool {
	base := strings.ToLower(filepath.Base(name))
	if base == "manifest.json" || base == "tree.json" || base == "cdk.out" || strings.HasSuffix(base, ".assets.json") {
		return false
	}
	ext := filepath.Ext(base)
	return ext == ".json" || ext == ".yaml" || ext == ".yml" || ext == ".template"
}

// readTemplate reads a template's parameters, resources and outputs.
func readTemplate(file string, root *cnode, c *collector) *cfnTemplate {
	t := &cfnTemplate{file: file, params: map[string]*cnode{}, res: map[string]*cfnRes{}, outs: root.get("Outputs")}
	if ps := root.get("Parameters"); ps != nil && ps.kind == 'm' {
		for i, k := range ps.keys {
			t.params[k] = ps.vals[i].get("Default")
		}
	}
	rs := root.get("Resources")
	if rs == nil || rs.kind != 'm' {
		if rs != nil {
			c.probs = append(c.probs, problemAt(file, rs.line, rs.col, rs.path, "want an object of resources"))
		}
		return t
	}
	cdkStack := ""
	for i, logical := range rs.keys {
		r := rs.vals[i]
		if r.kind != 'm' {
			c.probs = append(c.probs, problemAt(file, r.line, r.col, r.path, "want a resource: an object with Type and Properties"))
			continue
		}
		typ, ok := r.get("Type").scalar()
		if !ok || typ == "" {
			c.probs = append(c.probs, problemAt(file, r.line, r.col, r.path, "missing Type"))
			continue
		}
		props := r.get("Properties")
		if props != nil && props.kind != 'm' {
			c.probs = append(c.probs, problemAt(file, props.line, props.col, props.path, "want an object of properties"))
			continue
		}
		if props == nil {
			props = &cnode{kind: 'm', path: r.path + ".Properties", line: r.line, col: r.col}
		}
		t.res[logical] = &cfnRes{logical: logical, typ: typ, props: props, node: r, file: file}
		t.order = append(t.order, logical)
		if p, ok := r.get("Metadata").get("aws:cdk:path").scalar(); ok && cdkStack == "" {
			cdkStack, _, _ = strings.Cut(p, "/")
		}
	}
	t.stack = cdkStack
	if t.stack == "" {
		base := filepath.Base(file)
		for _, suf := range []string{".template.json", ".template.yaml", ".template.yml", ".template", ".json", ".yaml", ".yml"} {
			if strings.HasSuffix(base, suf) {
				base = strings.TrimSuffix(base, suf)
				break
			}
		}
		t.stack = base
	}
	return t
}

// readChangeSet reads describe-change-set output.
func readChangeSet(file string, root *cnode, c *collector) *cfnChangeSet {
	cs := &cfnChangeSet{file: file}
	cs.stack, _ = root.get("StackName").scalar()
	cs.stackID, _ = root.get("StackId").scalar()
	if cs.stack == "" {
		if m := stackIDRE(cs.stackID); m != "" {
			cs.stack = m
		}
	}
	ch := root.get("Changes")
	if ch.kind != 's' {
		c.probs = append(c.probs, problemAt(file, ch.line, ch.col, ch.path, "want an array of changes"))
		return nil
	}
	for _, it := range ch.items {
		rc := it.get("ResourceChange")
		if rc == nil || rc.kind != 'm' {
			if typ, _ := it.get("Type").scalar(); typ != "" && typ != "Resource" {
				continue // other kinds of changes do not bear on resources
			}
			c.probs = append(c.probs, problemAt(file, it.line, it.col, it.path, "want a change with a ResourceChange object"))
			continue
		}
		x := &cfnChange{path: rc.path}
		x.action, _ = rc.get("Action").scalar()
		x.logical, _ = rc.get("LogicalResourceId").scalar()
		x.physical, _ = rc.get("PhysicalResourceId").scalar()
		x.typ, _ = rc.get("ResourceType").scalar()
		x.replacement, _ = rc.get("Replacement").scalar()
		if x.logical == "" || x.typ == "" {
			c.probs = append(c.probs, problemAt(file, rc.line, rc.col, rc.path, "a resource change needs LogicalResourceId and ResourceType"))
			continue
		}
		if !slices.Contains([]string{"Add", "Modify", "Remove", "Import", "Dynamic"}, x.action) {
			c.probs = append(c.probs, problemAt(file, rc.line, rc.col, rc.path+".Action", "unknown action %q (expected one of: Add, Modify, Remove, Import, Dynamic)", x.action))
			continue
		}
		for _, ctx := range []struct {
			key string
			dst **cnode
		}{{"BeforeContext", &x.before}, {"AfterContext", &x.after}} {
			n := rc.get(ctx.key)
			s, ok := n.scalar()
			if !ok || s == "" {
				continue
			}
			var v any
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				c.probs = append(c.probs, problemAt(file, n.line, n.col, n.path, "want the resource's properties as a JSON string: %v", err))
				continue
			}
			if m, ok := v.(map[string]any); ok {
				// The context holds the properties (or, in some outputs, the
				// resource with them under "Properties").
				if p, ok := m["Properties"].(map[string]any); ok {
					m = p
				}
				*ctx.dst = fromJSON(m, n.path)
			}
		}
		cs.changes = append(cs.changes, x)
	}
	return cs
}

// stackIDRE is the stack name in a stack's ARN, "" when it is not one.
func stackIDRE(id string) string {
	_, rest, ok := strings.Cut(id, ":stack/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// readStackResources reads describe-stack-resources or
// list-stack-resources output.
func readStackResources(file string, root *cnode, c *collector) *cfnStackResources {
	sr := &cfnStackResources{file: file, physical: map[string]string{}}
	list := root.get("StackResources")
	if list == nil {
		list = root.get("StackResourceSummaries")
	}
	if list.kind != 's' {
		c.probs = append(c.probs, problemAt(file, list.line, list.col, list.path, "want an array of stack resources"))
		return nil
	}
	for _, it := range list.items {
		logical, _ := it.get("LogicalResourceId").scalar()
		physical, _ := it.get("PhysicalResourceId").scalar()
		if logical == "" {
			c.probs = append(c.probs, problemAt(file, it.line, it.col, it.path, "missing LogicalResourceId"))
			continue
		}
		if s, _ := it.get("StackName").scalar(); s != "" && sr.stack == "" {
			sr.stack = s
		}
		if s, _ := it.get("StackId").scalar(); s != "" && sr.stackID == "" {
			sr.stackID = s
		}
		if physical != "" {
			sr.physical[logical] = physical
		}
	}
	return sr
}

// pairStacks puts the templates, change sets and stack resources of each
// stack together, by stack name; a lone template takes a lone change set
// or resource list whatever their names.
func pairStacks(tmpls []*cfnTemplate, sets []*cfnChangeSet, resources []*cfnStackResources, c *collector) []*cfnStack {
	byName := map[string]*cfnStack{}
	var order []*cfnStack
	get := func(name string) *cfnStack {
		st := byName[name]
		if st == nil {
			st = &cfnStack{name: name, physical: map[string]string{}}
			byName[name] = st
			order = append(order, st)
		}
		return st
	}
	for _, t := range tmpls {
		st := get(t.stack)
		if st.tmpl != nil {
			c.line(t.file, 0, 0, "a second template of stack %s (the first is %s): give one template per stack", t.stack, st.tmpl.file)
			continue
		}
		st.tmpl = t
	}
	lone := func(name string) string {
		if byName[name] == nil && len(tmpls) == 1 {
			return tmpls[0].stack
		}
		return name
	}
	for _, cs := range sets {
		name := lone(cs.stack)
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(cs.file), filepath.Ext(cs.file))
		}
		st := get(name)
		if st.cs != nil {
			c.line(cs.file, 0, 0, "a second change set of stack %s (the first is %s): give one change set per stack", name, st.cs.file)
			continue
		}
		st.cs = cs
		st.setARN(cs.stackID)
		for _, ch := range cs.changes {
			if ch.physical != "" {
				st.physical[ch.logical] = ch.physical
			}
		}
	}
	for _, sr := range resources {
		name := lone(sr.stack)
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(sr.file), filepath.Ext(sr.file))
		}
		st := get(name)
		st.setARN(sr.stackID)
		for k, v := range sr.physical {
			st.physical[k] = v
		}
	}
	return order
}

func (st *cfnStack) setARN(arn string) {
	if m := anyARNRE.FindStringSubmatch(arn); m != nil && st.region == "" {
		st.region, st.account = m[1], m[2]
	}
}

// read adds the stack's resources, before and after its change set, to
// the model, and its changes.
func (st *cfnStack) read(m *Model, tmpls []*cfnTemplate, c *collector) {
	before, after, order := st.views(m)
	if st.cs != nil {
		m.Change = true
	}
	x := &cfnExtract{st: st, tmpls: tmpls, c: c}
	x.extract(before, order, false, m.before)
	x.extract(after, order, true, m.after)
	if st.cs == nil {
		return
	}
	for _, ch := range st.cs.changes {
		kind := ActionKind("")
		reason := ""
		switch ch.action {
		case "Add":
			kind = ActionCreate
		case "Remove":
			kind = ActionDelete
		case "Modify":
			kind = ActionUpdate
			switch ch.replacement {
			case "True":
				kind = ActionReplace
			case "Conditional":
				reason = "CloudFormation may replace it (Replacement: Conditional)"
			}
		default:
			continue
		}
		m.changes = append(m.changes, &change{id: st.name + "/" + ch.logical, addr: st.name + "/" + ch.logical, typ: ch.typ,
			file: st.cs.file, path: ch.path, kind: kind, reason: reason})
	}
}

// views are the stack's resources before and after its change set. The
// template given is the new one when the change set adds what it holds
// (cdk synth, then a change set of it), the deployed one when the change
// set removes what it holds; without a change set it is the stack as it
// stands, on both sides.
func (st *cfnStack) views(m *Model) (before, after map[string]*cfnRes, order []string) {
	before, after = map[string]*cfnRes{}, map[string]*cfnRes{}
	if st.tmpl != nil {
		order = slices.Clone(st.tmpl.order)
		for k, r := range st.tmpl.res {
			before[k], after[k] = r, r
		}
	}
	if st.cs == nil {
		return before, after, order
	}
	isNew := true
	if st.tmpl != nil {
		adds, removes := 0, 0
		for _, ch := range st.cs.changes {
			if st.tmpl.res[ch.logical] != nil {
				switch ch.action {
				case "Add":
					adds++
				case "Remove":
					removes++
				}
			}
		}
		isNew = removes <= adds
	}
	ctxRes := func(ch *cfnChange, props *cnode) *cfnRes {
		file := st.cs.file
		node := &cnode{kind: 'm', path: ch.path}
		return &cfnRes{logical: ch.logical, typ: ch.typ, props: props, node: node, file: file}
	}
	for _, ch := range st.cs.changes {
		if !slices.Contains(order, ch.logical) {
			order = append(order, ch.logical)
		}
		switch ch.action {
		case "Add":
			if isNew && after[ch.logical] != nil {
				delete(before, ch.logical)
				continue
			}
			delete(before, ch.logical)
			after[ch.logical] = ctxRes(ch, ch.after)
		case "Remove":
			if !isNew && before[ch.logical] != nil {
				delete(after, ch.logical)
				continue
			}
			delete(after, ch.logical)
			before[ch.logical] = ctxRes(ch, ch.before)
		case "Modify":
			if ch.before != nil {
				before[ch.logical] = ctxRes(ch, ch.before)
			} else if isNew && st.tmpl != nil && st.tmpl.res[ch.logical] != nil {
				st.note(fmt.Sprintf("%s/%s: the change set does not hold its properties before the change (describe it with --include-property-values): taken as they are after", st.name, ch.logical))
			}
			if ch.after != nil {
				after[ch.logical] = ctxRes(ch, ch.after)
			} else if !isNew && st.tmpl != nil && st.tmpl.res[ch.logical] != nil {
				st.note(fmt.Sprintf("%s/%s: the change set does not hold its properties after the change (describe it with --include-property-values): taken as they are before", st.name, ch.logical))
			}
			if before[ch.logical] == nil {
				before[ch.logical] = ctxRes(ch, nil)
			}
			if after[ch.logical] == nil {
				after[ch.logical] = ctxRes(ch, nil)
			}
		}
	}
	m.notes = append(m.notes, st.notes...)
	return before, after, order
}

func (st *cfnStack) note(s string) {
	if !slices.Contains(st.notes, s) {
		st.notes = append(st.notes, s)
	}
}

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
