package iac

import (
	"slices"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// tfConfig is a plan's configuration, indexed: it says where a value that
// is unknown until apply comes from (the references of the expression
// that sets it).
type tfConfig struct {
	modules   map[string]*tfjson.ConfigModule // by module path without keys ("" root)
	calls     map[string]*tfjson.ModuleCall   // by the called module's path
	providers map[string]*tfjson.ProviderConfig
	vars      map[string]*tfjson.PlanVariable // the root module's, with their values
}

func newTFConfig(cfg *tfjson.Config, vars map[string]*tfjson.PlanVariable) *tfConfig {
	c := &tfConfig{modules: map[string]*tfjson.ConfigModule{}, calls: map[string]*tfjson.ModuleCall{},
		providers: cfg.ProviderConfigs, vars: vars}
	var walk func(path string, m *tfjson.ConfigModule)
	walk = func(path string, m *tfjson.ConfigModule) {
		if m == nil {
			return
		}
		c.modules[path] = m
		for name, call := range m.ModuleCalls {
			if call == nil {
				continue
			}
			child := joinModule(path, "module."+name)
			c.calls[child] = call
			walk(child, call.Module)
		}
	}
	walk("", cfg.RootModule)
	return c
}

func joinModule(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

// resource is the configuration of a resource (TYPE.NAME or
// data.TYPE.NAME) in a module, or nil.
func (c *tfConfig) resource(module, addr string) *tfjson.ConfigResource {
	if c == nil {
		return nil
	}
	m := c.modules[stripKeys(module)]
	if m == nil {
		return nil
	}
	for _, r := range m.Resources {
		if r != nil && r.Address == addr {
			return r
		}
	}
	return nil
}

// expr is the expression of an attribute of a resource's configuration;
// a path of several names goes into nested blocks (their first block).
func expr(r *tfjson.ConfigResource, path ...string) *tfjson.Expression {
	if r == nil {
		return nil
	}
	exprs := r.Expressions
	for i, name := range path {
		e := exprs[name]
		if e == nil || e.ExpressionData == nil {
			return nil
		}
		if i == len(path)-1 {
			return e
		}
		if len(e.NestedBlocks) == 0 {
			return nil
		}
		exprs = e.NestedBlocks[0]
	}
	return nil
}

// tfRef is where a reference leads: a resource of some module instance,
// a literal value (a root variable, a module argument), or something
// renewsim cannot follow (opaque, the reference as written).
type tfRef struct {
	module  string // module instance path of the resource
	res     string // TYPE.NAME or data.TYPE.NAME
	key     any    // instance key, when the reference gives one
	hasKey  bool
	attr    string // the attribute named after the resource, "" when none
	literal string // a known value
	isLit   bool
	opaque  string
}

// maxHops bounds how far references are followed through module calls
// and outputs.
const maxHops = 8

// follow resolves the references of an expression written in module
// instance module.
func (c *tfConfig) follow(module string, e *tfjson.Expression) []tfRef {
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	if len(e.References) == 0 {
		if s, ok := e.ConstantValue.(string); ok {
			return []tfRef{{literal: s, isLit: true}}
		}
		return nil
	}
	return c.followRefs(module, e.References, 0)
}

func (c *tfConfig) followRefs(module string, refs []string, hops int) []tfRef {
	var out []tfRef
	add := func(r tfRef) {
		for i, o := range out {
			if r.res != "" && o.res == r.res && o.module == r.module {
				// Terraform lists a.b.attr, a.b["k"] and a.b: keep the
				// most precise.
				if r.hasKey && !o.hasKey {
					out[i].key, out[i].hasKey = r.key, true
				}
				if r.attr != "" && o.attr == "" {
					out[i].attr = r.attr
				}
				return
			}
			if r.opaque != "" && o.opaque == r.opaque || r.isLit && o.isLit && o.literal == r.literal {
				return
			}
		}
		out = append(out, r)
	}
	for _, ref := range refs {
		segs := parseTraversal(ref)
		if len(segs) == 0 || segs[0].name == "" {
			continue
		}
		switch segs[0].name {
		case "each", "count", "self", "path", "terraform":
			continue
		case "local":
			add(tfRef{opaque: ref})
			continue
		case "var":
			if len(segs) < 2 || hops >= maxHops {
				add(tfRef{opaque: ref})
				continue
			}
			for _, r := range c.variable(module, segs[1].name, ref, hops) {
				add(r)
			}
			continue
		case "module":
			if len(segs) < 2 || hops >= maxHops {
				add(tfRef{opaque: ref})
				continue
			}
			child := joinModule(module, "module."+segs[1].name)
			rest := segs[2:]
			if len(rest) > 0 && rest[0].isKey {
				child += keyString(rest[0].key)
				rest = rest[1:]
			}
			if len(rest) == 0 || rest[0].name == "" {
				continue // module.x alone: its outputs follow in the list
			}
			m := c.modules[stripKeys(child)]
			if m == nil || m.Outputs[rest[0].name] == nil || m.Outputs[rest[0].name].Expression == nil {
				add(tfRef{opaque: ref})
				continue
			}
			oe := m.Outputs[rest[0].name].Expression
			if len(oe.References) == 0 {
				if s, ok := oe.ConstantValue.(string); ok {
					add(tfRef{literal: s, isLit: true})
				}
				continue
			}
			for _, r := range c.followRefs(child, oe.References, hops+1) {
				add(r)
			}
			continue
		}
		r := tfRef{module: module}
		i := 0
		if segs[0].name == "data" {
			if len(segs) < 3 {
				continue
			}
			r.res, i = "data."+segs[1].name+"."+segs[2].name, 3
		} else {
			if len(segs) < 2 || segs[1].name == "" {
				continue
			}
			r.res, i = segs[0].name+"."+segs[1].name, 2
		}
		if i < len(segs) && segs[i].isKey {
			r.key, r.hasKey = segs[i].key, true
			i++
		}
		if i < len(segs) && segs[i].name != "" {
			r.attr = segs[i].name
		}
		add(r)
	}
	return out
}

// variable follows var.name of a module instance: a root variable's value
// from the plan, a module argument's expression in the calling module.
func (c *tfConfig) variable(module, name, ref string, hops int) []tfRef {
	if module == "" {
		if v := c.vars[name]; v != nil {
			if s, ok := v.Value.(string); ok {
				return []tfRef{{literal: s, isLit: true}}
			}
		}
		return []tfRef{{opaque: ref}}
	}
	call := c.calls[stripKeys(module)]
	if call == nil || call.Expressions[name] == nil || call.Expressions[name].ExpressionData == nil {
		return []tfRef{{opaque: ref}}
	}
	e := call.Expressions[name]
	parent := parentModule(module)
	if len(e.References) == 0 {
		if s, ok := e.ConstantValue.(string); ok {
			return []tfRef{{literal: s, isLit: true}}
		}
		return []tfRef{{opaque: ref}}
	}
	return c.followRefs(parent, e.References, hops+1)
}

// parentModule is the module instance that calls module.
func parentModule(module string) string {
	i := strings.LastIndex(stripKeysKeepLen(module), "module.")
	if i <= 0 {
		return ""
	}
	return strings.TrimSuffix(module[:i], ".")
}

// stripKeysKeepLen blanks the keys of a module path without moving the
// rest, so that an index found in it is an index into the original.
func stripKeysKeepLen(path string) string {
	b := []byte(path)
	depth, inStr := 0, false
	for i := 0; i < len(b); i++ {
		ch := b[i]
		switch {
		case inStr:
			if ch == '\\' && i+1 < len(b) {
				b[i], b[i+1] = ' ', ' '
				i++
				continue
			}
			if ch == '"' {
				inStr = false
			}
			b[i] = ' '
		case ch == '"' && depth > 0:
			inStr = true
			b[i] = ' '
		case ch == '[':
			depth++
		case ch == ']':
			depth--
		case depth > 0:
			b[i] = ' '
		}
	}
	return string(b)
}

// region is the region the resource's provider configuration sets, "" when
// it does not say or it cannot be told.
func (c *tfConfig) region(inst *tfInst) string {
	if c == nil {
		return ""
	}
	r := c.resource(inst.module, inst.resourceAddr())
	if r == nil {
		return ""
	}
	key := r.ProviderConfigKey
	candidates := []string{key}
	if _, after, ok := strings.Cut(key, ":"); ok {
		candidates = append(candidates, after)
	}
	if name, _, ok := strings.Cut(key, "."); ok {
		candidates = append(candidates, name)
	}
	for _, k := range candidates {
		p := c.providers[k]
		if p == nil || p.Expressions["region"] == nil {
			continue
		}
		for _, ref := range c.follow(inst.module, p.Expressions["region"]) {
			if ref.isLit {
				return ref.literal
			}
		}
		return ""
	}
	return ""
}

// travSeg is one step of a reference: a name, or an index key.
type travSeg struct {
	name  string
	key   any
	isKey bool
}

// parseTraversal splits a reference like
// module.a["x"].aws_route53_record.v["example.com"].fqdn into its steps.
// What it cannot read ends the list.
func parseTraversal(s string) []travSeg {
	var out []travSeg
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			i++
		case '[':
			j := i + 1
			if j < len(s) && s[j] == '"' {
				k := j + 1
				for k < len(s) && s[k] != '"' {
					if s[k] == '\\' {
						k++
					}
					k++
				}
				if k >= len(s) {
					return out
				}
				str, err := strconv.Unquote(s[j : k+1])
				if err != nil {
					return out
				}
				out = append(out, travSeg{key: str, isKey: true})
				i = k + 1
			} else {
				k := strings.IndexByte(s[j:], ']')
				if k < 0 {
					return out
				}
				n, err := strconv.Atoi(s[j : j+k])
				if err != nil {
					return out // [*] and the like: nothing to follow
				}
				out = append(out, travSeg{key: n, isKey: true})
				i = j + k
			}
			if i < len(s) && s[i] == ']' {
				i++
			}
		default:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			out = append(out, travSeg{name: s[i:j]})
			i = j
		}
	}
	return out
}

// refText writes references for messages.
func refText(refs []tfRef) string {
	var parts []string
	for _, r := range refs {
		switch {
		case r.opaque != "":
			parts = append(parts, r.opaque)
		case r.isLit:
			parts = append(parts, strconv.Quote(r.literal))
		default:
			a := r.res + keyString(r.key)
			if r.module != "" {
				a = r.module + "." + a
			}
			if r.attr != "" {
				a += "." + r.attr
			}
			parts = append(parts, a)
		}
	}
	slices.Sort(parts)
	return strings.Join(slices.Compact(parts), ", ")
}
