package fleet

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with an input file: where (a line and column
// for JSON syntax, JSON Lines and zone files; a JSON path for values) and
// what was expected.
type Problem struct {
	File string
	Line int    // 1-based; 0 when the JSON path says where
	Col  int    // 1-based; 0 when unknown
	Path string // JSON path like $.Certificate.NotAfter; "" for syntax and zone problems
	Msg  string
}

func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in the inputs, in file order and, within
// a file, in the order they were found. Read and Build return it (as error)
// whenever anything is unusable; it is never empty when returned.
type Problems []*Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// collector gathers problems while reading.
type collector struct{ probs Problems }

func (c *collector) add(p *Problem) { c.probs = append(c.probs, p) }

func (c *collector) at(file string, line, col int, format string, args ...any) {
	c.add(&Problem{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// err returns the problems sorted by file (stable within a file), or nil.
func (c *collector) err() error {
	if len(c.probs) == 0 {
		return nil
	}
	out := slices.Clone(c.probs)
	slices.SortStableFunc(out, func(a, b *Problem) int { return cmp.Compare(a.File, b.File) })
	return out
}
