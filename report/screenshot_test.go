package report_test

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// screenshot opens url in headless Chromium at width×height CSS pixels and
// returns the PNG it wrote to out.
func screenshot(t *testing.T, browser, url, out string, width, height int) image.Image {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--screenshot="+out, fmt.Sprintf("--window-size=%d,%d", width, height), url)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "chromium: %s", b)
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, width, height), img.Bounds())
	return img
}

// pixels counts, every other pixel of img within r, those near each
// colour (by its hex RGB) and the dark ones (text).
func pixels(img image.Image, r image.Rectangle, colours ...uint32) (dark int, near []int) {
	near = make([]int, len(colours))
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			r8, g8, b8 := int(cr>>8), int(cg>>8), int(cb>>8)
			if r8 < 80 && g8 < 80 && b8 < 80 {
				dark++
			}
			for i, c := range colours {
				if abs(r8-int(c>>16&0xff)) < 12 && abs(g8-int(c>>8&0xff)) < 12 && abs(b8-int(c&0xff)) < 12 {
					near[i]++
				}
			}
		}
	}
	return dark, near
}

// TestFleetReportScreenshot runs the synthetic fleets of 1,000 and 10,000
// certificates (scenarios.SyntheticFleet), writes their report directories
// and looks at them in headless Chromium: the top of the page (the
// counts, the causes, the most urgent certificates), the timeline alone,
// and the page with the first drill-down opened. The files stay in
// SCREENSHOT_DIR when it is set (make screenshot), to be looked at.
func TestFleetReportScreenshot(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 11,000 certificates and starts a browser")
	}
	if raceEnabled {
		t.Skip("runs 11,000 certificates, ten times slower under the race detector: make screenshot runs it")
	}
	browser := chromium(t)
	base := os.Getenv("SCREENSHOT_DIR")
	if base == "" {
		base = t.TempDir()
	}
	base, err := filepath.Abs(base)
	require.NoError(t, err)
	for _, n := range []int{1000, 10000} {
		t.Run(fmt.Sprintf("certs=%d", n), func(t *testing.T) {
			name := fmt.Sprintf("synthetic-%d.yaml", n)
			sc, err := scenarios.Parse(name, scenarios.SyntheticFleet(n, 1))
			require.NoError(t, err)
			res, err := simrun.Run(context.Background(), sc, simrun.Options{CacheDNS: true, CacheProbes: true})
			require.NoError(t, err)
			sum := &result.Summary{Scenarios: []result.Scenario{result.Build(sc, res.Seed, res.Log)}}
			dir := filepath.Join(base, fmt.Sprintf("fleet-%d", n))
			files, err := report.WriteDir(dir, sum, report.DirOptions{})
			require.NoError(t, err)
			svgName := sc.Name + ".svg"
			require.Equal(t, []string{svgName, "index.html", "results.json", "events.jsonl.gz"}, files)
			sizes := map[string]int64{}
			for _, f := range files {
				st, err := os.Stat(filepath.Join(dir, f))
				require.NoError(t, err)
				sizes[f] = st.Size()
			}
			t.Logf("%d certificates, %d entries: index.html %d bytes, %s %d, events.jsonl.gz %d", n, len(res.Log),
				sizes["index.html"], svgName, sizes[svgName], sizes["events.jsonl.gz"])
			assert.Less(t, sizes[svgName], int64(150_000), "the timeline does not grow with the fleet")
			assert.Less(t, sizes["index.html"], int64(n)*600+1_500_000, "the page grows by a few hundred bytes a certificate")

			// The top of the page: the counts, the causes and the most
			// urgent certificates, in red, on a page that is mostly white.
			top := screenshot(t, browser, "file://"+filepath.Join(dir, "index.html"), filepath.Join(dir, "top.png"), 1400, 2400)
			dark, near := pixels(top, top.Bounds(), 0xb2182b, 0xffffff)
			assert.Greater(t, dark, 8000, "text is drawn")
			assert.Greater(t, near[0], 1500, "the failures are in red")
			assert.Greater(t, near[1], 1400*2400/4*6/10, "and the page is not a wall of text")

			// The timeline alone: renewals in green, expiries and the
			// expired lanes in red, nothing drawn past 40 lanes.
			chart := screenshot(t, browser, "file://"+filepath.Join(dir, svgName), filepath.Join(dir, "timeline.png"), 1200, 1900)
			_, near = pixels(chart, chart.Bounds(), 0x1b7f3b, 0xe34a33, 0xb2182b)
			assert.Greater(t, near[0], 2000, "the weekly renewals are drawn")
			assert.Greater(t, near[1], 20000, "the expired lanes are drawn")
			assert.Greater(t, near[2], 1000, "the weekly expiries and the outages are drawn")

			// The most urgent certificate's drill-down, opened as a click
			// would: its facts, its fix, its own timeline and its story.
			page, err := os.ReadFile(filepath.Join(dir, "index.html"))
			require.NoError(t, err)
			drill := strings.Replace(string(page), `<details class="cert"`, `<details open class="cert"`, 1)
			// Everything above the drill-downs collapses, so that it is at
			// the top of the screenshot.
			i := strings.Index(drill, "<h3>Certificate by certificate</h3>")
			j := strings.Index(drill, "<section class=\"scenario")
			require.True(t, i > 0 && j > 0 && j < i)
			drill = drill[:strings.Index(drill[j:], ">")+j+1] + drill[i:]
			require.NoError(t, os.WriteFile(filepath.Join(dir, "drill-down.html"), []byte(drill), 0o644))
			open := screenshot(t, browser, "file://"+filepath.Join(dir, "drill-down.html"), filepath.Join(dir, "drill-down.png"), 1400, 1600)
			dark, near = pixels(open, open.Bounds(), 0xe34a33, 0xa6dba0)
			assert.Greater(t, dark, 4000, "the story is told")
			assert.Greater(t, near[0]+near[1], 3000, "its own timeline is drawn")
		})
	}
}
