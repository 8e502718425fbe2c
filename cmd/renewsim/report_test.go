package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	simrun "github.com/renewsim/renewsim/sim/run"
)

func librarySummary(t *testing.T, names ...string) *result.Summary {
	t.Helper()
	sum := &result.Summary{}
	for _, n := range names {
		sc, err := scenarios.LoadLibrary(n)
		require.NoError(t, err)
		res, err := simrun.Run(context.Background(), sc, simrun.Options{})
		require.NoError(t, err)
		sum.Scenarios = append(sum.Scenarios, result.Build(sc, res.Seed, res.Log))
	}
	return sum
}

func parseReportFlags(t *testing.T, args ...string) *reportFlags {
	t.Helper()
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := addReportFlags(fs)
	rest, err := parseArgs(fs, args)
	require.NoError(t, err)
	require.Empty(t, rest)
	return f
}

func TestReportFlagsWriteEverything(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report")
	junit := filepath.Join(dir, "junit.xml")
	md := filepath.Join(dir, "summary.md")
	f := parseReportFlags(t, "-report", out, "-junit", junit, "-markdown", md, "-png")
	var stderr bytes.Buffer
	require.NoError(t, f.write(librarySummary(t, "dns-missing-cname", "dns-happy"), &stderr))
	assert.Empty(t, stderr.String(), "no progress outside a terminal")
	for _, name := range []string{"index.html", "results.json", "events.jsonl", "dns-missing-cname.svg", "dns-missing-cname.png", "dns-happy.svg", "dns-happy.png"} {
		st, err := os.Stat(filepath.Join(out, name))
		if assert.NoError(t, err, name) {
			assert.Positive(t, st.Size(), name)
		}
	}
	x, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Contains(t, string(x), `<testcase name="dns-missing-cname" classname="library/dns-missing-cname.yaml">`)
	m, err := os.ReadFile(md)
	require.NoError(t, err)
	assert.Contains(t, string(m), "## renewsim: 2 scenarios, 2 passed, 0 failed")

	// The event log of the report directory plots again.
	png := filepath.Join(dir, "again.png")
	var o, e bytes.Buffer
	require.NoError(t, cmdPlot([]string{filepath.Join(out, "events.jsonl"), "-scenario", "dns-happy", "-timeline", png}, &o, &e))
	b, err := os.ReadFile(png)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("\x89PNG")))
}

func TestReportFlagsNothingAsked(t *testing.T) {
	f := parseReportFlags(t)
	require.NoError(t, f.write(&result.Summary{}, io.Discard))
}

func TestPNGNeedsReport(t *testing.T) {
	f := parseReportFlags(t, "-png")
	err := f.check()
	var ue *usageError
	require.True(t, errors.As(err, &ue), "a usage error exits 2: %v", err)
	assert.Equal(t, 2, exitCode(f.write(&result.Summary{}, io.Discard), io.Discard))
}

func TestPlotCommand(t *testing.T) {
	dir := t.TempDir()
	events := filepath.Join(dir, "events.jsonl")
	one := filepath.Join(dir, "one.jsonl")
	sum := librarySummary(t, "dns-missing-cname", "not-in-use")
	require.NoError(t, writeFile(events, func(w io.Writer) error { return report.WriteEvents(w, sum) }))
	require.NoError(t, writeFile(one, func(w io.Writer) error {
		return report.WriteEvents(w, &result.Summary{Scenarios: sum.Scenarios[:1]})
	}))
	plot := func(args ...string) (int, string) {
		var o, e bytes.Buffer
		err := cmdPlot(args, &o, &e)
		return exitCode(err, &e), e.String()
	}

	// One scenario in the log: -timeline is enough, and the SVG is the one run
	// -report writes.
	svg := filepath.Join(dir, "plot.svg")
	code, errs := plot(one, "-timeline", svg)
	require.Equal(t, 0, code, errs)
	got, err := os.ReadFile(svg)
	require.NoError(t, err)
	var want bytes.Buffer
	require.NoError(t, report.TimelineOf(&sum.Scenarios[0]).WriteSVG(&want))
	assert.Equal(t, want.String(), string(got), "re-plotting gives the plot of the run")

	// Several scenarios need -scenario.
	code, errs = plot(events, "-timeline", svg)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "holds 2 scenarios (dns-missing-cname, not-in-use); choose one with -scenario NAME")
	code, errs = plot(events, "-scenario", "nope", "-timeline", svg)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `has no scenario "nope"`)
	code, errs = plot("-scenario", "not-in-use", events, "-timeline", filepath.Join(dir, "n.png"))
	assert.Equal(t, 0, code, errs)

	// Without -timeline, the scenario's name.
	t.Chdir(dir)
	code, errs = plot(one)
	assert.Equal(t, 0, code, errs)
	assert.FileExists(t, filepath.Join(dir, "dns-missing-cname.svg"))

	for _, args := range [][]string{
		{},                              // no log
		{one, one},                      // two logs
		{one, "-timeline", "x.pdf"},     // unknown format
		{filepath.Join(dir, "missing")}, // no such file
		{svg},                           // not an event log
	} {
		code, errs := plot(args...)
		assert.Equal(t, 2, code, "%v: %s", args, errs)
	}
	code, _ = plot("-h")
	assert.Equal(t, 0, code)
}

func TestProgress(t *testing.T) {
	// Not a terminal: silent.
	var buf bytes.Buffer
	p := newProgress(&buf, 2)
	p.step("a")
	p.done()
	assert.Empty(t, buf.String())
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	p = newProgress(w, 2)
	assert.False(t, p.on, "a pipe is no terminal")

	// On a terminal: one line, rewritten, then cleared.
	p = &progress{w: &buf, total: 7, on: true}
	p.step("dns-missing-cname")
	p.step("dns-happy")
	p.done()
	assert.Equal(t, "\r[1/7] dns-missing-cname"+"\r[2/7] dns-happy        "+"\r"+strings.Repeat(" ", len("[2/7] dns-happy"))+"\r", buf.String())

	t.Setenv("CI", "true")
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		assert.False(t, newProgress(tty, 1).on, "CI logs get no progress")
	}
}

// A scenario of more than 50 certificates: run -report writes the event
// log gzip-compressed and the timeline as the aggregate chart; run -events
// FILE.gz compresses too; plot reads both and draws the same chart.
func TestRunReportAtFleetSize(t *testing.T) {
	dir := t.TempDir()
	file := writeScenario(t, "synthetic-60.yaml", string(scenarios.SyntheticFleet(60, 1)))
	out := filepath.Join(dir, "report")
	events := filepath.Join(dir, "all.jsonl.gz")
	code, _, errs := renewsim(t, "run", "-report", out, "-events", events, file)
	require.Equal(t, 0, code, errs)
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	svg := scenarios.NewSynthetic(scenarios.BenchShape(60), 1).Name() + ".svg"
	assert.Equal(t, []string{"events.jsonl.gz", "index.html", "results.json", svg}, names)

	for _, log := range []string{filepath.Join(out, "events.jsonl.gz"), events} {
		data, err := os.ReadFile(log)
		require.NoError(t, err)
		require.True(t, bytes.HasPrefix(data, []byte{0x1f, 0x8b}), "%s is gzip-compressed", log)
		svg := filepath.Join(dir, "again.svg")
		var o, e bytes.Buffer
		require.NoError(t, cmdPlot([]string{log, "-timeline", svg}, &o, &e), e.String())
		got, err := os.ReadFile(svg)
		require.NoError(t, err)
		assert.Contains(t, string(got), "Certificates that expired or fail at the end", "%s: the aggregate chart", log)
		assert.Contains(t, string(got), "renewals / week")
	}
}
