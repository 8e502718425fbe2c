package iac

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// tfDoc is one Terraform file: a plan (terraform show -json PLANFILE), a
// state as terraform show -json prints it, or a raw terraform.tfstate.
type tfDoc struct {
	file   string
	kind   string // plan | state | tfstate
	before []*tfInst
	after  []*tfInst
	// changes are the plan's resource changes other than no-op and read.
	changes []*tfChange
	config  *tfConfig // nil unless a plan carries its configuration
}

// tfInst is one resource instance, as the state or the plan holds it.
type tfInst struct {
	doc       *tfDoc
	path      string // JSON path of its attribute values
	addr      string // module path, resource and key: module.dns.aws_route53_record.validation["example.com"]
	module    string // module instance path ("" for the root module)
	mode      string // managed | data
	typ, name string
	key       any // nil, string or int
	vals      map[string]any
	unknown   any    // the plan's after_unknown for vals: true, or a tree of them
	provider  string // the plan's provider_name, or the raw state's provider address
	change    *tfChange
}

// tfChange is a planned change of one resource instance.
type tfChange struct {
	addr   string
	typ    string
	path   string // JSON path of the resource change
	kind   ActionKind
	reason string // Terraform's action_reason, "" when it gives none
	// deleteFirst: a replacement that destroys the old object before it
	// creates the new one (Terraform's default without create_before_destroy).
	deleteFirst bool
	before      *tfInst
	after       *tfInst
}

// configAddr is the instance's resource address without module keys or
// its own key: the configuration's name for it.
func (i *tfInst) configModule() string { return stripKeys(i.module) }

func (i *tfInst) resourceAddr() string {
	if i.mode == "data" {
		return "data." + i.typ + "." + i.name
	}
	return i.typ + "." + i.name
}

// readTerraform reads one Terraform file; nil when it is unusable (the
// problems are in c).
func readTerraform(file string, data []byte, c *collector) *tfDoc {
	const what = "the output of terraform show -json (a plan or a state) or a terraform.tfstate file"
	if !checkJSON(file, data, what, c) {
		return nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		c.at(file, "$", "want %s: a JSON object, got %s", what, jsonKind(data))
		return nil
	}
	d := &tfDoc{file: file}
	switch {
	case top["format_version"] != nil && (top["planned_values"] != nil || top["resource_changes"] != nil || top["prior_state"] != nil || top["configuration"] != nil):
		d.kind = "plan"
		readPlan(d, data, c)
	case top["format_version"] != nil:
		d.kind = "state"
		readShowState(d, data, c)
	case top["version"] != nil && (top["resources"] != nil || top["lineage"] != nil || top["terraform_version"] != nil):
		d.kind = "tfstate"
		readRawState(d, data, c)
	default:
		keys := make([]string, 0, len(top))
		for k := range top {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if len(keys) == 0 {
			keys = []string{"(none)"}
		}
		c.at(file, "$", "not a Terraform plan or state: want %s (\"format_version\", or \"version\": 4 and \"resources\"); got an object with keys %s", what, strings.Join(keys, ", "))
		return nil
	}
	return d
}

func jsonKind(data []byte) string {
	t := bytes.TrimSpace(data)
	switch {
	case len(t) == 0:
		return "nothing"
	case t[0] == '[':
		return "an array"
	case t[0] == '"':
		return "a string"
	}
	return "a " + string(t[:min(len(t), 10)]) + "…"
}

// readPlan reads terraform show -json PLANFILE: the prior state is the
// fleet's before, the resource changes (and the planned values for what
// they leave out) its after, and the configuration says where the values
// unknown until apply come from.
func readPlan(d *tfDoc, data []byte, c *collector) {
	var p tfjson.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		if strings.Contains(err.Error(), "format version") {
			c.at(d.file, "$.format_version", "%v", err)
			return
		}
		typeProblem(d.file, data, err, c)
		return
	}
	if p.PriorState != nil && p.PriorState.Values != nil {
		d.before = walkModule(d, p.PriorState.Values.RootModule, "$.prior_state.values.root_module", nil)
	}
	byAddr := map[string]*tfInst{}
	var after []*tfInst
	for i, rc := range p.ResourceChanges {
		path := fmt.Sprintf("$.resource_changes[%d]", i)
		if rc == nil || rc.Change == nil || rc.DeposedKey != "" {
			// A deposed object is an old copy being cleaned up: it is not
			// part of the fleet either side.
			continue
		}
		if rc.Address == "" || rc.Type == "" || rc.Name == "" {
			c.at(d.file, path, "a resource change needs address, type and name")
			continue
		}
		ch := &tfChange{addr: rc.Address, typ: rc.Type, path: path, reason: string(rc.ActionReason)}
		acts := rc.Change.Actions
		switch {
		case acts.Replace():
			ch.kind, ch.deleteFirst = ActionReplace, acts.DestroyBeforeCreate()
		case acts.Create():
			ch.kind = ActionCreate
		case acts.Update():
			ch.kind = ActionUpdate
		case acts.Delete():
			ch.kind = ActionDelete
		case acts.NoOp(), acts.Read(), len(acts) == 0:
		default:
			c.at(d.file, path+".change.actions", "unknown actions %q (expected no-op, create, read, update, delete, or a replacement: delete and create)", acts)
			continue
		}
		inst := &tfInst{doc: d, addr: rc.Address, module: rc.ModuleAddress, mode: string(rc.Mode), typ: rc.Type, name: rc.Name,
			key: normKey(rc.Index), provider: rc.ProviderName}
		if ch.kind != "" {
			d.changes = append(d.changes, ch)
			inst.change = ch
		}
		if before, ok := rc.Change.Before.(map[string]any); ok && ch.kind != "" && ch.kind != ActionCreate {
			b := *inst
			b.vals, b.path = before, path+".change.before"
			ch.before = &b
		}
		if ch.kind == ActionDelete {
			continue
		}
		switch a := rc.Change.After.(type) {
		case map[string]any:
			inst.vals = a
		case nil:
			inst.vals = map[string]any{}
		default:
			c.at(d.file, path+".change.after", "want an object, got %s", describe(a))
			continue
		}
		inst.path = path + ".change.after"
		inst.unknown = rc.Change.AfterUnknown
		if ch.kind != "" {
			ch.after = inst
		}
		byAddr[inst.addr] = inst
		after = append(after, inst)
	}
	// What the changes do not hold: data sources read while planning, in
	// the planned values or only in the prior state.
	if p.PlannedValues != nil {
		for _, inst := range walkModule(d, p.PlannedValues.RootModule, "$.planned_values.root_module", nil) {
			if byAddr[inst.addr] == nil && (inst.mode == "data" || len(p.ResourceChanges) == 0) {
				byAddr[inst.addr] = inst
				after = append(after, inst)
			}
		}
	}
	for _, inst := range d.before {
		if byAddr[inst.addr] == nil && inst.mode == "data" {
			cp := *inst
			byAddr[cp.addr] = &cp
			after = append(after, &cp)
		}
	}
	d.after = after
	if p.PriorState == nil {
		// A plan without its prior state (written by hand, or from a tool
		// that drops it): the changes' before values are all there is.
		for i, rc := range p.ResourceChanges {
			if rc == nil || rc.Change == nil || rc.DeposedKey != "" {
				continue
			}
			if b, ok := rc.Change.Before.(map[string]any); ok {
				d.before = append(d.before, &tfInst{doc: d, addr: rc.Address, module: rc.ModuleAddress, mode: string(rc.Mode), typ: rc.Type, name: rc.Name,
					key: normKey(rc.Index), provider: rc.ProviderName, vals: b, path: fmt.Sprintf("$.resource_changes[%d].change.before", i)})
			}
		}
	}
	for _, ch := range d.changes {
		for _, b := range d.before {
			if b.addr == ch.addr {
				b.change = ch
			}
		}
	}
	if p.Config != nil {
		d.config = newTFConfig(p.Config, p.Variables)
	}
}

// readShowState reads terraform show -json of a state: the fleet as it
// stands, on both sides.
func readShowState(d *tfDoc, data []byte, c *collector) {
	var s tfjson.State
	if err := json.Unmarshal(data, &s); err != nil {
		if strings.Contains(err.Error(), "format version") {
			c.at(d.file, "$.format_version", "%v", err)
			return
		}
		typeProblem(d.file, data, err, c)
		return
	}
	if s.Values != nil {
		d.before = walkModule(d, s.Values.RootModule, "$.values.root_module", nil)
	}
	d.after = d.before
}

// walkModule lists the resource instances of a module of terraform show
// -json and of its child modules.
func walkModule(d *tfDoc, m *tfjson.StateModule, path string, out []*tfInst) []*tfInst {
	if m == nil {
		return out
	}
	for i, r := range m.Resources {
		if r == nil || r.DeposedKey != "" {
			continue
		}
		vals := r.AttributeValues
		if vals == nil {
			vals = map[string]any{}
		}
		addr := r.Address
		key := normKey(r.Index)
		if addr == "" {
			addr = joinAddr(m.Address, string(r.Mode), r.Type, r.Name, key)
		}
		out = append(out, &tfInst{doc: d, path: fmt.Sprintf("%s.resources[%d].values", path, i), addr: addr, module: m.Address,
			mode: string(r.Mode), typ: r.Type, name: r.Name, key: key, vals: vals, provider: r.ProviderName})
	}
	for i, cm := range m.ChildModules {
		out = walkModule(d, cm, fmt.Sprintf("%s.child_modules[%d]", path, i), out)
	}
	return out
}

// rawState is a terraform.tfstate file of format version 4 (Terraform 0.12
// and later); terraform-json does not describe it. Every field not listed
// is tolerated and ignored.
type rawState struct {
	Version          json.Number   `json:"version"`
	TerraformVersion string        `json:"terraform_version"`
	Resources        []rawResource `json:"resources"`
}

type rawResource struct {
	Module    string        `json:"module"`
	Mode      string        `json:"mode"`
	Type      string        `json:"type"`
	Name      string        `json:"name"`
	Provider  string        `json:"provider"`
	Instances []rawInstance `json:"instances"`
}

type rawInstance struct {
	IndexKey   any            `json:"index_key"`
	Deposed    string         `json:"deposed"`
	Attributes map[string]any `json:"attributes"`
}

// readRawState reads a terraform.tfstate of format version 4.
func readRawState(d *tfDoc, data []byte, c *collector) {
	var s rawState
	if err := json.Unmarshal(data, &s); err != nil {
		typeProblem(d.file, data, err, c)
		return
	}
	if s.Version.String() != "4" {
		c.at(d.file, "$.version", "state format version %s: renewsim reads version 4 (Terraform 0.12 and later); run terraform show -json and give its output instead", s.Version)
		return
	}
	for i, r := range s.Resources {
		path := fmt.Sprintf("$.resources[%d]", i)
		if r.Type == "" || r.Name == "" {
			c.at(d.file, path, "a resource needs type and name")
			continue
		}
		mode := r.Mode
		if mode == "" {
			mode = "managed"
		}
		if mode != "managed" && mode != "data" {
			c.at(d.file, path+".mode", "unknown mode %q (expected managed or data)", r.Mode)
			continue
		}
		for j, in := range r.Instances {
			ipath := fmt.Sprintf("%s.instances[%d]", path, j)
			if in.Deposed != "" {
				continue
			}
			key := normKey(in.IndexKey)
			switch key.(type) {
			case nil, string, int:
			default:
				c.at(d.file, ipath+".index_key", "want a string (for_each) or a whole number (count), got %s", describe(in.IndexKey))
				continue
			}
			vals := in.Attributes
			if vals == nil {
				vals = map[string]any{}
			}
			d.before = append(d.before, &tfInst{doc: d, path: ipath + ".attributes", addr: joinAddr(r.Module, mode, r.Type, r.Name, key),
				module: r.Module, mode: mode, typ: r.Type, name: r.Name, key: key, vals: vals, provider: r.Provider})
		}
	}
	d.after = d.before
}

// normKey makes an instance key nil, a string or an int.
func normKey(k any) any {
	switch x := k.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<31 {
			return int(x)
		}
	case json.Number:
		if n, err := strconv.Atoi(x.String()); err == nil {
			return n
		}
	}
	return k
}

// keyString writes an instance key as Terraform's addresses do: [0] or
// ["example.com"].
func keyString(k any) string {
	switch x := k.(type) {
	case nil:
		return ""
	case int:
		return fmt.Sprintf("[%d]", x)
	case string:
		return "[" + strconv.Quote(x) + "]"
	}
	return fmt.Sprintf("[%v]", k)
}

// joinAddr builds a resource instance address.
func joinAddr(module, mode, typ, name string, key any) string {
	a := typ + "." + name + keyString(key)
	if mode == "data" {
		a = "data." + a
	}
	if module != "" {
		a = module + "." + a
	}
	return a
}

// stripKeys drops the instance keys of a module path:
// module.a["x"].module.b[0] → module.a.module.b.
func stripKeys(path string) string {
	var b strings.Builder
	depth := 0
	inStr := false
	for i := 0; i < len(path); i++ {
		ch := path[i]
		switch {
		case inStr:
			if ch == '\\' {
				i++
			} else if ch == '"' {
				inStr = false
			}
		case ch == '"' && depth > 0:
			inStr = true
		case ch == '[':
			depth++
		case ch == ']':
			depth--
		case depth == 0:
			b.WriteByte(ch)
		}
	}
	return b.String()
}
