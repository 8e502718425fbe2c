package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
)

// reportFlags are the flags of run that write reports besides what run
// prints: an HTML report directory, JUnit XML and a Markdown summary.
type reportFlags struct {
	dir      string
	junit    string
	markdown string
	png      bool
}

// addReportFlags registers -report, -junit, -markdown and -png on fs.
func addReportFlags(fs *flag.FlagSet) *reportFlags {
	f := &reportFlags{}
	fs.StringVar(&f.dir, "report", "", "write index.html, one SVG timeline per scenario, results.json and events.jsonl to `DIR` (events.jsonl.gz when a scenario has more than 50 certificates or resources)")
	fs.StringVar(&f.junit, "junit", "", "write the results as JUnit XML to `FILE`")
	fs.StringVar(&f.markdown, "markdown", "", "write a Markdown summary to `FILE` (for example $GITHUB_STEP_SUMMARY)")
	fs.BoolVar(&f.png, "png", false, "with -report, also write every timeline as PNG (much slower than SVG)")
	return f
}

// check rejects flag combinations that make no sense, before anything runs.
func (f *reportFlags) check() error {
	if f.png && f.dir == "" {
		return usagef("-png needs -report DIR")
	}
	return nil
}

// write writes every report the flags ask for. It is called whether or not
// the expectations held: a failing run is when the reports matter most.
func (f *reportFlags) write(sum *result.Summary, stderr io.Writer) error {
	if err := f.check(); err != nil {
		return err
	}
	var errs []error
	if f.dir != "" {
		// Drawing is quick; rasterizing PNGs is not, so say how far it got.
		p := newProgress(stderr, len(sum.Scenarios))
		opt := report.DirOptions{PNG: f.png}
		if f.png {
			opt.Progress = func(name string) { p.step("plotting " + name) }
		}
		_, err := report.WriteDir(f.dir, sum, opt)
		p.done()
		if err != nil {
			errs = append(errs, fmt.Errorf("-report %s: %w", f.dir, err))
		}
	}
	if f.junit != "" {
		errs = append(errs, writeFile(f.junit, func(w io.Writer) error { return report.WriteJUnit(w, sum) }))
	}
	if f.markdown != "" {
		errs = append(errs, writeFile(f.markdown, func(w io.Writer) error { return report.WriteMarkdown(w, sum) }))
	}
	return errors.Join(errs...)
}

// progress shows "[3/7] dns-missing-cname" on one line of a terminal while
// a long run goes on. It writes nothing when stderr is not a terminal (a
// pipe, a file, a CI log) or when the CI environment variable is set.
type progress struct {
	w     io.Writer
	total int
	n     int
	on    bool
	width int // of the line shown, to clear it
}

func newProgress(stderr io.Writer, total int) *progress {
	p := &progress{w: stderr, total: total}
	if _, ci := os.LookupEnv("CI"); ci {
		return p
	}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

// step says that the work on name begins.
func (p *progress) step(name string) {
	p.n++
	if p.on {
		p.show(fmt.Sprintf("[%d/%d] %s", p.n, p.total, name))
	}
}

// show replaces the line on the terminal with line.
func (p *progress) show(line string) {
	pad := strings.Repeat(" ", max(0, p.width-len(line)))
	fmt.Fprint(p.w, "\r"+line+pad)
	p.width = len(line)
}

// done clears the line.
func (p *progress) done() {
	if p.on && p.width > 0 {
		fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.width)+"\r")
		p.width = 0
	}
}

var plotDoc = commandDoc{
	name:    "plot",
	args:    "[flags] EVENTS.jsonl",
	purpose: "draw a timeline again from a saved event log, without running the scenario",
	about: `Draws the timeline of one scenario from an event log written by
renewsim run -events FILE (or events.jsonl or events.jsonl.gz of -report;
a gzip-compressed log is read as it is). A log that holds several
scenarios needs -scenario. The format follows the extension of the
-timeline file: .svg (the default, fast) or .png. A scenario of more than
50 certificates or resources is drawn as the aggregate chart of its report.`,
}

// cmdPlot is "renewsim plot": re-plot a saved event log.
func cmdPlot(args []string, stdout, stderr io.Writer) error {
	fs := commandFlags(&plotDoc, stderr)
	out := fs.String("timeline", "", "write the timeline to `FILE`, .svg or .png (default: the scenario's name.svg)")
	deprecated(fs, "o", "timeline", false)
	name := fs.String("scenario", "", "plot scenario `NAME` (needed when the log holds several)")
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return usagef("plot: want one event log, got %d arguments", len(rest))
	}
	path := rest[0]
	f, err := os.Open(path)
	if err != nil {
		return &usageError{err}
	}
	names, logs, err := report.ReadEvents(f)
	f.Close()
	if err != nil {
		return &usageError{fmt.Errorf("%s: %w", path, err)}
	}
	if len(names) == 0 {
		return usagef("%s: no events in this log", path)
	}
	sc := *name
	switch {
	case sc != "":
		if _, ok := logs[sc]; !ok {
			return usagef("%s has no scenario %q; it has %s", path, sc, strings.Join(names, ", "))
		}
	case len(names) > 1:
		return usagef("%s holds %d scenarios (%s); choose one with -scenario NAME", path, len(names), strings.Join(names, ", "))
	default:
		sc = names[0]
	}
	file := *out
	if file == "" {
		file = fileName(sc) + ".svg"
	}
	tl := report.NewTimeline(sc, logs[sc])
	switch strings.ToLower(filepath.Ext(file)) {
	case ".svg":
		return writeFile(file, tl.WriteSVG)
	case ".png":
		return writeFile(file, tl.WritePNG)
	}
	return usagef("-timeline %s: want a file name ending in .svg or .png", file)
}

// fileName makes a scenario name safe to use as a file name.
func fileName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '-'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		return "scenario"
	}
	return s
}
