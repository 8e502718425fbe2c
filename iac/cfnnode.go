package iac

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// cnode is a value of a CloudFormation document, JSON or YAML, with where
// it is: its line and column, and its JSON path. YAML's short intrinsic
// tags (!Ref, !GetAtt, !Sub …) are turned into the long form ({"Ref": …},
// {"Fn::GetAtt": […]}), as CloudFormation reads them.
type cnode struct {
	kind   byte // 'm' mapping, 's' sequence, 'v' scalar, 'n' null
	keys   []string
	vals   []*cnode
	items  []*cnode
	str    string
	quoted bool // a scalar written as a string (not a number or a bool)
	line   int
	col    int
	path   string
}

// get is the value of key in a mapping, or nil.
func (n *cnode) get(key string) *cnode {
	if n == nil || n.kind != 'm' {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// scalar is a scalar's text; ok is false for anything else.
func (n *cnode) scalar() (string, bool) {
	if n == nil || n.kind != 'v' {
		return "", false
	}
	return n.str, true
}

// shortTags are YAML's short forms of CloudFormation's intrinsic functions.
var shortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join", "!ImportValue": "Fn::ImportValue",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!And": "Fn::And",
	"!Or": "Fn::Or", "!Not": "Fn::Not", "!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr",
	"!GetAZs": "Fn::GetAZs", "!Transform": "Fn::Transform", "!Length": "Fn::Length", "!ToJsonString": "Fn::ToJsonString",
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseCFN reads a CloudFormation document: JSON (told by its first
// character) or YAML. Syntax problems are reported with line and column.
func parseCFN(file string, data []byte, c *collector) *cnode {
	t := bytes.TrimSpace(data)
	if len(t) == 0 {
		c.line(file, 0, 0, "empty file: want a CloudFormation template (JSON or YAML), or aws cloudformation describe-change-set or describe-stack-resources output")
		return nil
	}
	if t[0] == '{' || t[0] == '[' {
		if !checkJSON(file, data, "a CloudFormation template or an aws cloudformation command's output", c) {
			return nil
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			if strings.HasPrefix(m[2], "did not find expected") {
				// A parser error: yaml names the line, counted from 0,
				// of the block the problem is in.
				line++
				m[2] += " in the block that starts here (a line below it is indented wrongly?)"
			}
			c.line(file, line, 0, "YAML: %s", m[2])
		} else {
			c.line(file, 0, 0, "YAML: %s", strings.TrimPrefix(msg, "yaml: "))
		}
		return nil
	}
	if len(doc.Content) == 0 {
		c.line(file, 0, 0, "empty document: want a CloudFormation template")
		return nil
	}
	before := c.count()
	budget := maxNodes
	n := convert(file, doc.Content[0], "$", c, 0, &budget)
	if c.count() > before {
		return nil
	}
	return n
}

// maxDepth bounds how deep a document may nest, and maxNodes how many
// values it may hold once YAML aliases are expanded (a few nested aliases
// can stand for billions).
const (
	maxDepth = 64
	maxNodes = 1_000_000
)

func convert(file string, y *yaml.Node, path string, c *collector, depth int, budget *int) *cnode {
	*budget--
	switch {
	case *budget == 0:
		c.probs = append(c.probs, problemAt(file, y.Line, y.Column, path, "more than %d values (YAML aliases expanding?): a CloudFormation template is far smaller", maxNodes))
		return &cnode{kind: 'n', line: y.Line, col: y.Column, path: path}
	case *budget < 0:
		return &cnode{kind: 'n', line: y.Line, col: y.Column, path: path}
	case depth > maxDepth:
		c.probs = append(c.probs, problemAt(file, y.Line, y.Column, path, "nested more than %d levels deep", maxDepth))
		return &cnode{kind: 'n', line: y.Line, col: y.Column, path: path}
	}
	if y.Kind == yaml.AliasNode && y.Alias != nil {
		return convert(file, y.Alias, path, c, depth+1, budget)
	}
	n := &cnode{line: y.Line, col: y.Column, path: path}
	switch y.Kind {
	case yaml.MappingNode:
		n.kind = 'm'
		for i := 0; i+1 < len(y.Content); i += 2 {
			k := y.Content[i].Value
			if k == "<<" {
				continue // merge keys are not CloudFormation
			}
			n.keys = append(n.keys, k)
			n.vals = append(n.vals, convert(file, y.Content[i+1], path+"."+k, c, depth+1, budget))
		}
	case yaml.SequenceNode:
		n.kind = 's'
		for i, it := range y.Content {
			n.items = append(n.items, convert(file, it, fmt.Sprintf("%s[%d]", path, i), c, depth+1, budget))
		}
	case yaml.ScalarNode:
		if y.Tag == "!!null" {
			n.kind = 'n'
		} else {
			n.kind = 'v'
			n.str = y.Value
			n.quoted = y.Tag == "!!str" || strings.HasPrefix(y.Tag, "!") && !strings.HasPrefix(y.Tag, "!!")
		}
	default:
		n.kind = 'n'
	}
	if fn, ok := shortTags[y.Tag]; ok {
		inner := *n
		inner.path = path + "." + fn
		if fn == "Fn::GetAtt" && inner.kind == 'v' {
			// !GetAtt Resource.Attribute
			res, attr, _ := strings.Cut(inner.str, ".")
			inner = cnode{kind: 's', line: n.line, col: n.col, path: inner.path, items: []*cnode{
				{kind: 'v', str: res, quoted: true, line: n.line, col: n.col, path: inner.path + "[0]"},
				{kind: 'v', str: attr, quoted: true, line: n.line, col: n.col, path: inner.path + "[1]"}}}
		}
		return &cnode{kind: 'm', keys: []string{fn}, vals: []*cnode{&inner}, line: n.line, col: n.col, path: path}
	} else if strings.HasPrefix(y.Tag, "!") && !strings.HasPrefix(y.Tag, "!!") {
		c.probs = append(c.probs, problemAt(file, y.Line, y.Column, path, "unknown tag %s (CloudFormation knows !Ref, !GetAtt, !Sub, !Join, !ImportValue, !Select, !Split, !If and the other intrinsic functions)", y.Tag))
	}
	return n
}

// text writes a node compactly, for messages: what an expression renewsim
// cannot resolve was.
func (n *cnode) text() string {
	b, err := json.Marshal(n.plain())
	if err != nil {
		return "?"
	}
	s := string(b)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

func (n *cnode) plain() any {
	if n == nil {
		return nil
	}
	switch n.kind {
	case 'm':
		m := map[string]any{}
		for i, k := range n.keys {
			m[k] = n.vals[i].plain()
		}
		return m
	case 's':
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = it.plain()
		}
		return out
	case 'v':
		return n.str
	}
	return nil
}

// fromJSON turns a decoded JSON value (a change set's BeforeContext) into
// nodes, placed at path.
func fromJSON(v any, path string) *cnode {
	switch x := v.(type) {
	case map[string]any:
		n := &cnode{kind: 'm', path: path}
		for _, k := range sortedKeys(x) {
			n.keys = append(n.keys, k)
			n.vals = append(n.vals, fromJSON(x[k], path+"."+k))
		}
		return n
	case []any:
		n := &cnode{kind: 's', path: path}
		for i, e := range x {
			n.items = append(n.items, fromJSON(e, fmt.Sprintf("%s[%d]", path, i)))
		}
		return n
	case string:
		return &cnode{kind: 'v', str: x, quoted: true, path: path}
	case nil:
		return &cnode{kind: 'n', path: path}
	}
	return &cnode{kind: 'v', str: fmt.Sprint(v), path: path}
}
