package scenarios

import (
	"cmp"
	"slices"

	"go.yaml.in/yaml/v3"
)

// A scenario file is read mapping by mapping: the scenario itself, each
// resource, certificate, mailbox, timeline entry and alarm. Each kind of
// mapping has a keyTable: one row per key, in the order messages list the
// keys, saying when the key is read, whether it may be written for this
// item at all, how its value is decoded and checked and where it is
// stored, and what holds when it is left out. Rules about an item as a
// whole (an http-validated certificate needs a CloudFront user) are listed
// beside the rows.
//
// The rows only compose: values are decoded by the readers in node.go
// (single values, lists, numbers, durations), times.go (times), names.go
// and email.go (DNS names, addresses); the ACM rules sit in acm.go, and
// the cross-references (an id that another section declares) in refs.go.
// Where the keys depend on what an item is, a second table says so: the
// actions of timeline entries (timeline.go), the kinds of expectations
// (expect.go) and of alarms (alarms.go). Adding a key is adding a row.

// keyRow is one key of a mapping that is read into a T: the item being
// built.
type keyRow[T any] struct {
	key string
	// required keys are reported when missing or written without a
	// value, before any key is read.
	required bool
	// step orders the reading: steps run in increasing order, and the
	// rows of one step in table order. A row may use what earlier steps
	// stored. The order also decides the order of problems reported at
	// one place (a key added by a -vary has the place of its mapping), so
	// it is kept as it is.
	step int
	// applies, when set, is the ACM rule that says whether the key may be
	// written for this item: when it returns false, having said why (or
	// silently when what it depends on was already reported), the value
	// is not read.
	applies func(l *loader, b *build, t *T, f *field) bool
	// read decodes and checks a value written for the key (f is never nil
	// nor null) and stores it in t.
	read func(l *loader, b *build, t *T, f *field)
	// absent, when set, runs instead of read when the key is left out or
	// written without a value (f is then nil or null): it sets the
	// default, or reports what is missing.
	absent func(l *loader, b *build, t *T, f *field)
}

// itemRule is a rule about an item as a whole, run after the rows of its
// step.
type itemRule[T any] struct {
	step  int
	check func(l *loader, b *build, t *T)
}

// keyTable is how one kind of mapping is read.
type keyTable[T any] struct {
	what  string // "certificate", for messages
	rows  []keyRow[T]
	rules []itemRule[T]

	// takes, when set, says which keys an item reads at all (a timeline
	// entry reads the keys of its action); rows of other keys are skipped.
	takes func(t *T, key string) bool

	keys     []string // every key, in table order: what messages list
	required []string
	plan     []int // rows (i >= 0) and rules (-1-i) in the order they run
}

// newKeyTable derives what reading needs from rows and rules once.
func newKeyTable[T any](what string, rows []keyRow[T], rules ...itemRule[T]) *keyTable[T] {
	tb := &keyTable[T]{what: what, rows: rows, rules: rules}
	type planned struct{ step, kind, index, at int }
	var plan []planned
	for i, r := range rows {
		tb.keys = append(tb.keys, r.key)
		if r.required {
			tb.required = append(tb.required, r.key)
		}
		plan = append(plan, planned{step: r.step, index: i, at: i})
	}
	for i, r := range rules {
		plan = append(plan, planned{step: r.step, kind: 1, index: -1 - i, at: i})
	}
	// Within a step, rows run before rules, each in the order written.
	slices.SortStableFunc(plan, func(a, b planned) int {
		return cmp.Or(cmp.Compare(a.step, b.step), cmp.Compare(a.kind, b.kind), cmp.Compare(a.at, b.at))
	})
	for _, p := range plan {
		tb.plan = append(tb.plan, p.index)
	}
	return tb
}

// onlyTaken sets which keys an item reads.
func (tb *keyTable[T]) onlyTaken(takes func(t *T, key string) bool) *keyTable[T] {
	tb.takes = takes
	return tb
}

// mapping checks that n is a mapping of this table's keys (see
// loader.mapping); nil when it is not one (reported).
func (tb *keyTable[T]) mapping(l *loader, n *yaml.Node, p pos) *mapping {
	return l.mapping(n, p, tb.what, tb.keys)
}

// read reads m into t: the required keys first, then every row and rule
// in plan order.
func (tb *keyTable[T]) read(l *loader, b *build, m *mapping, t *T) {
	l.require(m, tb.required...)
	for _, i := range tb.plan {
		if i < 0 {
			tb.rules[-1-i].check(l, b, t)
			continue
		}
		r := &tb.rows[i]
		if tb.takes != nil && !tb.takes(t, r.key) {
			continue
		}
		f := m.field(r.key)
		if f == nil || f.null() {
			if r.absent != nil {
				r.absent(l, b, t, f)
			}
			continue
		}
		if r.applies != nil && !r.applies(l, b, t, f) {
			continue
		}
		if r.read != nil {
			r.read(l, b, t, f)
		}
	}
}
