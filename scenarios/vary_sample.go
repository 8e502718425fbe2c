package scenarios

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// Distributions for Monte Carlo runs. A distribution is a mapping with one
// key, written where a scenario has a single value:
//
//	deploy_delay: {uniform: [1h, 3d]}               durations, times (same base) or whole numbers
//	deploy_delay: {lognormal: {median: 2h, p95: 2d}} durations
//	deploy_delay: {exponential: {mean: 3d}}          durations ({exponential: 3d} too)
//	profile: {choice: [acm-2026, cabf-2027]}        any values, equally likely
//	profile: {choice: {acm-2026: 3, cabf-2029: 1}}  any values, with weights
//	clicks: {after: {uniform: [0d, 10d]}}           a mailbox clicks "after" a sampled duration
//	clicks: {at: {uniform: [web.expiry-20d, web.expiry-5d]}}
//
// Sampled durations and times are rounded to whole seconds; durations are
// at most 36500d.

// distribution is one kind of distribution: its name, and how it draws a
// value from its argument.
type distribution struct {
	name string
	draw func(d *drawing) (string, *yaml.Node, bool)
}

// distributionKinds are the distributions a scenario may write.
var distributionKinds = []distribution{
	{"uniform", drawUniform},
	{"lognormal", drawLognormal},
	{"exponential", drawExponential},
	{"choice", drawChoice},
}

// distNames are the names of the distributions.
var distNames = func() []string {
	var out []string
	for _, d := range distributionKinds {
		out = append(out, d.name)
	}
	return out
}()

// z95 is the 95th percentile of the standard normal distribution.
const z95 = 1.6448536269514722

// isDistribution reports a mapping of one distribution key.
func isDistribution(n *yaml.Node) bool {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return false
	}
	k := resolve(n.Content[0])
	return k != nil && k.Kind == yaml.ScalarNode && slices.Contains(distNames, k.Value)
}

// clicksDistribution reports clicks: {after: DIST} or {at: DIST} and
// returns the word and the distribution.
func clicksDistribution(n *yaml.Node) (string, *yaml.Node, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return "", nil, false
	}
	k := resolve(n.Content[0])
	if k == nil || (k.Value != sim.ClickAfter && k.Value != sim.ClickAt) || !isDistribution(n.Content[1]) {
		return "", nil, false
	}
	return k.Value, resolve(n.Content[1]), true
}

// distSite is a distribution found in a tree: the node to replace, the
// path to it (ids and addresses for list items that have them), and the
// key it is the value of.
type distSite struct {
	node  *yaml.Node
	path  string
	key   string
	where pos
}

// distributions lists the distributions of a tree in document order.
// Aliases are not followed: a distribution behind an anchor is sampled
// once, where it is written, and every alias sees the value.
func distributions(doc *yaml.Node) []distSite {
	var out []distSite
	var visit func(n *yaml.Node, path, key string, at pos)
	visit = func(n *yaml.Node, path, key string, at pos) {
		if n == nil || n.Kind == yaml.AliasNode {
			return
		}
		at = posOf(n, at)
		if path != "" && (isDistribution(n) || (key == "clicks" && isClicks(n))) {
			out = append(out, distSite{node: n, path: path, key: key, where: at})
			return
		}
		join := func(seg string) string {
			if path == "" {
				return seg
			}
			return path + "." + seg
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				visit(c, path, key, at)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := resolve(n.Content[i])
				if k == nil || k.Kind != yaml.ScalarNode {
					continue
				}
				visit(n.Content[i+1], join(k.Value), k.Value, posOf(n.Content[i], at))
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				seg := strconv.Itoa(i)
				if it := resolve(c); it != nil && it.Kind == yaml.MappingNode {
					for j := 0; j+1 < len(it.Content); j += 2 {
						kk, vv := resolve(it.Content[j]), resolve(it.Content[j+1])
						if kk != nil && vv != nil && (kk.Value == "id" || kk.Value == "address") && vv.Kind == yaml.ScalarNode && vv.Value != "" {
							seg = vv.Value
						}
					}
				}
				visit(c, join(seg), key, at)
			}
		}
	}
	visit(doc, "", "", pos{1, 1})
	return out
}

func isClicks(n *yaml.Node) bool {
	_, _, ok := clicksDistribution(n)
	return ok
}

// HasDistributions reports whether doc holds a distribution to sample.
func HasDistributions(doc *yaml.Node) bool { return len(distributions(doc)) > 0 }

// flowHasDistribution reports whether a -vary value written as YAML flow
// holds a distribution.
func flowHasDistribution(s string) bool {
	var doc yaml.Node
	if yaml.Unmarshal([]byte(s), &doc) != nil {
		return false
	}
	top := topNode(&doc)
	if isDistribution(top) || isClicks(top) {
		return true
	}
	wrap := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "v"}, top}}
	return HasDistributions(wrap)
}

// CheckDistributions reports every distribution in doc: a scenario that
// holds one can only be sampled (renewsim sweep -runs N), not run as it is.
// It returns nil when there is none, Errors otherwise.
func CheckDistributions(file string, doc *yaml.Node) error {
	var errs Errors
	for _, d := range distributions(doc) {
		errs = append(errs, &Error{File: file, Line: d.where.line, Col: d.where.col,
			Msg: fmt.Sprintf("%s: a distribution (%s) needs renewsim sweep -runs N; a single run takes a single value", d.key, render(d.node))})
	}
	if len(errs) > 0 {
		return sortErrors(errs)
	}
	return nil
}

// Sample returns a copy of doc in which every distribution is replaced by a
// value drawn for Monte Carlo run run, and the values drawn (path and
// value, in document order). The draws come from one PCG stream seeded with
// (seed, run), taken in document order: the same doc, seed and run always
// give the same values. Bad distributions are reported as Errors with
// file:line:col.
func Sample(file string, doc *yaml.Node, run int, seed uint64) (*yaml.Node, []Param, error) {
	cp := copyNode(doc)
	params, err := sampleInPlace(file, cp, run, seed)
	if err != nil {
		return nil, nil, err
	}
	return cp, params, nil
}

func sampleInPlace(file string, doc *yaml.Node, run int, seed uint64) ([]Param, error) {
	rng := rand.New(rand.NewPCG(seed, uint64(run)))
	l := &loader{file: file}
	var params []Param
	for _, d := range distributions(doc) {
		n := d.node
		word, dn := "", n
		if w, inner, ok := clicksDistribution(n); ok {
			word, dn = w, inner
		}
		val, chosen, ok := l.draw(dn, d.key, d.where, word, rng)
		if !ok {
			continue
		}
		line, col, anchor := n.Line, n.Column, n.Anchor
		if chosen != nil {
			*n = *copyNode(chosen)
		} else {
			if word != "" {
				val = word + " " + val
			}
			*n = yaml.Node{Kind: yaml.ScalarNode, Value: val}
		}
		n.Line, n.Column, n.Anchor = line, col, anchor
		params = append(params, Param{Path: d.path, Value: val})
	}
	if len(l.errs) > 0 {
		return nil, sortErrors(l.errs)
	}
	return params, nil
}

// drawing is one distribution being sampled: the value of key, whose
// argument arg stands at at.
type drawing struct {
	l    *loader
	kind string
	arg  *yaml.Node
	at   pos
	key  string
	word string // "after" or "at" for mailbox clicks, which restricts the values
	rng  *rand.Rand
}

// bad reports what is wrong with the distribution.
func (d *drawing) bad(format string, args ...any) (string, *yaml.Node, bool) {
	d.l.errf(d.at, "%s: %s: %s", d.key, d.kind, fmt.Sprintf(format, args...))
	return "", nil, false
}

// draw samples the distribution n (the value of key, at p). word is
// "after" or "at" for mailbox clicks, which restricts the kind of value.
// A choice of a list or mapping returns the chosen node.
func (l *loader) draw(n *yaml.Node, key string, p pos, word string, rng *rand.Rand) (string, *yaml.Node, bool) {
	arg := resolve(n.Content[1])
	d := &drawing{l: l, kind: n.Content[0].Value, arg: arg, at: posOf(arg, posOf(n, p)), key: key, word: word, rng: rng}
	i := slices.IndexFunc(distributionKinds, func(k distribution) bool { return k.name == d.kind })
	if i < 0 {
		return d.bad("unknown distribution")
	}
	return distributionKinds[i].draw(d)
}

// drawUniform draws between two whole numbers, durations or times.
func drawUniform(d *drawing) (string, *yaml.Node, bool) {
	arg := d.arg
	if arg == nil || arg.Kind != yaml.SequenceNode || len(arg.Content) != 2 {
		return d.bad("want [low, high], like {uniform: [1h, 3d]}, got %s", kindName(arg))
	}
	lo, hi := resolve(arg.Content[0]), resolve(arg.Content[1])
	if lo == nil || hi == nil || lo.Kind != yaml.ScalarNode || hi.Kind != yaml.ScalarNode {
		return d.bad("want two single values, got %s", render(arg))
	}
	return d.l.uniform(lo.Value, hi.Value, d.word, d.rng, d.bad)
}

// drawLognormal draws a duration from its median and 95th percentile.
func drawLognormal(d *drawing) (string, *yaml.Node, bool) {
	if d.word == sim.ClickAt {
		return d.bad("a time takes uniform or choice")
	}
	m := d.l.distArgs(d.arg, d.at, d.key, d.kind, []string{"median", "p95"})
	if m == nil {
		return "", nil, false
	}
	med, ok1 := d.l.positiveDuration(m, "median", d.key, d.kind)
	p95, ok2 := d.l.positiveDuration(m, "p95", d.key, d.kind)
	if !ok1 || !ok2 {
		return "", nil, false
	}
	if p95 <= med {
		return d.bad("p95 (%s) must be greater than median (%s)", sim.FormatDuration(p95), sim.FormatDuration(med))
	}
	mu := math.Log(float64(med))
	sigma := (math.Log(float64(p95)) - mu) / z95
	return formatSampled(math.Exp(mu + sigma*d.rng.NormFloat64())), nil, true
}

// drawExponential draws a duration from its mean ({mean: 3d}, or 3d).
func drawExponential(d *drawing) (string, *yaml.Node, bool) {
	if d.word == sim.ClickAt {
		return d.bad("a time takes uniform or choice")
	}
	var mean time.Duration
	if arg := d.arg; arg != nil && arg.Kind == yaml.ScalarNode {
		v, err := parseDuration(arg.Value)
		if err != nil || v <= 0 {
			return d.bad("want a positive mean duration like 3d, got %q", arg.Value)
		}
		mean = v
	} else {
		m := d.l.distArgs(arg, d.at, d.key, d.kind, []string{"mean"})
		if m == nil {
			return "", nil, false
		}
		v, ok := d.l.positiveDuration(m, "mean", d.key, d.kind)
		if !ok {
			return "", nil, false
		}
		mean = v
	}
	return formatSampled(float64(mean) * d.rng.ExpFloat64()), nil, true
}

// drawChoice picks one of a list of values, equally likely, or of a
// mapping of values to weights.
func drawChoice(d *drawing) (string, *yaml.Node, bool) {
	items, weights, ok := choices(d)
	if !ok {
		return "", nil, false
	}
	i := pick(weights, d.rng)
	it := items[i]
	if it == nil || isNull(it) {
		return d.bad("value %d is empty", i+1)
	}
	if it.Kind == yaml.ScalarNode {
		if d.word != "" {
			if msg := checkClickValue(d.word, it.Value); msg != "" {
				return d.bad("%s", msg)
			}
		}
		return it.Value, nil, true
	}
	if d.word != "" {
		return d.bad("after and at take single values, got %s", render(it))
	}
	c := copyNode(it)
	clearPositions(c)
	return render(c), c, true
}

// choices reads the values of a choice and their weights.
func choices(d *drawing) (items []*yaml.Node, weights []float64, ok bool) {
	arg := d.arg
	switch {
	case arg != nil && arg.Kind == yaml.SequenceNode && len(arg.Content) > 0:
		for _, c := range arg.Content {
			items = append(items, resolve(c))
			weights = append(weights, 1)
		}
	case arg != nil && arg.Kind == yaml.MappingNode && len(arg.Content) > 0:
		total := 0.0
		for i := 0; i+1 < len(arg.Content); i += 2 {
			k, v := resolve(arg.Content[i]), resolve(arg.Content[i+1])
			w := -1.0
			if v != nil && v.Kind == yaml.ScalarNode {
				if f, err := strconv.ParseFloat(v.Value, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
					w = f
				}
			}
			if w < 0 {
				d.l.errf(posOf(v, d.at), "%s: choice: the weight of %s must be a number >= 0, got %s", d.key, render(k), kindName(v))
				return nil, nil, false
			}
			items = append(items, k)
			weights = append(weights, w)
			total += w
		}
		if total <= 0 {
			d.bad("the weights add up to 0")
			return nil, nil, false
		}
	default:
		d.bad("want a list of values [a, b, c] or a mapping of values to weights {a: 3, b: 1}, got %s", kindName(arg))
		return nil, nil, false
	}
	return items, weights, true
}

// pick draws an index with probability proportional to its weight.
func pick(weights []float64, rng *rand.Rand) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	u := rng.Float64() * total
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	for i := len(weights) - 1; i >= 0; i-- {
		if weights[i] > 0 {
			return i
		}
	}
	return 0
}

func checkClickValue(word, s string) string {
	if word == sim.ClickAfter {
		if _, err := parseDuration(s); err != nil {
			return fmt.Sprintf("after takes durations, got %q", s)
		}
		return ""
	}
	if _, err := parseTimeExpr(s); err != nil {
		return fmt.Sprintf("at takes times, got %q", s)
	}
	return ""
}

// distArgs checks the mapping of a distribution's parameters.
func (l *loader) distArgs(arg *yaml.Node, at pos, key, kind string, keys []string) *mapping {
	want := "{" + strings.Join(keys, ": …, ") + ": …}"
	if arg == nil || arg.Kind != yaml.MappingNode {
		l.errf(at, "%s: %s: want %s, got %s", key, kind, want, kindName(arg))
		return nil
	}
	m := l.mapping(arg, at, kind, keys)
	if m == nil || !l.require(m, keys...) {
		return nil
	}
	return m
}

func (l *loader) positiveDuration(m *mapping, name, key, kind string) (time.Duration, bool) {
	f := m.get(name)
	s, ok := l.scalar(f)
	if !ok {
		return 0, false
	}
	d, err := parseDuration(s)
	if err != nil {
		l.errf(f.vpos, "%s: %s: %s: %v", key, kind, name, err)
		return 0, false
	}
	if d <= 0 {
		l.errf(f.vpos, "%s: %s: %s must be positive, got %q", key, kind, name, s)
		return 0, false
	}
	return d, true
}

// uniform draws between two whole numbers, durations or times.
func (l *loader) uniform(a, b, word string, rng *rand.Rand, bad func(string, ...any) (string, *yaml.Node, bool)) (string, *yaml.Node, bool) {
	if word == "" {
		ia, errA := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
		ib, errB := strconv.ParseInt(strings.TrimSpace(b), 10, 64)
		if errA == nil && errB == nil {
			if ib < ia {
				return bad("high (%d) is less than low (%d)", ib, ia)
			}
			if ib-ia >= math.MaxInt64-1 || ib-ia < 0 {
				return bad("the range is too wide")
			}
			return strconv.FormatInt(ia+rng.Int64N(ib-ia+1), 10), nil, true
		}
	}
	if word != sim.ClickAt {
		da, errA := parseDuration(a)
		db, errB := parseDuration(b)
		if errA == nil && errB == nil {
			if db < da {
				return bad("high (%s) is less than low (%s)", b, a)
			}
			return formatSampled(float64(da) + rng.Float64()*float64(db-da)), nil, true
		}
		if word == sim.ClickAfter {
			return bad("after takes durations, got [%s, %s]", a, b)
		}
	}
	ra, errA := parseTimeExpr(a)
	rb, errB := parseTimeExpr(b)
	if errA != nil || errB != nil {
		return bad("want two whole numbers, two durations (like [1h, 3d]) or two times (like [web.expiry-20d, web.expiry-5d]), got [%s, %s]", a, b)
	}
	if ra.anchor != rb.anchor || ra.cert != rb.cert {
		return bad("write both times from the same base, like [web.expiry-20d, web.expiry-5d] or two RFC 3339 times; got [%s, %s]", a, b)
	}
	if ra.anchor == anchorAbs {
		if rb.abs.Before(ra.abs) {
			return bad("high (%s) is before low (%s)", b, a)
		}
		t := ra.abs.Add(roundSeconds(rng.Float64() * float64(rb.abs.Sub(ra.abs))))
		return stamp(t), nil, true
	}
	if rb.offset < ra.offset {
		return bad("high (%s) is before low (%s)", b, a)
	}
	off := roundSeconds(float64(ra.offset) + rng.Float64()*float64(rb.offset-ra.offset))
	return formatRef(ra, off), nil, true
}

// roundSeconds rounds nanoseconds to whole seconds, within ±maxDuration.
func roundSeconds(ns float64) time.Duration {
	s := math.Round(ns / float64(time.Second))
	limit := float64(maxDuration / time.Second)
	s = math.Max(-limit, math.Min(limit, s))
	return time.Duration(s) * time.Second
}

func formatSampled(ns float64) string { return sim.FormatDuration(roundSeconds(ns)) }

// formatRef writes a time expression of ref's base with offset.
func formatRef(ref timeRef, offset time.Duration) string {
	base := anchorStart
	if ref.anchor == anchorIssued || ref.anchor == anchorExpiry {
		base = ref.cert + "." + ref.anchor
	}
	switch {
	case offset > 0:
		return base + "+" + sim.FormatDuration(offset)
	case offset < 0:
		return base + sim.FormatDuration(offset)
	}
	return base
}
