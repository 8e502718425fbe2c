package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

var checkDoc = commandDoc{
	name:    "check",
	args:    "-acm PATH -zones PATH [flags]",
	purpose: "read your fleet's AWS CLI exports, run it forward, say what renews and what will not",
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
See docs/check.md.`,
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags(&checkDoc, stderr)
	var acm, zoneDirs, zonePairs stringsFlag
	fs.Var(&acm, "acm", "ACM exports at `PATH`: aws acm list-certificates and describe-certificate output (and optionally get-account-configuration), a file (JSON, a JSON array, JSON Lines) or a directory of them; repeatable")
	fs.Var(&zoneDirs, "zones", "zones at `PATH`: aws route53 list-resource-record-sets output or BIND zone files (told apart by content), a file or a directory; repeatable")
	fs.Var(&zonePairs, "zone", "a zone file whose zone name the file does not tell, as `NAME=FILE`; repeatable")
	account := fs.String("account-config", "", "aws acm get-account-configuration output `FILE` (DaysBeforeExpiry)")
	nowText := fs.String("now", "", "look at the fleet as it stands at `TIME` (RFC 3339; default: now)")
	untilText := fs.String("until", "", "run until `TIME` (RFC 3339; default: two years, or until every next renewal is decided)")
	profile := fs.String("profile", sim.DefaultProfile, "renewal rules: `NAME` of a profile ("+strings.Join(sim.ProfileNames(), ", ")+")")
	asJSON := fs.Bool("json", false, "print the verdicts as JSON")
	scenarioOut := fs.String("scenario-out", "", "write the generated scenario (with the alarms of -alarms) to `FILE.yaml`")
	shard := fs.String("shard", "", "run only part `i/n` of the fleet (certificates sharing a resource stay together) and print it as JSON for renewsim merge")
	everyAttempt := fs.Bool("every-attempt", false, "ask the fake servers at every attempt and handshake at every probe, as run -every-attempt does (same verdicts, much slower)")
	var outs checkOutputs
	fs.StringVar(&outs.dir, "report", "", "write the fleet page to `DIR`: index.html, fleet-timeline.svg, results.json and events.jsonl")
	fs.StringVar(&outs.junit, "junit", "", "write the verdicts as JUnit XML to `FILE`, one testcase per certificate")
	fs.StringVar(&outs.markdown, "markdown", "", "write the counts and the table in Markdown to `FILE` (for example $GITHUB_STEP_SUMMARY)")
	var alarms alarmsFlag
	alarms.add(fs)
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return usagef("check: unexpected argument %q (inputs are given with -acm, -zones and -zone)", rest[0])
	}
	if len(acm) == 0 || len(zoneDirs)+len(zonePairs) == 0 {
		fs.Usage()
		return usagef("check: give the ACM exports with -acm and the zones with -zones or -zone")
	}
	shardI, shardN := 0, 0
	if *shard != "" {
		if *asJSON {
			return usagef("check: -shard prints its part as JSON for renewsim merge; leave out -json")
		}
		if outs.dir != "" || outs.junit != "" || outs.markdown != "" {
			return usagef("check: -shard prints a part for renewsim merge; give -junit and -markdown to merge, and -report to check without -shard (the page needs the record of the whole run)")
		}
		if shardI, shardN, err = parseShard(*shard); err != nil {
			return err
		}
	}
	if !slices.Contains(sim.ProfileNames(), *profile) {
		return usagef("-profile: unknown profile %q (known: %s)", *profile, strings.Join(sim.ProfileNames(), ", "))
	}
	now := time.Now().UTC().Truncate(time.Second)
	if *nowText != "" {
		if now, err = parseRFC3339("-now", *nowText); err != nil {
			return err
		}
	}
	var until time.Time
	if *untilText != "" {
		if until, err = parseRFC3339("-until", *untilText); err != nil {
			return err
		}
		if !until.After(now) {
			return usagef("-until (%s) is not after -now (%s)", until.Format(time.RFC3339), now.Format(time.RFC3339))
		}
	}
	set, err := alarms.load()
	if err != nil {
		return err
	}
	in := fleet.Input{ACM: acm, Account: *account}
	for _, p := range zoneDirs {
		in.Zones = append(in.Zones, fleet.ZoneSource{Path: p})
	}
	for _, p := range zonePairs {
		name, file, ok := strings.Cut(p, "=")
		if !ok || name == "" || file == "" {
			return usagef("-zone: want NAME=FILE like example.com=db.example.com, got %q", p)
		}
		in.Zones = append(in.Zones, fleet.ZoneSource{Name: name, Path: file})
	}

	f, err := fleet.Read(in)
	if err != nil {
		return &usageError{fmt.Errorf("unusable input:\n%w", err)}
	}
	plan, err := fleet.Build(f, fleet.Options{Now: now, Until: until, Profile: *profile, Shard: shardI, Shards: shardN})
	if err != nil {
		return &usageError{fmt.Errorf("unusable input:\n%w", err)}
	}
	var verdicts *fleet.Report
	var run *report.Scenario
	if plan.YAML == nil {
		// Nothing to run: every certificate is settled without a simulation.
		if *scenarioOut != "" {
			fmt.Fprintf(stderr, "renewsim: no certificate can be simulated, so no scenario is written to %s\n", *scenarioOut)
		}
		verdicts = fleet.Assess(plan, nil)
	} else {
		sc, res, err := runPlan(ctx, plan, *scenarioOut, *everyAttempt, set)
		if err != nil {
			return err
		}
		verdicts = fleet.Assess(plan, res.Log)
		if outs.dir != "" || len(sc.Alarms) > 0 {
			built := report.Build(sc, res.Seed, res.Log)
			run = &built
			if len(sc.Alarms) > 0 {
				verdicts.SetAlarms(alarmVerdicts(built.Alarms))
			}
		}
	}
	if err := outs.write(verdicts, run); err != nil {
		return err
	}
	switch {
	case shardN > 0:
		err = fleet.WriteShard(stdout, verdicts)
	case *asJSON:
		err = fleet.WriteJSON(stdout, verdicts)
	default:
		err = fleet.WriteText(stdout, verdicts)
	}
	if err != nil {
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

// write writes every file asked for, whether or not every certificate
// renews: a failing check is when they matter most. run is the run of the
// plan's scenario for the fleet page, nil when nothing ran.
func (o *checkOutputs) write(r *fleet.Report, run *report.Scenario) error {
	if o.dir == "" && o.junit == "" && o.markdown == "" {
		return nil
	}
	fc, err := fleetCheck(r)
	if err != nil {
		return err
	}
	var errs []error
	if o.dir != "" {
		var results bytes.Buffer
		if err := fleet.WriteJSON(&results, r); err != nil {
			return err
		}
		if _, err := report.WriteFleetDir(o.dir, &report.FleetPage{Check: fc, Run: run, Results: results.Bytes()}); err != nil {
			errs = append(errs, fmt.Errorf("-report %s: %w", o.dir, err))
		}
	}
	if o.junit != "" {
		errs = append(errs, writeFile(o.junit, func(w io.Writer) error { return report.WriteFleetJUnit(w, fc) }))
	}
	if o.markdown != "" {
		errs = append(errs, writeFile(o.markdown, func(w io.Writer) error { return report.WriteFleetMarkdown(w, fc) }))
	}
	return errors.Join(errs...)
}

// reportVerdicts names every verdict of fleet in report's terms.
var reportVerdicts = map[fleet.Verdict]string{
	fleet.VerdictRenews:     report.FleetRenews,
	fleet.VerdictExpires:    report.FleetExpires,
	fleet.VerdictExpired:    report.FleetExpired,
	fleet.VerdictNotIssued:  report.FleetNotIssued,
	fleet.VerdictCannotTell: report.FleetCannotTell,
	fleet.VerdictUndecided:  report.FleetUndecided,
}

// fleetCheck gives the reports the check's verdicts in their plain terms,
// in the check's order (most urgent first).
func fleetCheck(r *fleet.Report) (*report.FleetCheck, error) {
	out := &report.FleetCheck{Account: r.Account, Region: r.Region, Profile: r.Profile, Now: r.Now, Until: r.Until,
		Notes: r.Notes, Certificates: make([]report.FleetCert, 0, len(r.Certificates))}
	for _, s := range r.Shared {
		out.Shared = append(out.Shared, report.FleetShared{Record: s.Record, Value: s.Value, Certificates: s.Certificates})
	}
	for _, e := range r.Certificates {
		v, ok := reportVerdicts[e.Verdict]
		if !ok {
			return nil, fmt.Errorf("check: %s has the verdict %q, which the reports do not know (please report this)", e.ID, e.Verdict)
		}
		out.Certificates = append(out.Certificates, report.FleetCert{
			ID: e.ID, ARN: e.ARN, Domains: e.Domains, Type: e.Type, Status: e.Status, NotAfter: e.NotAfter, Simulated: e.Simulated,
			Verdict: v, Date: e.Date, Renewals: e.Renewals, Headline: r.Headline(e), Reason: e.Reason, Fix: e.Fix, Notes: e.Notes,
		})
	}
	return out, nil
}

// runPlan loads the plan's scenario the way run loads a file, writes it
// when asked, with the alarms of -alarms, and runs it.
func runPlan(ctx context.Context, plan *fleet.Plan, scenarioOut string, everyAttempt bool, alarms *scenarios.AlarmSet) (*sim.Scenario, *simrun.Result, error) {
	sc, err := scenarios.Parse(plan.File, plan.YAML)
	if err == nil {
		err = simrun.Check(sc)
	}
	if err != nil {
		// The inputs were read without a problem, so this is renewsim's
		// fault; still nothing runs.
		return nil, nil, fmt.Errorf("check: the scenario made from the inputs does not load (please report this):\n%w", err)
	}
	if plan.Shards > 0 && alarms != nil {
		// A part holds some of the certificates the alarms may name.
		if err := alarms.AddToPart(sc, plan.FleetCertificates); err != nil {
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
	res, err := simrun.Run(ctx, sc, simrun.Options{CacheDNS: !everyAttempt, CacheProbes: !everyAttempt})
	if err != nil {
		return nil, nil, fmt.Errorf("check: run %s: %w", plan.File, err)
	}
	return sc, res, nil
}

// alarmVerdicts turns the alarms judged on the run into the fleet's
// verdicts, per certificate.
func alarmVerdicts(rs []report.AlarmResult) map[string][]fleet.AlarmVerdict {
	out := map[string][]fleet.AlarmVerdict{}
	for _, r := range rs {
		for _, c := range r.Certificates {
			v := fleet.AlarmVerdict{Alarm: r.Name, Rule: r.Rule, Fires: c.Fired, FirstFires: c.FirstFired, FalseAlarms: c.FalseAlarms,
				Troubles: c.Troubles, Missed: c.Missed, LeadTime: c.LeadTime, LeadTimeSeconds: c.LeadTimeSeconds}
			undecided := false
			for _, f := range c.Firings {
				undecided = undecided || f.Outcome == report.FiringUndecided
				if c.LeadTimeSeconds != nil && f.LeadTimeSeconds != nil && *f.LeadTimeSeconds == *c.LeadTimeSeconds && v.Before == nil {
					v.Before = f.At
				}
			}
			switch {
			case c.Missed > 0:
				v.Warns = fleet.WarnsMissed
			case c.Troubles > 0:
				v.Warns = fleet.WarnsInTime
			case undecided:
				v.Warns = fleet.WarnsUndecided
			case c.FalseAlarms > 0:
				v.Warns = fleet.WarnsFalse
			default:
				v.Warns = fleet.WarnsSilent
			}
			out[c.Cert] = append(out[c.Cert], v)
		}
	}
	return out
}

func parseRFC3339(flagName, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("%s: want an RFC 3339 time like 2026-04-01T00:00:00Z, got %q", flagName, s)
	}
	return t.UTC(), nil
}
