package scenarios

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
