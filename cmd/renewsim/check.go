package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/renewsim/renewsim/awsread"
	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/iac"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

var checkDoc = commandDoc{
	name:    "check",
	args:    "-acm PATH -zones PATH | -terraform PATH | -cloudformation PATH | -aws [flags]",
	purpose: "read your fleet's AWS CLI exports, infrastructure code or the live account, run it forward, say what renews and what will not",
	about: `Reads your ACM fleet as the AWS CLI exports it, turns it into a scenario of
the fleet as it stands at -now, runs it forward and prints per certificate,
most urgent first: renews around DATE, or expires on DATE because REASON,
and what to fix.

The horizon is two years from -now, or longer until every certificate's next
renewal is decided. Certificates the inputs cannot settle (no zone data for a
name, HTTP validation, no describe output) are listed as "cannot tell", and
already expired or never issued ones are listed without simulation; neither
changes the exit status.

Exit 0 when every simulated certificate renews in the horizon, 1 when some
will not, 2 on unusable input (every problem listed: file and JSON path, or
file:line) or usage. -scenario-out writes the scenario, which renewsim run
loads with the same outcomes and exit status, and sweep varies.

-report DIR writes the fleet page (index.html: the counts, a timeline of
renewals and expiries per week with the failing certificates as lanes, the
table, and certificate by certificate what happened), with results.json
(the -json document) and events.jsonl (the record of the run). -junit
writes one testcase per certificate, -markdown the counts and the table.
See docs/check.md.

-terraform and -cloudformation read infrastructure code instead (exports
given beside it complete it): a state is checked as it stands, each
certificate named by its address too; a plan or a change set is checked
before and after the change over one horizon, and check prints first what the
change does — the renewals it breaks, each with the planned changes that
bear on it, then what it fixes, creates, deletes and leaves — and then the
fleet after it, with every certificate's verdict before. A change exits 1
exactly when it breaks a renewal (one that held before, or of a certificate
it creates), 0 otherwise, even when some certificate expires before and
after it; 2 on unusable input. -json adds address, before, difference and
planned per certificate and change, breaks, fixes and deleted; -markdown
writes a pull-request comment (breaks first, detail folded, under GitHub's
65,536 characters); -junit fails the breaks. See docs/ci.md.

-aws reads the live account instead of exports, read-only, with the AWS
SDK's default credentials (profiles, SSO, environment; -aws-profile) and
endpoint settings (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ACM,
AWS_ENDPOINT_URL_ROUTE_53, endpoint_url): -regions, -assume-role with
-accounts for several accounts as one fleet, -export DIR to keep what was
read. See docs/check.md.`,
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags(&checkDoc, stderr)
	var acm, zoneDirs, zonePairs stringsFlag
	fs.Var(&acm, "acm", "ACM exports at `PATH`: aws acm list-certificates and describe-certificate output (and optionally get-account-configuration), a file (JSON, a JSON array, JSON Lines) or a directory of them; repeatable")
	fs.Var(&zoneDirs, "zones", "zones at `PATH`: aws route53 list-resource-record-sets output or BIND zone files (told apart by content), a file or a directory; repeatable")
	fs.Var(&zonePairs, "zone", "a zone file whose zone name the file does not tell, as `NAME=FILE`; repeatable")
	var terraform, cloudformation stringsFlag
	fs.Var(&terraform, "terraform", "Terraform at `PATH`: terraform show -json of a plan or of a state, or a terraform.tfstate (format version 4), a file or a directory of them; repeatable (several root modules or workspaces form one fleet)")
	fs.Var(&cloudformation, "cloudformation", "CloudFormation at `PATH`: templates (JSON or YAML), cdk synth output (cdk.out), aws cloudformation describe-change-set and describe-stack-resources output, a file or a directory of them; repeatable")
	account := fs.String("account-config", "", "aws acm get-account-configuration output `FILE` (DaysBeforeExpiry)")
	nowText := fs.String("now", "", "look at the fleet as it stands at `TIME` (RFC 3339; default: now)")
	untilText := fs.String("until", "", "run until `TIME` (RFC 3339; default: two years, or until every next renewal is decided)")
	profile := fs.String("profile", fleet.DefaultProfile, "renewal rules: `NAME` of a profile ("+strings.Join(sim.ProfileNames(), ", ")+")")
	asJSON := fs.Bool("json", false, "print the verdicts as JSON")
	scenarioOut := fs.String("scenario-out", "", "write the generated scenario (with the alarms of -alarms) to `FILE.yaml`")
	shard := fs.String("shard", "", "run only part `i/n` of the fleet (certificates sharing a resource stay together) and print it as JSON for renewsim merge")
	everyAttempt := fs.Bool("every-attempt", false, "ask the fake servers at every attempt and handshake at every probe, as run -every-attempt does (same verdicts, much slower)")
	var outs checkOutputs
	fs.StringVar(&outs.dir, "report", "", "write the fleet page to `DIR`: index.html, fleet-timeline.svg, results.json and events.jsonl")
	fs.StringVar(&outs.junit, "junit", "", "write the verdicts as JUnit XML to `FILE`, one testcase per certificate")
	fs.StringVar(&outs.markdown, "markdown", "", "write the counts and the table in Markdown to `FILE` (for example $GITHUB_STEP_SUMMARY); for a plan or a change set, a pull-request comment")
	var alarms alarmsFlag
	alarms.add(fs)
	var live liveFlags
	live.add(fs)
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	req, err := checkFlags{acm: acm, zoneDirs: zoneDirs, zonePairs: zonePairs, account: *account, now: *nowText, until: *untilText,
		profile: *profile, asJSON: *asJSON, scenarioOut: *scenarioOut, shard: *shard, everyAttempt: *everyAttempt,
		outs: outs, alarms: alarms, terraform: terraform, cloudformation: cloudformation, live: live}.request(fs, rest)
	if err != nil {
		return err
	}
	if req.code != nil {
		return req.checkCode(ctx, stdout, stderr)
	}
	if err := req.readAWS(ctx, stderr); err != nil {
		return err
	}
	restore := fewerCollections()
	plan, err := req.plan()
	restore()
	if err != nil {
		return err
	}
	run, err := req.run(ctx, plan, stderr)
	if err != nil {
		return err
	}
	verdicts, built := assess(plan, run, req.outs.dir != "")
	return finishCheck(verdicts, &report.FleetPage{Run: built}, &req.outs, req.printer(), stdout)
}

// checkFlags are check's flags as given.
type checkFlags struct {
	acm, zoneDirs, zonePairs                         stringsFlag
	terraform, cloudformation                        stringsFlag
	account, now, until, profile, scenarioOut, shard string
	asJSON, everyAttempt                             bool
	outs                                             checkOutputs
	alarms                                           alarmsFlag
	live                                             liveFlags
}

// checkRequest is what check was asked, checked: the inputs to read, the
// plan's options, the alarms to judge, and what to write and print.
type checkRequest struct {
	input        fleet.Input
	code         *iac.Input // infrastructure code to check, nil for exports alone
	options      fleet.Options
	alarms       *scenarios.AlarmSet
	scenarioOut  string
	everyAttempt bool
	asJSON       bool
	outs         checkOutputs
	// live, with -aws, is how to read the account; exportDir where to
	// write what was read.
	live      *awsread.Options
	exportDir string
}

// request checks the flags and the arguments left, and reads the alarms
// file: every usage error comes out here, before any input is read.
func (f checkFlags) request(fs *flag.FlagSet, rest []string) (*checkRequest, error) {
	if len(rest) > 0 {
		fs.Usage()
		return nil, usagef("check: unexpected argument %q (inputs are given with -acm, -zones, -zone, -terraform and -cloudformation)", rest[0])
	}
	live, err := f.live.options(f)
	if err != nil {
		return nil, err
	}
	code := len(f.terraform)+len(f.cloudformation) > 0
	if live == nil && !code && (len(f.acm) == 0 || len(f.zoneDirs)+len(f.zonePairs) == 0) {
		fs.Usage()
		return nil, usagef("check: give the ACM exports with -acm and the zones with -zones or -zone, infrastructure code with -terraform or -cloudformation, or read the account with -aws")
	}
	req := &checkRequest{live: live, exportDir: f.live.exportDir, input: fleet.Input{ACM: f.acm, Account: f.account}, options: fleet.Options{Profile: f.profile},
		scenarioOut: f.scenarioOut, everyAttempt: f.everyAttempt, asJSON: f.asJSON, outs: f.outs}
	if code {
		// The code describes certificates itself: exports, when given,
		// complete it (records and certificates outside the code).
		req.code = &iac.Input{Terraform: f.terraform, CloudFormation: f.cloudformation}
		req.input.ACMOptional = true
		if f.shard != "" {
			return nil, usagef("check: -shard splits a fleet of exports; a check of -terraform or -cloudformation runs whole (it runs one fleet per region, before and after the change)")
		}
	}
	if f.shard != "" {
		if err := f.shardAlone(); err != nil {
			return nil, err
		}
		if req.options.Shard, req.options.Shards, err = parseShard(f.shard); err != nil {
			return nil, err
		}
	}
	if !slices.Contains(sim.ProfileNames(), f.profile) {
		return nil, usagef("-profile: unknown profile %q (known: %s)", f.profile, strings.Join(sim.ProfileNames(), ", "))
	}
	if req.options.Now, req.options.Until, err = f.horizon(); err != nil {
		return nil, err
	}
	if req.alarms, err = f.alarms.load(); err != nil {
		return nil, err
	}
	if req.input.Zones, err = f.zones(); err != nil {
		return nil, err
	}
	return req, nil
}

// shardAlone refuses what a part of a split check cannot do.
func (f checkFlags) shardAlone() error {
	if f.asJSON {
		return usagef("check: -shard prints its part as JSON for renewsim merge; leave out -json")
	}
	if f.outs.any() {
		return usagef("check: -shard prints a part for renewsim merge; give -junit and -markdown to merge, and -report to check without -shard (the page needs the record of the whole run)")
	}
	return nil
}

// horizon is -now (default: the wall clock, to the second) and -until
// (zero: the plan's default horizon).
func (f checkFlags) horizon() (now, until time.Time, err error) {
	now = time.Now().UTC().Truncate(time.Second)
	if f.now != "" {
		if now, err = parseRFC3339("-now", f.now); err != nil {
			return now, until, err
		}
	}
	if f.until != "" {
		if until, err = parseRFC3339("-until", f.until); err != nil {
			return now, until, err
		}
		if !until.After(now) {
			return now, until, usagef("-until (%s) is not after -now (%s)", until.Format(time.RFC3339), now.Format(time.RFC3339))
		}
	}
	return now, until, nil
}

// zones are the zone inputs: -zones paths, then -zone NAME=FILE pairs.
func (f checkFlags) zones() ([]fleet.ZoneSource, error) {
	var out []fleet.ZoneSource
	for _, p := range f.zoneDirs {
		out = append(out, fleet.ZoneSource{Path: p})
	}
	for _, p := range f.zonePairs {
		name, file, ok := strings.Cut(p, "=")
		if !ok || name == "" || file == "" {
			return nil, usagef("-zone: want NAME=FILE like example.com=db.example.com, got %q", p)
		}
		out = append(out, fleet.ZoneSource{Name: name, Path: file})
	}
	return out, nil
}

// plan reads the exports and the zones and turns the fleet into a plan.
// Every problem in every file is unusable input (exit 2).
func (req *checkRequest) plan() (*fleet.Plan, error) {
	f, err := fleet.Read(req.input)
	if err != nil {
		return nil, &usageError{fmt.Errorf("unusable input:\n%w", err)}
	}
	plan, err := fleet.Build(f, req.options)
	if err != nil {
		return nil, &usageError{fmt.Errorf("unusable input:\n%w", err)}
	}
	return plan, nil
}

// checkRun is the run of the plan's scenario.
type checkRun struct {
	sc  *sim.Scenario
	res *simrun.Result
}

// run runs the plan's scenario, with the alarms of -alarms; nil when no
// certificate can be simulated, and every one is settled without a run.
func (req *checkRequest) run(ctx context.Context, plan *fleet.Plan, stderr io.Writer) (*checkRun, error) {
	if plan.YAML == nil {
		if req.scenarioOut != "" {
			fmt.Fprintf(stderr, "renewsim: no certificate can be simulated, so no scenario is written to %s\n", req.scenarioOut)
		}
		return nil, nil
	}
	sc, res, err := runPlan(ctx, plan, req.scenarioOut, req.everyAttempt, req.alarms, plan.FleetCertificates)
	if err != nil {
		return nil, err
	}
	return &checkRun{sc: sc, res: res}, nil
}

// assess gives every certificate its verdict from the run's record. The
// run's result is built only when something reads it: the fleet page
// (page) tells the failing certificates' stories from it, and the alarms
// are judged on it.
func assess(plan *fleet.Plan, run *checkRun, page bool) (*fleet.Report, *result.Scenario) {
	if run == nil {
		return fleet.Assess(plan, nil), nil
	}
	verdicts := fleet.Assess(plan, run.res.Log)
	if !page && len(run.sc.Alarms) == 0 {
		return verdicts, nil
	}
	built := result.Build(run.sc, run.res.Seed, run.res.Log)
	if len(run.sc.Alarms) > 0 {
		verdicts.SetAlarms(built.Alarms)
	}
	return verdicts, &built
}

// printer is how check prints its verdicts: a part for merge (-shard), the
// JSON document (-json) or the text.
func (req *checkRequest) printer() func(io.Writer, *fleet.Report) error {
	switch {
	case req.options.Shards > 0:
		return fleet.WriteShard
	case req.asJSON:
		return fleet.WriteJSON
	}
	return fleet.WriteText
}

// finishCheck writes the files asked for, prints the verdicts and exits 1
// when some certificate will not renew (or, for a change, when it breaks
// some renewal), for check and for merge of a split check alike. page is
// the fleet page's, with the run's result, nil when nothing ran.
func finishCheck(verdicts *fleet.Report, page *report.FleetPage, outs *checkOutputs, printer func(io.Writer, *fleet.Report) error, stdout io.Writer) error {
	if err := outs.write(verdicts, page); err != nil {
		return err
	}
	if err := printer(stdout, verdicts); err != nil {
		return err
	}
	if verdicts.Failed() {
		return errFailed
	}
	return nil
}

// checkOutputs are the files check (and merge, of a split check) writes
// besides what it prints.
type checkOutputs struct {
	dir, junit, markdown string
}

// any tells whether some file is asked for.
func (o *checkOutputs) any() bool { return o.dir != "" || o.junit != "" || o.markdown != "" }

// write writes every file asked for, whether or not every certificate
// renews: a failing check is when they matter most. page holds the runs
// for the fleet page, nil when nothing ran.
func (o *checkOutputs) write(r *fleet.Report, page *report.FleetPage) error {
	if !o.any() {
		return nil
	}
	var errs []error
	if o.dir != "" {
		if page == nil {
			page = &report.FleetPage{}
		}
		page.Check = r
		if _, err := report.WriteFleetDir(o.dir, page); err != nil {
			errs = append(errs, fmt.Errorf("-report %s: %w", o.dir, err))
		}
	}
	if o.junit != "" {
		errs = append(errs, writeFile(o.junit, func(w io.Writer) error { return report.WriteFleetJUnit(w, r) }))
	}
	if o.markdown != "" {
		errs = append(errs, writeFile(o.markdown, func(w io.Writer) error { return report.WriteFleetMarkdown(w, r) }))
	}
	return errors.Join(errs...)
}

// runPlan loads the plan's scenario the way run loads a file, writes it
// when asked, with the alarms of -alarms, and runs it. whole, when not
// nil, are the ids of every certificate of the check the scenario is part
// of (a part of a split check; one of the fleets of a check of
// infrastructure code): an alarm naming one the scenario lacks is left
// out, not an error.
func runPlan(ctx context.Context, plan *fleet.Plan, scenarioOut string, everyAttempt bool, alarms *scenarios.AlarmSet, whole []string) (*sim.Scenario, *simrun.Result, error) {
	restore := fewerCollections()
	sc, err := scenarios.Parse(plan.File, plan.YAML)
	restore()
	if err != nil {
		return nil, nil, unloadable(err)
	}
	if whole != nil && alarms != nil {
		// A part holds some of the certificates the alarms may name.
		if err := alarms.AddToPart(sc, whole); err != nil {
			return nil, nil, &usageError{fmt.Errorf("the alarms of %s do not fit:\n%w", alarms.File, err)}
		}
	} else if err := addAlarms(alarms, sc); err != nil {
		return nil, nil, err
	}
	if scenarioOut != "" {
		out := plan.YAML
		if len(sc.Alarms) > 0 {
			// The plan declares none: these are the alarms of -alarms (of this
			// part, with -shard), so that run and sweep judge them too.
			out = slices.Concat(plan.YAML, []byte(fmt.Sprintf("\n# The alarms given with -alarms %q.\n%s", alarms.File, scenarios.AlarmsYAML(sc.Alarms))))
		}
		if err := os.WriteFile(scenarioOut, out, 0o644); err != nil {
			return nil, nil, fmt.Errorf("check: write the scenario: %w", err)
		}
	}
	// Run checks the scenario's records (simrun.Check) before anything
	// runs: a check of 10,000 zones parses 40,000 of them, once.
	res, err := simrun.Run(ctx, sc, simrun.Options{CacheDNS: !everyAttempt, CacheProbes: !everyAttempt})
	var rejected *simrun.Error
	if errors.As(err, &rejected) {
		return nil, nil, unloadable(err)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("check: run %s: %w", plan.File, err)
	}
	return sc, res, nil
}

// unloadable is the error of a scenario made from inputs that were read
// without a problem, which does not load or which the runner rejects:
// renewsim's fault. Nothing has run.
func unloadable(err error) error {
	return fmt.Errorf("check: the scenario made from the inputs does not load (please report this):\n%w", err)
}

func parseRFC3339(flagName, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("%s: want an RFC 3339 time like 2026-04-01T00:00:00Z, got %q", flagName, s)
	}
	return t.UTC(), nil
}

// fewerCollections makes the garbage collector run four times less often
// until the returned function is called, unless GOGC says how often it
// should. Reading a fleet's exports, writing its scenario and parsing it
// back make a few hundred MB of short-lived garbage while the heap is
// still small, which the default pacing collects a dozen times over: 0.6 s
// of a 10,000-certificate check. The heap they leave is far below what the
// simulation after them peaks at, and that runs at the default pacing.
func fewerCollections() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(400)
	return func() { debug.SetGCPercent(old) }
}
