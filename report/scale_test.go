package report_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// fleetScenario is the result of a synthetic fleet of n certificates,
// each on a resource of its own (fixture.NewFleet): every 50th expires
// and its resource serves it expired until the end.
func fleetScenario(n int) *result.Scenario {
	spec, log := fixture.NewFleet(n, fixture.FleetOptions{PerResource: 1})
	sc := result.Build(spec, 1, log)
	return &sc
}

// textBox is where one string is drawn, in the canvas's coordinates.
type textBox struct {
	s                      string
	minX, minY, maxX, maxY float64
}

// drawnTexts draws the timeline on a recorder at its size and returns
// where each string went: the box from the font's width, ascent and
// descent, through the transforms in force (the rotated axis labels).
func drawnTexts(t *testing.T, tl *report.Timeline) (w, h vg.Length, boxes []textBox) {
	t.Helper()
	w, h, boxes, _ = drawnShapes(t, tl)
	return w, h, boxes
}

// drawnShapes is drawnTexts, and the bounding box of every filled path by
// its colour ("#rrggbb").
func drawnShapes(t *testing.T, tl *report.Timeline) (w, h vg.Length, boxes []textBox, fills map[string][]textBox) {
	t.Helper()
	fills = map[string][]textBox{}
	colour := ""
	w, h = tl.Size()
	var rec recorder.Canvas
	tl.Draw(draw.NewCanvas(&rec, w, h))
	type affine [6]float64 // x' = a*x + c*y + e, y' = b*x + d*y + f
	mul := func(m, n affine) affine {
		return affine{
			m[0]*n[0] + m[2]*n[1], m[1]*n[0] + m[3]*n[1],
			m[0]*n[2] + m[2]*n[3], m[1]*n[2] + m[3]*n[3],
			m[0]*n[4] + m[2]*n[5] + m[4], m[1]*n[4] + m[3]*n[5] + m[5],
		}
	}
	m := affine{1, 0, 0, 1, 0, 0}
	var stack []affine
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.Push:
			stack = append(stack, m)
		case *recorder.Pop:
			m, stack = stack[len(stack)-1], stack[:len(stack)-1]
		case *recorder.Translate:
			m = mul(m, affine{1, 0, 0, 1, a.Point.X.Points(), a.Point.Y.Points()})
		case *recorder.Rotate:
			s, c := math.Sincos(a.Angle)
			m = mul(m, affine{c, s, -s, c, 0, 0})
		case *recorder.Scale:
			m = mul(m, affine{a.X, 0, 0, a.Y, 0, 0})
		case *recorder.SetColor:
			r, g, b, _ := a.Color.RGBA()
			colour = fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
		case *recorder.Fill:
			f := textBox{s: colour, minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
			for _, c := range a.Path {
				if c.Type == vg.MoveComp || c.Type == vg.LineComp {
					x, y := c.Pos.X.Points(), c.Pos.Y.Points()
					x, y = m[0]*x+m[2]*y+m[4], m[1]*x+m[3]*y+m[5]
					f.minX, f.maxX = min(f.minX, x), max(f.maxX, x)
					f.minY, f.maxY = min(f.minY, y), max(f.maxY, y)
				}
			}
			fills[colour] = append(fills[colour], f)
		case *recorder.FillString:
			face := font.DefaultCache.Lookup(a.Font, a.Size)
			ext := face.Extents()
			x0, x1 := a.Point.X.Points(), (a.Point.X + face.Width(a.String)).Points()
			y0, y1 := (a.Point.Y - ext.Descent).Points(), (a.Point.Y + ext.Ascent).Points()
			b := textBox{s: a.String, minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
			for _, p := range [][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
				x, y := m[0]*p[0]+m[2]*p[1]+m[4], m[1]*p[0]+m[3]*p[1]+m[5]
				b.minX, b.maxX = min(b.minX, x), max(b.maxX, x)
				b.minY, b.maxY = min(b.minY, y), max(b.maxY, y)
			}
			boxes = append(boxes, b)
		}
	}
	return w, h, boxes, fills
}

// assertTextFits checks that every string is drawn inside the canvas and
// that no two overlap. A font's ascent and descent leave room above and
// below the letters, so boxes may touch by a point.
func assertTextFits(t *testing.T, name string, tl *report.Timeline) []textBox {
	t.Helper()
	w, h, boxes := drawnTexts(t, tl)
	const slack = 1.0
	for _, b := range boxes {
		assert.True(t, b.minX >= -slack && b.maxX <= w.Points()+slack && b.minY >= -slack && b.maxY <= h.Points()+slack,
			"%s: %q runs off the %.0f×%.0f canvas: x %.1f–%.1f, y %.1f–%.1f", name, b.s, w.Points(), h.Points(), b.minX, b.maxX, b.minY, b.maxY)
	}
	// Sorted by left edge, each box is compared with those that start
	// before it ends.
	slices.SortFunc(boxes, func(a, b textBox) int { return int(math.Copysign(1, a.minX-b.minX)) })
	overlaps := 0
	for i, a := range boxes {
		for _, b := range boxes[i+1:] {
			if b.minX >= a.maxX-slack {
				break
			}
			if b.minY < a.maxY-slack && a.minY < b.maxY-slack {
				overlaps++
				if overlaps <= 5 {
					t.Errorf("%s: %q and %q overlap", name, a.s, b.s)
				}
			}
		}
	}
	assert.Zero(t, overlaps, "%s: strings drawn over each other", name)
	return boxes
}

// Every timeline, small or at fleet size, draws its text inside the
// picture and never one string over another.
func TestTimelineTextFitsAndDoesNotOverlap(t *testing.T) {
	long := fleetScenario(3)
	long.Name = strings.Repeat("a-scenario-with-a-very-long-name-", 6)
	alarmed := &runLibrary(t, "alarms-after-the-2026-change").Scenarios[0]
	require.NotEmpty(t, alarmed.Alarms)
	alarmed.Alarms[0].Name = strings.Repeat("an-alarm-whose-name-goes-on-", 12)
	cases := map[string]*report.Timeline{
		"long alarm name":   report.TimelineOf(alarmed),
		"dns-missing-cname": report.TimelineOf(&runLibrary(t, "dns-missing-cname").Scenarios[0]),
		"busy":              report.NewTimeline("busy", fixture.Busy()),
		"long name":         report.TimelineOf(long),
		"50 certificates":   report.TimelineOf(fleetScenario(50)),
		"1,000":             report.TimelineOf(fleetScenario(1000)),
	}
	for name, tl := range cases {
		boxes := assertTextFits(t, name, tl)
		assert.NotEmpty(t, boxes, name)
		// gonum's SVG writes five significant digits: past 100,000 points
		// a coordinate is rounded to 10, and lines 13 points apart land on
		// each other (the wall of red text of a 1,000-certificate
		// timeline drawn one lane each).
		var buf bytes.Buffer
		require.NoError(t, tl.WriteSVG(&buf))
		assert.NotContains(t, buf.String(), "e+0", "%s: a coordinate in exponent form has lost its precision", name)
	}
}

// Below the fleet size, a timeline keeps a lane per certificate and
// resource, but its verdict never takes more than three lines: the bad
// news first, then "… and N more".
func TestTimelineCaptionIsBounded(t *testing.T) {
	tl := report.TimelineOf(fleetScenario(50))
	require.False(t, tl.AtFleetSize(), "50 certificates are drawn one by one")
	assert.Len(t, tl.Lanes, 1+50+50, "the world, 50 certificates, 50 resources")
	verdict, bad := tl.Verdict()
	assert.True(t, bad)
	assert.Equal(t, 99, strings.Count(verdict, "  ·  "), "Verdict still says every lane")

	_, _, boxes := drawnTexts(t, tl)
	// The caption is what is drawn in the subtitle's bold 11pt between the
	// title and the lanes: the lines that name a certificate's fate.
	var caption []string
	for _, b := range boxes {
		if strings.Contains(b.s, "  ·  ") {
			caption = append(caption, b.s)
		}
	}
	require.NotEmpty(t, caption)
	assert.LessOrEqual(t, len(caption), 3)
	assert.True(t, strings.HasPrefix(caption[0], "cert-00007 EXPIRED"), "the expiry comes first: %q", caption[0])
	assert.Contains(t, caption[0], "res-00007 OUTAGE", "then the outage")
	assert.Regexp(t, `… and \d+ more$`, caption[len(caption)-1])
	m := regexp.MustCompile(`… and (\d+) more$`).FindStringSubmatch(caption[len(caption)-1])
	shown := 0
	for _, c := range caption {
		shown += strings.Count(c, "  ·  ") + 1
	}
	var more int
	_, err := fmt.Sscan(m[1], &more)
	require.NoError(t, err)
	assert.Equal(t, 100, shown-1+more, "every lane is shown or counted")
}

// At fleet size the timeline is the fleet page's aggregate chart: its
// size does not grow with the fleet, and its lanes are the certificates
// that expired, the first to expire first.
func TestTimelineAtFleetSizeIsTheAggregateChart(t *testing.T) {
	var sizes []int
	for _, n := range []int{51, 1000, 2100, 4200} {
		tl := report.TimelineOf(fleetScenario(n))
		require.True(t, tl.AtFleetSize(), "%d certificates", n)
		var buf bytes.Buffer
		require.NoError(t, tl.WriteSVG(&buf))
		sizes = append(sizes, buf.Len())
		w, h := tl.Size()
		assert.Equal(t, 900.0, w.Points(), "1200 CSS pixels wide")
		assert.Less(t, h.Points(), 1500.0, "at most 40 lanes tall")
		texts := svgTexts(t, buf.Bytes())
		// No number or name is drawn over a weekly bar (green renewals,
		// red expiries; the legend's swatches are beside their text).
		_, _, boxes, fills := drawnShapes(t, tl)
		for _, b := range boxes {
			for _, f := range append(fills["#1b7f3b"], fills["#b2182b"]...) {
				if b.minX < f.maxX-0.5 && f.minX < b.maxX-0.5 && b.minY < f.maxY-0.5 && f.minY < b.maxY-0.5 {
					t.Errorf("%d certificates: %q is drawn over a bar at x %.1f–%.1f", n, b.s, f.minX, f.maxX)
					break
				}
			}
		}
		expired := n / 50
		if n%50 > 7 {
			expired++
		}
		assert.Contains(t, texts, fmt.Sprintf("%s certificates: %d expired · %s renewed · outage on %d of %s resources",
			thousands(n), expired, thousands(n-expired), expired, thousands(n)))
		var dates []string
		for _, s := range texts {
			if _, d, ok := strings.Cut(s, " · expired "); ok {
				dates = append(dates, d)
			}
		}
		assert.Len(t, dates, min(expired, 40))
		assert.True(t, slices.IsSorted(dates), "the first to expire first: %v", dates)
		if expired > 40 {
			assert.Contains(t, texts, fmt.Sprintf("and %d more that expired or fail at the end, not drawn: see the report's table", expired-40))
		}
	}
	// From 2,100 certificates on, more than 40 expire: the chart is as
	// large as it gets.
	assert.Less(t, sizes[3], 150_000, "the SVG of 4,200 certificates")
	assert.Less(t, float64(sizes[3]), 1.05*float64(sizes[2]), "4,200 certificates draw no more than 2,100: %v", sizes)
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// The event log is written line by line without json.Encoder, and reads
// the same.
func TestEventLinesAreWhatTheEncoderWrites(t *testing.T) {
	logs := map[string][]sim.Entry{"busy": fixture.Busy()}
	for _, sc := range runLibrary(t, "dns-missing-cname", "email-no-mailbox").Scenarios {
		logs[sc.Name] = sc.Log()
	}
	for name, log := range logs {
		var got, want bytes.Buffer
		require.NoError(t, report.WriteEventLines(&got, name, log))
		enc := jsonEncoder(&want)
		for _, e := range log {
			require.NoError(t, enc.Encode(report.LogLine{Scenario: name, Entry: e}))
		}
		assert.True(t, bytes.Equal(want.Bytes(), got.Bytes()), "%s: the lines differ from json.Encoder's", name)
	}
}

// jsonEncoder is how the event log was written before: json.Encoder,
// HTML left alone.
func jsonEncoder(w *bytes.Buffer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// A gzip-compressed event log reads back as the plain one, and the same
// summary compresses to the same bytes.
func TestEventsGzipReadsBackAsThePlainLog(t *testing.T) {
	sum := runLibrary(t, "dns-missing-cname", "email-no-mailbox")
	var plain, gz, again bytes.Buffer
	require.NoError(t, report.WriteEvents(&plain, sum))
	require.NoError(t, report.WriteEventsGzip(&gz, sum))
	require.NoError(t, report.WriteEventsGzip(&again, sum))
	assert.True(t, bytes.Equal(gz.Bytes(), again.Bytes()), "the same summary, the same bytes")
	assert.Less(t, gz.Len(), plain.Len()/5)

	zr, err := gzip.NewReader(bytes.NewReader(gz.Bytes()))
	require.NoError(t, err)
	unzipped, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(plain.Bytes(), unzipped), "gzip -d gives the plain log")
	assert.Empty(t, zr.Header.Name, "no name in the header")
	assert.True(t, zr.Header.ModTime.IsZero(), "no time in the header")

	names, logs, err := report.ReadEvents(bytes.NewReader(gz.Bytes()))
	require.NoError(t, err)
	pnames, plogs, err := report.ReadEvents(bytes.NewReader(plain.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, pnames, names)
	assert.Equal(t, len(plogs["dns-missing-cname"]), len(logs["dns-missing-cname"]))
	assert.Equal(t, plogs, logs)

	_, _, err = report.ReadEvents(bytes.NewReader(gz.Bytes()[:gz.Len()/2]))
	assert.Error(t, err, "a cut-off log is an error, not a shorter log")
}

// A report directory with a scenario at fleet size: its section leads
// with the counts, the failing certificates (most urgent first) and the
// outages, draws the aggregate timeline, and drills down into each
// failing certificate; the summary table gives it one line; the event log
// is gzip-compressed; a small scenario beside it keeps its section.
func TestReportAtFleetSize(t *testing.T) {
	sum := runLibrary(t, "dns-missing-cname")
	fl := fleetScenario(1000)
	sum.Scenarios = append(sum.Scenarios, *fl)
	dir := t.TempDir()
	files, err := report.WriteDir(dir, sum, report.DirOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"dns-missing-cname.svg", "fleet-1000.svg", "index.html", "results.json", "events.jsonl.gz"}, files)

	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	require.NoError(t, err)
	d := parsePage(t, page)
	assert.Empty(t, d.external, "the page needs nothing but itself")
	for _, h := range d.hrefs {
		assert.True(t, d.ids[strings.TrimPrefix(h, "#")], "the link %s lands nowhere", h)
	}
	has := func(s, msg string) {
		t.Helper()
		assert.True(t, strings.Contains(d.text, s), "the page lacks %q: %s", s, msg)
	}
	has("1,000 certificates: 20 expired · 980 renewed · outage on 20 of 1,000 resources", "the verdict")
	has("Certificates that expired or fail at the end: 20", "the failing certificates")
	has("Outages: 20", "the outages")
	has("validation failed: NXDOMAIN", "the cause, from the record")
	has("events.jsonl.gz beside this page holds every one", "where the record is")
	summary := string(page[bytes.Index(page, []byte(`<table class="summary">`)):bytes.Index(page, []byte("</table>"))])
	lines := regexp.MustCompile(`(?s)<tr[ >].*?</tr>`).FindAllString(summary, -1)
	require.Len(t, lines, 1+1+1, "the header, dns-missing-cname, and one line for the fleet")
	assert.Regexp(t, `<td colspan="4"><a href="#fleet-1000">1,000 certificates: 20 expired · 980 renewed</a></td><td class="outage">20 of 1,000 resources, the longest res-\d+ 642d19h</td>`, lines[2])

	// The failing certificates, the first to expire first: cert-00007,
	// 00057, … expire in the order of their NotAfter, not of their ids.
	section := string(page[bytes.Index(page, []byte(`id="fleet-1000"`)):])
	var order []string
	for _, m := range regexp.MustCompile(`<details class="cert" id="cert-fleet-1000-(cert-\d+)">`).FindAllStringSubmatch(section, -1) {
		order = append(order, m[1])
	}
	require.Len(t, order, 20, "a drill-down per failing certificate")
	var expiries []time.Time
	for _, id := range order {
		for _, c := range fl.Certificates {
			if c.ID == id {
				require.NotNil(t, c.ExpiredAt, id)
				expiries = append(expiries, *c.ExpiredAt)
			}
		}
	}
	assert.True(t, slices.IsSortedFunc(expiries, func(a, b time.Time) int { return a.Compare(b) }), "most urgent first: %v", order)
	// The first rows of the table are the same certificates, in the same order.
	top := regexp.MustCompile(`<tr><td><a href="#cert-fleet-1000-(cert-\d+)">`).FindAllStringSubmatch(section, -1)
	require.GreaterOrEqual(t, len(top), 15)
	for i := range 15 {
		assert.Equal(t, order[i], top[i][1])
	}
	assert.Equal(t, 1+1+min(20, 50), d.svgs, "the small scenario's timeline, the aggregate, and one per failing certificate")
	assert.NotContains(t, section, `<table class="events">`+"\n<thead><tr><th>Time (UTC)</th><th>Kind</th>", "no table of the whole record")
	assert.Contains(t, string(page), `<section class="scenario pass" id="dns-missing-cname">`, "the small scenario keeps its section")
	assert.Contains(t, string(page), "Event log: ", "and its event log")

	// The same summary, the same bytes, with one core as with several.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	again := t.TempDir()
	_, err = report.WriteDir(again, sum, report.DirOptions{})
	require.NoError(t, err)
	for _, name := range files {
		a, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(again, name))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs between two writes", name)
	}

	f, err := os.Open(filepath.Join(dir, "events.jsonl.gz"))
	require.NoError(t, err)
	defer f.Close()
	names, logs, err := report.ReadEvents(f)
	require.NoError(t, err)
	assert.Equal(t, []string{"dns-missing-cname", "fleet-1000"}, names)
	assert.Len(t, logs["fleet-1000"], len(fl.Log()), "the event log stays complete")
}

// The page of a scenario at fleet size grows by a table row per
// certificate that renews and a few lines per one that fails, whatever
// the length of the record.
func TestReportAtFleetSizeGrowsLinearly(t *testing.T) {
	size := func(n int) int {
		var buf bytes.Buffer
		require.NoError(t, report.WriteHTML(&buf, &result.Summary{Scenarios: []result.Scenario{*fleetScenario(n)}}))
		return buf.Len()
	}
	small, large := size(1000), size(2000)
	// 1,000 more certificates: 980 more rows and 20 more failing
	// certificates, whose timelines the page already draws.
	per := float64(large-small) / 1000
	t.Logf("1,000 certificates: %d bytes; 2,000: %d bytes; %.0f bytes per certificate more", small, large, per)
	// About 200 in the table of the certificates that renew, 300 in the
	// expectations that held (this fleet states one or two of them per
	// certificate), the rest the failing ones.
	assert.Less(t, per, 1100.0, "bytes per certificate")
	assert.Less(t, large, 2_500_000)
}

// The Markdown summary gives a scenario at fleet size one line of counts
// and a section of its failing certificates, by cause and the most urgent
// first: a page long, whatever the size of the fleet.
func TestMarkdownAtFleetSize(t *testing.T) {
	sum := runLibrary(t, "dns-missing-cname")
	sum.Scenarios = append(sum.Scenarios, *fleetScenario(1000))
	var buf bytes.Buffer
	require.NoError(t, report.WriteMarkdown(&buf, sum))
	md := buf.String()
	assert.Less(t, len(md), 8000, "a page long")
	assert.Contains(t, md, "| dns-missing-cname | ✅ PASS | web | expired | — | — | **alb-prod 7d** | 5/5 |\n", "a small scenario keeps its line")
	assert.Regexp(t, `\| fleet-1000 \| ❌ FAIL \| 1,000 certificates: 20 expired · 980 renewed \| — \| — \| — \| \*\*20 of 1,000 resources, the longest res-\d+ 642d19h\*\* \| 1082/1102 \|\n`, md)
	assert.Contains(t, md, "### fleet-1000: 20 certificates expired or fail at the end\n")
	assert.Contains(t, md, "| validation failed: NXDOMAIN | 20 | `cert-00307`, `cert-00907`, `cert-00157`, `cert-00757`, `cert-00007`, `cert-00607` and 14 more |\n")
	assert.Contains(t, md, "The 15 most urgent:\n\n- `cert-00307` EXPIRED 2026-05-28 05:00: validation failed: NXDOMAIN; **outage res-00307 642d19h**\n")
	assert.Equal(t, 15, strings.Count(md, "\n- `cert-"), "the 15 most urgent")
}
