package sim

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// knobText writes a knob's value of p in one canonical way, to compare
// values that docs/profiles.md may write differently (72h, 3d).
func knobText(k knob, p *Profile) string {
	switch v := k.ptr(p).(type) {
	case *time.Duration:
		return FormatDuration(*v)
	case *[]int:
		if len(*v) == 0 {
			return "none"
		}
		var s []string
		for _, d := range *v {
			s = append(s, strconv.Itoa(d))
		}
		return strings.Join(s, ",")
	case *bool:
		return strconv.FormatBool(*v)
	case *int:
		return strconv.Itoa(*v)
	case *string:
		return *v
	case *Share:
		return v.String()
	case *time.Time:
		if v.IsZero() {
			return "none"
		}
		return v.Format("2006-01-02")
	case *reuseKnob:
		return v.String()
	}
	panic(fmt.Sprintf("knob %s: unknown kind %T", k.name, k.ptr(p)))
}

// profileTable is one knob table of docs/profiles.md: the profile named by
// each column, and per knob the cell of each profile.
type profileTable struct {
	columns []string
	rows    map[string]map[string]string
	order   []string
}

// profilesTables reads the knob tables of docs/profiles.md, each starting
// with a "| knob |" header row.
func profilesTables(t *testing.T) []profileTable {
	data, err := os.ReadFile("../docs/profiles.md")
	require.NoError(t, err)
	cells := func(line string) []string {
		f := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for i := range f {
			f[i] = strings.Trim(strings.TrimSpace(f[i]), "`")
		}
		return f
	}
	var tables []profileTable
	var cur *profileTable
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "| knob |"):
			h := cells(line)
			require.Equal(t, "source", h[len(h)-1], "the last column gives the source")
			tables = append(tables, profileTable{columns: h[1 : len(h)-1], rows: map[string]map[string]string{}})
			cur = &tables[len(tables)-1]
		case cur != nil && strings.HasPrefix(line, "|---"):
		case cur != nil && strings.HasPrefix(line, "|"):
			f := cells(line)
			require.Len(t, f, len(cur.columns)+2, "row %q", line)
			require.NotContains(t, cur.rows, f[0], "knob %s listed twice", f[0])
			cur.rows[f[0]] = map[string]string{}
			for i, c := range cur.columns {
				cur.rows[f[0]][c] = f[i+1]
			}
			require.NotEmpty(t, f[len(f)-1], "knob %s: no source", f[0])
			cur.order = append(cur.order, f[0])
		default:
			cur = nil
		}
	}
	require.NotEmpty(t, tables, "docs/profiles.md has no \"| knob |\" table")
	return tables
}

// TestProfilesDoc pins every knob of every shipped profile to the tables in
// docs/profiles.md, and the tables to the knobs: a number changed on one
// side only fails here. The first table lists every knob; a later one (the
// comparison profiles) lists the knobs it changes, and every knob it leaves
// out must be the default profile's.
func TestProfilesDoc(t *testing.T) {
	tables := profilesTables(t)
	var columns []string
	for _, tb := range tables {
		columns = append(columns, tb.columns...)
	}
	assert.ElementsMatch(t, ProfileNames(), columns, "one column per shipped profile")
	assert.Equal(t, KnobNames(), tables[0].order, "the first table: one row per knob, in the order of KnobNames")
	base, ok := LookupProfile(DefaultProfile)
	require.True(t, ok)
	for ti, tb := range tables {
		var known []string
		for _, k := range KnobNames() {
			if slices.Contains(tb.order, k) {
				known = append(known, k)
			}
		}
		assert.Equal(t, known, tb.order, "table %d: knobs of KnobNames, in its order", ti+1)
		for _, name := range tb.columns {
			p, ok := LookupProfile(name)
			require.True(t, ok, "profile %s", name)
			for _, k := range knobs {
				cell, ok := tb.rows[k.name][name]
				if !ok {
					if assert.NotZero(t, ti, "knob %s has no row", k.name) {
						assert.Equal(t, knobText(k, &base), knobText(k, &p), "docs/profiles.md: %s of %s is not listed, so it must be %s's", k.name, name, DefaultProfile)
					}
					continue
				}
				// The cell is written as a scenario writes the knob: read it the
				// same way, into a profile whose knob starts elsewhere.
				if cell == "none" {
					assert.Equal(t, "none", knobText(k, &p), "docs/profiles.md: %s of %s", k.name, name)
					continue
				}
				var doc Profile
				if !assert.NoError(t, doc.Set(k.name, cell), "docs/profiles.md: %s of %s", k.name, name) {
					continue
				}
				assert.Equal(t, knobText(k, &p), knobText(k, &doc), "docs/profiles.md: %s of %s is %q", k.name, name, cell)
			}
		}
	}
}
