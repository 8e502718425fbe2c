package scenarios

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/sim"
)

// parseBothWays parses data whole and in batches of batch entries, and
// says whether the batches were used.
func parseBothWays(t testing.TB, data []byte, batch int) (whole, chunked parsed, usedBatches bool) {
	t.Helper()
	defer func(c, b int) { chunkFrom, batchEntries = c, b }(chunkFrom, batchEntries)
	chunkFrom = math.MaxInt
	sc, err := Parse("f.yaml", data)
	whole = describeParse(sc, err)
	chunkFrom, batchEntries = 0, batch
	sc, err = Parse("f.yaml", data)
	chunked = describeParse(sc, err)
	if tb := findTimelineBlock(data); tb != nil {
		_, _, usedBatches = parseChunked("f.yaml", tb, "")
	}
	return whole, chunked, usedBatches
}

// parsed is everything Parse returned, in a form that compares.
type parsed struct {
	sc  *sim.Scenario
	err string
}

func describeParse(sc *sim.Scenario, err error) parsed {
	if err != nil {
		return parsed{err: err.Error()}
	}
	return parsed{sc: sc}
}

// same reports whether two reads agree, and a diff when they do not.
func same(a, b parsed) (bool, string) {
	if reflect.DeepEqual(a, b) {
		return true, ""
	}
	if a.err != b.err {
		return false, fmt.Sprintf("errors differ:\n%s\n---\n%s", a.err, b.err)
	}
	if a.sc == nil || b.sc == nil {
		return false, "one read failed"
	}
	if len(a.sc.Timeline) != len(b.sc.Timeline) {
		return false, fmt.Sprintf("timelines of %d and %d changes", len(a.sc.Timeline), len(b.sc.Timeline))
	}
	for i := range a.sc.Timeline {
		if !reflect.DeepEqual(a.sc.Timeline[i], b.sc.Timeline[i]) {
			return false, fmt.Sprintf("change %d differs:\n%+v\n%+v", i, a.sc.Timeline[i], b.sc.Timeline[i])
		}
	}
	return false, "scenarios differ outside the timeline"
}

// sameBothWays is the corpus of TestBatchesReadLikeTheWholeFile and the
// seeds of FuzzBatchesReadLikeTheWholeFile: every file the tests know.
func sameBothWays(t testing.TB) [][]byte {
	var docs [][]byte
	for _, name := range LibraryNames() {
		src, _ := LibrarySource(name)
		docs = append(docs, src)
	}
	for _, tc := range brokenCases {
		docs = append(docs, []byte(tc.doc))
	}
	for _, tc := range fidelityBroken {
		docs = append(docs, []byte(tc.doc))
	}
	hostile, _ := filepath.Glob("testdata/hostile/*.yaml")
	for _, name := range hostile {
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		docs = append(docs, src)
	}
	return append(docs, []byte(longTimeline(2500)), []byte(oddTimeline))
}

// longTimeline is a valid scenario with n timeline entries in every style
// the block reader meets: flow mappings, block mappings over several
// lines, comments and blank lines between entries, and a few broken
// entries (an unknown action, an unknown certificate, a missing key).
func longTimeline(n int) string {
	var b strings.Builder
	b.WriteString("name: long\nstart: 2026-03-01T00:00:00Z\n# the timeline comes before the certificates\ntimeline:\n")
	for i := 0; i < n; i++ {
		at := fmt.Sprintf("start+%dh", (n-i)%500+1)
		switch i % 7 {
		case 0:
			fmt.Fprintf(&b, "  - {at: %s, do: dns-delete, name: _x.a.example.com, type: CNAME}\n", at)
		case 1:
			fmt.Fprintf(&b, "  - at: %s\n    do: dns-add\n    record: \"_x.a.example.com. 300 IN CNAME _y.acm-validations.aws.\"\n", at)
		case 2:
			fmt.Fprintf(&b, "\n# entry %d\n  - at: %s   # a comment\n    do: detach\n    cert: a\n    resource: alb\n", i, at)
		case 3:
			fmt.Fprintf(&b, "  -\n    at: %s\n    do: attach\n    cert: a\n    resource: alb\n", at)
		case 4:
			if i%500 == 4 {
				fmt.Fprintf(&b, "  - {at: %s, do: explode}\n", at)
			} else {
				fmt.Fprintf(&b, "  - {at: %s, do: click-approval, domain: a.example.com}\n", at)
			}
		case 5:
			if i%700 == 5 {
				fmt.Fprintf(&b, "  - {at: %s, do: detach, cert: nope, resource: alb}\n", at)
			} else {
				fmt.Fprintf(&b, "  - {at: %s,\n      do: detach, cert: a, resource: alb}\n", at)
			}
		default:
			if i%900 == 6 {
				fmt.Fprintf(&b, "  - {do: dns-delete, name: _x.a.example.com, type: CNAME}\n")
			} else {
				fmt.Fprintf(&b, "  - at: %s\n    do: dns-delete\n    name: |\n      _x.a.example.com\n    type: CNAME\n", at)
			}
		}
	}
	b.WriteString("resources:\n  - {id: alb, kind: elb, hostnames: [www.example.com]}\ncertificates:\n  - {id: a, domain: a.example.com, validation: email, in_use_by: [alb]}\n")
	return b.String()
}

// oddTimeline has entries at column 0, a trailing comment block and an
// entry that is only a dash.
const oddTimeline = `name: odd
start: 2026-03-01T00:00:00Z
certificates: [{id: a, domain: a.example.com}]
timeline:
- {at: start+1d, do: dns-delete, name: _x.a.example.com, type: CNAME}
-
- at: start+2d
  do: dns-delete
  name: _x.a.example.com
  type: CNAME
# the end
expect: [{cert: a, at: a.expiry, renewal_status: none}]
`

// TestBatchesReadLikeTheWholeFile reads every file the tests know both
// ways, with batches of one, two and the usual number of entries, and
// wants the same scenario or the same errors.
func TestBatchesReadLikeTheWholeFile(t *testing.T) {
	batched := 0
	for i, data := range sameBothWays(t) {
		for _, batch := range []int{1, 2, batchEntries} {
			whole, chunked, used := parseBothWays(t, data, batch)
			if used {
				batched++
			}
			if ok, diff := same(whole, chunked); !ok {
				t.Fatalf("document %d, batches of %d: whole and batched reads differ: %s\ndocument:\n%s", i, batch, diff, data)
			}
		}
	}
	// Not a test that passes by reading everything whole.
	assert.Greater(t, batched, 50, "documents read in batches")
}

// TestLongTimelineIsReadInBatches checks that the generated timeline is
// read in batches, across batch boundaries, with its broken entries
// reported at their lines.
func TestLongTimelineIsReadInBatches(t *testing.T) {
	data := []byte(longTimeline(2500))
	tb := findTimelineBlock(data)
	require.NotNil(t, tb)
	assert.Equal(t, 2500, tb.count)
	assert.Len(t, tb.batches, 3)
	assert.Equal(t, pos{5, 3}, tb.first)
	whole, chunked, used := parseBothWays(t, data, 1024)
	require.True(t, used)
	ok, diff := same(whole, chunked)
	require.True(t, ok, diff)
	assert.Contains(t, chunked.err, `unknown action "explode"`)
	assert.Contains(t, chunked.err, `missing required key "at" in timeline entry`)
}

// TestFilesReadWholeWhenBatchesCouldDiffer lists what makes parse read a
// file whole.
func TestFilesReadWholeWhenBatchesCouldDiffer(t *testing.T) {
	base := "name: x\nstart: 2026-03-01T00:00:00Z\ncertificates: [{id: a, domain: a.example.com}]\ntimeline:\n  - {at: start+1d, do: dns-delete, name: _x.a.example.com, type: CNAME}\n"
	require.NotNil(t, findTimelineBlock([]byte(base)))
	for name, doc := range map[string]string{
		"anchor":              base + "  - &e {at: start+2d, do: dns-delete, name: _x.a.example.com, type: CNAME}\n  - *e\n",
		"document marker":     "---\n" + base,
		"directive":           "%YAML 1.2\n---\n" + base,
		"tab":                 base + "\t- {at: start+2d}\n",
		"under-indented text": base + " x: 1\n",
		"text at the indent":  base + "  x: 1\n",
		"two timelines":       base + "timeline:\n  - {at: start+2d}\n",
		"flow timeline":       "name: x\ntimeline: [{at: start+1d}]\n",
		"empty timeline":      "name: x\ntimeline:\nexpect: []\n",
		"not UTF-8":           base + "# \xff\n",
	} {
		assert.Nil(t, findTimelineBlock([]byte(doc)), name)
		whole, chunked, _ := parseBothWays(t, []byte(doc), 1)
		ok, diff := same(whole, chunked)
		assert.True(t, ok, "%s: %s", name, diff)
	}
}

// FuzzBatchesReadLikeTheWholeFile reads any input both ways, in batches
// of two entries, and wants the same result.
func FuzzBatchesReadLikeTheWholeFile(f *testing.F) {
	for _, data := range sameBothWays(f) {
		if len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		whole, chunked, _ := parseBothWays(t, data, 2)
		if ok, diff := same(whole, chunked); !ok {
			t.Fatalf("whole and batched reads differ: %s", diff)
		}
	})
}

// TestTooLongTimelineReadInBatches checks the cap on timeline entries
// says the same, at the same place, both ways.
func TestTooLongTimelineReadInBatches(t *testing.T) {
	defer func(n int) { timelineCap = n }(timelineCap)
	timelineCap = 3
	whole, chunked, used := parseBothWays(t, []byte(longTimeline(10)), 2)
	require.True(t, used)
	ok, diff := same(whole, chunked)
	require.True(t, ok, diff)
	assert.Contains(t, chunked.err, "f.yaml:5:3: timeline: 10 entries is too many (at most 3)")
}
