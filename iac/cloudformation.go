package iac

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/renewsim/renewsim/fleet"
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
				c.line(file, 0, 0, "%v", fleet.UnwrapPath(err))
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
