package scenarios

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// The zone a scenario lists is bounded; each zone-file line counts, blank
// and comment lines do not.
func TestZoneSizeCap(t *testing.T) {
	doc := func(lines int, extra string) []byte {
		var b strings.Builder
		b.WriteString("name: zone\nstart: 2026-03-01T00:00:00Z\ncertificates: [{id: web, domain: example.com}]\ndns:\n  records:\n    - |\n")
		for i := range lines {
			fmt.Fprintf(&b, "      h%d.example.com. A 192.0.2.1\n", i)
		}
		b.WriteString("      ; a comment\n\n")
		b.WriteString(extra)
		return []byte(b.String())
	}
	sc, err := Parse("z.yaml", doc(maxZoneLines, ""))
	require.NoError(t, err)
	assert.Len(t, sc.DNSRecords, 1)

	_, err = Parse("z.yaml", doc(maxZoneLines+1, ""))
	assert.EqualError(t, err, "z.yaml:6:7: records: item 1: the scenario's zone holds more than 100000 zone-file lines (dns.records and dns-add together)")

	_, err = Parse("z.yaml", doc(maxZoneLines, "timeline:\n  - {at: start+1d, do: dns-add, record: 'x.example.com. A 192.0.2.2'}\n  - {at: start+2d, do: dns-add, record: 'y.example.com. A 192.0.2.2'}\n"))
	assert.EqualError(t, err, "z.yaml:100010:41: record: the scenario's zone holds more than 100000 zone-file lines (dns.records and dns-add together)", "reported once, where the count is crossed")
}

func TestTimelineCap(t *testing.T) {
	defer func(n int) { timelineCap = n }(timelineCap)
	timelineCap = 3
	doc := "name: t\nstart: 2026-03-01T00:00:00Z\ncertificates: [{id: web, domain: example.com}]\ntimeline:\n" +
		strings.Repeat("  - {at: start+1d, do: export, cert: web}\n", 4)
	_, err := Parse("t.yaml", []byte(doc))
	assert.EqualError(t, err, "t.yaml:5:3: timeline: 4 entries is too many (at most 3)")
	timelineCap = 4
	sc, err := Parse("t.yaml", []byte(doc))
	require.NoError(t, err)
	assert.Len(t, sc.Timeline, 4)
}

// timelineScenario is a valid scenario with n timeline entries over the
// first 138 days, out of order so that the loader sorts them.
func timelineScenario(n int) []byte {
	var b strings.Builder
	b.WriteString("name: long-timeline\nstart: 2026-03-01T00:00:00Z\nresources: [{id: alb, kind: elb}]\ncertificates: [{id: web, domain: example.com, in_use_by: [alb]}]\ntimeline:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {at: start+%dm, do: export, cert: web}\n", (i*7919)%200000)
	}
	return []byte(b.String())
}

func TestLongTimelineIsSortedStably(t *testing.T) {
	sc, err := Parse("t.yaml", timelineScenario(5000))
	require.NoError(t, err)
	require.Len(t, sc.Timeline, 5000)
	for i := 1; i < len(sc.Timeline); i++ {
		a, b := sc.Timeline[i-1], sc.Timeline[i]
		require.False(t, b.At.Before(a.At))
		if a.At.Equal(b.At) {
			require.Less(t, a.Line, b.Line, "equal times keep the file's order")
		}
	}
}

// FromNode reads the tree it is given and leaves it as it was.
func TestFromNodeLeavesTheTreeAlone(t *testing.T) {
	doc := textNode(t, string(timelineScenario(50)))
	before, err := yaml.Marshal(doc)
	require.NoError(t, err)
	_, err = FromNode("t.yaml", doc)
	require.NoError(t, err)
	after, err := yaml.Marshal(doc)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}

// BenchmarkParseTimeline is the loader's share of a long timeline.
func BenchmarkParseTimeline(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		data := timelineScenario(n)
		b.Run(fmt.Sprint("entries=", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := Parse("t.yaml", data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entry")
		})
	}
}
