package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem found in a scenario file, at a 1-based line and
// column.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
}

// Error renders the problem as "file:line:col: msg".
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Errors is every problem found in one load, sorted by file, line and
// column. Load, Parse and FromNode return it (as error) whenever anything is
// wrong; it is never empty when returned.
type Errors []*Error

// Error joins the problems with newlines, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sortErrors orders es by file, line and column, keeping the order of
// problems found at the same place, and drops exact repeats (an alias used
// twice would otherwise report the same problem twice).
func sortErrors(es Errors) Errors {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	seen := make(map[Error]bool, len(es))
	out := es[:0]
	for _, e := range es {
		if seen[*e] {
			continue
		}
		seen[*e] = true
		out = append(out, e)
	}
	return out
}
