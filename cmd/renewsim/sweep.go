package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
	"github.com/renewsim/renewsim/sweep"
)

const sweepUsage = `Usage: renewsim sweep [flags] SCENARIO

Runs variants of one scenario (a file or a built-in name) and sums them up:
a grid of -vary values, Monte Carlo runs of its distributions (-runs N), or
both. Prints the aggregate (P(expired), P(outage), margin percentiles), or
with -json one JSON object per variant, in variant order.

  -vary PATH=VALUES   PATH is a scenario field: resources.alb-prod.deploy_delay,
                      timeline.0.at, mailboxes.admin@example.com.clicks, profile,
                      overrides.retry_interval, certificates.web.issued, …
                      VALUES is a list (a,b,c) or a range (0h..48h/6h,
                      web.expiry-40d..web.expiry-1d/1d, 1..10). Several -vary
                      make a grid; the first varies slowest.
  -runs N             N Monte Carlo runs of every grid point; distributions are
                      written in the scenario ({uniform: [1h, 3d]}, …) or as a
                      -vary value. Run r draws from (seed, r).
  -variant K          run variant K alone and print it as "renewsim run" does
                      (with -json, -events, -report); "renewsim run -variant K"
                      does the same and checks the expectations.
  -shard i/n          run variants k with k mod n = i and print their JSON Lines;
                      "renewsim merge" joins the shards.
  -alarms FILE        judge the alert rules of FILE (an alarms: list) in every
                      variant: how often each fired, its lead time, its false
                      alarms; -report charts them against each -vary.

A sweep explores: the scenario's expectations are not checked, and the exit
status is 0 when every variant ran (2 on unusable input or usage).
See docs/sweeps.md.

Flags:
`

// stringsFlag collects a repeatable flag.
type stringsFlag []string

func (s *stringsFlag) String() string     { return strings.Join(*s, " ") }
func (s *stringsFlag) Set(v string) error { *s = append(*s, v); return nil }

// sweepFlags are the flags that choose the variants of a sweep.
type sweepFlags struct {
	varies  stringsFlag
	runs    int
	seed    string
	variant int
	alarms  alarmsFlag
}

func (f *sweepFlags) add(fs *flag.FlagSet) {
	fs.Var(&f.varies, "vary", "vary the scenario field `PATH=VALUES` (repeatable: a grid)")
	fs.IntVar(&f.runs, "runs", 0, "`N` Monte Carlo runs of every grid point, sampling the scenario's distributions")
	fs.StringVar(&f.seed, "seed", "", "replace the scenario's seed with `N` (for sampling and for the simulation)")
	f.alarms.add(fs)
	f.variant = -1
	fs.Func("variant", "run variant `K` alone and print it in full, as renewsim run does", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return fmt.Errorf("want a variant number >= 0, got %q", s)
		}
		f.variant = n
		return nil
	})
}

// plan loads the scenario named by arg and plans its sweep.
func (f *sweepFlags) plan(arg string) (*scenarios.Plan, error) {
	file, data, err := readScenarioArg(arg)
	if err != nil {
		return nil, err
	}
	doc, err := scenarios.DecodeNode(file, data)
	if err != nil {
		return nil, &usageError{err}
	}
	var varies []scenarios.Vary
	for _, spec := range f.varies {
		v, err := scenarios.ParseVary(spec)
		if err != nil {
			return nil, &usageError{err}
		}
		varies = append(varies, v)
	}
	if f.runs < 0 {
		return nil, usagef("-runs %d: want a number of runs >= 1", f.runs)
	}
	opt := scenarios.PlanOptions{Runs: f.runs}
	if f.seed != "" {
		n, err := strconv.ParseUint(f.seed, 10, 64)
		if err != nil {
			return nil, usagef("-seed: want an unsigned integer, got %q", f.seed)
		}
		opt.Seed = &n
	}
	p, err := scenarios.NewPlan(file, doc, varies, opt)
	if err != nil {
		return nil, &usageError{err}
	}
	if f.variant >= p.Len() {
		return nil, usagef("-variant %d: this sweep has variants 0 to %d", f.variant, p.Len()-1)
	}
	return p, nil
}

// readScenarioArg reads a scenario file, or a built-in scenario by name.
func readScenarioArg(arg string) (file string, data []byte, err error) {
	st, err := os.Stat(arg)
	switch {
	case err == nil && st.IsDir():
		return "", nil, usagef("%s is a directory: a sweep takes one scenario file or built-in name", arg)
	case err == nil:
		data, err := os.ReadFile(arg)
		if err != nil {
			return "", nil, &usageError{err}
		}
		return arg, data, nil
	}
	if data, ok := scenarios.LibrarySource(arg); ok {
		return "library/" + arg + ".yaml", data, nil
	}
	return "", nil, usagef("%s: no such file or built-in scenario (see renewsim list)", arg)
}

func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("sweep", sweepUsage, stderr)
	var sf sweepFlags
	sf.add(fs)
	asJSON := fs.Bool("json", false, "print one JSON object per variant (JSON Lines), in variant order, instead of the aggregate")
	csvFile := fs.String("csv", "", "write one row per variant to `FILE` as CSV")
	workers := fs.Int("workers", 0, "run `N` variants at once, each worker with fakes of its own (default GOMAXPROCS)")
	shard := fs.String("shard", "", "run only the variants k with k mod n = i (`i/n`, 0 <= i < n) and print their JSON Lines")
	reportDir := fs.String("report", "", "write sweep.html, the charts as SVG, variants.jsonl, variants.csv and summary.txt to `DIR` (with -variant: the run report)")
	events := fs.String("events", "", "with -variant: write the event log as JSON Lines to `FILE`")
	cacheDNS := fs.Bool("cache-dns", true, "ask the fake DNS server only after the zone changed, answering the attempts in between from the last answer (same record, far fewer queries); -cache-dns=false asks at every attempt")
	cacheProbes := fs.Bool("cache-probes", true, "remember TLS verdicts, the legacy HTTPS probe and HTTP validation by what they depend on, and start resources' listeners only when a client needs them (same record)")
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return usagef("sweep: want one scenario (a file or a built-in name), got %d arguments", len(rest))
	}
	if *workers < 0 {
		return usagef("-workers %d: want a number >= 1 (0: GOMAXPROCS)", *workers)
	}
	if sf.variant >= 0 {
		if *shard != "" || *csvFile != "" {
			return usagef("-variant runs one variant: it takes no -shard or -csv")
		}
		return replay(ctx, &sf, rest[0], false, *asJSON, *events, *reportDir, stdout, stderr)
	}
	if *events != "" {
		return usagef("-events needs -variant K: a sweep does not keep the event logs of its variants")
	}
	shardI, shardN := 0, 1
	if *shard != "" {
		i, n, err := parseShard(*shard)
		if err != nil {
			return err
		}
		shardI, shardN = i, n
		*asJSON = true
	}
	set, err := sf.alarms.load()
	if err != nil {
		return err
	}
	plan, err := sf.plan(rest[0])
	if err != nil {
		return err
	}

	// Build this shard's variants; a combination of values that does not
	// load stops the sweep before anything runs.
	var idx []int
	for k := shardI; k < plan.Len(); k += shardN {
		idx = append(idx, k)
	}
	scs, infos, err := buildVariants(plan, idx, *workers)
	if err != nil {
		return err
	}
	if err := addAlarms(set, scs...); err != nil {
		return err
	}

	out := bufio.NewWriterSize(stdout, 64*1024)
	results := make([]sweep.Variant, 0, len(idx))
	prog := newSweepProgress(stderr, len(idx))
	opt := simrun.ManyOptions{Workers: *workers, RecycleLogs: true}
	opt.CacheDNS = *cacheDNS
	opt.CacheProbes = *cacheProbes
	err = simrun.RunMany(ctx, scs, opt, func(i int, res *simrun.Result) error {
		v := sweep.Build(infos[i], scs[i], res.Seed, res.Log)
		scs[i] = nil // done with it
		if *asJSON {
			if err := sweep.WriteJSON(out, &v); err != nil {
				return err
			}
		}
		results = append(results, v)
		prog.step()
		return nil
	})
	prog.done()
	if err != nil {
		out.Flush()
		return fmt.Errorf("sweep %s: %w", plan.File(), err)
	}
	var errs []error
	if *csvFile != "" {
		errs = append(errs, writeFile(*csvFile, func(w io.Writer) error { return report.WriteVariantsCSV(w, results) }))
	}
	if *reportDir != "" {
		page := report.SweepPage{Command: commandLine("sweep", args), Variants: results}
		if _, err := report.WriteSweepDir(*reportDir, page); err != nil {
			errs = append(errs, fmt.Errorf("-report %s: %w", *reportDir, err))
		}
	}
	if !*asJSON {
		agg := sweep.Sum(results)
		if err := report.WriteAggregate(out, &agg); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, out.Flush())
	return errors.Join(errs...)
}

// buildVariants loads the variants idx of plan, on workers goroutines
// (0: GOMAXPROCS). Problems are reported in variant order, the first ten.
func buildVariants(plan *scenarios.Plan, idx []int, workers int) ([]*sim.Scenario, []sweep.Info, error) {
	scs := make([]*sim.Scenario, len(idx))
	infos := make([]sweep.Info, len(idx))
	errs := make([]error, len(idx))
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(idx)))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(idx); i += workers {
				v, err := plan.Variant(idx[i])
				if err != nil {
					errs[i] = err
					continue
				}
				scs[i] = v.Scenario
				infos[i] = sweep.Info{Index: idx[i], Of: plan.Len(), Run: v.Run, Params: reportParams(v.Params), Sampled: reportParams(v.Sampled)}
			}
		}()
	}
	wg.Wait()
	var bad []error
	for _, err := range errs {
		if err != nil && len(bad) < 10 {
			bad = append(bad, err)
		}
	}
	if len(bad) > 0 {
		return nil, nil, &usageError{fmt.Errorf("unusable variants:\n%w", errors.Join(bad...))}
	}
	return scs, infos, nil
}

// parseShard reads i/n.
func parseShard(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "/")
	i, errI := strconv.Atoi(strings.TrimSpace(a))
	n, errN := strconv.Atoi(strings.TrimSpace(b))
	if !ok || errI != nil || errN != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, usagef("-shard %s: want i/n with 0 <= i < n, like 0/4 (JOB_COMPLETION_INDEX/COMPLETIONS)", s)
	}
	return i, n, nil
}

func reportParams(ps []scenarios.Param) sweep.Params {
	out := make(sweep.Params, len(ps))
	for i, p := range ps {
		out[i] = sweep.Param{Path: p.Path, Value: p.Value}
	}
	return out
}

// commandLine writes the command as a shell would take it.
func commandLine(cmd string, args []string) string {
	parts := []string{"renewsim", cmd}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`{}[]()*?;&|<>#~!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// replayRequested reports whether the arguments of run ask for one variant
// of a sweep (-variant K), which cmdReplay handles.
func replayRequested(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name := strings.TrimLeft(a, "-")
		if strings.HasPrefix(a, "-") && (name == "variant" || strings.HasPrefix(name, "variant=")) {
			return true
		}
	}
	return false
}

const replayUsage = `Usage: renewsim run -variant K [-vary PATH=VALUES ...] [-runs N] [-seed N] [flags] SCENARIO

Runs variant K of the sweep that the same -vary, -runs and -seed describe
(see renewsim sweep), exactly as the sweep ran it, and prints it as
renewsim run does. Exit 0 when every expectation held, 1 when some failed,
2 on unusable input.

Flags:
`

// cmdReplay is "renewsim run -variant K …": one variant of a sweep, in the
// format of run, expectations checked.
func cmdReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("run", replayUsage, stderr)
	var sf sweepFlags
	sf.add(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON instead of the human summary")
	events := fs.String("events", "", "write the event log as JSON Lines to `FILE`")
	reportDir := fs.String("report", "", "write the run report (index.html, timeline SVG, results.json, events.jsonl) to `DIR`")
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if sf.variant < 0 {
		fs.Usage()
		return usagef("run -variant: want -variant K")
	}
	if len(rest) != 1 {
		fs.Usage()
		return usagef("run -variant: want one scenario (a file or a built-in name), got %d arguments", len(rest))
	}
	return replay(ctx, &sf, rest[0], true, *asJSON, *events, *reportDir, stdout, stderr)
}

// replay runs one variant in the change-driven mode, as run does, and
// prints it in the format of run. enforce makes failed expectations exit 1.
func replay(ctx context.Context, sf *sweepFlags, arg string, enforce, asJSON bool, events, reportDir string, stdout, stderr io.Writer) error {
	set, err := sf.alarms.load()
	if err != nil {
		return err
	}
	plan, err := sf.plan(arg)
	if err != nil {
		return err
	}
	v, err := plan.Variant(sf.variant)
	if err != nil {
		return &usageError{err}
	}
	if err := simrun.Check(v.Scenario); err != nil {
		return &usageError{err}
	}
	if err := addAlarms(set, v.Scenario); err != nil {
		return err
	}
	res, err := simrun.Run(ctx, v.Scenario, simrun.Options{CacheDNS: true, CacheProbes: true})
	if err != nil {
		return fmt.Errorf("run %s: %w", v.Scenario.File, err)
	}
	sum := &result.Summary{Scenarios: []result.Scenario{result.Build(v.Scenario, res.Seed, res.Log)}}
	var errs []error
	if reportDir != "" {
		if _, err := report.WriteDir(reportDir, sum, report.DirOptions{}); err != nil {
			errs = append(errs, fmt.Errorf("-report %s: %w", reportDir, err))
		}
	}
	if events != "" {
		errs = append(errs, writeFile(events, func(w io.Writer) error { return report.WriteEvents(w, sum) }))
	}
	if asJSON {
		errs = append(errs, report.WriteJSON(stdout, sum))
	} else {
		fmt.Fprintln(stdout, describeVariant(plan, v))
		errs = append(errs, report.WriteText(stdout, sum))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if enforce && !sum.Passed() {
		return errFailed
	}
	return nil
}

// describeVariant says which variant ran: "variant 3 of 5:
// resources.cdn.deploy_delay=9h".
func describeVariant(p *scenarios.Plan, v *scenarios.Variant) string {
	var parts []string
	for _, pr := range v.Params {
		parts = append(parts, pr.Path+"="+pr.Value)
	}
	s := fmt.Sprintf("variant %d of %d", v.Index, p.Len())
	if v.Run >= 0 {
		s += fmt.Sprintf(", Monte Carlo run %d (seed %d)", v.Run, v.Scenario.Seed)
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	if len(v.Sampled) > 0 {
		var drawn []string
		for _, pr := range v.Sampled {
			drawn = append(drawn, pr.Path+"="+pr.Value)
		}
		s += "; sampled " + strings.Join(drawn, ", ")
	}
	return s
}

// sweepProgress shows "[1234/10000] 12% 3s, about 21s left" on the
// progress line (see progress), redrawn at most ten times a second.
type sweepProgress struct {
	*progress
	start, last time.Time
}

func newSweepProgress(stderr io.Writer, total int) *sweepProgress {
	return &sweepProgress{progress: newProgress(stderr, total), start: time.Now()}
}

func (p *sweepProgress) step() {
	p.n++
	if !p.on {
		return
	}
	now := time.Now()
	if p.n < p.total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	line := fmt.Sprintf("[%d/%d] %d%% %s", p.n, p.total, 100*p.n/max(p.total, 1), el.Round(time.Second))
	if p.n < p.total && p.n > 0 {
		left := time.Duration(float64(el) / float64(p.n) * float64(p.total-p.n))
		line += fmt.Sprintf(", about %s left", left.Round(time.Second))
	}
	p.show(line)
}
