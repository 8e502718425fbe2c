package report_test

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/internal/junitschema"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// handCheck is a small fleet check built by hand: every verdict once, text
// that needs escaping in XML, HTML and Markdown, a shared record and notes.
func handCheck() *fleet.Report {
	at := func(s string) *time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return &t
	}
	now, until := *at("2026-04-01T00:00:00Z"), *at("2028-03-31T00:00:00Z")
	return counted(&fleet.Report{
		Account: "123456789012", Region: "us-east-1", Profile: "acm-2026", Now: now, Until: until,
		Certificates: []*fleet.Entry{
			{ID: "gone", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/1", Domains: []string{"gone.example.com"}, Type: "AMAZON_ISSUED", Status: "EXPIRED",
				NotAfter: *at("2026-03-03T00:00:00Z"), Verdict: fleet.VerdictExpired, Date: at("2026-03-03T00:00:00Z"),
				Reason: "already expired on 2026-03-03", Fix: "request a new certificate"},
			{ID: "api", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/2", Domains: []string{"api.example.com", "*.api.example.com"}, Type: "AMAZON_ISSUED", Status: "ISSUED",
				NotAfter: *at("2026-09-06T00:00:00Z"), Simulated: true, Verdict: fleet.VerdictExpires, Date: at("2026-09-06T00:00:00Z"),
				Reason: "CNAME <missing> & \"gone\" | _x_ `y`",
				Fix:    "add _x.api.example.com. CNAME _y.acm-validations.aws.", Notes: []string{"a note with\na newline"}},
			{ID: "status", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/3", Domains: []string{"status.example.net"},
				Verdict: fleet.VerdictCannotTell, Reason: "no zone data for status.example.net", Fix: "export the zone"},
			{ID: "slow", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/4", Domains: []string{"slow.example.com"}, Type: "AMAZON_ISSUED", Status: "ISSUED",
				NotAfter: *at("2028-09-01T00:00:00Z"), Simulated: true, Verdict: fleet.VerdictUndecided,
				Reason: "the horizon ends first", Fix: "run again with a later -until"},
			{ID: "www", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/5", Domains: []string{"www.example.com"}, Type: "AMAZON_ISSUED", Status: "ISSUED",
				NotAfter: *at("2026-09-24T00:00:00Z"), Simulated: true, Verdict: fleet.VerdictRenews, Date: at("2026-08-10T00:00:00Z"),
				Renewals: []time.Time{*at("2026-08-10T00:00:00Z"), *at("2027-01-10T00:00:00Z")}, Reason: "its CNAME is in place"},
			{ID: "pending", ARN: "arn:aws:acm:us-east-1:123456789012:certificate/6", Domains: []string{"pending.example.com"}, Type: "AMAZON_ISSUED", Status: "PENDING_VALIDATION",
				Verdict: fleet.VerdictNotIssued, Reason: "never validated"},
		},
		Shared: []fleet.SharedRecord{{Record: "_x.example.com.", Value: "_y.acm-validations.aws.", Certificates: []string{"api", "www"}}},
		Notes:  []string{"DaysBeforeExpiry is 50 <sic>"},
	})
}

// counted sets the counts of a report built or changed by hand.
func counted(f *fleet.Report) *fleet.Report {
	f.Counts = fleet.CountsOf(f.Certificates)
	return f
}

// syntheticCheck is the check a fleet of n synthetic certificates would
// get (see fixture.NewFleet): the run's outcomes as verdicts, most urgent
// first, and a few certificates that were not simulated.
func syntheticCheck(n int) (*fleet.Report, *result.Scenario) {
	spec, log := fixture.Fleet(n)
	run := result.Build(spec, 1, log)
	f := &fleet.Report{Account: "123456789012", Region: "us-east-1", Profile: spec.ProfileName, Now: spec.Start, Until: spec.Until}
	for i, c := range run.Certificates {
		s := &spec.Certificates[i]
		fc := &fleet.Entry{ID: c.ID, ARN: fmt.Sprintf("arn:aws:acm:us-east-1:123456789012:certificate/%d", i),
			Domains: append([]string{s.Domain}, s.SANs...), Type: "AMAZON_ISSUED", Status: "ISSUED", NotAfter: c.NotAfter, Simulated: true}
		switch c.Outcome {
		case sim.OutcomeRenewed:
			fc.Verdict, fc.Date, fc.Renewals = fleet.VerdictRenews, c.RenewedAt, []time.Time{*c.RenewedAt}
			fc.Reason = "its CNAME is in place"
		case sim.OutcomeExpired:
			fc.Verdict, fc.Date = fleet.VerdictExpires, c.ExpiredAt
			fc.Reason = "CNAME missing: _x." + s.Domain + ". does not exist (NXDOMAIN)"
			fc.Fix = "add _x." + s.Domain + ". back"
		default:
			fc.Verdict, fc.Reason = fleet.VerdictUndecided, "the horizon ends first"
		}
		f.Certificates = append(f.Certificates, fc)
	}
	for i := range 3 {
		f.Certificates = append(f.Certificates,
			&fleet.Entry{ID: fmt.Sprintf("listed-%d", i), Domains: []string{fmt.Sprintf("l%d.example.net", i)}, Verdict: fleet.VerdictCannotTell,
				Reason: "no describe output"},
			&fleet.Entry{ID: fmt.Sprintf("old-%d", i), Domains: []string{fmt.Sprintf("o%d.example.com", i)}, Status: "EXPIRED",
				NotAfter: spec.Start.AddDate(0, 0, -i-1), Date: ptrTime(spec.Start.AddDate(0, 0, -i-1)), Verdict: fleet.VerdictExpired,
				Reason: "already expired"})
	}
	key := func(c *fleet.Entry) time.Time {
		if c.Date != nil {
			return *c.Date
		}
		return c.NotAfter
	}
	slices.SortStableFunc(f.Certificates, func(a, b *fleet.Entry) int {
		return cmp.Or(cmp.Compare(slices.Index(fleet.Verdicts, a.Verdict), slices.Index(fleet.Verdicts, b.Verdict)), key(a).Compare(key(b)), cmp.Compare(a.ID, b.ID))
	})
	return counted(f), &run
}

func ptrTime(t time.Time) *time.Time { return &t }

// pageDoc is what a fleet page holds, read with an HTML parser.
type pageDoc struct {
	rows     []string // ids of the certificate table's rows
	ids      map[string]bool
	hrefs    []string
	svgs     int
	details  int
	external []string // what would leave the page or fetch something
	text     string
}

func parsePage(t *testing.T, page []byte) pageDoc {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(page))
	require.NoError(t, err)
	d := pageDoc{ids: map[string]bool{}}
	var text strings.Builder
	var walk func(n *html.Node, inCerts, inStyle bool)
	walk = func(n *html.Node, inCerts, inStyle bool) {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
			if inStyle && (strings.Contains(n.Data, "url(") || strings.Contains(n.Data, "@import")) {
				d.external = append(d.external, "a stylesheet that fetches something")
			}
		}
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[strings.ToLower(a.Key)] = a.Val
				switch k := strings.ToLower(a.Key); {
				case k == "href" || k == "xlink:href":
					d.hrefs = append(d.hrefs, a.Val)
					if !strings.HasPrefix(a.Val, "#") {
						d.external = append(d.external, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
					}
				case k == "src" || k == "srcset" || k == "action" || k == "formaction" || k == "poster" || k == "data" || strings.HasPrefix(k, "on"):
					d.external = append(d.external, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
				}
			}
			if id := attr["id"]; id != "" {
				assert.False(t, d.ids[id], "id %q is used twice", id)
				d.ids[id] = true
			}
			switch n.Data {
			case "script", "link", "iframe", "object", "embed", "img", "base":
				d.external = append(d.external, "<"+n.Data+">")
			case "svg":
				d.svgs++
			case "details":
				d.details++
			case "table":
				inCerts = attr["class"] == "certs"
			case "tr":
				if inCerts && n.Parent != nil && n.Parent.Data == "tbody" {
					d.rows = append(d.rows, attr["id"])
				}
			case "style":
				inStyle = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inCerts, inStyle)
		}
	}
	walk(root, false, false)
	d.text = text.String()
	return d
}

// The page has one table row per certificate, in the check's order,
// nothing that leaves the page, every link lands on the page, and a
// drill-down for every certificate that does not renew.
func TestFleetPageHTML(t *testing.T) {
	type page struct {
		f   *fleet.Report
		run *result.Scenario
	}
	synthetic, run := syntheticCheck(1000)
	for name, tc := range map[string]page{"hand": {f: handCheck()}, "synthetic-1000": {synthetic, run}} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, report.WriteFleetHTML(&buf, &report.FleetPage{Check: tc.f, Run: tc.run}))
			d := parsePage(t, buf.Bytes())
			assert.Empty(t, d.external, "the page needs nothing but itself")
			for _, h := range d.hrefs {
				assert.True(t, d.ids[strings.TrimPrefix(h, "#")], "the link %s lands nowhere", h)
			}
			require.Len(t, d.rows, len(tc.f.Certificates), "one row per certificate")
			notRenewing, failed := 0, 0
			for i, c := range tc.f.Certificates {
				assert.Equal(t, "row-"+c.ID, d.rows[i], "row %d", i)
				if c.Verdict != fleet.VerdictRenews {
					notRenewing++
				}
				if (c.Verdict == fleet.VerdictExpires || c.Verdict == fleet.VerdictExpired) && c.Simulated && tc.run != nil {
					failed++
				}
			}
			assert.Equal(t, notRenewing, d.details, "a drill-down per certificate that does not renew")
			assert.Equal(t, 1+min(failed, 50), d.svgs, "the fleet timeline and one per failing certificate")
			c := tc.f.Counts
			for _, want := range []string{tc.f.Headline(tc.f.Certificates[0]), fmt.Sprint(c.Renews) + "renew", fmt.Sprint(c.Expires) + "expire",
				fmt.Sprint(c.CannotTell) + "cannot tell", "Certificate by certificate"} {
				assert.Contains(t, d.text, want)
			}
		})
	}
}

// The hand-built check's text arrives escaped, not as markup.
func TestFleetPageEscapes(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteFleetHTML(&buf, &report.FleetPage{Check: handCheck()}))
	page := buf.String()
	assert.Contains(t, page, "CNAME &lt;missing&gt; &amp; &#34;gone&#34;")
	assert.NotContains(t, page, "<missing>")
	assert.Contains(t, page, "DaysBeforeExpiry is 50 &lt;sic&gt;")
	assert.Contains(t, page, "Nothing was simulated, so there is no story to tell.")
}

// At hundreds of failing certificates the fleet timeline keeps its size:
// the most urgent are lanes, and it says how many more there are.
func TestFleetTimelineCapsLanes(t *testing.T) {
	f := handCheck()
	base := f.Certificates[0]
	f.Certificates = nil
	for i := range 300 {
		c := *base
		c.ID = fmt.Sprintf("gone-%03d", i)
		c.Domains = []string{fmt.Sprintf("gone-%03d.example.com", i)}
		f.Certificates = append(f.Certificates, &c)
	}
	counted(f)
	timeline := func(f *fleet.Report) string {
		dir := t.TempDir()
		files, err := report.WriteFleetDir(dir, &report.FleetPage{Check: f})
		require.NoError(t, err)
		assert.Equal(t, []string{"fleet-timeline.svg", "index.html", "results.json", "events.jsonl"}, files)
		svg, err := os.ReadFile(filepath.Join(dir, "fleet-timeline.svg"))
		require.NoError(t, err)
		return string(svg)
	}
	all := timeline(f)
	assert.Contains(t, all, "and 260 more that expire or have expired, not drawn: see the table")
	assert.Contains(t, all, "gone-039.example.com")
	assert.NotContains(t, all, "gone-040.example.com")
	f.Certificates = f.Certificates[:40]
	drawn := timeline(counted(f))
	assert.NotContains(t, drawn, "more that expire")
	assert.Less(t, len(all), len(drawn)+1000, "300 failing certificates cost the drawing no more than 40")
}

// Past the page's bounds, a failing certificate keeps its verdict and says
// what the page left out.
func TestFleetPageDrillDownBounds(t *testing.T) {
	restore := report.SetFleetLimits(3, 2, 4)
	defer restore()
	f, run := syntheticCheck(400) // 8 expire, every 50th
	c := f.Counts
	require.Equal(t, 8, c.Expires)
	var buf bytes.Buffer
	require.NoError(t, report.WriteFleetHTML(&buf, &report.FleetPage{Check: f, Run: run}))
	d := parsePage(t, buf.Bytes())
	assert.Equal(t, 1+2, d.svgs, "two certificates drawn")
	assert.Equal(t, 8-2, strings.Count(d.text, "Its timeline is not drawn: the page draws the 2 most urgent."))
	notTold := strings.Count(d.text, "Its story is left out: the page tells the 4 most urgent")
	assert.Equal(t, c.Expires+c.Undecided-4, notTold, "stories for the simulated ones past the first 4")
	assert.Contains(t, d.text, fmt.Sprintf("and %d more that expire or have expired", c.Expires+c.Expired-3))
}

// The same check gives the same files, byte for byte.
func TestFleetDirDeterministic(t *testing.T) {
	var dirs []string
	for range 2 {
		f, run := syntheticCheck(300)
		dir := t.TempDir()
		_, err := report.WriteFleetDir(dir, &report.FleetPage{Check: f, Run: run})
		require.NoError(t, err)
		for name, write := range map[string]func(io.Writer, *fleet.Report) error{"junit.xml": report.WriteFleetJUnit, "check.md": report.WriteFleetMarkdown} {
			var buf bytes.Buffer
			require.NoError(t, write(&buf, f))
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644))
		}
		dirs = append(dirs, dir)
	}
	entries, err := os.ReadDir(dirs[0])
	require.NoError(t, err)
	require.Len(t, entries, 6)
	for _, e := range entries {
		a, err := os.ReadFile(filepath.Join(dirs[0], e.Name()))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(dirs[1], e.Name()))
		require.NoError(t, err)
		assert.NotEmpty(t, a, e.Name())
		assert.True(t, bytes.Equal(a, b), "%s differs between two runs", e.Name())
	}
}

// JUnit: one testcase per certificate, a failure for those that will not
// renew or have expired, skipped for those the check cannot settle.
func TestFleetJUnit(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteFleetJUnit(&buf, handCheck()))
	x := buf.String()
	assert.Contains(t, x, `<testsuites name="renewsim check" tests="6" failures="2" errors="0">`)
	assert.Contains(t, x, `skipped="3">`)
	assert.Equal(t, 6, strings.Count(x, "<testcase "))
	assert.Equal(t, 2, strings.Count(x, "<failure "))
	assert.Equal(t, 3, strings.Count(x, "<skipped "))
	assert.Contains(t, x, `<testcase name="api (api.example.com, *.api.example.com)" classname="arn:aws:acm:us-east-1:123456789012:certificate/2">`)
	assert.Contains(t, x, "<failure type=\"expires\" message=\"expires on 2026-09-06 because CNAME &lt;missing&gt; &amp; &#34;gone&#34; | _x_ `y`; fix: add _x.api.example.com. CNAME _y.acm-validations.aws.\">")
	assert.Contains(t, x, `<failure type="expired" message="already expired on 2026-03-03 (not simulated); fix: request a new certificate">`)
	assert.Contains(t, x, `<skipped type="cannot-tell" message="cannot tell: no zone data for status.example.net">`)
	assert.Contains(t, x, `<skipped type="undecided"`)
	assert.Contains(t, x, `<skipped type="not-issued"`)
	assert.Contains(t, x, "renewals: 2026-08-10, 2027-01-10\n")
	assert.Contains(t, x, `<property name="now" value="2026-04-01T00:00:00Z"></property>`)
	assert.NotContains(t, x, "time=", "no wall-clock time")
	assert.NotContains(t, x, "timestamp=")
}

// TestFleetJUnitSchema validates the fleet JUnit of the hand-built check
// and of a synthetic fleet against the Surefire schema CI tools use.
func TestFleetJUnitSchema(t *testing.T) {
	synthetic, _ := syntheticCheck(1000)
	var files []string
	for name, f := range map[string]*fleet.Report{"hand": handCheck(), "synthetic": synthetic} {
		var buf bytes.Buffer
		require.NoError(t, report.WriteFleetJUnit(&buf, f))
		file := filepath.Join(t.TempDir(), name+".xml")
		require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))
		files = append(files, file)
	}
	junitschema.Validate(t, files...)
}

func TestFleetMarkdown(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteFleetMarkdown(&buf, handCheck()))
	md := buf.String()
	assert.Contains(t, md, "## ❌ renewsim check: 6 certificates of account 123456789012 in us-east-1\n")
	assert.Contains(t, md, "| 1 | **1** | **1** | 1 | 1 | 1 |\n", "the counts")
	assert.Contains(t, md, "| ❌ | api.example.com, \\*.api.example.com | api | expires | 2026-09-06 | CNAME &lt;missing&gt; &amp; \"gone\" \\| \\_x\\_ \\`y\\` |", "a cell cannot break the table")
	assert.Contains(t, md, "| ✅ | www.example.com | www | renews | 2026-08-10 (+1 by 2028-03-31) |")
	assert.Contains(t, md, "| ❔ | status.example.net | status | cannot tell | — |")
	assert.Contains(t, md, "a note with a newline")
	assert.Contains(t, md, "- `_x.example.com.` → api, www\n")
	assert.Contains(t, md, "- DaysBeforeExpiry is 50 &lt;sic&gt;\n")
	assert.Equal(t, 2+1+6, strings.Count(md, "\n| "), "the counts' two rows, the table's header and one row per certificate")
}

// A big fleet's Markdown stays under GitHub's step summary limit: the
// first 1000 rows, and how many more.
func TestFleetMarkdownBounded(t *testing.T) {
	f := handCheck()
	base := f.Certificates[4]
	f.Certificates = nil
	for i := range 2500 {
		c := *base
		c.ID = fmt.Sprintf("www-%04d", i)
		f.Certificates = append(f.Certificates, &c)
	}
	counted(f)
	var buf bytes.Buffer
	require.NoError(t, report.WriteFleetMarkdown(&buf, f))
	md := buf.String()
	assert.Contains(t, md, "| www-0999 |")
	assert.NotContains(t, md, "| www-1000 |")
	assert.Contains(t, md, "1500 certificates more, less urgent, are not listed")
	assert.Contains(t, md, "| 2500 | 0 | 0 | 0 | 0 | 0 |")
	assert.Less(t, buf.Len(), 1<<20)
}

// BenchmarkFleetPage writes the fleet page of a synthetic fleet, its
// record read: the table, the fleet timeline, the drill-down with its
// stories and timelines.
func BenchmarkFleetPage(b *testing.B) {
	for _, n := range fixture.FleetSizes {
		f, run := syntheticCheck(n)
		b.Run(fmt.Sprintf("certs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			cpu0, ok := fixture.CPUTime()
			size := 0
			for b.Loop() {
				var buf bytes.Buffer
				if err := report.WriteFleetHTML(&buf, &report.FleetPage{Check: f, Run: run}); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			// After the loop: b.Loop resets what was reported before it.
			b.ReportMetric(float64(len(run.Log())), "entries")
			b.ReportMetric(float64(size), "page-bytes")
			if cpu1, ok1 := fixture.CPUTime(); ok && ok1 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
