package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// pos is a 1-based place in the file.
type pos struct{ line, col int }

// posOf is where n starts, or fallback for nodes that carry no position
// (nodes built by a program, not parsed).
func posOf(n *yaml.Node, fallback pos) pos {
	if n == nil || n.Line < 1 {
		return fallback
	}
	c := n.Column
	if c < 1 {
		c = 1
	}
	return pos{n.Line, c}
}

// loader walks one document and collects every problem it finds.
type loader struct {
	file  string
	errs  Errors
	block *timelineBlock // the timeline read in batches, if it is
}

func (l *loader) errf(p pos, format string, args ...any) {
	if p.line < 1 {
		p.line = 1
	}
	if p.col < 1 {
		p.col = 1
	}
	l.errs = append(l.errs, &Error{File: l.file, Line: p.line, Col: p.col, Msg: fmt.Sprintf(format, args...)})
}

// resolve follows aliases to the node they name. It returns nil for a
// dangling alias, which callers treat like an empty value.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i == 64 {
			return nil
		}
		n = n.Alias
	}
	return n
}

// isNull reports an empty value: a missing node, `~`, `null` or nothing at
// all after the colon.
func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// kindName names what a node is, for "want X, got Y" messages.
func kindName(n *yaml.Node) string {
	switch {
	case isNull(n):
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.DocumentNode:
		return "a document"
	default:
		return fmt.Sprintf("the value %q", n.Value)
	}
}

// field is one key: value pair of a mapping, aliases resolved.
type field struct {
	name string
	key  *yaml.Node
	val  *yaml.Node
	kpos pos
	vpos pos
}

// null reports a key written without a value.
func (f *field) null() bool { return isNull(f.val) }

// mapping is a checked YAML mapping: known keys only, no duplicates.
type mapping struct {
	what   string // "certificate", "timeline entry", …, for messages
	pos    pos
	fields []*field
	by     map[string]*field // only for mappings of more than smallMapping keys
}

// smallMapping is up to how many keys a mapping is searched in order rather
// than through a map: most mappings have a handful of keys, and a map each
// would be most of what a long timeline allocates.
const smallMapping = 8

// mapping checks that n is a mapping whose keys are all in keys (any key
// when keys is nil) and appear once. Unknown and duplicate keys are reported
// and left out. It returns nil, after reporting, when n is not a mapping.
func (l *loader) mapping(n *yaml.Node, p pos, what string, keys []string) *mapping {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		l.errf(p, "%s: want a mapping of keys, got %s", what, kindName(n))
		return nil
	}
	m := &mapping{what: what, pos: posOf(n, p), fields: make([]*field, 0, len(n.Content)/2)}
	if len(n.Content)/2 > smallMapping {
		m.by = make(map[string]*field, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kpos := posOf(k, m.pos)
		kr := resolve(k)
		if kr == nil || kr.Kind != yaml.ScalarNode {
			l.errf(kpos, "%s: keys must be plain words, got %s", what, kindName(kr))
			continue
		}
		if kr.Tag == "!!merge" || kr.Value == "<<" {
			l.errf(kpos, "%s: merge keys (<<) are not supported; write the keys out", what)
			continue
		}
		f := &field{name: kr.Value, key: k, val: resolve(v), kpos: kpos}
		f.vpos = posOf(v, kpos)
		if first := m.field(f.name); first != nil {
			l.errf(kpos, "duplicate key %q in %s (first at line %d)", f.name, what, first.kpos.line)
			continue
		}
		if keys != nil && !slices.Contains(keys, f.name) {
			l.errf(kpos, "unknown key %q in %s (expected one of: %s)", f.name, what, strings.Join(keys, ", "))
			continue
		}
		if m.by != nil {
			m.by[f.name] = f
		}
		m.fields = append(m.fields, f)
	}
	return m
}

// field returns the field for key, written with or without a value, or nil.
func (m *mapping) field(key string) *field {
	if m.by != nil {
		return m.by[key]
	}
	for _, f := range m.fields {
		if f.name == key {
			return f
		}
	}
	return nil
}

// get returns the field for key, or nil when it is absent or written
// without a value.
func (m *mapping) get(key string) *field {
	f := m.field(key)
	if f == nil || f.null() {
		return nil
	}
	return f
}

// has reports whether key is written at all, with or without a value.
func (m *mapping) has(key string) bool { return m.field(key) != nil }

// require reports each key that is absent (at the mapping) or has no value
// (at the value) and tells whether all are there.
func (l *loader) require(m *mapping, keys ...string) bool {
	ok := true
	for _, k := range keys {
		f := m.field(k)
		switch {
		case f == nil:
			l.errf(m.pos, "missing required key %q in %s", k, m.what)
			ok = false
		case f.null():
			l.errf(f.vpos, "key %q in %s has no value", k, m.what)
			ok = false
		}
	}
	return ok
}

// scalar returns the text of a single value. ok is false when the field is
// absent or empty (nothing reported) or not a single value (reported).
func (l *loader) scalar(f *field) (string, bool) {
	if f == nil || f.null() {
		return "", false
	}
	if f.val.Kind != yaml.ScalarNode {
		l.errf(f.vpos, "%s: want a single value, got %s", f.name, kindName(f.val))
		return "", false
	}
	return f.val.Value, true
}

// item is one element of a list, aliases resolved.
type item struct {
	n    *yaml.Node
	pos  pos
	line int // the element's own line (where an alias is used), 0 if unknown
}

// list returns the elements of a list value; an empty value is an empty
// list. A value that is not a list is reported.
func (l *loader) list(f *field) ([]item, bool) {
	if f == nil || f.null() {
		return nil, true
	}
	if f.val.Kind != yaml.SequenceNode {
		l.errf(f.vpos, "%s: want a list, got %s", f.name, kindName(f.val))
		return nil, false
	}
	out := make([]item, 0, len(f.val.Content))
	for _, c := range f.val.Content {
		out = append(out, item{n: resolve(c), pos: posOf(c, f.vpos), line: c.Line})
	}
	return out, true
}

// stringItem is one string of a list of strings.
type stringItem struct {
	s    string
	pos  pos
	line int // the node's own line, 0 for nodes built by a program
}

// strings returns a list of single values; items that are empty or not
// single values are reported and left out.
func (l *loader) stringList(f *field) []stringItem {
	items, _ := l.list(f)
	var out []stringItem
	for i, it := range items {
		switch {
		case isNull(it.n):
			l.errf(it.pos, "%s: item %d is empty", f.name, i+1)
		case it.n.Kind != yaml.ScalarNode:
			l.errf(it.pos, "%s: item %d: want a single value, got %s", f.name, i+1, kindName(it.n))
		default:
			out = append(out, stringItem{s: it.n.Value, pos: it.pos, line: it.line})
		}
	}
	return out
}

// boolean reads true or false.
func (l *loader) boolean(f *field) (bool, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return false, false
	}
	switch s {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	l.errf(f.vpos, "%s: want true or false, got %q", f.name, s)
	return false, false
}

// count reads a whole number >= 0.
func (l *loader) count(f *field) (int, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000_000 {
		l.errf(f.vpos, "%s: want a whole number >= 0, got %q", f.name, s)
		return 0, false
	}
	return n, true
}

// oneOf reads a value that must be one of allowed.
func (l *loader) oneOf(f *field, what string, allowed []string) (string, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return "", false
	}
	if !slices.Contains(allowed, s) {
		l.errf(f.vpos, "%s: unknown %s %q (expected one of: %s)", f.name, what, s, strings.Join(allowed, ", "))
		return "", false
	}
	return s, true
}

// render writes n compactly, the way it was written: {k: v, …} and [a, …]
// with values unquoted. Aliases are followed, within a budget of nodes so
// that a self-referencing alias cannot blow it up.
func render(n *yaml.Node) string {
	budget := 200
	var b strings.Builder
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		n = resolve(n)
		budget--
		if budget < 0 {
			if budget == -1 {
				b.WriteString("…")
			}
			return
		}
		switch {
		case n == nil || n.Kind == 0:
		case n.Kind == yaml.MappingNode:
			b.WriteString("{")
			for i := 0; i+1 < len(n.Content) && budget >= 0; i += 2 {
				if i > 0 {
					b.WriteString(", ")
				}
				walk(n.Content[i])
				b.WriteString(": ")
				walk(n.Content[i+1])
			}
			b.WriteString("}")
		case n.Kind == yaml.SequenceNode:
			b.WriteString("[")
			for i, c := range n.Content {
				if budget < 0 {
					break
				}
				if i > 0 {
					b.WriteString(", ")
				}
				walk(c)
			}
			b.WriteString("]")
		default:
			b.WriteString(n.Value)
		}
	}
	walk(n)
	return b.String()
}

// duration reads a duration >= 0.
func (l *loader) duration(f *field) (time.Duration, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return 0, false
	}
	d, err := parseDuration(s)
	if err != nil {
		l.errf(f.vpos, "%s: %v", f.name, err)
		return 0, false
	}
	if d < 0 {
		l.errf(f.vpos, "%s: must not be negative, got %q", f.name, s)
		return 0, false
	}
	return d, true
}

// article is "a" or "an" for word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
