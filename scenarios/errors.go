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

// MaxReported is how many problems Errors.Error writes before it counts the
// rest: a file broken on every line would otherwise bury its first problem.
const MaxReported = 100

// Error writes the first MaxReported problems, one per line, then a line
// "… and N more problems" if there are more. The value holds them all.
func (es Errors) Error() string {
	n := min(len(es), MaxReported)
	var b strings.Builder
	for i, e := range es[:n] {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	if more := len(es) - n; more > 0 {
		noun := "problems"
		if more == 1 {
			noun = "problem"
		}
		fmt.Fprintf(&b, "\n… and %d more %s", more, noun)
	}
	return b.String()
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
