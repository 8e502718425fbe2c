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
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
	"github.com/renewsim/renewsim/sweep"
)

var sweepDoc = commandDoc{
	name:    "sweep",
	args:    "[flags] SCENARIO",
	purpose: "what-if: run variants of one scenario (-vary, -runs N) and sum them up",
	about: `Runs variants of one scenario (a file or a built-in name): a grid of -vary
values, Monte Carlo runs of its distributions (-runs N), or both. Prints the
aggregate (P(expired), P(outage), margin percentiles), or with -json one
JSON object per variant, in variant order. -shard i/n runs a part of the
variants; renewsim merge joins the parts into the same bytes.

A sweep explores: the scenario's expectations are not checked, and the exit
status is 0 when every variant ran (2 on unusable input or usage). To check
the expectations of one variant, run it with renewsim run -variant K and
the same -vary, -runs and -seed. See docs/sweeps.md.`,
}

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

// add registers the flags of a sweep. run takes them too (replay), to run
// one variant: then they say so.
func (f *sweepFlags) add(fs *flag.FlagSet, replay bool) {
	with := ""
	if replay {
		with = "with -variant: "
	}
	fs.Var(&f.varies, "vary", with+"vary the scenario field `PATH=VALUES`; repeatable: a grid, the first -vary varying slowest. PATH like resources.alb-prod.deploy_delay, timeline.0.at, mailboxes.admin@example.com.clicks, profile, overrides.retry_interval; VALUES a list (a,b,c), a range (0h..48h/6h, web.expiry-40d..web.expiry-1d/1d, 1..10) or a distribution ({uniform: [1h, 3d]}, with -runs)")
	fs.IntVar(&f.runs, "runs", 0, with+"`N` Monte Carlo runs of every grid point, sampling the scenario's distributions; run r draws from (seed, r)")
	if replay {
		fs.StringVar(&f.seed, "seed", "", "replace every scenario's seed with `N` (with -variant: the sweep's seed, for sampling and for the simulation)")
	} else {
		fs.StringVar(&f.seed, "seed", "", "replace the scenario's seed with `N` (for sampling and for the simulation)")
	}
	f.alarms.add(fs)
	f.variant = -1
	variant := "run variant `K` alone and print it in full, as renewsim run does (with -json, -events, -report); its expectations are not checked"
	if replay {
		variant = "run variant `K` of the sweep of SCENARIO that -vary, -runs and -seed describe, exactly as the sweep ran it, and check its expectations"
	}
	fs.Func("variant", variant, func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return fmt.Errorf("want a variant number >= 0, got %q", s)
		}
		f.variant = n
		return nil
	})
}

// seedOverride is -seed N, nil when not given.
func (f *sweepFlags) seedOverride() (*uint64, error) {
	if f.seed == "" {
		return nil, nil
	}
	n, err := strconv.ParseUint(f.seed, 10, 64)
	if err != nil {
		return nil, usagef("-seed: want an unsigned integer, got %q", f.seed)
	}
	return &n, nil
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
	if opt.Seed, err = f.seedOverride(); err != nil {
		return nil, err
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
	fs := commandFlags(&sweepDoc, stderr)
	var sf sweepFlags
	sf.add(fs, false)
	asJSON := fs.Bool("json", false, "print one JSON object per variant (JSON Lines), in variant order, instead of the aggregate")
	csvFile := fs.String("csv", "", "write one row per variant to `FILE` as CSV")
	workers := fs.Int("workers", 0, "run `N` variants at once, each worker with fakes of its own (default GOMAXPROCS)")
	shard := fs.String("shard", "", "run only the variants k with k mod n = i (`i/n`, 0 <= i < n) and print their JSON Lines")
	reportDir := fs.String("report", "", "write sweep.html, the charts as SVG, variants.jsonl, variants.csv and summary.txt to `DIR` (with -variant: the run report)")
	events := fs.String("events", "", "with -variant: write the event log as JSON Lines to `FILE` (gzip-compressed when FILE ends in .gz)")
	everyAttempt := fs.Bool("every-attempt", false, "ask the fake servers at every attempt and handshake at every probe, as run -every-attempt does (same record, much slower); by default DNS is asked again only when the zone changed and TLS verdicts are remembered by what they depend on")
	deprecated(fs, "cache-dns", "every-attempt", true)
	deprecated(fs, "cache-probes", "every-attempt", true)
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
		opt := simrun.Options{CacheDNS: !*everyAttempt, CacheProbes: !*everyAttempt}
		return replay(ctx, &sf, rest[0], opt, &runOutputs{reports: &reportFlags{dir: *reportDir}, events: *events, asJSON: *asJSON}, stdout, stderr)
	}
	if *events != "" {
		return usagef("-events needs -variant K: a sweep does not keep the event logs of its variants")
	}
	shardI, shardN := 0, 1
	if *shard != "" {
		if shardI, shardN, err = parseShard(*shard); err != nil {
			return err
		}
		*asJSON = true
	}
	plan, scs, infos, err := shardVariants(&sf, rest[0], shardI, shardN, *workers)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(stdout, 64*1024)
	var lines io.Writer
	if *asJSON {
		lines = out
	}
	opt := simrun.ManyOptions{Workers: *workers, RecycleLogs: true}
	opt.CacheDNS = !*everyAttempt
	opt.CacheProbes = !*everyAttempt
	results, err := runVariants(ctx, scs, infos, opt, lines, stderr)
	if err != nil {
		out.Flush()
		return fmt.Errorf("sweep %s: %w", plan.File(), err)
	}
	outs := sweepOutputs{csv: *csvFile, dir: *reportDir, command: commandLine("sweep", args), aggregate: !*asJSON}
	return errors.Join(outs.write(out, results), out.Flush())
}

// shardVariants builds the variants of one shard of the sweep, with the
// alarms of -alarms; a combination of values that does not load stops the
// sweep before anything runs.
func shardVariants(sf *sweepFlags, scenario string, shardI, shardN, workers int) (*scenarios.Plan, []*sim.Scenario, []sweep.Info, error) {
	set, err := sf.alarms.load()
	if err != nil {
		return nil, nil, nil, err
	}
	plan, err := sf.plan(scenario)
	if err != nil {
		return nil, nil, nil, err
	}
	var idx []int
	for k := shardI; k < plan.Len(); k += shardN {
		idx = append(idx, k)
	}
	scs, infos, err := buildVariants(plan, idx, workers)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := addAlarms(set, scs...); err != nil {
		return nil, nil, nil, err
	}
	return plan, scs, infos, nil
}

// runVariants runs the variants, sums each up as it ends and, when lines
// is not nil, writes it there as a JSON line at once, in variant order.
func runVariants(ctx context.Context, scs []*sim.Scenario, infos []sweep.Info, opt simrun.ManyOptions, lines io.Writer, stderr io.Writer) ([]sweep.Variant, error) {
	results := make([]sweep.Variant, 0, len(scs))
	prog := newSweepProgress(stderr, len(scs))
	defer prog.done()
	err := simrun.RunMany(ctx, scs, opt, func(i int, res *simrun.Result) error {
		v := sweep.Build(infos[i], scs[i], res.Seed, res.Log)
		scs[i] = nil // done with it
		if lines != nil {
			if err := sweep.WriteJSON(lines, &v); err != nil {
				return err
			}
		}
		results = append(results, v)
		prog.step()
		return nil
	})
	return results, err
}

// sweepOutputs are what a sweep writes once every variant ran.
type sweepOutputs struct {
	csv, dir  string
	command   string // the command line, for the page
	aggregate bool   // print the sum of the variants (not with -json)
}

func (o sweepOutputs) write(out io.Writer, results []sweep.Variant) error {
	var errs []error
	if o.csv != "" {
		errs = append(errs, writeFile(o.csv, func(w io.Writer) error { return report.WriteVariantsCSV(w, results) }))
	}
	if o.dir != "" {
		page := report.SweepPage{Command: o.command, Variants: results}
		if _, err := report.WriteSweepDir(o.dir, page); err != nil {
			errs = append(errs, fmt.Errorf("-report %s: %w", o.dir, err))
		}
	}
	if o.aggregate {
		agg := sweep.Sum(results)
		if err := report.WriteAggregate(out, &agg); err != nil {
			errs = append(errs, err)
		}
	}
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

// replay is sweep -variant K: one variant, run and told as run -variant
// does. A sweep explores, so its expectations do not set the exit status.
func replay(ctx context.Context, sf *sweepFlags, arg string, opt simrun.Options, outs *runOutputs, stdout, stderr io.Writer) error {
	set, err := sf.alarms.load()
	if err != nil {
		return err
	}
	plan, v, err := sf.variantScenario(arg)
	if err != nil {
		return err
	}
	if err := addAlarms(set, v.Scenario); err != nil {
		return err
	}
	outs.header = describeVariant(plan, v)
	_, err = runScenarios(ctx, []*sim.Scenario{v.Scenario}, opt, outs, stdout, stderr)
	return err
}

// variantScenario loads variant -variant K of the sweep of the scenario arg
// names, checked as run checks a file.
func (f *sweepFlags) variantScenario(arg string) (*scenarios.Plan, *scenarios.Variant, error) {
	plan, err := f.plan(arg)
	if err != nil {
		return nil, nil, err
	}
	v, err := plan.Variant(f.variant)
	if err != nil {
		return nil, nil, &usageError{err}
	}
	if err := simrun.Check(v.Scenario); err != nil {
		return nil, nil, &usageError{err}
	}
	return plan, v, nil
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
