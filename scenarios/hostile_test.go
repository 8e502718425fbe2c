package scenarios

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// The hostile and absurd inputs of issue 11, each with the exact answer the
// loader gives. The files are in testdata/hostile; what is too big to commit
// is generated below.
var hostileCases = map[string]string{
	"start-year-9999.yaml": `testdata/hostile/start-year-9999.yaml:5:8: start: 9999-12-01T00:00:00Z is outside the supported range [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)`,
	"start-year-1.yaml":    `testdata/hostile/start-year-1.yaml:3:8: start: 0001-01-01T00:00:00Z is outside the supported range [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)`,
	"times-out-of-range.yaml": `testdata/hostile/times-out-of-range.yaml:5:8: until: 2250-01-01T00:00:00Z is outside the supported range [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)
testdata/hostile/times-out-of-range.yaml:9:48: issued: start-21000d (1968-09-01T00:00:00Z) is outside the supported range [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)
testdata/hostile/times-out-of-range.yaml:10:83: not_after: 2200-01-01T00:00:00Z is outside the supported range [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)
testdata/hostile/times-out-of-range.yaml:13:10: at: next.issued+36500d (2249-12-08T00:00:00Z) is outside the supported range [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)
testdata/hostile/times-out-of-range.yaml:14:10: at: next.expiry+36500d (2250-06-24T00:00:00Z) is outside the supported range [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)
testdata/hostile/times-out-of-range.yaml:16:32: renewed_after: 1969-12-31T23:59:59Z is outside the supported range [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)`,
	"horizon-past-the-ca.yaml": `testdata/hostile/horizon-past-the-ca.yaml:4:8: the default until (2199-09-22T00:00:00Z, the latest expiry + 7d) plus the profile's longest lifetime (395d) is after 2199-12-31T00:00:00Z, when the simulator CA expires: a certificate renewed then would outlive its issuer; end the scenario by 2198-12-01T00:00:00Z`,
	"expiry-past-2200.yaml": `testdata/hostile/expiry-past-2200.yaml:4:8: until start+1d (2199-12-02T00:00:00Z) plus the profile's longest lifetime (395d) is after 2199-12-31T00:00:00Z, when the simulator CA expires: a certificate renewed then would outlive its issuer; end the scenario by 2198-12-01T00:00:00Z
testdata/hostile/expiry-past-2200.yaml:5:16: certificate "web" expires at 2200-06-17T00:00:00Z (issued + 198d, the profile's lifetime), outside the supported range [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)`,
	"retry-interval-1ns.yaml": `testdata/hostile/retry-interval-1ns.yaml:4:29: retry_interval: 1ns is out of range (want 1m to 30d)`,
	"lifetime-2s.yaml": `testdata/hostile/lifetime-2s.yaml:6:30: public_validity: 2s is out of range (want 2d to 3650d)
testdata/hostile/lifetime-2s.yaml:6:49: public_window: 1s is out of range (want 1h to 3649d)`,
	"knobs-out-of-range.yaml": `testdata/hostile/knobs-out-of-range.yaml:6:20: public_window: 45d is out of range (want 1h to 19d, public_validity 20d minus a day)
testdata/hostile/knobs-out-of-range.yaml:6:20: email_before: 45d is out of range (want 1h to 20d, public_validity)
testdata/hostile/knobs-out-of-range.yaml:7:22: approval_link_ttl: 1s is out of range (want 1m to 365d)
testdata/hostile/knobs-out-of-range.yaml:8:20: max_cname_chain: 1000 is out of range (want 0 to 16)
testdata/hostile/knobs-out-of-range.yaml:9:16: issue_delay: 30d is out of range (want 0 to 7d)
testdata/hostile/knobs-out-of-range.yaml:10:15: status_lag: 8d is out of range (want 0 to 7d)
testdata/hostile/knobs-out-of-range.yaml:11:22: email_resend_days: day 15 is listed twice
testdata/hostile/knobs-out-of-range.yaml:12:19: private_window: 395d is out of range (want 1h to 394d, private_validity 395d minus a day)
testdata/hostile/knobs-out-of-range.yaml:13:32: approaching_expiration_days: 1000000000 is out of range (want 0 to 3650)
testdata/hostile/knobs-out-of-range.yaml:14:20: transition_date: 1900-01-01 is out of range (want none or a date in [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z))`,
	"arn-injection.yaml": `testdata/hostile/arn-injection.yaml:5:22: account: want 12 digits like 123456789012, got "../../../etc/passwd"
testdata/hostile/arn-injection.yaml:5:53: region: want an AWS region like us-east-1 (^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$), got "us-east-1\"}],\"x\":\"\n"`,
	"generate-records.yaml": generateRecordsWant(),
	"include-record.yaml": `testdata/hostile/include-record.yaml:8:7: records: item 1: $INCLUDE is not supported: a scenario holds its records itself and reads no other file
testdata/hostile/include-record.yaml:14:13: record: $GENERATE is not supported: list each record the scenario needs`,
	"too-many-names.yaml": `testdata/hostile/too-many-names.yaml:7:11: sans: a certificate has at most 100 names, the domain and 99 sans (ACM's limit); got 100 sans`,
}

func generateRecordsWant() string {
	var lines []string
	for i := range 16 {
		lines = append(lines, fmt.Sprintf("testdata/hostile/generate-records.yaml:%d:7: records: item %d: $GENERATE is not supported: list each record the scenario needs", 8+i, i+1))
	}
	return strings.Join(lines, "\n")
}

func TestHostileFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/hostile/*.yaml")
	require.NoError(t, err)
	require.Len(t, files, len(hostileCases), "every fixture has its expected message, and every message its fixture")
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			want, ok := hostileCases[filepath.Base(path)]
			require.True(t, ok, "no expected message for %s", path)
			sc, err := Load(path)
			assert.Nil(t, sc)
			require.Error(t, err)
			assert.Equal(t, want, err.Error())
		})
	}
}

// brokenCertificates is a file with n certificates and n timeline entries,
// every one broken, in ways that used to cost time quadratic in n: all share
// one name, half repeat an id, each names an unknown resource, and each
// entry names an unknown certificate (whose "known: …" list named them all)
// or a name no e-mail-validated certificate has. It has 5n/2 problems.
func brokenCertificates(n int) []byte {
	var b strings.Builder
	b.WriteString("name: broken\nstart: 2026-03-01T00:00:00Z\ncertificates:\n")
	for i := range n {
		v := "dns"
		if i%10 == 0 {
			v = "email"
		}
		fmt.Fprintf(&b, "  - {id: c%d, domain: example.com, validation: %s, in_use_by: [nowhere]}\n", i%(n-n/2), v)
	}
	b.WriteString("timeline:\n")
	for i := range n {
		if i%2 == 0 {
			fmt.Fprintf(&b, "  - {at: start+1d, do: export, cert: x%d}\n", i)
		} else {
			fmt.Fprintf(&b, "  - {at: start+1d, do: click-approval, domain: www%d.example.com}\n", i)
		}
	}
	return []byte(b.String())
}

// A file broken everywhere reports its first 100 problems, in order, and
// counts the rest.
func TestManyProblemsAreCapped(t *testing.T) {
	const n = 4000
	_, err := Parse("b.yaml", brokenCertificates(n))
	require.Error(t, err)
	errs := err.(Errors)
	assert.Equal(t, 5*n/2, len(errs), "the value holds every problem")
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, MaxReported+1)
	assert.Equal(t, `b.yaml:4:66: in_use_by: unknown resource "nowhere" (the scenario declares no resources)`, lines[0])
	assert.Equal(t, fmt.Sprintf("… and %d more problems", 5*n/2-MaxReported), lines[MaxReported])
	for i := 1; i < MaxReported; i++ {
		assert.True(t, errs[i-1].Line <= errs[i].Line, "sorted by position")
	}
	tail := errs[len(errs)-1].Error()
	assert.Equal(t, fmt.Sprintf(`b.yaml:%d:48: domain: click-approval needs a name of an e-mail-validated certificate; no certificate has the name "www%d.example.com" (e-mail-validated names: example.com)`, 4+n+n, n-1), tail)
	unknown := errs[len(errs)-2].Error()
	assert.Contains(t, unknown, `cert: unknown certificate "x3998" (known: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, … (2000 in all))`)

	one := Errors{{File: "f", Line: 1, Col: 1, Msg: "a"}}
	assert.Equal(t, "f:1:1: a", one.Error())
	for range MaxReported {
		one = append(one, &Error{File: "f", Line: 2, Col: 1, Msg: "b"})
	}
	assert.True(t, strings.HasSuffix(one.Error(), "\nf:2:1: b\n… and 1 more problem"))
}

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
	_, err := Parse("z.yaml", doc(maxZoneLines+1, ""))
	assert.EqualError(t, err, "z.yaml:6:7: records: item 1: the scenario's zone holds more than 100000 zone-file lines (dns.records and dns-add together)")

	// Exactly the limit in dns.records is fine: the first dns-add crosses
	// it, and only it is reported.
	_, err = Parse("z.yaml", doc(maxZoneLines, "timeline:\n  - {at: start+1d, do: dns-add, record: 'x.example.com. A 192.0.2.2'}\n  - {at: start+2d, do: dns-add, record: 'y.example.com. A 192.0.2.2'}\n"))
	assert.EqualError(t, err, "z.yaml:100010:41: record: the scenario's zone holds more than 100000 zone-file lines (dns.records and dns-add together)")
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

var hostileOut = flag.String("hostile-out", "", "write the generated hostile scenarios (1,000,000 timeline entries, 100,000 broken certificates) into `DIR`, for measuring the CLI")

// TestWriteHostileFiles writes the inputs too big to commit, when asked:
//
//	go test ./scenarios -run TestWriteHostileFiles -hostile-out /tmp/hostile
//	/usr/bin/time -v go run ./cmd/renewsim run /tmp/hostile/timeline-1m.yaml
func TestWriteHostileFiles(t *testing.T) {
	if *hostileOut == "" {
		t.Skip("-hostile-out not given")
	}
	require.NoError(t, os.MkdirAll(*hostileOut, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(*hostileOut, "timeline-1m.yaml"), timelineScenario(1_000_000), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(*hostileOut, "broken-100k.yaml"), brokenCertificates(100_000), 0o644))
}

// BenchmarkParseBroken shows the cost of a broken file growing linearly
// with its size: ns/cert stays flat from 1,000 to 100,000 certificates.
func BenchmarkParseBroken(b *testing.B) {
	for _, n := range []int{1000, 10_000, 100_000} {
		data := brokenCertificates(n)
		b.Run(fmt.Sprint("certs=", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := Parse("b.yaml", data); err == nil {
					b.Fatal("no error")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/cert")
		})
	}
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

// BenchmarkParseFleet is the loader's share of a big account: the synthetic
// fleet renewsim check's benchmarks run, mostly certificates and resources.
func BenchmarkParseFleet(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		data := SyntheticFleet(n, 1)
		b.Run(fmt.Sprint("certs=", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := Parse("f.yaml", data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/cert")
		})
	}
}

// BenchmarkParseLibrary loads every shipped scenario: small files that use
// every kind of key, expectation and timeline action.
func BenchmarkParseLibrary(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		if _, err := Library(); err != nil {
			b.Fatal(err)
		}
	}
}
