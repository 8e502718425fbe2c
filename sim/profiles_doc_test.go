package sim

import (
	"fmt"
	"os"
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
	case *time.Time:
		if v.IsZero() {
			return "none"
		}
		return v.Format("2006-01-02")
	}
	panic(fmt.Sprintf("knob %s: unknown kind %T", k.name, k.ptr(p)))
}

// profilesTable reads the knob table of docs/profiles.md: the profile
// named by each column, and per knob the cell of each profile.
func profilesTable(t *testing.T) (columns []string, rows map[string]map[string]string, order []string) {
	data, err := os.ReadFile("../docs/profiles.md")
	require.NoError(t, err)
	rows = map[string]map[string]string{}
	cells := func(line string) []string {
		f := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for i := range f {
			f[i] = strings.Trim(strings.TrimSpace(f[i]), "`")
		}
		return f
	}
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "| knob |"):
			h := cells(line)
			require.Equal(t, "source", h[len(h)-1], "the last column gives the source")
			columns = h[1 : len(h)-1]
			in = true
		case in && strings.HasPrefix(line, "|---"):
		case in && strings.HasPrefix(line, "|"):
			f := cells(line)
			require.Len(t, f, len(columns)+2, "row %q", line)
			require.NotContains(t, rows, f[0], "knob %s listed twice", f[0])
			rows[f[0]] = map[string]string{}
			for i, c := range columns {
				rows[f[0]][c] = f[i+1]
			}
			require.NotEmpty(t, f[len(f)-1], "knob %s: no source", f[0])
			order = append(order, f[0])
		case in:
			in = false
		}
	}
	require.NotEmpty(t, columns, "docs/profiles.md has no \"| knob |\" table")
	return columns, rows, order
}

// TestProfilesDoc pins every knob of every shipped profile to the table in
// docs/profiles.md, and the table to the knobs: a number changed on one side
// only fails here.
func TestProfilesDoc(t *testing.T) {
	columns, rows, order := profilesTable(t)
	assert.ElementsMatch(t, ProfileNames(), columns, "one column per shipped profile")
	assert.Equal(t, KnobNames(), order, "one row per knob, in the order of KnobNames")
	for _, name := range columns {
		p, ok := LookupProfile(name)
		require.True(t, ok, "profile %s", name)
		for _, k := range knobs {
			cell, ok := rows[k.name][name]
			if !assert.True(t, ok, "knob %s has no row", k.name) {
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
