package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	simrun "github.com/renewsim/renewsim/sim/run"
)

const runUsage = `Usage: renewsim run [flags] [FILE|DIR|NAME ...]

Runs scenarios (no argument: the built-in library) and checks their expectations.
Exit 0 when all held, 1 when some failed, 2 on unusable input.

Flags:
`

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if replayRequested(args) {
		return cmdReplay(ctx, args, stdout, stderr)
	}
	fs := commandFlags("run", runUsage, stderr)
	asJSON := fs.Bool("json", false, "print the results as JSON instead of the human summary")
	seedText := fs.String("seed", "", "replace every scenario's seed with `N`")
	events := fs.String("events", "", "write the event log as JSON Lines to `FILE`")
	reports := addReportFlags(fs)
	eventbridge := fs.String("eventbridge-url", "", "POST every EventBridge event, in order, to `URL` (retried; a warning when it keeps failing)")
	var alarms alarmsFlag
	alarms.add(fs)
	everyAttempt := fs.Bool("every-attempt", false, "ask the fake servers at every attempt and handshake at every probe, for people watching them (same record, much slower); by default DNS is asked again only when the zone changed and TLS verdicts are remembered by what they depend on")
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if err := reports.check(); err != nil {
		return err
	}
	opt := simrun.Options{CacheDNS: !*everyAttempt, CacheProbes: !*everyAttempt}
	if *seedText != "" {
		n, err := strconv.ParseUint(*seedText, 10, 64)
		if err != nil {
			return usagef("-seed: want an unsigned integer, got %q", *seedText)
		}
		opt.Seed = &n
	}
	set, err := alarms.load()
	if err != nil {
		return err
	}
	scs, err := loadAll(rest)
	if err != nil {
		return err
	}
	if err := addAlarms(set, scs...); err != nil {
		return err
	}
	sum := &result.Summary{}
	prog := newProgress(stderr, len(scs))
	for _, sc := range scs {
		prog.step(sc.Name)
		res, err := simrun.Run(ctx, sc, opt)
		if err != nil {
			prog.done()
			return fmt.Errorf("run %s: %w", sc.File, err)
		}
		sum.Scenarios = append(sum.Scenarios, result.Build(sc, res.Seed, res.Log))
	}
	prog.done()
	if err := reports.write(sum, stderr); err != nil {
		return err
	}
	if *eventbridge != "" {
		fwd := &simrun.Forwarder{URL: *eventbridge, Client: &http.Client{Timeout: 10 * time.Second},
			Retries: 5, Backoff: 500 * time.Millisecond, Sleep: time.Sleep, Warn: stderr}
		for _, sc := range sum.Scenarios {
			if err := fwd.Forward(ctx, sc.Log()); err != nil {
				return err
			}
		}
	}
	if *events != "" {
		if err := writeFile(*events, func(w io.Writer) error { return report.WriteEvents(w, sum) }); err != nil {
			return err
		}
	}
	if *asJSON {
		err = report.WriteJSON(stdout, sum)
	} else {
		err = report.WriteText(stdout, sum)
	}
	if err != nil {
		return err
	}
	if !sum.Passed() {
		return errFailed
	}
	return nil
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
