package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

var runDoc = commandDoc{
	name:    "run",
	args:    "[flags] [FILE|DIR|NAME ...]",
	purpose: "run scenarios and check their expectations (no argument: the whole built-in library)",
	about: `Runs scenario files, every *.yaml in a directory, or built-in scenarios by
name (see renewsim list), and prints what happened to each certificate and
resource and whether each expectation held. Exit 0 when all held, 1 when
some failed, 2 on unusable input (every problem listed as file:line:col,
and nothing runs).

With -variant K it runs variant K of the sweep that the same -vary, -runs
and -seed describe (see renewsim sweep), exactly as the sweep ran it, and
checks its expectations: a what-if a sweep found, replayed in full.`,
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags(&runDoc, stderr)
	asJSON := fs.Bool("json", false, "print the results as JSON instead of the human summary")
	var sf sweepFlags // -seed and -alarms, and -variant, -vary and -runs for one variant of a sweep
	sf.add(fs, true)
	events := fs.String("events", "", "write the event log as JSON Lines to `FILE` (gzip-compressed when FILE ends in .gz)")
	reports := addReportFlags(fs)
	eventbridge := fs.String("eventbridge-url", "", "POST every EventBridge event, in order, to `URL` (retried; a warning when it keeps failing)")
	everyAttempt := fs.Bool("every-attempt", false, "ask the fake servers at every attempt and handshake at every probe, for people watching them (same record, much slower); by default DNS is asked again only when the zone changed and TLS verdicts are remembered by what they depend on")
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if err := reports.check(); err != nil {
		return err
	}
	opt := simrun.Options{CacheDNS: !*everyAttempt, CacheProbes: !*everyAttempt}
	set, err := sf.alarms.load()
	if err != nil {
		return err
	}
	var scs []*sim.Scenario
	var variant string // which variant of a sweep runs, told before the summary
	if sf.variant >= 0 {
		if len(rest) != 1 {
			return usagef("run -variant: want one scenario (a file or a built-in name), got %d arguments", len(rest))
		}
		// The variant carries the sweep's seed already: -seed chose it.
		plan, v, err := sf.variantScenario(rest[0])
		if err != nil {
			return err
		}
		scs, variant = []*sim.Scenario{v.Scenario}, describeVariant(plan, v)
	} else {
		if len(sf.varies) > 0 || sf.runs != 0 {
			return usagef("-vary and -runs describe a sweep: give -variant K to run one of its variants, or use renewsim sweep to run them all")
		}
		if opt.Seed, err = sf.seedOverride(); err != nil {
			return err
		}
		if scs, err = loadAll(rest); err != nil {
			return err
		}
	}
	if err := addAlarms(set, scs...); err != nil {
		return err
	}
	passed, err := runScenarios(ctx, scs, opt, &runOutputs{reports: reports, events: *events, eventbridge: *eventbridge, asJSON: *asJSON, header: variant}, stdout, stderr)
	if err != nil {
		return err
	}
	if !passed {
		return errFailed
	}
	return nil
}

// runOutputs are what a run writes and prints besides running.
type runOutputs struct {
	reports     *reportFlags
	events      string // -events FILE
	eventbridge string // -eventbridge-url URL
	asJSON      bool
	header      string // a line printed before the summary: which variant of a sweep ran
}

// runScenarios runs scs one after the other, writes what outs asks for and
// prints the results; it reports whether every expectation held. run and
// sweep -variant share it, so a variant is told exactly as run tells a file.
func runScenarios(ctx context.Context, scs []*sim.Scenario, opt simrun.Options, outs *runOutputs, stdout, stderr io.Writer) (bool, error) {
	sum := &result.Summary{}
	prog := newProgress(stderr, len(scs))
	for _, sc := range scs {
		prog.step(sc.Name)
		res, err := simrun.Run(ctx, sc, opt)
		if err != nil {
			prog.done()
			return false, fmt.Errorf("run %s: %w", sc.File, err)
		}
		sum.Scenarios = append(sum.Scenarios, result.Build(sc, res.Seed, res.Log))
	}
	prog.done()
	if err := outs.reports.write(sum, stderr); err != nil {
		return false, err
	}
	if outs.eventbridge != "" {
		fwd := &simrun.Forwarder{URL: outs.eventbridge, Client: &http.Client{Timeout: 10 * time.Second},
			Retries: 5, Backoff: 500 * time.Millisecond, Sleep: time.Sleep, Warn: stderr}
		for _, sc := range sum.Scenarios {
			if err := fwd.Forward(ctx, sc.Log()); err != nil {
				return false, err
			}
		}
	}
	if outs.events != "" {
		write := func(w io.Writer) error { return report.WriteEvents(w, sum) }
		if strings.HasSuffix(outs.events, ".gz") {
			write = func(w io.Writer) error { return report.WriteEventsGzip(w, sum) }
		}
		if err := writeFile(outs.events, write); err != nil {
			return false, err
		}
	}
	var err error
	if outs.asJSON {
		err = report.WriteJSON(stdout, sum)
	} else {
		if outs.header != "" {
			fmt.Fprintln(stdout, outs.header)
		}
		err = report.WriteText(stdout, sum)
	}
	return sum.Passed(), err
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
