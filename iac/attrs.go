package iac

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// attrs is an object of attribute values, where it is, and which of its
// values are unknown until apply (Terraform's after_unknown, the same
// shape with true at every unknown value).
type attrs struct {
	file, path string
	m          map[string]any
	unk        any
	c          *collector
}

// unknown tells whether the value at key is unknown until apply.
func (a attrs) unknown(key string) bool {
	if b, ok := a.unk.(bool); ok {
		return b
	}
	u, _ := a.unk.(map[string]any)
	switch x := u[key].(type) {
	case bool:
		return x
	case []any:
		return containsTrue(x)
	case map[string]any:
		return containsTrue(x)
	}
	return false
}

// containsTrue tells whether an after_unknown tree marks anything unknown.
func containsTrue(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case []any:
		for _, e := range x {
			if containsTrue(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if containsTrue(e) {
				return true
			}
		}
	}
	return false
}

func (a attrs) bad(key, format string, args ...any) {
	if a.c != nil {
		a.c.at(a.file, a.path+"."+key, format, args...)
	}
}

// has tells whether key holds a known, non-null value.
func (a attrs) has(key string) bool { return a.m[key] != nil }

// str is a string value; "" when it is absent, null or unknown. A value of
// another kind is a problem.
func (a attrs) str(key string) string {
	switch x := a.m[key].(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		a.bad(key, "want a string, got %s", describe(x))
		return ""
	}
}

// strs is a list (or set) of strings.
func (a attrs) strs(key string) []string {
	switch x := a.m[key].(type) {
	case nil:
		return nil
	case []any:
		var out []string
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				if e != nil {
					a.bad(fmt.Sprintf("%s[%d]", key, i), "want a string, got %s", describe(e))
				}
				continue
			}
			out = append(out, s)
		}
		return out
	default:
		a.bad(key, "want a list of strings, got %s", describe(x))
		return nil
	}
}

// num is a whole number; ok is false when absent or unknown.
func (a attrs) num(key string) (int, bool) {
	switch x := a.m[key].(type) {
	case nil:
		return 0, false
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<31 {
			return int(x), true
		}
	case json.Number:
		if n, err := strconv.Atoi(x.String()); err == nil {
			return n, true
		}
	case string:
		// The raw state of old providers writes numbers as strings.
		if n, err := strconv.Atoi(x); err == nil {
			return n, true
		}
	}
	a.bad(key, "want a whole number, got %s", describe(a.m[key]))
	return 0, false
}

// boolean is a true/false value, false when absent.
func (a attrs) boolean(key string) bool {
	switch x := a.m[key].(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x == "true"
	}
	a.bad(key, "want true or false, got %s", describe(a.m[key]))
	return false
}

// stamp is an RFC 3339 time, zero when absent, empty or unknown.
func (a attrs) stamp(key string) time.Time {
	s := a.str(key)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		a.bad(key, "want an RFC 3339 time like \"2026-09-06T12:00:00Z\", got %q", s)
		return time.Time{}
	}
	return t.UTC()
}

// blocks are the objects of a nested block: a list (or set) of objects,
// or one object (the Cloudflare provider's v5 writes single objects).
func (a attrs) blocks(key string) []attrs {
	var unks []any
	switch u := a.unk.(type) {
	case map[string]any:
		switch x := u[key].(type) {
		case []any:
			unks = x
		case bool:
			if x {
				unks = []any{true}
			}
		}
	case bool:
		if u {
			unks = []any{true}
		}
	}
	unkAt := func(i int) any {
		if len(unks) == 1 {
			if b, ok := unks[0].(bool); ok {
				return b
			}
		}
		if i < len(unks) {
			return unks[i]
		}
		return nil
	}
	switch x := a.m[key].(type) {
	case nil:
		return nil
	case map[string]any:
		return []attrs{{file: a.file, path: a.path + "." + key, m: x, unk: unkAt(0), c: a.c}}
	case []any:
		var out []attrs
		for i, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				if e != nil {
					a.bad(fmt.Sprintf("%s[%d]", key, i), "want an object, got %s", describe(e))
				}
				continue
			}
			out = append(out, attrs{file: a.file, path: fmt.Sprintf("%s.%s[%d]", a.path, key, i), m: m, unk: unkAt(i), c: a.c})
		}
		return out
	default:
		a.bad(key, "want a block (a list of objects), got %s", describe(x))
		return nil
	}
}

// block is the first object of a nested block.
func (a attrs) block(key string) (attrs, bool) {
	bs := a.blocks(key)
	if len(bs) == 0 {
		return attrs{file: a.file, path: a.path + "." + key, m: map[string]any{}, c: a.c}, false
	}
	return bs[0], true
}
