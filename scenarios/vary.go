package scenarios

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// What-if sweeps: a scenario's YAML tree is copied, values at paths are
// replaced (a grid of -vary values) and distributions are sampled (Monte
// Carlo runs), and each copy is loaded with FromNode like any scenario.

// MaxVariants bounds a sweep: the grid size times the runs.
const MaxVariants = 1_000_000

// Vary is one swept parameter: a path into the scenario and the values it
// takes, in order. It is written PATH=VALUES on the command line.
type Vary struct {
	Path string
	// Values are the values in order, ranges expanded. A range between
	// times with different bases (start..web.expiry-1d/1d) needs the
	// scenario: it stays written as a range until NewPlan resolves it.
	Values []string
	// Text is VALUES as written.
	Text string
}

// String is PATH=VALUES as written.
func (v Vary) String() string { return v.Path + "=" + v.Text }

// Param is one parameter of a variant: where, and what value it got.
type Param struct {
	Path  string
	Value string
}

// Variant is one scenario of a sweep.
type Variant struct {
	Index int
	// Run is the Monte Carlo run index (sampled with the scenario seed and
	// Run), or -1 for a sweep without runs.
	Run int
	// Params are the swept values, in -vary order.
	Params []Param
	// Sampled are the values drawn for the run's distributions, in
	// document order (none without runs).
	Sampled []Param
	// Doc is the edited tree the scenario was loaded from.
	Doc *yaml.Node
	// Scenario is Doc loaded; its Seed is the scenario's seed (or the
	// replacement given in PlanOptions).
	Scenario *sim.Scenario
}

// ParseVary reads PATH=VALUES. VALUES is a comma-separated list, optionally
// in parentheses: a,b,c or (a,b,c). An item may be a range: A..B/STEP of
// durations (0h..48h/6h), of times (web.expiry-40d..web.expiry-1d/1d) or of
// whole numbers (1..10, 1..10/2, STEP 1 by default). An item that starts
// with [, { or a quote is a YAML flow value (a list, a distribution such as
// {uniform: [1h, 3d]}, or a quoted string); commas inside it do not
// separate items. The path is checked against a scenario by NewPlan.
func ParseVary(spec string) (Vary, error) {
	path, text, ok := strings.Cut(spec, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Vary{}, fmt.Errorf("-vary %q: want PATH=VALUES, like resources.alb-prod.deploy_delay=0h..48h/6h", spec)
	}
	if strings.ContainsAny(path, " \t") {
		return Vary{}, fmt.Errorf("-vary %s: a path has no spaces, got %q", spec, path)
	}
	if strings.HasPrefix(path, ".") || strings.HasSuffix(path, ".") || strings.Contains(path, "..") {
		return Vary{}, fmt.Errorf("-vary %s: bad path %q: write keys, ids or indices separated by single dots", spec, path)
	}
	v := Vary{Path: path, Text: text}
	items, err := splitValues(text)
	if err != nil {
		return Vary{}, fmt.Errorf("-vary %s: %v", spec, err)
	}
	for _, it := range items {
		vals, err := expandItem(it, nil)
		if err != nil {
			return Vary{}, fmt.Errorf("-vary %s: %v", spec, err)
		}
		v.Values = append(v.Values, vals...)
		if len(v.Values) > MaxVariants {
			return Vary{}, fmt.Errorf("-vary %s: more than %d values", spec, MaxVariants)
		}
	}
	return v, nil
}

// splitValues splits VALUES at the commas outside brackets and braces.
func splitValues(text string) ([]string, error) {
	s := strings.TrimSpace(text)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return nil, fmt.Errorf("no values: want a list (a,b,c) or a range (0h..48h/6h)")
	}
	var out []string
	depth, from := 0, 0
	var stack []byte
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			switch {
			case quote == '"' && c == '\\':
				i++
			case c == quote:
				quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'':
			// A quote opens a YAML quoted string at the start of an item
			// or of a flow value, not inside a word (it's).
			if before := strings.TrimSpace(s[from:i]); before == "" || strings.ContainsRune("[{,:", rune(before[len(before)-1])) {
				quote = c
			}
		case '[', '{':
			stack = append(stack, c)
			depth++
		case ']', '}':
			open := byte('[')
			if c == '}' {
				open = '{'
			}
			if depth == 0 || stack[len(stack)-1] != open {
				return nil, fmt.Errorf("unbalanced %q in %q", c, s)
			}
			stack = stack[:len(stack)-1]
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[from:i]))
				from = i + 1
			}
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unbalanced quote in %q", s)
	}
	if depth != 0 {
		return nil, fmt.Errorf("unbalanced brackets in %q", s)
	}
	out = append(out, strings.TrimSpace(s[from:]))
	for i, it := range out {
		if it == "" {
			return nil, fmt.Errorf("value %d of %q is empty (write ~ for no value, which means the default)", i+1, s)
		}
	}
	return out, nil
}

// isFlow reports a value written as YAML flow: a list, a mapping, or a
// quoted string.
func isFlow(s string) bool {
	return s != "" && strings.ContainsRune("[{\"'", rune(s[0]))
}

// PlanOptions change how a sweep is planned.
type PlanOptions struct {
	// Runs is the number of Monte Carlo runs per grid point; 0 means no
	// sampling (the scenario must then hold no distribution).
	Runs int
	// Seed, when set, replaces the scenario's seed, for sampling and for
	// the simulation.
	Seed *uint64
}

// Plan is a sweep: the grid of -vary values in row-major order (the first
// -vary varies slowest), each grid point repeated for every Monte Carlo run.
// Variant k is grid point k / runs, run k % runs. Variants are built on
// demand, so that a shard builds only its own.
type Plan struct {
	file   string
	base   *yaml.Node
	varies []Vary
	opt    PlanOptions
	sizes  []int
	grid   int
	n      int
	// mayHoldDist is false when neither the scenario nor a -vary value
	// holds a distribution, so variants need no check for one.
	mayHoldDist bool
}

// NewPlan checks a sweep of the scenario doc (as parsed from file): every
// path must exist (or be a key the scenario may add), every value must load
// on its own, and the grid must not exceed MaxVariants. Problems with the
// command line come back as a plain error naming the -vary; problems of a
// value in the scenario come back as Errors with file:line:col.
func NewPlan(file string, doc *yaml.Node, varies []Vary, opt PlanOptions) (*Plan, error) {
	if opt.Runs < 0 || opt.Runs > MaxVariants {
		return nil, fmt.Errorf("-runs %d: want a number from 1 to %d", opt.Runs, MaxVariants)
	}
	if root := topNode(doc); root == nil || root.Kind != yaml.MappingNode {
		_, err := FromNode(file, doc)
		if err == nil {
			err = fmt.Errorf("%s: not a scenario", file)
		}
		return nil, err
	}
	p := &Plan{file: file, base: doc, opt: opt, grid: 1}
	varies = slices.Clone(varies)
	if err := checkVaries(doc, varies); err != nil {
		return nil, err
	}
	if err := p.expandRanges(varies); err != nil {
		return nil, err
	}
	p.varies = slices.Clone(varies)
	p.mayHoldDist = HasDistributions(doc)
	for _, v := range p.varies {
		for _, s := range v.Values {
			p.mayHoldDist = p.mayHoldDist || (isFlow(s) && flowHasDistribution(s))
		}
	}
	if err := p.sizeGrid(); err != nil {
		return nil, err
	}
	// Monte Carlo needs something to sample.
	if opt.Runs > 0 && !p.mayHoldDist {
		return nil, fmt.Errorf("-runs %d: the scenario has no distribution to sample; write one where a duration or time is (deploy_delay: {uniform: [1h, 3d]}) or in a -vary value, or vary the simulator's seed with -vary seed=1..%d", opt.Runs, opt.Runs)
	}
	if err := p.checkValues(); err != nil {
		return nil, err
	}
	return p, nil
}

// checkVaries checks the -vary list as given: each path varied once, with
// values, and resolving on the scenario as written.
func checkVaries(doc *yaml.Node, varies []Vary) error {
	seen := map[string]bool{}
	for _, v := range varies {
		if seen[v.Path] {
			return fmt.Errorf("-vary %s: the path %s is varied twice; give all its values in one -vary", v, v.Path)
		}
		seen[v.Path] = true
		if len(v.Values) == 0 {
			return fmt.Errorf("-vary %s: no values", v)
		}
	}
	scratch := copyNode(doc)
	for _, v := range varies {
		if _, err := findSlot(scratch, v.Path); err != nil {
			return fmt.Errorf("-vary %s: %v", v, err)
		}
	}
	return nil
}

// expandRanges expands, in place, the ranges between times with
// different bases, which need the scenario's times as written.
func (p *Plan) expandRanges(varies []Vary) error {
	var resolve func(timeRef) (time.Time, error)
	for i, v := range varies {
		var vals []string
		for _, s := range v.Values {
			if isFlow(s) || !strings.Contains(s, "..") {
				vals = append(vals, s)
				continue
			}
			if resolve == nil {
				r, err := p.timeResolver()
				if err != nil {
					return fmt.Errorf("-vary %s: the range %s needs the scenario's times, and it does not load:\n%w", v, s, err)
				}
				resolve = r
			}
			more, err := expandItem(s, resolve)
			if err != nil {
				return fmt.Errorf("-vary %s: %v", v, err)
			}
			vals = append(vals, more...)
		}
		v.Values = vals
		varies[i] = v
	}
	return nil
}

// sizeGrid counts the grid points and the variants, within MaxVariants.
func (p *Plan) sizeGrid() error {
	for _, v := range p.varies {
		if p.grid > MaxVariants/len(v.Values) {
			return fmt.Errorf("the grid has more than %d variants", MaxVariants)
		}
		p.sizes = append(p.sizes, len(v.Values))
		p.grid *= len(v.Values)
	}
	runs := max(p.opt.Runs, 1)
	if p.grid > MaxVariants/runs {
		return fmt.Errorf("%d grid points × %d runs is more than %d variants", p.grid, runs, MaxVariants)
	}
	p.n = p.grid * runs
	return nil
}

// checkValues loads each value on its own: each must give a usable
// scenario; a value that only fails together with another one is
// reported when its variant is built. The checks run on all CPUs: a long
// range means many loads.
func (p *Plan) checkValues() error {
	checkRun := -1
	if p.opt.Runs > 0 {
		checkRun = 0
	}
	var checks [][]Param
	if len(p.varies) == 0 {
		checks = append(checks, nil)
	}
	for _, v := range p.varies {
		for _, s := range v.Values {
			checks = append(checks, []Param{{Path: v.Path, Value: s}})
		}
	}
	results := make([]error, len(checks))
	workers := min(runtime.GOMAXPROCS(0), len(checks))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(checks); i += workers {
				_, results[i] = p.build(checkRun, checks[i], -1)
			}
		}()
	}
	wg.Wait()
	var errs Errors
	for _, err := range results {
		if err == nil {
			continue
		}
		es, ok := err.(Errors)
		if !ok {
			return err
		}
		if len(errs) < 50 {
			errs = append(errs, es...)
		}
	}
	if len(errs) > 0 {
		return sortErrors(errs)
	}
	return nil
}

// Len is the number of variants.
func (p *Plan) Len() int { return p.n }

// GridSize is the number of grid points (1 without -vary).
func (p *Plan) GridSize() int { return p.grid }

// Runs is the number of Monte Carlo runs per grid point (0: none).
func (p *Plan) Runs() int { return p.opt.Runs }

// Varies are the swept parameters, ranges expanded.
func (p *Plan) Varies() []Vary { return slices.Clone(p.varies) }

// File is the scenario file the plan edits.
func (p *Plan) File() string { return p.file }

// GridParams are the -vary values of variant k, without sampling.
func (p *Plan) GridParams(k int) []Param {
	runs := max(p.opt.Runs, 1)
	g := k / runs
	params := make([]Param, len(p.varies))
	for i := len(p.varies) - 1; i >= 0; i-- {
		params[i] = Param{Path: p.varies[i].Path, Value: p.varies[i].Values[g%p.sizes[i]]}
		g /= p.sizes[i]
	}
	return params
}

// Variant builds and loads variant k (0 <= k < Len). A value that is
// usable alone but not with the others gives Errors naming the -vary.
func (p *Plan) Variant(k int) (*Variant, error) {
	if k < 0 || k >= p.n {
		return nil, fmt.Errorf("variant %d: the sweep has variants 0 to %d", k, p.n-1)
	}
	run := -1
	if p.opt.Runs > 0 {
		run = k % p.opt.Runs
	}
	v, err := p.build(run, p.GridParams(k), k)
	if err != nil {
		return nil, err
	}
	v.Index = k
	return v, nil
}

// Expand is the grid of varies over doc, every variant loaded: a Plan
// without runs, built in full.
func Expand(file string, doc *yaml.Node, varies []Vary) ([]Variant, error) {
	p, err := NewPlan(file, doc, slices.Clone(varies), PlanOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]Variant, 0, p.Len())
	for k := range p.Len() {
		v, err := p.Variant(k)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// build copies the base, sets params, samples run (>= 0) and loads the
// result. index only labels messages (-1: checking one value).
func (p *Plan) build(run int, params []Param, index int) (*Variant, error) {
	doc := copyNode(p.base)
	slots := make([]slot, len(params))
	for i, pr := range params {
		s, err := findSlot(doc, pr.Path)
		if err != nil {
			return nil, fmt.Errorf("-vary %s=%s: %v", pr.Path, pr.Value, err)
		}
		slots[i] = s
	}
	for i, pr := range params {
		if err := setValue(slots[i].node, pr.Value); err != nil {
			return nil, fmt.Errorf("-vary %s=%s: %v", pr.Path, pr.Value, err)
		}
	}
	v := &Variant{Run: run, Params: slices.Clone(params), Doc: doc}
	seed := p.seedOf(doc)
	if run >= 0 {
		sampled, err := sampleInPlace(p.file, doc, run, seed)
		if err != nil {
			return nil, annotate(err, slots, params, index)
		}
		v.Sampled = sampled
	} else if p.mayHoldDist {
		if err := CheckDistributions(p.file, doc); err != nil {
			return nil, annotate(err, slots, params, index)
		}
	}
	sc, err := FromNode(p.file, doc)
	if err != nil {
		return nil, annotate(err, slots, params, index)
	}
	if p.opt.Seed != nil {
		sc.Seed = *p.opt.Seed
	}
	v.Scenario = sc
	return v, nil
}

// seedOf is the seed sampling uses: the replacement, else the scenario's
// seed key, else 1 (the loader's default; a bad seed is reported by it).
func (p *Plan) seedOf(doc *yaml.Node) uint64 {
	if p.opt.Seed != nil {
		return *p.opt.Seed
	}
	root := topNode(doc)
	for i := 0; root != nil && i+1 < len(root.Content); i += 2 {
		if k := resolve(root.Content[i]); k != nil && k.Value == "seed" {
			if v := resolve(root.Content[i+1]); v != nil && v.Kind == yaml.ScalarNode {
				if n, err := strconv.ParseUint(v.Value, 10, 64); err == nil {
					return n
				}
			}
		}
	}
	return 1
}

// timeResolver loads the scenario as written (run 0 sampled when it holds
// distributions) and resolves time expressions against it.
func (p *Plan) timeResolver() (func(timeRef) (time.Time, error), error) {
	doc := copyNode(p.base)
	if HasDistributions(doc) {
		if _, err := sampleInPlace(p.file, doc, 0, p.seedOf(doc)); err != nil {
			return nil, err
		}
	}
	sc, err := FromNode(p.file, doc)
	if err != nil {
		return nil, err
	}
	return func(ref timeRef) (time.Time, error) {
		t := ref.abs
		switch ref.anchor {
		case anchorStart:
			t = sc.Start.Add(ref.offset)
		case anchorIssued, anchorExpiry:
			var ids []string
			found := false
			for _, c := range sc.Certificates {
				ids = append(ids, c.ID)
				if c.ID == ref.cert {
					found = true
					if ref.anchor == anchorIssued {
						t = c.Issued.Add(ref.offset)
					} else {
						t = c.NotAfter.Add(ref.offset)
					}
				}
			}
			if !found {
				return time.Time{}, fmt.Errorf("unknown certificate %q (known: %s)", ref.cert, known(ids))
			}
		}
		return t, nil
	}, nil
}

// annotate adds to each problem which -vary caused it: a problem at the
// place of a swept value names that value, any other problem the variant.
func annotate(err error, slots []slot, params []Param, index int) error {
	es, ok := err.(Errors)
	if !ok || len(params) == 0 {
		return err
	}
	var all []string
	for _, pr := range params {
		all = append(all, pr.Path+"="+pr.Value)
	}
	out := make(Errors, 0, len(es))
	for _, e := range es {
		c := *e
		hit := false
		for i, s := range slots {
			if s.report.line == e.Line && s.report.col == e.Col {
				c.Msg += fmt.Sprintf(" (from -vary %s=%s)", params[i].Path, params[i].Value)
				hit = true
				break
			}
		}
		if !hit {
			if index >= 0 {
				c.Msg += fmt.Sprintf(" (in variant %d: %s)", index, strings.Join(all, ", "))
			} else {
				c.Msg += fmt.Sprintf(" (with -vary %s)", strings.Join(all, ", "))
			}
		}
		out = append(out, &c)
	}
	return out
}

// DecodeNode parses a scenario file's bytes into a YAML tree for Plan,
// with the errors of Parse (file:line:col).
func DecodeNode(file string, data []byte) (*yaml.Node, error) {
	doc, errs := decode(file, data)
	if errs != nil {
		return nil, errs
	}
	return doc, nil
}

// topNode is the top mapping of a document (or n itself).
func topNode(n *yaml.Node) *yaml.Node {
	n = resolve(n)
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return resolve(n.Content[0])
	}
	return n
}

// copyNode deep-copies a tree; aliases point at the copies of their
// anchors.
func copyNode(n *yaml.Node) *yaml.Node {
	if !hasAlias(n) {
		return copyTree(n)
	}
	memo := map[*yaml.Node]*yaml.Node{}
	var cp func(n *yaml.Node) *yaml.Node
	cp = func(n *yaml.Node) *yaml.Node {
		if n == nil {
			return nil
		}
		if c, ok := memo[n]; ok {
			return c
		}
		c := &yaml.Node{}
		memo[n] = c
		*c = *n
		if n.Content != nil {
			c.Content = make([]*yaml.Node, len(n.Content))
			for i, ch := range n.Content {
				c.Content[i] = cp(ch)
			}
		}
		c.Alias = cp(n.Alias)
		return c
	}
	return cp(n)
}

// hasAlias reports an alias anywhere in a tree.
func hasAlias(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.AliasNode || n.Alias != nil {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// copyTree deep-copies a tree without aliases.
func copyTree(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := new(yaml.Node)
	*c = *n
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, ch := range n.Content {
			c.Content[i] = copyTree(ch)
		}
	}
	return c
}

// slot is a value a -vary replaces, and where the loader reports problems
// with it.
type slot struct {
	node   *yaml.Node
	report pos
}

// varySchema is what a -vary path may find in one kind of mapping: the
// keys the loader reads there (so that any key it reads can be varied,
// or added), and how the mapping sits under its key.
type varySchema struct {
	name string // "certificate", for messages
	keys func() []string
	// children are the schemas of the values of some keys: a list of
	// items of that schema, or one mapping (see mapping).
	children map[string]*varySchema
	// mapping: the value is one mapping, which a -vary may create (dns,
	// overrides); otherwise it is a list of items.
	mapping bool
	// newItems: a -vary may add an item the list does not have (a
	// mailbox, named by its address).
	newItems bool
	// knobs: the keys are the profile's knobs, and an unknown one is
	// reported as such.
	knobs bool
	// names: the items are named in a path by name too (an alarm), not
	// only by id or address.
	names bool
}

// scenarioSchema is the top of every path.
var scenarioSchema = &varySchema{name: "scenario", keys: func() []string { return scenarioKeys }, children: map[string]*varySchema{
	"resources":    {name: "resource", keys: func() []string { return resourceKeys }},
	"certificates": {name: "certificate", keys: func() []string { return certificateKeys }},
	"mailboxes":    {name: "mailbox", keys: func() []string { return mailboxKeys }, newItems: true},
	"timeline":     {name: "timeline entry", keys: func() []string { return changeKeys }},
	"expect":       {name: "expectation", keys: func() []string { return expectKeys }},
	"alarms":       {name: "alarm", keys: func() []string { return alarmKeys }, names: true, children: alarmKindSchemas()},
	"dns":          {name: "dns", keys: func() []string { return dnsKeys }, mapping: true},
	"overrides":    {name: "overrides", keys: sim.KnobNames, mapping: true, knobs: true},
}}

// keysOf are the keys of schema s, none when it is unknown.
func (s *varySchema) keysOf() []string {
	if s == nil {
		return nil
	}
	return s.keys()
}

// child is the schema of the value of key, nil when unknown.
func (s *varySchema) child(key string) *varySchema {
	if s == nil {
		return nil
	}
	return s.children[key]
}

// isMapping reports a schema whose value is one mapping.
func (s *varySchema) isMapping() bool { return s != nil && s.mapping }

// isItemID reports whether key names the items of a list of schema s in
// a path: id and address, and the name of an alarm.
func (s *varySchema) isItemID(key string) bool {
	return key == "id" || key == "address" || (s != nil && s.names && key == "name")
}

// pathWalk is where the resolution of a -vary path stands.
type pathWalk struct {
	path     string
	rest     string // what is left of the path
	n        *yaml.Node
	sch      *varySchema // the schema of n (of its items, when inList); nil when unknown
	inList   bool        // n is a list whose items have schema sch
	where    string      // the path walked, for messages
	fallback pos         // the nearest place n has, for messages
}

// findSlot resolves path on the tree doc: mapping keys by name (the
// longest key that matches, so keys may hold dots), list items by their id
// or address (again the longest match: admin@example.com.clicks) or by
// their 0-based index. A key the scenario may take but did not write is
// added (with no value), and so is the overrides mapping. Errors say what
// exists where the path stopped matching.
func findSlot(doc *yaml.Node, path string) (slot, error) {
	root := topNode(doc)
	w := &pathWalk{path: path, rest: path, n: root, sch: scenarioSchema, fallback: posOf(root, pos{1, 1})}
	for w.rest != "" {
		w.n = resolve(w.n)
		w.fallback = posOf(w.n, w.fallback)
		var err error
		switch n := w.n; {
		case isNull(n) && !w.inList && w.sch.isMapping():
			// overrides: written with no value: an empty mapping.
			*n = yaml.Node{Kind: yaml.MappingNode, Line: n.Line, Column: n.Column}
			err = w.intoKey()
		case n.Kind == yaml.MappingNode:
			err = w.intoKey()
		case n.Kind == yaml.SequenceNode:
			err = w.intoItem()
		default:
			what := "nothing"
			if n != nil && n.Kind == yaml.ScalarNode && !isNull(n) {
				what = fmt.Sprintf("the single value %q", n.Value)
			}
			err = fmt.Errorf("%s is %s; there is no %q below it", w.name(), what, w.rest)
		}
		if err != nil {
			return slot{}, err
		}
	}
	return w.slot()
}

// name is the path walked, for messages.
func (w *pathWalk) name() string {
	if w.where == "" {
		return "the scenario"
	}
	return w.where
}

func (w *pathWalk) extend(seg string) {
	if w.where == "" {
		w.where = seg
	} else {
		w.where += "." + seg
	}
}

// intoKey walks into the mapping's longest key that starts the rest of
// the path, or adds the key when the schema takes it.
func (w *pathWalk) intoKey() error {
	n := w.n
	bestLen, best := -1, -1
	var keys []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			continue
		}
		keys = append(keys, k.Value)
		if (w.rest == k.Value || strings.HasPrefix(w.rest, k.Value+".")) && len(k.Value) > bestLen {
			best, bestLen = i, len(k.Value)
		}
	}
	if best < 0 {
		return w.addKey(keys)
	}
	key := n.Content[best].Value
	w.fallback = posOf(n.Content[best], w.fallback)
	w.extend(key)
	w.rest = strings.TrimPrefix(strings.TrimPrefix(w.rest, key), ".")
	next := w.sch.child(key)
	w.n = n.Content[best+1]
	w.inList = next != nil && !next.mapping
	w.sch = next
	return nil
}

// addKey adds the key that starts the rest of the path to the mapping,
// with no value (or an empty mapping or list to walk on into), when the
// schema takes it; keys are the keys the mapping has.
func (w *pathWalk) addKey(keys []string) error {
	seg, after, _ := strings.Cut(w.rest, ".")
	allowed := w.sch.keysOf()
	if w.sch != nil && w.sch.knobs && !slices.Contains(allowed, seg) {
		return fmt.Errorf("%s: %q is not a profile knob (knobs: %s)", w.name(), seg, strings.Join(allowed, ", "))
	}
	next := w.sch.child(seg)
	if slices.Contains(allowed, seg) && after != "" && !next.isMapping() && (next == nil || !next.newItems) {
		// where+seg lacks its dot: kept as messages have always been.
		return fmt.Errorf("%s has no key %q; a -vary can add it, but only with its value (%s=VALUE), not a path below it", w.name(), seg, w.where+seg)
	}
	if !slices.Contains(allowed, seg) {
		return w.noKey(seg, keys, allowed)
	}
	val := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	switch {
	case after != "" && next != nil && next.newItems:
		val = &yaml.Node{Kind: yaml.SequenceNode}
	case after != "":
		val = &yaml.Node{Kind: yaml.MappingNode}
	}
	w.n.Content = append(w.n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: seg}, val)
	w.extend(seg)
	w.rest = after
	w.n = val
	w.inList = next != nil && next.newItems
	w.sch = next
	return nil
}

// noKey says that the mapping has no key seg and the schema takes none:
// what it has, and what else it may take.
func (w *pathWalk) noKey(seg string, keys, allowed []string) error {
	msg := fmt.Sprintf("%s has no key %q", w.name(), seg)
	if len(keys) > 0 {
		msg += fmt.Sprintf(" (it has: %s", strings.Join(keys, ", "))
	} else {
		msg += " (it has no keys"
	}
	var more []string
	for _, k := range allowed {
		if !slices.Contains(keys, k) {
			more = append(more, k)
		}
	}
	if len(more) > 0 {
		msg += fmt.Sprintf("; a %s may also take: %s", w.sch.name, strings.Join(more, ", "))
	}
	return fmt.Errorf("%s)", msg)
}

// intoItem walks into the list item whose id or address (the longest
// that matches) or index starts the rest of the path, or adds a mailbox.
func (w *pathWalk) intoItem() error {
	n := w.n
	best, bestLen, ids, idKey := w.itemByID()
	seg, after, _ := strings.Cut(w.rest, ".")
	if best < 0 {
		best, bestLen = w.itemByAddress()
	}
	if best >= 0 {
		seg = w.rest[:bestLen]
		after = strings.TrimPrefix(w.rest[bestLen:], ".")
	} else if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) && strconv.Itoa(i) == seg {
		best = i
	} else if addr, key, ok := newMailbox(w.rest); ok && w.inList && w.sch.newItems {
		// A mailbox the scenario does not list: add it.
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Value: "address"}, {Kind: yaml.ScalarNode, Value: addr},
		}})
		best = len(n.Content) - 1
		seg, after = addr, key
	} else {
		msg := fmt.Sprintf("%s has no item %q", w.name(), seg)
		switch {
		case len(n.Content) == 0:
			msg += " (the list is empty)"
		case len(ids) > 0:
			msg += fmt.Sprintf(" (%ss: %s; or an index from 0 to %d)", idKey, strings.Join(ids, ", "), len(n.Content)-1)
		default:
			msg += fmt.Sprintf(" (it has items 0 to %d)", len(n.Content)-1)
		}
		return fmt.Errorf("%s", msg)
	}
	w.fallback = posOf(n.Content[best], w.fallback)
	w.extend(seg)
	w.rest = after
	w.n = n.Content[best]
	if !w.inList {
		w.sch = nil
	}
	w.inList = false
	return nil
}

// itemByID finds the item whose id (address, alarm name) is the longest
// that starts the rest of the path; it also lists the ids, and the key
// that holds them, for messages.
func (w *pathWalk) itemByID() (best, bestLen int, ids []string, idKey string) {
	best, bestLen = -1, -1
	for i, it := range w.n.Content {
		it = resolve(it)
		if it == nil || it.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(it.Content); j += 2 {
			k, v := resolve(it.Content[j]), resolve(it.Content[j+1])
			if k == nil || v == nil || v.Kind != yaml.ScalarNode || !w.sch.isItemID(k.Value) {
				continue
			}
			idKey = k.Value
			ids = append(ids, v.Value)
			if (w.rest == v.Value || strings.HasPrefix(w.rest, v.Value+".")) && len(v.Value) > bestLen {
				best, bestLen = i, len(v.Value)
			}
		}
	}
	return best, bestLen, ids, idKey
}

// itemByAddress finds the item whose address starts the rest of the
// path, without regard to case, as mailboxes match addresses.
func (w *pathWalk) itemByAddress() (best, bestLen int) {
	best, bestLen = -1, -1
	rest := w.rest
	for i, it := range w.n.Content {
		it = resolve(it)
		if it == nil || it.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(it.Content); j += 2 {
			k, v := resolve(it.Content[j]), resolve(it.Content[j+1])
			if k != nil && v != nil && k.Value == "address" && v.Kind == yaml.ScalarNode &&
				len(rest) >= len(v.Value) && strings.EqualFold(rest[:len(v.Value)], v.Value) &&
				(len(rest) == len(v.Value) || rest[len(v.Value)] == '.') && len(v.Value) > bestLen {
				best, bestLen = i, len(v.Value)
			}
		}
	}
	return best, bestLen
}

// slot is the value the walk ended at, which must be a single value (or a
// distribution, or a list).
func (w *pathWalk) slot() (slot, error) {
	n := resolve(w.n)
	if n == nil {
		return slot{}, fmt.Errorf("%s is a dangling alias", w.name())
	}
	if n.Kind == yaml.MappingNode && !isDistribution(n) {
		var keys []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			keys = append(keys, n.Content[i].Value)
		}
		ex := "KEY"
		if len(keys) > 0 {
			ex = keys[len(keys)-1]
		}
		return slot{}, fmt.Errorf("%s is a mapping (keys: %s): vary one of its values, like %s.%s", w.name(), strings.Join(keys, ", "), w.path, ex)
	}
	if n.Kind == yaml.DocumentNode {
		return slot{}, fmt.Errorf("the path is empty")
	}
	return slot{node: n, report: posOf(n, w.fallback)}, nil
}

// setValue replaces n in place (keeping its place in the file for
// messages, and its anchor) by the value s: a YAML flow list or mapping
// when s starts with [ or {, a plain single value otherwise.
func setValue(n *yaml.Node, s string) error {
	line, col, anchor := n.Line, n.Column, n.Anchor
	if isFlow(s) {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
			return fmt.Errorf("the value %s is not YAML: %v", s, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		v := topNode(&doc)
		if v == nil {
			return fmt.Errorf("the value %s is empty", s)
		}
		v = copyNode(v)
		clearPositions(v)
		*n = *v
	} else {
		*n = yaml.Node{Kind: yaml.ScalarNode, Value: s}
		if s == "~" || s == "null" {
			n.Tag = "!!null"
		}
	}
	n.Line, n.Column, n.Anchor = line, col, anchor
	return nil
}

func clearPositions(n *yaml.Node) {
	if n == nil {
		return
	}
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		clearPositions(c)
	}
}

// newMailbox splits ADDRESS.KEY, where KEY is a key of a mailbox, for a
// -vary that adds a mailbox the scenario does not list.
func newMailbox(rest string) (addr, key string, ok bool) {
	for _, k := range mailboxKeys {
		if a, found := strings.CutSuffix(rest, "."+k); found && k != "address" && checkAddress(a) == "" {
			return a, k, true
		}
	}
	return "", "", false
}
