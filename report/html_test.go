package report_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
)

// TestHTMLIsSelfContained checks that the report needs nothing but itself:
// no script, no stylesheet or image to fetch, links only within the page.
func TestHTMLIsSelfContained(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteHTML(&buf, library(t)))
	// Text may quote URLs (HTTP validation tokens); only markup and style
	// could fetch them.
	z := html.NewTokenizer(&buf)
	svgs, details, styles := 0, 0, 0
	inStyle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt == html.TextToken && inStyle {
			css := string(z.Text())
			assert.False(t, strings.Contains(css, "url(") || strings.Contains(css, "@import"), "the stylesheet fetches something")
		}
		inStyle = false
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "style":
			inStyle = true
			styles++
		case "script", "link", "iframe", "object", "embed", "img", "base":
			t.Errorf("the report has a <%s> element", tok.Data)
		case "svg":
			svgs++
		case "details":
			details++
		}
		for _, a := range tok.Attr {
			switch strings.ToLower(a.Key) {
			case "href", "xlink:href":
				assert.True(t, strings.HasPrefix(a.Val, "#"), "<%s %s=%q> leaves the page", tok.Data, a.Key, a.Val)
			case "src", "srcset", "action", "formaction", "poster", "data":
				t.Errorf("<%s %s=%q> fetches something", tok.Data, a.Key, a.Val)
			}
			assert.False(t, strings.HasPrefix(strings.ToLower(a.Key), "on"), "event handler %s", a.Key)
		}
	}
	n := len(library(t).Scenarios)
	assert.Equal(t, n, svgs, "one inline plot per scenario")
	assert.Equal(t, n, details, "one collapsible event log per scenario")
	assert.Equal(t, 1, styles, "one inline stylesheet")
}

func TestHTMLContent(t *testing.T) {
	sum := runLibrary(t, "dns-missing-cname", "dns-happy")
	sum.Scenarios[1].Passed = false
	sum.Scenarios[1].Expectations[0].Passed = false
	var buf bytes.Buffer
	require.NoError(t, report.WriteHTML(&buf, sum))
	page := buf.String()
	for _, want := range []string{
		"2 scenarios · 1 passed · 1 failed",
		`<a href="#dns-missing-cname">dns-missing-cname</a>`,
		`<section class="scenario fail" id="dns-happy">`,
		`<td class="outage">alb-prod 7d</td>`,
		"44d23h50m",                                // the margin before expiry
		"<td>outcome renewed</td><td>renewed</td>", // expected and got apart
		"360 validation attempts failed",           // runs of failing attempts are folded
		"could not validate",                       // why the renewal failed
	} {
		assert.True(t, strings.Contains(page, want), "the report lacks %q", want)
	}
}

// An outage is on the line of the certificate that was served expired,
// not on the scenario's first line: busy declares api, ghost and web, and
// only web expires while cdn serves it.
func TestHTMLOutageIsOnItsCertificatesLine(t *testing.T) {
	sc := result.Build(fixture.BusyScenario(), 7, fixture.Busy())
	var buf bytes.Buffer
	require.NoError(t, report.WriteHTML(&buf, &result.Summary{Scenarios: []result.Scenario{sc}}))
	page := buf.String()
	table := page[strings.Index(page, `<table class="summary">`):strings.Index(page, "</table>")]
	lines := regexp.MustCompile(`(?s)<tr[ >].*?</tr>`).FindAllString(table, -1)
	require.Len(t, lines, 1+3, "the header, then api, ghost and web")
	assert.Contains(t, lines[1], "<td>api</td>")
	assert.Contains(t, lines[1], "<td>none</td>", "api's resources never served it expired")
	assert.Contains(t, lines[2], "<td>ghost</td>")
	assert.Contains(t, lines[2], "<td>none</td>")
	assert.Contains(t, lines[3], "<td>web</td>")
	assert.Contains(t, lines[3], `<td class="outage">cdn 2d</td>`)
	assert.Contains(t, lines[1], `<td rowspan="3" class="num">0/0</td>`, "the expectations still span the scenario")
}

// TestReportFilesAreDeterministic runs scenarios twice and writes their
// reports: every file must be byte-identical. PNGs are checked for one
// scenario, as rasterizing under -race is slow.
func TestReportFilesAreDeterministic(t *testing.T) {
	names := []string{"dns-missing-cname", "dns-cname-restored-late"}
	var dirs []string
	var pngs [][]byte
	for range 2 {
		sum := runLibrary(t, names...)
		dir := t.TempDir()
		files, err := report.WriteDir(dir, sum, report.DirOptions{})
		require.NoError(t, err)
		assert.Equal(t, []string{"dns-missing-cname.svg", "dns-cname-restored-late.svg", "index.html", "results.json", "events.jsonl"}, files)
		for name, write := range map[string]func(io.Writer, *result.Summary) error{"junit.xml": report.WriteJUnit, "summary.md": report.WriteMarkdown} {
			var buf bytes.Buffer
			require.NoError(t, write(&buf, sum))
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644))
		}
		var buf bytes.Buffer
		require.NoError(t, report.TimelineOf(&sum.Scenarios[0]).WritePNG(&buf))
		pngs = append(pngs, buf.Bytes())
		dirs = append(dirs, dir)
	}
	entries, err := os.ReadDir(dirs[0])
	require.NoError(t, err)
	require.Len(t, entries, 7)
	for _, e := range entries {
		a, err := os.ReadFile(filepath.Join(dirs[0], e.Name()))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(dirs[1], e.Name()))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs between two runs", e.Name())
	}
	assert.True(t, bytes.Equal(pngs[0], pngs[1]), "the PNG differs between two runs")
}

// chromium is the headless browser the screenshot check uses, if any.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium here (Debian: apt-get install chromium); the screenshot check is skipped")
	return ""
}

// TestHTMLScreenshot opens the report in headless Chromium and looks at the
// screenshot: the page renders, its plots are drawn, and the outage red is
// on screen. Set SCREENSHOT_DIR to keep the report and the screenshot.
func TestHTMLScreenshot(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browser := chromium(t)
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	dir, err := filepath.Abs(dir)
	require.NoError(t, err)
	_, err = report.WriteDir(dir, runLibrary(t, "dns-missing-cname", "dns-happy"), report.DirOptions{})
	require.NoError(t, err)
	shot := filepath.Join(dir, "screenshot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--screenshot="+shot, "--window-size=1400,2000",
		"file://"+filepath.Join(dir, "index.html"))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "chromium: %s", out)
	f, err := os.Open(shot)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 1400, 2000), img.Bounds())

	// Count what is on screen: ink, the outage red and the band colours.
	near := func(c color.Color, r, g, b uint8) bool {
		cr, cg, cb, _ := c.RGBA()
		d := func(x uint32, y uint8) int { return int(x>>8) - int(y) }
		return abs(d(cr, r)) < 12 && abs(d(cg, g)) < 12 && abs(d(cb, b)) < 12
	}
	var dark, outage, valid int
	for y := 0; y < 2000; y += 2 {
		for x := 0; x < 1400; x += 2 {
			c := img.At(x, y)
			switch {
			case near(c, 0xb2, 0x18, 0x2b):
				outage++
			case near(c, 0xa6, 0xdb, 0xa0):
				valid++
			}
			if r, g, b, _ := c.RGBA(); r>>8 < 80 && g>>8 < 80 && b>>8 < 80 {
				dark++
			}
		}
	}
	assert.Greater(t, dark, 2000, "text is drawn")
	assert.Greater(t, valid, 2000, "the plot's bands are drawn")
	assert.Greater(t, outage, 200, "the outage shows in red")
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
